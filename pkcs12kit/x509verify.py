"""Whether one certificate's key signed another, with cryptography's primitives, not its x509 module.

Exports: verify_issued_by, public_key_der, private_key_spki.

``cryptography.x509`` costs about 20 ms to import (its name parser compiles regular expressions
and it pulls in ``email.utils``), which was a seventh of ``pkcs12kit info`` on a small file
(issue 12). A signature check needs only three things from the certificate (RFC 5280 section
4.1.1): the DER of ``tbsCertificate``, ``signatureAlgorithm`` and the ``signatureValue`` BIT
STRING, and from the issuer its ``subjectPublicKeyInfo`` (section 4.1.2.7). Those are found by
walking TLV headers, the key is loaded with ``load_der_public_key`` and the key's own ``verify``
does the rest.

The verdict follows ``Certificate.verify_directly_issued_by``: False when the names differ (the
subject's issuer is not the issuer's subject, section 4.1.2.4) or the signature does not verify;
True when it verifies; None ("cannot tell") for what it would refuse or cannot check: a version
other than v1-v3 (section 4.1.2.1), a signature algorithm outside the table below or with
parameters it does not take, a key of another type than the algorithm's, a key it cannot load,
and any certificate whose outer shape is not the RFC 5280 one. One case is stricter than
cryptography: a signature BIT STRING that claims unused bits is "cannot tell" (signatures are
whole octets), where cryptography verifies its octets anyway if the unused bits are zero.
Nothing here raises.

Signature algorithms (RFC 4055, RFC 5758, RFC 8410, RFC 3279, NIST CSOR for SHA-3): RSA PKCS#1
v1.5 and ECDSA with SHA-2 and SHA-3; RSASSA-PSS with MGF1 (RFC 4055 section 3.1); DSA with SHA-2;
Ed25519 and Ed448. SHA-1 signatures are "cannot tell", as cryptography 50 has them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Tuple

from . import tlv
from .errors import MalformedError
from .x509names import der_expect, der_header, oid_text

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.hashes import HashAlgorithm

__all__ = ["verify_issued_by", "public_key_der", "private_key_spki"]

_NULL = b"\x05\x00"

# OID -> (key type, hash name); the hash names are cryptography's ``hashes`` class names. SHA-1
# signatures are left out: cryptography (50) refuses to verify them, and they get the
# weak-signature finding anyway.
_SIGNATURES = {
    "1.2.840.113549.1.1.14": ("rsa", "SHA224"),
    "1.2.840.113549.1.1.11": ("rsa", "SHA256"),
    "1.2.840.113549.1.1.12": ("rsa", "SHA384"),
    "1.2.840.113549.1.1.13": ("rsa", "SHA512"),
    "2.16.840.1.101.3.4.3.13": ("rsa", "SHA3_224"),
    "2.16.840.1.101.3.4.3.14": ("rsa", "SHA3_256"),
    "2.16.840.1.101.3.4.3.15": ("rsa", "SHA3_384"),
    "2.16.840.1.101.3.4.3.16": ("rsa", "SHA3_512"),
    "1.2.840.10045.4.3.1": ("ec", "SHA224"),
    "1.2.840.10045.4.3.2": ("ec", "SHA256"),
    "1.2.840.10045.4.3.3": ("ec", "SHA384"),
    "1.2.840.10045.4.3.4": ("ec", "SHA512"),
    "2.16.840.1.101.3.4.3.9": ("ec", "SHA3_224"),
    "2.16.840.1.101.3.4.3.10": ("ec", "SHA3_256"),
    "2.16.840.1.101.3.4.3.11": ("ec", "SHA3_384"),
    "2.16.840.1.101.3.4.3.12": ("ec", "SHA3_512"),
    "2.16.840.1.101.3.4.3.1": ("dsa", "SHA224"),
    "2.16.840.1.101.3.4.3.2": ("dsa", "SHA256"),
    "2.16.840.1.101.3.4.3.3": ("dsa", "SHA384"),
    "2.16.840.1.101.3.4.3.4": ("dsa", "SHA512"),
    "1.3.101.112": ("ed25519", ""),
    "1.3.101.113": ("ed448", ""),
}
_RSASSA_PSS = "1.2.840.113549.1.1.10"
_MGF1 = "1.2.840.113549.1.1.8"
# The digests RSASSA-PSS parameters may name (RFC 4055 section 2.1, RFC 5754 section 2).
_PSS_HASHES = {
    "1.3.14.3.2.26": "SHA1",
    "2.16.840.1.101.3.4.2.4": "SHA224",
    "2.16.840.1.101.3.4.2.1": "SHA256",
    "2.16.840.1.101.3.4.2.2": "SHA384",
    "2.16.840.1.101.3.4.2.3": "SHA512",
}


class _CannotTell(Exception):
    """The check has no verdict (see the module docstring)."""


def _split(der: bytes, where: str) -> Tuple[bytes, bytes, int, int, int]:
    """(tbsCertificate DER, signatureAlgorithm DER, its contents' start, signature start,
    signature end) of a certificate (RFC 5280 section 4.1.1)."""
    cert_start, cert_end = der_expect(der, 0, len(der), tlv.SEQUENCE, where)
    if cert_end != len(der):
        raise MalformedError(f"{where}: bytes after the certificate")
    tag, _, tbs_end = der_header(der, cert_start, cert_end, where)
    if tag != tlv.SEQUENCE:
        raise MalformedError(f"{where}: no tbsCertificate")
    alg_start, alg_end = der_expect(der, tbs_end, cert_end, tlv.SEQUENCE, where)
    tag, sig_start, sig_end = der_header(der, alg_end, cert_end, where)
    if tag != tlv.BIT_STRING or sig_end != cert_end:
        raise MalformedError(f"{where}: no signatureValue BIT STRING at the end")
    return der[cert_start:tbs_end], der[tbs_end:alg_end], alg_start - tbs_end, sig_start, sig_end


def _tbs_fields(tbs: bytes, where: str) -> Tuple[bytes, bytes, bytes, bytes]:
    """(signature AlgorithmIdentifier DER, issuer DER, subject DER, subjectPublicKeyInfo DER) of
    a ``tbsCertificate`` element, refusing a version other than v1, v2, v3 (RFC 5280 section
    4.1.2.1) as cryptography does."""
    start, end = der_expect(tbs, 0, len(tbs), tlv.SEQUENCE, where)
    tag, field_start, field_end = der_header(tbs, start, end, where)
    if tag == tlv.CONTEXT_0:
        version_start, version_end = der_expect(tbs, field_start, field_end, tlv.INTEGER, where)
        if tbs[version_start:version_end] not in (b"\x00", b"\x01", b"\x02") or version_end != field_end:
            raise _CannotTell()
        tag, field_start, field_end = der_header(tbs, field_end, end, where)
    if tag != tlv.INTEGER:
        raise MalformedError(f"{where}: no serialNumber")
    _, issuer_at = der_expect(tbs, field_end, end, tlv.SEQUENCE, where)
    _, validity_at = der_expect(tbs, issuer_at, end, tlv.SEQUENCE, where)
    _, subject_at = der_expect(tbs, validity_at, end, tlv.SEQUENCE, where)
    _, spki_at = der_expect(tbs, subject_at, end, tlv.SEQUENCE, where)
    _, spki_end = der_expect(tbs, spki_at, end, tlv.SEQUENCE, where)
    return tbs[field_end:issuer_at], tbs[issuer_at:validity_at], tbs[subject_at:spki_at], tbs[spki_at:spki_end]


def _hash_of(der: bytes, start: int, end: int, where: str) -> str:
    """The cryptography hash name of a hash AlgorithmIdentifier's contents (parameters absent or NULL)."""
    tag, oid_start, oid_end = der_header(der, start, end, where)
    if tag != tlv.OID or der[oid_end:end] not in (b"", _NULL):
        raise _CannotTell()
    name = _PSS_HASHES.get(oid_text(der[oid_start:oid_end], where))
    if name is None:
        raise _CannotTell()
    return name


