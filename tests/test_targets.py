"""Import targets: the profile each target gets, and the findings `check` reports.

Independent truth comes from the programs and libraries that made or read the files: files are
written by ``openssl pkcs12 -export`` (defaults, ``-legacy``, explicit options) at test time and
their protection confirmed with ``openssl pkcs12 -info``; OpenSSL 3 without the legacy provider
and ``keytool`` are run as the readers the ``openssl3-no-legacy`` and ``java17`` targets stand for;
keys and certificates (RSASSA-PSS ones included) are made with ``cryptography``; the Cisco IOS-XE
export is the real one from Cisco's test suite. The device facts themselves are those of
docs/cisco-formats.md and docs/interop.md#consumers, restated here as literal expectations.
"""

from __future__ import annotations

import datetime
import pathlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID, SignatureAlgorithmOID

import pkcs12kit
import pkcs12kit.targets as targets
from pkcs12kit import CertEntry, KeyEntry, MacInfo, PKCS12, Protection, SafeInfo
from tools import LEGACY_PROVIDERS, keytool, make_cert, make_key, openssl, openssl_export, pem_ders

PASSWORD = "Cisc0123test"  # 8+ characters from [A-Za-z0-9]: no password findings on any target
CISCO = ("asa", "ftd", "ios", "iosxe", "iosxe-17.10+", "iosxe-26", "nxos")
HERE = pathlib.Path(__file__).resolve().parent
IOSXE_EXPORT = HERE / "vectors" / "cisco" / "iosxe-export-pkcs12-terminal.txt"


def codes(findings, severity=None) -> set[str]:
    return {f.code for f in findings if severity is None or f.severity == severity}


def assert_well_formed(findings, password: str | None = None) -> None:
    """Every finding has a known code, a severity, a message and a fix, and leaks no password."""
    for finding in findings:
        assert finding.code in targets.FINDING_CODES
        assert finding.severity in ("error", "warning")
        assert finding.message and finding.fix
        if password:
            assert password not in finding.message and password not in finding.fix


@pytest.fixture(scope="module")
def direct(pki, tmp_path_factory):
    """An RSA-2048 identity issued straight by the (self-signed) root: leaf + root is the whole
    chain, the shape every Cisco trustpoint takes without extra trustpoints."""
    directory = tmp_path_factory.mktemp("direct")
    key = pki.key("rsa2048")
    cert = make_cert("pkcs12kit direct leaf", key.public_key(), pki.root, pki.root.key, ca=False)
    key_path = directory / "leaf.key.pem"
    cert_path = directory / "leaf.crt.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return {"key": key, "cert": cert, "key_path": key_path, "cert_path": cert_path,
            "root_path": pki.root.cert_path, "directory": directory}


def export(direct, name, *, options=(), legacy=False, password=PASSWORD) -> bytes:
    return openssl_export(direct["directory"] / f"{name}.p12", password=password, key=direct["key_path"],
                          cert=direct["cert_path"], certfile=direct["root_path"], options=options, legacy=legacy)


def info(path, password=PASSWORD, legacy=True) -> str:
    """What ``openssl pkcs12 -info`` reports about a file's protection (stderr)."""
    args = ["pkcs12", "-info", "-noout", "-in", path, "-passin", "pass:" + password]
    if legacy:
        args += list(LEGACY_PROVIDERS)
    return openssl(*args).stderr.decode()


# --- profiles --------------------------------------------------------------------------------


def test_profile_for_follows_the_formats_table():
    # docs/cisco-formats.md#emit-profiles: 3DES + SHA-1 MAC for every Cisco platform up to IOS-XE 17.x, OpenSSL 3
    # defaults on IOS-XE 26; docs/interop.md#consumers: TripleDES-SHA1 for Windows <= 2016, macOS, Java 8, Android.
    legacy = ("asa", "ftd", "ios", "iosxe", "iosxe-17.10+", "nxos", "windows-2016", "macos", "java8", "android-13")
    for name in legacy:
        assert targets.profile_for(name) is pkcs12kit.LEGACY_3DES, name
    assert targets.profile_for("iosxe-26") is pkcs12kit.MODERN
    assert targets.profile_for("openssl3-no-legacy") is pkcs12kit.MODERN
    assert targets.profile_for("java17") is pkcs12kit.JAVA
    assert set(targets.TARGETS) == set(legacy) | {"iosxe-26", "openssl3-no-legacy", "java17"}


