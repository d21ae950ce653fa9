"""Frozen value objects describing a PKCS#12 file and how it was protected.

Exports: PKCS12, KeyEntry, CertEntry, CrlEntry, SecretEntry, UnknownBag, Attribute, SafeInfo,
MacInfo, Protection.
"""

from __future__ import annotations

import dataclasses

__all__ = [
    "MacInfo",
    "Protection",
    "Attribute",
    "KeyEntry",
    "CertEntry",
    "CrlEntry",
    "SecretEntry",
    "UnknownBag",
    "SafeInfo",
    "PKCS12",
]


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

    def replace(self, **changes) -> "Protection":
        """Return a copy with some fields changed (e.g. ``iterations``)."""
        return dataclasses.replace(self, **changes)


# --- entries -------------------------------------------------------------------------------

# Attribute names (RFC 2985 section 5.5.1 friendlyName, localKeyId; Microsoft; Oracle JDK).
# asn1crypto 1.5.1 names 1.3.6.1.4.1.311.17.1 "microsoft_local_machine_keyset", but that OID is
# Microsoft's CSP name (a BMPString); 311.17.2 is the local-machine key set flag.
ATTRIBUTE_NAMES = {
    "1.2.840.113549.1.9.20": "friendly_name",
    "1.2.840.113549.1.9.21": "local_key_id",
    "1.3.6.1.4.1.311.17.1": "microsoft_csp_name",
    "1.3.6.1.4.1.311.17.2": "microsoft_local_machine_keyset",
    "2.16.840.1.113894.746875.1.1": "trusted_key_usage",
}
ATTRIBUTE_OIDS = {name: oid for oid, name in ATTRIBUTE_NAMES.items()}


@dataclasses.dataclass(frozen=True)
class Attribute:
    """One PKCS#12 bag attribute (RFC 7292 section 4.2, ``PKCS12Attribute``), kept losslessly.

    ``oid`` is the dotted attribute type; ``values`` the DER of each value in file order.
    ``type`` is a readable name for known types, else the dotted OID.
    """

    oid: str
    values: tuple[bytes, ...]

    @property
    def type(self) -> str:
        return ATTRIBUTE_NAMES.get(self.oid, self.oid)

    @property
    def parsed(self) -> tuple:
        """The values as asn1crypto objects (``asn1crypto.core.Asn1Value.load`` of each)."""
        from asn1crypto import core

        return tuple(core.Asn1Value.load(value) for value in self.values)

    def __repr__(self) -> str:
        return f"Attribute({self.type!r}, {len(self.values)} value(s))"


def _bmp_text(value: bytes) -> str | None:
    """Decode one friendlyName value: BMPString (UTF-16-BE; OpenSSL 3 writes surrogate pairs for
    characters outside the BMP) or, as a few producers write, UTF8String."""
    from .tlv import BMP_STRING, UTF8_STRING, read_all

    try:
        tlv = read_all(value, "friendlyName")
    except Exception:
        return None
    contents = value[tlv.start:tlv.end]
    try:
        if tlv.tag == BMP_STRING:
            return contents.decode("utf-16-be")
        if tlv.tag == UTF8_STRING:
            return contents.decode("utf-8")
    except UnicodeDecodeError:
        return contents.decode("utf-16-be" if tlv.tag == BMP_STRING else "utf-8", "replace")
    return None


class _Attributed:
    """Accessors shared by every entry: friendly name, local key id, attributes by name."""

    attributes: tuple[Attribute, ...]

    def attribute(self, name_or_oid: str) -> Attribute | None:
        """The first attribute with this name (``"friendly_name"``) or dotted OID, else None."""
        oid = ATTRIBUTE_OIDS.get(name_or_oid, name_or_oid)
        for attribute in self.attributes:
            if attribute.oid == oid:
                return attribute
        return None

    @property
    def friendly_name(self) -> str | None:
        """The friendlyName attribute (RFC 2985 5.5.1) as text, or None."""
        attribute = self.attribute("friendly_name")
        if attribute is None or not attribute.values:
            return None
        return _bmp_text(attribute.values[0])

    @property
    def local_key_id(self) -> bytes | None:
        """The localKeyId attribute (RFC 2985 5.5.2) octets, or None."""
        from .tlv import OCTET_STRING, read_all

        attribute = self.attribute("local_key_id")
        if attribute is None or not attribute.values:
            return None
        value = attribute.values[0]
        try:
            tlv = read_all(value, "localKeyId")
        except Exception:
            return None
        if tlv.tag != OCTET_STRING:
            return None
        return value[tlv.start:tlv.end]

    def _names_repr(self) -> str:
        parts = []
        if self.friendly_name is not None:
            parts.append(f"friendly_name={self.friendly_name!r}")
        if self.local_key_id is not None:
            parts.append(f"local_key_id={self.local_key_id.hex()}")
        return ", ".join(parts)


