"""Cisco writers and views (pkcs12kit.cisco): exports, import sessions, trustpoint warnings, IOS
PEM transcripts, the ``show crypto ca|pki certificates`` preview and the hostname check.

Independent truth, never values computed by pkcs12kit:
- the real IOS-XE export in tests/vectors/cisco/ (its DER extracted with ``sed | base64 -d``);
- the grammar of docs/cisco-formats.md, typed into the tests as expected lines;
- ``openssl base64`` for 64-column lines; ``openssl pkcs12`` / ``pkey`` / ``rsa`` / ``ec`` /
  ``enc -P`` / ``x509`` for files, keys, key derivation, certificate fields and host checks;
- keys and certificates made here with ``cryptography``.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import random as _random
import re
import subprocess
import warnings
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

import pkcs12kit
from pkcs12kit.cisco import (
    Trustpoint,
    check_cli_password,
    check_hostname,
    check_trustpoint_name,
    evp_bytes_to_key,
    export_text,
    hostname_matches,
    import_session,
    parse_pem_transcript,
    parse_transcript,
    pem_import_session,
    pem_transcript,
    show_certificates,
    trustpoint,
)
from pkcs12kit.errors import BadPasswordError, EncodeError, MalformedError, UnsupportedAlgorithmError

VECTOR = Path(__file__).parent / "vectors" / "cisco" / "iosxe-export-pkcs12-terminal.txt"
VECTOR_PASSWORD = "cisco123"
PASSWORD = "Cisco12345"
LEGACY = ("-provider", "legacy", "-provider", "default")


# --- helpers (no pkcs12kit inside) ------------------------------------------------------------


def _run(*args, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], input=input, capture_output=True, timeout=120)


def _ok(*args, input: bytes | None = None) -> bytes:
    proc = _run(*args, input=input)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout


def _openssl_b64_lines(openssl: str, der: bytes) -> list[str]:
    """64-column base64 lines as ``openssl base64`` writes them (RFC 7468 width)."""
    return _ok(openssl, "base64", "-e", input=der).decode().split()


def _openssl_pkcs8(openssl: str, path: Path, password: str | None = None) -> bytes:
    """The key in ``path`` as PKCS#8 DER, per ``openssl pkey`` (its PEM output is PKCS#8;
    ``-outform DER`` would write the traditional form for RSA and EC keys)."""
    args = [openssl, "pkey", *LEGACY, "-in", path]
    if password is not None:
        args += ["-passin", f"pass:{password}"]
    pem = _ok(*args).decode()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    return base64.b64decode("".join(pem.strip().split("\n")[1:-1]))


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def _pkcs8(key) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _name(*pairs) -> x509.Name:
    oids = {"C": NameOID.COUNTRY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME, "L": NameOID.LOCALITY_NAME,
            "O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME}
    return x509.Name([x509.NameAttribute(oids[k], v) for k, v in pairs])


_NOW = datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)


def _cert(subject, key, issuer=None, issuer_key=None, *, ca=False, serial=None, sans=(), ips=(),
          key_usage=None, crl=(), ocsp=(), days=365):
    """A certificate made with cryptography; self-signed when no issuer is given."""
    issuer_name = issuer.subject if issuer is not None else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(_NOW)
        .not_valid_after(_NOW + datetime.timedelta(days=days, hours=7, minutes=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    signer = issuer_key or key
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    if sans or ips:
        names = [x509.DNSName(n) for n in sans] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if key_usage is not None:
        flags = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment",
                               "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign",
                               "encipher_only", "decipher_only"), False)
        flags.update(dict.fromkeys(key_usage, True))
        builder = builder.add_extension(x509.KeyUsage(**flags), critical=True)
    if crl:
        points = [x509.DistributionPoint([x509.UniformResourceIdentifier(u)], None, None, None) for u in crl]
        builder = builder.add_extension(x509.CRLDistributionPoints(points), critical=False)
    if ocsp:
        access = [x509.AccessDescription(x509.AuthorityInformationAccessOID.OCSP,
                                         x509.UniformResourceIdentifier(u)) for u in ocsp]
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def chain3(rsa_key):
    """root (self-signed) → intermediate → leaf (RSA), as cryptography objects."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _cert(_name(("O", "Lab"), ("CN", "Lab Root")), root_key, ca=True, key_usage=("key_cert_sign", "crl_sign"))
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter = _cert(_name(("O", "Lab"), ("CN", "Lab Issuing CA")), inter_key, root, root_key, ca=True,
                  key_usage=("key_cert_sign", "crl_sign"))
    leaf = _cert(_name(("CN", "vpn.example.com")), rsa_key, inter, inter_key, sans=("vpn.example.com",),
                 key_usage=("digital_signature", "key_encipherment"))
    return {"root": root, "root_key": root_key, "inter": inter, "inter_key": inter_key, "leaf": leaf, "key": rsa_key}


@pytest.fixture(scope="module")
def p12_full(chain3):
    return pkcs12kit.PKCS12.build(key=chain3["key"], certificate=chain3["leaf"],
                                  chain=[chain3["inter"], chain3["root"]])


@pytest.fixture(scope="module")
def vector_der(openssl_tool):
    # Independent extraction of the real device export (as in test_cisco_text.py).
    body = _ok("sed", "-n", "/^Exported pkcs12 follows:/,/^$/{/^Exported/d;/^$/d;p;}", VECTOR)
    return _ok(openssl_tool, "base64", "-d", input=body)


@pytest.fixture(scope="module")
def openssl_p12(tmp_path_factory, openssl_tool, chain3):
    """A PKCS#12 written by openssl (3DES, SHA-1 MAC) with password PASSWORD."""
    d = tmp_path_factory.mktemp("p12")
    (d / "k.pem").write_bytes(_pem_key(chain3["key"]))
    (d / "c.pem").write_bytes(chain3["leaf"].public_bytes(serialization.Encoding.PEM))
    (d / "ca.pem").write_bytes(chain3["inter"].public_bytes(serialization.Encoding.PEM))
    _ok(openssl_tool, "pkcs12", "-export", "-in", d / "c.pem", "-inkey", d / "k.pem", "-certfile", d / "ca.pem",
        "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1",
        "-passout", f"pass:{PASSWORD}", "-out", d / "o.p12")
    return (d / "o.p12").read_bytes()


