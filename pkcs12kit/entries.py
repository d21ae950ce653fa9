"""The entries of a PKCS#12 file: frozen values that keep each bag's DER and parse it on demand.

Exports: KeyEntry, CertEntry, CrlEntry, SecretEntry, UnknownBag, is_shrouded,
SECRET_KEY_ALGORITHMS.

Entries keep the bytes the file had (a PKCS#8 key, an X.509 certificate or CRL) and build the
asn1crypto object on first access, so decoding a chain of thousands of certificates parses none
of them until someone asks (RFC 7292 section 4.2 for the bag types).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from typing import TYPE_CHECKING, Union, cast

from . import inputs, parsed, pem, tlv, x509fields
from .attributes import ATTRIBUTE_OIDS, Attribute, Attributed, make_attributes
from .errors import MalformedError
from .protection import DEFAULT_PBES2, Protection

if TYPE_CHECKING:
    from .x509names import X509Name
    from collections.abc import Iterable

    from asn1crypto import crl as asn1_crl
    from asn1crypto import keys, x509

    from .inputs import CertificateInput, CrlInput, PrivateKeyInput
    from .pkcs8 import RandomSource

    # Any entry of a PKCS12 (`PKCS12.entries`).
    Entry = Union["KeyEntry", "CertEntry", "CrlEntry", "SecretEntry", "UnknownBag"]

__all__ = ["KeyEntry", "CertEntry", "CrlEntry", "SecretEntry", "UnknownBag", "is_shrouded", "SECRET_KEY_ALGORITHMS"]


# Parsing with bounded nesting, validated key sizes and cached failures (issue 15 rows 5, 11, 12).
_parse_once = parsed.parse_once


@dataclasses.dataclass(frozen=True)
class KeyEntry(Attributed):
    """A private key: a keyBag or a decrypted pkcs8ShroudedKeyBag (RFC 7292 4.2.1, 4.2.2).

    ``der`` is the unencrypted PKCS#8 ``PrivateKeyInfo``; ``protection`` how the file had it
    encrypted (None for a plain keyBag or a key built in memory).
    """

    der: bytes
    attributes: tuple[Attribute, ...] = ()
    protection: Protection | None = dataclasses.field(default=None, compare=False)

    @property
    def private_key(self) -> keys.PrivateKeyInfo:
        """The key as an ``asn1crypto.keys.PrivateKeyInfo`` (parsed on first access)."""
        from asn1crypto import keys  # import time: asn1crypto loads only when a value is parsed

        return cast(keys.PrivateKeyInfo, _parse_once(self, "_private_key", keys.PrivateKeyInfo.load, "private key", "key"))

    @property
    def algorithm(self) -> str:
        """``"rsa"``, ``"ec"``, ``"ed25519"``, ``"dsa"`` ... (asn1crypto's naming)."""
        return cast(str, self.private_key.algorithm)

    @property
    def key_size(self) -> int | None:
        """The key size in bits (`parsed.key_size`): unlike asn1crypto's ``bit_size`` it also
        sizes Ed25519/X25519/Ed448/X448 keys, and raises only MalformedError."""
        return parsed.key_size(self.private_key, "private key")

    @classmethod
    def from_key(
        cls, key: PrivateKeyInput, *, friendly_name: str | None = None, local_key_id: bytes | None = None,
        attributes: Iterable[Attribute] = (),
    ) -> "KeyEntry":
        """A KeyEntry from an ``asn1crypto.keys.PrivateKeyInfo``, a ``cryptography`` private key,
        or PEM/DER (PKCS#8, PKCS#1 or SEC 1) bytes or text."""
        return cls(inputs.private_key_der(key), make_attributes(friendly_name, local_key_id, attributes))

    def to_pem(
        self, password: str | bytes | None = None, *, protection: Protection | None = None, random: RandomSource = None
    ) -> str:
        """The key as PEM: ``PRIVATE KEY`` (PKCS#8, RFC 5958), or with a password
        ``ENCRYPTED PRIVATE KEY`` (RFC 5958 section 3) under ``protection`` (default: MODERN's
        PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256) — what ``openssl pkey -passin`` reads."""
        if password is None:
            return pem.pem_text(self.der, "PRIVATE KEY")
        # import time: the PBE machinery (asn1crypto's algos, a cipher provider) loads on first use
        from . import pkcs8

        encrypted = pkcs8.encrypt_private_key(self.der, password, protection=protection or DEFAULT_PBES2, random=random)
        return pem.pem_text(encrypted, "ENCRYPTED PRIVATE KEY")

    def __repr__(self) -> str:
        try:
            info = self.private_key
            desc = info.algorithm
            if desc in ("rsa", "rsassa_pss", "dsa"):
                desc += f" {info.bit_size}"
            elif desc == "ec":
                desc += f" {info.curve[1]}"
        except Exception:
            desc = "unparsable"
        names = self._names_repr()
        return f"KeyEntry({desc}{', ' + names if names else ''})"


@dataclasses.dataclass(frozen=True)
class CertEntry(Attributed):
    """A certificate from a certBag (RFC 7292 4.2.3). ``der`` is the X.509 certificate."""

    der: bytes
    attributes: tuple[Attribute, ...] = ()
    cert_type: str = "x509"

    @property
    def certificate(self) -> x509.Certificate:
        """The certificate as an ``asn1crypto.x509.Certificate`` (parsed on first access)."""
        from asn1crypto import x509  # import time: asn1crypto loads only when a value is parsed

        return cast(x509.Certificate, _parse_once(self, "_certificate", x509.Certificate.load, "certificate", "certificate"))

    @classmethod
    def decoded(cls, der: bytes, attributes: tuple[Attribute, ...], names: dict[bytes, X509Name] | None = None) -> "CertEntry":
        """An x509 CertEntry straight from the decoder's hot path: the same value the constructor
        makes, without the dataclass ``__init__`` overhead (about a third of the per-certificate
        cost on large chains). ``names`` is the file's shared cache of decoded names."""
        entry = object.__new__(cls)
        entry.__dict__.update(der=der, attributes=attributes, cert_type="x509", _names=names)
        return entry

    # --- cheap fields: read at the TLV level by x509fields, parsed once, no asn1crypto ----------

    @property
    def fields(self) -> x509fields.CertificateFields:
        """The certificate's fields located at the TLV level (`x509fields.CertificateFields`),
        cached; raises MalformedError when the DER is not a certificate."""
        cached = self.__dict__.get("_fields")
        if cached is None:
            cached = x509fields.read_certificate_fields(self.der, self.__dict__.get("_names"))
            self.__dict__["_fields"] = cached
        return cached

    @property
    def subject(self) -> x509fields.X509Name:
        """The subject name (``.rfc4514``, ``.human_friendly``, ``.der``), decoded once per file."""
        return self.fields.subject

    @property
    def issuer(self) -> x509fields.X509Name:
        """The issuer name (``.rfc4514``, ``.human_friendly``, ``.der``), decoded once per file."""
        return self.fields.issuer

    @property
    def serial_number(self) -> int:
        return self.fields.serial_number

    @property
    def not_before(self) -> datetime.datetime:
        """notBefore as an aware UTC datetime (RFC 5280 section 4.1.2.5)."""
        return self.fields.not_before

    @property
    def not_after(self) -> datetime.datetime:
        """notAfter as an aware UTC datetime (RFC 5280 section 4.1.2.5)."""
        return self.fields.not_after

    @property
    def public_key_info(self) -> x509fields.PublicKeyInfo:
        """``(algorithm, bits, curve)`` of the certified public key."""
        return self.fields.public_key_info

    def fingerprint(self, algorithm: str = "sha256") -> bytes:
        """The ``hashlib`` digest of the certificate's DER, e.g. SHA-256 (cached; works on any
        DER, parsable or not)."""
        digests: dict[str, bytes] = self.__dict__.setdefault("_digests", {})
        digest = digests.get(algorithm)
        if digest is None:
            digest = digests[algorithm] = hashlib.new(algorithm, self.der).digest()
        return digest

    @classmethod
    def from_certificate(
        cls, certificate: CertificateInput, *, friendly_name: str | None = None, local_key_id: bytes | None = None,
        trusted_usage: str | Iterable[str] | None = None, attributes: Iterable[Attribute] = (),
    ) -> "CertEntry":
        """A CertEntry from an ``asn1crypto.x509.Certificate``, a ``cryptography`` certificate, or
        PEM/DER. ``trusted_usage`` (a dotted OID or several) adds the Java trusted-key-usage
        attribute that marks a trust-store anchor (``"2.5.29.37.0"``: any purpose)."""
        extra = tuple(attributes)
        if trusted_usage is not None:
            usages = (trusted_usage,) if isinstance(trusted_usage, str) else tuple(trusted_usage)
            values = tuple(tlv.encode_oid(usage) for usage in usages)
            extra += (Attribute(ATTRIBUTE_OIDS["trusted_key_usage"], values),)
        return cls(inputs.certificate_der(certificate), make_attributes(friendly_name, local_key_id, extra))

    def to_pem(self) -> str:
        """The certificate as a PEM ``CERTIFICATE`` block (RFC 7468 section 5)."""
        return pem.pem_text(self.der, "CERTIFICATE")

    @property
    def trusted_key_usage(self) -> tuple[str, ...] | None:
        """The Java trusted-key-usage purposes (dotted OIDs), or None when not a trust anchor."""
        attribute = self.attribute("trusted_key_usage")
        if attribute is None:
            return None
        purposes = []
        for value in attribute.values:
            try:
                node = tlv.read_all(value, "trusted key usage")
                if node.tag == tlv.OID:
                    purposes.append(tlv.oid_dotted(value[node.start:node.end], "trusted key usage"))
            except MalformedError:
                continue  # a malformed purpose is not a purpose; the attribute is kept as it is
        return tuple(purposes)

    def __repr__(self) -> str:
        try:
            subject = self.subject.human_friendly
        except Exception:
            subject = "unparsable"
        names = self._names_repr()
        return f"CertEntry({subject!r}{', ' + names if names else ''})"


@dataclasses.dataclass(frozen=True)
class CrlEntry(Attributed):
    """A CRL from a crlBag (RFC 7292 4.2.4). ``der`` is the X.509 CRL."""

    der: bytes
    attributes: tuple[Attribute, ...] = ()
    crl_type: str = "1.2.840.113549.1.9.23.1"

    @property
    def crl(self) -> asn1_crl.CertificateList:
        """The CRL as an ``asn1crypto.crl.CertificateList`` (parsed on first access)."""
        from asn1crypto import crl  # import time: asn1crypto loads only when a value is parsed

        return cast(crl.CertificateList, _parse_once(self, "_crl", crl.CertificateList.load, "crl"))

    @classmethod
    def from_crl(
        cls, crl: CrlInput, *, friendly_name: str | None = None, attributes: Iterable[Attribute] = ()
    ) -> "CrlEntry":
        """A CrlEntry from an asn1crypto ``CertificateList``, a ``cryptography`` CRL, or PEM/DER."""
        return cls(inputs.crl_der(crl), make_attributes(friendly_name, None, attributes))

    def to_pem(self) -> str:
        """The CRL as a PEM ``X509 CRL`` block (RFC 7468 section 6)."""
        return pem.pem_text(self.der, "X509 CRL")

    def __repr__(self) -> str:
        return f"CrlEntry({len(self.der)} bytes)"


# Key algorithm OIDs the JDK writes in secret-key entries (JCA names, lowercased).
SECRET_KEY_ALGORITHMS = {
    "2.16.840.1.101.3.4.1": "aes",
    "1.2.840.113549.2.7": "hmac_sha1",
    "1.2.840.113549.2.9": "hmac_sha256",
    "1.2.840.113549.2.10": "hmac_sha384",
    "1.2.840.113549.2.11": "hmac_sha512",
    "1.2.840.113549.3.7": "tripledes",
    "1.3.14.3.2.7": "des",
}


@dataclasses.dataclass(frozen=True)
class SecretEntry(Attributed):
    """A secretBag (RFC 7292 section 4.2.5).

    ``type_id`` is the dotted secretTypeId. ``value`` is the secret itself: for the RFC 7292 form
    (secretValue an OCTET STRING) its contents; for the SunJCE form that keytool writes for
    secret keys (secretTypeId pkcs8ShroudedKeyBag, the value an encrypted PKCS#8 structure) the
    decrypted key octets, with ``algorithm`` naming the key algorithm (``"aes"``,
    ``"hmac_sha256"`` ...). ``value_der`` is secretValue as stored in the file; ``pkcs8`` the
    decrypted PKCS#8 structure of the SunJCE form (re-encrypted when the file is written).
    """

    type_id: str
    value: bytes
    attributes: tuple[Attribute, ...] = ()
    algorithm: str | None = dataclasses.field(default=None, compare=False)
    value_der: bytes | None = dataclasses.field(default=None, compare=False, repr=False)
    pkcs8: bytes | None = dataclasses.field(default=None, compare=False, repr=False)
    protection: Protection | None = dataclasses.field(default=None, compare=False)

    @classmethod
    def java_secret_key(
        cls, key: bytes, algorithm_oid: str, *, friendly_name: str | None = None, local_key_id: bytes | None = None
    ) -> "SecretEntry":
        """A secret key as keytool stores it (SunJCE form): a PKCS#8 structure with the key
        algorithm (e.g. ``"2.16.840.1.101.3.4.1"`` for AES) and the raw key, shrouded like a
        private key when written."""
        pkcs8 = tlv.encode(
            tlv.SEQUENCE,
            tlv.encode(tlv.INTEGER, b"\x00")
            + tlv.encode(tlv.SEQUENCE, tlv.encode_oid(algorithm_oid))
            + tlv.encode(tlv.OCTET_STRING, bytes(key)),
        )
        shrouded_oid = "1.2.840.113549.1.12.10.1.2"
        name = SECRET_KEY_ALGORITHMS.get(algorithm_oid, algorithm_oid)
        return cls(shrouded_oid, bytes(key), make_attributes(friendly_name, local_key_id), name, None, pkcs8)

    def __repr__(self) -> str:
        names = self._names_repr()
        return f"SecretEntry({self.algorithm or self.type_id}, {len(self.value)} bytes{', ' + names if names else ''})"


@dataclasses.dataclass(frozen=True)
class UnknownBag(Attributed):
    """A bag of a type pkcs12kit does not interpret, kept byte for byte for lossless rewriting."""

    bag_id: str
    value_der: bytes
    attributes: tuple[Attribute, ...] = ()

    def __repr__(self) -> str:
        return f"UnknownBag({self.bag_id}, {len(self.value_der)} bytes)"


def is_shrouded(entry: object) -> bool:
    """Whether ``entry`` is written as (or inside) a shrouded key: it belongs with the keys."""
    return isinstance(entry, KeyEntry) or (isinstance(entry, SecretEntry) and entry.pkcs8 is not None)