def test_unknown_target_is_a_value_error_naming_the_valid_ones():
    with pytest.raises(ValueError, match="unknown target 'asa9'.*iosxe-26"):
        targets.profile_for("asa9")
    with pytest.raises(ValueError, match="valid targets: asa, ftd"):
        targets.check(PKCS12(), "windows")
    with pytest.raises(TypeError):
        targets.check(b"not a PKCS12", "asa")
    with pytest.raises(TypeError):
        targets.profile_for(None)


def test_every_rule_code_is_documented_and_every_code_is_used():
    used = {rule.code for target in targets.TARGETS.values() for rule in target.rules.values()}
    assert used == set(targets.FINDING_CODES)
    with open(HERE.parent / "docs" / "targets.md", encoding="utf-8") as page:
        text = page.read()
    for code in used:
        assert f"`{code}`" in text, code
    for name in targets.TARGETS:
        assert f"`{name}`" in text, name


# --- protection ------------------------------------------------------------------------------


@pytest.mark.parametrize("target, pbes2, mac", [
    ("asa", "error", "warning"),    # ASA: AES refused; SHA-256 MAC alone [unverified]
    ("ftd", "error", "warning"),    # FTD FIPS: only PBE-SHA1-3DES (doc 216234)
    ("iosxe", "error", "error"),    # IOS-XE <= 17.9: E_DIGEST_ALG_NOT_SUPPORTED (CSCvz41428)
    ("windows-2016", "error", "error"),
    ("macos", "error", "error"),
    ("java8", "error", "error"),
])
def test_openssl3_default_file_is_flagged(openssl_tool, direct, target, pbes2, mac):
    data = export(direct, "default")
    report = info(direct["directory"] / "default.p12")
    assert "PBES2, PBKDF2, AES-256-CBC" in report and "MAC: sha256" in report  # what openssl wrote
    findings = targets.check(pkcs12kit.loads(data, PASSWORD), target)
    assert_well_formed(findings, PASSWORD)
    by_code = {f.code: f for f in findings}
    assert by_code["pbes2-unsupported"].severity == pbes2
    assert by_code["mac-sha256-unsupported"].severity == mac
    # one finding names both places that use PBES2: the certificate safe and the shrouded key
    assert "authSafe[0]" in by_code["pbes2-unsupported"].message
    assert "key[0]" in by_code["pbes2-unsupported"].message
    assert f"profile_for({target!r})" in by_code["pbes2-unsupported"].fix
    if target == "iosxe":
        assert "CSCvz41428" in by_code["mac-sha256-unsupported"].message
        assert "E_DIGEST_ALG_NOT_SUPPORTED" in by_code["mac-sha256-unsupported"].message
    assert codes(findings) == {"pbes2-unsupported", "mac-sha256-unsupported"}


@pytest.mark.parametrize("target", ["iosxe-26", "openssl3-no-legacy", "java17"])
def test_openssl3_default_file_passes_modern_targets(openssl_tool, direct, target):
    data = export(direct, "default-modern")
    assert targets.check(pkcs12kit.loads(data, PASSWORD), target) == []


