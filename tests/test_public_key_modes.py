"""RFC 7292's public-key modes (section 3.1) against independent truth.

- integrity: the authSafe as a CMS SignedData (RFC 5652 section 5), verified by ``openssl cms
  -verify`` when pkcs12kit writes it, and read by pkcs12kit when ``openssl cms -sign`` wrote it;
- privacy: safes as CMS EnvelopedData (RFC 5652 section 6), decrypted by ``openssl cms -decrypt``
  when pkcs12kit writes them, and read by pkcs12kit when ``openssl cms -encrypt`` wrote them (RSA
  PKCS#1 v1.5 and OAEP key transport, ECDH key agreement; AES-CBC and 3DES);
- PKI.js (npm ``pkijs``, installed into a temporary folder) writes files in both modes that
  pkcs12kit reads, and reads the files pkcs12kit writes;
- a wrong signer, a tampered signature or content, the wrong recipient key and an unknown
  recipient are each refused with their exact error class and message.

Expected values come from ``cryptography`` and asn1crypto parses of the files (tools.Pki), never
from pkcs12kit.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms
from asn1crypto import pkcs12 as asn1_pkcs12

import craft
import pkcs12kit
from pkcs12kit import (
    UNVERIFIED,
    Limits,
    LimitExceededError,
    Recipient,
    SignatureError,
    Signer,
    TrustRequiredError,
    UnknownRecipientError,
    UntrustedSignerError,
    WrongRecipientKeyError,
)
from tools import make_cert, make_key, openssl, require_tool

HERE = Path(__file__).resolve().parent


def identity(pki, kind: str = "rsa2048") -> pkcs12kit.PKCS12:
    leaf = pki.leaf(kind)
    return pkcs12kit.PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.intermediate.cert], friendly_name="id")


def auth_safe_content_info(der: bytes) -> cms.ContentInfo:
    return asn1_pkcs12.Pfx.load(der)["auth_safe"]


def safe_content_infos(der: bytes) -> list[bytes]:
    """Each ContentInfo of the AuthenticatedSafe (signed or not), as DER, read by asn1crypto."""
    auth = auth_safe_content_info(der)
    if auth["content_type"].native == "signed_data":
        octets = auth["content"]["encap_content_info"]["content"].native
    else:
        octets = auth["content"].native
    return [info.dump() for info in asn1_pkcs12.AuthenticatedSafe.load(octets)]


def bag_values(safe_contents_der: bytes) -> list[tuple[str, bytes]]:
    """(bag type, certificate or PKCS#8 DER) of each bag, read by asn1crypto."""
    out = []
    for bag in asn1_pkcs12.SafeContents.load(safe_contents_der):
        kind = bag["bag_id"].native
        value = bag["bag_value"]
        out.append((kind, value["cert_value"].parsed.dump() if kind == "cert_bag" else value.untag().dump()))
    return out


# --- pkcs12kit ⇄ pkcs12kit -------------------------------------------------------------------


@pytest.mark.parametrize("kind, rsa_padding, digest", [
    ("rsa2048", "pkcs1v15", "sha256"), ("rsa2048", "pss", "sha384"), ("p256", "pkcs1v15", "sha256"),
    ("p384", "pkcs1v15", "sha512"),
])
def test_signed_round_trip(pki, kind, rsa_padding, digest):
    signer = pki.leaf(kind)
    p12 = identity(pki)
    der = pkcs12kit.dumps(p12, "pw", signer=Signer(signer.key, signer.cert, chain=[pki.intermediate.cert],
                                                   digest=digest, rsa_padding=rsa_padding))
    out = pkcs12kit.loads(der, "pw", trust=[pki.root.cert])
    assert out == p12
    assert out.integrity == "signature" and out.mac is None
    assert out.signer.der == signer.cert_der
    assert out.signature.verified is True and out.signature.digest == digest
    assert out.signature.algorithm == ("ecdsa" if kind != "rsa2048" else f"rsassa_{rsa_padding}")
    assert out.signature.chain == (signer.cert_der, pki.intermediate.cert_der, pki.root.cert_der)


def test_integrity_field_for_password_modes(pki):
    p12 = identity(pki)
    assert pkcs12kit.loads(pkcs12kit.dumps(p12, "pw"), "pw").integrity == "mac"
    assert pkcs12kit.loads(pkcs12kit.dumps(p12, "pw", profile=pkcs12kit.MODERN_PBMAC1), "pw").integrity == "pbmac1"
    assert pkcs12kit.loads(pkcs12kit.dumps(p12, None, profile=pkcs12kit.PASSWORDLESS)).integrity is None


@pytest.mark.parametrize("kind, rsa_padding, cipher", [
    ("rsa2048", "oaep", "aes256_cbc"), ("rsa2048", "pkcs1v15", "tripledes_3key"), ("p256", "oaep", "aes128_cbc"),
    ("p521", "oaep", "aes192_cbc"),
])
def test_enveloped_round_trip(pki, kind, rsa_padding, cipher):
    recipient = pki.leaf(kind)
    p12 = identity(pki)
    der = pkcs12kit.dumps(p12, "pw", recipients=[Recipient(recipient.cert, rsa_padding=rsa_padding)],
                          envelope_cipher=cipher, random=random.Random(5))
    for key, cert in ((recipient.key, recipient.cert), (recipient.key, None), (recipient.key_der, recipient.cert_der)):
        out = pkcs12kit.loads(der, "pw", recipient_key=key, recipient_certificate=cert)
        assert out == p12 and out.integrity == "mac"
        assert [safe.kind for safe in out.safes] == ["envelopedData", "envelopedData"]
        envelope = out.safes[0].envelope
        assert envelope.cipher == cipher
        assert envelope.key_management == ("ecdh" if kind != "rsa2048" else f"rsaes_{rsa_padding}")


def test_rewriting_as_decoded_never_unseals_an_envelope(pki):
    recipient = pki.leaf("p256")
    p12 = identity(pki)
    der = pkcs12kit.dumps(p12, "pw", recipients=[recipient.cert])
    decoded = pkcs12kit.loads(der, "pw", recipient_key=recipient.key)
    with pytest.raises(pkcs12kit.EncodeError) as caught:
        pkcs12kit.dumps(decoded, "pw", profile=decoded.profile)
    assert str(caught.value) == ("safe 0 was an envelopedData: pass recipients=[...] to seal it again, "
                                 "or a profile with another layout")
    again = pkcs12kit.dumps(decoded, "pw", profile=decoded.profile, recipients=[recipient.cert])
    assert pkcs12kit.loads(again, "pw", recipient_key=recipient.key) == p12


def test_a_pkcs12_opens_what_was_sealed_for_its_identity(pki):
    recipient = pki.leaf("p384")
    holder = pkcs12kit.PKCS12.build(key=recipient.key, certificate=recipient.cert)
    p12 = identity(pki)
    der = pkcs12kit.dumps(p12, None, profile=pkcs12kit.PASSWORDLESS, recipients=recipient.cert)
    assert pkcs12kit.loads(der, recipient_key=holder) == p12


def test_several_recipients_each_open_it(pki):
    rsa_leaf, ec_leaf = pki.leaf("rsa2048"), pki.leaf("p256")
    p12 = identity(pki)
    der = pkcs12kit.dumps(p12, "pw", recipients=[rsa_leaf.cert, ec_leaf.cert])
    for leaf in (rsa_leaf, ec_leaf):
        out = pkcs12kit.loads(der, "pw", recipient_key=leaf.key, recipient_certificate=leaf.cert)
        assert out == p12 and out.safes[0].envelope.recipients == 2


def test_unverified_reads_without_checking(pki):
    signer = pki.leaf("p256")
    p12 = identity(pki)
    der = bytearray(pkcs12kit.dumps(p12, "pw", signer=Signer(signer.key, signer.cert)))
    signature = bytes(auth_safe_content_info(bytes(der))["content"]["signer_infos"][0]["signature"].native)
    at = bytes(der).index(signature)
    der[at + 10] ^= 1  # the signature no longer verifies: UNVERIFIED does not look
    out = pkcs12kit.loads(bytes(der), "pw", trust=UNVERIFIED)
    assert out == p12
    assert out.signature.verified is False and out.signer.der == signer.cert_der
    assert out.integrity == "signature"


def test_signer_key_must_match_its_certificate(pki):
    with pytest.raises(pkcs12kit.EncodeError) as caught:
        pkcs12kit.dumps(identity(pki), None, signer=Signer(pki.leaf("p256").key, pki.leaf("p384").cert))
    assert str(caught.value) == "signer: the key does not match the signer certificate's public key"


# --- refusals: exact class and message ---------------------------------------------------------


@pytest.fixture(scope="module")
def signed_file(pki):
    signer = pki.leaf("rsa2048")
    return pkcs12kit.dumps(identity(pki), "pw", signer=Signer(signer.key, signer.cert, chain=[pki.intermediate.cert]))


def test_no_trust_is_refused(signed_file):
    with pytest.raises(TrustRequiredError) as caught:
        pkcs12kit.loads(signed_file, "pw")
    assert str(caught.value) == (
        "authSafe: the file is signed (public-key integrity mode, RFC 7292 section 3.1) and no trust anchors "
        "were given; pass trust=[certificates], or trust=pkcs12kit.UNVERIFIED to read it unverified"
    )


def test_wrong_signer_is_refused(signed_file, tmp_path):
    stranger_key = make_key("p256")
    stranger = make_cert("a stranger CA", stranger_key.public_key(), None, stranger_key, ca=True)
    with pytest.raises(UntrustedSignerError) as caught:
        pkcs12kit.loads(signed_file, "pw", trust=[stranger])
    assert type(caught.value) is UntrustedSignerError
    assert str(caught.value) == ("authSafe signedData: the signer 'CN=pkcs12kit test leaf rsa2048' does not chain "
                                 "to any of the 1 trust anchors given")


def test_tampered_signature_is_refused(signed_file, pki):
    signature = bytes(auth_safe_content_info(signed_file)["content"]["signer_infos"][0]["signature"].native)
    at = signed_file.index(signature) + 100
    tampered = signed_file[:at] + bytes([signed_file[at] ^ 0x01]) + signed_file[at + 1:]
    with pytest.raises(SignatureError) as caught:
        pkcs12kit.loads(tampered, "pw", trust=[pki.root.cert])
    assert type(caught.value) is SignatureError
    assert str(caught.value) == ("authSafe signedData signerInfo[0]: the signature does not verify (tampered file "
                                 "or wrong signer certificate)")


def test_tampered_content_is_refused(signed_file, pki):
    econtent = auth_safe_content_info(signed_file)["content"]["encap_content_info"]["content"].native
    at = signed_file.index(econtent) + 200  # inside the signed authenticated safe
    tampered = signed_file[:at] + bytes([signed_file[at] ^ 0x01]) + signed_file[at + 1:]
    with pytest.raises(SignatureError) as caught:
        pkcs12kit.loads(tampered, "pw", trust=[pki.root.cert])
    assert str(caught.value) == ("authSafe signedData signerInfo[0]: the messageDigest attribute does not match the "
                                 "authenticated safe (RFC 5652 section 11.2)")


def test_signature_is_checked_before_any_envelope_is_opened(pki, monkeypatch):
    leaf = pki.leaf("p256")
    der = pkcs12kit.dumps(identity(pki), None, profile=pkcs12kit.PASSWORDLESS, signer=Signer(leaf.key, leaf.cert),
                          recipients=[leaf.cert])
    econtent = auth_safe_content_info(der)["content"]["encap_content_info"]["content"].native
    at = der.index(econtent) + 300  # inside an envelope's ciphertext
    tampered = der[:at] + bytes([der[at] ^ 0x01]) + der[at + 1:]
    from pkcs12kit import cms_envelope

    def forbidden(*args, **kwargs):
        raise AssertionError("an envelope was opened before the signature was checked")

    monkeypatch.setattr(cms_envelope, "open_envelope", forbidden)
    with pytest.raises(SignatureError, match="the messageDigest attribute does not match"):
        pkcs12kit.loads(tampered, trust=[pki.root.cert], recipient_key=leaf.key)


def test_chain_length_is_bounded(signed_file, pki):
    with pytest.raises(UntrustedSignerError) as caught:
        pkcs12kit.loads(signed_file, "pw", trust=[pki.root.cert], limits=Limits(max_chain_length=2))
    assert "no trust anchor within Limits.max_chain_length (2) certificates of the signer" in str(caught.value)
    # The intermediate as the anchor is two certificates away: allowed.
    assert pkcs12kit.loads(signed_file, "pw", trust=[pki.intermediate.cert], limits=Limits(max_chain_length=2))


def test_certificates_in_signed_data_are_bounded(signed_file, pki):
    with pytest.raises(LimitExceededError) as caught:
        pkcs12kit.loads(signed_file, "pw", trust=[pki.root.cert], limits=Limits(max_signed_certificates=1))
    assert str(caught.value) == ("authSafe signedData certificates: 2 is over Limits.max_signed_certificates (1); "
                                 "pass limits=Limits(max_signed_certificates=...) to allow it")


@pytest.fixture(scope="module")
def sealed_for_rsa(pki):
    return pkcs12kit.dumps(identity(pki), "pw", recipients=[pki.leaf("rsa2048").cert])


def test_wrong_recipient_key_is_refused(sealed_for_rsa, pki):
    other = make_key("rsa2048")
    with pytest.raises(WrongRecipientKeyError) as caught:
        pkcs12kit.loads(sealed_for_rsa, "pw", recipient_key=other, recipient_certificate=pki.leaf("rsa2048").cert)
    assert str(caught.value) == ("authSafe[0] envelopedData: the recipient key does not open the envelopedData "
                                 "(wrong key for the recipient, or corrupted data)")


def test_unknown_recipient_is_refused(sealed_for_rsa, pki):
    stranger = pki.leaf("p256")
    with pytest.raises(UnknownRecipientError) as caught:
        pkcs12kit.loads(sealed_for_rsa, "pw", recipient_key=stranger.key, recipient_certificate=stranger.cert)
    assert str(caught.value) == "authSafe[0] envelopedData: none of the 1 RecipientInfos is for the given certificate"
    with pytest.raises(UnknownRecipientError) as caught:
        pkcs12kit.loads(sealed_for_rsa, "pw", recipient_key=stranger.key)
    assert str(caught.value) == "authSafe[0] envelopedData: none of the 1 RecipientInfos is for an EC key"


def test_missing_recipient_key_is_refused(sealed_for_rsa):
    with pytest.raises(UnknownRecipientError) as caught:
        pkcs12kit.loads(sealed_for_rsa, "pw")
    assert str(caught.value) == ("authSafe[0] envelopedData: envelopedData (public-key privacy mode) needs the "
                                 "recipient's private key: pass recipient_key=... (and recipient_certificate=...)")


def test_recipients_are_bounded(pki):
    der = pkcs12kit.dumps(identity(pki), "pw", recipients=[pki.leaf("rsa2048").cert, pki.leaf("p256").cert])
    with pytest.raises(LimitExceededError) as caught:
        pkcs12kit.loads(der, "pw", recipient_key=pki.leaf("p256").key, limits=Limits(max_recipients=1))
    assert str(caught.value) == ("authSafe[0] envelopedData recipientInfos: 2 is over Limits.max_recipients (1); "
                                 "pass limits=Limits(max_recipients=...) to allow it")


# --- crafted hostile files (tests/vectors/crafted, made by make.py): refused before any
# signature or private-key operation -----------------------------------------------------------

CRAFTED = HERE / "vectors" / "crafted"
CRAFTED_TRUST = [craft.identity()[1]]
# (file, whether to pass an EC recipient key, error class, exact message)
PUBLIC_KEY_REFUSED = [
    ("signeddata-signers-5.p12", False, LimitExceededError,
     "authSafe signedData signerInfos: 5 is over Limits.max_signers (4); pass limits=Limits(max_signers=...) to allow it"),
    ("signeddata-certificates-33.p12", False, LimitExceededError,
     "authSafe signedData certificates: 33 is over Limits.max_signed_certificates (32); "
     "pass limits=Limits(max_signed_certificates=...) to allow it"),
    ("signeddata-detached.p12", False, pkcs12kit.MalformedError,
     "authSafe signedData: eContent is missing (a detached signature carries no authenticated safe)"),
    ("signeddata-econtenttype-not-data.p12", False, pkcs12kit.MalformedError,
     "authSafe signedData: eContentType must be data (RFC 7292 section 4)"),
    ("signeddata-with-macdata.p12", False, pkcs12kit.MalformedError,
     "PFX: a signed authSafe (public-key integrity mode) takes no macData"),
    ("signeddata-digest-sha1.p12", False, pkcs12kit.UnsupportedAlgorithmError,
     "authSafe signedData signerInfo[0]: digest algorithm sha1 is not accepted for signatures "
     "(expected one of sha224, sha256, sha384, sha512)"),
    ("signeddata-wrong-messagedigest.p12", False, SignatureError,
     "authSafe signedData signerInfo[0]: the messageDigest attribute does not match the authenticated safe "
     "(RFC 5652 section 11.2)"),
    ("envelopeddata-recipients-17.p12", False, LimitExceededError,
     "authSafe[0] envelopedData recipientInfos: 17 is over Limits.max_recipients (16); "
     "pass limits=Limits(max_recipients=...) to allow it"),
    ("envelopeddata-kari-keys-17.p12", True, LimitExceededError,
     "authSafe[0] envelopedData recipientInfo[0] recipientEncryptedKeys: 17 is over Limits.max_recipients (16); "
     "pass limits=Limits(max_recipients=...) to allow it"),
    ("envelopeddata-kari-unknown-kdf.p12", True, pkcs12kit.UnsupportedAlgorithmError,
     "authSafe[0] envelopedData recipientInfo[0]: key agreement 1.2.3.4.5 is not supported (RFC 5753 ECDH schemes)"),
    ("envelopeddata-cipher-rc2.p12", False, pkcs12kit.UnsupportedAlgorithmError,
     "authSafe[0] envelopedData: content encryption 1.2.840.113549.3.2 is not supported "
     "(expected one of aes128_cbc, aes192_cbc, aes256_cbc, tripledes_3key)"),
    ("envelopeddata-no-encryptedcontent.p12", False, pkcs12kit.MalformedError,
     "authSafe[0] envelopedData: encryptedContent is missing"),
]


class _Forbidden(Exception):
    """Raised by a private- or public-key operation that a crafted file must not reach."""


@pytest.mark.parametrize("name, ec_key, error, message", PUBLIC_KEY_REFUSED, ids=[r[0] for r in PUBLIC_KEY_REFUSED])
def test_crafted_public_key_file_is_refused(monkeypatch, name, ec_key, error, message):
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1()) if ec_key else None

    def forbidden(*args, **kwargs):
        raise _Forbidden("a key operation ran")

    from pkcs12kit import cms_envelope, cms_sign

    monkeypatch.setattr(cms_sign, "_check_signature", forbidden)
    monkeypatch.setattr(cms_sign, "_issued", forbidden)
    monkeypatch.setattr(cms_envelope.X963KDF, "derive", forbidden)
    with pytest.raises(error) as caught:
        pkcs12kit.loads((CRAFTED / name).read_bytes(), "pw", trust=CRAFTED_TRUST, recipient_key=key)
    assert type(caught.value) is error
    assert str(caught.value) == message


