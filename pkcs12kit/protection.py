"""How data is protected: the values that describe a password-based encryption or a MAC.

Exports: Protection, MacInfo.

These are parameter descriptions, not algorithms: `pbe` encrypts and decrypts under a
`Protection`, `mac` computes and verifies what a `MacInfo` describes. They live at the bottom of
the crypto layer so that the crypto code and the user-facing values above it share one
definition (docs/development.md#layers).
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["Protection", "MacInfo", "DEFAULT_PBES2"]


@dataclasses.dataclass(frozen=True)
class MacInfo:
    """How a file's integrity is protected (RFC 7292 section 4 ``MacData``; RFC 9579 PBMAC1).

    ``kind`` is ``"hmac"`` (PKCS#12 KDF, RFC 7292 appendix B, then HMAC) or ``"pbmac1"``.
    ``digest`` is the HMAC hash in asn1crypto naming (``"sha1"``, ``"sha256"`` ...).
    For PBMAC1, ``iterations`` and ``salt`` are PBKDF2's (the MacData fields are ignored, as
    RFC 9579 section 6 says), ``prf`` is PBKDF2's PRF hash and ``key_length`` its keyLength.
    """

    kind: str
    digest: str
    iterations: int
    salt: bytes
    prf: str | None = None
    key_length: int | None = None

    def __repr__(self) -> str:
        extra = f", prf={self.prf!r}, key_length={self.key_length}" if self.kind == "pbmac1" else ""
        return (
            f"MacInfo(kind={self.kind!r}, digest={self.digest!r}, iterations={self.iterations}, "
            f"salt_length={len(self.salt)}{extra})"
        )


@dataclasses.dataclass(frozen=True)
class Protection:
    """How one encrypted safe or shrouded key was (or is to be) encrypted.

    Enough to re-encode the same scheme: ``pbe.encrypt`` takes a Protection plus fresh salt/IV.

    - ``scheme``: asn1crypto's algorithm name: ``"pkcs12_sha1_tripledes_3key"``,
      ``"pkcs12_sha1_rc2_40"``, ``"pbes1_md5_des"``, ``"pbes2"`` ...
    - ``cipher``: the block/stream cipher: ``"aes256_cbc"``, ``"tripledes_3key"``, ``"des"``,
      ``"rc2"``, ``"rc4"`` ...
    - ``kdf``: ``"pkcs12"`` (RFC 7292 appendix B), ``"pbkdf1"``, ``"pbkdf2"`` or ``"scrypt"``.
    - ``prf``: PBKDF2's PRF hash (``"sha256"``) or the PKCS#12/PBES1 hash (``"sha1"``, ``"md5"``).
    - ``iterations``, ``salt_length``: KDF parameters (scrypt has no iterations: None).
    - ``key_length``: PBES2's explicit PBKDF2/scrypt keyLength when the file carries one.
    - ``rc2_bits``: RC2 effective key bits (40, 64, 128 ...) when the cipher is RC2.
    - ``scrypt_n``, ``scrypt_r``, ``scrypt_p``: scrypt cost parameters.
    """

    scheme: str
    cipher: str | None = None
    kdf: str | None = None
    prf: str | None = None
    iterations: int | None = None
    salt_length: int | None = None
    key_length: int | None = None
    rc2_bits: int | None = None
    scrypt_n: int | None = None
    scrypt_r: int | None = None
    scrypt_p: int | None = None

    def replace(self, **changes: Any) -> "Protection":
        """Return a copy with some fields changed (e.g. ``iterations``)."""
        return dataclasses.replace(self, **changes)


# OpenSSL 3's default (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, 2048 iterations, 8-byte salt;
# RFC 8018 section 6.2): the MODERN profile's key and certificate protection, and what
# `KeyEntry.to_pem(password)` encrypts with when no protection is named.
DEFAULT_PBES2 = Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", prf="sha256", iterations=2048, salt_length=8)
