"""The pkcs12kit commands for Cisco devices: ``cisco-import``, and ``demo`` (the whole workflow on
an embedded IOS-XE export).

Exports: cmd_cisco_import, cmd_demo, SAMPLE, SAMPLE_PASSWORD.
"""

from __future__ import annotations

import warnings

from .. import cisco, targets
from ..api import dumps, loads
from .exits import EXIT_OK, UsageError
from .output import info_document, info_text
from .parser import chosen_profile
from .session import Session
from .verdict import gate, report_text

__all__ = ["cmd_cisco_import", "cmd_demo", "SAMPLE", "SAMPLE_PASSWORD"]

SAMPLE = "iosxe-trustpoint-export.txt"
SAMPLE_PASSWORD = "cisco123"


_PLATFORM_TARGETS = {"asa": "asa", "ftd": "ftd", "ios": "ios", "ios-xe": "iosxe", "iosxe": "iosxe"}


def cmd_cisco_import(session: Session) -> int:
    args = session.args
    session.check_output(args.output, inputs=[args.input], force=args.force)
    loaded = session.load(args.input)
    profile = chosen_profile(args, cisco.default_profile(args.platform))
    password = session.passout("password for the device import", fallback=loaded.password or None)
    if password is None:
        raise UsageError("the device import needs a password; give --passout")
    target = args.target or _PLATFORM_TARGETS[args.platform]
    der = dumps(loaded.p12, password, profile=profile)
    gate(session, loads(der, password), target, password=password, output=args.output or "the session",
         file=args.input)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = cisco.import_session(der, password, args.platform, args.trustpoint)
    view = cisco.trustpoint(loaded.p12, args.platform, name=args.trustpoint)
    if args.output:
        session.write(args.output, text, inputs=[args.input], force=args.force)
    else:
        session.stdout.write(text)
    for warning in caught:
        session.warn(str(warning.message))
    for note in view.warnings:  # what the device will ask or do; problems are findings above
        session.note(note)
    return EXIT_OK


def cmd_demo(session: Session) -> int:
    # import time: importlib.resources imports tempfile (~8 ms in all); only `demo` reads a sample.
    from importlib import resources

    args = session.args
    out = session.stdout
    text = resources.files("pkcs12kit").joinpath("samples", SAMPLE).read_text(encoding="utf-8")
    transcript = cisco.parse_transcript(text)
    out.write(f"== 1. an IOS-XE 'crypto pki export TP pkcs12 terminal password {SAMPLE_PASSWORD}' "
              f"transcript ({SAMPLE})\n")
    out.write(f"found {len(transcript.der)} bytes of PKCS#12 ({transcript.variant}) at line {transcript.line}; "
              + "; ".join(transcript.notes) + "\n\n")
    p12 = loads(transcript.der, SAMPLE_PASSWORD)
    out.write("== 2. pkcs12kit info\n")
    out.write(info_text(info_document(p12, name=SAMPLE, form=transcript.variant, at=args.at, days=args.days)) + "\n")
    out.write("== 3. pkcs12kit check --target asa: would the ASA import it?\n")
    findings = targets.assess(p12, "asa", password=SAMPLE_PASSWORD, at=args.at, days=args.days)
    out.write(report_text(SAMPLE, "asa", findings, file=SAMPLE, passin="env:P12PASS") + "\n")
    profile = targets.profile_for("asa")
    out.write(f"== 4. pkcs12kit repack --target asa (profile {profile.name}), in memory\n")
    der = dumps(p12, SAMPLE_PASSWORD, profile=profile)
    repacked = loads(der, SAMPLE_PASSWORD)
    assert repacked.mac is not None and repacked.profile is not None  # a decoded file with a MAC
    out.write(f"{len(der)} bytes; MAC HMAC-{repacked.mac.digest.upper()}, profile {repacked.profile.name}; "
              f"same keys and certificates: {repacked == p12}\n\n")
    out.write("== 5. pkcs12kit check --target asa, again\n")
    after = targets.assess(repacked, "asa", password=SAMPLE_PASSWORD, at=args.at, days=args.days)
    out.write(report_text("repacked", "asa", after, file="repacked.p12", passin="env:P12PASS") + "\n")
    out.write("== 6. pkcs12kit cisco-import --platform asa --trustpoint IOSXE-TP: paste this on the ASA\n")
    errors = [finding.code for finding in after if finding.severity == "error"]
    if errors:
        out.write(f"(cisco-import refuses to write this while an error remains ({', '.join(errors)}), "
                  "unless --force-target; this is what it would write)\n")
    out.write(cisco.import_session(der, SAMPLE_PASSWORD, "asa", "IOSXE-TP"))
    for warning in cisco.trustpoint(repacked, "asa", name="IOSXE-TP").warnings:
        out.write(f"note: {warning}\n")
    return EXIT_OK
