"""``pkcs12kit scan PATH...``: audit many files with `pkcs12kit.scan` and print a table, JSON Lines or CSV.

Exports: cmd_scan, add_scan_arguments, SCAN_EXAMPLES.

Exit codes: 0 when no file has a finding at or above ``--fail-on``, 1 when one has, 2 for a usage
error (a missing path, a bad ``-j``, an unreadable password file). docs/scan.md has the rest.
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from typing import TYPE_CHECKING, Any, Callable, TextIO

from .exits import EXIT_FINDINGS, EXIT_OK, UsageError
from .session import Session

if TYPE_CHECKING:
    from ..scan import Passwords

__all__ = ["cmd_scan", "add_scan_arguments", "SCAN_EXAMPLES"]

SCAN_EXAMPLES = """\
examples:
  pkcs12kit scan backups/ --passwords pw.map --target asa -j 4
  pkcs12kit scan backups/ --passwords pw.map --json > report.jsonl
  pkcs12kit scan a.p12 b.pfx --passin env:P12PASS --csv --fail-on error

  (pw.map lines: GLOB<TAB>PASSWORD, e.g. "*/asa/*<TAB>cisco123"; a line without a TAB is tried
  for every file; scan exits 0 when clean, 1 on findings at or above --fail-on, 2 on usage)
