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


def _parse_once(entry, attr: str, loader, what: str):
    """Parse ``entry.der`` with ``loader`` on first access and cache it (entries stay frozen)."""
    cached = entry.__dict__.get(attr)
    if cached is None:
        from .errors import MalformedError

        try:
            cached = loader(entry.der)
            cached.native  # force a full parse so bad DER fails here, not later in user code
        except (ValueError, TypeError, KeyError, IndexError, OverflowError) as err:
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

    @property
    def trusted_key_usage(self) -> tuple[str, ...] | None:
        """The Java trusted-key-usage purposes (dotted OIDs), or None when not a trust anchor."""
        attribute = self.attribute("trusted_key_usage")
        if attribute is None:
            return None
        from .tlv import OID, oid_dotted, read_all

        purposes = []
        for value in attribute.values:
            tlv = read_all(value, "trusted key usage")
            if tlv.tag == OID:
                purposes.append(oid_dotted(value[tlv.start:tlv.end]))
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

    def __repr__(self) -> str:
        return f"CrlEntry({len(self.der)} bytes)"


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
    """

    entries: tuple = ()
    mac: MacInfo | None = dataclasses.field(default=None, compare=False)
    mac_verified: bool = dataclasses.field(default=False, compare=False)
    safes: tuple[SafeInfo, ...] = dataclasses.field(default=(), compare=False)
    password_encoding: str | None = dataclasses.field(default=None, compare=False)

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


# --- building ------------------------------------------------------------------------------

_ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0"


def _bmp_attribute(name: str, text: str) -> Attribute:
    from . import tlv

    return Attribute(ATTRIBUTE_OIDS[name], (tlv.encode(tlv.BMP_STRING, text.encode("utf-16-be")),))


def _octets_attribute(name: str, value: bytes) -> Attribute:
    from . import tlv

    return Attribute(ATTRIBUTE_OIDS[name], (tlv.encode(tlv.OCTET_STRING, value),))


def make_attributes(friendly_name=None, local_key_id=None, extra=()) -> tuple[Attribute, ...]:
    """Bag attributes: friendlyName (BMPString, RFC 2985 5.5.1), localKeyId (RFC 2985 5.5.2), then
    ``extra`` `Attribute` values as given."""
    attributes = []
    if friendly_name is not None:
        if not isinstance(friendly_name, str):
            raise TypeError("friendly_name must be str")
        attributes.append(_bmp_attribute("friendly_name", friendly_name))
    if local_key_id is not None:
        if not isinstance(local_key_id, (bytes, bytearray)):
            raise TypeError("local_key_id must be bytes")
        attributes.append(_octets_attribute("local_key_id", bytes(local_key_id)))
    return tuple(attributes) + tuple(extra)


def _key_entry(key, friendly_name=None, local_key_id=None, attributes=()) -> KeyEntry:
    from .inputs import private_key_der

    if isinstance(key, KeyEntry):
        return key
    return KeyEntry(private_key_der(key), make_attributes(friendly_name, local_key_id, attributes))


def _cert_entry(certificate, friendly_name=None, local_key_id=None, attributes=(), trusted_usage=None) -> CertEntry:
    from . import tlv
    from .inputs import certificate_der

    if isinstance(certificate, CertEntry):
        return certificate
    extra = tuple(attributes)
    if trusted_usage is not None:
        usages = (trusted_usage,) if isinstance(trusted_usage, str) else tuple(trusted_usage)
        extra += (Attribute(ATTRIBUTE_OIDS["trusted_key_usage"], tuple(tlv.encode_oid(u) for u in usages)),)
    return CertEntry(certificate_der(certificate), make_attributes(friendly_name, local_key_id, extra))


KeyEntry.from_key = staticmethod(_key_entry)
KeyEntry.from_key.__doc__ = """A KeyEntry from an asn1crypto PrivateKeyInfo, a cryptography key, or PEM/DER."""
CertEntry.from_certificate = staticmethod(_cert_entry)


def _build(
    cls,
    key=None,
    certificate=None,
    chain=(),
    friendly_name: str | None = None,
    *,
    local_key_id: bytes | None | bool = True,
    chain_friendly_names=None,
    crls=(),
    secrets=(),
) -> "PKCS12":
    """Build a `PKCS12` the way ``openssl pkcs12 -export`` lays it out (RFC 7292).

    ``key``, ``certificate`` and each of ``chain`` may be asn1crypto objects, ``cryptography``
    objects, or PEM/DER bytes or text. ``friendly_name`` goes on the key and its certificate;
    ``local_key_id`` is True for SHA-1 of the certificate (OpenSSL's choice, what importers pair
    on), explicit bytes, or None/False for none. ``chain_friendly_names`` names chain certificates
    (OpenSSL ``-caname``). ``crls`` and ``secrets`` are added as given (CrlEntry/SecretEntry or CRL
    inputs).
    """
    import hashlib

    from .inputs import certificate_der, crl_der

    entries: list = []
    cert_der = certificate_der(certificate) if certificate is not None and not isinstance(certificate, CertEntry) else (
        certificate.der if certificate is not None else None
    )
    key_id = None
    if local_key_id is True:
        key_id = hashlib.sha1(cert_der).digest() if (cert_der is not None and key is not None) else None
    elif local_key_id:
        key_id = bytes(local_key_id)
    if certificate is not None:
        entries.append(certificate if isinstance(certificate, CertEntry) else
                       CertEntry(cert_der, make_attributes(friendly_name, key_id)))
    names = list(chain_friendly_names or ())
    for index, item in enumerate(chain):
        name = names[index] if index < len(names) else None
        entries.append(_cert_entry(item, name))
    for item in crls:
        entries.append(item if isinstance(item, CrlEntry) else CrlEntry(crl_der(item)))
    for item in secrets:
        if not isinstance(item, SecretEntry):
            raise TypeError("secrets must be SecretEntry values")
        entries.append(item)
    if key is not None:
        entries.append(_key_entry(key, friendly_name, key_id))
    return cls(tuple(entries))


def _trust_store(cls, certificates, friendly_names=None, *, usage: str = _ANY_EXTENDED_KEY_USAGE) -> "PKCS12":
    """A Java-style trust store: certificates only, each marked with the Oracle trusted-key-usage
    attribute (2.16.840.1.113894.746875.1.1; ``usage`` defaults to anyExtendedKeyUsage) as keytool
    and cryptography's ``serialize_java_truststore`` write. Friendly names become keytool aliases;
    without one, a certificate is named after its subject's common name (or ``cert-N``)."""
    names = list(friendly_names or ())
    entries = []
    for index, item in enumerate(certificates):
        entry = _cert_entry(item)
        name = names[index] if index < len(names) else None
        if name is None:
            try:
                common = entry.certificate.subject.native.get("common_name")
            except Exception:
                common = None
            name = (common if isinstance(common, str) else None) or f"cert-{index + 1}"
        entries.append(CertEntry(entry.der, make_attributes(name, None) + _cert_entry(entry.der, trusted_usage=usage).attributes))
    return cls(tuple(entries))


PKCS12.build = classmethod(_build)
PKCS12.trust_store = classmethod(_trust_store)
