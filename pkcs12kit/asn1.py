"""ASN.1 structures asn1crypto 1.5.1 lacks, declared as subclasses (its global maps stay untouched).

Exports: PARSE_ERRORS, require, ScryptParams, KdfAlgorithm, Pbes2Params, Rc2CbcParameter, HmacAlgorithm,
Pbkdf2Params, EncryptionAlgorithm,
EncryptedPrivateKeyInfo, MacAlgorithm, MacDigestInfo, MacData; CONTENT_TYPES, BAG_TYPES, CERT_TYPES.

- scrypt inside PBES2's keyDerivationFunc (RFC 7914 section 7);
- RC2-CBC parameters in either of their two shapes (RFC 8018 appendix B.2.3);
- PBMAC1 (RFC 8018 section 7.1, RFC 9579) as the MacData digest algorithm of a PFX;
- NULL parameters for the SHA-512/t digests in a classic MacData (as for the other SHA-2s);
- the PBES2 ciphers OpenSSL writes beyond AES/3DES/DES/RC2: Camellia (RFC 3657 section 3),
  ARIA (RFC 5794 appendix A), SM4 (GB/T 32907; RFC 8998 names it) and SEED (RFC 4269 section 3),
  each CBC with the IV as an OCTET STRING;
- SM3 (GB/T 32905, RFC 8998) as a MacData digest, and hmacWithSM3 as a PBKDF2 PRF.

This is the only module that names dotted OIDs; everything else uses the names below.
"""

from __future__ import annotations

from typing import Any, TypeVar

from asn1crypto import algos, core

from . import tlv
from .errors import PARSE_ERRORS, MalformedError

__all__ = [
    "PARSE_ERRORS",
    "require",
    "ScryptParams",
    "KdfAlgorithm",
    "Pbes2Params",
    "Rc2CbcParameter",
    "HmacAlgorithm",
    "Pbkdf2Params",
    "EncryptionAlgorithm",
    "EncryptedPrivateKeyInfo",
    "MacAlgorithm",
    "MacDigestInfo",
    "MacData",
    "CONTENT_TYPES",
    "BAG_TYPES",
    "CERT_TYPES",
    "legacy_pbe_algorithm",
    "pbes2_pbkdf2_algorithm",
]


_T = TypeVar("_T")


def require(value: Any, spec: type[_T], what: str, where: str) -> _T:
    """``value`` if it parsed as ``spec``; absent optional parameters (asn1crypto's Void, or an
    unparsed Any) raise MalformedError instead of failing later on a missing field."""
    if not isinstance(value, spec):
        raise MalformedError(f"{where}: {what} parameters are missing")
    return value


class ScryptParams(core.Sequence):
    """scrypt-params (RFC 7914 section 7)."""

    _fields = [
        ("salt", core.OctetString),
        ("cost_parameter", core.Integer),
        ("block_size", core.Integer),
        ("parallelization_parameter", core.Integer),
        ("key_length", core.Integer, {"optional": True}),
    ]


class HmacAlgorithmId(core.ObjectIdentifier):
    """PBKDF2 PRF OIDs (RFC 8018 appendix B.1; hmacWithSHA3-* from NIST CSOR) plus hmacWithSM3.

    hmacWithSM3 is 1.2.156.10197.1.401.3.1 (GM/T 0091-2020 table A.1); OpenSSL 3.0 has no name
    for it.
    """

    _map = {**algos.HmacAlgorithmId._map, "1.2.156.10197.1.401.3.1": "sm3"}


class HmacAlgorithm(algos.HmacAlgorithm):
    """PBKDF2's prf AlgorithmIdentifier over `HmacAlgorithmId`."""

    _fields = [
        ("algorithm", HmacAlgorithmId),
        ("parameters", core.Any, {"optional": True}),
    ]


class Pbkdf2Params(algos.Pbkdf2Params):
    """PBKDF2-params (RFC 8018 appendix A.2) whose prf may be hmacWithSM3."""

    _fields = [
        ("salt", algos.Pbkdf2Salt),
        ("iteration_count", core.Integer),
        ("key_length", core.Integer, {"optional": True}),
        ("prf", HmacAlgorithm, {"default": {"algorithm": "sha1"}}),
    ]


class KdfAlgorithmId(core.ObjectIdentifier):
    """PBES2 keyDerivationFunc OIDs: PBKDF2 (RFC 8018 appendix A.2) and scrypt (RFC 7914 section 7)."""

    _map = {**algos.KdfAlgorithmId._map, "1.3.6.1.4.1.11591.4.11": "scrypt"}


class KdfAlgorithm(core.Sequence):
    """PBES2-KDFs AlgorithmIdentifier (RFC 8018 appendix A.4) with scrypt added."""

    _fields = [
        ("algorithm", KdfAlgorithmId),
        ("parameters", core.Any, {"optional": True}),
    ]
    _oid_pair = ("algorithm", "parameters")
    _oid_specs = {**algos.KdfAlgorithm._oid_specs, "scrypt": ScryptParams, "pbkdf2": Pbkdf2Params}


