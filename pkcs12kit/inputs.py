"""Turn what users hand the builder into DER: asn1crypto objects, ``cryptography`` objects, or
PEM/DER bytes and text.

Exports: private_key_der, certificate_der, crl_der, pem_blocks.

Private keys become unencrypted PKCS#8 ``PrivateKeyInfo`` (RFC 5208 section 5); certificates and
CRLs their X.509 DER (RFC 5280). PEM follows RFC 7468 (textual encodings).
"""

from __future__ import annotations

import binascii
import re
from typing import TYPE_CHECKING, Union, cast

from . import tlv
from .errors import MalformedError

if TYPE_CHECKING:
    from asn1crypto import crl as asn1_crl
    from asn1crypto import keys, x509
    from cryptography import x509 as pyca_x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    # What the builders accept: an asn1crypto object, a cryptography object, PEM or DER.
    PrivateKeyInput = Union[keys.PrivateKeyInfo, PrivateKeyTypes, str, bytes, bytearray]
    CertificateInput = Union[x509.Certificate, pyca_x509.Certificate, str, bytes, bytearray]
    CrlInput = Union[asn1_crl.CertificateList, pyca_x509.CertificateRevocationList, str, bytes, bytearray]

__all__ = ["private_key_der", "certificate_der", "crl_der", "pem_blocks"]

_PEM = re.compile(
    r"-----BEGIN ([A-Z0-9 #]+)-----\s*(?:[A-Za-z-]+:[^\n]*\n\s*)*([A-Za-z0-9+/=\s]*?)-----END \1-----"
)


def pem_blocks(text: str | bytes | bytearray) -> list[tuple[str, bytes]]:
    """Every ``-----BEGIN X-----`` block in ``text`` as (label, DER), in order (RFC 7468)."""
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("ascii", "replace")
    blocks = []
    for match in _PEM.finditer(text):
        try:
            blocks.append((match.group(1), binascii.a2b_base64("".join(match.group(2).split()))))
        except binascii.Error as err:
            raise MalformedError(f"PEM {match.group(1)} block: invalid base64: {err}") from err
    return blocks


def _single_der(value: object, labels: tuple[str, ...], what: str) -> bytes:
    """DER from PEM text/bytes with one of ``labels``, or DER bytes as they are."""
    if isinstance(value, str) or (isinstance(value, (bytes, bytearray)) and b"-----BEGIN" in value[:4096]):
        for label, der in pem_blocks(value):
            if label in labels:
                return der
        raise MalformedError(f"{what}: no PEM block labelled {' or '.join(labels)} found")
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        node = tlv.read_all(data, what)
        if node.tag != tlv.SEQUENCE:
            raise MalformedError(f"{what}: DER input must be a SEQUENCE")
        return data
    raise TypeError(f"{what}: unsupported input type {type(value).__name__}")


def private_key_der(key: PrivateKeyInput) -> bytes:
    """A private key as unencrypted PKCS#8 DER.

    Accepts an ``asn1crypto.keys.PrivateKeyInfo``, a ``cryptography`` private key, or PEM/DER
    bytes or text in PKCS#8, PKCS#1 (``RSA PRIVATE KEY``) or SEC 1 (``EC PRIVATE KEY``) form.
    """
    from asn1crypto import keys

    if isinstance(key, keys.PrivateKeyInfo):
        return cast(bytes, key.dump())
    if hasattr(key, "private_bytes"):  # a cryptography private key
        from cryptography.hazmat.primitives import serialization

        return key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    if isinstance(key, (str, bytes, bytearray)):
        from cryptography.hazmat.primitives import serialization

        raw = key.encode() if isinstance(key, str) else bytes(key)
        try:
            if b"-----BEGIN" in raw:
                loaded = serialization.load_pem_private_key(raw, None, unsafe_skip_rsa_key_validation=True)
            else:
                loaded = serialization.load_der_private_key(raw, None, unsafe_skip_rsa_key_validation=True)
        except (ValueError, TypeError) as err:
            raise MalformedError(f"private key: cannot load it (encrypted or not a key?): {err}") from err
        except Exception as err:  # cryptography's UnsupportedAlgorithm and InternalError
            raise MalformedError(f"private key: cannot load it ({type(err).__name__})") from None
        return private_key_der(loaded)
    raise TypeError(f"private key: unsupported input type {type(key).__name__}")


def certificate_der(certificate: CertificateInput) -> bytes:
    """An X.509 certificate's DER from asn1crypto, cryptography, or PEM/DER bytes or text."""
    from asn1crypto import x509

    if isinstance(certificate, x509.Certificate):
        return cast(bytes, certificate.dump())
    if hasattr(certificate, "public_bytes") and hasattr(certificate, "serial_number"):
        from cryptography.hazmat.primitives import serialization

        return certificate.public_bytes(serialization.Encoding.DER)
    return _single_der(certificate, ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"), "certificate")


def crl_der(crl: CrlInput) -> bytes:
    """An X.509 CRL's DER from asn1crypto, cryptography, or PEM/DER bytes or text."""
    from asn1crypto import crl as asn1_crl

    if isinstance(crl, asn1_crl.CertificateList):
        return cast(bytes, crl.dump())
    if hasattr(crl, "public_bytes") and hasattr(crl, "next_update_utc"):
        from cryptography.hazmat.primitives import serialization

        return crl.public_bytes(serialization.Encoding.DER)
    return _single_der(crl, ("X509 CRL",), "crl")
