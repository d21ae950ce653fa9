"""The fix-closure property (issue 11): for every finding `check` reports on every corpus file, for
every target, applying the ``fix:`` line it printed gives a file on which that finding is gone and
no new error appears.

The corpus: the stored vectors that open (the IOS-XE export, RFC 9579 A.1-A.3) and files made by
the openssl program from the session PKI (OpenSSL 3 defaults, ``-legacy``, ``-descert``,
``-nomac``, no encryption, EC keys, a missing issuer, no root, an unrelated certificate, no key,
passwords the devices cannot take). Fixes in words (a new key or certificate is needed) are
listed in MANUAL; every other fix is run as printed, in-process, in a scratch directory.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import shutil
from pathlib import Path

import pytest

from pkcs12kit import targets
from pkcs12kit.cli import main
from tools import make_cert, make_key, openssl

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors"
NEWPASS = "Fresh2Pass9"

# Codes whose fix needs a new key or certificate from a CA: advice in words, not a command.
MANUAL = {
    "certificate-expired", "certificate-not-yet-valid", "certificate-expires-soon", "key-certificate-mismatch",
    "rsa-key-weak", "weak-signature", "identity-is-ca", "chain-signature-invalid", "eku-missing",
    "no-subject-alt-name", "cn-not-in-san", "key-type-ec-unsupported", "key-type-unsupported",
    "ec-key-ssh-hostkey", "ec-explicit-parameters", "rsa-key-too-large", "rsassa-pss-certificate",
    "key-unreadable", "no-private-key", "no-certificate", "multiple-keys", "intermediate-trustpoints",
}


def run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main([*argv])
    return code, stdout.getvalue(), stderr.getvalue()


def report(path: str, target: str, password_var: str, at: str) -> list[tuple[str, str, str]]:
    """(code, severity, fix line) as `check` prints them."""
    code, text, errors = run("check", path, "--target", target, "--passin", f"env:{password_var}", "--at", at)
    assert code in (0, 1), errors
    found, lines = [], text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(("error: ", "warning: ", "note: ")) and not line.startswith("error: hostname"):
            severity, code_, _ = line.split(": ", 2)
            fix = lines[index + 1]
            assert fix.startswith("  fix: "), text
            found.append((code_, severity, fix[len("  fix: "):]))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, pki, openssl_tool):
    """name -> (path, password, --at date, {placeholder file: PEM})."""
    directory = tmp_path_factory.mktemp("corpus")
    files = {}
    shutil.copy(VECTORS / "cisco" / "iosxe-export-pkcs12-terminal.txt", directory / "iosxe.txt")
    files["iosxe.txt"] = ("cisco123", "2026-06-01")
    for n in (1, 2, 3):
        (source,) = (VECTORS / "rfc9579").glob(f"rfc9579-a{n}-*.p12")
        shutil.copy(source, directory / f"rfc9579-a{n}.p12")
        files[f"rfc9579-a{n}.p12"] = ("1234", "2026-06-01")
    rsa_leaf, ec_leaf = pki.leaf("rsa2048"), pki.leaf("p256")
    at = (pki.root.cert.not_valid_before_utc.date().toordinal() + 2)
    at_text = __import__("datetime").date.fromordinal(at).isoformat()
    unrelated_key = make_key("p256")
    unrelated = make_cert("unrelated CA", unrelated_key.public_key(), None, unrelated_key, ca=True)
    (directory / "unrelated.pem").write_bytes(unrelated.public_bytes(__import__(
        "cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]).Encoding.PEM))
    (directory / "with-unrelated.pem").write_bytes(pki.chain_path.read_bytes() + (directory / "unrelated.pem").read_bytes())
    legacy = ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1"]
    recipes = {
        "default.p12": (rsa_leaf, pki.chain_path, [], PASSWORD_OK),
        "legacy.p12": (rsa_leaf, pki.chain_path, ["-legacy"], PASSWORD_OK),
        "descert.p12": (rsa_leaf, pki.chain_path, ["-descert"], PASSWORD_OK),
        "nomac.p12": (rsa_leaf, pki.chain_path, [*legacy[:4], "-nomac"], PASSWORD_OK),
        "plain.p12": (rsa_leaf, pki.chain_path, ["-keypbe", "NONE", "-certpbe", "NONE"], PASSWORD_OK),
        "ec.p12": (ec_leaf, pki.chain_path, legacy, PASSWORD_OK),
        "alone.p12": (rsa_leaf, None, legacy, PASSWORD_OK),
        "noroot.p12": (rsa_leaf, pki.intermediate.cert_path, legacy, PASSWORD_OK),
        "unrelated.p12": (rsa_leaf, directory / "with-unrelated.pem", legacy, PASSWORD_OK),
        "nokey.p12": (rsa_leaf, pki.chain_path, [*legacy, "-nokeys"], PASSWORD_OK),
        "symbols.p12": (rsa_leaf, pki.chain_path, legacy, "what?now 1"),
        "short.p12": (rsa_leaf, pki.chain_path, legacy, "abc"),
    }
    for name, (leaf, chain, extra, password) in recipes.items():
        args = ["pkcs12", "-export", "-out", directory / name, "-in", leaf.cert_path, "-passout", f"pass:{password}"]
        if "-nokeys" not in extra:
            args += ["-inkey", leaf.key_path]
        if chain is not None:
            args += ["-certfile", chain]
        openssl(*args, *extra)
        files[name] = (password, at_text)
    supplies = {"ISSUER-CA.pem": pki.intermediate.cert_path.read_bytes(), "ROOT-CA.pem": pki.root.cert_path.read_bytes()}
    return directory, files, supplies


PASSWORD_OK = "Secret123"


def test_every_printed_fix_removes_its_finding_and_adds_no_error(corpus, tmp_path, monkeypatch):
    directory, files, supplies = corpus
    applied, manual_seen, checked = 0, set(), 0
    cwd = os.getcwd()
    try:
        for name, (password, at) in files.items():
            monkeypatch.setenv("P12PASS", password)
            monkeypatch.setenv("NEWPASS", NEWPASS)
            for target in targets.TARGETS:
                os.chdir(directory)
                findings = report(name, target, "P12PASS", at)
                before_errors = {code for code, severity, _ in findings if severity == "error"}
                for number, (code, severity, fix) in enumerate(findings):
                    checked += 1
                    assert "dumps(" not in fix and "PKCS12." not in fix, fix
                    if not fix.startswith("pkcs12kit "):
                        assert code in MANUAL, (name, target, code, fix)
                        manual_seen.add(code)
                        continue
                    work = tmp_path / f"{name}-{target}-{number}-{code}"
                    work.mkdir()
                    shutil.copy(directory / name, work / name)
                    for placeholder, data in supplies.items():
                        if placeholder in fix:
                            (work / placeholder).write_bytes(data)
                    os.chdir(work)
                    argv = shlex.split(fix.split("   #", 1)[0])[1:]
                    status, _, errors = run(*argv, "--at", at)
                    assert status == 0, (name, target, code, fix, errors)
                    out = shlex.split(fix)[shlex.split(fix).index("-o") + 1]
                    variable = "NEWPASS" if "--passout env:NEWPASS" in fix else "P12PASS"
                    after = report(out, target, variable, at)
                    assert code not in {c for c, _, _ in after}, (name, target, code, fix, after)
                    new_errors = {c for c, s, _ in after if s == "error"} - before_errors
                    assert not new_errors, (name, target, code, fix, new_errors)
                    applied += 1
                    os.chdir(directory)
    finally:
        os.chdir(cwd)
    # The corpus exercises the fixes that matter: re-encoding, passwords, and the chain.
    assert applied >= 50 and checked > applied
    print(f"{checked} findings, {applied} fixes applied, manual: {sorted(manual_seen)}")
