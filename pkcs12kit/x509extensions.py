"""The subjectAltName, keyUsage and extendedKeyUsage extensions, read at the TLV level and
rendered as asn1crypto renders them.

Exports: ListedExtensions, read_listed_extensions.

`info` lists these three extensions (RFC 5280 sections 4.2.1.6, 4.2.1.3 and 4.2.1.12) for every
certificate of a file of up to 100. Reading them through asn1crypto parses the whole certificate
(about 1.4 ms each, most of `info`'s time on such a file); here they are located by walking the
tag-length-value headers of the extensions (RFC 5280 section 4.1.2.9) after the span
`CertificateFields` has already found, and rendered as the strings asn1crypto's ``.native``
gives, which ``info`` has always shown:

- subjectAltName: ``DNS:host``, ``IP:192.0.2.1``, ``IP:2001:db8::1``, ``email:a@example.com``,
  ``URI:https://example.com/``, in the certificate's order;
- keyUsage: asn1crypto's names of the set bits (``digital_signature`` ...), sorted;
- extendedKeyUsage: asn1crypto's KeyPurposeId names in the certificate's order, the dotted OID
  for a purpose it does not name.

Whatever this reader cannot render exactly as asn1crypto does (another GeneralName kind, a
string that is not plain ASCII, a keyUsage bit past decipherOnly, one of the three extensions
present twice, a constructed string, unique identifiers, bytes after a value ...) makes it return
None, and the caller reads the extensions through asn1crypto as before. Broken structure raises
MalformedError, and nothing else escapes; every loop advances through the data, and nothing
recurses.
"""

from __future__ import annotations

import socket
from typing import Dict, List, NamedTuple, Optional, Tuple

from asn1crypto.util import inet_ntop, uri_to_iri

from . import tlv
from .errors import MalformedError
from .x509fields import CertificateFields
from .x509names import der_expect, der_header, oid_text

__all__ = ["ListedExtensions", "read_listed_extensions"]

_SAN = "2.5.29.17"
_KEY_USAGE = "2.5.29.15"
_EXTENDED_KEY_USAGE = "2.5.29.37"
_BOOLEAN = 0x01
_EXTENSIONS = 0xA3  # [3] EXPLICIT Extensions (RFC 5280 section 4.1)

# GeneralName tags (RFC 5280 section 4.2.1.6, IMPLICIT, primitive) and asn1crypto's labels.
_RFC822_NAME, _DNS_NAME, _URI, _IP_ADDRESS = 0x81, 0x82, 0x86, 0x87
_SAN_LABELS = {_RFC822_NAME: "email", _DNS_NAME: "DNS", _URI: "URI", _IP_ADDRESS: "IP"}

# asn1crypto's KeyUsage names, by bit (RFC 5280 section 4.2.1.3: digitalSignature (0) to
# decipherOnly (8)).
_KEY_USAGE_NAMES = ("digital_signature", "non_repudiation", "key_encipherment", "data_encipherment",
                    "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")

# asn1crypto's KeyPurposeId names for the purposes certificates carry most: RFC 5280 section
# 4.2.1.12, IPsec (RFC 4945) and the Microsoft and IKE ones Cisco and Windows CAs issue. Others
# are named by asn1crypto's own table (its x509 module is imported only then).
_PURPOSES = {
    "2.5.29.37.0": "any_extended_key_usage",
    "1.3.6.1.5.5.7.3.1": "server_auth",
    "1.3.6.1.5.5.7.3.2": "client_auth",
    "1.3.6.1.5.5.7.3.3": "code_signing",
    "1.3.6.1.5.5.7.3.4": "email_protection",
    "1.3.6.1.5.5.7.3.5": "ipsec_end_system",
    "1.3.6.1.5.5.7.3.6": "ipsec_tunnel",
    "1.3.6.1.5.5.7.3.7": "ipsec_user",
    "1.3.6.1.5.5.7.3.8": "time_stamping",
    "1.3.6.1.5.5.7.3.9": "ocsp_signing",
    "1.3.6.1.5.5.7.3.17": "ipsec_ike",
    "1.3.6.1.5.5.8.2.2": "ike_intermediate",
    "1.3.6.1.4.1.311.20.2.2": "microsoft_smart_card_logon",
}


