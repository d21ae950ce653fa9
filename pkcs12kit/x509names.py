"""Certificate names (RFC 5280 section 4.1.2.4) decoded at the TLV level, and the DER header
reader the certificate fields share.

Exports: X509Name, NameCache, cached_name, der_header, der_expect, oid_text.

Names are the expensive part of listing certificates, and they repeat: in a chain every issuer
is some other certificate's subject. `X509Name` objects are shared through a `NameCache` (one
per decoded file, Name DER -> X509Name), so a name is decoded once however many certificates
carry it. Two text forms are offered:

- ``rfc4514``: the RFC 4514 section 2 string, most specific RDN first, exactly what
  cryptography's ``Name.rfc4514_string()`` prints (its attribute labels and escaping);
- ``human_friendly``: what asn1crypto's ``Name.human_friendly`` prints.

Everything malformed raises `MalformedError`; nothing here recurses.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Dict, List, Optional, Tuple

from . import tlv
from .errors import MalformedError

__all__ = ["X509Name", "NameCache", "cached_name", "der_header", "der_expect", "oid_text"]

NameCache = Dict[bytes, "X509Name"]

# One attribute of a name: (dotted type OID, value tag, value contents octets).
NameAttribute = Tuple[str, int, bytes]

# --- DER headers -----------------------------------------------------------------------------


def der_header(data: bytes, pos: int, limit: int, where: str) -> Tuple[int, int, int]:
    """(tag, contents start, contents end) of the value at ``pos``, which must end by ``limit``.

    The definite short and long forms that DER allows are read inline (this runs a dozen times
    per certificate); anything else (indefinite lengths, high tag numbers) goes through the
    general reader, which also reports what is wrong.
    """
    if pos + 2 <= limit:
        tag = data[pos]
        first = data[pos + 1]
        if tag & 0x1F != 0x1F:
            if first < 0x80:
                end = pos + 2 + first
                if end <= limit:
                    return tag, pos + 2, end
            elif 0x81 <= first <= 0x83 and pos + 2 + (first & 0x7F) <= limit:
                count = first & 0x7F
                start = pos + 2 + count
                end = start + int.from_bytes(data[pos + 2:start], "big")
                if end <= limit:
                    return tag, start, end
    node = tlv.read(data, pos, limit, where)
    if node.next != node.end:  # an indefinite length: not DER, and never in a certificate
        raise MalformedError(f"{where}: indefinite length at offset {pos} (certificates are DER)")
    return node.tag, node.start, node.end


def der_expect(data: bytes, pos: int, limit: int, tag: int, where: str) -> Tuple[int, int]:
    found, start, end = der_header(data, pos, limit, where)
    if found != tag:
        raise MalformedError(f"{where}: expected tag 0x{tag:02x} at offset {pos}, found 0x{found:02x}")
    return start, end


_OID_CACHE: Dict[bytes, str] = {}


def oid_text(contents: bytes, where: str) -> str:
    """Dotted OID, memoised: a file repeats the same few attribute and algorithm OIDs."""
    dotted = _OID_CACHE.get(contents)
    if dotted is None:
        dotted = tlv.oid_dotted(contents, where)
        if len(_OID_CACHE) < 4096:
            _OID_CACHE[contents] = dotted
    return dotted


# --- names (RFC 5280 section 4.1.2.4) --------------------------------------------------------

# cryptography's labels for rfc4514_string() (RFC 4514 section 3 plus DC and UID); any other
# attribute type is written as its dotted OID.
_RFC4514_LABELS = {
    "2.5.4.3": "CN", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU",
    "2.5.4.6": "C", "2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}

# asn1crypto's human-friendly labels for the attribute types whose value is a DirectoryString
# (or a string type decoded the same way); other types go through asn1crypto itself.
_HUMAN_LABELS = {
    "2.5.4.3": "Common Name", "2.5.4.4": "Surname", "2.5.4.5": "Serial Number", "2.5.4.6": "Country",
    "2.5.4.7": "Locality", "2.5.4.8": "State/Province", "2.5.4.9": "Street Address",
    "2.5.4.10": "Organization", "2.5.4.11": "Organizational Unit", "2.5.4.12": "Title",
    "2.5.4.15": "Business Category", "2.5.4.17": "Postal Code", "2.5.4.41": "Name",
    "2.5.4.42": "Given Name", "2.5.4.43": "Initials", "2.5.4.44": "Generation Qualifier",
    "2.5.4.46": "DN Qualifier", "2.5.4.65": "Pseudonym", "2.5.4.97": "Organization Identifier",
    "1.3.6.1.4.1.311.60.2.1.1": "Incorporation Locality",
    "1.3.6.1.4.1.311.60.2.1.2": "Incorporation State/Province",
    "1.3.6.1.4.1.311.60.2.1.3": "Incorporation Country", "0.2.262.1.10.7.20": "Name Distinguisher",
    "0.9.2342.19200300.100.1.1": "User ID",
}

# String tags and the codec each is decoded with (X.680 section 41; asn1crypto's choices).
_HUMAN_CODECS = {0x13: "latin1", 0x0C: "utf-8", 0x1E: "utf-16-be", 0x1C: "utf-32-be", 0x16: "ascii"}
# cryptography decodes BMPString and UniversalString by their width and every other tag as UTF-8.
_WIDE_CODECS = {0x1E: "utf_16_be", 0x1C: "utf_32_be"}


_NEEDS_ESCAPE = re.compile(r'[\\"+,;<>\0]')


def _escape_rfc4514(value: str) -> str:
    """RFC 4514 section 2.4 escaping, the same characters cryptography escapes."""
    if not value:
        return ""
    if value[0] not in "# " and value[-1] != " " and _NEEDS_ESCAPE.search(value) is None:
        return value
    for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("+", "\\+"), (",", "\\,"), (";", "\\;"),
                          ("<", "\\<"), (">", "\\>"), ("\0", "\\00")):
        if char in value:
            value = value.replace(char, escaped)
    if value[0] in "# ":
        value = "\\" + value
    if value[-1] == " ":
        value = value[:-1] + "\\ "
    return value


def _rfc4514_value(tag: int, contents: bytes) -> str:
    if tag == tlv.BIT_STRING:
        return "#" + contents.hex()  # cryptography keeps a BIT STRING value as bytes
    try:
        text = contents.decode(_WIDE_CODECS.get(tag, "utf-8"))
    except UnicodeDecodeError:
        # RFC 4514 section 2.4: a value that is not a string is written as its DER in hex
        return "#" + tlv.encode(tag, contents).hex()
    return _escape_rfc4514(text)


def _match_form(tag: int, contents: bytes) -> str:
    """A value folded for comparison (RFC 5280 section 7.1, simplified to case and spaces)."""
    if tag in (0x13, 0x0C, 0x16) and contents.isascii():
        return " ".join(contents.decode("ascii").lower().split())  # NFKC and casefold do nothing more
    try:
        text = contents.decode(_HUMAN_CODECS.get(tag, "latin1"))
    except UnicodeDecodeError:
        return contents.hex()
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# RDN DER -> its attributes: the names of one organisation differ in a value or two (the CN) and
# share the rest (O, OU, C), so most RDNs of a file were read before. The first 4,096 are kept.
_RDN_CACHE: Dict[bytes, Tuple[NameAttribute, ...]] = {}
# An RDN's attributes -> its RFC 4514 text, for the same reason.
_RDN_TEXT: Dict[Tuple[NameAttribute, ...], str] = {}
_RDN_CACHE_SIZE = 4096


def _short_form_rdns(der: bytes) -> Optional[Tuple[Tuple[NameAttribute, ...], ...]]:
    """The RDNs of a Name whose SETs, attributes and values all have one-octet lengths (nearly
    every real name), read inline; None for anything else, which `_rdns` then reads."""
    try:
        start, end = der_header(der, 0, len(der), "certificate name")[1:]
        if der[0] != tlv.SEQUENCE or end != len(der):
            return None
        oid_of = _OID_CACHE.get
        known = _RDN_CACHE.get
        rdns = []
        pos = start
        while pos < end:
            length = der[pos + 1]
            set_start = pos + 2
            set_end = set_start + length
            if der[pos] != tlv.SET or length >= 0x80 or set_end > end or set_start == set_end:
                return None
            rdn_der = der[pos:set_end]
            seen = known(rdn_der)
            if seen is not None:
                rdns.append(seen)
                pos = set_end
                continue
            rdn = []
            at = set_start
            while at < set_end:
                length = der[at + 1]
                pair_start = at + 2
                pair_end = pair_start + length
                if der[at] != tlv.SEQUENCE or length >= 0x80 or pair_end > set_end or der[pair_start] != tlv.OID:
                    return None
                oid_end = pair_start + 2 + der[pair_start + 1]
                tag = der[oid_end]
                value_start = oid_end + 2
                if der[pair_start + 1] >= 0x80 or der[oid_end + 1] >= 0x80 or tag & 0x1F == 0x1F \
                        or value_start + der[oid_end + 1] != pair_end:
                    return None
                contents = der[pair_start + 2:oid_end]
                oid = oid_of(contents) or oid_text(contents, "certificate name")
                rdn.append((oid, tag, der[value_start:pair_end]))
                at = pair_end
            attributes = tuple(rdn)
            if len(_RDN_CACHE) < _RDN_CACHE_SIZE:
                _RDN_CACHE[rdn_der] = attributes
            rdns.append(attributes)
            pos = set_end
        return tuple(rdns)
    except (IndexError, MalformedError):
        return None


def _rdns(der: bytes) -> Tuple[Tuple[NameAttribute, ...], ...]:
    """The RDNs of any DER Name (RFC 5280 4.1.2.4), reporting what is wrong with a bad one."""
    where = "certificate name"
    start, end = der_expect(der, 0, len(der), tlv.SEQUENCE, where)
    if end != len(der):
        raise MalformedError(f"{where}: {len(der) - end} unexpected bytes after the Name")
    rdns = []
    pos = start
    while pos < end:
        set_start, set_end = der_expect(der, pos, end, tlv.SET, where)
        rdn = []
        inner = set_start
        while inner < set_end:
            pair_start, pair_end = der_expect(der, inner, set_end, tlv.SEQUENCE, where)
            oid_start, oid_end = der_expect(der, pair_start, pair_end, tlv.OID, where)
            tag, value_start, value_end = der_header(der, oid_end, pair_end, where)
            if value_end != pair_end:
                raise MalformedError(f"{where}: an attribute has more than a type and a value")
            rdn.append((oid_text(der[oid_start:oid_end], where), tag, der[value_start:value_end]))
            inner = pair_end
        if not rdn:
            raise MalformedError(f"{where}: an empty RelativeDistinguishedName")
        rdns.append(tuple(rdn))
        pos = set_end
    return tuple(rdns)


def _rdn_rfc4514(rdn: Tuple[NameAttribute, ...]) -> str:
    labels = _RFC4514_LABELS
    return "+".join(labels.get(oid, oid) + "=" + _rfc4514_value(tag, contents) for oid, tag, contents in rdn)


class X509Name:
    """A certificate's issuer or subject Name, decoded from its DER once.

    ``der`` is the Name as it is in the certificate; ``attributes`` the RDNs in file order
    (least specific first), each a tuple of ``(oid, tag, contents)``; ``rfc4514`` and
    ``human_friendly`` are the text forms (computed on first use). Equality is by DER.
    """

    __slots__ = ("der", "attributes", "_rfc4514", "_human_friendly", "_match")

    def __init__(self, der: bytes) -> None:
        self.der = der
        self._rfc4514: Optional[str] = None
        self._human_friendly: Optional[str] = None
        self._match: Optional[Tuple[object, ...]] = None
        rdns = _short_form_rdns(der)
        self.attributes: Tuple[Tuple[NameAttribute, ...], ...] = rdns if rdns is not None else _rdns(der)

    @property
    def rfc4514(self) -> str:
        """RFC 4514 string, most specific RDN first: cryptography's ``rfc4514_string()``."""
        if self._rfc4514 is None:
            known = _RDN_TEXT.get
            parts = []
            for rdn in reversed(self.attributes):
                text = known(rdn)
                if text is None:
                    text = _rdn_rfc4514(rdn)
                    if len(_RDN_TEXT) < _RDN_CACHE_SIZE:
                        _RDN_TEXT[rdn] = text
                parts.append(text)
            self._rfc4514 = ",".join(parts)
        return self._rfc4514

    @property
    def human_friendly(self) -> str:
        """asn1crypto's ``Name.human_friendly`` text (e.g. ``"Common Name: a, Country: CH"``)."""
        if self._human_friendly is None:
            self._human_friendly = self._fast_human_friendly() or self._asn1crypto_human_friendly()
        return self._human_friendly

    def _fast_human_friendly(self) -> Optional[str]:
        """asn1crypto's algorithm (one label per attribute type, repeated types joined last
        first, the order reversed unless the last attribute is the country) for names of
        DirectoryString attributes; None for anything else, which asn1crypto then does."""
        data: Dict[str, List[str]] = {}
        last = None
        for rdn in self.attributes:
            for oid, tag, contents in rdn:
                label = _HUMAN_LABELS.get(oid)
                codec = _HUMAN_CODECS.get(tag)
                if label is None or codec is None:
                    return None
                try:
                    text = contents.decode(codec)
                except UnicodeDecodeError:
                    return None
                last = label
                data.setdefault(label, []).append(text)
        keys = list(data)
        if last == "Country":
            keys.reverse()
        parts = [f"{key}: {', '.join(reversed(data[key]))}" for key in keys]
        separator = "; " if any("," in part for part in parts) else ", "
        return separator.join(reversed(parts))

    def _asn1crypto_human_friendly(self) -> str:
        if _holds_more_values(self.der, MAX_NAME_VALUES):
            raise MalformedError(f"certificate name: holds over {MAX_NAME_VALUES:,} values; not rendered")
        # import time: asn1crypto loads only for names outside the common attribute types
        from asn1crypto import x509

        try:
            return str(x509.Name.load(self.der).human_friendly)
        except Exception as err:  # whatever asn1crypto raises on a bad name is a malformed name
            raise MalformedError(f"certificate name: cannot parse: {type(err).__name__}: {err}") from err

    def matches(self, other: "X509Name") -> bool:
        """Whether two names are the same name (RFC 5280 section 7.1: equal DER, or equal after
        folding case and white space in every value, RDNs compared as sets)."""
        if self.der == other.der:
            return True
        mine, theirs = self.attributes, other.attributes
        if len(mine) != len(theirs):
            return False
        # RDN by RDN, folding only values whose octets differ: a chain's subject and issuer
        # usually differ in one value (the CN), and most names are never compared twice.
        for rdn, other_rdn in zip(mine, theirs):
            if len(rdn) != 1 or len(other_rdn) != 1:
                return self._match_key() == other._match_key()  # multi-valued RDNs compare as sets
            (oid, tag, contents), (other_oid, other_tag, other_contents) = rdn[0], other_rdn[0]
            if oid != other_oid:
                return False
            if (contents != other_contents or tag != other_tag) \
                    and _match_form(tag, contents) != _match_form(other_tag, other_contents):
                return False
        return True

    def _match_key(self) -> Tuple[object, ...]:
        if self._match is None:
            key: List[object] = []
            for rdn in self.attributes:
                if len(rdn) == 1:
                    oid, tag, contents = rdn[0]
                    key.append((oid, _match_form(tag, contents)))
                else:
                    key.append(frozenset((oid, _match_form(tag, contents)) for oid, tag, contents in rdn))
            self._match = tuple(key)
        return self._match

    def __eq__(self, other: object) -> bool:
        return isinstance(other, X509Name) and other.der == self.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __str__(self) -> str:
        return self.rfc4514

    def __repr__(self) -> str:
        return f"X509Name({self.rfc4514!r})"


# The most values (TLVs at any depth) a name may hold for asn1crypto to render it. Its native form
# of a wide value under an unknown attribute type costs far more than linear time: 1.3 s for a
# 122 KB name of 35,000 values (found by fuzzing `repr(CertEntry)`). Real names hold a few dozen.
MAX_NAME_VALUES = 1024


def _holds_more_values(der: bytes, limit: int) -> bool:
    """Whether the DER ``der`` holds more than ``limit`` values, counted at every depth (stops
    counting at ``limit + 1``)."""
    count = 0
    pending = [(0, len(der))]
    while pending:
        pos, end = pending.pop()
        while pos < end:
            tag, start, stop = der_header(der, pos, end, "certificate name")
            count += 1
            if count > limit:
                return True
            if tag & tlv.CONSTRUCTED:
                pending.append((start, stop))
            pos = stop
    return False


def cached_name(der: bytes, cache: Optional[NameCache]) -> X509Name:
    if cache is None:
        return X509Name(der)
    name = cache.get(der)
    if name is None:
        name = cache[der] = X509Name(der)
    return name
