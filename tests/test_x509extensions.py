"""subjectAltName, keyUsage and extendedKeyUsage read at the TLV level (pkcs12kit/x509extensions.py)
against asn1crypto, whose strings `info` has always shown, and against cryptography.

Truth: asn1crypto's ``Certificate.subject_alt_name_value``, ``key_usage_value`` and
``extended_key_usage_value`` formatted as health formatted them before (written out again below),
and cryptography's ``get_extension_for_class`` where its forms map onto those strings. The corpus
is tests/test_x509fields.py's (tests/vectors, cryptography-vectors' x509 and pkcs12 files, openssl
chains) plus certificates the openssl program makes here with many kinds of the three extensions,
and hand-made edge cases. The reader's contract: asn1crypto's strings exactly, or None (asn1crypto
decides), or MalformedError; nothing else, however hostile the input.
"""

from __future__ import annotations

import datetime
import io
import ipaddress
import warnings
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from cryptography.x509.oid import NameOID

import craft
from test_x509fields import _certificate, _certificates_in, _corpus_files, _openssl_chain
from tools import openssl, require_tool

from pkcs12kit import parsed
from pkcs12kit.cli import main
from pkcs12kit.entries import CertEntry
from pkcs12kit.errors import MalformedError
from pkcs12kit.targets.health import cert_fields
from pkcs12kit.x509extensions import _KEY_USAGE_NAMES, _PURPOSES, ListedExtensions, read_listed_extensions

_LABELS = {"dns_name": "DNS", "ip_address": "IP", "rfc822_name": "email", "uniform_resource_identifier": "URI"}


def _asn1crypto_values(der: bytes) -> ListedExtensions | Exception:
    """The three values as health read them through asn1crypto, or what that raised: a
    MalformedError when asn1crypto cannot parse the certificate, a TypeError when a keyUsage bit
    has no name (then health raised, and `info` left the three empty)."""
    entry = CertEntry(der)
    try:
        cert = entry.certificate
        san = tuple(f"{_LABELS.get(general.name, general.name)}:{general.native}"
                    for general in cert.subject_alt_name_value or ())
        ku = cert.key_usage_value
        eku = cert.extended_key_usage_value
        return ListedExtensions(san, tuple(sorted(ku.native)) if ku is not None else None,
                                tuple(str(usage) for usage in eku.native) if eku is not None else None)
    except (MalformedError, TypeError) as err:
        return err


def _tlv_values(der: bytes) -> ListedExtensions | None | MalformedError:
    try:
        return read_listed_extensions(CertEntry(der).fields)
    except MalformedError as err:
        return err


_CRYPTOGRAPHY_KU = {"digital_signature": "digital_signature", "content_commitment": "non_repudiation",
                    "key_encipherment": "key_encipherment", "data_encipherment": "data_encipherment",
                    "key_agreement": "key_agreement", "key_cert_sign": "key_cert_sign", "crl_sign": "crl_sign"}


