"""Import-target types: a finding, a rule, a target, and the file features rules are keyed by.

Exports: Finding, Rule, Target, ERROR, WARNING, NOTE, SEVERITIES, FEATURES.

One severity model for every command and the library (docs/cli.md#severities): ``error`` = the
target refuses the file or the data is unusable; ``warning`` = it may fail, or it is
[unverified]; ``note`` = for your information.

A `Target` maps some of the `FEATURES` (what `pkcs12kit.targets.detect` can see in a decoded
file, RFC 7292) to a `Rule`; `pkcs12kit.targets.engine` turns each rule that applies into a
`Finding`. The table of targets is data, in `pkcs12kit.targets.rules`.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Mapping

from ..profiles import Profile

__all__ = ["Finding", "Rule", "Target", "ERROR", "WARNING", "NOTE", "SEVERITIES", "FEATURES"]

ERROR = "error"
WARNING = "warning"
NOTE = "note"
SEVERITIES = (ERROR, WARNING, NOTE)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One reason a target refuses (``"error"``) or may refuse (``"warning"``) a file, or a
    fact worth knowing (``"note"``).

    ``code`` is a stable identifier (see `FINDING_CODES`); ``message`` says what is wrong, where,
    and what the target does about it, citing the evidence; ``fix`` says how to repair it from
    Python (the API fix); ``cli_fix`` says how to repair it with the ``pkcs12kit`` command: a
    command line template whose ``{file}``, ``{out}``, ``{passin}`` ... fields the command fills
    with the user's own names (`pkcs12kit.targets.fixes.render_cli_fix`), or advice in words
    when no command can do it (a new certificate is needed). Messages never contain a password,
    key or plaintext.
    """

    code: str
    severity: str
    message: str
    fix: str
    cli_fix: str = ""

    def __str__(self) -> str:
        return f"{self.severity}: {self.code}: {self.message} (fix: {self.fix})"


@dataclasses.dataclass(frozen=True)
class Rule:
    """How a target treats one property of a file: the finding ``code`` it raises, its
    ``severity`` (``"error"``: the target is known to refuse; ``"warning"``: refusal is reported
    or likely but [unverified]) and ``reason``, the observed behaviour and its source."""

    code: str
    severity: str
    reason: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.code}: severity must be 'error', 'warning' or 'note'")


@dataclasses.dataclass(frozen=True)
class Target:
    """A system that imports PKCS#12 files.

    - ``name``: the identifier `profile_for`/`check` take (``"asa"``, ``"iosxe-26"`` ...).
    - ``description``: the system and versions it stands for.
    - ``profile``: what to write so that it imports the file.
    - ``rules``: file property (an internal feature name, see `FEATURES`) → `Rule`; a property
      without a rule is accepted.
    - ``rsa_max_bits``: a larger RSA key raises the ``"rsa-large"`` rule (None: no limit known).
    - ``max_iterations``: a larger KDF or MAC iteration count raises ``"iterations-high"``.
    - ``cisco``: a Cisco platform: the import fills a trustpoint (one identity and its issuing
      CA, docs/cisco-formats.md#trustpoints-and-chains); the rules say what that implies.
    - ``use``: what the target uses the identity certificate for (``"server"``: a TLS/VPN
      server; ``"client"``), which an extendedKeyUsage must allow (RFC 5280 section 4.2.1.12);
      None: unknown, not checked.
    """

    name: str
    description: str
    profile: Profile
    rules: Mapping[str, Rule] = dataclasses.field(default_factory=dict, repr=False)
    rsa_max_bits: int | None = None
    max_iterations: int | None = None
    cisco: bool = False
    use: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.rules) - set(FEATURES)
        if unknown:
            raise ValueError(f"target {self.name}: unknown rule features {sorted(unknown)}")
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))


# --- features -------------------------------------------------------------------------------
# What `check` can detect in a file, independent of any target. A target's rules map some of
# these to a finding code and severity; the table documents them for docs/targets.md.
FEATURES = {
    "pbes2": "a key or safe encrypted with PBES2 (PBKDF2 + AES or another block cipher, RFC 8018)",
    "scrypt": "PBES2 with the scrypt KDF (RFC 7914)",
    "rc2-40": "pbeWithSHAAnd40BitRC2-CBC (RFC 7292 appendix C), what `openssl -legacy` uses for certificates",
    "tripledes-2key": "pbeWithSHAAnd2-KeyTripleDES-CBC",
    "legacy-cipher": "RC2-64/128, RC4, single DES, SEED or PBES1: ciphers OpenSSL 3 keeps in its legacy provider",
    "pbes2-other-cipher": "PBES2 with Camellia, ARIA, SM4 or SEED instead of AES (`openssl pkcs12 -keypbe`)",
    "mac-sha256": "an HMAC-SHA-256 MAC (RFC 7292 section 5, the OpenSSL 3 default)",
    "mac-other": "an HMAC MAC with a digest other than SHA-1 and SHA-256",
    "mac-other-hash": "an HMAC MAC over MD5, SM3 or SHA-3 (not SHA-1/SHA-2)",
    "pbmac1": "a PBMAC1 MAC (RFC 9579)",
    "no-mac": "no MAC at all",
    "no-encryption": "nothing encrypted: no encryptedData safe, no shrouded key",
    "keybag": "a private key in a plain keyBag (not a pkcs8ShroudedKeyBag)",
    "unencrypted-key": "a private key stored with no encryption at all",
    "iterations-high": "a KDF or MAC iteration count above the target's cap",
    "key-ec": "an EC private key",
    "key-ec-ssh": "an EC identity key (side effects on the device's SSH host key)",
    "key-other": "a private key that is neither RSA nor EC (Ed25519, Ed448, DSA, RSASSA-PSS, ML-DSA ...)",
    "ec-explicit": "an EC key or certificate with explicit curve parameters",
    "rsa-large": "an RSA key larger than the target's limit",
    "pss-certificate": "a certificate signed with RSASSA-PSS or holding an RSASSA-PSS key",
    "key-unreadable": "a private key or certificate that cannot be parsed",
    "no-private-key": "no private key in the file",
    "no-certificate": "a private key with no certificate in the file",
    "multiple-keys": "more than one private key",
    "key-certificate-mismatch": "a key whose certificate (or every certificate) certifies another key",
    "no-local-key-id": "the key and its certificate do not share a localKeyId attribute",
    "missing-issuer": "the identity certificate's issuer is not in the file",
    "incomplete-chain": "the chain in the file stops at a CA whose issuer is not in the file",
    "intermediate-trustpoints": "CA certificates above the issuing CA (IOS-XE creates extra trustpoints)",
    "extra-trustpoint": "a root above the issuing CA (the ASA creates an extra trustpoint)",
    "unrelated-certificates": "certificates that are not in the identity's chain",
    "chain-order": "certificates not in leaf → root order",
    "password-legacy-encoding": "the file opened only with OpenSSL's pre-1.1.0 non-ASCII password encoding",
    "password-non-ascii": "a non-ASCII password",
    "password-question-mark": "a password containing '?'",
    "password-whitespace": "a password containing whitespace or quotes",
    "password-symbols": "a password with characters outside [A-Za-z0-9]",
    "password-short": "a password shorter than 8 characters",
}