# --- openssl cms --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, rsa_padding", [("rsa2048", "pkcs1v15"), ("rsa2048", "pss"), ("p384", "pkcs1v15")])
def test_openssl_cms_verifies_what_pkcs12kit_signs(pki, tmp_path, kind, rsa_padding):
    require_tool("openssl")
    signer = pki.leaf(kind)
    der = pkcs12kit.dumps(identity(pki), "pw", signer=Signer(signer.key, signer.cert, chain=[pki.intermediate.cert],
                                                             rsa_padding=rsa_padding))
    signed = auth_safe_content_info(der)
    (tmp_path / "signed.der").write_bytes(signed.dump())
    openssl("cms", "-verify", "-inform", "DER", "-in", tmp_path / "signed.der", "-CAfile", pki.root.cert_path,
            "-purpose", "any", "-binary", "-out", tmp_path / "content.der")
    assert (tmp_path / "content.der").read_bytes() == signed["content"]["encap_content_info"]["content"].native
    # The control: against an anchor that did not issue the chain, openssl refuses it too.
    refused = openssl("cms", "-verify", "-inform", "DER", "-in", tmp_path / "signed.der", "-CAfile",
                      pki.leaf("p521").cert_path, "-purpose", "any", "-out", os.devnull, check=False)
    assert refused.returncode != 0