# --- export_text --------------------------------------------------------------------------------


def test_ios_export_of_the_device_der_reproduces_the_device_text(vector_der):
    assert export_text(vector_der, "ios") == VECTOR.read_text()
    assert export_text(vector_der, "ios-xe") == VECTOR.read_text()


def test_asa_export_layout(openssl_tool, openssl_p12):
    # docs/cisco-formats.md#asa-export / docs/cisco-formats.md#grammar asa_export.
    expected = "\n".join(["Exported pkcs12 follows:", "-----BEGIN PKCS12-----",
                          *_openssl_b64_lines(openssl_tool, openssl_p12), "-----END PKCS12-----"]) + "\n"
    text = export_text(openssl_p12, "asa")
    assert text == expected
    assert all(len(line) == 64 for line in text.splitlines()[2:-2])
    parsed = parse_transcript(text)
    assert (parsed.variant, parsed.der) == ("asa-export", openssl_p12)


def test_ios_export_layout(openssl_tool, openssl_p12):
    # docs/cisco-formats.md#ios-xe-export / docs/cisco-formats.md#grammar ios_export.
    expected = "\n".join(["Exported pkcs12 follows:", *_openssl_b64_lines(openssl_tool, openssl_p12), "",
                          "---End - This line not part of the pkcs12---", "",
                          "CRYPTO_PKI: Exported PKCS12 file successfully."]) + "\n"
    text = export_text(openssl_p12, "ios")
    assert text == expected
    parsed = parse_transcript(text)
    assert (parsed.variant, parsed.der) == ("ios-export", openssl_p12)


def test_export_checks_a_given_password_against_der(openssl_p12):
    assert export_text(openssl_p12, "asa", password=PASSWORD).startswith("Exported pkcs12 follows:\n")
    with pytest.raises(EncodeError, match="does not open") as info:
        export_text(openssl_p12, "asa", password="Wrong12345")
    assert "Wrong12345" not in str(info.value)


@pytest.mark.parametrize("platform", ["asa", "ios"])
def test_export_of_a_pkcs12_with_explicit_profile(platform, p12_full, tmp_path, openssl_tool):
    text = export_text(p12_full, platform, password=PASSWORD, profile=pkcs12kit.LEGACY_3DES)
    der = parse_transcript(text).der
    path = tmp_path / "x.p12"
    path.write_bytes(der)
    proc = _run(openssl_tool, "pkcs12", "-info", "-noout", "-in", path, "-passin", f"pass:{PASSWORD}")
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"MAC: sha1, Iteration 2048" in proc.stderr
    assert b"pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048" in proc.stderr
    out = _ok(openssl_tool, "pkcs12", "-in", path, "-passin", f"pass:{PASSWORD}", "-nodes", "-nocerts")
    key = serialization.load_pem_private_key(out[out.index(b"-----BEGIN"):], None)
    assert _pkcs8(key) == p12_full.key.der


@pytest.mark.parametrize("platform", ["asa", "ios"])
def test_export_default_profile_is_read_by_openssl(platform, p12_full, tmp_path, openssl_tool):
    der = parse_transcript(export_text(p12_full, platform, password=PASSWORD)).der
    path = tmp_path / "d.p12"
    path.write_bytes(der)
    proc = _run(openssl_tool, "pkcs12", *LEGACY, "-info", "-noout", "-in", path, "-passin", f"pass:{PASSWORD}")
    assert proc.returncode == 0, proc.stderr.decode()


def test_export_argument_errors(p12_full, openssl_p12):
    with pytest.raises(TypeError, match="password="):
        export_text(p12_full, "asa")
    with pytest.raises(TypeError, match="profile="):
        export_text(openssl_p12, "asa", profile=pkcs12kit.LEGACY_3DES)
    with pytest.raises(EncodeError, match="unknown platform 'nxos'"):
        export_text(openssl_p12, "nxos")
    with pytest.raises(MalformedError, match="not PKCS#12 DER"):
        export_text(b"MIIB", "asa")
    with pytest.raises(TypeError):
        export_text("MIIB", "asa")


# --- import_session -----------------------------------------------------------------------------


def test_asa_import_session_lines(openssl_tool, openssl_p12):
    # docs/cisco-formats.md#asa-import (command), docs/cisco-formats.md#asa-rest-api (armor kept), docs/cisco-formats.md#grammar asa_import_in ("quit" required).
    text = import_session(openssl_p12, PASSWORD, "asa", "vpn.example.com-2025")
    assert text.endswith("\n")
    lines = text.split("\n")[:-1]
    assert lines[0] == "crypto ca import vpn.example.com-2025 pkcs12 Cisco12345"
    assert lines[1] == "-----BEGIN PKCS12-----"
    assert lines[2:-2] == _openssl_b64_lines(openssl_tool, openssl_p12)
    assert lines[-2] == "-----END PKCS12-----"
    assert lines[-1] == "quit"
    parsed = parse_transcript(text)
    assert (parsed.variant, parsed.der, parsed.trustpoint) == ("asa-import", openssl_p12, "vpn.example.com-2025")


def test_ios_import_session_lines(openssl_tool, openssl_p12):
    # docs/cisco-formats.md#ios-import (command), docs/cisco-formats.md#grammar ios_import_in (bare base64, then quit).
    text = import_session(openssl_p12, PASSWORD, "ios", "WLC_TP")
    lines = text.split("\n")[:-1]
    assert lines[0] == "crypto pki import WLC_TP pkcs12 terminal password Cisco12345"
    assert lines[1:-1] == _openssl_b64_lines(openssl_tool, openssl_p12)
    assert lines[-1] == "quit"
    assert not any(line.startswith("-----") for line in lines)
    parsed = parse_transcript(text)
    assert (parsed.variant, parsed.der, parsed.trustpoint) == ("ios-import", openssl_p12, "WLC_TP")