@pytest.mark.parametrize("target", sorted(targets.TARGETS))
def test_target_profile_output_passes_its_check_and_openssl_reads_it(openssl_tool, direct, target, tmp_path):
    p12 = PKCS12.build(key=direct["key"], certificate=direct["cert"], chain=pem_ders(direct["root_path"]))
    data = pkcs12kit.dumps(p12, PASSWORD, profile=targets.profile_for(target))
    decoded = pkcs12kit.loads(data, PASSWORD)
    assert targets.check(decoded, target) == []
    # openssl reads it, without the legacy provider, and finds the same key and certificates.
    path = tmp_path / "out.p12"
    path.write_bytes(data)
    out = openssl("pkcs12", "-in", path, "-passin", "pass:" + PASSWORD, "-nodes").stdout
    key = serialization.load_pem_private_key(out, None)
    assert key.private_numbers() == direct["key"].private_numbers()
    certs = pem_ders(out)
    assert certs[0] == direct["cert"].public_bytes(serialization.Encoding.DER)
    assert certs[1:] == pem_ders(direct["root_path"])
    report = info(path, legacy=False)
    if targets.profile_for(target) is pkcs12kit.LEGACY_3DES:
        assert "MAC: sha1" in report
        assert report.count("pbeWithSHA1And3-KeyTripleDES-CBC") == 2  # certificate safe and key
        assert "PBES2" not in report


def test_asa_profile_output_as_the_asa_would_get_it(openssl_tool, direct):
    p12 = PKCS12.build(key=direct["key"], certificate=direct["cert"], chain=pem_ders(direct["root_path"]))
    data = pkcs12kit.dumps(p12, PASSWORD, profile=targets.profile_for("asa"))
    assert targets.check(pkcs12kit.loads(data, PASSWORD), "asa", password=PASSWORD) == []


def test_legacy_file_is_refused_by_fips_ftd_but_not_by_the_asa(openssl_tool, direct):
    data = export(direct, "legacy", legacy=True, options=["-legacy"])
    report = info(direct["directory"] / "legacy.p12")
    assert "pbeWithSHA1And40BitRC2-CBC" in report and "MAC: sha1" in report
    p12 = pkcs12kit.loads(data, PASSWORD)
    ftd = targets.check(p12, "ftd")
    assert_well_formed(ftd)
    assert codes(ftd) == {"rc2-40-fips"} and ftd[0].severity == "error"
    assert "216234" in ftd[0].message
    # ASA: a 2018 import of plain (RC2-40) openssl output succeeded (docs/cisco-formats.md#algorithms-accepted).
    assert targets.check(p12, "asa") == []
    # IOS-XE: RC2-40 never shown to work, so a warning, not an error.
    assert {(f.code, f.severity) for f in targets.check(p12, "iosxe")} == {("rc2-40-unsupported", "warning")}
    assert targets.check(p12, "windows-2016") == [] and targets.check(p12, "macos") == []


def test_openssl3_no_legacy_agrees_with_openssl_without_the_legacy_provider(openssl_tool, direct, tmp_path):
    """The openssl3-no-legacy target reports an error exactly when OpenSSL 3 (default provider
    only) cannot read the file."""
    files = {
        "default": export(direct, "nl-default"),
        "legacy": export(direct, "nl-legacy", legacy=True, options=["-legacy"]),
        "3des-sha1": export(direct, "nl-3des", options=["-keypbe", "PBE-SHA1-3DES", "-certpbe",
                                                        "PBE-SHA1-3DES", "-macalg", "sha1"]),
        "rc4-key": export(direct, "nl-rc4", legacy=True, options=["-keypbe", "PBE-SHA1-RC4-128"]),
        "pbmac1": pkcs12kit.dumps(pkcs12kit.loads(export(direct, "nl-src"), PASSWORD), PASSWORD,
                                  profile=pkcs12kit.MODERN_PBMAC1),
    }
    for name, data in files.items():
        path = tmp_path / f"{name}.p12"
        path.write_bytes(data)
        readable = openssl("pkcs12", "-in", path, "-passin", "pass:" + PASSWORD, "-nodes",
                           check=False).returncode == 0
        findings = targets.check(pkcs12kit.loads(data, PASSWORD), "openssl3-no-legacy")
        assert_well_formed(findings)
        assert (not codes(findings, "error")) == readable, (name, findings)
    assert not readable  # the last one, PBMAC1, needs OpenSSL 3.4; this is 3.0