def make_attributes(friendly_name=None, local_key_id=None, extra=()) -> tuple[Attribute, ...]:
    """Bag attributes: friendlyName (a BMPString, RFC 2985 5.5.1), localKeyId (an OCTET STRING,
    RFC 2985 5.5.2), then the ``extra`` `Attribute` values as given."""
    from . import tlv

    attributes = []
    if friendly_name is not None:
        if not isinstance(friendly_name, str):
            raise TypeError(f"friendly_name must be str, not {type(friendly_name).__name__}")
        value = tlv.encode(tlv.BMP_STRING, friendly_name.encode("utf-16-be"))
        attributes.append(Attribute(ATTRIBUTE_OIDS["friendly_name"], (value,)))
    if local_key_id is not None:
        if not isinstance(local_key_id, (bytes, bytearray)):
            raise TypeError(f"local_key_id must be bytes, not {type(local_key_id).__name__}")
        value = tlv.encode(tlv.OCTET_STRING, bytes(local_key_id))
        attributes.append(Attribute(ATTRIBUTE_OIDS["local_key_id"], (value,)))
    return tuple(attributes) + tuple(extra)


def _pem(der: bytes, label: str) -> str:
    """One RFC 7468 PEM block (64-column base64)."""
    from .armor import base64_lines

    return "".join([f"-----BEGIN {label}-----\n", *(line + "\n" for line in base64_lines(der, 64)),
                    f"-----END {label}-----\n"])


def _parse_once(entry, attr: str, loader, what: str):
    """Parse ``entry.der`` with ``loader`` on first access and cache it (entries stay frozen)."""
    cached = entry.__dict__.get(attr)
    if cached is None:
        from .asn1 import PARSE_ERRORS
        from .errors import MalformedError

        try:
            cached = loader(entry.der)
            cached.native  # force a full parse so bad DER fails here, not later in user code
        except PARSE_ERRORS as err:
            raise MalformedError(f"{what}: cannot parse: {err}") from err
        entry.__dict__[attr] = cached
    return cached