@pytest.mark.parametrize("platform", ["asa", "ios"])
def test_import_session_of_a_pkcs12_opens_with_openssl(platform, p12_full, tmp_path, openssl_tool):
    text = import_session(p12_full, PASSWORD, platform, "TP", profile=pkcs12kit.LEGACY_3DES)
    path = tmp_path / "s.p12"
    path.write_bytes(parse_transcript(text).der)
    out = _ok(openssl_tool, "pkcs12", "-in", path, "-passin", f"pass:{PASSWORD}", "-nodes", "-nokeys", "-clcerts")
    cert = x509.load_pem_x509_certificate(out[out.index(b"-----BEGIN"):])
    assert _der(cert) == p12_full.certificate.der


def test_import_session_refuses_a_wrong_password_for_der(openssl_p12):
    with pytest.raises(EncodeError, match="does not open"):
        import_session(openssl_p12, "Other12345", "ios", "TP")


BAD_PASSWORDS = [
    ("", "empty"),
    ("abcd?efgh", "'\\?'"),
    ("abcd efgh", "whitespace"),
    ("abcd\tefgh", "whitespace"),
    ('abcd"efgh', "quote"),
    ("abcd'efgh", "quote"),
    ("pässwort12", "not printable ASCII"),
    ("abcd\x07efgh", "not printable ASCII"),
]


@pytest.mark.parametrize("password,reason", BAD_PASSWORDS)
@pytest.mark.parametrize("platform", ["asa", "ios"])
def test_passwords_the_cli_cannot_take(password, reason, platform, openssl_p12):
    with pytest.raises(EncodeError, match=reason) as info:
        import_session(openssl_p12, password, platform, "TP")
    if password:
        assert password not in str(info.value)
    with pytest.raises(EncodeError, match=reason):
        check_cli_password(password, platform)


def test_nointeractive_is_an_asa_keyword():
    with pytest.raises(EncodeError, match="keyword"):
        check_cli_password("nointeractive", "asa")
    check_cli_password("nointeractive", "ios")


def test_short_password_warns_for_ios_pkcs12_and_fails_for_pem(openssl_tool, tmp_path, chain3):
    p12 = pkcs12kit.PKCS12.build(key=chain3["key"], certificate=chain3["leaf"], chain=[chain3["inter"]])
    with pytest.warns(UserWarning, match="8"):
        text = import_session(p12, "abc123", "ios", "TP", profile=pkcs12kit.LEGACY_3DES)
    assert text.split("\n")[0] == "crypto pki import TP pkcs12 terminal password abc123"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        import_session(p12, "abc123", "asa", "TP", profile=pkcs12kit.LEGACY_3DES)
    assert check_cli_password("abc123", "asa") == ()
    assert len(check_cli_password("abc123", "ios")) == 1
    # docs/cisco-formats.md#passwords: "% Passphrase is too short, needs to be at least 8 chars" (PEM key export).
    with pytest.raises(EncodeError, match="at least 8"):
        pem_transcript(p12, "abc1234")
    with pytest.raises(EncodeError, match="at least 8"):
        check_cli_password("abc1234", "ios", pem=True)
    assert check_cli_password("Cisc0123", "ios", pem=True) == ()
    assert any("A-Za-z0-9" in note for note in check_cli_password("Cisco-123_x", "ios"))


@pytest.mark.parametrize("name", ["", "my tp", "tp?", 'tp"x', "-tp", "tp/x", "tp\n", "tpé"])
def test_bad_trustpoint_names(name, openssl_p12):
    with pytest.raises(EncodeError, match="trustpoint name"):
        import_session(openssl_p12, PASSWORD, "ios", name)
    with pytest.raises(EncodeError):
        check_trustpoint_name(name)


@pytest.mark.parametrize("name", ["vpn.chuck.com-2017", "2018-10-TrustPoint", "CISCO_IDEVID_SUDI", "TP"])
def test_device_trustpoint_names_are_accepted(name):
    # Labels seen on devices, docs/cisco-formats.md#asa-import, docs/cisco-formats.md#asa-layout, docs/cisco-formats.md#ios-xe-layout.
    assert check_trustpoint_name(name) == name


# --- trustpoint view ----------------------------------------------------------------------------


def _build(chain3, *chain, key="key", leaf="leaf"):
    return pkcs12kit.PKCS12.build(key=chain3[key] if key else None, certificate=chain3[leaf],
                                  chain=[chain3[c] for c in chain])


def test_trustpoint_of_the_device_export_has_no_warnings(vector_der):
    p12 = pkcs12kit.loads(vector_der, VECTOR_PASSWORD)
    for platform in ("ios", "asa", None):
        view = trustpoint(p12, platform)
        assert isinstance(view, Trustpoint)
        assert view.warnings == ()
        assert view.issuer.der == view.chain[0].der
        assert view.key is p12.key and view.certificate is p12.certificate


def test_trustpoint_ios_three_level_chain(chain3):
    view = trustpoint(_build(chain3, "inter", "root"), "ios", name="VPN")
    assert view.issuer.der == _der(chain3["inter"])
    assert [c.der for c in view.chain] == [_der(chain3["inter"]), _der(chain3["root"])]
    assert [(name, ca.der) for name, ca in view.extra] == [("VPN-rrr1", _der(chain3["root"]))]
    text = "\n".join(view.warnings)
    # docs/cisco-formats.md#trustpoints-and-chains: the question IOS-XE asks, and the trustpoints "yes" creates.
    assert "% Do you also want to create trustpoints for CAs higher in the hierarchy? [yes/no]:" in text
    assert "VPN-rrr1" in text and "cn=Lab Root" in text
    assert "two certificates" in text


def test_trustpoint_asa_three_level_chain(chain3):
    view = trustpoint(_build(chain3, "inter", "root"), "asa", name="VPN")
    assert [(name, ca.der) for name, ca in view.extra] == [("VPN-1", _der(chain3["root"]))]
    text = "\n".join(view.warnings)
    # docs/cisco-formats.md#asa-import / docs/cisco-formats.md#trustpoints-and-chains: the ASA's message and the extra trustpoint <tp>-1 for the root.
    assert "Trustpoint 'VPN' is a subordinate CA and holds a non self-signed certificate." in text
    assert "VPN-1" in text
    assert "rrr" not in text


