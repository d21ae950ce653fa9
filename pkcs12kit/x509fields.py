"""The fields users read from a certificate, read at the TLV level without a full X.509 parse.

Exports: PublicKeyInfo, CertificateFields, read_certificate_fields (and, from x509names,
X509Name and NameCache).

A full asn1crypto parse of a certificate costs ~300 µs; reading a chain of 10,000 subjects that
way took seconds. The fields a listing needs (RFC 5280 section 4.1: serialNumber, issuer,
validity, subject, subjectPublicKeyInfo, and the basicConstraints extension of 4.2.1.9) sit at
fixed places in ``tbsCertificate``, so they are located by walking tag-length-value headers over
the certificate's DER, and each one is decoded only when asked for.

Names are decoded by `x509names` and shared through the per-file `NameCache`, so a name is
decoded once however many certificates carry it.

Everything malformed raises `MalformedError`; nothing here recurses, so nesting cannot exhaust
the stack.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Dict, NamedTuple, Optional, Tuple

from . import tlv
from .errors import MalformedError
from .x509names import NameCache, X509Name, cached_name, der_expect, der_header, oid_text

__all__ = ["X509Name", "PublicKeyInfo", "CertificateFields", "read_certificate_fields", "NameCache", "curve_bits"]

_UTC = datetime.timezone.utc

# --- validity (RFC 5280 section 4.1.2.5) -----------------------------------------------------

# Validity DER -> (notBefore, notAfter): certificates issued together share their validity.
_TIMES_CACHE: Dict[bytes, Tuple[datetime.datetime, datetime.datetime]] = {}


def _time(tag: int, contents: bytes, element: bytes) -> datetime.datetime:
    """An aware UTC datetime from a UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime
    (YYYYMMDDHHMMSSZ), the forms RFC 5280 4.1.2.5.1-2 allows; other forms via asn1crypto."""
    try:
        if tag == tlv.UTC_TIME and len(contents) == 13 and contents[12] == 0x5A and contents[:12].isdigit():
            year = int(contents[0:2])
            year += 1900 if year >= 50 else 2000
            rest = contents[2:12]
        elif tag == tlv.GENERALIZED_TIME and len(contents) == 15 and contents[14] == 0x5A and contents[:14].isdigit():
            year = int(contents[0:4])
            rest = contents[4:14]
        else:
            return _other_time(tag, element)
        return datetime.datetime(year, int(rest[0:2]), int(rest[2:4]), int(rest[4:6]), int(rest[6:8]),
                                 int(rest[8:10]), tzinfo=_UTC)
    except ValueError as err:
        raise MalformedError(f"certificate validity: invalid time {contents[:20]!r}: {err}") from err


def _other_time(tag: int, element: bytes) -> datetime.datetime:
    # import time: asn1crypto loads only for times outside the RFC 5280 forms
    from asn1crypto import core

    kinds = {tlv.UTC_TIME: core.UTCTime, tlv.GENERALIZED_TIME: core.GeneralizedTime}
    if tag not in kinds:
        raise MalformedError(f"certificate validity: expected a UTCTime or GeneralizedTime, found tag 0x{tag:02x}")
    try:
        value = kinds[tag].load(element).native
    except Exception as err:  # whatever asn1crypto raises on a bad time is a malformed time
        raise MalformedError(f"certificate validity: cannot parse the time: {type(err).__name__}: {err}") from err
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        raise MalformedError("certificate validity: a time outside what a datetime can hold")
    return value.astimezone(_UTC)


# --- public key (RFC 5280 section 4.1.2.7) ---------------------------------------------------


class PublicKeyInfo(NamedTuple):
    """A certificate's public key: ``algorithm`` in asn1crypto's naming (``"rsa"``, ``"ec"``,
    ``"dsa"``, ``"ed25519"`` ...), ``bits`` its size as cryptography's ``key_size`` gives it
    (RSA modulus bits, DSA prime bits, the EC curve's size), ``curve`` the named curve for EC
    (asn1crypto's name, e.g. ``"secp256r1"``) and the algorithm for the Edwards/Montgomery keys."""

    algorithm: str
    bits: Optional[int]
    curve: Optional[str]


_KEY_ALGORITHMS = {
    "1.2.840.113549.1.1.1": "rsa", "1.2.840.113549.1.1.10": "rsassa_pss", "1.2.840.10045.2.1": "ec",
    "1.2.840.10040.4.1": "dsa", "1.3.101.112": "ed25519", "1.3.101.113": "ed448", "1.3.101.110": "x25519",
    "1.3.101.111": "x448",
}
_FIXED_SIZES = {"ed25519": 256, "x25519": 256, "ed448": 456, "x448": 448}
_CURVES = {
    "1.2.840.10045.3.1.7": "secp256r1", "1.3.132.0.34": "secp384r1", "1.3.132.0.35": "secp521r1",
    "1.3.132.0.33": "secp224r1", "1.2.840.10045.3.1.1": "secp192r1", "1.3.132.0.10": "secp256k1",
}


def _curve_name(dotted: str) -> str:
    name = _CURVES.get(dotted)
    if name is None:
        # import time: asn1crypto's table of ~80 curves loads only for the uncommon ones
        from asn1crypto import keys

        name = str(keys.NamedCurve.map(dotted))
    return name


def curve_bits(name: str) -> Optional[int]:
    """The size in bits of a named curve, from its name: every standard name carries it
    (secp256r1, brainpoolP384r1, prime239v1, sect283k1, c2pnb163v1: the largest number in the
    name). None for a curve known only by its OID. This is cryptography's ``key_size``: the
    curve's size, not the bit length of one key's private scalar or point."""
    if name[:1].isdigit():
        return None  # a dotted OID: no name to read a size from
    numbers = [int(digits) for digits in re.findall(r"\d+", name)]
    return max(numbers) if numbers and max(numbers) >= 100 else None


def _integer_bits(data: bytes, start: int, limit: int, where: str) -> Tuple[int, int]:
    """(bit length of the non-negative INTEGER at ``start``, offset after it), counted from its
    leading octets rather than by converting a 2048-bit number."""
    begin, end = der_expect(data, start, limit, tlv.INTEGER, where)
    if begin < end and data[begin] & 0x80:  # negative (never a real key size): exact, through int
        return int.from_bytes(data[begin:end], "big", signed=True).bit_length(), end
    while begin < end and data[begin] == 0:
        begin += 1
    if begin == end:
        return 0, end
    return (end - begin - 1) * 8 + data[begin].bit_length(), end


def _explicit_curve_bits(der: bytes, start: int, end: int) -> Optional[int]:
    """The field size of explicit EC parameters (RFC 3279 section 2.3.5: ECParameters { version,
    fieldID { prime-field, p }, ... }): the curve's size, with no name to give."""
    where = "certificate EC parameters"
    tag, params_start, params_end = der_header(der, start, end, where)
    if tag != tlv.SEQUENCE:
        return None
    _, field_at = der_expect(der, params_start, params_end, tlv.INTEGER, where)
    field_start, field_end = der_expect(der, field_at, params_end, tlv.SEQUENCE, where)
    type_start, type_end = der_expect(der, field_start, field_end, tlv.OID, where)
    if oid_text(der[type_start:type_end], where) != "1.2.840.10045.1.1":  # prime-field
        return None
    return _integer_bits(der, type_end, field_end, where)[0]


def _public_key_info(der: bytes, start: int, end: int) -> PublicKeyInfo:
    where = "certificate subjectPublicKeyInfo"
    alg_start, alg_end = der_expect(der, start, end, tlv.SEQUENCE, where)
    oid_start, oid_end = der_expect(der, alg_start, alg_end, tlv.OID, where)
    dotted = oid_text(der[oid_start:oid_end], where)
    algorithm = _KEY_ALGORITHMS.get(dotted, dotted)
    bits_start, bits_end = der_expect(der, alg_end, end, tlv.BIT_STRING, where)
    if algorithm in ("rsa", "rsassa_pss"):
        key_start, key_end = der_expect(der, bits_start + 1, bits_end, tlv.SEQUENCE, where)
        bits, _ = _integer_bits(der, key_start, key_end, where)
        return PublicKeyInfo(algorithm, bits, None)
    if algorithm == "ec":
        tag, param_start, param_end = der_header(der, oid_end, alg_end, where)
        if tag != tlv.OID:
            return PublicKeyInfo(algorithm, _explicit_curve_bits(der, oid_end, alg_end), None)
        curve = _curve_name(oid_text(der[param_start:param_end], where))
        return PublicKeyInfo(algorithm, curve_bits(curve), curve)
    if algorithm == "dsa" and oid_end < alg_end:
        params_start, params_end = der_expect(der, oid_end, alg_end, tlv.SEQUENCE, where)
        bits, _ = _integer_bits(der, params_start, params_end, where)
        return PublicKeyInfo(algorithm, bits, None)
    if algorithm in _FIXED_SIZES:
        return PublicKeyInfo(algorithm, _FIXED_SIZES[algorithm], algorithm)
    return PublicKeyInfo(algorithm, None, None)


# --- the certificate -------------------------------------------------------------------------

_BASIC_CONSTRAINTS = bytes((tlv.OID, 3, 0x55, 0x1D, 0x13))  # 2.5.29.19 (RFC 5280 4.2.1.9)


class CertificateFields:
    """Where the fields of one certificate are, and each field decoded on first use.

    Built by `read_certificate_fields`, which checks the shape of ``tbsCertificate`` up to the
    public key (RFC 5280 section 4.1); every property decodes its field once.
    """

    __slots__ = ("der", "_names", "_serial", "_issuer_at", "_validity", "_subject_at", "_spki", "_extensions",
                 "_issuer", "_subject", "_times", "_key", "_ca", "_self_issued", "_digests")

    def __init__(self, der: bytes, names: Optional[NameCache]) -> None:
        where = "certificate"
        self.der = der
        self._names = names
        self._issuer: Optional[X509Name] = None
        self._subject: Optional[X509Name] = None
        self._times: Optional[Tuple[datetime.datetime, datetime.datetime]] = None
        self._key: Optional[PublicKeyInfo] = None
        self._ca: Optional[bool] = None
        self._self_issued: Optional[bool] = None
        self._digests: Dict[str, bytes] = {}
        cert_start, cert_end = der_expect(der, 0, len(der), tlv.SEQUENCE, where)
        if cert_end != len(der):
            raise MalformedError(f"{where}: {len(der) - cert_end} unexpected bytes after the certificate")
        tbs_start, tbs_end = der_expect(der, cert_start, cert_end, tlv.SEQUENCE, "tbsCertificate")
        where = "tbsCertificate"
        tag, start, end = der_header(der, tbs_start, tbs_end, where)
        if tag == tlv.CONTEXT_0:  # [0] EXPLICIT version
            tag, start, end = der_header(der, end, tbs_end, where)
        if tag != tlv.INTEGER or start == end:
            raise MalformedError(f"{where}: expected the serialNumber INTEGER, found tag 0x{tag:02x}")
        self._serial = (start, end)
        _, issuer_at = der_expect(der, end, tbs_end, tlv.SEQUENCE, where)  # the signature algorithm
        _, validity_at = der_expect(der, issuer_at, tbs_end, tlv.SEQUENCE, where)
        self._issuer_at = (issuer_at, validity_at)
        validity_start, subject_at = der_expect(der, validity_at, tbs_end, tlv.SEQUENCE, where)
        self._validity = (validity_start, subject_at)
        _, spki_at = der_expect(der, subject_at, tbs_end, tlv.SEQUENCE, where)
        self._subject_at = (subject_at, spki_at)
        spki_start, spki_end = der_expect(der, spki_at, tbs_end, tlv.SEQUENCE, where)
        self._spki = (spki_at, spki_start, spki_end)
        self._extensions = (spki_end, tbs_end)

    @property
    def serial_number(self) -> int:
        start, end = self._serial
        return int.from_bytes(self.der[start:end], "big", signed=True)

    @property
    def issuer_der(self) -> bytes:
        """The issuer Name's DER, not decoded (what chains are built from)."""
        start, end = self._issuer_at
        return self.der[start:end]

    @property
    def subject_der(self) -> bytes:
        start, end = self._subject_at
        return self.der[start:end]

    @property
    def issuer(self) -> X509Name:
        if self._issuer is None:
            start, end = self._issuer_at
            self._issuer = cached_name(self.der[start:end], self._names)
        return self._issuer

    @property
    def subject(self) -> X509Name:
        if self._subject is None:
            start, end = self._subject_at
            self._subject = cached_name(self.der[start:end], self._names)
        return self._subject

    def _validity_times(self) -> Tuple[datetime.datetime, datetime.datetime]:
        if self._times is None:
            der = self.der
            start, end = self._validity
            key = der[start:end]
            times = _TIMES_CACHE.get(key)
            if times is None:
                where = "certificate validity"
                tag, begin, stop = der_header(der, start, end, where)
                not_before = _time(tag, der[begin:stop], der[start:stop])
                tag2, begin2, stop2 = der_header(der, stop, end, where)
                if stop2 != end:
                    raise MalformedError(f"{where}: more than notBefore and notAfter")
                times = (not_before, _time(tag2, der[begin2:stop2], der[stop:stop2]))
                if len(_TIMES_CACHE) < 4096:
                    _TIMES_CACHE[key] = times
            self._times = times
        return self._times

    @property
    def not_before(self) -> datetime.datetime:
        return self._validity_times()[0]

    @property
    def not_after(self) -> datetime.datetime:
        return self._validity_times()[1]

    @property
    def public_key_info(self) -> PublicKeyInfo:
        if self._key is None:
            _, start, end = self._spki
            self._key = _public_key_info(self.der, start, end)
        return self._key

    @property
    def public_key_der(self) -> bytes:
        """The SubjectPublicKeyInfo DER (what keys are paired by)."""
        at, _, end = self._spki
        return self.der[at:end]

    def fingerprint(self, algorithm: str = "sha256") -> bytes:
        """The digest of the certificate's DER (``hashlib`` algorithm name)."""
        digest = self._digests.get(algorithm)
        if digest is None:
            digest = self._digests[algorithm] = hashlib.new(algorithm, self.der).digest()
        return digest

    @property
    def self_issued(self) -> bool:
        """Subject and issuer are the same name (RFC 5280 section 6.1, "self-issued")."""
        if self._self_issued is None:  # `info` and health both ask, for every certificate
            self._self_issued = self.subject.matches(self.issuer)
        return self._self_issued

    @property
    def extensions_span(self) -> Tuple[int, int]:
        """(start, end) in ``der`` of what follows subjectPublicKeyInfo in ``tbsCertificate``:
        the optional issuerUniqueID, subjectUniqueID and [3] extensions (RFC 5280 section 4.1),
        where `x509extensions` looks for the extensions ``info`` lists."""
        return self._extensions

    @property
    def signature_algorithm_oid(self) -> str:
        """The dotted OID of the outer signatureAlgorithm (RFC 5280 section 4.1.1.2), read from
        the two headers after ``tbsCertificate``, whose end is already known."""
        der = self.der
        where = "certificate signatureAlgorithm"
        start, end = der_expect(der, self._extensions[1], len(der), tlv.SEQUENCE, where)
        oid_start, oid_end = der_expect(der, start, end, tlv.OID, where)
        return oid_text(der[oid_start:oid_end], where)

    @property
    def ca(self) -> bool:
        """basicConstraints cA (RFC 5280 4.2.1.9); False without the extension."""
        if self._ca is None:
            self._ca = self._read_ca()
        return self._ca

    def _read_ca(self) -> bool:
        der = self.der
        pos, end = self._extensions
        where = "certificate extensions"
        while pos < end:
            tag, start, stop = der_header(der, pos, end, where)
            pos = stop
            if tag != 0xA3:  # [1] issuerUniqueID, [2] subjectUniqueID come before [3] extensions
                continue
            seq_start, seq_end = der_expect(der, start, stop, tlv.SEQUENCE, where)
            at = seq_start
            while at < seq_end:
                ext_start, ext_end = der_expect(der, at, seq_end, tlv.SEQUENCE, where)
                at = ext_end
                if der[ext_start:ext_start + len(_BASIC_CONSTRAINTS)] != _BASIC_CONSTRAINTS:
                    continue
                cursor = ext_start + len(_BASIC_CONSTRAINTS)
                tag, value_start, value_end = der_header(der, cursor, ext_end, where)
                if tag == 0x01:  # critical BOOLEAN
                    tag, value_start, value_end = der_header(der, value_end, ext_end, where)
                if tag != tlv.OCTET_STRING:
                    raise MalformedError(f"{where}: basicConstraints has no extnValue OCTET STRING")
                bc_start, bc_end = der_expect(der, value_start, value_end, tlv.SEQUENCE, where)
                if bc_start == bc_end:
                    return False
                tag, flag_start, flag_end = der_header(der, bc_start, bc_end, where)
                return tag == 0x01 and flag_end == flag_start + 1 and der[flag_start] != 0
        return False


def read_certificate_fields(der: bytes, names: Optional[NameCache] = None) -> CertificateFields:
    """Locate the fields of the X.509 certificate ``der`` (RFC 5280 section 4.1).

    ``names`` is the per-file `NameCache`: certificates of one file share their decoded names.
    Raises MalformedError when ``tbsCertificate`` does not have the RFC 5280 shape.
    """
    return CertificateFields(bytes(der), names)