def _pss(der: bytes, start: int, end: int, where: str) -> Tuple[str, str, int]:
    """(hash, MGF1 hash, salt length) of RSASSA-PSS-params (RFC 4055 section 3.1); the
    parameters must be present and their trailerField 1."""
    params_start, params_end = der_expect(der, start, end, tlv.SEQUENCE, where)
    if params_end != end:
        raise _CannotTell()
    hash_name, mgf_hash, salt, pos = "SHA1", "SHA1", 20, params_start
    while pos < params_end:
        tag, field_start, field_end = der_header(der, pos, params_end, where)
        pos = field_end
        if tag == 0xA0:
            inner_start, inner_end = der_expect(der, field_start, field_end, tlv.SEQUENCE, where)
            hash_name = _hash_of(der, inner_start, inner_end, where)
        elif tag == 0xA1:
            inner_start, inner_end = der_expect(der, field_start, field_end, tlv.SEQUENCE, where)
            tag, oid_start, oid_end = der_header(der, inner_start, inner_end, where)
            if tag != tlv.OID or oid_text(der[oid_start:oid_end], where) != _MGF1:
                raise _CannotTell()
            hash_start, hash_end = der_expect(der, oid_end, inner_end, tlv.SEQUENCE, where)
            mgf_hash = _hash_of(der, hash_start, hash_end, where)
        elif tag == 0xA2:
            value_start, value_end = der_expect(der, field_start, field_end, tlv.INTEGER, where)
            salt = int.from_bytes(der[value_start:value_end], "big", signed=True)
            if salt < 0:
                raise _CannotTell()
        elif tag == 0xA3:
            value_start, value_end = der_expect(der, field_start, field_end, tlv.INTEGER, where)
            if der[value_start:value_end] != b"\x01":
                raise _CannotTell()
        else:
            raise _CannotTell()
    return hash_name, mgf_hash, salt


