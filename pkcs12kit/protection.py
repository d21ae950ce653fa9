"""How data is protected: the values that describe a password-based encryption or a MAC.

Exports: Protection, MacInfo; for the public-key modes SignatureInfo, EnvelopeInfo, UNVERIFIED.

These are parameter descriptions, not algorithms: `pbe` encrypts and decrypts under a
`Protection`, `mac` computes and verifies what a `MacInfo` describes. They live at the bottom of
the crypto layer so that the crypto code and the user-facing values above it share one
definition (docs/development.md#layers).
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["Protection", "MacInfo", "SignatureInfo", "EnvelopeInfo", "UNVERIFIED", "DEFAULT_PBES2"]


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


@dataclasses.dataclass(frozen=True)
class SignatureInfo:
    """How a file's integrity is protected in public-key integrity mode (RFC 7292 section 3.1):
    a CMS SignedData over the authenticated safe (RFC 5652 section 5).

    - ``signer``: the signer's X.509 certificate DER (None when the file does not carry it and
      it was not verified).
    - ``digest``: the SignerInfo's digest algorithm (``"sha256"`` ...).
    - ``algorithm``: ``"rsassa_pkcs1v15"``, ``"rsassa_pss"`` or ``"ecdsa"``.
    - ``verified``: True when the signature, its signed attributes and the signer's chain to a
      trust anchor were all checked; False for ``trust=UNVERIFIED``.
    - ``chain``: the certificates from the signer up to the trust anchor that was reached.
    """

    signer: bytes | None = dataclasses.field(repr=False)
    digest: str
    algorithm: str
    verified: bool
    chain: tuple[bytes, ...] = dataclasses.field(default=(), repr=False)


@dataclasses.dataclass(frozen=True)
class EnvelopeInfo:
    """How one envelopedData safe was encrypted (public-key privacy mode, RFC 5652 section 6).

    - ``key_management``: the RecipientInfo that opened it: ``"rsaes_pkcs1v15"``, ``"rsaes_oaep"``
      (key transport, RFC 5652 section 6.2.1, RFC 3560) or ``"ecdh"`` (ephemeral-static key
      agreement, RFC 5753); ``key_derivation`` the X9.63 KDF hash and ``key_wrap`` the AES key
      wrap (RFC 3394) for ECDH.
    - ``cipher``: the content encryption (``"aes256_cbc"``, ``"tripledes_3key"`` ...).
    - ``recipients``: how many RecipientInfos the envelope holds.
    """

    key_management: str
    cipher: str
    recipients: int = 1
    key_derivation: str | None = None
    key_wrap: str | None = None


class _Unverified:
    """The ``trust=UNVERIFIED`` marker: read a signed file without checking its signature."""

    _instance: "_Unverified | None" = None

    def __new__(cls) -> "_Unverified":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "pkcs12kit.UNVERIFIED"


# Pass as ``loads(..., trust=UNVERIFIED)`` to decode a SignedData file without verifying it; the
# result then says ``signature.verified is False`` (docs/public-key-modes.md#reading-unverified).
UNVERIFIED = _Unverified()
