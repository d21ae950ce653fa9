"""After a successful decode, touch everything a user can: the extended error contract (issue 15).

`touch_everything(p12, data)` reads every accessor of every entry, ``key``/``certificate``/
``chain``/``profile``, every ``to_pem``, ``dumps``, `targets.check` for every target, every public
`pkcs12kit.cisco` function that takes a PKCS12, and (with ``cli=True``) every CLI command through
`pkcs12kit.cli.main` in-process. Each may work or raise a `PKCS12Error`; anything else, and any
CLI exit code 8 ("internal error"), raises `ContractViolation` naming the step.

Used by tests/fuzz/fuzz_loads.py (the atheris target), tests/test_touch_everything.py (a
hypothesis property and the CI smoke) and the differential fuzzer (tests/fuzz/differential.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from typing import Any, Callable

import pkcs12kit
from pkcs12kit import PKCS12Error, cisco, targets

# A password every Cisco platform's rules accept (8-64 alphanumerics).
OUT_PASSWORD = "Touch1234"
# Cheap re-encoding for dumps (the decoded profile may ask for thousands of iterations per safe).
CHEAP = pkcs12kit.MODERN.with_iterations(1)
PLATFORMS = ("asa", "ios", "iosxe")


class ContractViolation(AssertionError):
    """Something a user touches raised a non-PKCS12Error, or the CLI exited 8."""


def _step(name: str, action: Callable[[], Any], counts: dict[str, int] | None) -> Any:
    try:
        result = action()
    except PKCS12Error:
        if counts is not None:
            counts["refused"] = counts.get("refused", 0) + 1
        return None
    except Exception as err:  # the finding
        raise ContractViolation(f"{name}: {type(err).__name__}: {err}") from err
    if counts is not None:
        counts["ok"] = counts.get("ok", 0) + 1
    return result


def touch_library(p12, counts: dict[str, int] | None = None) -> None:
    """Every accessor and library call on a decoded `PKCS12`."""
    for index, entry in enumerate(p12.entries):
        where = f"entries[{index}]"
        _step(f"{where} repr", lambda: repr(entry), counts)
        _step(f"{where} names", lambda: (entry.friendly_name, entry.local_key_id,
                                          [repr(a) for a in entry.attributes]), counts)
        if isinstance(entry, pkcs12kit.KeyEntry):
            _step(f"{where}.private_key", lambda: entry.private_key.native, counts)
            _step(f"{where}.algorithm", lambda: entry.algorithm, counts)
            _step(f"{where}.key_size", lambda: entry.key_size, counts)
            _step(f"{where}.to_pem", lambda: entry.to_pem(), counts)
        elif isinstance(entry, pkcs12kit.CertEntry):
            def certificate_fields(entry=entry):
                cert = entry.certificate
                return (cert.subject.human_friendly, cert.issuer.human_friendly, cert.serial_number,
                        cert.not_valid_before, cert.not_valid_after, cert.public_key.algorithm,
                        cert.subject_alt_name_value, cert.key_identifier, cert.authority_key_identifier)

            _step(f"{where}.certificate", certificate_fields, counts)
            _step(f"{where}.trusted_key_usage", lambda: entry.trusted_key_usage, counts)
            _step(f"{where}.to_pem", lambda: entry.to_pem(), counts)
        elif isinstance(entry, pkcs12kit.CrlEntry):
            _step(f"{where}.crl", lambda: entry.crl.native, counts)
            _step(f"{where}.to_pem", lambda: entry.to_pem(), counts)
    _step("repr", lambda: repr(p12), counts)
    _step("key", lambda: p12.key, counts)
    _step("certificate", lambda: p12.certificate, counts)
    _step("chain", lambda: p12.chain, counts)
    _step("profile", lambda: p12.profile, counts)
    _step("dumps", lambda: pkcs12kit.loads(pkcs12kit.dumps(p12, OUT_PASSWORD, profile=CHEAP), OUT_PASSWORD),
          counts)
    _step("targets.health", lambda: targets.health(p12), counts)
    for target in sorted(targets.TARGETS):
        _step(f"targets.check {target}", lambda: targets.check(p12, target, password=OUT_PASSWORD), counts)
        _step(f"targets.assess {target}", lambda: targets.assess(p12, target, password=OUT_PASSWORD), counts)
    for platform in PLATFORMS:
        _step(f"cisco.trustpoint {platform}", lambda: cisco.trustpoint(p12, platform), counts)
        _step(f"cisco.show_certificates {platform}", lambda: cisco.show_certificates(p12, platform), counts)
        _step(f"cisco.export_text {platform}",
              lambda: cisco.export_text(p12, platform, password=OUT_PASSWORD, profile=CHEAP), counts)
        _step(f"cisco.import_session {platform}",
              lambda: cisco.import_session(p12, OUT_PASSWORD, platform, "TP", profile=CHEAP), counts)
    _step("cisco.pem_transcript", lambda: cisco.pem_transcript(p12, OUT_PASSWORD), counts)
    _step("cisco.pem_import_session", lambda: cisco.pem_import_session(p12, OUT_PASSWORD, "TP"), counts)
    _step("cisco.check_hostname", lambda: cisco.check_hostname(p12, "host.example.com"), counts)
    if p12.certificate is not None:
        _step("cisco.hostname_matches", lambda: cisco.hostname_matches(p12.certificate, "host.example.com"),
              counts)


# Every command that reads a file, with the arguments after the input path; OUT is replaced by
# a fresh output path. `create` and `demo` do not read a PKCS#12.
CLI_COMMANDS: list[tuple[str, list[str]]] = [
    ("info", []),
    ("info", ["--json"]),
    ("show", ["--platform", "asa"]),
    ("show", ["--platform", "ios"]),
    ("check", ["--target", "asa", "--hostname", "host.example.com"]),
    ("check", ["--target", "iosxe", "--json"]),
    ("convert", ["-o", "OUT", "--to", "asa"]),
    ("convert", ["-o", "OUT", "--to", "pem-bundle"]),
    ("repack", ["-o", "OUT", "--passout", f"pass:{OUT_PASSWORD}"]),
    ("extract", ["-o", "OUT", "--nodes"]),
    ("cisco-import", ["--platform", "ios", "--trustpoint", "TP", "--passout", f"pass:{OUT_PASSWORD}"]),
]


def touch_cli(data: bytes, password: str | None, counts: dict[str, int] | None = None) -> None:
    """Every CLI command on ``data``, in-process; exit code 8 is a violation."""
    from pkcs12kit import cli

    with tempfile.TemporaryDirectory(prefix="pkcs12kit-touch-") as workdir:
        source = os.path.join(workdir, "in.p12")
        with open(source, "wb") as handle:
            handle.write(data)
        for number, (command, extra) in enumerate(CLI_COMMANDS):
            output = os.path.join(workdir, f"out-{number}")
            argv = [command, source, *[output if a == "OUT" else a for a in extra]]
            if password is not None and command not in ("demo",):
                argv += ["--passin", f"pass:{password}"]
            else:
                argv += ["--passin", "pass:"]
            stdout, stderr = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                try:
                    code = cli.main(argv)
                except SystemExit as exit_:  # argparse
                    code = exit_.code if isinstance(exit_.code, int) else 2
            if code == 8:
                raise ContractViolation(f"cli {' '.join(argv[:1] + extra)}: exit 8: {stderr.getvalue()[-300:]}")
            if counts is not None:
                counts[f"cli:{code}"] = counts.get(f"cli:{code}", 0) + 1


def touch_everything(p12, data: bytes, password: str | None, *, cli: bool = True,
                     counts: dict[str, int] | None = None) -> None:
    """`touch_library`, then (``cli=True``) `touch_cli`."""
    touch_library(p12, counts)
    if cli:
        touch_cli(data, password, counts)