def _verify(issuer_der: bytes, subject_der: bytes) -> bool:
    """The checks in the order ``verify_directly_issued_by`` makes them, so that the verdicts
    agree: the inner and outer algorithms, the names, then the key and the signature."""
    where = "certificate"
    tbs, algorithm, alg_start, sig_start, sig_end = _split(subject_der, where)
    inner_algorithm, subject_issuer, _, _ = _tbs_fields(tbs, where)
    _, issuer_subject, issuer_spki = _tbs_fields(_split(issuer_der, where)[0], where)[1:]
    if inner_algorithm != algorithm:
        raise _CannotTell()  # RFC 5280 section 4.1.1.2: they must be the same; cryptography has no verdict

    # import time: cryptography's primitives load only when a chain is verified (not its x509).
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes

    def hash_(name: str) -> HashAlgorithm:
        algorithm: HashAlgorithm = getattr(hashes, name)()
        return algorithm

    # A key it cannot parse (ValueError) is a certificate cryptography refuses: no verdict. A key
    # type it does not know, in a certificate it reads, still lets the names count.
    loaded = _public_key(issuer_spki)
    if subject_issuer != issuer_subject:
        return False
    bits = subject_der[sig_start:sig_end]
    if loaded is None or not bits or bits[0] != 0:  # unused bits: signatures are whole octets
        raise _CannotTell()
    key_kind, key = loaded
    signature = bits[1:]
    tag, oid_start, oid_end = der_header(algorithm, alg_start, len(algorithm), where)
    if tag != tlv.OID:
        raise MalformedError(f"{where}: signatureAlgorithm has no OID")
    oid = oid_text(algorithm[oid_start:oid_end], where)
    params = algorithm[oid_end:]
    if oid == _RSASSA_PSS:
        kind, hash_name = "rsa-pss", ""
    else:
        kind, hash_name = _SIGNATURES.get(oid, ("", ""))
        # RSA algorithms take NULL or absent parameters (RFC 4055 section 5), the others absent
        # ones (RFC 5758 section 3.2, RFC 8410 section 3).
        if params not in ((b"", _NULL) if kind == "rsa" else (b"",)):
            raise _CannotTell()
    if kind.split("-")[0] != key_kind:  # an algorithm outside the table, or another key type
        raise _CannotTell()
    try:
        if kind == "rsa-pss":
            from cryptography.hazmat.primitives.asymmetric import padding

            hash_name, mgf_hash, salt = _pss(algorithm, oid_end, len(algorithm), where)
            key.verify(signature, tbs, padding.PSS(padding.MGF1(hash_(mgf_hash)), salt), hash_(hash_name))
        elif kind == "rsa":
            from cryptography.hazmat.primitives.asymmetric import padding

            key.verify(signature, tbs, padding.PKCS1v15(), hash_(hash_name))
        elif kind == "ec":
            from cryptography.hazmat.primitives.asymmetric import ec

            key.verify(signature, tbs, ec.ECDSA(hash_(hash_name)))
        elif kind == "dsa":
            key.verify(signature, tbs, hash_(hash_name))
        else:  # Ed25519, Ed448
            key.verify(signature, tbs)
    except InvalidSignature:
        return False
    return True