@pytest.mark.parametrize("kind, rsa_padding, cipher", [
    ("rsa2048", "oaep", "aes256_cbc"), ("rsa2048", "pkcs1v15", "tripledes_3key"), ("p256", "oaep", "aes128_cbc"),
    ("p384", "oaep", "aes256_cbc"),
])
def test_openssl_cms_decrypts_what_pkcs12kit_seals(pki, tmp_path, kind, rsa_padding, cipher):
    require_tool("openssl")
    recipient = pki.leaf(kind)
    identity_leaf = pki.leaf("rsa2048")
    p12 = identity(pki)
    der = pkcs12kit.dumps(p12, None, profile=pkcs12kit.PASSWORDLESS, envelope_cipher=cipher,
                          recipients=[Recipient(recipient.cert, rsa_padding=rsa_padding)])
    bags = []
    for index, info in enumerate(safe_content_infos(der)):
        assert cms.ContentInfo.load(info)["content_type"].native == "enveloped_data"
        path = tmp_path / f"safe{index}.der"
        path.write_bytes(info)
        openssl("cms", "-decrypt", "-inform", "DER", "-in", path, "-recip", recipient.cert_path,
                "-inkey", recipient.key_path, "-binary", "-out", tmp_path / f"plain{index}.der")
        bags += bag_values((tmp_path / f"plain{index}.der").read_bytes())
    assert bags == [("cert_bag", identity_leaf.cert_der), ("cert_bag", pki.intermediate.cert_der),
                    ("key_bag", identity_leaf.key_der)]