@dataclasses.dataclass(frozen=True)
class KeyEntry(_Attributed):
    """A private key: a keyBag or a decrypted pkcs8ShroudedKeyBag (RFC 7292 4.2.1, 4.2.2).

    ``der`` is the unencrypted PKCS#8 ``PrivateKeyInfo``; ``protection`` how the file had it
    encrypted (None for a plain keyBag or a key built in memory).
    """

    der: bytes
    attributes: tuple[Attribute, ...] = ()
    protection: Protection | None = dataclasses.field(default=None, compare=False)

    @property
    def private_key(self):
        """The key as an ``asn1crypto.keys.PrivateKeyInfo`` (parsed on first access)."""
        from asn1crypto import keys

        return _parse_once(self, "_private_key", keys.PrivateKeyInfo.load, "private key")

    @property
    def algorithm(self) -> str:
        """``"rsa"``, ``"ec"``, ``"ed25519"``, ``"dsa"`` ... (asn1crypto's naming)."""
        return self.private_key.algorithm

    @classmethod
    def from_key(cls, key, *, friendly_name=None, local_key_id=None, attributes=()) -> "KeyEntry":
        """A KeyEntry from an ``asn1crypto.keys.PrivateKeyInfo``, a ``cryptography`` private key,
        or PEM/DER (PKCS#8, PKCS#1 or SEC 1) bytes or text."""
        from .inputs import private_key_der

        return cls(private_key_der(key), make_attributes(friendly_name, local_key_id, attributes))

    def to_pem(self, password: str | bytes | None = None, *, protection=None, random=None) -> str:
        """The key as PEM: ``PRIVATE KEY`` (PKCS#8, RFC 5958), or with a password
        ``ENCRYPTED PRIVATE KEY`` (RFC 5958 section 3) under ``protection`` (default: MODERN's
        PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256) — what ``openssl pkey -passin`` reads."""
        if password is None:
            return _pem(self.der, "PRIVATE KEY")
        from .api import encrypt_private_key

        return _pem(encrypt_private_key(self.der, password, protection=protection, random=random),
                    "ENCRYPTED PRIVATE KEY")

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
class CertEntry(_Attributed):
    """A certificate from a certBag (RFC 7292 4.2.3). ``der`` is the X.509 certificate."""

    der: bytes
    attributes: tuple[Attribute, ...] = ()
    cert_type: str = "x509"

    @property
    def certificate(self):
        """The certificate as an ``asn1crypto.x509.Certificate`` (parsed on first access)."""
        from asn1crypto import x509

        return _parse_once(self, "_certificate", x509.Certificate.load, "certificate")

    @classmethod
    def decoded(cls, der: bytes, attributes: tuple[Attribute, ...]) -> "CertEntry":
        """An x509 CertEntry straight from the decoder's hot path: the same value the constructor
        makes, without the dataclass ``__init__`` overhead (about a third of the per-certificate
        cost on large chains)."""
        entry = object.__new__(cls)
        entry.__dict__.update(der=der, attributes=attributes, cert_type="x509")
        return entry

    @classmethod
    def from_certificate(
        cls, certificate, *, friendly_name=None, local_key_id=None, trusted_usage=None, attributes=()
    ) -> "CertEntry":
        """A CertEntry from an ``asn1crypto.x509.Certificate``, a ``cryptography`` certificate, or
        PEM/DER. ``trusted_usage`` (a dotted OID or several) adds the Java trusted-key-usage
        attribute that marks a trust-store anchor (``"2.5.29.37.0"``: any purpose)."""
        from . import tlv
        from .inputs import certificate_der

        extra = tuple(attributes)
        if trusted_usage is not None:
            usages = (trusted_usage,) if isinstance(trusted_usage, str) else tuple(trusted_usage)
            values = tuple(tlv.encode_oid(usage) for usage in usages)
            extra += (Attribute(ATTRIBUTE_OIDS["trusted_key_usage"], values),)
        return cls(certificate_der(certificate), make_attributes(friendly_name, local_key_id, extra))

    def to_pem(self) -> str:
        """The certificate as a PEM ``CERTIFICATE`` block (RFC 7468 section 5)."""
        return _pem(self.der, "CERTIFICATE")

    @property
    def trusted_key_usage(self) -> tuple[str, ...] | None:
        """The Java trusted-key-usage purposes (dotted OIDs), or None when not a trust anchor."""
        attribute = self.attribute("trusted_key_usage")
        if attribute is None:
            return None
        from .tlv import OID, oid_dotted, read_all

        from .errors import MalformedError

        purposes = []
        for value in attribute.values:
            try:
                node = read_all(value, "trusted key usage")
                if node.tag == OID:
                    purposes.append(oid_dotted(value[node.start:node.end], "trusted key usage"))
            except MalformedError:
                continue  # a malformed purpose is not a purpose; the attribute is kept as it is
        return tuple(purposes)

    def __repr__(self) -> str:
        try:
            subject = self.certificate.subject.human_friendly
        except Exception:
            subject = "unparsable"
        names = self._names_repr()
        return f"CertEntry({subject!r}{', ' + names if names else ''})"


