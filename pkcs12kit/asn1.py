"""ASN.1 structures asn1crypto 1.5.1 lacks, declared as subclasses (its global maps stay untouched).

Exports: PARSE_ERRORS, require, ScryptParams, KdfAlgorithm, Pbes2Params, Rc2CbcParameter, EncryptionAlgorithm,
EncryptedPrivateKeyInfo, MacAlgorithm, MacDigestInfo, MacData, Pfx.

- scrypt inside PBES2's keyDerivationFunc (RFC 7914 section 7);
- RC2-CBC parameters in either of their two shapes (RFC 8018 appendix B.2.3);
- PBMAC1 (RFC 8018 section 7.1, RFC 9579) as the MacData digest algorithm of a PFX;
- NULL parameters for the SHA-512/t digests in a classic MacData (as for the other SHA-2s).

This is the only module that names dotted OIDs; everything else uses the names below.
"""

from __future__ import annotations

from typing import Any, TypeVar

from asn1crypto import algos, core, pkcs12

from .errors import PARSE_ERRORS, MalformedError

__all__ = [
    "PARSE_ERRORS",
    "require",
    "ScryptParams",
    "KdfAlgorithm",
    "Pbes2Params",
    "Rc2CbcParameter",
    "EncryptionAlgorithm",
    "EncryptedPrivateKeyInfo",
    "MacAlgorithm",
    "MacDigestInfo",
    "MacData",
    "Pfx",
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
    _oid_specs = {**algos.KdfAlgorithm._oid_specs, "scrypt": ScryptParams}


class Rc2CbcParameter(core.Choice):
    """RC2-CBC-Parameter (RFC 8018 appendix B.2.3): the SEQUENCE, or (RFC 2268 section 6) a bare IV.

    The bare ``iv`` form means the version was omitted: 32 effective key bits.
    """

    _alternatives = [
        ("params", algos.Rc2Params),
        ("iv", core.OctetString),
    ]


class Pbes2EncryptionScheme(algos.EncryptionAlgorithm):
    """PBES2-Encs (RFC 8018 appendix A.4): asn1crypto's table, with both RC2-CBC parameter shapes."""

    _oid_specs = {**algos.EncryptionAlgorithm._oid_specs, "rc2": Rc2CbcParameter}


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

    _map = {**algos.DigestAlgorithmId._map, "1.2.840.113549.1.5.14": "pbmac1"}


class MacAlgorithm(algos.DigestAlgorithm):
    """DigestAlgorithmIdentifier of a MacData; NULL parameters for every SHA-2 hash.

    OpenSSL writes NULL parameters for the SHA-512/t and SHA-3 hashes too, so they join
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


class Pfx(pkcs12.Pfx):
    """PFX (RFC 7292 section 4) whose MacData may be PBMAC1."""

    _fields = [
        ("version", pkcs12.Version),
        ("auth_safe", pkcs12.ContentInfo),
        ("mac_data", MacData, {"optional": True}),
    ]