class Rc2CbcParameter(core.Choice):
    """RC2-CBC-Parameter (RFC 8018 appendix B.2.3): the SEQUENCE, or (RFC 2268 section 6) a bare IV.

    The bare ``iv`` form means the version was omitted: 32 effective key bits.
    """

    _alternatives = [
        ("params", algos.Rc2Params),
        ("iv", core.OctetString),
    ]


# The other CBC ciphers OpenSSL 3 accepts for `pkcs12 -keypbe/-certpbe`; parameters are the IV.
_OTHER_CBC = {
    "1.2.392.200011.61.1.1.1.2": "camellia128_cbc",  # RFC 3657 section 3
    "1.2.392.200011.61.1.1.1.3": "camellia192_cbc",
    "1.2.392.200011.61.1.1.1.4": "camellia256_cbc",
    "1.2.410.200046.1.1.2": "aria128_cbc",  # RFC 5794 appendix A
    "1.2.410.200046.1.1.7": "aria192_cbc",
    "1.2.410.200046.1.1.12": "aria256_cbc",
    "1.2.156.10197.1.104.2": "sm4_cbc",  # GB/T 32907 (OpenSSL's sm4-cbc)
    "1.2.410.200004.1.4": "seed_cbc",  # RFC 4269 section 3
}


class Pbes2EncryptionSchemeId(core.ObjectIdentifier):
    """PBES2 encryption scheme OIDs: asn1crypto's plus `_OTHER_CBC`."""

    _map = {**algos.EncryptionAlgorithmId._map, **_OTHER_CBC}


class Pbes2EncryptionScheme(algos.EncryptionAlgorithm):
    """PBES2-Encs (RFC 8018 appendix A.4): asn1crypto's table, with both RC2-CBC parameter shapes
    and the Camellia, ARIA, SM4 and SEED CBC ciphers (IV parameters)."""

    _fields = [
        ("algorithm", Pbes2EncryptionSchemeId),
        ("parameters", core.Any, {"optional": True}),
    ]
    _oid_specs = {
        **algos.EncryptionAlgorithm._oid_specs,
        "rc2": Rc2CbcParameter,
        **{name: core.OctetString for name in _OTHER_CBC.values()},
    }


class Pbes2Params(core.Sequence):
    """PBES2-params (RFC 8018 appendix A.4) whose KDF may be scrypt."""

    _fields = [
        ("key_derivation_func", KdfAlgorithm),
        ("encryption_scheme", Pbes2EncryptionScheme),
    ]


class EncryptionAlgorithm(algos.EncryptionAlgorithm):
    """A PBE AlgorithmIdentifier (RFC 7292 appendix C, RFC 8018 appendix A) with scrypt-capable PBES2."""

    _oid_specs = {**algos.EncryptionAlgorithm._oid_specs, "pbes2": Pbes2Params}


class EncryptedPrivateKeyInfo(core.Sequence):
    """EncryptedPrivateKeyInfo (RFC 5208 section 6) over `EncryptionAlgorithm`."""

    _fields = [
        ("encryption_algorithm", EncryptionAlgorithm),
        ("encrypted_data", core.OctetString),
    ]


class MacAlgorithmId(core.ObjectIdentifier):
    """A MacData digestAlgorithm: a hash (RFC 7292 section 4) or PBMAC1 (RFC 9579 section 4)."""

    _map = {
        **algos.DigestAlgorithmId._map,
        "1.2.840.113549.1.5.14": "pbmac1",
        "1.2.156.10197.1.401": "sm3",  # GB/T 32905; OpenSSL's `-macalg sm3`
    }


class MacAlgorithm(algos.DigestAlgorithm):
    """DigestAlgorithmIdentifier of a MacData; NULL parameters for every SHA-2 hash.

    OpenSSL writes NULL parameters for the SHA-512/t, SHA-3, SM3 and MD5 hashes too, so they join
    asn1crypto's NULL set (a copy, not asn1crypto's own set).
    """

    _fields = [
        ("algorithm", MacAlgorithmId),
        ("parameters", core.Any, {"optional": True}),
    ]
    _oid_pair = ("algorithm", "parameters")
    _oid_specs = {"pbmac1": algos.Pbmac1Params}
    _null_algos = algos.DigestAlgorithm._null_algos | {
        "2.16.840.1.101.3.4.2.5",  # sha512_224
        "2.16.840.1.101.3.4.2.6",  # sha512_256
        "2.16.840.1.101.3.4.2.7",  # sha3_224
        "2.16.840.1.101.3.4.2.8",  # sha3_256
        "2.16.840.1.101.3.4.2.9",  # sha3_384
        "2.16.840.1.101.3.4.2.10",  # sha3_512
        "1.2.156.10197.1.401",  # sm3
        "1.2.840.113549.2.5",  # md5
    }


