"""Public-key privacy mode: a safe encrypted as a CMS EnvelopedData for recipient certificates
(RFC 7292 section 3.1; RFC 5652 section 6).

Exports: open_envelope, seal, CONTENT_CIPHERS, KDF_SCHEMES.

Key management: key transport with RSA PKCS#1 v1.5 or RSAES-OAEP (RFC 5652 section 6.2.1,
RFC 3560), and ephemeral-static ECDH key agreement with the ANSI X9.63 KDF and AES key wrap
(RFC 5652 section 6.2.2, RFC 5753 sections 3.1 and 7.2, RFC 3394). Content encryption:
AES-128/192/256-CBC and DES-EDE3-CBC (RFC 3565, RFC 3370 section 5.1). At most
``Limits.max_recipients`` RecipientInfos (and RecipientEncryptedKeys) are read, and only those
naming the given certificate (all compatible ones when no certificate is given) cost a
private-key operation.
"""

from __future__ import annotations

from typing import Any, Callable

from asn1crypto import cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from . import tlv
from .ciphers import block_size
from .errors import (
    PARSE_ERRORS,
    EncodeError,
    MalformedError,
    UnknownRecipientError,
    UnsupportedAlgorithmError,
    WrongRecipientKeyError,
)
from .limits import Limits
from .protection import EnvelopeInfo

__all__ = ["open_envelope", "seal", "CONTENT_CIPHERS", "KDF_SCHEMES"]

# content-encryption algorithm (asn1crypto name) → (provider cipher, key length)
CONTENT_CIPHERS = {
    "aes128_cbc": ("aes", 16),
    "aes192_cbc": ("aes", 24),
    "aes256_cbc": ("aes", 32),
    "tripledes_3key": ("tripledes", 24),
}
# ECDH key-agreement schemes (RFC 5753 section 7.1.4; SEC 1 for the SHA-2 ones) → X9.63 KDF hash.
# The cofactor variants compute the same secret on the prime curves (cofactor 1) cryptography has.
KDF_SCHEMES = {
    "1.3.133.16.840.63.0.2": "sha1",
    "1.3.132.1.11.0": "sha224",
    "1.3.132.1.11.1": "sha256",
    "1.3.132.1.11.2": "sha384",
    "1.3.132.1.11.3": "sha512",
    "1.3.133.16.840.63.0.3": "sha1",
    "1.3.132.1.14.0": "sha224",
    "1.3.132.1.14.1": "sha256",
    "1.3.132.1.14.2": "sha384",
    "1.3.132.1.14.3": "sha512",
}
_SCHEME_OF = {"sha256": "1.3.132.1.11.1"}
_CURVE_NAMES = {"secp256r1": "secp256r1", "secp384r1": "secp384r1", "secp521r1": "secp521r1"}
_WRAP_LENGTHS = {"aes128_wrap": 16, "aes192_wrap": 24, "aes256_wrap": 32}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
    "sha384": hashes.SHA384, "sha512": hashes.SHA512,
}


def _hash(name: Any, where: str) -> hashes.HashAlgorithm:
    if name not in _HASHES:
        raise UnsupportedAlgorithmError(f"{where}: hash {name} is not supported")
    return _HASHES[name]()


def open_envelope(enveloped_der: bytes, recipient: tuple[bytes, bytes | None] | None, *, limits: Limits,
                  ciphers: Any, where: str) -> tuple[bytes, EnvelopeInfo]:
    """Decrypt an EnvelopedData (its DER, RFC 5652 section 6.1); return (plaintext, EnvelopeInfo).

    ``recipient``: ``(PKCS#8 key DER, certificate DER or None)``, or None. ``ciphers``: a cipher
    provider. Raises `UnknownRecipientError` when no RecipientInfo is for the key/certificate,
    `WrongRecipientKeyError` when one is but the key does not open it.
    """
    try:
        return _open(enveloped_der, recipient, limits, ciphers, where)
    except PARSE_ERRORS as err:
        raise MalformedError(f"{where}: cannot be parsed: {err}") from err


