"""Encode profiles: frozen values naming how a PKCS#12 file is protected and laid out.

Exports: Profile, MacSpec, MODERN, MODERN_PBMAC1, LEGACY_3DES, LEGACY_RC2, JAVA, PASSWORDLESS,
PROFILES.

A profile says how keys are encrypted (pkcs8ShroudedKeyBag, RFC 7292 4.2.2), how the certificate
safe is encrypted (encryptedData, RFC 7292 4.1), which MAC protects the file (RFC 7292 section 4,
RFC 9579), and how bags are grouped into safes. Variants come from methods returning modified
copies (``MODERN.with_iterations(600_000)``); each named profile's docstring says who reads it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from .entries import is_shrouded
from .protection import DEFAULT_PBES2, Protection

if TYPE_CHECKING:
    from typing import Protocol

    from .entries import Entry, KeyEntry
    from .protection import MacInfo

    # What `group` and `profile_of` read of a `PKCS12` and its `SafeInfo`s (model sits above).
    class _Safe(Protocol):
        @property
        def kind(self) -> str: ...
        @property
        def protection(self) -> Protection | None: ...
        @property
        def bag_count(self) -> int: ...
        @property
        def entries(self) -> tuple[int, ...]: ...
        @property
        def nesting(self) -> tuple[object, ...]: ...

    class _Laid(Protocol):
        @property
        def entries(self) -> tuple[Entry, ...]: ...
        @property
        def safes(self) -> tuple[_Safe, ...]: ...

    class _Decoded(_Laid, Protocol):
        @property
        def decoded(self) -> bool: ...
        @property
        def keys(self) -> tuple[KeyEntry, ...]: ...
        @property
        def mac(self) -> MacInfo | None: ...

__all__ = [
    "Profile",
    "MacSpec",
    "MODERN",
    "MODERN_PBMAC1",
    "LEGACY_3DES",
    "LEGACY_RC2",
    "JAVA",
    "PASSWORDLESS",
    "PROFILES",
    "LAYOUTS",
    "group",
    "profile_of",
]

# How entries are grouped into the AuthenticatedSafe's ContentInfos:
# - "certs-then-keys": certificates, CRLs, secrets and unknown bags in one safe (encrypted with
#   cert_protection), then keys in a data safe — what OpenSSL's PKCS12_create writes;
# - "keys-then-certs": the same two safes in the JDK's order (keys first);
# - "single": one safe holding everything, encrypted with cert_protection — what the Cisco ASA
#   exports (keys inside the encrypted safe);
# - "as-decoded": the safes of the decoded file, each with its own protection (lossless rewrite).
LAYOUTS = ("certs-then-keys", "keys-then-certs", "single", "as-decoded")


@dataclasses.dataclass(frozen=True)
class MacSpec:
    """The MAC to write: ``kind`` ``"hmac"`` (RFC 7292 appendix B KDF + HMAC) or ``"pbmac1"``
    (RFC 9579: PBKDF2 with ``prf`` then HMAC with ``digest``, ``key_length`` octets).

    ``allow_weak=True`` is the explicit opt-in to write an MD5 MAC (`openssl pkcs12 -macalg md5`
    interop); without it encoding raises `EncodeError` (docs/algorithms.md#weak-macs).
    """

    kind: str = "hmac"
    digest: str = "sha256"
    iterations: int = 2048
    salt_length: int = 8
    prf: str | None = None
    key_length: int | None = None
    allow_weak: bool = dataclasses.field(default=False, compare=False)

    def replace(self, **changes: Any) -> "MacSpec":
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True)
class Profile:
    """How to protect and lay out a PKCS#12 file.

    - ``key_protection``: encryption of each private key (a pkcs8ShroudedKeyBag), or None to
      write plain keyBags.
    - ``cert_protection``: encryption of the certificate safe (encryptedData), or None to write it
      as a plain data safe.
    - ``mac``: a `MacSpec`, or None for no integrity protection.
    - ``layout``: one of `LAYOUTS`.
    """

    name: str
    key_protection: Protection | None
    cert_protection: Protection | None
    mac: MacSpec | None
    layout: str = "certs-then-keys"
    description: str = dataclasses.field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}, not {self.layout!r}")

    def replace(self, **changes: Any) -> "Profile":
        """A copy with fields changed; the name gains a ``+custom`` suffix unless given."""
        if "name" not in changes and not self.name.endswith("+custom"):
            changes["name"] = self.name + "+custom"
        return dataclasses.replace(self, **changes)

    def with_iterations(self, iterations: int) -> "Profile":
        """The same profile with every KDF and MAC iteration count set to ``iterations``."""
        changes: dict[str, Any] = {}
        if self.key_protection is not None and self.key_protection.kdf != "scrypt":
            changes["key_protection"] = self.key_protection.replace(iterations=iterations)
        if self.cert_protection is not None and self.cert_protection.kdf != "scrypt":
            changes["cert_protection"] = self.cert_protection.replace(iterations=iterations)
        if self.mac is not None:
            changes["mac"] = self.mac.replace(iterations=iterations)
        return self.replace(**changes)

    def with_salt_length(self, length: int) -> "Profile":
        """The same profile with every PBE and MAC salt ``length`` octets long."""
        changes: dict[str, Any] = {}
        if self.key_protection is not None:
            changes["key_protection"] = self.key_protection.replace(salt_length=length)
        if self.cert_protection is not None:
            changes["cert_protection"] = self.cert_protection.replace(salt_length=length)
        if self.mac is not None:
            changes["mac"] = self.mac.replace(salt_length=length)
        return self.replace(**changes)

    def with_mac(self, mac: MacSpec | None = None, **changes: Any) -> "Profile":
        """The same profile with another MAC (a `MacSpec`, None for none, or field changes)."""
        if changes:
            mac = (mac or self.mac or MacSpec()).replace(**changes)
        return self.replace(mac=mac)

    def with_key_protection(self, protection: Protection | None) -> "Profile":
        return self.replace(key_protection=protection)

    def with_cert_protection(self, protection: Protection | None) -> "Profile":
        return self.replace(cert_protection=protection)

    def with_layout(self, layout: str) -> "Profile":
        return self.replace(layout=layout)


def _pbes2(
    cipher: str = "aes256_cbc", prf: str = "sha256", iterations: int = 2048, salt_length: int = 8
) -> Protection:
    return Protection("pbes2", cipher=cipher, kdf="pbkdf2", prf=prf, iterations=iterations, salt_length=salt_length)


def _pkcs12(scheme: str, iterations: int = 2048, salt_length: int = 8) -> Protection:
    cipher = {
        "pkcs12_sha1_tripledes_3key": "tripledes_3key",
        "pkcs12_sha1_tripledes_2key": "tripledes_2key",
        "pkcs12_sha1_rc2_40": "rc2",
        "pkcs12_sha1_rc2_128": "rc2",
        "pkcs12_sha1_rc4_40": "rc4",
        "pkcs12_sha1_rc4_128": "rc4",
    }[scheme]
    bits = {"pkcs12_sha1_rc2_40": 40, "pkcs12_sha1_rc2_128": 128}.get(scheme)
    return Protection(scheme, cipher=cipher, kdf="pkcs12", prf="sha1", iterations=iterations,
                      salt_length=salt_length, rc2_bits=bits)


MODERN = Profile(
    "MODERN",
    key_protection=DEFAULT_PBES2,
    cert_protection=DEFAULT_PBES2,
    mac=MacSpec("hmac", "sha256", 2048, 8),
    description="OpenSSL 3 default: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), HMAC-SHA256 MAC. "
    "Read by OpenSSL >= 1.1.1, Java >= 12 (8u301), Windows Server >= 2019, macOS >= 26 (with -f pkcs12), "
    "IOS-XE 26. Refused by Cisco ASA/FTD, IOS-XE <= 17.9, Windows <= 2016, Android <= 13.",
)
MODERN_PBMAC1 = Profile(
    "MODERN_PBMAC1",
    key_protection=_pbes2(),
    cert_protection=_pbes2(),
    mac=MacSpec("pbmac1", "sha256", 2048, 8, prf="sha256", key_length=32),
    description="MODERN with a PBMAC1 MAC (RFC 9579), as OpenSSL >= 3.4 -pbmac1_pbkdf2 and go-pkcs12 "
    "Modern2026 write. Read by OpenSSL >= 3.4, JDK >= 26, BouncyCastle >= 1.80, go-pkcs12 >= 0.6.",
)
LEGACY_3DES = Profile(
    "LEGACY_3DES",
    key_protection=_pkcs12("pkcs12_sha1_tripledes_3key"),
    cert_protection=_pkcs12("pkcs12_sha1_tripledes_3key"),
    mac=MacSpec("hmac", "sha1", 2048, 8),
    description="pbeWithSHAAnd3-KeyTripleDES-CBC for key and certificates, HMAC-SHA1 MAC, 2048 iterations: "
    "readable everywhere, Cisco IOS/IOS-XE/ASA/FTD (FIPS too), Windows <= 2016, macOS, Android, Java 8. "
    "Costs: 3DES (112-bit) and a SHA-1-based KDF; acceptable for transport, not for storage at rest.",
)
LEGACY_RC2 = Profile(
    "LEGACY_RC2",
    key_protection=_pkcs12("pkcs12_sha1_tripledes_3key"),
    cert_protection=_pkcs12("pkcs12_sha1_rc2_40"),
    mac=MacSpec("hmac", "sha1", 2048, 8),
    description="What `openssl pkcs12 -legacy` (and OpenSSL 1.x by default) writes: RC2-40 certificates, "
    "3DES key, HMAC-SHA1. The certificates' 40-bit encryption is no protection at all; "
    "OpenSSL 3 reads it only with the legacy provider, FIPS-mode FTD refuses it.",
)
JAVA = Profile(
    "JAVA",
    key_protection=_pbes2(iterations=10000, salt_length=20),
    cert_protection=_pbes2(iterations=10000, salt_length=20),
    mac=MacSpec("hmac", "sha256", 10000, 20),
    layout="keys-then-certs",
    description="JDK >= 12 keytool defaults (keystore.pkcs12.*: PBEWithHmacSHA256AndAES_256, 10,000 "
    "iterations, HmacPBESHA256 MAC, 20-byte salts), keys first. Read by Java >= 12 (8u301), OpenSSL >= 1.1.1.",
)
PASSWORDLESS = Profile(
    "PASSWORDLESS",
    key_protection=None,
    cert_protection=None,
    mac=None,
    description="No encryption and no MAC (`openssl pkcs12 -export -keypbe NONE -certpbe NONE -nomac`): "
    "trust stores and tests. Anyone who gets the file gets the key.",
)

PROFILES = {p.name: p for p in (MODERN, MODERN_PBMAC1, LEGACY_3DES, LEGACY_RC2, JAVA, PASSWORDLESS)}


def group(p12: _Laid, layout: str) -> list[tuple[str | int, list[Entry]]]:
    """Group ``p12.entries`` into safes: a list of (``"certs"``|``"keys"``|``"all"``|safe index,
    entries), following a profile layout (see `LAYOUTS`)."""
    entries = p12.entries
    if layout == "as-decoded" and p12.safes and sum(s.bag_count for s in p12.safes) == len(entries):
        return [(index, [entries[i] for i in safe.entries]) for index, safe in enumerate(p12.safes)]
    if layout == "single":
        return [("all", list(entries))] if entries else []
    keys: list[Entry] = []
    others: list[Entry] = []
    for entry in entries:
        (keys if is_shrouded(entry) else others).append(entry)
    groups: list[tuple[str | int, list[Entry]]] = [("certs", others), ("keys", keys)]
    if layout == "keys-then-certs":
        groups.reverse()
    return [(name, items) for name, items in groups if items]


def profile_of(p12: _Decoded) -> "Profile | None":
    """The profile a decoded ``p12`` matches (`PKCS12.profile`): a named one when its key and
    certificate protection, MAC and safe layout are exactly that profile's, else a ``"custom"``
    profile with layout ``"as-decoded"``; None for a value built in memory."""
    if not p12.decoded:
        return None
    key_protection = next((key.protection for key in p12.keys), None)
    cert_protection = next((safe.protection for safe in p12.safes if safe.protection), None)
    mac = None
    if p12.mac is not None:
        mac = MacSpec(p12.mac.kind, p12.mac.digest, p12.mac.iterations, len(p12.mac.salt),
                      p12.mac.prf, p12.mac.key_length)
    decoded = [(safe.kind == "encryptedData", safe.entries) for safe in p12.safes]
    position = {id(entry): index for index, entry in enumerate(p12.entries)}
    # Named profiles write flat SafeContents; a file with nested bags keeps "as-decoded".
    nested = any(safe.nesting for safe in p12.safes)
    for named in PROFILES.values():
        if nested:
            break
        if (named.key_protection, named.cert_protection, named.mac) != (key_protection, cert_protection, mac):
            continue
        expected = [
            (name != "keys" and named.cert_protection is not None, tuple(position[id(e)] for e in entries))
            for name, entries in group(p12, named.layout)
        ]
        if expected == decoded:
            return named
    return Profile("custom", key_protection, cert_protection, mac, layout="as-decoded",
                   description="the protection and layout of a decoded file")