def test_pbmac1_is_refused_by_every_target(openssl_tool, direct):
    source = pkcs12kit.loads(export(direct, "pbmac1-src"), PASSWORD)
    p12 = pkcs12kit.loads(pkcs12kit.dumps(source, PASSWORD, profile=pkcs12kit.MODERN_PBMAC1), PASSWORD)
    assert p12.mac.kind == "pbmac1"
    for name in targets.TARGETS:
        findings = targets.check(p12, name)
        assert "pbmac1-unsupported" in codes(findings, "error"), name


def test_passwordless_file(openssl_tool, direct):
    data = export(direct, "nopass", password=None,
                  options=["-keypbe", "NONE", "-certpbe", "NONE", "-nomac"])
    p12 = pkcs12kit.loads(data, None)
    macos = targets.check(p12, "macos")
    assert {"no-mac", "no-encryption"} <= codes(macos, "error")  # docs/interop.md#consumers: macOS 15, forge#13
    assert "no-mac" in codes(targets.check(p12, "java8"), "error")  # needs 8u301
    assert "keybag-ignored" in codes(targets.check(p12, "java17"), "error")
    assert {"no-mac", "no-encryption", "unencrypted-key"} <= codes(targets.check(p12, "asa"), "warning")
    assert targets.check(p12, "openssl3-no-legacy") == []


def test_java17_keybag_finding_matches_keytool(openssl_tool, keytool_tool, direct, tmp_path):
    """keytool drops a plain keyBag: the java17 target says so exactly when keytool lists no key."""
    for name, options in (("shrouded", ["-keypbe", "PBE-SHA1-3DES"]), ("keybag", ["-keypbe", "NONE"])):
        data = export(direct, f"kt-{name}", options=options)
        path = direct["directory"] / f"kt-{name}.p12"
        listing = keytool("-list", "-keystore", path, "-storetype", "PKCS12", "-storepass", PASSWORD).stdout
        has_key = b"PrivateKeyEntry" in listing
        findings = targets.check(pkcs12kit.loads(data, PASSWORD), "java17")
        assert ("keybag-ignored" in codes(findings, "error")) == (not has_key), (name, listing)
        assert has_key == (name == "shrouded")


def test_iteration_cap_for_java17():
    base = PKCS12((KeyEntry.from_key(make_key("p256")),))
    over = Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", prf="sha256", iterations=5_000_001, salt_length=8)
    decoded = PKCS12(base.entries, mac=MacInfo("hmac", "sha256", 2048, b"\0" * 8),
                     safes=(SafeInfo("encryptedData", over, 1, (0,)),))
    findings = targets.check(decoded, "java17")
    assert {(f.code, f.severity) for f in findings} >= {("iterations-too-high", "error")}
    at_cap = PKCS12(base.entries, mac=MacInfo("hmac", "sha256", 5_000_000, b"\0" * 8),
                    safes=(SafeInfo("encryptedData", over.replace(iterations=5_000_000), 1, (0,)),))
    assert "iterations-too-high" not in codes(targets.check(at_cap, "java17"))


# --- the real IOS-XE export ------------------------------------------------------------------


def test_real_iosxe_export(openssl_tool, tmp_path):
    with open(IOSXE_EXPORT, encoding="utf-8") as handle:
        text = handle.read()
    p12 = pkcs12kit.loads(text, "cisco123")
    # What the device wrote, per openssl: 3DES both ways and a SHA-256 MAC (docs/cisco-formats.md#ios-xe-export-encoding).
    path = tmp_path / "iosxe.p12"
    path.write_bytes(pkcs12kit.armor.unarmor(text)[0])
    report = info(path, "cisco123")
    assert "MAC: sha256" in report and "PBES2" not in report
    assert targets.check(p12, "iosxe-17.10+") == []
    assert targets.check(p12, "iosxe-26") == []
    old = targets.check(p12, "iosxe")
    assert [(f.code, f.severity) for f in old] == [("mac-sha256-unsupported", "error")]
    assert "profile_for('iosxe')" in old[0].fix and "HMAC-SHA1" in old[0].fix
    assert "iosxe-26" in targets.accepting(p12) and "iosxe" not in targets.accepting(p12)


# --- keys, certificates and the identity -----------------------------------------------------


