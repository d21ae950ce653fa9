"""The parties of RFC 7292's public-key modes (section 3.1): who signs a file, who can open it,
and whom a reader trusts.

Exports: Signer, Recipient, trust_ders, recipient_ders, recipient_pairs.

`Signer` and `Recipient` take keys and certificates in every form `inputs` reads (asn1crypto,
``cryptography``, PEM/DER bytes or text, ready entries) and turn them into DER when the encoder
asks; a `PKCS12` can stand in for a key with its certificate (its identity). See
docs/public-key-modes.md.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .entries import CertEntry, KeyEntry
from .inputs import certificate_der, pem_blocks, private_key_der
from .protection import UNVERIFIED

__all__ = ["Signer", "Recipient", "trust_ders", "recipient_ders", "recipient_pairs"]


def _key_der(key: Any) -> bytes:
    if isinstance(key, KeyEntry):
        return key.der
    return private_key_der(key)


def _cert_der(certificate: Any) -> bytes:
    if isinstance(certificate, CertEntry):
        return certificate.der
    return certificate_der(certificate)


def _identity(p12: Any, what: str) -> tuple[bytes, bytes]:
    """(key DER, certificate DER) of a PKCS12's identity."""
    if p12.key is None or p12.certificate is None:
        raise ValueError(f"{what}: the PKCS12 given has no key with a certificate")
    return p12.key.der, p12.certificate.der


@dataclasses.dataclass(frozen=True)
class Signer:
    """Signs the authenticated safe (public-key integrity mode; RFC 5652 section 5):
    ``dumps(p12, None, signer=Signer(key, certificate))``.

    - ``key``, ``certificate``: the signer's RSA or EC key and its certificate; or pass a decoded
      `PKCS12` as ``key`` and leave ``certificate`` None to use its identity.
    - ``chain``: more certificates to carry in the SignedData (the signer's issuers), so a reader
      that trusts only the root can build the chain.
    - ``digest``: ``"sha256"`` (default), ``"sha384"``, ``"sha512"`` or ``"sha224"``.
    - ``rsa_padding``: ``"pkcs1v15"`` (default, what OpenSSL writes) or ``"pss"``.
    """

    key: Any
    certificate: Any = None
    chain: tuple[Any, ...] = ()
    digest: str = "sha256"
    rsa_padding: str = "pkcs1v15"

    def ders(self) -> tuple[bytes, bytes, tuple[bytes, ...]]:
        """(PKCS#8 key DER, certificate DER, chain DERs)."""
        if self.certificate is None and hasattr(self.key, "certificate") and hasattr(self.key, "entries"):
            key, cert = _identity(self.key, "signer")
        elif self.certificate is None:
            raise TypeError("signer: a certificate is needed with the key")
        else:
            key, cert = _key_der(self.key), _cert_der(self.certificate)
        return key, cert, tuple(_cert_der(item) for item in self.chain)


@dataclasses.dataclass(frozen=True)
class Recipient:
    """A certificate an envelopedData safe is encrypted for (public-key privacy mode; RFC 5652
    section 6). RSA keys get key transport (``rsa_padding``: ``"oaep"``, the default, with
    SHA-256; or ``"pkcs1v15"``), EC keys ephemeral-static ECDH (RFC 5753)."""

    certificate: Any
    rsa_padding: str = "oaep"

    def ders(self) -> tuple[bytes, str]:
        return _cert_der(self.certificate), self.rsa_padding


def recipient_pairs(recipients: Any) -> list[tuple[bytes, str]]:
    """``dumps(recipients=...)``: each a `Recipient` or a certificate → (certificate DER, rsa_padding)."""
    if isinstance(recipients, (Recipient, str, bytes, CertEntry)) or not hasattr(recipients, "__iter__"):
        recipients = [recipients]
    return [(item if isinstance(item, Recipient) else Recipient(item)).ders() for item in recipients]


def trust_ders(trust: Any) -> Any:
    """``loads(trust=...)`` → `UNVERIFIED`, or a tuple of anchor DERs. Takes an iterable of
    certificates (any input form), a PEM bundle, or a `PKCS12` (its certificates)."""
    if trust is UNVERIFIED:
        return trust
    if isinstance(trust, str) or isinstance(trust, bytes) and b"-----BEGIN" in trust[:4096]:
        return tuple(der for label, der in pem_blocks(trust) if label in ("CERTIFICATE", "TRUSTED CERTIFICATE"))
    if isinstance(trust, bytes):
        return (_cert_der(trust),)
    if hasattr(trust, "certificates") and hasattr(trust, "entries"):
        return tuple(entry.der for entry in trust.certificates)
    if not hasattr(trust, "__iter__"):
        return (_cert_der(trust),)
    return tuple(_cert_der(item) for item in trust)


def recipient_ders(key: Any, certificate: Any) -> tuple[bytes, bytes | None] | None:
    """``loads(recipient_key=..., recipient_certificate=...)`` → (PKCS#8 DER, certificate DER or
    None), or None when no key is given. A `PKCS12` key brings its own certificate."""
    if key is None:
        if certificate is not None:
            raise TypeError("recipient_certificate needs recipient_key")
        return None
    if hasattr(key, "certificate") and hasattr(key, "entries"):
        key_der, cert = _identity(key, "recipient_key")
        return key_der, (_cert_der(certificate) if certificate is not None else cert)
    return _key_der(key), (_cert_der(certificate) if certificate is not None else None)