def _open(der: bytes, recipient: tuple[bytes, bytes | None] | None, limits: Limits, ciphers: Any,
          where: str) -> tuple[bytes, EnvelopeInfo]:
    envelope = cms.EnvelopedData.load(der)
    infos = list(envelope["recipient_infos"])
    limits.check_count("max_recipients", len(infos), f"{where} recipientInfos")
    content = envelope["encrypted_content_info"]
    algorithm = content["content_encryption_algorithm"]
    cipher_name = algorithm["algorithm"].native
    if cipher_name not in CONTENT_CIPHERS:
        raise UnsupportedAlgorithmError(
            f"{where}: content encryption {algorithm['algorithm'].dotted} is not supported "
            f"(expected one of {', '.join(CONTENT_CIPHERS)})"
        )
    ciphertext = content["encrypted_content"].native
    if ciphertext is None:
        raise MalformedError(f"{where}: encryptedContent is missing")
    if recipient is None:
        raise UnknownRecipientError(
            f"{where}: envelopedData (public-key privacy mode) needs the recipient's private key: "
            "pass recipient_key=... (and recipient_certificate=...)"
        )
    key_der, cert_der = recipient
    key = serialization.load_der_private_key(key_der, None, unsafe_skip_rsa_key_validation=True)
    cert = asn1_x509.Certificate.load(cert_der) if cert_der is not None else None
    candidates = _candidates(infos, key, cert, limits, where)
    if not candidates:
        named = "the given certificate" if cert is not None else f"an {_key_kind(key)} key"
        raise UnknownRecipientError(f"{where}: none of the {len(infos)} RecipientInfos is for {named}")
    provider_cipher, key_length = CONTENT_CIPHERS[cipher_name]
    iv = bytes(algorithm["parameters"].native)
    size = block_size(provider_cipher)
    if len(iv) != size or not ciphertext or len(ciphertext) % size:
        raise MalformedError(f"{where}: the IV or the encryptedContent length does not fit {cipher_name}")
    for unwrap, info in candidates:
        try:
            cek = unwrap()
        except (ValueError, InvalidUnwrap):
            continue
        if len(cek) != key_length:
            continue
        plain = ciphers.cbc_decrypt(provider_cipher, cek, iv, bytes(ciphertext))
        count = plain[-1]
        if not 1 <= count <= size or plain[-count:] != bytes([count]) * count:
            continue
        plain = plain[:-count]
        if not _is_sequence(plain):
            continue
        return plain, EnvelopeInfo(cipher=cipher_name, recipients=len(infos), **info)
    raise WrongRecipientKeyError(
        f"{where}: the recipient key does not open the envelopedData (wrong key for the recipient, or corrupted data)"
    )


def _key_kind(key: Any) -> str:
    return "RSA" if isinstance(key, rsa.RSAPrivateKey) else "EC" if isinstance(key, ec.EllipticCurvePrivateKey) else "other"


def _is_sequence(plain: bytes) -> bool:
    try:
        return tlv.read_all(plain, "safeContents").tag == tlv.SEQUENCE
    except MalformedError:
        return False


def _names(rid: Any, cert: asn1_x509.Certificate | None) -> bool:
    """Does a RecipientIdentifier / KeyAgreeRecipientIdentifier name ``cert`` (any, without one)?"""
    if cert is None:
        return True
    chosen = rid.chosen
    if rid.name == "issuer_and_serial_number":
        return bool(cert.serial_number == chosen["serial_number"].native and cert.issuer == chosen["issuer"])
    if rid.name == "r_key_id":
        chosen = chosen["subject_key_identifier"]
    return bool(cert.key_identifier == chosen.native)


def _candidates(infos: list[Any], key: Any, cert: asn1_x509.Certificate | None, limits: Limits,
                where: str) -> list[tuple[Callable[[], bytes], dict[str, str]]]:
    """(unwrap the CEK, EnvelopeInfo fields) for each RecipientInfo the key may open."""
    found: list[tuple[Callable[[], bytes], dict[str, str]]] = []
    for index, info in enumerate(infos):
        here = f"{where} recipientInfo[{index}]"
        value = info.chosen
        if info.name == "ktri" and isinstance(key, rsa.RSAPrivateKey) and _names(value["rid"], cert):
            found.append(_key_transport(value, key, here))
        elif info.name == "kari" and isinstance(key, ec.EllipticCurvePrivateKey):
            encrypted_keys = list(value["recipient_encrypted_keys"])
            limits.check_count("max_recipients", len(encrypted_keys), f"{here} recipientEncryptedKeys")
            for encrypted in encrypted_keys:
                if _names(encrypted["rid"], cert):
                    found.append(_key_agreement(value, bytes(encrypted["encrypted_key"].native), key, here))
    return found


