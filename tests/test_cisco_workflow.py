"""Issue 11, "The Cisco workflow tells the truth": each item of "What was seen", reproduced, and
the behaviour that replaced it, checked against independent truth: the openssl program (reading
every file written, `openssl verify -attime` for validity and signatures), certificates made
with ``cryptography`` with known dates and extensions, and the documented device grammar
(docs/cisco-formats.md#grammar).
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tools import openssl

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Secret123"
SAMPLE = resources.files("pkcs12kit").joinpath("samples", "iosxe-trustpoint-export.txt").read_text()


def cli(*args, input: bytes | None = None, env: dict | None = None, cwd=None):
    """``python -m pkcs12kit`` in its own session (no controlling terminal: it never prompts)."""
    full_env = {key: value for key, value in os.environ.items() if key != "PKCS12KIT_DEBUG"}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "pkcs12kit", *map(str, args)], input=input or b"",
                          capture_output=True, env=full_env, cwd=cwd, timeout=120, start_new_session=True)


def out(proc) -> str:
    return proc.stdout.decode("utf-8", "replace")


def err(proc) -> str:
    return proc.stderr.decode("utf-8", "replace")


def rc(proc, code: int):
    assert proc.returncode == code, f"expected {code}, got {proc.returncode}\n{out(proc)}\n{err(proc)}"
    assert "Traceback" not in err(proc)
    return proc


# --- certificates with chosen dates and extensions (cryptography) ---------------------------


NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def certificate(subject, key, issuer_name=None, issuer_key=None, *, ca=False, days=(-30, 365), san=(),
                eku=None, digest=None, at=NOW):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer_name or name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(at + datetime.timedelta(days=days[0]))
               .not_valid_after(at + datetime.timedelta(days=days[1]))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in san]), critical=False)
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return builder.sign(issuer_key or key, digest or hashes.SHA256())


def pem(*items) -> bytes:
    data = b""
    for item in items:
        if isinstance(item, x509.Certificate):
            data += item.public_bytes(serialization.Encoding.PEM)
        else:
            data += item.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    return data


def export(directory: Path, name: str, key, leaf, chain=(), *, legacy=True, extra=()) -> Path:
    """openssl pkcs12 -export of ``key`` (None: -nokeys), ``leaf`` and ``chain``."""
    (directory / f"{name}.key").write_bytes(pem(key) if key is not None else b"")
    (directory / f"{name}.crt").write_bytes(pem(leaf))
    (directory / f"{name}-chain.pem").write_bytes(pem(*chain))
    path = directory / f"{name}.p12"
    args = ["pkcs12", "-export", "-out", path, "-in", directory / f"{name}.crt", "-passout", f"pass:{PASSWORD}"]
    args += ["-inkey", directory / f"{name}.key"] if key is not None else ["-nokeys"]
    if chain:
        args += ["-certfile", directory / f"{name}-chain.pem"]
    if legacy:
        args += ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1"]
    openssl(*args, *extra)
    return path


@pytest.fixture(scope="module")
def pki3(tmp_path_factory):
    """Root → intermediate → leaf (RSA-2048, SAN vpn.example.com, serverAuth), valid at NOW."""
    directory = tmp_path_factory.mktemp("pki3")
    root_key, inter_key = ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(ec.SECP256R1())
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = certificate("Test Root CA", root_key, ca=True, days=(-100, 3000))
    inter = certificate("Test Issuing CA", inter_key, root.subject, root_key, ca=True, days=(-100, 2000))
    leaf = certificate("vpn.example.com", leaf_key, inter.subject, inter_key, san=["vpn.example.com"],
                       eku=[ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH])
    (directory / "ROOT-CA.pem").write_bytes(pem(root))
    (directory / "ISSUER-CA.pem").write_bytes(pem(inter))
    return {"dir": directory, "root": root, "inter": inter, "leaf": leaf, "leaf_key": leaf_key,
            "root_key": root_key, "inter_key": inter_key,
            "full": export(directory, "full", leaf_key, leaf, [inter, root]),
            "modern": export(directory, "modern", leaf_key, leaf, [inter, root], legacy=False)}


AT = ["--at", "2026-06-01"]
ENV = {"P12PASS": PASSWORD}


# --- What was seen 1, 2, 3: writing for a target runs the target's check ---------------------


def test_seen_1_cisco_import_profile_modern_for_the_asa_is_refused(pki3, tmp_path):
    source = SAMPLE
    (tmp_path / "router-paste.txt").write_text(source)
    proc = rc(cli("cisco-import", "router-paste.txt", "--platform", "asa", "--trustpoint", "TP", "--passin",
                  "pass:cisco123", "--profile", "MODERN", "-o", "m1.txt", *AT, cwd=tmp_path), 7)
    assert "pbes2-unsupported" in err(proc) and "not written" in err(proc)
    assert not (tmp_path / "m1.txt").exists()
    # Forced: written, and the error is still said (as a warning), and check agrees.
    proc = rc(cli("cisco-import", "router-paste.txt", "--platform", "asa", "--trustpoint", "TP", "--passin",
                  "pass:cisco123", "--profile", "MODERN", "-o", "m1.txt", "--force-target", *AT, cwd=tmp_path), 0)
    assert "pbes2-unsupported" in err(proc)
    check = rc(cli("check", "m1.txt", "--target", "asa", "--passin", "pass:cisco123", *AT, cwd=tmp_path), 1)
    assert "error: pbes2-unsupported" in out(check)
    # The default profile passes: openssl reads the session's PKCS#12 (3DES, SHA-1 MAC).
    rc(cli("cisco-import", "router-paste.txt", "--platform", "asa", "--trustpoint", "TP", "--passin",
           "pass:cisco123", "-o", "ok.txt", *AT, cwd=tmp_path), 0)
    lines = (tmp_path / "ok.txt").read_text().splitlines()
    (tmp_path / "ok.p12").write_bytes(base64.b64decode("".join(lines[2:-2])))
    info = openssl("pkcs12", "-in", tmp_path / "ok.p12", "-passin", "pass:cisco123", "-info", "-noout").stderr.decode()
    assert "MAC: sha1" in info and "PBES2" not in info


def test_seen_2_cisco_import_without_a_private_key_is_refused(pki3, tmp_path):
    path = export(tmp_path, "nokey", None, pki3["leaf"], [pki3["inter"]])
    proc = rc(cli("cisco-import", path, "--platform", "ios", "--trustpoint", "TP", "--passin", f"pass:{PASSWORD}",
                  *AT), 7)
    assert "no-private-key" in err(proc)
    assert out(proc) == ""
    check = rc(cli("check", path, "--target", "ios", "--passin", f"pass:{PASSWORD}", *AT), 1)
    assert "error: no-private-key" in out(check)


@pytest.mark.parametrize("command", ["create", "repack"])
def test_seen_3_target_password_rules_apply_when_writing(pki3, tmp_path, command):
    if command == "create":
        args = ["create", "-o", tmp_path / "o.p12", "--key", pki3["dir"] / "full.key", "--cert", pki3["dir"] / "full.crt"]
    else:
        args = ["repack", pki3["full"], "-o", tmp_path / "o.p12", "--passin", f"pass:{PASSWORD}"]
    proc = rc(cli(*args, "--target", "asa", "--passout", "pass:what?now 1", *AT), 7)
    assert "password-cli-unsafe" in err(proc) and "what?now" not in err(proc)
    assert not (tmp_path / "o.p12").exists()
    # convert --to asa refuses the same password with the same exit code.
    rc(cli("convert", pki3["full"], "-o", tmp_path / "a.txt", "--to", "asa", "--passin", f"pass:{PASSWORD}",
           "--passout", "pass:what?now 1", *AT), 7)


# --- What was seen 4: check's exit codes -----------------------------------------------------


def test_seen_4_check_exits_0_on_warnings_and_1_with_strict(tmp_path):
    (tmp_path / "sample.txt").write_text(SAMPLE)
    args = ["check", tmp_path / "sample.txt", "--target", "asa", "--passin", "pass:cisco123", "--at", "2026-01-01"]
    proc = rc(cli(*args), 0)
    assert "warning: mac-sha256-unsupported" in out(proc) and "0 errors, 1 warning" in out(proc)
    rc(cli(*args, "--strict"), 1)
    rc(cli(*args, "--fail-on", "warning"), 1)


# --- What was seen 5 and 6: fixes the CLI can carry out, no Python, no circle ------------------


def fix_lines(text: str) -> list[str]:
    return [line.split("fix: ", 1)[1] for line in text.splitlines() if line.startswith("  fix: ")]


def run_fix(line: str, cwd: Path, env: dict | None = None):
    command = line.split("   #", 1)[0]
    argv = shlex.split(command)
    assert argv[0] == "pkcs12kit"
    return rc(cli(*argv[1:], *AT, cwd=cwd, env={**ENV, "NEWPASS": "Fresh2Pass9", **(env or {})}), 0)


def test_seen_5_asa_chain_advice_is_one_step_and_no_circle(pki3, tmp_path):
    work = tmp_path
    (work / "full.p12").write_bytes(pki3["full"].read_bytes())
    proc = rc(cli("check", "full.p12", "--target", "asa", "--passin", "env:P12PASS", *AT, cwd=work, env=ENV), 0)
    assert "note: extra-trustpoint" in out(proc)
    (fix,) = [line for line in fix_lines(out(proc)) if "--drop-root" in line]
    assert fix == "pkcs12kit repack full.p12 -o full-fixed.p12 --passin env:P12PASS --drop-root --target asa"
    run_fix(fix, work)
    after = rc(cli("check", "full-fixed.p12", "--target", "asa", "--passin", "env:P12PASS", "--strict", *AT,
                   cwd=work, env=ENV), 0)
    assert "extra-trustpoint" not in out(after) and "incomplete-chain" not in out(after)
    # openssl reads leaf and issuing CA only.
    certs = openssl("pkcs12", "-in", work / "full-fixed.p12", "-passin", f"pass:{PASSWORD}", "-nokeys").stdout
    assert certs.count(b"BEGIN CERTIFICATE") == 2 and b"Test Root CA" not in certs.split(b"-----BEGIN")[0] + certs[-10:]


def test_seen_5_ios_chain_advice_adds_the_root_and_keeps_it(pki3, tmp_path):
    work = tmp_path
    export(work, "noroot", pki3["leaf_key"], pki3["leaf"], [pki3["inter"]])
    (work / "ROOT-CA.pem").write_bytes(pem(pki3["root"]))
    proc = rc(cli("check", "noroot.p12", "--target", "iosxe", "--passin", "env:P12PASS", "--strict", *AT,
                  cwd=work, env=ENV), 1)
    (fix,) = [line for line in fix_lines(out(proc)) if "--add-cert" in line]
    run_fix(fix, work)
    after = rc(cli("check", "noroot-fixed.p12", "--target", "iosxe", "--passin", "env:P12PASS", "--strict", *AT,
                   cwd=work, env=ENV), 0)
    # The full chain gives the -rrrN note, whose advice is to keep the chain (never to drop it).
    assert "note: intermediate-trustpoints" in out(after)
    assert not [line for line in fix_lines(out(after)) if "--drop" in line]
    certs = openssl("pkcs12", "-in", work / "noroot-fixed.p12", "-passin", f"pass:{PASSWORD}", "-nokeys").stdout
    assert certs.count(b"BEGIN CERTIFICATE") == 3


def test_seen_6_fix_lines_are_commands_not_python_and_the_wording_is_clean(pki3, tmp_path):
    proc = rc(cli("check", pki3["modern"], "--target", "asa", "--passin", f"pass:{PASSWORD}", *AT), 1)
    text = out(proc)
    fixes = fix_lines(text)
    assert fixes and all("dumps(" not in fix and "profile_for(" not in fix and "PKCS12." not in fix for fix in fixes)
    assert any(fix.startswith(f"pkcs12kit repack {shlex.quote(str(pki3['modern']))} -o ") for fix in fixes)
    # A password given as pass: is never printed; the fix names an environment variable instead.
    assert PASSWORD not in text and "--passin env:P12PASS" in text
    proc = rc(cli("convert", pki3["modern"], "-o", tmp_path / "x.txt", "--to", "asa", "--passin", f"pass:{PASSWORD}",
                  "--force-target", *AT), 0)
    assert "warning: asa: warning:" not in err(proc) and "warning: asa: error:" not in err(proc)
    nokey = export(tmp_path, "nokey", None, pki3["leaf"], [pki3["inter"]])
    proc = rc(cli("check", nokey, "--target", "asa", "--passin", f"pass:{PASSWORD}", *AT), 1)
    assert " a the " not in out(proc)
    helps = "".join(out(cli(command, "--help")) for command in ("check", "info", "show", "demo"))
    assert "?." not in helps


# --- What was seen 7: certificate health ------------------------------------------------------


def test_seen_7_demo_and_check_report_the_expired_sample():
    proc = rc(cli("demo", "--at", "2026-12-01"), 0)
    assert "error: certificate-expired: certificate[0] (unstructuredName=pki-reg7) expired on 2026-10-07 (54 days ago)" in out(proc)
    assert "status: EXPIRED 2026-10-07 (54 days ago)" in out(proc)
    assert "cisco-import refuses to write this" in out(proc)
    proc = rc(cli("demo", "--at", "2026-01-01"), 0)
    assert "certificate-expired" not in out(proc) and "status: valid, 279 days left" in out(proc)


def test_seen_7_check_iosxe_17_10_reports_expiry_as_openssl_verify_does(tmp_path):
    (tmp_path / "s.txt").write_text(SAMPLE)
    proc = rc(cli("check", tmp_path / "s.txt", "--target", "iosxe-17.10+", "--passin", "pass:cisco123",
                  "--at", "2026-12-01"), 1)
    assert "error: certificate-expired" in out(proc)
    # openssl verify, at the same moments, agrees.
    rc(cli("extract", tmp_path / "s.txt", "--certs", "-o", tmp_path / "certs.pem", "--passin", "pass:cisco123"), 0)
    blocks = re.findall(rb"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", (tmp_path / "certs.pem").read_bytes(), re.S)
    (tmp_path / "leaf.pem").write_bytes(blocks[0])
    (tmp_path / "ca.pem").write_bytes(blocks[1])
    late = int(datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc).timestamp())
    early = int(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    verify = ["verify", "-CAfile", tmp_path / "ca.pem", "-attime"]
    assert openssl(*verify, str(late), tmp_path / "leaf.pem", check=False).returncode != 0
    assert openssl(*verify, str(early), tmp_path / "leaf.pem", check=False).returncode == 0
    rc(cli("check", tmp_path / "s.txt", "--target", "iosxe-17.10+", "--passin", "pass:cisco123", "--at", "2026-01-01"), 0)


def sha1_certificate(directory: Path, key, issuer, issuer_key) -> x509.Certificate:
    """A certificate signed with sha1WithRSA... by openssl (cryptography refuses to sign SHA-1)."""
    (directory / "s.key").write_bytes(pem(key))
    (directory / "ca.key").write_bytes(pem(issuer_key))
    (directory / "ca.crt").write_bytes(pem(issuer))
    openssl("req", "-new", "-key", directory / "s.key", "-subj", "/CN=sha1.example.com", "-out", directory / "s.csr")
    openssl("x509", "-req", "-in", directory / "s.csr", "-CA", directory / "ca.crt", "-CAkey", directory / "ca.key",
            "-set_serial", "7", "-days", "3650", "-sha1", "-out", directory / "s.crt")
    return x509.load_pem_x509_certificate((directory / "s.crt").read_bytes())


def test_health_findings_match_openssl_and_cryptography(pki3, tmp_path):
    leaf_key, inter, inter_key = pki3["leaf_key"], pki3["inter"], pki3["inter_key"]
    cases = {}
    cases["soon"] = certificate("soon.example.com", leaf_key, inter.subject, inter_key, san=["soon.example.com"],
                                days=(-300, 10))
    cases["future"] = certificate("future.example.com", leaf_key, inter.subject, inter_key, days=(5, 300),
                                  san=["future.example.com"])
    weak_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    cases["weak"] = certificate("weak.example.com", weak_key, inter.subject, inter_key, san=["weak.example.com"])
    cases["sha1"] = sha1_certificate(tmp_path, leaf_key, inter, inter_key)
    cases["ca"] = certificate("ca.example.com", leaf_key, inter.subject, inter_key, ca=True)
    cases["client"] = certificate("client.example.com", leaf_key, inter.subject, inter_key, san=["client.example.com"],
                                  eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    forger = ec.generate_private_key(ec.SECP256R1())  # signs in the issuing CA's name
    cases["forged"] = certificate("forged.example.com", leaf_key, inter.subject, forger, san=["forged.example.com"])
    expected = {"soon": "certificate-expires-soon", "future": "certificate-not-yet-valid", "weak": "rsa-key-weak",
                "sha1": "weak-signature", "ca": "identity-is-ca", "client": "eku-missing",
                "forged": "chain-signature-invalid"}
    for name, cert in cases.items():
        key = weak_key if name == "weak" else leaf_key
        path = export(tmp_path, name, key, cert, [inter, pki3["root"]])
        proc = cli("check", path, "--target", "asa", "--passin", f"pass:{PASSWORD}", "--json", *AT)
        codes = {f["code"]: f for f in json.loads(proc.stdout)["findings"]}
        assert expected[name] in codes, (name, codes)
        # check exits 1 exactly when an error is found (the openssl-signed SHA-1 certificate
        # starts today, so at NOW it is also not yet valid).
        assert proc.returncode == (1 if any(f["severity"] == "error" for f in codes.values()) else 0), name
        assert codes[expected[name]]["severity"] == ("error" if name in ("future", "forged") else "warning"), name
    # openssl verify is the oracle for the signature and the validity dates.
    (tmp_path / "chain.pem").write_bytes(pem(inter, pki3["root"]))
    at = str(int(NOW.timestamp()))
    for name, ok in (("forged", False), ("future", False), ("soon", True), ("client", True)):
        (tmp_path / "x.pem").write_bytes(pem(cases[name]))
        result = openssl("verify", "-attime", at, "-CAfile", tmp_path / "chain.pem", tmp_path / "x.pem", check=False)
        assert (result.returncode == 0) is ok, name
    eku = json.loads(cli("check", tmp_path / "client.p12", "--target", "asa", "--passin", f"pass:{PASSWORD}",
                         "--json", *AT).stdout)["findings"]
    assert any("serverAuth" in f["message"] and "TLS/VPN server" in f["message"] for f in eku)
    # --days widens the window.
    proc = cli("check", pki3["full"], "--target", "asa", "--passin", f"pass:{PASSWORD}", "--days", "400", *AT)
    assert "certificate-expires-soon" in out(proc)


def test_health_library_entry_point(pki3):
    import pkcs12kit
    from pkcs12kit import targets

    p12 = pkcs12kit.loads(pki3["full"].read_bytes(), PASSWORD)
    assert targets.health(p12, at="2026-06-01") == []
    late = targets.health(p12, at=datetime.date(2027, 7, 1))
    assert [f.code for f in late] == ["certificate-expired"] and late[0].severity == "error"
    assert "certificate[0] (CN=vpn.example.com) expired on 2027-06-01 (30 days ago)" in late[0].message
    assert {f.code for f in targets.health(p12, at=NOW, days=400)} == {"certificate-expires-soon"}


def test_info_shows_san_usage_signature_and_validity(pki3):
    text = out(rc(cli("info", pki3["full"], "--passin", f"pass:{PASSWORD}", *AT), 0))
    leaf = pki3["leaf"]
    assert "subjectAltName: DNS:vpn.example.com" in text
    assert "extendedKeyUsage: server_auth, client_auth" in text
    assert "signature: sha256WithRSAEncryption" not in text  # the leaf is signed by an EC CA
    assert "signature: ecdsa-with-SHA256" in text
    days_left = (leaf.not_valid_after_utc - NOW).days
    assert f"status: valid, {days_left} days left" in text
    doc = json.loads(out(cli("info", pki3["full"], "--passin", f"pass:{PASSWORD}", "--json", *AT)))
    assert doc["certificates"][0]["san"] == ["DNS:vpn.example.com"] and doc["health"] == []


def test_large_files_summarise_repeated_findings(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    expired = [certificate(f"old {n}", key, days=(-400, -40), ca=True) for n in range(40)]
    leaf = certificate("host.example.com", key, san=["host.example.com"])
    path = export(tmp_path, "many", key, leaf, expired)
    proc = cli("check", path, "--target", "windows-2016", "--passin", f"pass:{PASSWORD}", *AT)
    lines = [line for line in out(proc).splitlines() if "certificate-expired" in line]
    assert len(lines) == 1 and "40 certificates: same error:" in lines[0], out(proc)
    info = out(cli("info", path, "--passin", f"pass:{PASSWORD}", *AT))
    assert sum("certificate-expired" in line for line in info.splitlines()) == 1


# --- What was seen 8: engineer-level errors for text ------------------------------------------


def test_seen_8_a_cut_short_paste_is_said_so_with_lines():
    lines = SAMPLE.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("MII"))
    cut = lines[:start + 10] + lines[start + 13:]
    der = base64.b64decode("".join(line for line in lines[start:] if re.fullmatch(r"[A-Za-z0-9+/=]+", line) and line != "quit"))
    claimed = int.from_bytes(der[2:4], "big")  # 30 82 LL LL: the PFX SEQUENCE's length
    proc = rc(cli("info", "-", "--passin", "pass:cisco123", input="\n".join(cut).encode()), 3)
    message = err(proc)
    assert f"the data ends early: 144 of {claimed:,} bytes are missing — was the paste cut short?" in message
    base64_lines = [i + 1 for i, line in enumerate(cut) if re.fullmatch(r"[A-Za-z0-9+/=]+", line.strip())]
    assert f"(base64 lines {base64_lines[0]}–{base64_lines[-1]} read" in message
    assert "offset" not in message


def test_a_der_certificate_given_as_pkcs12_is_named(pki3, tmp_path):
    (tmp_path / "leaf.der").write_bytes(pki3["leaf"].public_bytes(serialization.Encoding.DER))
    proc = rc(cli("info", tmp_path / "leaf.der", "--passin", f"pass:{PASSWORD}"), 3)
    assert "X.509 certificate (DER), not a PKCS#12" in err(proc)


# --- What was seen 9: the smaller gaps ------------------------------------------------------


def test_seen_9_prompt_on_the_controlling_terminal_when_stdin_is_the_data(tmp_path):
    import fcntl
    import select
    import termios
    import time

    master, slave = os.openpty()

    def controlling_terminal():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "pkcs12kit", "info", "-", *AT], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=controlling_terminal, pass_fds=(slave,))
    os.close(slave)
    proc.stdin.write(SAMPLE.encode())
    proc.stdin.close()
    proc.stdin = None
    shown, answered = b"", False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    shown += os.read(master, 4096)
                except OSError:
                    break
                if not answered and b": " in shown:
                    os.write(master, b"cisco123\n")
                    answered = True
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert b"Enter password for <stdin>" in shown and b"cisco123" not in shown
    assert b"profile: custom" in stdout


def test_seen_9_show_previews_every_trustpoint(pki3):
    text = out(rc(cli("show", pki3["full"], "--platform", "asa", "--trustpoint", "VPN", "--passin",
                      f"pass:{PASSWORD}"), 0))
    assert text.count("Associated Trustpoints: VPN\n") == 2 and "Associated Trustpoints: VPN-1" in text
    (root_block,) = [block for block in text.split("\n\n") if "Associated Trustpoints: VPN-1" in block]
    assert "Test Root CA" in root_block and root_block.startswith("CA Certificate")
    text = out(rc(cli("show", pki3["full"], "--platform", "ios", "--trustpoint", "TP", "--passin",
                      f"pass:{PASSWORD}"), 0))
    assert "Associated Trustpoints: TP-rrr1" in text


def test_seen_9_convert_to_ios_pem_follows_the_grammar_and_openssl_reads_it(pki3, tmp_path):
    proc = rc(cli("convert", pki3["full"], "-o", tmp_path / "pem.txt", "--to", "ios-pem", "--trustpoint", "VPN",
                  "--passin", f"pass:{PASSWORD}", *AT), 0)
    assert "Traceback" not in err(proc)
    text = (tmp_path / "pem.txt").read_text()
    lines = text.splitlines()
    # docs/cisco-formats.md#grammar: the command, CA certificate, quit, key, quit, certificate, quit.
    assert lines[0] == f"crypto pki import VPN pem terminal password {PASSWORD}"
    assert lines.count("quit") == 3 and lines[-1] == "quit"
    blocks = re.findall(r"-----BEGIN ([A-Z ]+)-----\n(.*?)-----END \1-----", text, re.S)
    ca, key, leaf = (text.split("quit\n")[i] for i in range(3))
    (tmp_path / "ca.pem").write_text(ca.split("\n", 1)[1])
    (tmp_path / "key.pem").write_text(key)
    (tmp_path / "leaf.pem").write_text(leaf)
    assert len(blocks) == 3
    got = openssl("pkey", "-in", tmp_path / "key.pem", "-passin", f"pass:{PASSWORD}", "-pubout").stdout
    assert got == pki3["leaf_key"].public_key().public_bytes(serialization.Encoding.PEM,
                                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    assert x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes()) == pki3["inter"]
    assert x509.load_pem_x509_certificate((tmp_path / "leaf.pem").read_bytes()) == pki3["leaf"]
    # A password IOS refuses for PEM (under 8 characters) is refused here too.
    rc(cli("convert", pki3["full"], "-o", tmp_path / "p2.txt", "--to", "ios-pem", "--passin", f"pass:{PASSWORD}",
           "--passout", "pass:short1", *AT), 7)


# --- every --help example runs ----------------------------------------------------------------


def help_examples() -> list[str]:
    from pkcs12kit.cli.parser import _EXAMPLES, build_parser

    texts = [*_EXAMPLES.values(), build_parser().epilog]
    commands = []
    for text in texts:
        body = text.split("examples:\n", 1)[1].split("\n\n", 1)[0]
        joined = body.replace("\\\n", " ")
        commands += [line.strip() for line in joined.splitlines() if line.strip()]
    return sorted(set(commands))


@pytest.fixture(scope="module")
def example_files(tmp_path_factory):
    """The files the examples name, made with cryptography and openssl; certificates valid from
    2000 to 9999 (RFC 5280's "no well-defined expiration"), so no example depends on the date."""
    directory = tmp_path_factory.mktemp("examples")
    forever = {"at": datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc), "days": (0, 2900000)}
    root_key, inter_key = ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(ec.SECP256R1())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = certificate("Example Root CA", root_key, ca=True, **forever)
    inter = certificate("Example Issuing CA", inter_key, root.subject, root_key, ca=True, **forever)
    leaf = certificate("vpn.example.com", key, inter.subject, inter_key, san=["vpn.example.com"],
                       eku=[ExtendedKeyUsageOID.SERVER_AUTH], **forever)
    (directory / "server.key").write_bytes(pem(key))
    (directory / "server.crt").write_bytes(pem(leaf))
    (directory / "ca.pem").write_bytes(pem(inter, root))
    (directory / "bundle.pem").write_bytes(pem(key, leaf, inter, root))
    common = ["-inkey", directory / "server.key", "-in", directory / "server.crt", "-certfile", directory / "ca.pem",
              "-passout", "pass:cisco123"]
    openssl("pkcs12", "-export", "-out", directory / "server.p12", *common, "-keypbe", "PBE-SHA1-3DES",
            "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1")
    openssl("pkcs12", "-export", "-out", directory / "openssl3.p12", *common)
    (directory / "old.p12").write_bytes((directory / "server.p12").read_bytes())
    (directory / "pw.txt").write_text("cisco123\nNewPass123\n")
    (directory / "keypass.txt").write_text("KeyPass123\n")
    openssl("pkey", "-in", directory / "server.key", "-aes256", "-passout", "pass:KeyPass123", "-out", directory / "enc.key")
    body = base64.encodebytes((directory / "server.p12").read_bytes()).decode().replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    (directory / "asa-export.txt").write_text("\n".join(["Exported pkcs12 follows:", "-----BEGIN PKCS12-----", *lines,
                                                         "-----END PKCS12-----"]) + "\n")
    (directory / "router-paste.txt").write_text(SAMPLE)
    # scan's examples: a backup folder, a password map (glob<TAB>password), loose files
    (directory / "backups").mkdir()
    for name in ("server.p12", "openssl3.p12", "asa-export.txt"):
        shutil.copy(directory / name, directory / "backups" / name)
    (directory / "pw.map").write_text("*\tcisco123\n")
    shutil.copy(directory / "server.p12", directory / "a.p12")
    shutil.copy(directory / "server.p12", directory / "b.pfx")
    # repack's -twopass example (openssl writes -twopass only from a terminal; the file's
    # content is what matters here, not its producer)
    import pkcs12kit

    two = pkcs12kit.load(directory / "server.p12", "cisco123")
    (directory / "twopass.p12").write_bytes(pkcs12kit.dumps(two, "cisco123", mac_password="MacPass123",
                                                            profile=pkcs12kit.LEGACY_3DES))
    bin_dir = tmp_path_factory.mktemp("bin")
    (bin_dir / "pkcs12kit").write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m pkcs12kit \"$@\"\n")
    (bin_dir / "pkcs12kit").chmod(0o755)
    return directory, bin_dir