class ListedExtensions(NamedTuple):
    """The three extensions as ``info`` and health show them: ``san`` (empty without the
    extension), ``key_usage`` and ``extended_key_usage`` (None without the extension)."""

    san: Tuple[str, ...]
    key_usage: Optional[Tuple[str, ...]]
    extended_key_usage: Optional[Tuple[str, ...]]


def read_listed_extensions(fields: CertificateFields) -> Optional[ListedExtensions]:
    """subjectAltName, keyUsage and extendedKeyUsage of the certificate ``fields`` locates
    (RFC 5280 sections 4.1.2.9, 4.2.1.6, 4.2.1.3, 4.2.1.12), as asn1crypto renders them.

    None when asn1crypto should decide (see the module docstring); MalformedError when the
    extensions are not well-formed DER.
    """
    der = fields.der
    found = _find(der, *fields.extensions_span)
    if found is None:
        return None
    san: Optional[Tuple[str, ...]] = ()
    key_usage = extended_key_usage = None
    if _SAN in found:
        san = _san(der, *found[_SAN])
    if _KEY_USAGE in found:
        key_usage = _key_usage(der, *found[_KEY_USAGE])
        if key_usage is None:
            return None
    if _EXTENDED_KEY_USAGE in found:
        extended_key_usage = _extended_key_usage(der, *found[_EXTENDED_KEY_USAGE])
        if extended_key_usage is None:
            return None
    if san is None:
        return None
    return ListedExtensions(san, key_usage, extended_key_usage)


def _find(der: bytes, pos: int, end: int) -> Optional[Dict[str, Tuple[int, int]]]:
    """extnID -> (extnValue contents start, end) for the three listed extensions, found in what
    follows subjectPublicKeyInfo (``pos`` to ``end``); None for anything but one [3]."""
    where = "certificate extensions"
    found: Dict[str, Tuple[int, int]] = {}
    if pos == end:
        return found  # no extensions (a version 1 or 2 certificate)
    tag, start, stop = der_header(der, pos, end, where)
    if tag != _EXTENSIONS or stop != end:
        return None  # issuerUniqueID/subjectUniqueID or something stranger: asn1crypto's call
    seq_start, seq_end = der_expect(der, start, stop, tlv.SEQUENCE, where)
    if seq_end != stop:
        return None
    at = seq_start
    while at < seq_end:
        ext_start, ext_end = der_expect(der, at, seq_end, tlv.SEQUENCE, where)
        at = ext_end
        oid_start, oid_end = der_expect(der, ext_start, ext_end, tlv.OID, where)
        # The dotted form, not the octets: asn1crypto names an OID by its value, so a
        # non-minimal encoding of 2.5.29.17 is still the subjectAltName to it.
        dotted = oid_text(der[oid_start:oid_end], where)
        tag, value_start, value_end = der_header(der, oid_end, ext_end, where)
        if tag == _BOOLEAN:  # critical
            if value_end - value_start != 1:
                return None
            tag, value_start, value_end = der_header(der, value_end, ext_end, where)
        if tag != tlv.OCTET_STRING or value_end != ext_end:
            return None
        if dotted in (_SAN, _KEY_USAGE, _EXTENDED_KEY_USAGE):
            if dotted in found:
                return None  # present twice (RFC 5280 4.2 forbids it): asn1crypto keeps the last
            found[dotted] = (value_start, value_end)
    return found


def _san(der: bytes, start: int, end: int) -> Optional[Tuple[str, ...]]:
    """GeneralNames (RFC 5280 section 4.2.1.6) of dNSName, rfc822Name, URI and iPAddress."""
    where = "certificate subjectAltName"
    seq_start, seq_end = der_expect(der, start, end, tlv.SEQUENCE, where)
    if seq_end != end:
        return None
    items: List[str] = []
    pos = seq_start
    while pos < seq_end:
        tag, begin, stop = der_header(der, pos, seq_end, where)
        pos = stop
        label = _SAN_LABELS.get(tag)
        if label is None:
            return None  # otherName, directoryName, registeredID ...: asn1crypto renders those
        text = _ip_address(der[begin:stop]) if tag == _IP_ADDRESS else _ia5_text(tag, der[begin:stop])
        if text is None:
            return None
        items.append(f"{label}:{text}")
    return tuple(items)