def _key_transport(value: Any, key: rsa.RSAPrivateKey, where: str) -> tuple[Callable[[], bytes], dict[str, str]]:
    """KeyTransRecipientInfo (RFC 5652 section 6.2.1): RSA PKCS#1 v1.5 or OAEP (RFC 3560)."""
    algorithm = value["key_encryption_algorithm"]
    name = algorithm["algorithm"].native
    encrypted = bytes(value["encrypted_key"].native)
    if name == "rsaes_pkcs1v15":
        scheme: padding.AsymmetricPadding = padding.PKCS1v15()
    elif name == "rsaes_oaep":
        params = algorithm["parameters"]
        hash_ = _hash(params["hash_algorithm"]["algorithm"].native, where)
        mgf_hash = _hash(params["mask_gen_algorithm"]["parameters"]["algorithm"].native, where)
        label = params["p_source_algorithm"]["parameters"].native or None
        scheme = padding.OAEP(padding.MGF1(mgf_hash), hash_, label)
    else:
        raise UnsupportedAlgorithmError(f"{where}: key transport {algorithm['algorithm'].dotted} is not supported")
    return (lambda: key.decrypt(encrypted, scheme)), {"key_management": name}


def _shared_info(wrap_oid: str, ukm: bytes | None, kek_length: int) -> bytes:
    """ECC-CMS-SharedInfo (RFC 5753 section 7.2): keyInfo, entityUInfo [0], suppPubInfo [2]."""
    key_info = tlv.encode(tlv.SEQUENCE, tlv.encode_oid(wrap_oid))
    user = tlv.encode(0xA0, tlv.encode(tlv.OCTET_STRING, ukm)) if ukm is not None else b""
    supplied = tlv.encode(0xA2, tlv.encode(tlv.OCTET_STRING, (kek_length * 8).to_bytes(4, "big")))
    return tlv.encode(tlv.SEQUENCE, key_info + user + supplied)


def _key_agreement(value: Any, wrapped: bytes, key: ec.EllipticCurvePrivateKey,
                   where: str) -> tuple[Callable[[], bytes], dict[str, str]]:
    """KeyAgreeRecipientInfo (RFC 5652 section 6.2.2) with ephemeral-static ECDH (RFC 5753 section 3.1)."""
    algorithm = value["key_encryption_algorithm"]
    scheme = algorithm["algorithm"].dotted
    if scheme not in KDF_SCHEMES:
        raise UnsupportedAlgorithmError(f"{where}: key agreement {scheme} is not supported (RFC 5753 ECDH schemes)")
    kdf_hash = KDF_SCHEMES[scheme]
    wrap = cms.KeyEncryptionAlgorithm.load(algorithm["parameters"].dump())
    wrap_name = wrap["algorithm"].native
    if wrap_name not in _WRAP_LENGTHS:
        raise UnsupportedAlgorithmError(f"{where}: key wrap {wrap['algorithm'].dotted} is not supported (AES key wrap)")
    originator = value["originator"]
    if originator.name != "originator_key":
        raise UnsupportedAlgorithmError(f"{where}: only an ephemeral originatorKey is supported (RFC 5753 section 3.1.1)")
    point = bytes(originator.chosen["public_key"].native)
    ukm = value["ukm"].native if not isinstance(value["ukm"], core.Void) else None
    kek_length = _WRAP_LENGTHS[wrap_name]
    shared_info = _shared_info(wrap["algorithm"].dotted, ukm, kek_length)

    def unwrap() -> bytes:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(key.curve, point)
        secret = key.exchange(ec.ECDH(), peer)
        kek = X963KDF(_hash(kdf_hash, where), kek_length, shared_info).derive(secret)
        return aes_key_unwrap(kek, wrapped)

    return unwrap, {"key_management": "ecdh", "key_derivation": kdf_hash, "key_wrap": wrap_name}


# --- encode ----------------------------------------------------------------------------------