class MacDigestInfo(core.Sequence):
    """The DigestInfo in MacData (RFC 7292 section 4)."""

    _fields = [
        ("digest_algorithm", MacAlgorithm),
        ("digest", core.OctetString),
    ]


class MacData(core.Sequence):
    """MacData (RFC 7292 section 4); with PBMAC1 its salt and iterations are unused (RFC 9579 section 6)."""

    _fields = [
        ("mac", MacDigestInfo),
        ("mac_salt", core.OctetString),
        ("iterations", core.Integer, {"default": 1}),
    ]


# --- content and bag types --------------------------------------------------------------------
# The container modules (bags, safes, pfx) walk the TLV themselves and compare these OIDs as
# bytes; naming them here spares them asn1crypto's cms and pkcs12 modules (cms pulls in x509,
# crl and ocsp: about 5 ms of `info`'s start-up, issue 12). asn1crypto's names are kept.

# ContentType (RFC 5652 section 14; PKCS #7).
CONTENT_TYPES = {
    "data": "1.2.840.113549.1.7.1",
    "signed_data": "1.2.840.113549.1.7.2",
    "enveloped_data": "1.2.840.113549.1.7.3",
    "encrypted_data": "1.2.840.113549.1.7.6",
}
# SafeBag types (RFC 7292 section 4.2 and appendix D).
BAG_TYPES = {
    "key_bag": "1.2.840.113549.1.12.10.1.1",
    "pkcs8_shrouded_key_bag": "1.2.840.113549.1.12.10.1.2",
    "cert_bag": "1.2.840.113549.1.12.10.1.3",
    "crl_bag": "1.2.840.113549.1.12.10.1.4",
    "secret_bag": "1.2.840.113549.1.12.10.1.5",
    "safe_contents": "1.2.840.113549.1.12.10.1.6",
}
# CertBag certId (RFC 7292 section 4.2.3; PKCS #9 certTypes).
CERT_TYPES = {"x509": "1.2.840.113549.1.9.22.1"}



# --- AlgorithmIdentifiers written directly ---------------------------------------------------
# asn1crypto builds a PBES2 AlgorithmIdentifier from a dict in about 0.6 ms, which was 90 % of
# encrypting one key: a file of 500 keys spent 0.3 s per dumps on it. These two write the same
# DER from the same names (tests/test_pbe.py compares them with asn1crypto's byte for byte).


def _integer(value: int) -> bytes:
    """DER INTEGER of a non-negative ``value`` (X.690 8.3: minimal, a leading 0 before a high bit)."""
    return tlv.encode(tlv.INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def legacy_pbe_algorithm(scheme: str, salt: bytes, iterations: int) -> bytes:
    """AlgorithmIdentifier of a PKCS#12 PBE or PBES1 ``scheme`` (asn1crypto's name) with its
    SEQUENCE {salt, iterations}: pkcs-12PbeParams (RFC 7292 appendix C) and PBEParameter
    (RFC 8018 appendix A.3) have the same shape."""
    oid = tlv.encode_oid(algos.EncryptionAlgorithmId.unmap(scheme))
    params = tlv.encode(tlv.SEQUENCE, tlv.encode(tlv.OCTET_STRING, salt) + _integer(iterations))
    return tlv.encode(tlv.SEQUENCE, oid + params)


def pbes2_pbkdf2_algorithm(salt: bytes, iterations: int, key_length: int | None, prf: str, cipher: str,
                           iv: bytes) -> bytes:
    """AlgorithmIdentifier of PBES2 with PBKDF2 and a CBC cipher whose parameter is its IV
    (RFC 8018 appendices A.2 and A.4, B.2). The keyLength is written when given; the prf is
    left out when it is the DEFAULT hmacWithSHA1, else written with NULL parameters as
    RFC 8018 appendix B.1 and OpenSSL write it."""
    fields = tlv.encode(tlv.OCTET_STRING, salt) + _integer(iterations)
    if key_length is not None:
        fields += _integer(key_length)
    if prf != "sha1":
        fields += tlv.encode(tlv.SEQUENCE, tlv.encode_oid(HmacAlgorithmId.unmap(prf)) + b"\x05\x00")
    kdf = tlv.encode(tlv.SEQUENCE, tlv.encode_oid(KdfAlgorithmId.unmap("pbkdf2")) + tlv.encode(tlv.SEQUENCE, fields))
    scheme = tlv.encode(tlv.SEQUENCE, tlv.encode_oid(Pbes2EncryptionSchemeId.unmap(cipher)) +
                        tlv.encode(tlv.OCTET_STRING, iv))
    pbes2 = tlv.encode_oid(algos.EncryptionAlgorithmId.unmap("pbes2"))
    return tlv.encode(tlv.SEQUENCE, pbes2 + tlv.encode(tlv.SEQUENCE, kdf + scheme))