def _ia5_text(tag: int, contents: bytes) -> Optional[str]:
    """An IA5String GeneralName as asn1crypto's DNSName, EmailAddress and URI decode it (IDNA
    host names, URIs through its ``uri_to_iri``); None for values that are not plain ASCII."""
    if not contents.isascii():
        return None
    try:
        if tag == _DNS_NAME:
            return contents.decode("idna")
        if tag == _RFC822_NAME:
            if b"@" not in contents:
                return contents.decode("ascii")
            mailbox, host = contents.rsplit(b"@", 1)
            return mailbox.decode("ascii") + "@" + host.decode("idna")
        return str(uri_to_iri(contents))
    except Exception:  # a value asn1crypto's decoding refuses: asn1crypto reports it as before
        return None


def _ip_address(contents: bytes) -> Optional[str]:
    """An iPAddress as asn1crypto writes it: IPv4 dotted or IPv6 compressed (``inet_ntop``), and
    for the 8- and 32-byte forms (an address and a mask, as in name constraints) ``/`` and the
    mask's length up to its last one bit."""
    size = len(contents)
    if size in (4, 8):
        text = inet_ntop(socket.AF_INET, contents[:4])
        mask = contents[4:]
    elif size in (16, 32):
        text = inet_ntop(socket.AF_INET6, contents[:16])
        mask = contents[16:]
    else:
        return None  # asn1crypto writes "None" for any other length
    if mask:
        text += "/" + str(len(format(int.from_bytes(mask, "big"), "b").rstrip("0")))
    return str(text)


def _key_usage(der: bytes, start: int, end: int) -> Optional[Tuple[str, ...]]:
    """The names of the bits set in a KeyUsage BIT STRING (RFC 5280 section 4.2.1.3), sorted."""
    tag, begin, stop = der_header(der, start, end, "certificate keyUsage")
    if tag != tlv.BIT_STRING or stop != end or begin == stop:
        return None
    unused = der[begin]
    if unused > 7 or (unused and stop - begin == 1):
        return None  # asn1crypto refuses these (X.690 section 8.6.2.2-3)
    bits = (stop - begin - 1) * 8 - unused
    value = int.from_bytes(der[begin + 1:stop], "big") >> unused
    named = len(_KEY_USAGE_NAMES)
    if bits > named:
        if value & ((1 << (bits - named)) - 1):
            return None  # a bit asn1crypto has no name for
        value >>= bits - named
        bits = named
    return tuple(sorted(_KEY_USAGE_NAMES[index] for index in range(bits) if value >> (bits - 1 - index) & 1))


def _extended_key_usage(der: bytes, start: int, end: int) -> Optional[Tuple[str, ...]]:
    """The KeyPurposeIds of an ExtKeyUsageSyntax (RFC 5280 section 4.2.1.12), in order."""
    where = "certificate extendedKeyUsage"
    seq_start, seq_end = der_expect(der, start, end, tlv.SEQUENCE, where)
    if seq_end != end:
        return None
    purposes: List[str] = []
    pos = seq_start
    while pos < seq_end:
        oid_start, pos = der_expect(der, pos, seq_end, tlv.OID, where)
        dotted = oid_text(der[oid_start:pos], where)
        name = _PURPOSES.get(dotted)
        purposes.append(name if name is not None else _asn1crypto_purpose(dotted))
    return tuple(purposes)


def _asn1crypto_purpose(dotted: str) -> str:
    # import time: asn1crypto's x509 module loads only for purposes outside the table above
    from asn1crypto import x509

    try:
        return str(x509.KeyPurposeId.map(dotted))
    except Exception as err:  # never for a dotted string; kept to the module's one exception
        raise MalformedError(f"certificate extendedKeyUsage: {dotted}: {err}") from err