@pytest.mark.parametrize("example", help_examples())
def test_every_help_example_runs(example, example_files, tmp_path, openssl_tool):
    directory, bin_dir = example_files
    work = tmp_path / "work"
    shutil.copytree(directory, work)
    env = {key: value for key, value in os.environ.items() if key != "PKCS12KIT_DEBUG"}
    env.update(PATH=f"{bin_dir}{os.pathsep}{os.path.dirname(openssl_tool)}{os.pathsep}{env.get('PATH', '')}",
               PYTHONPATH=str(ROOT), P12PASS="cisco123", KEYPASS="KeyPass123", MACPASS="MacPass123")
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", example], cwd=work, env=env, capture_output=True,
                          timeout=120, start_new_session=True)
    message = proc.stderr.decode()
    assert "pkcs12kit: error" not in message and "usage:" not in message, message
    # check and scan report findings with exit 1 (their documented contract); the rest must succeed
    allowed = {0, 1} if example.startswith(("pkcs12kit check", "pkcs12kit scan")) and "||" not in example else {0}
    assert proc.returncode in allowed, message + proc.stdout.decode()


def test_show_summarises_many_certificates_outside_the_chain(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    others = [certificate(f"other {n}", key, ca=True) for n in range(30)]
    leaf = certificate("host.example.com", key, san=["host.example.com"])
    path = export(tmp_path, "store", key, leaf, others)
    proc = rc(cli("show", path, "--platform", "asa", "--passin", f"pass:{PASSWORD}"), 0)
    lines = [line for line in err(proc).splitlines() if "not in the identity's chain" in line]
    assert len(lines) == 1 and "30 certificates: same warning:" in lines[0]
    # openssl agrees there are 31 certificates in the file.
    certs = openssl("pkcs12", "-in", path, "-passin", f"pass:{PASSWORD}", "-nokeys").stdout
    assert certs.count(b"BEGIN CERTIFICATE") == 31