def test_trustpoint_missing_root_and_missing_issuer(chain3):
    view = trustpoint(_build(chain3, "inter"), "ios")
    assert view.extra == ()
    assert any("hierarchy? [yes/no]:" in w for w in view.warnings)
    assert any("root CA above cn=Lab Issuing CA,o=Lab is not in the file" in w for w in view.warnings)
    alone = trustpoint(_build(chain3), "asa")
    assert alone.issuer is None and alone.chain == ()
    assert any("issuer of the identity certificate (cn=Lab Issuing CA,o=Lab) is not in the file" in w
               for w in alone.warnings)


def test_trustpoint_root_issued_identity_is_clean(chain3):
    # The intermediate as identity, issued directly by the self-signed root: nothing to ask.
    view = trustpoint(_build(chain3, "root", key="inter_key", leaf="inter"), "ios")
    assert view.warnings == () and view.issuer.der == _der(chain3["root"])
    assert trustpoint(_build(chain3, "root", key="inter_key", leaf="inter"), "asa").warnings == ()


def test_trustpoint_key_problems(chain3):
    other = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    p12 = pkcs12kit.PKCS12.build(key=other, certificate=chain3["leaf"], chain=[chain3["inter"]],
                                 local_key_id=b"same")
    view = trustpoint(p12, "asa")
    assert any("does not match the public key of the identity certificate" in w for w in view.warnings)
    nokey = trustpoint(_build(chain3, "inter", key=None), "asa")
    assert any(w.startswith("no private key") for w in nokey.warnings)


def test_trustpoint_unrelated_certificate(chain3):
    stray_key = ec.generate_private_key(ec.SECP256R1())
    stray = _cert(_name(("CN", "Stray CA")), stray_key, ca=True)
    p12 = pkcs12kit.PKCS12.build(key=chain3["key"], certificate=chain3["leaf"], chain=[chain3["inter"], stray])
    assert any("cn=Stray CA is not in the identity's chain" in w for w in trustpoint(p12, "ios").warnings)


def test_trustpoint_self_signed_identity():
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert(_name(("CN", "router.example.com")), key)
    view = trustpoint(pkcs12kit.PKCS12.build(key=key, certificate=cert), "ios")
    assert view.warnings == () and view.issuer is None


def test_trustpoint_arguments(chain3):
    with pytest.raises(TypeError):
        trustpoint(b"not a pkcs12")
    with pytest.raises(EncodeError, match="unknown platform"):
        trustpoint(_build(chain3, "inter"), "nx-os")


# --- PEM: key derivation ------------------------------------------------------------------------


@pytest.mark.parametrize("cipher,length", [("-des-ede3-cbc", 24), ("-aes-256-cbc", 32), ("-des-cbc", 8)])
def test_evp_bytes_to_key_against_openssl_enc(cipher, length, openssl_tool):
    # `openssl enc -P -md md5 -S salt` prints EVP_BytesToKey(MD5, salt, password, 1).
    out = _ok(openssl_tool, "enc", *LEGACY, cipher, "-P", "-md", "md5", "-S", "0102030405060708",
              "-pass", "pass:s3cr3t-pw").decode()
    key_hex = re.search(r"key=([0-9A-F]+)", out).group(1)
    assert evp_bytes_to_key(b"s3cr3t-pw", bytes.fromhex("0102030405060708"), length).hex().upper() == key_hex


# --- PEM: writing -------------------------------------------------------------------------------


def _key_block(text: str) -> str:
    match = re.search(r"-----BEGIN (RSA|EC) PRIVATE KEY-----\n.*?-----END \1 PRIVATE KEY-----\n", text, re.S)
    return match.group(0)


@pytest.fixture(scope="module")
def ec_chain(chain3):
    key = ec.generate_private_key(ec.SECP384R1())
    leaf = _cert(_name(("CN", "ec.example.com")), key, chain3["inter"], chain3["inter_key"])
    return key, leaf


@pytest.mark.parametrize("cipher,dek", [("3des", "DES-EDE3-CBC"), ("des", "DES-CBC"), ("aes", "AES-256-CBC")])
@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_pem_transcript_key_opens_with_openssl(cipher, dek, kind, chain3, ec_chain, tmp_path, openssl_tool):
    if kind == "rsa":
        key, leaf, label, usage = chain3["key"], chain3["leaf"], "RSA PRIVATE KEY", "General Purpose Key"
    else:
        key, leaf, label, usage = ec_chain[0], ec_chain[1], "EC PRIVATE KEY", "Signature Key"
    p12 = pkcs12kit.PKCS12.build(key=key, certificate=leaf, chain=[chain3["inter"]], friendly_name="GW-TP")
    text = pem_transcript(p12, PASSWORD, cipher)
    lines = text.split("\n")
    # docs/cisco-formats.md#pem-certificate-export / docs/cisco-formats.md#pem-key-export labels and key header lines, in order.
    assert lines[0] == "% CA certificate:"
    assert lines[1] == "-----BEGIN CERTIFICATE-----"
    start = lines.index("% Key name: GW-TP")
    assert lines[start + 1:start + 4] == [f"   Usage: {usage}", "   Key data:", "-----BEGIN PUBLIC KEY-----"]
    begin = lines.index(f"-----BEGIN {label}-----")
    assert lines[begin + 1] == "Proc-Type: 4,ENCRYPTED"
    assert re.fullmatch(dek + r",[0-9A-F]{%d}" % (32 if cipher == "aes" else 16), lines[begin + 2][len("DEK-Info: "):])
    assert lines[begin + 2].startswith("DEK-Info: ")
    assert lines[begin + 3] == ""
    assert lines.index("% General Purpose Certificate:") > begin
    # the key block opens with openssl and is the same key
    path = tmp_path / "k.pem"
    path.write_text(_key_block(text))
    assert _openssl_pkcs8(openssl_tool, path, PASSWORD) == _pkcs8(key)
    assert _run(openssl_tool, "pkey", *LEGACY, "-in", path, "-passin", "pass:Wrong12345").returncode != 0
    # the public key block is openssl's view of the public key
    pub = _ok(openssl_tool, "pkey", "-in", path, "-passin", f"pass:{PASSWORD}", *LEGACY, "-pubout").decode()
    assert pub in text
    # the certificates are the CA and the identity, as PEM that openssl reads
    certs = x509.load_pem_x509_certificates(text.encode())
    assert [_der(c) for c in certs] == [_der(chain3["inter"]), _der(leaf)]