@dataclasses.dataclass(frozen=True)
class CrlEntry(_Attributed):
    """A CRL from a crlBag (RFC 7292 4.2.4). ``der`` is the X.509 CRL."""

    der: bytes
    attributes: tuple[Attribute, ...] = ()
    crl_type: str = "1.2.840.113549.1.9.23.1"

    @property
    def crl(self):
        """The CRL as an ``asn1crypto.crl.CertificateList`` (parsed on first access)."""
        from asn1crypto import crl

        return _parse_once(self, "_crl", crl.CertificateList.load, "crl")

    @classmethod
    def from_crl(cls, crl, *, friendly_name=None, attributes=()) -> "CrlEntry":
        """A CrlEntry from an asn1crypto ``CertificateList``, a ``cryptography`` CRL, or PEM/DER."""
        from .inputs import crl_der

        return cls(crl_der(crl), make_attributes(friendly_name, None, attributes))

    def to_pem(self) -> str:
        """The CRL as a PEM ``X509 CRL`` block (RFC 7468 section 6)."""
        return _pem(self.der, "X509 CRL")

    def __repr__(self) -> str:
        return f"CrlEntry({len(self.der)} bytes)"


# Key algorithm OIDs the JDK writes in secret-key entries (JCA names, lowercased).
_SECRET_KEY_ALGORITHMS = {
    "2.16.840.1.101.3.4.1": "aes",
    "1.2.840.113549.2.7": "hmac_sha1",
    "1.2.840.113549.2.9": "hmac_sha256",
    "1.2.840.113549.2.10": "hmac_sha384",
    "1.2.840.113549.2.11": "hmac_sha512",
    "1.2.840.113549.3.7": "tripledes",
    "1.3.14.3.2.7": "des",
}


@dataclasses.dataclass(frozen=True)
class SecretEntry(_Attributed):
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
    def java_secret_key(cls, key: bytes, algorithm_oid: str, *, friendly_name=None, local_key_id=None) -> "SecretEntry":
        """A secret key as keytool stores it (SunJCE form): a PKCS#8 structure with the key
        algorithm (e.g. ``"2.16.840.1.101.3.4.1"`` for AES) and the raw key, shrouded like a
        private key when written."""
        from . import tlv

        pkcs8 = tlv.encode(
            tlv.SEQUENCE,
            tlv.encode(tlv.INTEGER, b"\x00")
            + tlv.encode(tlv.SEQUENCE, tlv.encode_oid(algorithm_oid))
            + tlv.encode(tlv.OCTET_STRING, bytes(key)),
        )
        shrouded_oid = "1.2.840.113549.1.12.10.1.2"
        name = _SECRET_KEY_ALGORITHMS.get(algorithm_oid, algorithm_oid)
        return cls(shrouded_oid, bytes(key), make_attributes(friendly_name, local_key_id), name, None, pkcs8)

    def __repr__(self) -> str:
        names = self._names_repr()
        return f"SecretEntry({self.algorithm or self.type_id}, {len(self.value)} bytes{', ' + names if names else ''})"


@dataclasses.dataclass(frozen=True)
class UnknownBag(_Attributed):
    """A bag of a type pkcs12kit does not interpret, kept byte for byte for lossless rewriting."""

    bag_id: str
    value_der: bytes
    attributes: tuple[Attribute, ...] = ()

    def __repr__(self) -> str:
        return f"UnknownBag({self.bag_id}, {len(self.value_der)} bytes)"


@dataclasses.dataclass(frozen=True)
class SafeInfo:
    """One ContentInfo of the AuthenticatedSafe (RFC 7292 section 4.1): how it was protected.

    ``kind`` is ``"data"`` or ``"encryptedData"``; ``protection`` None for a data safe;
    ``bag_count`` the number of entries decoded from it; ``entries`` their indexes in
    ``PKCS12.entries`` (the encoder's ``layout="as-decoded"`` rebuilds the same safes from it).
    """

    kind: str
    protection: Protection | None
    bag_count: int
    entries: tuple[int, ...] = dataclasses.field(default=(), repr=False)


