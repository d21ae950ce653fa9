"""`Limits`: one frozen policy bounding every cost an attacker-supplied PKCS#12 can ask for.

Exports: Limits, DEFAULT_LIMITS.

A PKCS#12 file names its own KDF iteration counts, scrypt cost, nesting and sizes. Every one of
them is checked against this policy *before* the expensive work starts, so a hostile file is
refused in milliseconds with a `LimitExceededError` saying which limit to raise.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .errors import LimitExceededError

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Limits", "DEFAULT_LIMITS"]


@dataclasses.dataclass(frozen=True)
class Limits:
    """Caps on attacker-controlled work. Override per call: ``loads(data, pw, limits=Limits(...))``.

    Defaults, and why:

    - ``max_iterations`` 2,000,000 per derivation (MAC KDF, PBKDF2, PKCS#12 PBE). OpenSSL writes
      2048, the JDK 10,000 (MAC) / 10,000 (PBE), BouncyCastle up to 1,200,000; the JDK refuses
      more than 5,000,000 and .NET more than 300,000.
    - ``max_total_iterations`` 10,000,000 hash chains summed over the whole file (each derivation
      costs iterations × the chains it runs: 3 for a 3-key 3DES PKCS#12 PBE, RFC 7292 appendix
      B), so many modest derivations cannot add up to minutes of hashing: about 3 s of one core
      at worst (docs/security.md#measured-worst-cases; .NET caps the total at 1,000,000).
    - ``max_scrypt_memory`` 256 MiB (128·N·r·p bytes); OpenSSL's scrypt default N=2^14, r=8, p=1
      needs 16 MiB.
    - ``max_input_size`` 256 MiB; a 10,000-certificate chain is about 10 MB.
    - ``max_depth`` 16 levels of nested safeContents bags (real files use 0 or 1).
    - ``max_bags`` 1,000,000 bags in the whole file.
    - ``max_safes`` 10,000 ContentInfos in the AuthenticatedSafe (real files have 1 to 3): an
      empty safe costs as much to decode as a bag.
    - ``max_signers`` 4 SignerInfos, ``max_signed_certificates`` 32 certificates in a SignedData,
      ``max_chain_length`` 8 certificates from signer to trust anchor, and ``max_recipients`` 16
      RecipientInfos (and RecipientEncryptedKeys) per EnvelopedData: each costs a public- or
      private-key operation (public-key modes, docs/public-key-modes.md#limits).
    - ``pbmac1_key_length`` 20..64 octets (RFC 9579 section 9; CVE-2025-11187, CVE-2026-34181).
    """

    max_iterations: int = 2_000_000
    max_total_iterations: int = 10_000_000
    max_scrypt_memory: int = 256 * 1024 * 1024
    max_input_size: int = 256 * 1024 * 1024
    max_depth: int = 16
    max_bags: int = 1_000_000
    max_safes: int = 10_000
    max_signers: int = 4
    max_signed_certificates: int = 32
    max_chain_length: int = 8
    max_recipients: int = 16
    pbmac1_min_key_length: int = 20
    pbmac1_max_key_length: int = 64

    def __post_init__(self) -> None:
        # Below 20 octets a PBMAC1 MAC can be forged (RFC 9579 section 9, CVE-2026-34181): that is
        # a rule, not a cost, so no policy may relax it.
        if self.pbmac1_min_key_length < 20:
            raise ValueError("pbmac1_min_key_length cannot be below 20 (RFC 9579 section 9)")

    def replace(self, **changes: int) -> "Limits":
        """Return a copy with some limits changed."""
        return dataclasses.replace(self, **changes)

    def check_iterations(self, iterations: int, where: str) -> None:
        """Refuse a single derivation's iteration count outside 1..max_iterations."""
        if iterations < 1:
            raise LimitExceededError(f"{where}: iteration count {iterations} is below 1")
        if iterations > self.max_iterations:
            raise LimitExceededError(
                f"{where}: iteration count {iterations:,} exceeds Limits.max_iterations "
                f"({self.max_iterations:,}); pass limits=Limits(max_iterations=...) to allow it"
            )


    def check_count(self, name: str, count: int, where: str) -> None:
        """Refuse ``count`` items where ``Limits.<name>`` allows fewer (public-key modes)."""
        limit = getattr(self, name)
        if count > limit:
            raise LimitExceededError(
                f"{where}: {count:,} is over Limits.{name} ({limit:,}); pass limits=Limits({name}=...) to allow it"
            )


DEFAULT_LIMITS = Limits()


class WorkBudget:
    """Running total of KDF iterations spent on one file, checked against ``max_total_iterations``.

    One budget is created per ``loads`` call and handed down to every derivation.
    """

    __slots__ = ("limits", "spent")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.spent = 0

    def check_declared(self, declared: Iterable[tuple[int, str] | tuple[int, str, int]]) -> None:
        """Refuse up front what a file declares, ``(iterations, place)`` or ``(iterations, place,
        chains)`` tuples: any derivation over ``max_iterations``, or a sum of iterations × chains
        already over the total budget. 0 iterations means "not declared"."""
        total = 0
        for iterations, where, *chains in declared:
            if iterations:
                self.limits.check_iterations(iterations, where)
            total += iterations * (chains[0] if chains else 1)
        if total > self.limits.max_total_iterations:
            raise LimitExceededError(
                f"PFX: the file declares {total:,} KDF iterations in total, over "
                f"Limits.max_total_iterations ({self.limits.max_total_iterations:,}); pass "
                "limits=Limits(max_total_iterations=...) to allow it"
            )

    def spend(self, iterations: int, where: str, chains: int = 1) -> None:
        """Account for one derivation before it runs; raise if it would exceed a limit.

        ``chains`` is how many iterated hash chains the derivation runs (`kdf.hash_chains`):
        ``iterations`` is checked against ``max_iterations``, ``iterations × chains`` is what
        the derivation costs and is charged to the total."""
        self.limits.check_iterations(iterations, where)
        iterations *= chains
        if self.spent + iterations > self.limits.max_total_iterations:
            raise LimitExceededError(
                f"{where}: total KDF iterations for this file would reach "
                f"{self.spent + iterations:,}, over Limits.max_total_iterations "
                f"({self.limits.max_total_iterations:,}); pass "
                "limits=Limits(max_total_iterations=...) to allow it"
            )
        self.spent += iterations