def test_pem_transcript_round_trip(chain3, p12_full):
    text = pem_transcript(p12_full, PASSWORD, random=_random.Random(7))
    back = parse_pem_transcript(text, PASSWORD)
    assert back.key.der == _pkcs8(chain3["key"])
    assert back.certificate.der == _der(chain3["leaf"])
    assert [c.der for c in back.chain] == [_der(chain3["inter"])]  # the trustpoint holds the issuer only
    assert back.key.friendly_name == "TP" and back.key.local_key_id == back.certificate.local_key_id
    assert pem_transcript(back, PASSWORD, random=_random.Random(7)) == text


def test_pem_transcript_without_password_is_the_keyless_export(chain3, p12_full):
    text = pem_transcript(p12_full, None)
    ca_pem = chain3["inter"].public_bytes(serialization.Encoding.PEM).decode()
    leaf_pem = chain3["leaf"].public_bytes(serialization.Encoding.PEM).decode()
    # docs/cisco-formats.md#pem-certificate-export, the layout with explicit newlines.
    assert text == "% CA certificate:\n" + ca_pem + "\n% General Purpose Certificate:\n" + leaf_pem
    back = parse_pem_transcript(text)
    assert back.key is None and back.certificate.der == _der(chain3["leaf"])


def test_pem_transcript_refuses_other_key_types(chain3):
    key = ed25519.Ed25519PrivateKey.generate()
    root_key = ed25519.Ed25519PrivateKey.generate()
    builder = (x509.CertificateBuilder().subject_name(_name(("CN", "ed"))).issuer_name(_name(("CN", "ed")))
               .public_key(key.public_key()).serial_number(5).not_valid_before(_NOW)
               .not_valid_after(_NOW + datetime.timedelta(days=1)))
    cert = builder.sign(root_key, None)
    p12 = pkcs12kit.PKCS12.build(key=key, certificate=cert)
    with pytest.raises(EncodeError, match="no traditional PEM form"):
        pem_transcript(p12, PASSWORD)
    with pytest.raises(EncodeError, match="cipher must be one of"):
        pem_transcript(p12, PASSWORD, "blowfish")


def test_pem_import_session_lines(chain3, p12_full, tmp_path, openssl_tool):
    text = pem_import_session(p12_full, PASSWORD, "GNMI-TP")
    lines = text.split("\n")[:-1]
    # docs/cisco-formats.md#pem-import: command, CA certificate, quit, encrypted key, quit, identity certificate, quit.
    assert lines[0] == "crypto pki import GNMI-TP pem terminal password Cisco12345"
    quits = [i for i, line in enumerate(lines) if line == "quit"]
    assert len(quits) == 3 and quits[-1] == len(lines) - 1
    ca_block = "\n".join(lines[1:quits[0]]) + "\n"
    key_block = "\n".join(lines[quits[0] + 1:quits[1]]) + "\n"
    id_block = "\n".join(lines[quits[1] + 1:quits[2]]) + "\n"
    assert ca_block == chain3["inter"].public_bytes(serialization.Encoding.PEM).decode()
    assert id_block == chain3["leaf"].public_bytes(serialization.Encoding.PEM).decode()
    assert key_block.startswith("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,")
    path = tmp_path / "k.pem"
    path.write_text(key_block)
    assert _ok(openssl_tool, "rsa", "-in", path, "-passin", f"pass:{PASSWORD}", "-traditional",
               "-outform", "DER") == \
        chain3["key"].private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption())
    back = parse_pem_transcript(text, PASSWORD)
    assert back.key.der == _pkcs8(chain3["key"]) and back.key.friendly_name == "GNMI-TP"


# --- PEM: reading what openssl and the devices write --------------------------------------------


def _openssl_encrypted(openssl: str, tmp_path: Path, key, command: str, cipher_flag: str, password: str) -> str:
    plain = tmp_path / "plain.pem"
    plain.write_bytes(_pem_key(key))
    args = [openssl, command, *LEGACY, "-in", plain, cipher_flag, "-passout", f"pass:{password}"]
    if command == "rsa":
        args.append("-traditional")
    return _ok(*args).decode()


@pytest.mark.parametrize("command,flag,dek", [
    ("rsa", "-des3", "DES-EDE3-CBC"),
    ("rsa", "-des", "DES-CBC"),
    ("rsa", "-aes128", "AES-128-CBC"),
    ("ec", "-aes256", "AES-256-CBC"),
    ("ec", "-aes192", "AES-192-CBC"),
    ("ec", "-des3", "DES-EDE3-CBC"),
])
def test_openssl_encrypted_keys_in_a_device_transcript(command, flag, dek, chain3, ec_chain, tmp_path, openssl_tool):
    key, leaf = (chain3["key"], chain3["leaf"]) if command == "rsa" else ec_chain
    encrypted = _openssl_encrypted(openssl_tool, tmp_path, key, command, flag, PASSWORD)
    assert f"DEK-Info: {dek}," in encrypted
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    # docs/cisco-formats.md#pem-key-export (genielibs capture): "base64 len N" glued before BEGIN, CRLF line ends.
    text = (
        "XE-P1(config)#crypto pki export GW pem terminal aes password Cisco12345\n"
        "% CA certificate:\n" + chain3["inter"].public_bytes(serialization.Encoding.PEM).decode() + "\n"
        "% Key name: GW\n   Usage: General Purpose Key\n   Key data:\n" + public + "\n"
        "base64 len 3248" + encrypted + "\n"
        "% General Purpose Certificate:\n" + leaf.public_bytes(serialization.Encoding.PEM).decode() + "\n"
        "XE-P1(config)#\n"
    ).replace("\n", "\r\n")
    p12 = parse_pem_transcript(text, PASSWORD)
    plain = tmp_path / "plain.pem"
    assert p12.key.der == _openssl_pkcs8(openssl_tool, plain)
    assert p12.certificate.der == _der(leaf)
    assert [c.der for c in p12.chain] == [_der(chain3["inter"])]
    assert p12.key.friendly_name == "GW"
    with pytest.raises(BadPasswordError) as info:
        parse_pem_transcript(text, "Wrong12345")
    assert "Wrong12345" not in str(info.value)
    assert re.match(r"line \d+: (RSA|EC) PRIVATE KEY: ", str(info.value))
    with pytest.raises(BadPasswordError, match="no password"):
        parse_pem_transcript(text)