def _cryptography_mismatches(der: bytes, values: ListedExtensions) -> list[str]:
    """Where cryptography disagrees with ``values``, for the forms that map one to one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            extensions = x509.load_der_x509_certificate(der).extensions
        except Exception:
            return []  # cryptography refuses it: nothing to compare
    problems = []
    try:
        san = extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        if values.san:
            problems.append(f"SAN {values.san} where cryptography finds none")
    else:
        expected = []
        for general in san:
            if isinstance(general, x509.DNSName) and general.value.isascii() and "xn--" not in general.value.lower():
                expected.append(f"DNS:{general.value}")
            elif isinstance(general, x509.RFC822Name) and general.value.isascii() and "xn--" not in general.value.lower():
                expected.append(f"email:{general.value}")
            elif isinstance(general, x509.IPAddress) and isinstance(general.value, (ipaddress.IPv4Address, ipaddress.IPv6Address)) \
                    and not (isinstance(general.value, ipaddress.IPv6Address) and general.value.ipv4_mapped):
                expected.append(f"IP:{general.value}")
        # IDNA names are decoded by asn1crypto, kept as A-labels by cryptography: left out here.
        shown = [item for item in values.san if item.split(":", 1)[0] in ("DNS", "email", "IP") and "/" not in item
                 and item.isascii()]
        if not any("::ffff:" in item for item in values.san) and shown != expected:
            problems.append(f"SAN {shown} != cryptography's {expected}")
    try:
        ku = extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        if values.key_usage is not None:
            problems.append("keyUsage where cryptography finds none")
    else:
        names = {ours for theirs, ours in _CRYPTOGRAPHY_KU.items() if getattr(ku, theirs)}
        if ku.key_agreement:
            names |= {name for name in ("encipher_only", "decipher_only") if getattr(ku, name)}
            if set(values.key_usage or ()) != names:
                problems.append(f"keyUsage {values.key_usage} != cryptography's {sorted(names)}")
        elif not names <= set(values.key_usage or ()):
            problems.append(f"keyUsage {values.key_usage} lacks cryptography's {sorted(names)}")
    try:
        eku = extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        if values.extended_key_usage is not None:
            problems.append("extendedKeyUsage where cryptography finds none")
    else:
        expected_eku = tuple(str(asn1_x509.KeyPurposeId.map(usage.dotted_string)) for usage in eku)
        if values.extended_key_usage != expected_eku:
            problems.append(f"extendedKeyUsage {values.extended_key_usage} != cryptography's {expected_eku}")
    return problems


_EXTENSION_SECTIONS = {
    "many": "subjectAltName=DNS:a.example.com,DNS:*.wild.example,DNS:xn--mnchen-3ya.de,DNS:UPPER.Example,"
            "IP:192.0.2.1,IP:2001:db8::1,IP:::ffff:1.2.3.4,IP:fe80::,IP:::,email:pki@example.com,"
            "email:Mixed@xn--mnchen-3ya.de,email:noat,URI:https://Host.Example.COM:8443/a%20b?q=1,"
            "URI:urn:uuid:1234,URI:ldap://[2001:db8::1]:389/cn=x\n"
            "keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement,encipherOnly,decipherOnly\n"
            "extendedKeyUsage=serverAuth,clientAuth,1.2.3.4.5,1.3.6.1.4.1.311.10.3.4,1.3.6.1.5.5.7.3.30,codeSigning\n",
    "ca": "subjectAltName=critical,DNS:only.example,IP:10.0.0.1,IP:2001:db8:0:0:1:0:0:1,email:x@y\n"
          "keyUsage=nonRepudiation,dataEncipherment,keyCertSign,cRLSign\n"
          "extendedKeyUsage=critical,anyExtendedKeyUsage,1.3.6.1.5.5.8.2.2,1.3.6.1.5.5.7.3.17,OCSPSigning,"
          "timeStamping,emailProtection\nbasicConstraints=critical,CA:true\n",
    "other-names": "subjectAltName=DNS:a.example,dirName:dir_sect,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.com,"
                   "RID:1.2.3.4\nextendedKeyUsage=1.2.840.113549.1.9.99\n[dir_sect]\nCN=dir name\nO=Org\n",
    "eku-only": "extendedKeyUsage=1.2.840.113549.1.9.99,msSGC,nsSGC\n",
}


def _openssl_extension_certificates(tmp_path: Path) -> list[bytes]:
    """One certificate per section above, issued by a root the openssl program makes."""
    root_key, root = tmp_path / "ext-root.key", tmp_path / "ext-root.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", root_key, "-out", root,
            "-subj", "/CN=Extensions Root", "-days", "30")
    made = []
    for name, section in _EXTENSION_SECTIONS.items():
        config, csr, cert = tmp_path / f"{name}.cnf", tmp_path / f"{name}.csr", tmp_path / f"{name}.pem"
        config.write_text(f"[ext]\n{section}")
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", tmp_path / f"{name}.key", "-out", csr, "-subj", f"/CN={name}.example")
        openssl("x509", "-req", "-in", csr, "-CA", root, "-CAkey", root_key, "-out", cert, "-days", "60",
                "-extfile", config, "-extensions", "ext")
        made += _certificates_in(cert)
    return made


def test_extensions_equal_asn1crypto_and_cryptography_on_the_whole_corpus(tmp_path):
    require_tool("openssl")
    ders = [der for path in _corpus_files() for der in _certificates_in(path)]
    ders += _openssl_chain(tmp_path) + _openssl_extension_certificates(tmp_path)
    ders = list(dict.fromkeys(ders))
    counts = {"read": 0, "asn1crypto decides": 0, "asn1crypto refuses the certificate": 0, "with extensions": 0}
    problems = []
    for der in ders:
        try:
            CertEntry(der).fields
        except MalformedError:
            continue  # not a certificate the listing reads at all
        ours, truth = _tlv_values(der), _asn1crypto_values(der)
        if isinstance(ours, ListedExtensions):
            if isinstance(truth, Exception):
                counts["asn1crypto refuses the certificate"] += 1
                continue
            counts["read"] += 1
            counts["with extensions"] += bool(ours.san or ours.key_usage is not None or ours.extended_key_usage is not None)
            if ours != truth:
                problems.append(f"{CertEntry(der).subject.rfc4514}: {ours} != asn1crypto's {truth}")
            problems += _cryptography_mismatches(der, ours)
        else:
            counts["asn1crypto decides"] += 1
        # health's CertFields: the same values as asn1crypto's wherever asn1crypto reads them
        if not isinstance(truth, Exception):
            try:
                fields = cert_fields(CertEntry(der))
            except (TypeError, ValueError):  # health skips these certificates (RSASSA-PSS without parameters)
                continue
            assert (fields.san, fields.key_usage, fields.extended_key_usage) == tuple(truth)
    assert not problems, "\n".join(problems[:20])
    assert counts["read"] > 500 and counts["with extensions"] > 300, counts
    assert counts["asn1crypto decides"] < counts["read"] / 10, counts


# --- hand-made extensions ------------------------------------------------------------------------


def _extension(dotted: str, value: bytes, critical: bool | None = None) -> bytes:
    flag = b"" if critical is None else craft.tlv(0x01, b"\xff" if critical else b"\x00")
    return craft.seq(craft.oid(dotted), flag, craft.octets(value))


def _with_extensions(*extensions: bytes, before: bytes = b"") -> bytes:
    """A certificate whose tbsCertificate ends with ``before`` and [3] ``extensions``."""
    name = craft.seq(craft.set_of(craft.seq(craft.oid("2.5.4.3"), craft.utf8("ok"))))
    time = craft.tlv(0x17, b"240101000000Z")
    tbs = craft.seq(
        craft.tlv(0xA0, craft.integer(2)), craft.integer(7), craft.seq(craft.oid("1.2.840.113549.1.1.11"), craft.null()),
        name, craft.seq(time, time), name,
        craft.seq(craft.seq(craft.oid("1.3.101.112")), craft.tlv(0x03, b"\x00" + b"\x01" * 32)),
        before, craft.tlv(0xA3, craft.seq(*extensions)))
    return _certificate(raw_tbs=tbs)


def _san(*names: bytes) -> bytes:
    return _extension("2.5.29.17", craft.seq(*names))


def _ku(contents: bytes, tag: int = 0x03) -> bytes:
    return _extension("2.5.29.15", craft.tlv(tag, contents), critical=True)


def _eku(*oids: bytes) -> bytes:
    return _extension("2.5.29.37", craft.seq(*oids))


EDGES = {
    "ipv4": _san(craft.tlv(0x87, bytes((192, 0, 2, 1)))),
    "ipv6-compressed": _san(craft.tlv(0x87, bytes.fromhex("20010db8000000000000000000000001"))),
    "ipv6-mapped": _san(craft.tlv(0x87, bytes.fromhex("00000000000000000000ffff01020304"))),
    "ipv6-zeros": _san(craft.tlv(0x87, bytes(16))),
    "ipv4-mask": _san(craft.tlv(0x87, bytes((10, 0, 0, 0, 255, 255, 0, 0)))),
    "ipv4-odd-mask": _san(craft.tlv(0x87, bytes((10, 0, 0, 0, 255, 0, 255, 0)))),
    "ipv4-zero-mask": _san(craft.tlv(0x87, bytes((10, 0, 0, 0, 0, 0, 0, 0)))),
    "ipv4-low-mask": _san(craft.tlv(0x87, bytes((10, 0, 0, 0, 0, 255, 255, 255)))),
    "ipv6-mask": _san(craft.tlv(0x87, bytes.fromhex("20010db8" + "00" * 12 + "ff" * 6 + "00" * 10))),
    "ip-5-bytes": _san(craft.tlv(0x87, b"\x01\x02\x03\x04\x05")),
    "ip-empty": _san(craft.tlv(0x87, b"")),
    "dns-upper-ace": _san(craft.tlv(0x82, b"XN--MNCHEN-3YA.de")),
    "dns-bad-ace": _san(craft.tlv(0x82, b"xn--zz.example")),
    "dns-empty-label": _san(craft.tlv(0x82, b"a..example")),
    "dns-trailing-dot": _san(craft.tlv(0x82, b"example.com.")),
    "dns-empty": _san(craft.tlv(0x82, b"")),
    "dns-latin1": _san(craft.tlv(0x82, b"m\xfcnchen.de")),
    "dns-control": _san(craft.tlv(0x82, b"a\nb\x00c")),
    "dns-constructed": _san(craft.tlv(0xA2, craft.tlv(0x16, b"a.example"))),
    "email-two-ats": _san(craft.tlv(0x81, b"a@b@xn--mnchen-3ya.de")),
    "email-no-at": _san(craft.tlv(0x81, b"postmaster")),
    "email-cp1252": _san(craft.tlv(0x81, b"\x80@example.com")),
    "uri-bad-port": _san(craft.tlv(0x86, b"https://example.com:99999999/")),
    "uri-not-a-port": _san(craft.tlv(0x86, b"https://example.com:abc/")),
    "uri-userinfo": _san(craft.tlv(0x86, b"ftp://us%3Aer:p%40ss@Example.COM/%7Epath?a=%26#fr%20ag")),
    "uri-empty": _san(craft.tlv(0x86, b"")),
    "uri-percent-utf8": _san(craft.tlv(0x86, b"https://example.com/%C3%BC%FF")),
    "san-empty": _san(),
    "san-othername": _san(craft.tlv(0xA0, craft.oid("1.2.3.4") + craft.tlv(0xA0, craft.utf8("x")))),
    "san-registered-id": _san(craft.tlv(0x88, b"\x2a\x03")),
    "san-trailing-bytes": _extension("2.5.29.17", craft.seq(craft.tlv(0x82, b"a")) + b"\x05\x00"),
    "san-not-a-sequence": _extension("2.5.29.17", craft.tlv(0x82, b"a")),
    "san-twice": _san(craft.tlv(0x82, b"a")) + _san(craft.tlv(0x82, b"b")),
    "san-non-minimal-oid": craft.seq(craft.tlv(0x06, b"\x55\x1d\x80\x11"), craft.octets(craft.seq(craft.tlv(0x82, b"a")))),
    "san-critical-false": _extension("2.5.29.17", craft.seq(craft.tlv(0x82, b"a")), critical=False),
    "ku-digital-signature": _ku(b"\x07\x80"),
    "ku-all-nine": _ku(b"\x07\xff\x80"),
    "ku-bit-nine": _ku(b"\x06\x00\x40"),
    "ku-padding-bits-set": _ku(b"\x07\x81"),
    "ku-long-zero-tail": _ku(b"\x00\x84" + bytes(40)),
    "ku-long-set-tail": _ku(b"\x00\x84" + bytes(40) + b"\x01"),
    "ku-empty": _ku(b"\x00"),
    "ku-no-octets": _ku(b""),
    "ku-unused-8": _ku(b"\x08\x80"),
    "ku-unused-without-octets": _ku(b"\x03"),
    "ku-constructed": _ku(craft.tlv(0x03, b"\x07\x80"), tag=0x23),
    "ku-not-a-bit-string": _ku(b"\x01", tag=0x02),
    "eku-empty": _eku(),
    "eku-known-and-unknown": _eku(craft.oid("1.3.6.1.5.5.7.3.1"), craft.oid("1.3.6.1.4.1.311.10.3.12"),
                                  craft.oid("1.2.3.4.5.6.7.8.9")),
    "eku-first-arc-2": _eku(craft.tlv(0x06, b"\x88\x37\x03")),
    "eku-non-minimal-arc": _eku(craft.tlv(0x06, b"\x2b\x80\x06\x01")),
    "eku-empty-oid": _eku(craft.tlv(0x06, b"")),
    "eku-not-an-oid": _eku(craft.utf8("serverAuth")),
    "unique-ids-before": _san(craft.tlv(0x82, b"a")),
    "all-three": _san(craft.tlv(0x82, b"a.example"), craft.tlv(0x87, b"\x7f\x00\x00\x01"))
                 + _ku(b"\x05\xa0") + _eku(craft.oid("1.3.6.1.5.5.7.3.2")),
    "extension-without-value": craft.seq(craft.oid("2.5.29.17")),
    "extension-bad-boolean": craft.seq(craft.oid("2.5.29.15"), craft.tlv(0x01, b"\xff\xff"), craft.octets(b"\x03\x01\x00")),
    "extension-trailing-field": craft.seq(craft.oid("2.5.29.15"), craft.octets(b"\x03\x01\x00"), craft.null()),
}


def _edge_certificate(name: str) -> bytes:
    if name == "unique-ids-before":
        return _with_extensions(EDGES[name], before=craft.tlv(0x81, b"\x00\x01"))
    return _with_extensions(EDGES[name])


@pytest.mark.parametrize("name", sorted(EDGES))
def test_edge_cases_are_asn1crypto_exactly_or_left_to_it(name):
    der = _edge_certificate(name)
    ours, truth = _tlv_values(der), _asn1crypto_values(der)
    if isinstance(ours, ListedExtensions):
        assert ours == truth  # read here only when asn1crypto reads the same
    fields = cert_fields(CertEntry(der))
    if isinstance(truth, Exception):  # asn1crypto refuses it: health raises as it always has
        with pytest.raises(type(truth)):
            (fields.san, fields.key_usage, fields.extended_key_usage)
    else:
        assert (fields.san, fields.key_usage, fields.extended_key_usage) == tuple(truth)


def test_common_forms_are_read_without_asn1crypto():
    for name in ("ipv4", "ipv6-compressed", "ipv6-mapped", "ipv4-mask", "ipv4-odd-mask", "ipv6-mask",
                 "dns-upper-ace", "email-no-at", "uri-userinfo", "san-empty", "san-non-minimal-oid",
                 "ku-all-nine", "ku-long-zero-tail", "eku-empty", "eku-known-and-unknown", "all-three"):
        assert isinstance(_tlv_values(_edge_certificate(name)), ListedExtensions), name
    for name in ("san-othername", "dns-latin1", "ku-bit-nine", "san-twice", "unique-ids-before", "ip-5-bytes"):
        assert _tlv_values(_edge_certificate(name)) is None, name


def test_tables_are_asn1crypto_names():
    assert _KEY_USAGE_NAMES == tuple(asn1_x509.KeyUsage._map[bit] for bit in range(9))
    for dotted, name in _PURPOSES.items():
        assert asn1_x509.KeyPurposeId.map(dotted) == name


# --- hostile input: MalformedError or a value, nothing else, in bounded time --------------------


def _deep(levels: int) -> bytes:
    value = craft.tlv(0x82, b"a")
    for _ in range(levels):
        value = craft.seq(value)
    return value


HOSTILE = {
    "san-length-past-parent": _extension("2.5.29.17", b"\x30\x84\x7f\xff\xff\xff\x82\x01a"),
    "name-length-past-san": _extension("2.5.29.17", b"\x30\x03\x82\x10a"),
    "extensions-length-past-tbs": b"\x30\x84\x00\xff\xff\xff",
    "oid-length-past-extension": b"\x30\x03\x06\x10\x55",
    "indefinite-san": _extension("2.5.29.17", b"\x30\x80\x82\x01a\x00\x00"),
    "deep-san": _extension("2.5.29.17", _deep(3000)),
    "deep-eku": _extension("2.5.29.37", craft.seq(_deep(3000))),
    "many-names": _san(*[craft.tlv(0x87, bytes((10, 0, index >> 8 & 255, index & 255))) for index in range(50000)]),
    "many-purposes": _eku(*[craft.oid(f"1.2.3.{index}") for index in range(20000)]),
    "huge-key-usage": _ku(b"\x00" + b"\xff" * 200000),
    "huge-oid-arc": _eku(craft.tlv(0x06, b"\x2b" + b"\xff" * 5000 + b"\x01")),
    "high-tag-name": _san(b"\x9f\x81\x01\x01a"),
    "truncated-extension": b"\x30\x05\x06\x03\x55\x1d",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_extensions_raise_malformed_error_only(name):
    der = _with_extensions(HOSTILE[name])
    outcome = _tlv_values(der)
    assert outcome is None or isinstance(outcome, (ListedExtensions, MalformedError)), outcome
    if isinstance(outcome, MalformedError):
        assert str(outcome)


# --- work: `info` on a small file parses no certificate but (at most) the identity ----------------


def _small_file(tmp_path: Path, count: int) -> tuple[Path, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)

    def cert(cn: str, serial: int, ca: bool) -> x509.Certificate:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
        builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(serial).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn), x509.IPAddress(ipaddress.ip_address("2001:db8::7"))]), False)
                   .add_extension(x509.KeyUsage(True, False, True, False, False, ca, ca, False, False), True)
                   .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
                   .add_extension(x509.BasicConstraints(ca, None), True))
        return builder.sign(key, hashes.SHA256())

    leaf = cert("leaf.example", 1, False)
    others = [cert(f"ca{index}.example", index + 2, True) for index in range(count - 1)]
    path = tmp_path / "small.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"leaf", key, leaf, others, BestAvailableEncryption(b"pw")))
    return path, leaf.public_bytes(Encoding.DER)


def test_info_on_a_small_file_parses_at_most_the_identity(tmp_path, monkeypatch):
    path, leaf_der = _small_file(tmp_path, 30)
    parsed_ders = []
    original = CertEntry.certificate

    def counting(entry: CertEntry):
        if "_certificate" not in entry.__dict__:
            parsed_ders.append(entry.der)
        return original.fget(entry)

    monkeypatch.setattr(CertEntry, "certificate", property(counting))
    before = parsed.parses
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["info", str(path), "--passin", "pass:pw"]) == 0
    assert out.getvalue().count("subjectAltName: DNS:") == 30
    assert out.getvalue().count("extendedKeyUsage: server_auth") == 30
    # The identity's subject and CN (health's messages) still parse it; no other certificate is.
    assert set(parsed_ders) <= {leaf_der} and len(parsed_ders) <= 1
    assert parsed.parses - before <= 2  # the identity certificate and the private key