def _openssl_pfx(pki, tmp_path, *, recipient, encrypt_args, key_options=(), signer=None, sign_args=()) -> bytes:
    """A PFX assembled by hand around CMS that openssl wrote: one envelopedData safe holding the
    rsa2048 identity's certificate and key (keyBag), signed when ``signer`` is given."""
    leaf = pki.leaf("rsa2048")
    (tmp_path / "safe.der").write_bytes(craft.safe_contents(craft.cert_bag(leaf.cert_der), craft.key_bag(leaf.key_der)))
    openssl("cms", "-encrypt", "-binary", "-in", tmp_path / "safe.der", "-outform", "DER", "-out",
            tmp_path / "env.der", *encrypt_args, "-recip", recipient.cert_path, *key_options)
    auth = craft.auth_safe((tmp_path / "env.der").read_bytes())
    if signer is None:
        return craft.pfx(auth)
    (tmp_path / "auth.der").write_bytes(auth)
    openssl("cms", "-sign", "-binary", "-nodetach", "-in", tmp_path / "auth.der", "-outform", "DER", "-out",
            tmp_path / "signed.der", "-signer", signer.cert_path, "-inkey", signer.key_path,
            "-certfile", pki.intermediate.cert_path, "-nosmimecap", *sign_args)
    return craft.seq(craft.integer(3), (tmp_path / "signed.der").read_bytes())


