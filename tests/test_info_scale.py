"""`info` and certificate health on a large file read each certificate at the TLV level: only the
identity is parsed in full (for its extensions). Counted, not timed (docs/performance.md has the
times)."""

from __future__ import annotations

import datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import pkcs12kit
from pkcs12kit.cli.output import EXTENSIONS_FOR_ALL_UP_TO, info_document
from pkcs12kit.targets import health


def _certificate(name: str, key, *, san: str | None = None) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(start)
               .not_valid_after(start + datetime.timedelta(days=3650)))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
    return builder.sign(key, hashes.SHA256())


def test_info_on_many_certificates_parses_only_the_identity(monkeypatch):
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = _certificate("host.example.com", key, san="host.example.com")
    others = [_certificate(f"other {n}", ec.generate_private_key(ec.SECP256R1()))
              for n in range(EXTENSIONS_FOR_ALL_UP_TO + 20)]
    p12 = pkcs12kit.loads(pkcs12kit.dumps(pkcs12kit.PKCS12.build(key=key, certificate=leaf, chain=others), "pw"), "pw")
    parsed = []
    original = asn1_x509.Certificate.load.__func__

    def counting(cls, data, *args, **kwargs):
        parsed.append(data)
        return original(cls, data, *args, **kwargs)

    monkeypatch.setattr(asn1_x509.Certificate, "load", classmethod(counting))
    at = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    doc = info_document(p12, at=at)
    findings = health(p12, at=at)
    assert parsed == [leaf.public_bytes(serialization.Encoding.DER)]
    identity = doc["certificates"][0]
    assert identity["san"] == ["DNS:host.example.com"] and identity["validity"].startswith("valid, ")
    assert all(cert["san"] is None and cert["validity"].startswith("valid, ") for cert in doc["certificates"][1:])
    assert all(cert["signature_algorithm"] == "ecdsa-with-SHA256" for cert in doc["certificates"])
    assert [finding.code for finding in findings if finding.severity == "error"] == []