# rsaEncryption with its NULL parameters (RFC 3279 section 2.3.1), as DER.
_RSA_ALGORITHM = bytes.fromhex("300d06092a864886f70d0101010500")


def _integer(value: int) -> bytes:
    """A non-negative INTEGER, DER (the minimal two's complement form, X.690 section 8.3)."""
    return tlv.encode(tlv.INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _rsa_spki(modulus: int, exponent: int) -> bytes:
    """The SubjectPublicKeyInfo of an RSA public key (RFC 3279 section 2.3.1), DER."""
    key = tlv.encode(tlv.SEQUENCE, _integer(modulus) + _integer(exponent))
    return tlv.encode(tlv.SEQUENCE, _RSA_ALGORITHM + tlv.encode(tlv.BIT_STRING, b"\x00" + key))


def _positive_integers(der: bytes, start: int, end: int, count: int, where: str) -> list[int]:
    values = []
    pos = start
    while pos < end:
        tag, value_start, value_end = der_header(der, pos, end, where)
        if tag != tlv.INTEGER or value_start == value_end:
            raise MalformedError(f"{where}: expected an INTEGER")
        values.append(int.from_bytes(der[value_start:value_end], "big", signed=True))
        pos = value_end
    if len(values) != count or min(values[1:] or [1]) <= 0:
        raise MalformedError(f"{where}: expected {count} positive INTEGERs")
    return values


def _rsa_numbers(spki: bytes) -> Optional[Tuple[int, int]]:
    """(modulus, exponent) of an RSA SubjectPublicKeyInfo in the exact DER cryptography writes
    (RFC 3279 section 2.3.1), else None: every other key or encoding goes to cryptography's
    loader. This spares ``info`` cryptography's serialization module (its SSH key code, about
    3 ms to import) for the usual RSA file."""
    where = "RSA public key"
    try:
        start, end = der_expect(spki, 0, len(spki), tlv.SEQUENCE, where)
        if spki[start:start + len(_RSA_ALGORITHM)] != _RSA_ALGORITHM:
            return None
        bits_start, bits_end = der_expect(spki, start + len(_RSA_ALGORITHM), end, tlv.BIT_STRING, where)
        if spki[bits_start:bits_start + 1] != b"\x00":
            return None
        key_start, key_end = der_expect(spki, bits_start + 1, bits_end, tlv.SEQUENCE, where)
        modulus, exponent = _positive_integers(spki, key_start, key_end, 2, where)[0:2]
    except MalformedError:
        return None
    if modulus <= 0 or _rsa_spki(modulus, exponent) != spki:
        return None
    return modulus, exponent


def _public_key(spki: bytes) -> Optional[Tuple[str, Any]]:
    """(key type, cryptography public key) of a SubjectPublicKeyInfo; None for a key type
    cryptography does not know; ValueError for one it cannot parse."""
    numbers = _rsa_numbers(spki)
    if numbers is not None:
        from cryptography.hazmat.primitives.asymmetric import rsa  # import time: as in _verify

        try:
            return "rsa", rsa.RSAPublicNumbers(numbers[1], numbers[0]).public_key()
        except ValueError:
            pass  # components it refuses as numbers (an even modulus...): its DER loader judges
    # import time: as in _verify
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    try:
        key = load_der_public_key(spki)
    except UnsupportedAlgorithm:
        return None
    for kind, kind_type in (("rsa", rsa.RSAPublicKey), ("ec", ec.EllipticCurvePublicKey), ("dsa", dsa.DSAPublicKey),
                            ("ed25519", ed25519.Ed25519PublicKey), ("ed448", ed448.Ed448PublicKey)):
        if isinstance(key, kind_type):
            return kind, key
    return None


def verify_issued_by(issuer_der: bytes, subject_der: bytes) -> Optional[bool]:
    """Whether the certificate ``issuer_der`` names and signed ``subject_der`` (RFC 5280 section
    6.1.3 (a)(1)-(a)(4), the signature and name steps only): True, False, or None when it cannot
    tell (see the module docstring). Never raises."""
    try:
        return _verify(issuer_der, subject_der)
    except Exception:  # _CannotTell, MalformedError, and whatever cryptography raises for a key or algorithm
        return None


def public_key_der(spki: bytes) -> Optional[bytes]:
    """``spki`` (SubjectPublicKeyInfo DER) as cryptography re-encodes it, so that two encodings
    of one key compare equal; None when cryptography cannot load it. An RSA key already in that
    form is returned as it is, without cryptography."""
    if _rsa_numbers(spki) is not None:
        return spki
    # import time: cryptography's serialization loads only when keys are paired by public key.
    from cryptography.hazmat.primitives import serialization

    try:
        return serialization.load_der_public_key(spki).public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    except Exception:  # unparsable or unsupported key types simply do not pair
        return None


def private_key_spki(pkcs8: bytes) -> Optional[bytes]:
    """The SubjectPublicKeyInfo DER of a PKCS#8 private key's public half, as cryptography
    encodes it; None when cryptography cannot load the key. A two-prime RSA PrivateKeyInfo
    (RFC 5958 section 2, RFC 8017 appendix A.1.2) is read at the TLV level: its modulus and
    public exponent are the public key."""
    where = "RSA private key"
    try:
        start, end = der_expect(pkcs8, 0, len(pkcs8), tlv.SEQUENCE, where)
        if end != len(pkcs8) or pkcs8[start:start + 3] != b"\x02\x01\x00" or \
                pkcs8[start + 3:start + 3 + len(_RSA_ALGORITHM)] != _RSA_ALGORITHM:
            raise _CannotTell()
        octets_start, octets_end = der_expect(pkcs8, start + 3 + len(_RSA_ALGORITHM), end, tlv.OCTET_STRING, where)
        if octets_end != end:
            tag, _, attributes_end = der_header(pkcs8, octets_end, end, where)
            if tag != tlv.CONTEXT_0 or attributes_end != end:  # [0] attributes alone may follow
                raise _CannotTell()
        key_start, key_end = der_expect(pkcs8, octets_start, octets_end, tlv.SEQUENCE, where)
        if key_end != octets_end:
            raise _CannotTell()
        version, modulus, exponent = _positive_integers(pkcs8, key_start, key_end, 9, where)[0:3]
        if version == 0 and modulus > 0:
            return _rsa_spki(modulus, exponent)
    except (MalformedError, _CannotTell):
        pass
    import warnings

    # import time: cryptography's serialization loads only for the other keys
    from cryptography.hazmat.primitives import serialization

    try:
        # cryptography may warn about what it will refuse in later versions; pairing only needs
        # the public key, and a refusal is handled like any unreadable input.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            private = serialization.load_der_private_key(pkcs8, None, unsafe_skip_rsa_key_validation=True)
        return private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    except Exception:  # unparsable or unsupported key types simply do not pair
        return None