def test_ec_key_is_a_warning_where_unverified(pki):
    leaf = pki.leaf("p256")
    p12 = PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.intermediate.cert, pki.root.cert])
    asa = {f.code: f for f in targets.check(p12, "asa")}
    assert asa["key-type-ec-unsupported"].severity == "warning"
    assert "[unverified]" in asa["key-type-ec-unsupported"].message
    assert asa["extra-trustpoint"].severity == "note"   # the ASA's <tp>-1: fyi, fix --drop-root
    assert "incomplete-chain" not in asa
    ios26 = {f.code: f for f in targets.check(p12, "iosxe-26")}
    assert ios26["ec-key-ssh-hostkey"].severity == "warning"
    assert "key-type-ec-unsupported" not in ios26
    assert not codes(targets.check(p12, "windows-2016"))
    assert not codes(targets.check(p12, "iosxe"), "error")


def test_large_rsa_key_warns_on_the_asa():
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    cert = make_cert("big", key.public_key(), None, key, ca=False)
    p12 = PKCS12.build(key=key, certificate=cert)
    asa = {f.code: f for f in targets.check(p12, "asa")}
    assert asa["rsa-key-too-large"].severity == "warning" and "3072" in asa["rsa-key-too-large"].message
    assert "rsa-key-too-large" not in codes(targets.check(p12, "iosxe"))  # IOS-XE handles 4096


def test_other_key_types_warn_on_cisco(pki):
    leaf = pki.leaf("ed25519")
    p12 = PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.intermediate.cert, pki.root.cert])
    for name in CISCO:
        assert "key-type-unsupported" in codes(targets.check(p12, name), "warning"), name


def test_key_certificate_mismatch(pki):
    leaf = pki.leaf("p256")
    other_key = make_key("p256")
    p12 = PKCS12(entries=(KeyEntry.from_key(other_key, local_key_id=b"1"),
                          CertEntry.from_certificate(leaf.cert, local_key_id=b"1")))
    for name in targets.TARGETS:
        findings = targets.check(p12, name)
        assert_well_formed(findings)
        assert "key-certificate-mismatch" in codes(findings, "error"), name
    # without a localKeyId: no certificate in the file certifies the key
    bare = PKCS12(entries=(KeyEntry.from_key(other_key), CertEntry.from_certificate(leaf.cert)))
    assert "key-certificate-mismatch" in codes(targets.check(bare, "iosxe"), "error")
    # the control: the right key with the same certificate
    good = PKCS12(entries=(KeyEntry.from_key(leaf.key, local_key_id=b"1"),
                           CertEntry.from_certificate(leaf.cert, local_key_id=b"1")))
    assert "key-certificate-mismatch" not in codes(targets.check(good, "iosxe"))


def test_mismatch_survives_a_round_trip_through_the_target_profile(pki):
    leaf = pki.leaf("p256")
    p12 = PKCS12(entries=(CertEntry.from_certificate(leaf.cert, local_key_id=b"1"),
                          KeyEntry.from_key(make_key("p256"), local_key_id=b"1")))
    decoded = pkcs12kit.loads(pkcs12kit.dumps(p12, PASSWORD, profile=targets.profile_for("asa")), PASSWORD)
    assert "key-certificate-mismatch" in codes(targets.check(decoded, "asa"), "error")


def test_missing_issuer_and_incomplete_chain(pki):
    leaf = pki.leaf("p256")
    alone = PKCS12.build(key=leaf.key, certificate=leaf.cert)
    assert "missing-issuer" in codes(targets.check(alone, "ftd"), "error")   # FMC, doc 215855
    assert "missing-issuer" in codes(targets.check(alone, "asa"), "warning")
    assert "missing-issuer" not in codes(targets.check(alone, "windows-2016"))
    no_root = PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.intermediate.cert])
    findings = targets.check(no_root, "iosxe")
    assert "incomplete-chain" in codes(findings, "warning") and "missing-issuer" not in codes(findings)
    full = PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.intermediate.cert, pki.root.cert])
    ios = {f.code: f for f in targets.check(full, "iosxe")}
    assert not {"missing-issuer", "incomplete-chain"} & set(ios)
    # the issuing CA (the intermediate) is not self-signed: IOS-XE offers -rrrN trustpoints
    assert ios["intermediate-trustpoints"].severity == "note" and "rrr" in ios["intermediate-trustpoints"].message
    # The ASA keeps the identity and its issuing CA: a chain without the root is complete there.
    assert not {"missing-issuer", "incomplete-chain"} & codes(targets.check(no_root, "asa"))


