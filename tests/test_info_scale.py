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
from pkcs12kit.cli import output
from pkcs12kit.cli.output import EXTENSIONS_FOR_ALL_UP_TO, info_document
from pkcs12kit.targets import health
from pkcs12kit.targets.health import cert_fields, validity_status


def _certificate(name: str, key, *, san: str | None = None, days: int = 3650) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(start)
               .not_valid_after(start + datetime.timedelta(days=days)))
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


def test_info_writes_each_distinct_date_and_validity_line_once(monkeypatch):
    """Dates and validity lines are per distinct validity, not per certificate: 40 certificates
    of two validity periods make three dates and two lines, each still the certificate's own."""
    key = ec.generate_private_key(ec.SECP256R1())
    certs = [_certificate(f"c{n}", key, days=3650 if n % 2 else 400) for n in range(40)]
    p12 = pkcs12kit.loads(pkcs12kit.dumps(pkcs12kit.PKCS12.build(key=key, certificate=certs[0], chain=certs[1:]),
                                          "pw"), "pw")
    dates, lines = [], []
    when, status = output._when, output.validity_status
    monkeypatch.setattr(output, "_when", lambda moment: dates.append(moment) or when(moment))
    monkeypatch.setattr(output, "validity_status", lambda *args: lines.append(args) or status(*args))
    at = datetime.datetime(2020, 12, 1, tzinfo=datetime.timezone.utc)
    doc = info_document(p12, at=at, days=70)
    assert len(dates) == 3 and len(lines) == 2
    listed = {cert["sha256"]: cert for cert in doc["certificates"]}
    assert len(listed) == len(certs)
    for cert in certs:
        row = listed[cert.fingerprint(hashes.SHA256()).hex()]
        assert row["not_before"] == "2020-01-01T00:00:00Z"
        assert row["not_after"] == cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
        entry = next(entry for entry in p12.certificates if entry.fingerprint("sha256").hex() == row["sha256"])
        assert row["validity"] == validity_status(cert_fields(entry), at, 70)
    # 2020-01-01 plus 400 days is 2021-02-04, 65 days after "now"; plus 3,650 days, 2029-12-29.
    assert {row["validity"] for row in listed.values()} == {"EXPIRES SOON 2021-02-04 (65 days left)",
                                                            "valid, 3,315 days left"}


def test_info_dates_are_utc_whole_seconds():
    """The document's time form: UTC, fractions of a second dropped, a naive time taken as UTC."""
    utc = datetime.timezone.utc
    assert output._when(datetime.datetime(2031, 5, 6, 7, 8, 9, 500000, tzinfo=utc)) == "2031-05-06T07:08:09Z"
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    assert output._when(datetime.datetime(2031, 1, 1, 1, 0, 0, tzinfo=plus_two)) == "2030-12-31T23:00:00Z"
    assert output._when(datetime.datetime(2031, 1, 1, 1, 0, 0)) == "2031-01-01T01:00:00Z"
    assert output._when(None) is None