@dataclasses.dataclass(frozen=True, eq=False)
class PKCS12:
    """The contents of a PKCS#12 file (RFC 7292): every bag, in file order, plus how it was protected.

    Equality compares the entries of each kind, in order (their DER and attributes), so a file
    re-protected under another profile, or laid out in other safes, equals the original.

    - ``entries``: every bag in file order (nested safeContents bags flattened).
    - ``keys``, ``certificates``, ``crls``, ``secrets``, ``unknown_bags``: the entries by kind.
    - ``mac``: `MacInfo`, or None for a file without integrity protection.
    - ``mac_verified``: True when a MAC was present and verified.
    - ``safes``: one `SafeInfo` per ContentInfo of the AuthenticatedSafe.
    - ``password_encoding``: which encoding of the password opened the file: ``"utf-16"``
      (standard), ``"empty"``/``"absent"`` (the two empty forms), ``"openssl-legacy"`` (OpenSSL
      before 1.1.0 widened each UTF-8 byte); None when no password was needed.
    - ``key``, ``certificate``, ``chain``: the identity key, its certificate, and its issuers.
    - ``decoded``: True for a value `loads` returned (it then has a `profile`).
    """

    entries: tuple = ()
    mac: MacInfo | None = dataclasses.field(default=None, compare=False)
    mac_verified: bool = dataclasses.field(default=False, compare=False)
    safes: tuple[SafeInfo, ...] = dataclasses.field(default=(), compare=False)
    password_encoding: str | None = dataclasses.field(default=None, compare=False)
    decoded: bool = dataclasses.field(default=False, compare=False, repr=False)

    def _of(self, kind) -> tuple:
        return tuple(entry for entry in self.entries if isinstance(entry, kind))

    def _content(self) -> tuple:
        return (self.keys, self.certificates, self.crls, self.secrets, self.unknown_bags)

    def __eq__(self, other) -> bool:
        if not isinstance(other, PKCS12):
            return NotImplemented
        return self._content() == other._content()

    def __hash__(self) -> int:
        return hash(self._content())

    @property
    def keys(self) -> tuple[KeyEntry, ...]:
        return self._of(KeyEntry)

    @property
    def certificates(self) -> tuple[CertEntry, ...]:
        return self._of(CertEntry)

    @property
    def crls(self) -> tuple[CrlEntry, ...]:
        return self._of(CrlEntry)

    @property
    def secrets(self) -> tuple[SecretEntry, ...]:
        return self._of(SecretEntry)

    @property
    def unknown_bags(self) -> tuple[UnknownBag, ...]:
        return self._of(UnknownBag)

    @property
    def key(self) -> KeyEntry | None:
        """The identity key: the first key entry (None in a trust store)."""
        keys = self.keys
        return keys[0] if keys else None

    @property
    def certificate(self) -> CertEntry | None:
        """The identity key's certificate, paired by localKeyId, else by public key; else the
        first certificate that issues no other certificate in the file."""
        from . import chain

        return chain.identity_certificate(self)

    @property
    def chain(self) -> tuple[CertEntry, ...]:
        """The issuers of `certificate`, leaf → root, found by name and AKI/SKI in the file."""
        from . import chain

        leaf = self.certificate
        return chain.issuers(leaf, self.certificates) if leaf is not None else ()

    @property
    def profile(self):
        """The encode `Profile` this decoded file matches: a named one (``MODERN`` ...) when its
        protections, MAC and safe layout are exactly that profile's, else a ``"custom"`` profile
        with layout ``"as-decoded"``, so that ``dumps(p12, pw, profile=p12.profile)`` rewrites
        the same safes, bag order, algorithms and iteration counts. None for a PKCS12 built in
        memory (it has no protection yet)."""
        from .profiles import PROFILES, MacSpec, Profile
        from .safes import group

        if not self.decoded:
            return None
        key_protection = next((key.protection for key in self.keys), None)
        cert_protection = next((safe.protection for safe in self.safes if safe.protection), None)
        mac = None
        if self.mac is not None:
            mac = MacSpec(self.mac.kind, self.mac.digest, self.mac.iterations, len(self.mac.salt),
                          self.mac.prf, self.mac.key_length)
        decoded = [(safe.kind == "encryptedData", safe.entries) for safe in self.safes]
        position = {id(entry): index for index, entry in enumerate(self.entries)}
        for named in PROFILES.values():
            if (named.key_protection, named.cert_protection, named.mac) != (key_protection, cert_protection, mac):
                continue
            expected = [
                (name != "keys" and named.cert_protection is not None, tuple(position[id(e)] for e in entries))
                for name, entries in group(self, named.layout)
            ]
            if expected == decoded:
                return named
        return Profile("custom", key_protection, cert_protection, mac, layout="as-decoded",
                       description="the protection and layout of a decoded file")

    @classmethod
    def build(
        cls,
        key=None,
        certificate=None,
        chain=(),
        friendly_name: str | None = None,
        *,
        local_key_id: bytes | bool | None = True,
        chain_friendly_names=(),
        crls=(),
        secrets=(),
    ) -> "PKCS12":
        """A PKCS12 laid out as ``openssl pkcs12 -export`` does: the certificate, its chain, then
        the key (RFC 7292).

        ``key``, ``certificate`` and each of ``chain`` may be asn1crypto objects, ``cryptography``
        objects, PEM/DER bytes or text, or ready entries; a ready `KeyEntry`/`CertEntry` is kept
        exactly as it is (its own attributes; ``friendly_name`` and ``local_key_id`` are not added
        to it). ``friendly_name`` goes on the key and its certificate. ``local_key_id``: True (default) for SHA-1 of the certificate DER on both —
        OpenSSL's choice, and what importers pair them by; bytes for an explicit id; None/False for
        none. ``chain_friendly_names`` names chain certificates in order (OpenSSL ``-caname``).
        ``crls`` take CRL inputs or CrlEntry values; ``secrets`` SecretEntry values.
        """
        import hashlib

        entries: list = []
        leaf = None
        if certificate is not None:
            leaf = certificate if isinstance(certificate, CertEntry) else CertEntry.from_certificate(certificate)
        key_id = None
        if local_key_id is True:
            key_id = hashlib.sha1(leaf.der).digest() if (leaf is not None and key is not None) else None
        elif local_key_id:
            key_id = bytes(local_key_id)
        if leaf is not None:
            if not isinstance(certificate, CertEntry):
                leaf = CertEntry(leaf.der, make_attributes(friendly_name, key_id))
            entries.append(leaf)
        names = list(chain_friendly_names or ())
        for index, item in enumerate(chain):
            if isinstance(item, CertEntry):
                entries.append(item)
            else:
                name = names[index] if index < len(names) else None
                entries.append(CertEntry.from_certificate(item, friendly_name=name))
        entries.extend(item if isinstance(item, CrlEntry) else CrlEntry.from_crl(item) for item in crls)
        for item in secrets:
            if not isinstance(item, SecretEntry):
                raise TypeError(f"secrets must be SecretEntry values, not {type(item).__name__}")
            entries.append(item)
        if key is not None:
            entries.append(key if isinstance(key, KeyEntry) else
                           KeyEntry.from_key(key, friendly_name=friendly_name, local_key_id=key_id))
        return cls(tuple(entries))

    @classmethod
    def trust_store(cls, certificates, friendly_names=(), *, usage: str = "2.5.29.37.0") -> "PKCS12":
        """A Java-style trust store: certificates only, each marked with the Oracle trusted-key-usage
        attribute (2.16.840.1.113894.746875.1.1; ``usage`` defaults to anyExtendedKeyUsage), as
        keytool and cryptography's ``serialize_java_truststore`` write. Friendly names become
        keytool aliases; a certificate without one is named after its subject's common name."""
        names = list(friendly_names or ())
        entries = []
        for index, item in enumerate(certificates):
            cert = CertEntry.from_certificate(item.der if isinstance(item, CertEntry) else item)
            name = names[index] if index < len(names) else None
            if name is None:
                common = cert.certificate.subject.native.get("common_name")
                name = common if isinstance(common, str) else f"cert-{index + 1}"
            entries.append(CertEntry.from_certificate(cert.der, friendly_name=name, trusted_usage=usage))
        return cls(tuple(entries))

    def to_pem(self, password: str | bytes | None = None, *, protection=None, random=None) -> str:
        """Every key (encrypted when a password is given, see `KeyEntry.to_pem`), then every
        certificate and CRL in file order, as one PEM bundle."""
        parts = [key.to_pem(password, protection=protection, random=random) for key in self.keys]
        parts += [entry.to_pem() for entry in self.entries if isinstance(entry, (CertEntry, CrlEntry))]
        return "".join(parts)

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(group)} {name}"
            for name, group in (
                ("keys", self.keys),
                ("certificates", self.certificates),
                ("crls", self.crls),
                ("secrets", self.secrets),
                ("unknown bags", self.unknown_bags),
            )
            if group
        )
        return f"PKCS12({counts or 'empty'}, mac={self.mac!r})"


