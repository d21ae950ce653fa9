"""Public-key integrity mode: the authenticated safe signed as a CMS SignedData (RFC 7292
sections 3.1 and 4; RFC 5652 section 5), verified against the caller's trust anchors.

Exports: verify, sign, SIGNATURE_DIGESTS.

Decoding checks, for every SignerInfo (at most ``Limits.max_signers``): the signed attributes'
contentType is data and messageDigest is the digest of the eContent (RFC 5652 sections 5.4, 11.1,
11.2), then the signature over the DER of the signed attributes (RSA PKCS#1 v1.5 or PSS, ECDSA;
SHA-2 digests). The signer certificate is found by its SignerIdentifier among the SignedData's
certificates (at most ``Limits.max_signed_certificates``) and the anchors, then chained to an
anchor by issuer name and signature (``cryptography``'s ``verify_directly_issued_by``), at most
``Limits.max_chain_length`` certificates long. Validity periods, key usage and revocation are not
checked: the anchor list is the policy (docs/public-key-modes.md#what-is-verified).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from . import tlv
from .errors import (
    PARSE_ERRORS,
    EncodeError,
    MalformedError,
    SignatureError,
    UnsupportedAlgorithmError,
    UntrustedSignerError,
)
from .limits import Limits
from .protection import UNVERIFIED, SignatureInfo

__all__ = ["verify", "sign", "SIGNATURE_DIGESTS"]

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
SIGNATURE_DIGESTS = tuple(_HASHES)


def verify(content_info_der: bytes, trust: Any, *, limits: Limits, where: str = "authSafe signedData") -> tuple[bytes, SignatureInfo]:
    """Verify the SignedData ContentInfo ``content_info_der``; return (eContent, SignatureInfo).

    ``trust``: a list of trust-anchor certificate DERs, or `UNVERIFIED` to skip every check (the
    signer is then only reported). Raises `SignatureError` for a signature, digest or content type
    that does not verify, `UntrustedSignerError` for a signer that chains to no anchor.
    """
    try:
        return _verify(content_info_der, trust, limits, where)
    except PARSE_ERRORS as err:
        raise MalformedError(f"{where}: cannot be parsed: {err}") from err


def _verify(der: bytes, trust: Any, limits: Limits, where: str) -> tuple[bytes, SignatureInfo]:
    signed, econtent = _signed_data(der, where)
    pool = _certificates(signed, limits, where)
    signer_infos = list(signed["signer_infos"])
    if not signer_infos:
        raise MalformedError(f"{where}: the SignedData has no SignerInfo")
    limits.check_count("max_signers", len(signer_infos), f"{where} signerInfos")

    if trust is UNVERIFIED:
        # Report what the first SignerInfo says, judging none of it (not even its algorithms).
        first = signer_infos[0]
        cert = _find_signer(first["sid"], pool)
        try:
            algorithm = str(first["signature_algorithm"].signature_algo)
        except ValueError:
            algorithm = first["signature_algorithm"]["algorithm"].dotted
        return econtent, SignatureInfo(cert.dump() if cert is not None else None,
                                       str(first["digest_algorithm"]["algorithm"].native), algorithm, verified=False)

    anchors = [asn1_x509.Certificate.load(anchor) for anchor in trust]
    results = []
    for index, signer_info in enumerate(signer_infos):
        here = f"{where} signerInfo[{index}]"
        cert = _find_signer(signer_info["sid"], pool + anchors)
        if cert is None:
            raise SignatureError(f"{here}: the signer's certificate is neither in the SignedData nor among the trust anchors")
        digest = _digest_name(signer_info, here)
        message = _signed_message(signer_info, econtent, digest, here)
        _check_signature(signer_info, _load_certificate(cert.dump(), here), message, digest, here)
        results.append((cert, digest, _algorithm_name(signer_info, here)))

    crypto_pool = [_load_certificate(c.dump(), f"{where} certificates[{i}]") for i, c in enumerate(pool)]
    crypto_anchors = [_load_certificate(a.dump(), f"trust[{i}]") for i, a in enumerate(anchors)]
    failure: UntrustedSignerError | None = None
    for cert, digest, algorithm in results:
        try:
            chain = _chain(_load_certificate(cert.dump(), where), crypto_pool, crypto_anchors, limits, where)
        except UntrustedSignerError as err:
            failure = err
            continue
        ders = tuple(c.public_bytes(serialization.Encoding.DER) for c in chain)
        return econtent, SignatureInfo(cert.dump(), digest, algorithm, verified=True, chain=ders)
    assert failure is not None
    raise failure


def _load_certificate(der: bytes, where: str) -> x509.Certificate:
    """cryptography's view of a certificate asn1crypto has parsed; what cryptography refuses
    (an unknown version, found by fuzzing; a bad encoding) is MalformedError naming it."""
    try:
        return x509.load_der_x509_certificate(der)
    except (ValueError, x509.InvalidVersion) as err:
        raise MalformedError(f"{where}: the certificate cannot be read: {err}") from None


def _signed_data(der: bytes, where: str) -> tuple[cms.SignedData, bytes]:
    """The SignedData of a ContentInfo, and its eContent read as BER (PKI.js writes it as a
    constructed OCTET STRING, which asn1crypto refuses); the SignedData is given to asn1crypto
    with a DER encapContentInfo in its place."""
    root = tlv.read_all(der, where)
    fields = list(tlv.children(der, root, where))
    if len(fields) != 2:
        raise MalformedError(f"{where}: the signedData ContentInfo has no content")
    wrapper = tlv.expect(fields[1], tlv.CONTEXT_0, where, "the [0] content")
    (node,) = tlv.children(der, wrapper, where)
    tlv.expect(node, tlv.SEQUENCE, where, "a SignedData SEQUENCE")
    parts = list(tlv.children(der, node, where))
    if len(parts) < 4:
        raise MalformedError(f"{where}: SignedData has {len(parts)} fields, expected at least 4")
    encap = tlv.expect(parts[2], tlv.SEQUENCE, where, "the encapContentInfo SEQUENCE")
    inner = list(tlv.children(der, encap, where))
    if not inner or inner[0].tag != tlv.OID or der[inner[0].start:inner[0].end] != _DATA:
        raise MalformedError(f"{where}: eContentType must be data (RFC 7292 section 4)")
    if len(inner) != 2:
        raise MalformedError(f"{where}: eContent is missing (a detached signature carries no authenticated safe)")
    content = list(tlv.children(der, tlv.expect(inner[1], tlv.CONTEXT_0, where, "the [0] eContent"), where))
    if len(content) != 1 or content[0].tag & ~tlv.CONSTRUCTED != tlv.OCTET_STRING:
        raise MalformedError(f"{where}: eContent must be one OCTET STRING")
    econtent = tlv.octets(der, content[0], where)
    plain_encap = tlv.encode(tlv.SEQUENCE, der[inner[0].offset:inner[0].next] + tlv.encode(
        tlv.CONTEXT_0, tlv.encode(tlv.OCTET_STRING, econtent)))
    rebuilt = b"".join(plain_encap if part is parts[2] else der[part.offset:part.next] for part in parts)
    return cms.SignedData.load(tlv.encode(tlv.SEQUENCE, rebuilt)), econtent


_DATA = tlv.oid_contents("1.2.840.113549.1.7.1")


def _certificates(signed: cms.SignedData, limits: Limits, where: str) -> list[asn1_x509.Certificate]:
    """The X.509 certificates of SignedData.certificates (other choices are ignored), bounded."""
    choices = signed["certificates"]
    if isinstance(choices, core.Void):
        return []
    limits.check_count("max_signed_certificates", len(choices), f"{where} certificates")
    return [choice.chosen for choice in choices if choice.name == "certificate"]


def _find_signer(sid: cms.SignerIdentifier, pool: list[asn1_x509.Certificate]) -> asn1_x509.Certificate | None:
    """The certificate a SignerIdentifier names (RFC 5652 section 5.3): issuer and serial number,
    or subject key identifier."""
    for cert in pool:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if cert.serial_number == wanted["serial_number"].native and cert.issuer == wanted["issuer"]:
                return cert
        elif sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _digest_name(signer_info: cms.SignerInfo, where: str) -> str:
    name = signer_info["digest_algorithm"]["algorithm"].native
    if name not in _HASHES:
        raise UnsupportedAlgorithmError(
            f"{where}: digest algorithm {name} is not accepted for signatures (expected one of {', '.join(_HASHES)})"
        )
    return str(name)


def _algorithm_name(signer_info: cms.SignerInfo, where: str) -> str:
    algorithm = signer_info["signature_algorithm"]
    try:
        name = algorithm.signature_algo
    except ValueError:
        raise UnsupportedAlgorithmError(
            f"{where}: signature algorithm {algorithm['algorithm'].dotted} is not supported"
        ) from None
    if name not in ("rsassa_pkcs1v15", "rsassa_pss", "ecdsa"):
        raise UnsupportedAlgorithmError(f"{where}: signature algorithm {name} is not supported (RSA or ECDSA)")
    return str(name)


def _signed_message(signer_info: cms.SignerInfo, econtent: bytes, digest: str, where: str) -> bytes:
    """What the signature covers (RFC 5652 section 5.4): the DER of the signed attributes as a
    SET OF, once their contentType and messageDigest are checked; else the eContent itself."""
    attrs = signer_info["signed_attrs"]
    if isinstance(attrs, core.Void):
        return econtent
    types = [attr for attr in attrs if attr["type"].native == "content_type"]
    digests = [attr for attr in attrs if attr["type"].native == "message_digest"]
    if len(types) != 1 or len(types[0]["values"]) != 1 or len(digests) != 1 or len(digests[0]["values"]) != 1:
        raise SignatureError(
            f"{where}: signed attributes must hold one contentType and one messageDigest (RFC 5652 sections 11.1, 11.2)"
        )
    if types[0]["values"][0].native != "data":
        raise SignatureError(f"{where}: the signed contentType attribute is not data (RFC 5652 section 11.1)")
    expected = hashlib.new(digest, econtent).digest()
    if not hmac.compare_digest(bytes(digests[0]["values"][0].native), expected):
        raise SignatureError(
            f"{where}: the messageDigest attribute does not match the authenticated safe (RFC 5652 section 11.2)"
        )
    return tlv.encode(0x31, attrs.contents)


def _check_signature(signer_info: cms.SignerInfo, cert: x509.Certificate, message: bytes, digest: str, where: str) -> None:
    algorithm = signer_info["signature_algorithm"]
    name = _algorithm_name(signer_info, where)
    try:
        embedded = algorithm.hash_algo
    except ValueError:
        embedded = digest  # rsaEncryption and rsassaPss name no hash of their own
    if embedded != digest:
        raise SignatureError(f"{where}: the signature algorithm's hash {embedded} differs from the digest algorithm {digest}")
    signature = bytes(signer_info["signature"].native)
    try:
        public_key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError) as err:
        # An unknown curve or key type (found by fuzzing): no signature from it can be checked.
        raise UnsupportedAlgorithmError(f"{where}: the signer certificate's public key cannot be used: {err}") from None
    hash_ = _HASHES[digest]()
    try:
        if name == "ecdsa":
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                raise SignatureError(f"{where}: an ECDSA signature from a certificate whose key is not EC")
            public_key.verify(signature, message, ec.ECDSA(hash_))
            return
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise SignatureError(f"{where}: an RSA signature from a certificate whose key is not RSA")
        if name == "rsassa_pkcs1v15":
            public_key.verify(signature, message, padding.PKCS1v15(), hash_)
            return
        params = algorithm["parameters"]
        pss_hash = params["hash_algorithm"]["algorithm"].native
        mgf = params["mask_gen_algorithm"]
        mgf_hash = mgf["parameters"]["algorithm"].native
        if mgf["algorithm"].native != "mgf1" or pss_hash != digest or mgf_hash != digest:
            raise UnsupportedAlgorithmError(
                f"{where}: RSASSA-PSS with hash {pss_hash} and MGF1-{mgf_hash} under digest {digest} is not supported"
            )
        public_key.verify(signature, message, padding.PSS(padding.MGF1(hash_), params["salt_length"].native), hash_)
    except InvalidSignature:
        raise SignatureError(f"{where}: the signature does not verify (tampered file or wrong signer certificate)") from None


def _issued(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _chain(signer: x509.Certificate, pool: list[x509.Certificate], anchors: list[x509.Certificate],
           limits: Limits, where: str) -> list[x509.Certificate]:
    """Signer → … → trust anchor, following issuer names and checking each signature; at most
    ``Limits.max_chain_length`` certificates."""
    path = [signer]
    current = signer
    while True:
        if current in anchors:
            return path
        anchor = next((a for a in anchors if a.subject == current.issuer and _issued(current, a)), None)
        if anchor is not None and len(path) < limits.max_chain_length:
            return path + [anchor]
        if len(path) + 1 >= limits.max_chain_length:
            raise UntrustedSignerError(
                f"{where}: no trust anchor within Limits.max_chain_length ({limits.max_chain_length}) certificates "
                "of the signer; pass limits=Limits(max_chain_length=...) to allow longer chains"
            )
        issuer = next((c for c in pool if c not in path and c.subject == current.issuer and _issued(current, c)), None)
        if issuer is None:
            raise UntrustedSignerError(
                f"{where}: the signer {signer.subject.rfc4514_string()!r} does not chain to any of the "
                f"{len(anchors)} trust anchors given"
            )
        path.append(issuer)
        current = issuer


# --- encode ----------------------------------------------------------------------------------


def sign(econtent: bytes, key_der: bytes, certificate_der: bytes, extra_certificates: tuple[bytes, ...] = (), *,
         digest: str = "sha256", rsa_padding: str = "pkcs1v15") -> bytes:
    """A SignedData ContentInfo DER over ``econtent`` (RFC 5652 section 5): version 1, the signer
    named by issuer and serial number, signed attributes contentType and messageDigest, the
    signer's certificate then ``extra_certificates`` in ``certificates``.

    ``key_der``: PKCS#8 of an RSA or EC key; ``rsa_padding``: ``"pkcs1v15"`` or ``"pss"`` (salt
    length = digest length, MGF1 with the same hash). Raises `EncodeError` for what cannot be signed.
    """
    if digest not in _HASHES:
        raise EncodeError(f"signer: digest {digest!r} is not one of {', '.join(_HASHES)}")
    if rsa_padding not in ("pkcs1v15", "pss"):
        raise EncodeError(f"signer: rsa_padding must be 'pkcs1v15' or 'pss', not {rsa_padding!r}")
    try:
        key = serialization.load_der_private_key(key_der, None)
        cert = asn1_x509.Certificate.load(certificate_der)
        public = x509.load_der_x509_certificate(certificate_der).public_key()
    except (ValueError, TypeError, x509.InvalidVersion, UnsupportedAlgorithm) as err:
        # The caller's key or certificate: cryptography's own exceptions become EncodeError.
        raise EncodeError(f"signer: the key or certificate cannot be used: {err}") from None
    hash_ = _HASHES[digest]()
    attributes = cms.CMSAttributes([
        {"type": "content_type", "values": ["data"]},
        {"type": "message_digest", "values": [hashlib.new(digest, econtent).digest()]},
    ])
    to_sign = attributes.dump()
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(*spki) != public.public_bytes(*spki):
        raise EncodeError("signer: the key does not match the signer certificate's public key")
    if isinstance(key, rsa.RSAPrivateKey) and isinstance(public, rsa.RSAPublicKey):
        if rsa_padding == "pss":
            salt = hash_.digest_size
            signature = key.sign(to_sign, padding.PSS(padding.MGF1(hash_), salt), hash_)
            algorithm = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": algos.RSASSAPSSParams({
                "hash_algorithm": {"algorithm": digest},
                "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": digest}},
                "salt_length": salt,
            })})
        else:
            signature = key.sign(to_sign, padding.PKCS1v15(), hash_)
            algorithm = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15", "parameters": core.Null()})
    elif isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(public, ec.EllipticCurvePublicKey):
        signature = key.sign(to_sign, ec.ECDSA(hash_))
        algorithm = algos.SignedDigestAlgorithm({"algorithm": f"{digest}_ecdsa"})
    else:
        raise EncodeError("signer: the key must be RSA or EC and match the certificate's public key")
    signer_info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}),
        "digest_algorithm": {"algorithm": digest},
        "signed_attrs": attributes,
        "signature_algorithm": algorithm,
        "signature": signature,
    })
    certificates = [cert] + [asn1_x509.Certificate.load(extra) for extra in extra_certificates]
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [{"algorithm": digest}],
        "encap_content_info": {"content_type": "data", "content": econtent},
        "certificates": certificates,
        "signer_infos": [signer_info],
    })
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())
