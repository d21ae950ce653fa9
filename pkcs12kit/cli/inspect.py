"""The pkcs12kit commands that read a file and report on it: ``info``, ``show`` and ``check``.

Exports: cmd_info, cmd_show, cmd_check.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Iterator

from .. import targets
from .exits import EXIT_OK
from .output import info_document, info_text
from .session import Session
from ..textsafe import printable_lines
from .verdict import check_exit, report_text

__all__ = ["cmd_info", "cmd_show", "cmd_check", "collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, then restore it as it was.

    A listing keeps a score of container objects per certificate alive until it is printed,
    and the collector rescanned them again and again: about 70 ms of `info`'s 800 on 10,000
    certificates (docs/performance.md). Reference counting still frees everything acyclic; the
    few cycles made meanwhile are collected once the collector is back.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cmd_info(session: Session) -> int:
    args = session.args
    with collector_paused():
        loaded = session.load(args.input)
        doc = info_document(loaded.p12, name=loaded.name, form=loaded.form, at=args.at, days=args.days)
        if args.json:
            import json  # import time: json (about 1 ms) loads only for --json

            session.stdout.write(json.dumps(doc, indent=2) + "\n")
        else:
            session.stdout.write(printable_lines(info_text(doc)))
    return EXIT_OK


def cmd_show(session: Session) -> int:
    args = session.args
    # import time: the Cisco workflows (about 5 ms) load only for the commands that use them
    from .. import cisco

    loaded = session.load(args.input)
    view = cisco.trustpoint(loaded.p12, args.platform, name=args.trustpoint)
    # Every trustpoint the device creates: the named one, then ASA <tp>-1 / IOS <tp>-rrrN.
    session.stdout.write(printable_lines(cisco.show_certificates(loaded.p12, args.platform, args.trustpoint,
                                                                 extra=True)))
    for warning in view.warnings:
        session.warn(warning)
    return EXIT_OK


def cmd_check(session: Session) -> int:
    args = session.args
    loaded = session.load(args.input)
    findings = targets.assess(loaded.p12, args.target, password=loaded.password, at=args.at, days=args.days)
    hostname_problems: list[str] = []
    if args.hostname:
        from ..cisco import check_hostname  # import time: as in cmd_show

        hostname_problems = check_hostname(loaded.p12, args.hostname)
    strict = args.strict or args.fail_on == "warning"
    code = check_exit(findings, strict=strict, hostname_problems=hostname_problems)
    if args.json:
        doc = {
            "schema": "pkcs12kit-check/1",
            "file": loaded.name,
            "target": args.target,
            "clean": not findings and not hostname_problems,
            "accepted": not hostname_problems and not any(f.severity == "error" for f in findings),
            "findings": [dataclasses.asdict(finding) for finding in findings],
            "hostname": None if not args.hostname else {"name": args.hostname, "problems": hostname_problems},
        }
        import json  # import time: json (about 1 ms) loads only for --json

        session.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        session.stdout.write(printable_lines(report_text(loaded.name, args.target, findings, file=args.input,
                                                         passin=args.passin, hostname=args.hostname,
                                                         hostname_problems=hostname_problems)))
    return code
