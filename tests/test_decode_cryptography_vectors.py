"""Every PKCS#12 file shipped in the ``cryptography_vectors`` package, checked against
``cryptography``'s own reader (OpenSSL underneath) on the same bytes and password."""

from __future__ import annotations

import base64
from pathlib import Path

import cryptography_vectors
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, load_der_private_key, pkcs12

import pkcs12kit
from tools import LEGACY_PROVIDERS, key_pkcs8, openssl

VECTORS = Path(cryptography_vectors.__file__).parent
FILES = sorted(VECTORS.glob("pkcs12/*.p12")) + sorted(VECTORS.glob("x509/PKITS_data/pkcs12/*.p12"))


def password_for(path: Path) -> str | None:
    """The passwords pyca/cryptography's tests/hazmat/primitives/test_pkcs12.py use."""
    name = path.name
    if "PKITS_data" in path.parts:
        return "password"  # NIST PKITS: "The password for all PKCS #12 files is password"
    if "no-pwd" in name or name in ("java-truststore.p12", "no-password.p12"):
        return None
    if name.startswith(("name-", "no-cert-name-", "no-name-", "no-cert-no-name-")):
        return "password"
    return "cryptography"  # cert-*-key-*.p12, cert-aes256cbc-no-key.p12, no-cert-key-aes256cbc.p12


def _id(path: Path) -> str:
    return ("pkits/" if "PKITS_data" in path.parts else "") + path.stem


def test_found_the_vectors():
    # guards against an empty parametrisation passing silently
    assert len([f for f in FILES if "PKITS_data" not in f.parts]) >= 31
    assert len([f for f in FILES if "PKITS_data" in f.parts]) >= 200


def _normalized_key(der: bytes) -> bytes:
    """PKCS#8 as cryptography re-serializes it: files may carry optional fields (e.g. the EC
    curve inside ECPrivateKey) that cryptography drops, so compare key material, not bytes."""
    return key_pkcs8(load_der_private_key(der, None))


def _pem_blocks(text: bytes, label: bytes) -> list[bytes]:
    """DER of every ``-----BEGIN <label>-----`` block in openssl output (decoded here, not by
    cryptography, which cannot parse these certificates)."""
    out, inside, lines = [], False, []
    for line in text.splitlines():
        if line == b"-----BEGIN " + label + b"-----":
            inside, lines = True, []
        elif line == b"-----END " + label + b"-----":
            inside = False
            out.append(base64.b64decode(b"".join(lines)))
        elif inside:
            lines.append(line)
    return out


# Files cryptography (48) cannot load: their certificates have a DSA public key whose
# parameters are inherited from the issuer (RFC 3279 section 2.3.2 allows absent parameters),
# and cryptography's X.509 parser rejects AlgorithmIdentifier without params for DSA. For
# them the oracle is the openssl command line.
OPENSSL_ORACLE = {"DSAParametersInheritedCACert.p12", "ValidDSAParameterInheritanceTest5EE.p12"}


@pytest.mark.parametrize("path", [f for f in FILES if f.name in OPENSSL_ORACLE], ids=_id)
def test_vector_matches_openssl(path, openssl_tool, tmp_path):
    with pytest.raises(ValueError):
        pkcs12.load_pkcs12(path.read_bytes(), b"password")  # if this starts passing, drop the file from OPENSSL_ORACLE
    p12 = pkcs12kit.loads(path.read_bytes(), "password")
    args = ["pkcs12", "-in", path, "-passin", "pass:password", "-nodes", *LEGACY_PROVIDERS]
    certs = _pem_blocks(openssl(*args, "-nokeys").stdout, b"CERTIFICATE")
    assert [c.der for c in p12.certificates] == certs
    key_pem = openssl(*args, "-nocerts").stdout
    (tmp_path / "k.der").write_bytes(p12.keys[0].der)
    ours = openssl("pkey", "-inform", "DER", "-in", tmp_path / "k.der").stdout
    assert [k for k in key_pem.splitlines() if not k.startswith((b"Bag", b"    ", b"Key Attr"))] == ours.splitlines()
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(path.read_bytes(), "definitely-wrong")


@pytest.mark.filterwarnings("ignore:PKCS#12 bundle could not be parsed as DER")
@pytest.mark.filterwarnings("ignore:Parsed a serial number which wasn't positive")
@pytest.mark.parametrize("path", [f for f in FILES if f.name not in OPENSSL_ORACLE], ids=_id)
def test_vector_matches_cryptography(path):
    data = path.read_bytes()
    password = password_for(path)
    oracle = pkcs12.load_pkcs12(data, None if password is None else password.encode())
    p12 = pkcs12kit.loads(data, password)

    # key
    if oracle.key is None:
        assert p12.keys == ()
    else:
        assert [_normalized_key(k.der) for k in p12.keys] == [key_pkcs8(oracle.key)]
        assert p12.key is not None and p12.key.private_key.dump() == p12.key.der

    # certificates: cryptography splits them into "the cert matching the key" and the rest, each
    # in file order; pkcs12kit keeps file order, so compare the identity certificate and the
    # others as ordered lists with it removed.
    oracle_certs = ([oracle.cert] if oracle.cert is not None else []) + list(oracle.additional_certs)
    oracle_der = [c.certificate.public_bytes(Encoding.DER) for c in oracle_certs]
    ours = list(p12.certificates)
    assert sorted(c.der for c in ours) == sorted(oracle_der)
    if oracle.cert is not None:
        identity_der = oracle.cert.certificate.public_bytes(Encoding.DER)
        assert p12.certificate is not None and p12.certificate.der == identity_der
        ours_rest = [c for c in ours if c.der != identity_der]
    else:
        ours_rest = ours
    assert [c.der for c in ours_rest] == oracle_der[1 if oracle.cert is not None else 0:]

    # friendly names (cryptography exposes them as UTF-8 bytes)
    by_der = {c.certificate.public_bytes(Encoding.DER): c.friendly_name for c in oracle_certs}
    for cert in ours:
        expected = by_der[cert.der]
        assert cert.friendly_name == (None if expected is None else expected.decode("utf-8"))
    # (no check of cert.certificate.dump() == cert.der: asn1crypto 1.5.1 re-encodes some
    # certificates, e.g. PKITS UIDCACert's unique identifiers, differently from their DER.)

    # a wrong password is refused as such
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(data, "definitely-wrong")


def test_java_truststore_attributes():
    """java-truststore.p12 (keytool, no password): trusted certificates carry Oracle's
    trusted-key-usage attribute with anyExtendedKeyUsage (2.5.29.37.0)."""
    p12 = pkcs12kit.loads((VECTORS / "pkcs12" / "java-truststore.p12").read_bytes(), None)
    assert p12.keys == ()
    assert len(p12.certificates) == 2
    for cert in p12.certificates:
        usage = cert.attribute("trusted_key_usage")
        assert usage is not None and usage.oid == "2.16.840.1.113894.746875.1.1"
        assert usage.values == (bytes.fromhex("0604551d2500"),)


def test_unicode_names():
    """name-unicode-pwd.p12: ☺ on the key's certificate, ä and ç on the others (names from
    cryptography's test_pkcs12.py)."""
    p12 = pkcs12kit.loads((VECTORS / "pkcs12" / "name-unicode-pwd.p12").read_bytes(), "password")
    assert p12.certificate.friendly_name == "☺"
    assert sorted(c.friendly_name for c in p12.certificates if c.der != p12.certificate.der) == ["ä", "ç"]
