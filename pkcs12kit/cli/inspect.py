"""The pkcs12kit commands that read a file and report on it: ``info``, ``show`` and ``check``.

Exports: cmd_info, cmd_show, cmd_check.
"""

from __future__ import annotations

import dataclasses
import json

from .. import cisco, targets
from .exits import EXIT_FINDINGS, EXIT_OK
from .output import check_text, info_document, info_text
from .session import Session
from ..textsafe import printable_lines

__all__ = ["cmd_info", "cmd_show", "cmd_check"]


def cmd_info(session: Session) -> int:
    args = session.args
    loaded = session.load(args.input)
    doc = info_document(loaded.p12, name=loaded.name, form=loaded.form)
    if args.json:
        session.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        session.stdout.write(printable_lines(info_text(doc)))
    return EXIT_OK


def cmd_show(session: Session) -> int:
    args = session.args
    loaded = session.load(args.input)
    view = cisco.trustpoint(loaded.p12, args.platform, name=args.trustpoint)
    session.stdout.write(printable_lines(cisco.show_certificates(loaded.p12, args.platform, args.trustpoint)))
    for warning in view.warnings:
        session.warn(warning)
    return EXIT_OK


def cmd_check(session: Session) -> int:
    args = session.args
    loaded = session.load(args.input)
    findings = targets.check(loaded.p12, args.target, password=loaded.password)
    hostname_problems = cisco.check_hostname(loaded.p12, args.hostname) if args.hostname else []
    clean = not findings and not hostname_problems
    if args.fail_on == "error":
        failing = bool(hostname_problems) or any(finding.severity == "error" for finding in findings)
    else:
        failing = not clean
    if args.json:
        doc = {
            "schema": "pkcs12kit-check/1",
            "file": loaded.name,
            "target": args.target,
            "clean": clean,
            "findings": [dataclasses.asdict(finding) for finding in findings],
            "hostname": None if not args.hostname else {"name": args.hostname, "problems": hostname_problems},
        }
        session.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        session.stdout.write(printable_lines(check_text(loaded.name, args.target, findings, args.hostname,
                                                        hostname_problems)))
    return EXIT_FINDINGS if failing else EXIT_OK