"""

CSV_COLUMNS = ("path", "status", "severity", "form", "keys", "certificates", "identity", "not_after",
               "days_left", "key_match", "mac", "encryption", "min_iterations", "targets_ready", "findings", "error")


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def add_scan_arguments(parser: argparse.ArgumentParser, target_type: Callable[[str], str]) -> None:
    """The ``scan`` command's arguments (``target_type`` validates a target name)."""
    # import time: every command's parser is built with this function, but `build_parser` calls
    # it only when ``scan`` runs or help lists everything: the scan machinery loads only then.
    from ..scan import DEFAULT_INCLUDE, DEFAULT_TIMEOUT
    from ..scan_checks import SEVERITIES

    parser.add_argument("paths", nargs="+", metavar="PATH", help="files and directories (walked recursively)")
    parser.add_argument("--passwords", metavar="FILE",
                        help="password map: GLOB<TAB>PASSWORD lines, tried in order (a line without a TAB applies "
                             "to every file); passwords are never printed")
    parser.add_argument("--passin", metavar="SRC", help="one more password for every file (pass:, env:, file:, fd:)")
    parser.add_argument("--target", dest="targets", action="append", default=[], metavar="T", type=target_type,
                        help="check import readiness for this target; repeatable")
    parser.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                        help="worker processes (default: the number of CPUs)")
    parser.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"seconds allowed per file (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--include", action="append", metavar="GLOB",
                        help=f"file names read in directories; repeatable (default: {' '.join(DEFAULT_INCLUDE)})")
    parser.add_argument("--expiring-days", type=int, default=30, metavar="D",
                        help="warn when a certificate expires within D days (default 30)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="JSON Lines: one object per file (docs/scan.md#schema)")
    output.add_argument("--csv", action="store_true", help="CSV: one row per file")
    parser.add_argument("--fail-on", choices=SEVERITIES, default="warning",
                        help="exit 1 when a file has a finding at or above this severity (default warning)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (it is shown on a terminal only)")


def _passwords(session: Session) -> Passwords:
    from ..scan import Passwords  # import time: see add_scan_arguments

    args = session.args
    passwords = Passwords.from_file(args.passwords) if args.passwords else Passwords()
    extra = session.passin("the password for every file") if args.passin else None
    if extra is None:
        return passwords
    return Passwords([*passwords.rules, ("*", extra)], labels=[*passwords.labels, "--passin"])


class _Progress:
    """``[#####.....] 1,234/10,000`` on standard error, redrawn at most 1 in 1% of the files."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream, self.total, self.done, self.step = stream, total, 0, max(1, total // 100)

    def advance(self) -> None:
        self.done += 1
        if self.done % self.step == 0 or self.done == self.total:
            filled = 30 * self.done // max(1, self.total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done:,}/{self.total:,} files")
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * 60 + "\r")
        self.stream.flush()


def _encryption(report: dict[str, Any]) -> str:
    protection = report["protection"] or {}
    ciphers = {item.get("cipher") for item in [*protection.get("safes", []), *protection.get("keys", [])]}
    return "+".join(sorted(c for c in ciphers if c)) or ("none" if protection else "")


def _min_iterations(report: dict[str, Any]) -> int | None:
    protection = report["protection"] or {}
    counts = [item.get("iterations") for item in [*protection.get("safes", []), *protection.get("keys", [])]]
    if protection.get("mac"):
        counts.append(protection["mac"]["iterations"])
    counts = [c for c in counts if c is not None]
    return min(counts) if counts else None


def _csv_row(report: dict[str, Any]) -> list[Any]:
    contents, cert, mac = report["contents"] or {}, report["certificate"] or {}, (report["protection"] or {}).get("mac")
    return [report["path"], report["status"], report["severity"], report["form"], contents.get("keys"),
            contents.get("certificates"), contents.get("identity"), cert.get("not_after"), cert.get("days_left"),
            cert.get("key_match"), f"{mac['kind']}-{mac['digest']}" if mac else "", _encryption(report),
            _min_iterations(report), " ".join(n for n, t in report["targets"].items() if t["ready"]),
            ";".join(f["code"] for f in report["findings"]), report["error"]]


def _table_line(report: dict[str, Any]) -> str:
    cert = report["certificate"] or {}
    if report["status"] != "ok":
        detail = (report["error"] or "").splitlines()[0] if report["error"] else ""
    else:
        days = cert.get("days_left")
        parts = [f"{days:+d}d" if days is not None else "no cert", _encryption(report) or "-"]
        worst = [f["code"] for f in report["findings"] if f["severity"] == report["severity"]]
        parts.append(", ".join(worst[:3]) + (" ..." if len(worst) > 3 else ""))
        detail = "  ".join(p for p in parts if p)
    return f"{report['status']:<14} {report['severity']:<8} {report['path']}  {detail}"


def cmd_scan(session: Session) -> int:
    # import time: the scan machinery, csv and json load only when a scan runs
    import csv
    import json

    from ..scan import DEFAULT_INCLUDE, iter_files, scan
    from ..scan_checks import SEVERITIES

    args = session.args
    for path in args.paths:
        if not os.path.exists(path):
            raise UsageError(f"{path}: no such file or directory")
    passwords = _passwords(session)
    include = tuple(args.include) if args.include else DEFAULT_INCLUDE
    out = session.stdout
    progress = None
    if not args.no_progress and session.stderr.isatty():
        progress = _Progress(session.stderr, sum(1 for _ in iter_files(args.paths, include)))
    writer = csv.writer(out, lineterminator="\n") if args.csv else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    elif not args.json:
        out.write(f"{'STATUS':<14} {'SEVERITY':<8} FILE  DETAIL\n")
    statuses: Counter[str] = Counter()
    failing = 0
    threshold = SEVERITIES.index(args.fail_on)
    reports = scan(args.paths, passwords, targets=args.targets, workers=args.jobs, timeout=args.timeout,
                   include=include, expiring_days=args.expiring_days)
    try:
        for report in reports:
            statuses[report["status"]] += 1
            if report["severity"] in SEVERITIES and SEVERITIES.index(report["severity"]) >= threshold:
                failing += 1
            if args.json:
                out.write(json.dumps(report, sort_keys=True) + "\n")
            elif writer is not None:
                writer.writerow(_csv_row(report))
            else:
                if progress is not None:
                    progress.close()
                out.write(_table_line(report) + "\n")
            if progress is not None:
                progress.advance()
    finally:
        reports.close()
        if progress is not None:
            progress.close()
    total = sum(statuses.values())
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    line = f"{total} files: {summary or 'none found'}; {failing} at or above {args.fail_on}"
    if args.json or args.csv:
        session.stderr.write(line + "\n")
    else:
        out.write(line + "\n")
    return EXIT_FINDINGS if failing else EXIT_OK
