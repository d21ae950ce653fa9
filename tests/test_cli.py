"""The pkcs12kit command, end to end: each subcommand runs as ``python -m pkcs12kit`` in a
subprocess, and what it writes is checked with the openssl program and ``cryptography``.

Independent truth: files made by ``openssl pkcs12 -export`` (OpenSSL 3 defaults), keys and
certificates made with ``cryptography`` (tests/tools.py), and openssl reading what the command
writes. Nothing here compares pkcs12kit's output with pkcs12kit's own reading of it alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tools import openssl, pem_ders

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Secret123"


def cli(*args, input: bytes | None = None, env: dict | None = None, cwd=None, pass_fds=(), preexec_fn=None):
    """Run ``python -m pkcs12kit`` with the repository on PYTHONPATH; stdin is never a TTY, and
    the child has no controlling terminal (its own session), so it can never prompt."""
    full_env = {key: value for key, value in os.environ.items() if key != "PKCS12KIT_DEBUG"}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pkcs12kit", *map(str, args)],
        input=input if input is not None else b"",
        capture_output=True, env=full_env, cwd=cwd, timeout=60, pass_fds=pass_fds,
        preexec_fn=preexec_fn, start_new_session=True,  # no controlling terminal to prompt on
    )


def stderr(proc) -> str:
    return proc.stderr.decode("utf-8", "replace")


def stdout(proc) -> str:
    return proc.stdout.decode("utf-8", "replace")


def ok(proc) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"exit {proc.returncode}: {stderr(proc)}"
    assert "Traceback" not in stderr(proc)
    return proc


def failed(proc, code: int) -> str:
    """Assert exit ``code`` and the one-line error format; return the message."""
    message = stderr(proc)
    assert proc.returncode == code, f"expected exit {code}, got {proc.returncode}: {message}"
    assert "Traceback" not in message
    last = message.rstrip("\n").splitlines()[-1] if message.strip() else ""
    assert last.startswith("pkcs12kit: error: ") or message.startswith("usage:"), message
    return message


def der_of_pem_key(pem: bytes, password: bytes | None = None) -> bytes:
    key = serialization.load_pem_private_key(pem, password)
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def openssl_contents(path: Path, password: str, *, legacy: bool = False) -> tuple[bytes, list[bytes]]:
    """(PKCS#8 key DER, certificate DERs) as the openssl program extracts them."""
    extra = ["-legacy"] if legacy else []
    keys = openssl("pkcs12", "-in", path, "-passin", f"pass:{password}", "-nocerts", "-nodes", *extra).stdout
    certs = openssl("pkcs12", "-in", path, "-passin", f"pass:{password}", "-nokeys", *extra).stdout
    return der_of_pem_key(keys), pem_ders(certs)


def openssl_key(path: Path, password: str) -> bytes:
    """The private key of a PEM file as the openssl program decrypts it, as PKCS#8 DER."""
    return der_of_pem_key(openssl("pkey", "-in", path, "-passin", f"pass:{password}").stdout)


def mac_of(path: Path, password: str) -> str:
    """openssl's 'MAC: sha1, Iteration 2048' line."""
    info = openssl("pkcs12", "-in", path, "-passin", f"pass:{password}", "-info", "-noout").stderr.decode()
    return re.search(r"^MAC: .*$", info, re.M).group(0)


def no_temporaries(directory: Path) -> bool:
    return not [p for p in directory.iterdir() if p.name.startswith(".pkcs12kit-")]


@pytest.fixture(scope="module")
def leaf(pki):
    return pki.leaf("rsa2048")


@pytest.fixture(scope="module")
def openssl3(tmp_path_factory, pki, leaf, openssl_tool) -> Path:
    """An OpenSSL 3 default export (PBES2/AES-256, HMAC-SHA256): leaf, intermediate, root."""
    path = tmp_path_factory.mktemp("openssl3") / "openssl3.p12"
    openssl("pkcs12", "-export", "-out", path, "-inkey", leaf.key_path, "-in", leaf.cert_path,
            "-certfile", pki.chain_path, "-passout", f"pass:{PASSWORD}", "-name", "server")
    return path


@pytest.fixture
def work(tmp_path, openssl3) -> Path:
    """A scratch directory holding a copy of the OpenSSL 3 file as in.p12."""
    (tmp_path / "in.p12").write_bytes(openssl3.read_bytes())
    return tmp_path


# --- help, exit codes ----------------------------------------------------------------------


COMMANDS = ("info", "show", "convert", "repack", "create", "extract", "check", "cisco-import", "demo")


def test_help_documents_exit_codes_and_every_command_has_examples(capsys):
    from pkcs12kit import cli as module

    for argv in ([], *([name] for name in COMMANDS)):
        with pytest.raises(SystemExit) as exit_info:
            module.main([*argv, "--help"])
        assert exit_info.value.code == 0
        text = capsys.readouterr().out
        assert "exit codes:" in text and "4  wrong password" in text
        assert "examples:" in text
        assert "pass:TEXT" in text
    # The documented table is the one the code uses.
    from pkcs12kit.errors import BadPasswordError, EncodeError, LimitExceededError, MalformedError
    from pkcs12kit.errors import UnsupportedAlgorithmError

    codes = {MalformedError: 3, BadPasswordError: 4, UnsupportedAlgorithmError: 5, LimitExceededError: 6,
             EncodeError: 7}
    assert {kind: module.exit_code(kind("x")) for kind in codes} == codes


def test_the_parser_of_one_command_parses_as_the_whole_parser():
    """`main` builds only the named command's arguments (start-up time); every example of every
    command's help parses to the same namespace as with the whole parser, and the commands
    `main` knows are the parser's."""
    import argparse
    import shlex

    from pkcs12kit import cli as module
    from pkcs12kit.cli.parser import _EXAMPLES, build_parser

    whole = build_parser()
    subparsers = next(action for action in whole._actions if isinstance(action, argparse._SubParsersAction))
    assert set(subparsers.choices) == set(module._COMMAND_NAMES) == set(_EXAMPLES)
    parsed = 0
    for text in _EXAMPLES.values():
        for line in text.replace("\\\n", " ").splitlines():
            words = shlex.split(line.split("|")[0].split(">")[0], comments=True)  # no pipes, no redirections
            if len(words) < 2 or words[0] != "pkcs12kit":
                continue
            alone = build_parser(words[1]).parse_args(words[1:])
            assert alone == whole.parse_args(words[1:]), line
            parsed += 1
    assert parsed > 20


def test_the_program_freezes_its_imports_out_of_the_collector_and_exits_with_mains_code(tmp_path):
    """`cli.run` (the console script, ``python -m pkcs12kit``) freezes what is imported before
    `main` runs, keeps the collector on, and exits with `main`'s code."""
    probe = ("import atexit, gc, sys\n"
             "from pkcs12kit.cli import run\n"
             "atexit.register(lambda: print(gc.get_freeze_count(), gc.isenabled()))\n"
             "sys.argv = ['pkcs12kit', 'info', sys.argv[1], '--passin', 'pass:x']\n"
             "run()\n")
    missing = tmp_path / "missing.p12"
    done = subprocess.run([sys.executable, "-c", probe, str(missing)], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr  # main's exit code for a missing file
    frozen, enabled = done.stdout.split()
    assert int(frozen) > 5_000 and enabled == "True"


def test_version_prints_the_installed_package_version():
    """``pkcs12kit --version`` prints the version pip installed (the distribution's metadata)."""
    from importlib import metadata

    done = cli("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == f"pkcs12kit {metadata.version('pkcs12kit')}\n"


def test_usage_error_is_exit_2():
    proc = cli("check", "whatever.p12", "--target", "no-such-target")
    assert proc.returncode == 2
    assert "unknown target 'no-such-target'" in stderr(proc)


# --- info ----------------------------------------------------------------------------------


def test_info_summarises_an_openssl3_file(openssl3, leaf, pki):
    text = stdout(ok(cli("info", openssl3, "--passin", f"pass:{PASSWORD}")))
    assert "profile: MODERN" in text
    assert "MAC: HMAC-SHA256, 2048 iterations, 8-byte salt, verified" in text
    assert "PBES2 PBKDF2-HMAC-SHA256 aes256_cbc" in text
    assert "key [0]: rsa 2048 bits" in text
    assert "friendly name: 'server'" in text
    assert "CN=pkcs12kit test leaf rsa2048" in text
    assert "issuer: CN=pkcs12kit test intermediate CA" in text
    assert f"serial: {leaf.cert.serial_number:X}".upper()[-10:] in text.upper()
    assert hashlib.sha256(leaf.cert_der).hexdigest() in text
    assert "identity: key [0], certificate [0]; chain (leaf to root): [1] -> [2]" in text


def test_info_gives_the_garbage_collector_back_as_it_found_it(openssl3, tmp_path):
    """`info` pauses the cyclic collector while it lists (docs/performance.md): afterwards it is
    enabled again, or still disabled if the caller had disabled it, also when the command fails."""
    import gc

    from pkcs12kit import cli as cli_module

    bad = tmp_path / "bad.p12"
    bad.write_bytes(b"\x30\x03\x02\x01\x03")
    assert gc.isenabled()
    for argv, code in ((["info", str(openssl3), "--passin", f"pass:{PASSWORD}"], 0), (["info", str(bad)], 3)):
        assert cli_module.main(argv) == code
        assert gc.isenabled()
        gc.disable()
        try:
            assert cli_module.main(argv) == code
            assert not gc.isenabled()
        finally:
            gc.enable()


INFO_KEYS = {"schema", "file", "form", "profile", "password_encoding", "mac", "trailing_zero_bytes", "safes", "keys",
             "certificates", "identity", "crls", "secrets", "unknown_bags", "health"}


def test_info_json_has_the_documented_schema_and_true_values(openssl3, leaf, pki):
    doc = json.loads(ok(cli("info", openssl3, "--passin", f"pass:{PASSWORD}", "--json")).stdout)
    assert set(doc) == INFO_KEYS
    assert doc["schema"] == "pkcs12kit-info/1" and doc["form"] == "der" and doc["profile"] == "MODERN"
    # openssl's own report of the MAC
    assert mac_of(openssl3, PASSWORD) == f"MAC: {doc['mac']['digest']}, Iteration {doc['mac']['iterations']}"
    assert doc["mac"]["verified"] is True and doc["mac"]["kind"] == "hmac"
    assert [safe["kind"] for safe in doc["safes"]] == ["encryptedData", "data"]
    (key,) = doc["keys"]
    assert (key["algorithm"], key["bits"], key["friendly_name"]) == ("rsa", leaf.key.key_size, "server")
    assert key["local_key_id"] == hashlib.sha1(leaf.cert_der).hexdigest()  # what openssl writes
    assert key["protection"]["scheme"] == "pbes2" and key["protection"]["cipher"] == "aes256_cbc"
    expected = [leaf.cert, pki.intermediate.cert, pki.root.cert]
    assert [c["sha256"] for c in doc["certificates"]] == [
        hashlib.sha256(c.public_bytes(serialization.Encoding.DER)).hexdigest() for c in expected
    ]
    assert [int(c["serial"], 16) for c in doc["certificates"]] == [c.serial_number for c in expected]
    assert [c["subject"] for c in doc["certificates"]] == [c.subject.rfc4514_string() for c in expected]
    assert doc["certificates"][0]["not_after"] == expected[0].not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert doc["certificates"][2]["self_issued"] is True and doc["certificates"][2]["ca"] is True
    assert doc["identity"] == {"key": 0, "certificate": 0, "chain": [1, 2]}
    assert doc["crls"] == doc["secrets"] == doc["unknown_bags"] == []


def test_info_reads_every_input_form_and_stdin(openssl3, tmp_path):
    der = openssl3.read_bytes()
    b64 = base64.encodebytes(der)
    armored = b"-----BEGIN PKCS12-----\n" + base64.encodebytes(der) + b"-----END PKCS12-----\n"
    (tmp_path / "b64.txt").write_bytes(b64)
    (tmp_path / "armored.pem").write_bytes(armored)
    forms = {
        "b64.txt": "base64",
        "armored.pem": "pem",
    }
    for name, form in forms.items():
        doc = json.loads(ok(cli("info", tmp_path / name, "--passin", f"pass:{PASSWORD}", "--json")).stdout)
        assert doc["form"] == form and len(doc["certificates"]) == 3
    doc = json.loads(ok(cli("info", "-", "--passin", f"pass:{PASSWORD}", "--json", input=der)).stdout)
    assert doc["file"] == "<stdin>" and doc["form"] == "der"


def test_info_of_a_passwordless_file_needs_no_password(tmp_path, leaf, openssl_tool):
    path = tmp_path / "nopass.p12"
    openssl("pkcs12", "-export", "-out", path, "-inkey", leaf.key_path, "-in", leaf.cert_path,
            "-keypbe", "NONE", "-certpbe", "NONE", "-nomac", "-passout", "pass:")
    doc = json.loads(ok(cli("info", path, "--json")).stdout)
    assert doc["mac"] is None and doc["keys"][0]["protection"] is None


# --- errors --------------------------------------------------------------------------------


def test_wrong_password_is_exit_4_and_never_echoed(openssl3):
    message = failed(cli("info", openssl3, "--passin", "pass:Wrong-Password-987"), 4)
    assert "MAC" in message and "Wrong-Password-987" not in message


def test_missing_password_without_a_terminal_is_exit_4_with_advice(openssl3):
    message = failed(cli("info", openssl3), 4)
    assert "--passin" in message and "not a terminal" in message


def test_missing_file_is_exit_2(tmp_path):
    message = failed(cli("info", tmp_path / "absent.p12", "--passin", "pass:x"), 2)
    assert "absent.p12: no such file or directory" in message


def test_broken_base64_is_exit_3_with_the_line_number(openssl3, tmp_path):
    lines = base64.encodebytes(openssl3.read_bytes()).decode().splitlines()
    lines[4] = lines[4][:10] + "!" + lines[4][11:]
    path = tmp_path / "broken.txt"
    path.write_text("\n".join(lines) + "\n")
    message = failed(cli("info", path, "--passin", f"pass:{PASSWORD}"), 3)
    assert "broken.txt: line 5: invalid base64 character '!'" in message


def test_not_pkcs12_is_exit_3(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text("hello, this is not a key store\n")
    assert "no PKCS#12 data found" in failed(cli("info", path), 3)


def test_password_source_errors_name_the_source_not_the_password(openssl3, tmp_path):
    message = failed(cli("info", openssl3, "--passin", "env:PKCS12KIT_NO_SUCH_VAR"), 2)
    assert "env:PKCS12KIT_NO_SUCH_VAR" in message and "not set" in message
    message = failed(cli("info", openssl3, "--passin", f"file:{tmp_path / 'nope.txt'}"), 2)
    assert "nope.txt" in message
    # A password typed without a source prefix is refused without being echoed.
    message = failed(cli("info", openssl3, "--passin", "hunter2:xyz"), 2)
    assert "hunter2" not in message and "pass:TEXT" in message


# --- password sources ----------------------------------------------------------------------


def test_password_sources_pass_env_file_fd_stdin(openssl3, tmp_path):
    def opened(proc):
        assert json.loads(ok(proc).stdout)["mac"]["verified"] is True

    opened(cli("info", openssl3, "--json", "--passin", f"pass:{PASSWORD}"))
    opened(cli("info", openssl3, "--json", "--passin", "env:P12PASS", env={"P12PASS": PASSWORD}))
    (tmp_path / "pw.txt").write_text(PASSWORD + "\r\nsecond line\n")
    opened(cli("info", openssl3, "--json", "--passin", f"file:{tmp_path / 'pw.txt'}"))
    opened(cli("info", openssl3, "--json", "--passin", "stdin", input=(PASSWORD + "\n").encode()))
    read_end, write_end = os.pipe()
    os.write(write_end, (PASSWORD + "\n").encode())
    os.close(write_end)
    try:
        opened(cli("info", openssl3, "--json", "--passin", f"fd:{read_end}", pass_fds=(read_end,)))
    finally:
        os.close(read_end)


def test_same_file_for_passin_and_passout_gives_line_1_then_line_2(work, openssl_tool):
    (work / "pw.txt").write_text(f"{PASSWORD}\nNewPass456\n")
    ok(cli("repack", work / "in.p12", "-o", work / "out.p12",
           "--passin", f"file:{work / 'pw.txt'}", "--passout", f"file:{work / 'pw.txt'}"))
    assert openssl_contents(work / "out.p12", "NewPass456") == openssl_contents(work / "in.p12", PASSWORD)


def test_stdin_cannot_be_both_input_and_password(openssl3):
    message = failed(cli("info", "-", "--passin", "stdin", input=openssl3.read_bytes()), 2)
    assert "standard input" in message


# --- output safety -------------------------------------------------------------------------


def test_existing_output_is_refused_without_force_and_left_untouched(work):
    target = work / "out.p12"
    target.write_bytes(b"precious")
    before = target.stat()
    message = failed(cli("repack", work / "in.p12", "-o", target, "--passin", f"pass:{PASSWORD}"), 2)
    assert "exists" in message and "--force" in message
    assert target.read_bytes() == b"precious" and target.stat().st_mtime_ns == before.st_mtime_ns
    for args in (("extract", work / "in.p12", "-o", target, "--nodes"),
                 ("convert", work / "in.p12", "-o", target, "--to", "asa")):
        failed(cli(*args, "--passin", f"pass:{PASSWORD}"), 2)
        assert target.read_bytes() == b"precious"
    ok(cli("repack", work / "in.p12", "-o", target, "--passin", f"pass:{PASSWORD}", "--force"))
    assert target.read_bytes()[:1] == b"\x30"
    assert no_temporaries(work)


def test_output_equal_to_input_is_refused_even_with_force(work):
    original = (work / "in.p12").read_bytes()
    os.link(work / "in.p12", work / "hardlink.p12")
    os.symlink(work / "in.p12", work / "symlink.p12")
    for output in (work / "in.p12", work / "hardlink.p12", work / "symlink.p12", Path("in.p12")):
        message = failed(cli("repack", work / "in.p12", "-o", output, "--passin", f"pass:{PASSWORD}",
                             "--force", cwd=work), 2)
        assert "input" in message
    failed(cli("extract", work / "in.p12", "-o", work / "in.p12", "--force", "--nodes",
               "--passin", f"pass:{PASSWORD}"), 2)
    failed(cli("convert", work / "in.p12", "-o", work / "hardlink.p12", "--to", "der", "--force",
               "--passin", f"pass:{PASSWORD}"), 2)
    assert (work / "in.p12").read_bytes() == original
    assert no_temporaries(work)


def test_in_place_repack_keeps_a_backup(work, openssl_tool):
    original = (work / "in.p12").read_bytes()
    os.chmod(work / "in.p12", 0o640)
    ok(cli("repack", work / "in.p12", "--in-place", "--target", "asa", "--passin", f"pass:{PASSWORD}"))
    assert (work / "in.p12.bak").read_bytes() == original
    assert (work / "in.p12").stat().st_mode & 0o777 == 0o640  # permissions kept
    assert mac_of(work / "in.p12", PASSWORD) == "MAC: sha1, Iteration 2048"
    assert openssl_contents(work / "in.p12", PASSWORD) == openssl_contents(work / "in.p12.bak", PASSWORD)
    # A second in-place run would overwrite the backup: refused without --force.
    message = failed(cli("repack", work / "in.p12", "--in-place", "--passin", f"pass:{PASSWORD}"), 2)
    assert "in.p12.bak" in message
    assert (work / "in.p12.bak").read_bytes() == original
    # Through a symbolic link: the file it points to is replaced, the link stays.
    os.symlink(work / "in.p12", work / "link.p12")
    repacked = (work / "in.p12").read_bytes()
    ok(cli("repack", work / "link.p12", "--in-place", "--force", "--passin", f"pass:{PASSWORD}",
           "--passout", "pass:Linked123"))
    assert (work / "link.p12").is_symlink() and (work / "in.p12.bak").read_bytes() == repacked
    assert openssl_contents(work / "link.p12", "Linked123") == openssl_contents(work / "in.p12.bak", PASSWORD)


def _limit_file_size():
    # A write past 2000 bytes fails with EFBIG (SIGXFSZ ignored): a failure in the middle of
    # writing the output, after the temporary file was created.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


def test_a_failure_while_writing_leaves_no_partial_or_temporary_file(work):
    out = work / "out" / "new.p12"
    out.parent.mkdir()
    message = failed(cli("repack", work / "in.p12", "-o", out, "--passin", f"pass:{PASSWORD}",
                         preexec_fn=_limit_file_size), 2)
    assert "too large" in message.lower()
    assert list(out.parent.iterdir()) == []
    # The same through a pre-existing file and --force: the old content survives.
    out.write_bytes(b"old content")
    failed(cli("repack", work / "in.p12", "-o", out, "--force", "--passin", f"pass:{PASSWORD}",
               preexec_fn=_limit_file_size), 2)
    assert out.read_bytes() == b"old content" and no_temporaries(out.parent)


def test_der_to_stdout_is_binary(work, openssl_tool):
    proc = ok(cli("repack", work / "in.p12", "-o", "-", "--target", "asa", "--passin", f"pass:{PASSWORD}"))
    (work / "piped.p12").write_bytes(proc.stdout)
    assert openssl_contents(work / "piped.p12", PASSWORD) == openssl_contents(work / "in.p12", PASSWORD)


# --- repack and check ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def direct(tmp_path_factory, pki, leaf, openssl_tool):
    """An OpenSSL 3 default export of a leaf issued straight by a root CA (a chain the ASA puts
    in one trustpoint), with the leaf key of `leaf`: (path, leaf DER, root DER)."""
    from tools import make_cert, make_key

    directory = tmp_path_factory.mktemp("direct")
    root_key = make_key("p256")
    root = make_cert("pkcs12kit direct root CA", root_key.public_key(), None, root_key, ca=True)

    class Issuer:
        cert, key = root, root_key

    cert = make_cert("vpn.example.com", leaf.key.public_key(), Issuer, root_key, ca=False)
    (directory / "leaf.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "root.crt").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    path = directory / "direct.p12"
    openssl("pkcs12", "-export", "-out", path, "-inkey", leaf.key_path, "-in", directory / "leaf.crt",
            "-certfile", directory / "root.crt", "-passout", f"pass:{PASSWORD}")
    return path, cert.public_bytes(serialization.Encoding.DER), root.public_bytes(serialization.Encoding.DER)


def test_repack_for_the_asa_passes_check_and_openssl_reads_the_same_contents(tmp_path, direct, leaf):
    source, leaf_der, root_der = direct
    before = cli("check", source, "--target", "asa", "--passin", f"pass:{PASSWORD}")
    assert before.returncode == 1, stderr(before)
    assert "error: pbes2-unsupported" in stdout(before)
    assert "warning: mac-sha256-unsupported" in stdout(before)
    ok(cli("repack", source, "-o", tmp_path / "asa.p12", "--target", "asa", "--passin", f"pass:{PASSWORD}"))
    after = ok(cli("check", tmp_path / "asa.p12", "--target", "asa", "--passin", f"pass:{PASSWORD}", "--strict"))
    assert "asa: 0 errors, 0 warnings, 1 note: the target accepts it" in stdout(after)
    assert "note: no-subject-alt-name" in stdout(after)
    info = openssl("pkcs12", "-in", tmp_path / "asa.p12", "-passin", f"pass:{PASSWORD}", "-info", "-nodes").stderr.decode()
    assert "MAC: sha1, Iteration 2048" in info
    assert "pbeWithSHA1And3-KeyTripleDES-CBC" in info and "PBES2" not in info
    key, certs = openssl_contents(tmp_path / "asa.p12", PASSWORD)
    assert key == leaf.key_der
    assert certs == [leaf_der, root_der]


def test_check_after_repack_for_the_asa_exits_0_with_notes_only(work, leaf, pki, openssl_tool):
    # What was seen 4: after `repack --target asa`, `check --target asa` said "0 error(s)" and
    # exited 1. Leaf, intermediate and root: only notes are left (the ASA's extra trustpoint for
    # the root, no subjectAltName), so check exits 0, even with --strict.
    ok(cli("repack", work / "in.p12", "-o", work / "asa.p12", "--target", "asa", "--passin", f"pass:{PASSWORD}"))
    proc = ok(cli("check", work / "asa.p12", "--target", "asa", "--passin", f"pass:{PASSWORD}", "--json"))
    findings = json.loads(proc.stdout)["findings"]
    assert findings and {f["severity"] for f in findings} == {"note"}
    ok(cli("check", work / "asa.p12", "--target", "asa", "--passin", f"pass:{PASSWORD}", "--strict"))
    assert openssl_contents(work / "asa.p12", PASSWORD) == (leaf.key_der, [leaf.cert_der, *pki.chain_ders])


def test_repack_keeps_the_profile_by_default_and_changes_the_password(work, openssl_tool):
    ok(cli("repack", work / "in.p12", "-o", work / "new.p12", "--passin", f"pass:{PASSWORD}",
           "--passout", "pass:Other789"))
    assert mac_of(work / "new.p12", "Other789") == "MAC: sha256, Iteration 2048"
    assert openssl_contents(work / "new.p12", "Other789") == openssl_contents(work / "in.p12", PASSWORD)
    doc = json.loads(ok(cli("info", work / "new.p12", "--json", "--passin", "pass:Other789")).stdout)
    assert doc["profile"] == "MODERN"
    failed(cli("info", work / "new.p12", "--passin", f"pass:{PASSWORD}"), 4)


def test_check_json_and_hostname(work):
    proc = cli("check", work / "in.p12", "--target", "asa", "--json", "--passin", f"pass:{PASSWORD}")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["clean"] is False and doc["target"] == "asa"
    codes = {finding["code"] for finding in doc["findings"]}
    assert "pbes2-unsupported" in codes
    assert all(set(f) == {"code", "severity", "message", "fix", "cli_fix"} for f in doc["findings"])
    # A target that reads OpenSSL 3 files, with a host name the certificate does not hold.
    proc = cli("check", work / "in.p12", "--target", "openssl3-no-legacy", "--hostname", "vpn.example.com",
               "--json", "--passin", f"pass:{PASSWORD}")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert {f["severity"] for f in doc["findings"]} <= {"note"} and doc["hostname"]["name"] == "vpn.example.com"
    assert doc["accepted"] is False  # the host name is not in the certificate
    assert doc["hostname"]["problems"]
    clean = cli("check", work / "in.p12", "--target", "openssl3-no-legacy", "--passin", f"pass:{PASSWORD}")
    assert clean.returncode == 0, stdout(clean) + stderr(clean)


# --- extract -------------------------------------------------------------------------------


def test_extract_matches_openssl(work, leaf, pki, openssl_tool):
    key_pem = ok(cli("extract", work / "in.p12", "--keys", "--nodes", "--passin", f"pass:{PASSWORD}")).stdout
    key_der, cert_ders = openssl_contents(work / "in.p12", PASSWORD)
    assert der_of_pem_key(key_pem) == key_der == leaf.key_der
    certs = ok(cli("extract", work / "in.p12", "--certs", "--passin", f"pass:{PASSWORD}")).stdout
    assert b"PRIVATE KEY" not in certs
    assert pem_ders(certs) == cert_ders
    chain = ok(cli("extract", work / "in.p12", "--chain", "--passin", f"pass:{PASSWORD}")).stdout
    assert pem_ders(chain) == [leaf.cert_der, pki.intermediate.cert_der, pki.root.cert_der]
    # Everything, the key encrypted: openssl decrypts it with the --passout pass phrase.
    ok(cli("extract", work / "in.p12", "-o", work / "all.pem", "--passin", f"pass:{PASSWORD}",
           "--passout", "pass:KeyPass42"))
    text = (work / "all.pem").read_bytes()
    assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in text and b"-----BEGIN PRIVATE KEY-----" not in text
    assert openssl_key(work / "all.pem", "KeyPass42") == key_der
    assert pem_ders(text) == cert_ders


def test_extract_of_a_key_needs_passout_or_nodes(work):
    message = failed(cli("extract", work / "in.p12", "--keys", "--passin", f"pass:{PASSWORD}"), 2)
    assert "--passout" in message and "--nodes" in message


# --- create --------------------------------------------------------------------------------


def test_create_is_read_by_openssl(tmp_path, leaf, pki, openssl_tool):
    out = tmp_path / "created.p12"
    ok(cli("create", "-o", out, "--key", leaf.key_path, "--cert", leaf.cert_path, "--chain", pki.chain_path,
           "--name", "vpn-identity", "--target", "asa", "--passout", "pass:Created123"))
    key, certs = openssl_contents(out, "Created123")
    assert key == leaf.key_der
    assert certs == [leaf.cert_der, pki.intermediate.cert_der, pki.root.cert_der]
    info = openssl("pkcs12", "-in", out, "-passin", "pass:Created123", "-info", "-nodes").stderr.decode()
    assert "MAC: sha1, Iteration 2048" in info and "pbeWithSHA1And3-KeyTripleDES-CBC" in info
    dump = openssl("pkcs12", "-in", out, "-passin", "pass:Created123", "-nodes").stdout.decode()
    assert dump.count("friendlyName: vpn-identity") == 2  # key and certificate
    ok(cli("check", out, "--target", "asa", "--passin", "pass:Created123", "--fail-on", "error"))


def test_create_from_an_encrypted_der_key_and_unordered_chain(tmp_path, leaf, pki, openssl_tool):
    key_path = tmp_path / "enc.key"
    key_path.write_bytes(leaf.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"KeyPass42")))
    (tmp_path / "root-first.pem").write_bytes(pki.root.cert_path.read_bytes() + pki.intermediate.cert_path.read_bytes())
    out = tmp_path / "created.p12"
    ok(cli("create", "-o", out, "--key", key_path, "--passin", "pass:KeyPass42", "--cert", leaf.cert_path,
           "--chain", tmp_path / "root-first.pem", "--passout", "pass:Created123"))
    key, certs = openssl_contents(out, "Created123")
    assert key == leaf.key_der
    assert certs == [leaf.cert_der, pki.intermediate.cert_der, pki.root.cert_der]  # leaf to root
    assert mac_of(out, "Created123") == "MAC: sha256, Iteration 2048"  # MODERN by default
    failed(cli("create", "-o", tmp_path / "x.p12", "--key", key_path, "--passin", "pass:wrong",
               "--cert", leaf.cert_path, "--passout", "pass:x"), 4)
    message = failed(cli("create", "-o", tmp_path / "x.p12", "--key", key_path, "--cert", leaf.cert_path,
                         "--passout", "pass:x"), 4)
    assert "--passin" in message
    assert not (tmp_path / "x.p12").exists()


def test_create_refuses_a_key_that_matches_no_certificate(tmp_path, leaf, pki):
    message = failed(cli("create", "-o", tmp_path / "x.p12", "--key", pki.root.key_path, "--cert", leaf.cert_path,
                         "--passout", "pass:x"), 7)
    assert "no certificate matches the private key" in message
    assert list(tmp_path.iterdir()) == []


# --- convert -------------------------------------------------------------------------------


def test_convert_der_asa_der_is_lossless_and_warns_about_the_target(work, openssl_tool):
    # The ASA refuses PBES2: without --force-target nothing is written (exit 7, as EncodeError).
    message = failed(cli("convert", work / "in.p12", "-o", work / "asa.txt", "--to", "asa",
                         "--passin", f"pass:{PASSWORD}"), 7)
    assert "pbes2-unsupported" in message and "--force-target" in message
    assert not (work / "asa.txt").exists()
    proc = ok(cli("convert", work / "in.p12", "-o", work / "asa.txt", "--to", "asa", "--passin", f"pass:{PASSWORD}",
                  "--force-target"))
    assert "pbes2-unsupported" in stderr(proc)  # still said, on stderr
    text = (work / "asa.txt").read_text()
    assert text.startswith("Exported pkcs12 follows:\n-----BEGIN PKCS12-----\n")
    body = text.split("-----BEGIN PKCS12-----\n")[1].split("-----END PKCS12-----")[0]
    assert base64.b64decode(body) == (work / "in.p12").read_bytes()
    assert all(len(line) <= 64 for line in body.splitlines())
    ok(cli("convert", work / "asa.txt", "-o", work / "back.p12", "--to", "der", "--passin", f"pass:{PASSWORD}"))
    assert (work / "back.p12").read_bytes() == (work / "in.p12").read_bytes()


def test_convert_to_ios_with_a_target_re_encodes(work, openssl_tool):
    ok(cli("convert", work / "in.p12", "-o", work / "ios.txt", "--to", "ios", "--target", "ios",
           "--passin", f"pass:{PASSWORD}"))
    lines = (work / "ios.txt").read_text().splitlines()
    assert lines[0] == "Exported pkcs12 follows:"
    assert "---End - This line not part of the pkcs12---" in lines
    end = lines.index("")
    (work / "ios.p12").write_bytes(base64.b64decode("".join(lines[1:end])))
    assert mac_of(work / "ios.p12", PASSWORD) == "MAC: sha1, Iteration 2048"
    assert openssl_contents(work / "ios.p12", PASSWORD) == openssl_contents(work / "in.p12", PASSWORD)


def test_convert_pem_bundle_both_ways(work, leaf, pki, openssl_tool):
    ok(cli("convert", work / "in.p12", "-o", work / "bundle.pem", "--to", "pem-bundle",
           "--passin", f"pass:{PASSWORD}", "--passout", "pass:KeyPass42"))
    bundle = (work / "bundle.pem").read_bytes()
    assert openssl_key(work / "bundle.pem", "KeyPass42") == leaf.key_der
    assert pem_ders(bundle) == [leaf.cert_der, *pki.chain_ders]
    ok(cli("convert", work / "bundle.pem", "-o", work / "from-bundle.p12", "--to", "der",
           "--passin", "pass:KeyPass42", "--passout", "pass:Bundle123"))
    key, certs = openssl_contents(work / "from-bundle.p12", "Bundle123")
    assert key == leaf.key_der and certs == [leaf.cert_der, *pki.chain_ders]
    message = failed(cli("info", work / "bundle.pem"), 4)  # the encrypted key needs --passin
    assert "bundle.pem" in message and "--passin" in message
    doc = json.loads(ok(cli("info", work / "bundle.pem", "--json", "--passin", "pass:KeyPass42")).stdout)
    assert doc["form"] == "pem-bundle" and doc["mac"] is None and doc["identity"]["chain"] == [1, 2]
    # Without --passout the bundle's key is plain, and the command says so.
    proc = ok(cli("convert", work / "in.p12", "-o", "-", "--to", "pem-bundle", "--passin", f"pass:{PASSWORD}"))
    assert b"-----BEGIN PRIVATE KEY-----" in proc.stdout and "unencrypted" in stderr(proc)


# --- Cisco ---------------------------------------------------------------------------------


def test_show_previews_the_trustpoint(work, leaf):
    proc = ok(cli("show", work / "in.p12", "--platform", "asa", "--trustpoint", "VPN-TP",
                  "--passin", f"pass:{PASSWORD}"))
    text = stdout(proc)
    assert text.startswith("Certificate\n") and "CA Certificate" in text
    assert "cn=pkcs12kit test leaf rsa2048" in text
    # Devices print the serial as whole bytes of hex, like `openssl x509 -serial` (a leading zero
    # nibble is kept); a serial whose top nibble is 0 once made a plain f"{serial:x}" miss it.
    serial = leaf.cert.serial_number
    serial_hex = serial.to_bytes((serial.bit_length() + 7) // 8, "big").hex()
    assert serial_hex in text
    assert "Associated Trustpoints: VPN-TP" in text
    assert "VPN-TP-1" in stderr(proc)  # the ASA's extra trustpoint for the root (cisco.trustpoint)
    ios = stdout(ok(cli("show", work / "in.p12", "--platform", "ios", "--passin", f"pass:{PASSWORD}")))
    assert f"Certificate Serial Number (hex): {serial_hex.upper()}" in ios


def test_cisco_import_prints_a_session_openssl_can_read(work, leaf, openssl_tool):
    proc = ok(cli("cisco-import", work / "in.p12", "--platform", "asa", "--trustpoint", "VPN-TP",
                  "--passin", f"pass:{PASSWORD}"))
    lines = stdout(proc).splitlines()
    assert lines[0] == f"crypto ca import VPN-TP pkcs12 {PASSWORD}"
    assert lines[1] == "-----BEGIN PKCS12-----" and lines[-2] == "-----END PKCS12-----" and lines[-1] == "quit"
    (work / "session.p12").write_bytes(base64.b64decode("".join(lines[2:-2])))
    assert mac_of(work / "session.p12", PASSWORD) == "MAC: sha1, Iteration 2048"  # profile_for('asa')
    assert openssl_contents(work / "session.p12", PASSWORD)[0] == leaf.key_der
    # A password the device CLI cannot take is refused (exit 7), and not echoed.
    message = failed(cli("cisco-import", work / "in.p12", "--platform", "ios", "--trustpoint", "TP",
                         "--passin", f"pass:{PASSWORD}", "--passout", "pass:has space"), 7)
    assert "has space" not in message


def test_demo_runs_the_workflow_fast():
    proc = ok(cli("demo"))
    text = stdout(proc)
    assert "ios-export" in text
    assert "warning: mac-sha256-unsupported" in text  # why the ASA would hesitate
    assert "crypto ca import IOSXE-TP pkcs12 cisco123" in text and text.rstrip().splitlines()[-1] != ""
    assert "-----END PKCS12-----\nquit\n" in text
    from pkcs12kit import cli as module  # CPU time of the work itself, after imports

    module.main(["demo"])  # warm imports and caches
    start = time.process_time()
    with open(os.devnull, "w") as sink:
        saved, sys.stdout = sys.stdout, sink
        try:
            assert module.main(["demo"]) == 0
        finally:
            sys.stdout = saved
    assert time.process_time() - start < 1.0


# --- interactive prompts (a real pseudo-terminal) -------------------------------------------


def run_on_terminal(args, answers: list[str], timeout: float = 60.0) -> tuple[int, str, bytes]:
    """Run the command with a pseudo-terminal as stdin and controlling terminal; type each of
    ``answers`` when a prompt appears. Returns (exit code, what the terminal showed, stdout)."""
    import fcntl
    import select
    import termios

    master, slave = os.openpty()

    def controlling_terminal():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "pkcs12kit", *map(str, args)], stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=controlling_terminal, pass_fds=(slave,))
    os.close(slave)
    shown = b""
    pending = list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                shown += chunk
                while pending and shown.count(b": ") > len(answers) - len(pending):
                    os.write(master, pending.pop(0).encode() + b"\n")
            elif proc.poll() is not None:
                break
        out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, shown.decode("utf-8", "replace") + err.decode("utf-8", "replace"), out


def test_prompts_on_a_terminal_without_echo(work, leaf, openssl_tool):
    code, shown, out = run_on_terminal(["info", work / "in.p12"], [PASSWORD])
    assert code == 0, shown
    assert "Enter password for" in shown and PASSWORD not in shown
    assert b"profile: MODERN" in out
    # create asks for the new password twice (confirmation).
    code, shown, _ = run_on_terminal(["create", "-o", work / "new.p12", "--key", leaf.key_path,
                                      "--cert", leaf.cert_path], ["Typed456", "Typed456"])
    assert code == 0, shown
    assert "Verifying - Enter password for the new PKCS#12" in shown and "Typed456" not in shown
    assert openssl_contents(work / "new.p12", "Typed456")[0] == leaf.key_der
    code, shown, _ = run_on_terminal(["create", "-o", work / "other.p12", "--key", leaf.key_path,
                                      "--cert", leaf.cert_path], ["Typed456", "Different"])
    assert code == 2 and "do not match" in shown
    assert not (work / "other.p12").exists()