@pytest.mark.parametrize("recipient_kind, cipher, key_options, management", [
    ("rsa2048", "-aes-256-cbc", [], "rsaes_pkcs1v15"),
    ("rsa2048", "-aes-128-cbc", ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"], "rsaes_oaep"),
    ("rsa2048", "-des3", [], "rsaes_pkcs1v15"),
    ("p256", "-aes-256-cbc", [], "ecdh"),
    ("p384", "-aes-192-cbc", ["-keyopt", "ecdh_kdf_md:sha384"], "ecdh"),
    # Recipients named by subject key identifier (rKeyId / subjectKeyIdentifier) instead of issuer and serial.
    ("rsa2048", "-aes-256-cbc", ["-keyid"], "rsaes_pkcs1v15"),
    ("p256", "-aes-128-cbc", ["-keyid"], "ecdh"),
])
def test_pkcs12kit_reads_openssl_cms_envelopes(pki, tmp_path, recipient_kind, cipher, key_options, management):
    require_tool("openssl")
    recipient = pki.leaf(recipient_kind)
    der = _openssl_pfx(pki, tmp_path, recipient=recipient, encrypt_args=[cipher], key_options=key_options)
    out = pkcs12kit.loads(der, recipient_key=recipient.key, recipient_certificate=recipient.cert)
    leaf = pki.leaf("rsa2048")
    assert [entry.der for entry in out.entries] == [leaf.cert_der, leaf.key_der]
    assert out.safes[0].envelope.key_management == management


@pytest.mark.parametrize("signer_kind, sign_args", [
    ("rsa2048", ["-md", "sha256"]), ("rsa2048", ["-md", "sha512", "-keyopt", "rsa_padding_mode:pss"]),
    ("p256", ["-md", "sha384"]),
    ("p256", ["-md", "sha256", "-noattr"]),  # no signed attributes: the signature covers the content
    ("rsa2048", ["-md", "sha256", "-keyid"]),  # the signer named by subject key identifier
])
def test_pkcs12kit_verifies_openssl_cms_signatures(pki, tmp_path, signer_kind, sign_args):
    require_tool("openssl")
    recipient, signer = pki.leaf("p256"), pki.leaf(signer_kind)
    der = _openssl_pfx(pki, tmp_path, recipient=recipient, encrypt_args=["-aes-256-cbc"], signer=signer,
                       sign_args=sign_args)
    out = pkcs12kit.loads(der, trust=[pki.root.cert], recipient_key=recipient.key)
    assert out.signer.der == signer.cert_der and out.signature.verified
    assert out.signature.digest == sign_args[1]
    with pytest.raises(UntrustedSignerError):
        pkcs12kit.loads(der, trust=[pki.leaf("p384").cert], recipient_key=recipient.key)


# --- PKI.js -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pkijs(tmp_path_factory) -> dict:
    """``npm install pkijs`` once per session into a temporary folder; the environment for node."""
    npm = require_tool("npm")
    require_tool("node")
    folder = tmp_path_factory.mktemp("pkijs")
    done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder), "pkijs@4", "asn1js"],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"npm install pkijs failed:\n{done.stderr[-2000:]}")
    return {**os.environ, "NODE_PATH": str(folder / "node_modules")}


