"""What `loads` says when it is handed something other than PKCS#12 (issue: API and CLI agree
on input forms). The inputs come from `openssl`, an independent producer."""

from __future__ import annotations

import pytest

import pkcs12kit
from tools import openssl


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    directory = tmp_path_factory.mktemp("forms")
    key, cert, crl = directory / "key.pem", directory / "cert.pem", directory / "crl.pem"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
            "-out", str(cert), "-subj", "/CN=forms test", "-days", "30")
    # A CRL needs a CA database; openssl ca's minimal config in the temporary directory.
    (directory / "index.txt").write_text("")
    (directory / "ca.cnf").write_text(
        f"[ca]\ndefault_ca=d\n[d]\ndatabase={directory / 'index.txt'}\ndefault_md=sha256\ndefault_crl_days=30\n"
    )
    openssl("ca", "-gencrl", "-config", str(directory / "ca.cnf"), "-keyfile", str(key), "-cert", str(cert),
            "-out", str(crl))
    der = lambda kind, path: openssl(kind, "-in", str(path), "-outform", "DER").stdout  # noqa: E731
    return {
        "cert_pem": cert.read_bytes(),
        "bundle_pem": cert.read_bytes() + key.read_bytes(),
        "key_pem": key.read_text(),
        "cert_der": der("x509", cert),
        "crl_der": der("crl", crl),
        "bundle_path": directory / "bundle.pem",
    }


def test_der_certificate_is_named(made):
    with pytest.raises(pkcs12kit.MalformedError, match=r"this is an X\.509 certificate \(DER\), not a PKCS#12 file"):
        pkcs12kit.loads(made["cert_der"])


def test_der_crl_is_named(made):
    with pytest.raises(pkcs12kit.MalformedError, match=r"this is an X\.509 CRL \(DER\), not a PKCS#12 file"):
        pkcs12kit.loads(made["crl_der"])


@pytest.mark.parametrize("name", ["cert_pem", "bundle_pem", "key_pem"])
def test_pem_bundle_is_named_with_the_builder(made, name):
    with pytest.raises(pkcs12kit.MalformedError, match=r"this is a PEM bundle .*PKCS12\.build"):
        pkcs12kit.loads(made[name])


def test_load_of_a_pem_bundle_file(made):
    made["bundle_path"].write_bytes(made["bundle_pem"])
    with pytest.raises(pkcs12kit.MalformedError, match=r"line 1: this is a PEM bundle \(-----BEGIN CERTIFICATE-----\)"):
        pkcs12kit.load(made["bundle_path"])


@pytest.mark.parametrize("form", [bytes, bytearray, lambda pem: pem.decode("ascii")], ids=["bytes", "bytearray", "str"])
def test_builders_take_pem_as_bytes_bytearray_or_text(made, form):
    # bytearray PEM once reached the PEM reader unconverted and failed with re's TypeError.
    assert pkcs12kit.CertEntry.from_certificate(form(made["cert_pem"])).der == made["cert_der"]
