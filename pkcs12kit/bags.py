"""SafeBag ⇄ entries (RFC 7292 section 4.2): key, shrouded key, cert, CRL, secret, nested bags.

Exports: decode_safe_contents, encode_bag, encode_nested.

SafeContents ::= SEQUENCE OF SafeBag
SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF Attribute OPTIONAL }

Bags are walked at the TLV level (see `tlv`); certificate and key DER is kept as bytes and parsed
by asn1crypto only when an entry's ``.certificate``/``.private_key`` is first read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from . import tlv
from .asn1 import BAG_TYPES, CERT_TYPES, CONTENT_TYPES
from .errors import LimitExceededError, MalformedError
from .attributes import Attribute
from .entries import SECRET_KEY_ALGORITHMS, CertEntry, CrlEntry, KeyEntry, SecretEntry, UnknownBag
from .model import NestedBags

if TYPE_CHECKING:
    from typing import Protocol

    from .x509names import X509Name

    from .entries import Entry
    from .limits import Limits
    from .protection import Protection

    class _Keyring(Protocol):
        """What decoding bags needs of ``safes.Keyring`` (safes sits above this module)."""

        limits: Limits

        def decrypt_shrouded(self, encrypted_der: bytes, where: str) -> tuple[bytes, Protection]: ...

__all__ = ["decode_safe_contents", "encode_bag", "encode_nested", "BAG_OIDS"]


def _oid(table: dict[str, str], name: str) -> bytes:
    return tlv.oid_contents(table[name])


# Bag types by the contents octets of their OID, so the hot loop compares bytes, not strings.
KEY_BAG = _oid(BAG_TYPES, "key_bag")
SHROUDED_KEY_BAG = _oid(BAG_TYPES, "pkcs8_shrouded_key_bag")
CERT_BAG = _oid(BAG_TYPES, "cert_bag")
CRL_BAG = _oid(BAG_TYPES, "crl_bag")
SECRET_BAG = _oid(BAG_TYPES, "secret_bag")
SAFE_CONTENTS_BAG = _oid(BAG_TYPES, "safe_contents")
X509_CERT = _oid(CERT_TYPES, "x509")
BAG_OIDS = {
    "key_bag": KEY_BAG,
    "pkcs8_shrouded_key_bag": SHROUDED_KEY_BAG,
    "cert_bag": CERT_BAG,
    "crl_bag": CRL_BAG,
    "secret_bag": SECRET_BAG,
    "safe_contents": SAFE_CONTENTS_BAG,
    "x509": X509_CERT,
}
DATA = _oid(CONTENT_TYPES, "data")


class BagCounter:
    """Counts bags across one file against ``Limits.max_bags`` (the decoder increments ``count``
    inline and calls `exceeded` past the limit). It also carries ``names``, the file's cache of
    decoded certificate names that its certificates share (see `x509fields.NameCache`)."""

    __slots__ = ("count", "limit", "names")

    def __init__(self, limit: int) -> None:
        self.count = 0
        self.limit = limit
        self.names: dict[bytes, X509Name] = {}

    def exceeded(self, where: str) -> None:
        raise LimitExceededError(
            f"{where}: more than Limits.max_bags ({self.limit:,}) bags; "
            "pass limits=Limits(max_bags=...) to allow it"
        )


def _oid_pair(
    data: bytes, node: tlv.Tlv, where: str, what: str, second: int, second_what: str
) -> tuple[bytes, tlv.Tlv]:
    """SEQUENCE { type OID, value } — the shape of Attribute, CertBag, CrlBag and SecretBag —
    as (OID contents octets, the value node)."""
    tlv.expect(node, tlv.SEQUENCE, where, f"a SEQUENCE ({what})")
    fields = list(tlv.children(data, node, where))
    if len(fields) != 2:
        raise MalformedError(f"{where}: a {what} has 2 fields, found {len(fields)}")
    kind = tlv.expect(fields[0], tlv.OID, where, f"the {what} type OID")
    return data[kind.start:kind.end], tlv.expect(fields[1], second, where, second_what)


def _explicit_value(data: bytes, wrapper: tlv.Tlv, where: str, what: str) -> tlv.Tlv:
    """The single value inside a [0] EXPLICIT wrapper."""
    inner = list(tlv.children(data, wrapper, where))
    if len(inner) != 1:
        raise MalformedError(f"{where}: the {what} [0] value must hold exactly one value, found {len(inner)}")
    return inner[0]


def decode_attributes(data: bytes, node: tlv.Tlv, where: str) -> tuple[Attribute, ...]:
    """SET OF PKCS12Attribute ::= SEQUENCE { attrId OID, attrValues SET OF ANY } (RFC 7292 4.2)."""
    attributes = []
    for index, item in enumerate(tlv.children(data, node, where)):
        here = f"{where}[{index}]"
        kind, values = _oid_pair(data, item, here, "attribute", tlv.SET, "the attribute values SET")
        attributes.append(
            Attribute(tlv.oid_dotted(kind, here), tuple(data[v.offset:v.next] for v in tlv.children(data, values, here)))
        )
    return tuple(attributes)


def element(data: bytes, node: tlv.Tlv) -> bytes:
    """The complete encoding (header included) of ``node``."""
    return data[node.offset:node.next]


def decode_safe_contents(
    data: bytes, keyring: _Keyring, counter: BagCounter, where: str, depth: int = 0,
    nesting: list[NestedBags] | None = None, base: int = 0,
) -> list[Entry]:
    """Decode a SafeContents into entries in file order; nested safeContents bags are flattened.

    ``keyring`` decrypts shrouded keys (see ``safes.Keyring``). ``depth`` counts safeContents
    nesting against ``Limits.max_depth``. Each safeContents bag met at this level is appended to
    ``nesting`` as a `NestedBags`, its indexes counted from ``base`` (the index in
    ``PKCS12.entries`` of this SafeContents' first entry). Certificate bags in the usual DER shape take a fast
    path (`_fast_cert_bag`); every other bag, and any certificate bag that deviates, takes the
    general one, so the fast path changes speed, never results or errors.
    """
    root = tlv.read_all(data, where)
    tlv.expect(root, tlv.SEQUENCE, where, "a SafeContents SEQUENCE")
    entries: list[Entry] = []
    append = entries.append
    names = counter.names
    pos, end = root.start, root.end
    index = 0
    while pos < end:
        counter.count += 1
        if counter.count > counter.limit:
            counter.exceeded(f"{where} bag[{index}]")
        fast = _fast_cert_bag(data, pos, end, names)
        if fast is not None:
            append(fast[0])
            pos = fast[1]
        else:
            here = f"{where} bag[{index}]"
            bag = tlv.read(data, pos, end, here)
            _decode_bag(data, bag, keyring, counter, here, depth, entries, nesting, base)
            pos = bag.next
        index += 1
    return entries


# The DER of the two OIDs every certificate bag starts with, for byte comparison.
_CERT_BAG_OID = bytes((tlv.OID, len(CERT_BAG))) + CERT_BAG
_X509_OID = bytes((tlv.OID, len(X509_CERT))) + X509_CERT


def _length(data: bytes, at: int) -> tuple[int, int]:
    """A DER definite length at ``at``: (length, contents offset); (-1, at) for other forms."""
    first = data[at]
    if first < 0x80:
        return first, at + 1
    if first == 0x81:
        return data[at + 1], at + 2
    if first == 0x82:
        return (data[at + 1] << 8) | data[at + 2], at + 3
    if first == 0x83:
        return (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3], at + 4
    return -1, at


def _fast_cert_bag(data: bytes, pos: int, end: int, names: dict[bytes, X509Name]) -> tuple[CertEntry, int] | None:
    """(CertEntry, next offset) for a DER SafeBag { certBag, [0] CertBag { x509Certificate,
    [0] OCTET STRING } [, attributes SET] } at ``pos``, or None when the bag has any other shape.

    Every length must close exactly where its parent does; anything unexpected returns None and
    the general path re-reads the bag and reports precisely what is wrong.
    """
    try:
        if data[pos] != tlv.SEQUENCE:
            return None
        length, at = _length(data, pos + 1)
        bag_end = at + length
        if length < 0 or bag_end > end or data[at:at + len(_CERT_BAG_OID)] != _CERT_BAG_OID:
            return None
        at += len(_CERT_BAG_OID)
        if data[at] != tlv.CONTEXT_0:
            return None
        length, at = _length(data, at + 1)
        value_end = at + length
        if length < 0 or value_end > bag_end or data[at] != tlv.SEQUENCE:
            return None
        length, at = _length(data, at + 1)
        if length < 0 or at + length != value_end or data[at:at + len(_X509_OID)] != _X509_OID:
            return None
        at += len(_X509_OID)
        if data[at] != tlv.CONTEXT_0:
            return None
        length, at = _length(data, at + 1)
        if length < 0 or at + length != value_end or data[at] != tlv.OCTET_STRING:
            return None
        length, at = _length(data, at + 1)
        if length < 0 or at + length != value_end or data[at] != tlv.SEQUENCE:
            return None
    except IndexError:
        return None
    attributes: tuple[Attribute, ...] = ()
    if value_end != bag_end:
        try:
            node = tlv.read(data, value_end, bag_end, "bagAttributes")
        except MalformedError:
            return None
        if node.tag != tlv.SET or node.next != bag_end:
            return None
        try:
            attributes = decode_attributes(data, node, "bagAttributes")
        except MalformedError:
            return None  # the general path reports it, with the bag's place
    return CertEntry.decoded(data[at:value_end], attributes, names), bag_end


def _decode_bag(
    data: bytes, bag: tlv.Tlv, keyring: _Keyring, counter: BagCounter, here: str, depth: int, entries: list[Entry],
    nesting: list[NestedBags] | None = None, base: int = 0,
) -> None:
    """Decode one SafeBag (RFC 7292 section 4.2) of any type and append its entries."""
    tlv.expect(bag, tlv.SEQUENCE, here, "a SafeBag SEQUENCE")
    fields = tlv.children(data, bag, here)
    try:
        bag_id = tlv.expect(next(fields), tlv.OID, here, "the bagId OID")
        wrapper = tlv.expect(next(fields), tlv.CONTEXT_0, here, "the [0] bagValue")
    except StopIteration:
        raise MalformedError(f"{here}: a SafeBag needs a bagId and a bagValue") from None
    attributes_node = next(fields, None)
    if next(fields, None) is not None:
        raise MalformedError(f"{here}: unexpected field after bagAttributes")
    attributes: tuple[Attribute, ...] = ()
    if attributes_node is not None:
        tlv.expect(attributes_node, tlv.SET, here, "the bagAttributes SET")
        attributes = decode_attributes(data, attributes_node, f"{here} attributes")
    value = _explicit_value(data, wrapper, here, "bagValue")
    kind = data[bag_id.start:bag_id.end]
    if kind == CERT_BAG:
        entries.append(_cert(data, value, attributes, here))
    elif kind == SHROUDED_KEY_BAG:
        plain, protection = keyring.decrypt_shrouded(element(data, value), f"{here} pkcs8ShroudedKeyBag")
        entries.append(KeyEntry(plain, attributes, protection))
    elif kind == KEY_BAG:
        tlv.expect(value, tlv.SEQUENCE, here, "a PrivateKeyInfo SEQUENCE")
        entries.append(KeyEntry(element(data, value), attributes))
    elif kind == CRL_BAG:
        crl_id, crl = _typed_octets(data, value, here, "CrlBag")
        entries.append(CrlEntry(crl, attributes, crl_id))
    elif kind == SECRET_BAG:
        entries.append(_secret(data, value, attributes, keyring, here))
    elif kind == SAFE_CONTENTS_BAG:
        if depth + 1 > keyring.limits.max_depth:
            raise LimitExceededError(
                f"{here}: safeContents bags nested deeper than Limits.max_depth "
                f"({keyring.limits.max_depth})"
            )
        inner: list[NestedBags] = []
        first = base + len(entries)
        found = decode_safe_contents(
            element(data, value), keyring, counter, f"{here} safeContents", depth + 1, inner, first
        )
        entries.extend(found)
        if nesting is not None:
            nesting.append(NestedBags(first, len(found), attributes, tuple(inner)))
    else:
        entries.append(UnknownBag(tlv.oid_dotted(kind, here), element(data, value), attributes))


def _typed_octets(data: bytes, value: tlv.Tlv, where: str, what: str) -> tuple[str, bytes]:
    """CertBag / CrlBag ::= SEQUENCE { id OID, value [0] EXPLICIT OCTET STRING } → (oid, octets)."""
    kind, wrapper = _oid_pair(data, value, where, what, tlv.CONTEXT_0, f"the {what} [0] value")
    inner = _explicit_value(data, wrapper, where, what)
    if inner.tag & ~tlv.CONSTRUCTED != tlv.OCTET_STRING:
        raise MalformedError(f"{where}: the {what} value must be one OCTET STRING")
    return tlv.oid_dotted(kind, where), tlv.octets(data, inner, where)


def _cert(data: bytes, value: tlv.Tlv, attributes: tuple[Attribute, ...], where: str) -> CertEntry:
    cert_id, der = _typed_octets(data, value, where, "CertBag")
    if cert_id == _X509_DOTTED and not der.startswith(b"\x30"):
        raise MalformedError(f"{where}: the x509Certificate value is not a DER SEQUENCE")
    return CertEntry(der, attributes, "x509" if cert_id == _X509_DOTTED else cert_id)


_X509_DOTTED = tlv.oid_dotted(X509_CERT)


def _secret(
    data: bytes, value: tlv.Tlv, attributes: tuple[Attribute, ...], keyring: _Keyring, where: str
) -> SecretEntry:
    """SecretBag ::= SEQUENCE { secretTypeId OID, secretValue [0] EXPLICIT ANY } (RFC 7292 4.2.5).

    The JDK (SunJCE) stores secret keys with secretTypeId = pkcs8ShroudedKeyBag and a value that is
    an OCTET STRING holding an EncryptedPrivateKeyInfo whose plaintext is a PKCS#8 structure with
    the key algorithm and the raw key in privateKey; that form is decrypted here.
    """
    type_oid, wrapper = _oid_pair(data, value, where, "SecretBag", tlv.CONTEXT_0, "the [0] secretValue")
    inner = [_explicit_value(data, wrapper, where, "secretValue")]
    value_der = element(data, inner[0])
    secret, algorithm, protection, pkcs8 = b"", None, None, None
    if inner[0].tag & ~tlv.CONSTRUCTED == tlv.OCTET_STRING:
        secret = tlv.octets(data, inner[0], where)
        if type_oid in (SHROUDED_KEY_BAG, KEY_BAG):
            if type_oid == SHROUDED_KEY_BAG:
                pkcs8, protection = keyring.decrypt_shrouded(secret, f"{where} secretValue")
            else:
                pkcs8 = secret
            algorithm, secret = _pkcs8_secret(pkcs8, where)
    else:
        secret = value_der
    return SecretEntry(
        tlv.oid_dotted(type_oid, where), secret, attributes, algorithm, value_der, pkcs8, protection
    )


def _pkcs8_secret(plain: bytes, where: str) -> tuple[str, bytes]:
    """The algorithm name and raw key octets of a secret key stored as PKCS#8 (RFC 5208 section 5:
    SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET STRING }); the JDK puts the raw
    key (``SecretKey.getEncoded()``) in privateKey. Walked at the TLV level because asn1crypto's
    PrivateKeyInfo refuses algorithms that are not public-key ones (AES, HMAC)."""
    here = f"{where} secret key"
    root = tlv.read_all(plain, here)
    tlv.expect(root, tlv.SEQUENCE, here, "a PrivateKeyInfo SEQUENCE")
    fields = list(tlv.children(plain, root, here))
    if len(fields) < 3:
        raise MalformedError(f"{here}: PrivateKeyInfo has {len(fields)} fields, expected at least 3")
    algorithm = tlv.expect(fields[1], tlv.SEQUENCE, here, "the AlgorithmIdentifier")
    oid_node = next(tlv.children(plain, algorithm, here), None)
    if oid_node is None or oid_node.tag != tlv.OID:
        raise MalformedError(f"{here}: the AlgorithmIdentifier has no OID")
    if fields[2].tag & ~tlv.CONSTRUCTED != tlv.OCTET_STRING:
        raise MalformedError(f"{here}: privateKey must be an OCTET STRING")
    oid = tlv.oid_dotted(plain[oid_node.start:oid_node.end], here)
    return SECRET_KEY_ALGORITHMS.get(oid, oid), tlv.octets(plain, fields[2], here)


# --- encoding ------------------------------------------------------------------------------


def encode_attributes(attributes: tuple[Attribute, ...]) -> bytes:
    """bagAttributes SET OF PKCS12Attribute, values and order as given (lossless rewrite)."""
    items = b"".join(
        tlv.encode(tlv.SEQUENCE, tlv.encode_oid(a.oid) + tlv.encode(tlv.SET, b"".join(a.values)))
        for a in attributes
    )
    return tlv.encode(tlv.SET, items)


def _safe_bag(bag_oid: bytes, value_der: bytes, attributes: tuple[Attribute, ...]) -> bytes:
    body = tlv.encode(tlv.OID, bag_oid) + tlv.encode(tlv.CONTEXT_0, value_der)
    if attributes:
        body += encode_attributes(attributes)
    return tlv.encode(tlv.SEQUENCE, body)


def _typed_value(type_dotted: str, octets_: bytes) -> bytes:
    """CertBag / CrlBag / SecretBag body: SEQUENCE { OID, [0] EXPLICIT OCTET STRING }."""
    return tlv.encode(
        tlv.SEQUENCE,
        tlv.encode_oid(type_dotted) + tlv.encode(tlv.CONTEXT_0, tlv.encode(tlv.OCTET_STRING, octets_)),
    )


def _x509_cert_bag(der: bytes, attributes: tuple[Attribute, ...]) -> bytes:
    """SafeBag { certBag, [0] CertBag { x509Certificate, [0] OCTET STRING der } [, attributes] }.

    The hot path of encoding large chains: lengths are computed arithmetically and the
    certificate is copied once, instead of re-wrapping it at each of five nesting levels.
    """
    octet_header = tlv.header(tlv.OCTET_STRING, len(der))
    explicit_header = tlv.header(tlv.CONTEXT_0, len(octet_header) + len(der))
    cert_bag_length = len(_X509_OID) + len(explicit_header) + len(octet_header) + len(der)
    cert_bag_header = tlv.header(tlv.SEQUENCE, cert_bag_length)
    value_length = len(cert_bag_header) + cert_bag_length
    value_header = tlv.header(tlv.CONTEXT_0, value_length)
    tail = encode_attributes(attributes) if attributes else b""
    bag_length = len(_CERT_BAG_OID) + len(value_header) + value_length + len(tail)
    return b"".join((tlv.header(tlv.SEQUENCE, bag_length), _CERT_BAG_OID, value_header, cert_bag_header,
                     _X509_OID, explicit_header, octet_header, der, tail))


def encode_bag(entry: Entry, shroud: Callable[[bytes], bytes] | None) -> bytes:
    """One SafeBag DER for ``entry`` (RFC 7292 section 4.2).

    ``shroud(pkcs8_der) -> EncryptedPrivateKeyInfo DER`` encrypts keys, or is None to write plain
    keyBags.
    """
    if isinstance(entry, CertEntry):
        if entry.cert_type == "x509":
            return _x509_cert_bag(entry.der, entry.attributes)
        return _safe_bag(CERT_BAG, _typed_value(entry.cert_type, entry.der), entry.attributes)
    if isinstance(entry, KeyEntry):
        if shroud is None:
            return _safe_bag(KEY_BAG, entry.der, entry.attributes)
        return _safe_bag(SHROUDED_KEY_BAG, shroud(entry.der), entry.attributes)
    if isinstance(entry, CrlEntry):
        return _safe_bag(CRL_BAG, _typed_value(entry.crl_type, entry.der), entry.attributes)
    if isinstance(entry, SecretEntry):
        if entry.pkcs8 is not None:
            # SunJCE form: the secret key as PKCS#8, shrouded like a private key.
            if shroud is None:
                inner, type_oid = entry.pkcs8, tlv.oid_dotted(KEY_BAG)
            else:
                inner, type_oid = shroud(entry.pkcs8), tlv.oid_dotted(SHROUDED_KEY_BAG)
            return _safe_bag(SECRET_BAG, _typed_value(type_oid, inner), entry.attributes)
        if entry.value_der is not None:
            body = tlv.encode_oid(entry.type_id) + tlv.encode(tlv.CONTEXT_0, entry.value_der)
        else:
            body = tlv.encode_oid(entry.type_id) + tlv.encode(
                tlv.CONTEXT_0, tlv.encode(tlv.OCTET_STRING, entry.value)
            )
        return _safe_bag(SECRET_BAG, tlv.encode(tlv.SEQUENCE, body), entry.attributes)
    if isinstance(entry, UnknownBag):
        return _safe_bag(tlv.oid_contents(entry.bag_id), entry.value_der, entry.attributes)
    raise TypeError(f"cannot encode {type(entry).__name__} as a SafeBag")


def encode_nested(
    indexes: Sequence[int], nesting: Sequence[NestedBags], encode_entry: Callable[[int], bytes]
) -> list[bytes]:
    """The SafeBags of one SafeContents whose entries are ``indexes`` (ascending indexes in
    ``PKCS12.entries``), with the safeContentsBags ``nesting`` (`NestedBags`, RFC 7292
    section 4.2.6) written around their entries again; ``encode_entry(index)`` encodes one entry."""
    indexes = list(indexes)
    bags: list[bytes] = []
    at = 0
    for node in nesting:
        while at < len(indexes) and indexes[at] < node.first:
            bags.append(encode_entry(indexes[at]))
            at += 1
        inner = encode_nested(indexes[at:at + node.count], node.nested, encode_entry)
        at += node.count
        safe_contents = b"".join([tlv.header(tlv.SEQUENCE, sum(map(len, inner))), *inner])
        bags.append(_safe_bag(SAFE_CONTENTS_BAG, safe_contents, node.attributes))
    bags.extend(encode_entry(index) for index in indexes[at:])
    return bags