def node(env: dict, *args) -> str:
    done = subprocess.run(["node", str(HERE / "pkijs_interop.js"), *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"pkijs_interop.js {args[0]} failed:\n{done.stderr}")
    return done.stdout


def _write_der(tmp_path: Path, name: str, der: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(der)
    return path


@pytest.mark.parametrize("signer_kind, recipient_kind", [("rsa2048", "p256"), ("p256", "rsa2048"), ("p384", "p384")])
def test_pkcs12kit_reads_what_pkijs_writes(pkijs, pki, tmp_path, signer_kind, recipient_kind):
    signer, recipient = pki.leaf(signer_kind), pki.leaf(recipient_kind)
    out_path = tmp_path / "pkijs.p12"
    node(pkijs, "write", out_path, _write_der(tmp_path, "key.der", signer.key_der),
         _write_der(tmp_path, "cert.der", signer.cert_der), _write_der(tmp_path, "recipient.der", recipient.cert_der),
         tmp_path / "cert.der", _write_der(tmp_path, "inter.der", pki.intermediate.cert_der))
    der = out_path.read_bytes()
    # PKI.js carries only the signer's certificate in the SignedData: the intermediate is the anchor.
    out = pkcs12kit.loads(der, trust=[pki.intermediate.cert], recipient_key=recipient.key,
                          recipient_certificate=recipient.cert)
    assert [entry.der for entry in out.certificates] == [signer.cert_der, pki.intermediate.cert_der]
    assert out.keys[0].der == signer.key_der
    assert out.integrity == "signature" and out.signer.der == signer.cert_der
    assert out.safes[0].kind == "envelopedData"
    with pytest.raises(WrongRecipientKeyError):
        other = make_key("p384" if recipient_kind == "p384" else recipient_kind)
        pkcs12kit.loads(der, trust=[pki.intermediate.cert], recipient_key=other, recipient_certificate=recipient.cert)
    with pytest.raises(UntrustedSignerError):
        pkcs12kit.loads(der, trust=[pki.root.cert], recipient_key=recipient.key)


@pytest.mark.parametrize("signer_kind, recipient_kind", [("rsa2048", "p256"), ("p256", "rsa2048"), ("rsa2048", "p521")])
def test_pkijs_reads_what_pkcs12kit_writes(pkijs, pki, tmp_path, signer_kind, recipient_kind):
    signer, recipient = pki.leaf(signer_kind), pki.leaf(recipient_kind)
    identity_leaf = pki.leaf("rsa2048")
    der = pkcs12kit.dumps(identity(pki), None, profile=pkcs12kit.PASSWORDLESS,
                          signer=Signer(signer.key, signer.cert), recipients=[recipient.cert])
    result = json.loads(node(pkijs, "read", _write_der(tmp_path, "ours.p12", der),
                             _write_der(tmp_path, "key.der", recipient.key_der),
                             _write_der(tmp_path, "cert.der", recipient.cert_der)))
    bags = [(bag["type"], bytes.fromhex(bag["der"])) for bag in result["bags"]]
    assert bags == [("1.2.840.113549.1.12.10.1.3", identity_leaf.cert_der),
                    ("1.2.840.113549.1.12.10.1.3", pki.intermediate.cert_der),
                    ("1.2.840.113549.1.12.10.1.1", identity_leaf.key_der)]


@pytest.mark.parametrize("mode", ["signer", "recipient"])
def test_a_certificate_cryptography_refuses_is_an_encode_error(mode):
    """A caller's certificate of version 7 (the shape the fuzzer found on the reading side):
    cryptography's own InvalidVersion never leaves dumps."""
    from cryptography.hazmat.primitives.serialization import Encoding

    key = make_key("p256")
    cert = make_cert("version 7", key.public_key(), None, key, ca=False)
    der = bytearray(cert.public_bytes(Encoding.DER))
    at = der.find(b"\xa0\x03\x02\x01\x02")  # [0] EXPLICIT version v3
    der[at + 4] = 7
    p12 = pkcs12kit.PKCS12.build(key=key, certificate=cert)
    with pytest.raises(pkcs12kit.EncodeError) as caught:
        if mode == "signer":
            pkcs12kit.dumps(p12, "pw", signer=pkcs12kit.Signer(key, bytes(der)))
        else:
            pkcs12kit.dumps(p12, None, recipients=[pkcs12kit.Recipient(bytes(der))])
    what = "signer: the key or certificate" if mode == "signer" else "recipients: the certificate"
    assert str(caught.value) == f"{what} cannot be used: 7 is not a valid X509 version"