def test_genrsa_traditional_des3_key(tmp_path, openssl_tool, chain3):
    pem = _ok(openssl_tool, "genrsa", "-traditional", "-des3", "-passout", f"pass:{PASSWORD}", "1024").decode()
    path = tmp_path / "g.pem"
    path.write_text(pem)
    expected = _openssl_pkcs8(openssl_tool, path, PASSWORD)
    p12 = parse_pem_transcript("% Key name: K\n   Key data:\n" + pem, PASSWORD)
    assert p12.key.der == expected and p12.certificates == ()


def test_import_paste_with_prompts(chain3, tmp_path, openssl_tool):
    encrypted = _openssl_encrypted(openssl_tool, tmp_path, chain3["key"], "rsa", "-des3", PASSWORD)
    ca = chain3["inter"].public_bytes(serialization.Encoding.PEM).decode()
    leaf = chain3["leaf"].public_bytes(serialization.Encoding.PEM).decode()
    # docs/cisco-formats.md#pem-import, the complete successful run (certificate stages ended by a blank line here).
    text = (
        "C9300(config)#crypto pki import trustpoint1 pem terminal password Cisco12345\n"
        "% Enter PEM-formatted CA certificate.\n"
        '% End with a blank line or "quit" on a line by itself.\n' + ca + "\n"
        "% Enter PEM-formatted encrypted private General Purpose key.\n"
        '% End with "quit" on a line by itself.\n' + encrypted + "quit\n"
        "% Enter PEM-formatted General Purpose certificate.\n"
        '% End with a blank line or "quit" on a line by itself.\n' + leaf + "quit\n"
        "% PEM files import succeeded.\n"
    )
    p12 = parse_pem_transcript(text, PASSWORD)
    assert p12.key.der == _pkcs8(chain3["key"])
    assert p12.certificate.der == _der(chain3["leaf"])
    assert [c.der for c in p12.chain] == [_der(chain3["inter"])]
    assert p12.key.friendly_name == "trustpoint1"


def test_pem_transcript_errors(chain3, tmp_path, openssl_tool, p12_full):
    text = pem_transcript(p12_full, PASSWORD)
    lines = text.split("\n")
    begin = lines.index("-----BEGIN RSA PRIVATE KEY-----")
    cut = lines[:begin + 6] + ["quit"] + lines[begin + 6:]
    with pytest.raises(MalformedError, match=rf"line {begin + 7}: 'quit' inside -----BEGIN RSA PRIVATE KEY-----"):
        parse_pem_transcript("\n".join(cut), PASSWORD)
    bf = text.replace("DEK-Info: DES-EDE3-CBC,", "DEK-Info: BF-CBC,")
    with pytest.raises(UnsupportedAlgorithmError, match="BF-CBC"):
        parse_pem_transcript(bf, PASSWORD)
    other = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    foreign = pem_transcript(pkcs12kit.PKCS12.build(
        key=other, certificate=_cert(_name(("CN", "x")), other)), PASSWORD)
    mixed = foreign[foreign.index("% Key name"):foreign.index("% General Purpose")] + \
        text[text.index("% General Purpose"):]
    with pytest.raises(MalformedError, match="matches none of the certificates"):
        parse_pem_transcript(mixed, PASSWORD)
    with pytest.raises(MalformedError, match="no PEM certificate or private key"):
        parse_pem_transcript("% nothing here\n")
    with pytest.raises(MalformedError, match="unexpected -----BEGIN CERTIFICATE REQUEST-----"):
        parse_pem_transcript("-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQM=\n-----END CERTIFICATE REQUEST-----\n")


# --- show crypto ca|pki certificates ------------------------------------------------------------