def test_self_signed_identity_needs_no_issuer(pki):
    key = pki.key("rsa2048")
    cert = make_cert("self", key.public_key(), None, key, ca=False)
    assert targets.check(PKCS12.build(key=key, certificate=cert), "ftd") == []


def test_trust_store_and_unrelated_certificates(pki):
    store = PKCS12.trust_store([pki.root.cert])
    assert "no-private-key" in codes(targets.check(store, "asa"), "error")
    assert targets.check(store, "java17") == []
    leaf = pki.leaf("p256")
    stranger = make_cert("stranger", make_key("p256").public_key(), None, pki.root.key, ca=True)
    extra = PKCS12.build(key=leaf.key, certificate=leaf.cert,
                         chain=[pki.intermediate.cert, pki.root.cert, stranger])
    assert "unrelated-certificates" in codes(targets.check(extra, "asa"), "warning")


def _pss_certificate():
    """A self-signed RSA certificate signed with RSASSA-PSS (cryptography's rsa_padding)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pss")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256(), rsa_padding=padding.PSS(padding.MGF1(hashes.SHA256()),
                                                                 padding.PSS.DIGEST_LENGTH)))
    assert cert.signature_algorithm_oid == SignatureAlgorithmOID.RSASSA_PSS
    return key, cert


def test_rsassa_pss_certificate_is_refused_by_the_asa():
    key, cert = _pss_certificate()
    p12 = PKCS12.build(key=key, certificate=cert)
    asa = {f.code: f for f in targets.check(p12, "asa")}
    assert asa["rsassa-pss-certificate"].severity == "error" and "CSCup44159" in asa["rsassa-pss-certificate"].message
    assert "rsassa-pss-certificate" in codes(targets.check(p12, "ftd"))
    assert targets.check(p12, "windows-2016") == []


# --- passwords -------------------------------------------------------------------------------


def test_password_rules_never_echo_the_password(direct):
    p12 = PKCS12.build(key=direct["key"], certificate=direct["cert"], chain=pem_ders(direct["root_path"]))
    secret = "se cret?"
    asa = targets.check(p12, "asa", password=secret)
    assert_well_formed(asa, secret)
    assert [f.severity for f in asa if f.code == "password-cli-unsafe"] == ["error", "error"]
    assert "password-cli-unsafe" not in codes(targets.check(p12, "ftd", password=secret))  # GUI upload
    assert "password-short" in codes(targets.check(p12, "iosxe", password="abc123"), "warning")
    assert targets.check(p12, "iosxe", password=b"Abcdef123") == []


def test_non_ascii_password_on_java_matches_keytool(openssl_tool, keytool_tool, direct):
    """The java17 target flags a password exactly when keytool (JDK 17) cannot open the file
    with it: any non-ASCII password, whatever the encryption ('Password is not ASCII')."""
    schemes = {"3des": ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES"], "pbes2": []}
    outcomes = set()
    for password in ("pässwört123", "Passwort123"):
        for name, options in schemes.items():
            stem = f"na-{name}-{password.isascii()}"
            data = export(direct, stem, options=options, password=password)
            path = direct["directory"] / f"{stem}.p12"
            readable = keytool("-list", "-keystore", path, "-storetype", "PKCS12", "-storepass", password,
                               check=False).returncode == 0
            findings = targets.check(pkcs12kit.loads(data, password), "java17", password=password)
            assert_well_formed(findings, password)
            assert ("password-non-ascii" in codes(findings, "error")) == (not readable), (name, password)
            outcomes.add(readable)
    assert outcomes == {True, False}  # both cases were exercised
