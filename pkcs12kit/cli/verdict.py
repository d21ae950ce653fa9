"""One severity model for every pkcs12kit command: the ``check`` report, its exit code, and the
check every command that writes for a target runs on what it is about to write.

Exports: report_text, check_exit, gate, summary_line, parse_at_arg.

Severities (docs/cli.md#severities): ``error`` = the target refuses the file or the data is
unusable; ``warning`` = it may fail, or it is [unverified]; ``note`` = for your information.
``check`` exits 0 without errors, 1 with errors, and 1 on warnings too with ``--strict``. A
command that writes for a target (``create``/``repack`` with ``--target``, ``convert --to
asa|ios|ios-pem``, ``cisco-import``) refuses to write while an error remains (exit 7, as for
any `EncodeError`), unless ``--force-target``; remaining warnings and notes go to stderr.
"""

from __future__ import annotations

import argparse
import datetime
from typing import Sequence

from .. import targets
from ..errors import EncodeError
from ..model import PKCS12
from ..targets.findings import ERROR, NOTE, WARNING, Finding
from ..targets.fixes import render_cli_fix
from ..targets.health import parse_at
from .exits import EXIT_FINDINGS, EXIT_OK
from .session import Session

__all__ = ["report_text", "check_exit", "gate", "summary_line", "parse_at_arg"]


def parse_at_arg(value: str) -> datetime.datetime:
    """The ``--at DATE`` argument type."""
    try:
        return parse_at(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _counts(findings: Sequence[Finding]) -> tuple[int, int, int]:
    return (sum(f.severity == ERROR for f in findings), sum(f.severity == WARNING for f in findings),
            sum(f.severity == NOTE for f in findings))


def summary_line(findings: Sequence[Finding]) -> str:
    """``1 error, 2 warnings, 1 note``."""
    errors, warnings, notes = _counts(findings)

    def plural(count: int, word: str) -> str:
        return f"{count} {word}" + ("" if count == 1 else "s")

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {plural(notes, 'note')}"


def _fix_line(finding: Finding, findings: Sequence[Finding], *, file: str, passin: str | None, target: str) -> str:
    others = any(other.severity == ERROR and other is not finding for other in findings)
    return render_cli_fix(finding.cli_fix or finding.fix, file=file, passin=passin, target=target,
                          force_target=others)


def report_text(name: str, target: str, findings: Sequence[Finding], *, file: str, passin: str | None,
                hostname: str | None = None, hostname_problems: Sequence[str] = ()) -> str:
    """The report ``check`` prints: each finding with its CLI fix, then a summary line.

    ``file`` and ``passin`` are the input path and --passin source as the user typed them, so
    that each ``fix:`` line can be run as it is."""
    lines = []
    for finding in findings:
        lines.append(f"{finding.severity}: {finding.code}: {finding.message}")
        lines.append(f"  fix: {_fix_line(finding, findings, file=file, passin=passin, target=target)}")
    for problem in hostname_problems:
        lines.append(f"error: hostname: {problem}")
    total = list(findings)
    errors = _counts(total)[0] + len(hostname_problems)
    if total or hostname_problems:
        counts = summary_line(total)
        if hostname_problems:
            counts = f"{errors} error" + ("" if errors == 1 else "s") + counts[counts.index(","):]
        verdict = "refuses it" if errors else "accepts it"
        lines.append(f"{name}: {target}: {counts}: the target {verdict}")
    else:
        extra = f", and {hostname} matches its certificate" if hostname else ""
        lines.append(f"{name}: {target}: no findings: the target accepts this file{extra}")
    return "\n".join(lines) + "\n"


def check_exit(findings: Sequence[Finding], *, strict: bool, hostname_problems: Sequence[str] = ()) -> int:
    """0 without errors; 1 with errors; with ``strict``, 1 on warnings too."""
    errors, warnings, _ = _counts(findings)
    if errors or hostname_problems or (strict and warnings):
        return EXIT_FINDINGS
    return EXIT_OK


def gate(session: Session, p12: PKCS12, target: str, *, password: str | None, output: str, file: str) -> None:
    """Check what is about to be written to ``output`` for ``target`` (`targets.assess`,
    with the password the device will be given); refuse it with EncodeError (exit 7) while an
    error remains, unless ``--force-target``; print warnings and notes on stderr."""
    args = session.args
    findings = targets.assess(p12, target, password=password, at=getattr(args, "at", None),
                              days=getattr(args, "days", 30))
    passin = getattr(args, "passin", None)
    errors = [finding for finding in findings if finding.severity == ERROR]
    force = getattr(args, "force_target", False)
    for finding in findings:
        if finding.severity == ERROR and not force:
            continue
        where = f"{target}: {finding.code}: {finding.message}"
        if finding.severity == ERROR:
            session.warn(f"--force-target: written although {target} refuses it: {where}")
        elif finding.severity == WARNING:
            session.warn(where)
        else:
            session.note(where)
    if errors and not force:
        first = errors[0]
        fix = _fix_line(first, findings, file=file, passin=passin, target=target)
        profile = getattr(args, "profile", None)
        if profile is not None and fix.startswith("pkcs12kit repack") and "--target" in fix:
            # The error comes from the profile asked for: the command's own default is the fix.
            fix = f"leave out --profile {profile.name} (the default writes what {target} imports)"
        more = f" (and {len(errors) - 1} more error(s): {', '.join(e.code for e in errors[1:])})" if len(errors) > 1 else ""
        raise EncodeError(
            f"{output}: not written: {target} would refuse it: {first.code}: {first.message}{more}; "
            f"fix: {fix}; or give --force-target to write it anyway"
        )