@pytest.fixture(scope="module")
def show_pki():
    """An ASA-style identity (docs/cisco-formats.md#asa-layout) under a two-attribute CA, with OCSP and CRLs."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _cert(_name(("C", "US"), ("O", "DigiCert Inc"), ("OU", "www.digicert.com"),
                     ("CN", "DigiCert SHA2 High Assurance Server CA")), ca_key, ca=True, serial=0x4DF42B95,
               key_usage=("digital_signature", "key_cert_sign", "crl_sign"))
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(("C", "US"), ("ST", "CA"), ("L", "Sunnyvale"), ("O", "chuck Inc"),
                    ("OU", "Information Technology"), ("CN", "vpn.chuck.com"))
    leaf = _cert(subject, leaf_key, ca, ca_key, serial=0x0D5071B836D633AA3A, sans=("vpn.chuck.com",),
                 key_usage=("digital_signature", "key_encipherment"), ocsp=("http://ocsp.digicert.com",),
                 crl=("http://crl3.digicert.com/sha2-ha-server-g1.crl", "http://crl4.digicert.com/sha2-ha-server-g1.crl"))
    return pkcs12kit.PKCS12.build(key=leaf_key, certificate=leaf, chain=[ca]), leaf, ca


def _openssl_fields(openssl: str, tmp_path: Path, cert: x509.Certificate) -> dict:
    path = tmp_path / "c.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    out = _ok(openssl, "x509", "-in", path, "-noout", "-serial", "-subject", "-issuer", "-startdate", "-enddate",
              "-nameopt", "RFC2253").decode()
    fields = dict(line.split("=", 1) for line in out.splitlines())
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    def device_date(text):  # openssl: "Mar  4 05:06:07 2025 GMT" → docs/cisco-formats.md: "05:06:07 UTC Mar 4 2025"
        month, day, clock, year, _ = text.split()
        assert month in months
        return f"{clock} UTC {month} {int(day)} {year}"

    def rdn_lines(rfc2253):  # RFC 2253 order is already most specific first; names lower-cased
        return [f"    {part.split('=', 1)[0].lower()}={part.split('=', 1)[1]}" for part in rfc2253.split(",")]

    return {"serial": fields["serial"], "subject": rdn_lines(fields["subject"]),
            "issuer": rdn_lines(fields["issuer"]), "start": device_date(fields["notBefore"]),
            "end": device_date(fields["notAfter"])}


def test_show_asa_layout_against_openssl(show_pki, tmp_path, openssl_tool):
    p12, leaf, ca = show_pki
    f, g = _openssl_fields(openssl_tool, tmp_path, leaf), _openssl_fields(openssl_tool, tmp_path, ca)
    assert f["serial"] == "0D5071B836D633AA3A"  # openssl keeps the leading zero nibble, as the ASA
    # docs/cisco-formats.md#asa-layout layout, line by line.
    expected = [
        "Certificate",
        "  Status: Available",
        f"  Certificate Serial Number: {f['serial'].lower()}",
        "  Certificate Usage: General Purpose",
        "  Public Key Type: RSA (2048 bits)",
        "  Signature Algorithm: SHA256 with RSA Encryption",
        "  Issuer Name:", *f["issuer"],
        "  Subject Name:", *f["subject"],
        "  OCSP AIA:",
        "    URL: http://ocsp.digicert.com",
        "  CRL Distribution Points:",
        "    [1]  http://crl3.digicert.com/sha2-ha-server-g1.crl",
        "    [2]  http://crl4.digicert.com/sha2-ha-server-g1.crl",
        "  Validity Date:",
        f"    start date: {f['start']}",
        f"    end   date: {f['end']}",
        "  Associated Trustpoints: vpn.chuck.com-2017",
        "",
        "CA Certificate",
        "  Status: Available",
        f"  Certificate Serial Number: {g['serial'].lower()}",
        "  Certificate Usage: Signature",
        "  Public Key Type: RSA (2048 bits)",
        "  Signature Algorithm: SHA256 with RSA Encryption",
        "  Issuer Name:", *g["issuer"],
        "  Subject Name:", *g["subject"],
        "  Validity Date:",
        f"    start date: {g['start']}",
        f"    end   date: {g['end']}",
        "  Associated Trustpoints: vpn.chuck.com-2017",
    ]
    assert show_certificates(p12, "asa", "vpn.chuck.com-2017") == "\n".join(expected) + "\n"
    # the sample's subject lines, typed from docs/cisco-formats.md#asa-layout
    assert f["subject"] == ["    cn=vpn.chuck.com", "    ou=Information Technology", "    o=chuck Inc",
                            "    l=Sunnyvale", "    st=CA", "    c=US"]
    assert f["start"] == "05:06:07 UTC Mar 4 2025"


def test_show_ios_layout_against_openssl(show_pki, tmp_path, openssl_tool):
    p12, leaf, ca = show_pki
    f, g = _openssl_fields(openssl_tool, tmp_path, leaf), _openssl_fields(openssl_tool, tmp_path, ca)
    # docs/cisco-formats.md#ios-xe-layout layout: "(hex)" upper case, Issuer:/Subject:, the Name: summary line, bare CRL URLs.
    expected = [
        "Certificate",
        "  Status: Available",
        f"  Certificate Serial Number (hex): {f['serial']}",
        "  Certificate Usage: General Purpose",
        "  Issuer:", *f["issuer"],
        "  Subject:",
        "    Name: vpn.chuck.com",
        *f["subject"],
        "  CRL Distribution Points:",
        "    http://crl3.digicert.com/sha2-ha-server-g1.crl",
        "    http://crl4.digicert.com/sha2-ha-server-g1.crl",
        "  Validity Date:",
        f"    start date: {f['start']}",
        f"    end   date: {f['end']}",
        "  Associated Trustpoints: TP",
        "",
        "CA Certificate",
        "  Status: Available",
        f"  Certificate Serial Number (hex): {g['serial']}",
        "  Certificate Usage: Signature",
        "  Issuer:", *g["issuer"],
        "  Subject:",
        "    Name: DigiCert SHA2 High Assurance Server CA",
        *g["subject"],
        "  Validity Date:",
        f"    start date: {g['start']}",
        f"    end   date: {g['end']}",
        "  Associated Trustpoints: TP",
    ]
    assert show_certificates(p12, "ios", "TP") == "\n".join(expected) + "\n"


def test_show_device_export_serials_and_dates_against_openssl(vector_der, tmp_path, openssl_tool):
    p12 = pkcs12kit.loads(vector_der, VECTOR_PASSWORD)
    text = show_certificates(p12, "ios", "client")
    for entry in (p12.certificate, p12.chain[0]):
        f = _openssl_fields(openssl_tool, tmp_path, x509.load_der_x509_certificate(entry.der))
        assert f"  Certificate Serial Number (hex): {f['serial']}" in text
        assert f"    start date: {f['start']}" in text and f"    end   date: {f['end']}" in text
    # The leaf's only subject attribute is unstructuredName, printed as hostname= (docs/cisco-formats.md#asa-layout).
    assert "    Name: pki-reg7\n    hostname=pki-reg7\n" in text


@pytest.mark.parametrize("usage,expected", [
    (("digital_signature",), "Signature"),
    (("key_encipherment",), "Encryption"),
    (("digital_signature", "key_encipherment"), "General Purpose"),
    (None, "General Purpose"),
])
def test_show_usage(usage, expected, chain3):
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = _cert(_name(("CN", "u")), key, chain3["inter"], chain3["inter_key"], key_usage=usage)
    text = show_certificates(pkcs12kit.PKCS12.build(key=key, certificate=leaf, chain=[chain3["inter"]]), "ios")
    assert text.split("\n")[3] == f"  Certificate Usage: {expected}"


def test_show_high_bit_serial_and_extra_trustpoints(chain3, tmp_path, openssl_tool):
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = _cert(_name(("CN", "hb")), key, chain3["inter"], chain3["inter_key"], serial=0x8F00AA)
    p12 = pkcs12kit.PKCS12.build(key=key, certificate=leaf, chain=[chain3["inter"], chain3["root"]])
    serial = _openssl_fields(openssl_tool, tmp_path, leaf)["serial"]
    assert serial == "8F00AA"
    asa = show_certificates(p12, "asa", "TP", extra=True)
    assert f"  Certificate Serial Number: {serial.lower()}\n" in asa
    blocks = asa.split("\n\n")
    assert [b.split("\n")[0] for b in blocks] == ["Certificate", "CA Certificate", "CA Certificate"]
    assert blocks[2].endswith("  Associated Trustpoints: TP-1\n")
    assert "  Public Key Type: ECDSA (256 bits)" in blocks[2]
    ios = show_certificates(p12, "ios", "TP", extra=True)
    assert ios.split("\n\n")[2].endswith("  Associated Trustpoints: TP-rrr1\n")
    assert len(show_certificates(p12, "ios", "TP").split("\n\n")) == 2


# --- hostname check -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def host_certs(tmp_path_factory):
    d = tmp_path_factory.mktemp("hosts")
    key = ec.generate_private_key(ec.SECP256R1())
    made = {
        "san": _cert(_name(("CN", "cn.example.com")), key,
                     sans=("www.example.com", "*.example.net", "f*o.example.org", "*.com", "Mixed.Example.IO"),
                     ips=("192.0.2.10", "2001:db8::1")),
        "cn-only": _cert(_name(("CN", "legacy.example.com")), key),
        "ip-san-cn": _cert(_name(("CN", "ipcn.example.com")), key, ips=("198.51.100.7",)),
        "cn-wild": _cert(_name(("CN", "*.wild.example")), key),
    }
    paths = {}
    for name, cert in made.items():
        paths[name] = d / f"{name}.pem"
        paths[name].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return made, paths


HOST_CASES = [
    ("san", "www.example.com", True),
    ("san", "WWW.Example.COM", True),
    ("san", "mixed.example.io", True),
    ("san", "cn.example.com", False),          # CN ignored: the certificate has SAN dNSNames
    ("san", "a.example.net", True),
    ("san", "a.b.example.net", False),         # a wildcard covers one label
    ("san", "example.net", False),
    ("san", "x.com", False),                   # no wildcard over a TLD
    ("san", "foo.example.org", False),         # no partial wildcard (f*o)
    ("san", "192.0.2.10", True),
    ("san", "192.0.2.11", False),
    ("san", "2001:db8::1", True),
    ("san", "2001:DB8:0::1", True),
    ("san", "2001:db8::2", False),
    ("cn-only", "legacy.example.com", True),    # CN fallback: no SAN at all
    ("cn-only", "other.example.com", False),
    ("ip-san-cn", "ipcn.example.com", True),    # CN fallback: SAN has no dNSName
    ("ip-san-cn", "198.51.100.7", True),
    ("cn-wild", "a.wild.example", True),
    ("cn-wild", "wild.example", False),
]


@pytest.mark.parametrize("which,host,expected", HOST_CASES)
def test_hostname_matches_agrees_with_openssl(which, host, expected, host_certs, openssl_tool):
    made, paths = host_certs
    assert hostname_matches(made[which], host) is expected
    try:
        ipaddress.ip_address(host)
        args, needle = ("-checkip", host), " does match certificate"
    except ValueError:
        args, needle = ("-checkhost", host), " does match certificate"
    out = _ok(openssl_tool, "x509", "-in", paths[which], "-noout", *args).decode()
    assert (needle in out) is expected, out


def test_partial_wildcards_and_trailing_dots(host_certs, openssl_tool):
    made, paths = host_certs
    notes = check_hostname(made["san"], "foo.example.org")
    assert any("'f*o.example.org': a partial wildcard" in n for n in notes)
    # A trailing dot names the same absolute DNS name (RFC 1034 section 3.1); `openssl x509
    # -checkhost` compares it literally and says no, pkcs12kit strips it like browsers do.
    out = _ok(openssl_tool, "x509", "-in", paths["san"], "-noout", "-checkhost", "www.example.com.").decode()
    assert "does NOT match" in out
    assert hostname_matches(made["san"], "www.example.com.") is True


def test_check_hostname_explanations(host_certs, chain3, p12_full):
    made, _ = host_certs
    assert check_hostname(made["san"], "www.example.com") == []
    notes = check_hostname(made["san"], "a.b.example.net")
    assert notes[0].startswith("no SAN dNSName matches 'a.b.example.net'")
    assert any("'*.example.net' covers exactly one label, not 'a.b.example.net'" in n for n in notes)
    assert any("not 'example.net' itself" in n for n in check_hostname(made["san"], "example.net"))
    assert any("iPAddress" in n and "CN" in n for n in check_hostname(made["san"], "203.0.113.5"))
    fallback = check_hostname(made["cn-only"], "legacy.example.com")
    assert len(fallback) == 1 and "matches only the subject CN" in fallback[0] and "no SAN dNSName" in fallback[0]
    assert "no subject CN matches" in check_hostname(made["cn-only"], "x.example.com")[0]
    # a PKCS12 is checked through its identity certificate; entries work too
    assert check_hostname(p12_full, "vpn.example.com") == []
    assert hostname_matches(p12_full.certificate, "vpn.example.com")
    assert not hostname_matches(p12_full, "other.example.com")
    assert check_hostname(made["san"], "") == ["the hostname is empty"]
    assert check_hostname(made["san"], "[2001:db8::1]") == []


def test_internationalized_names_compare_as_a_labels():
    key = ec.generate_private_key(ec.SECP256R1())
    # "xn--bcher-kva" is the A-label of "bücher" (RFC 3492 / RFC 5891 example form).
    cert = _cert(_name(("CN", "x")), key, sans=("xn--bcher-kva.example",))
    assert hostname_matches(cert, "bücher.example")
    assert hostname_matches(cert, "XN--BCHER-KVA.example")
    assert not hostname_matches(cert, "bucher.example")
    cn_only = _cert(_name(("CN", "bücher.example")), key)  # a UTF8String CN, no SAN
    assert hostname_matches(cn_only, "xn--bcher-kva.example")
    with pytest.raises(TypeError):
        hostname_matches(cert, b"xn--bcher-kva.example")