def seal(plaintext: bytes, recipients: list[tuple[bytes, str]], *, cipher: str, draw: Callable[[int], bytes],
         ciphers: Any) -> bytes:
    """An EnvelopedData ContentInfo DER (RFC 5652 section 6) of ``plaintext`` for ``recipients``:
    ``(certificate DER, rsa_padding)`` pairs. RSA certificates get a KeyTransRecipientInfo
    (``rsa_padding`` ``"oaep"``: OAEP with SHA-256 and MGF1-SHA-256, or ``"pkcs1v15"``); EC
    certificates a KeyAgreeRecipientInfo (ephemeral ECDH, dhSinglePass-stdDH-sha256kdf, AES-256
    key wrap). The CEK and IV come from ``draw``.
    """
    if cipher not in CONTENT_CIPHERS:
        raise EncodeError(f"recipients: content cipher {cipher!r} is not one of {', '.join(CONTENT_CIPHERS)}")
    if not recipients:
        raise EncodeError("recipients: at least one recipient certificate is needed")
    provider_cipher, key_length = CONTENT_CIPHERS[cipher]
    cek = draw(key_length)
    iv = draw(block_size(provider_cipher))
    size = block_size(provider_cipher)
    count = size - len(plaintext) % size
    ciphertext = ciphers.cbc_encrypt(provider_cipher, cek, iv, plaintext + bytes([count]) * count)
    infos = [_recipient_info(cek, cert_der, rsa_padding, draw) for cert_der, rsa_padding in recipients]
    envelope = cms.EnvelopedData({
        "version": "v2" if any(info.name == "kari" for info in infos) else "v0",
        "recipient_infos": infos,
        "encrypted_content_info": {
            "content_type": "data",
            "content_encryption_algorithm": {"algorithm": cipher, "parameters": iv},
            "encrypted_content": ciphertext,
        },
    })
    return bytes(cms.ContentInfo({"content_type": "enveloped_data", "content": envelope}).dump())


def _recipient_info(cek: bytes, cert_der: bytes, rsa_padding: str, draw: Callable[[int], bytes]) -> cms.RecipientInfo:
    try:
        cert = asn1_x509.Certificate.load(cert_der)
        public = x509.load_der_x509_certificate(cert_der).public_key()
    except (ValueError, TypeError, x509.InvalidVersion, UnsupportedAlgorithm) as err:
        # The caller's certificate: cryptography's own exceptions become EncodeError.
        raise EncodeError(f"recipients: the certificate cannot be used: {err}") from None
    rid = {"issuer": cert.issuer, "serial_number": cert.serial_number}
    if isinstance(public, rsa.RSAPublicKey):
        if rsa_padding == "oaep":
            encrypted = public.encrypt(cek, padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None))
            algorithm: dict[str, Any] = {"algorithm": "rsaes_oaep", "parameters": {
                "hash_algorithm": {"algorithm": "sha256"},
                "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}},
            }}
        elif rsa_padding == "pkcs1v15":
            encrypted = public.encrypt(cek, padding.PKCS1v15())
            algorithm = {"algorithm": "rsaes_pkcs1v15", "parameters": core.Null()}
        else:
            raise EncodeError(f"recipients: rsa_padding must be 'oaep' or 'pkcs1v15', not {rsa_padding!r}")
        return cms.RecipientInfo({"ktri": {
            "version": "v0",
            "rid": {"issuer_and_serial_number": rid},
            "key_encryption_algorithm": algorithm,
            "encrypted_key": encrypted,
        }})
    if isinstance(public, ec.EllipticCurvePublicKey):
        ephemeral = ec.generate_private_key(public.curve)
        secret = ephemeral.exchange(ec.ECDH(), public)
        # A ukm (RFC 5753 section 3.1.1: optional) is always written: PKI.js 4.0.0 derives a
        # wrong KEK for a kari without one (OpenSSL's included), and it costs 16 octets.
        ukm = draw(16)
        wrap_oid = cms.KeyEncryptionAlgorithmId.unmap("aes256_wrap")
        kek = X963KDF(hashes.SHA256(), 32, _shared_info(wrap_oid, ukm, 32)).derive(secret)
        point = ephemeral.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return cms.RecipientInfo({"kari": {
            "version": "v3",
            # The named curve goes with id-ecPublicKey as in a certificate (RFC 5480 section 2.1.1;
            # RFC 5753 section 7.1.2): PKI.js cannot open a kari whose originatorKey omits it.
            "originator": {"originator_key": {
                "algorithm": {"algorithm": "ec", "parameters": {"named": _CURVE_NAMES[public.curve.name]}},
                "public_key": point,
            }},
            "ukm": ukm,
            "key_encryption_algorithm": {
                "algorithm": _SCHEME_OF["sha256"],
                "parameters": cms.KeyEncryptionAlgorithm({"algorithm": "aes256_wrap"}),
            },
            "recipient_encrypted_keys": [{"rid": {"issuer_and_serial_number": rid}, "encrypted_key": aes_key_wrap(kek, cek)}],
        }})
    raise EncodeError("recipients: a recipient certificate must hold an RSA or EC key")
