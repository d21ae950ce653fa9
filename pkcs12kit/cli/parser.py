"""Argument parsing for the pkcs12kit command: the parser, each command's examples and the
exit-code epilog, and the ``--profile``/``--target`` argument types.

Exports: build_parser, EXIT_EPILOG, chosen_profile, profile_requested, needs_password.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import cast

from .. import __version__, targets
from ..profiles import PROFILES, Profile
from ..transcripts import PLATFORMS
from .scan_command import SCAN_EXAMPLES, add_scan_arguments
from .verdict import parse_at_arg

__all__ = ["build_parser", "EXIT_EPILOG", "chosen_profile", "profile_requested", "needs_password"]

EXIT_EPILOG = """\
severities (the same in every command):
  error    the target refuses the file, or the data is unusable (an expired certificate)
  warning  it may fail, or the fact is [unverified]
  note     for your information
  commands that write for a target (create/repack --target, convert --to asa|ios|ios-pem,
  cisco-import) check what they write and refuse it while an error remains (exit 7) unless
  --force-target; warnings and notes go to standard error.

exit codes:
  0  success (check: no errors; warnings and notes allowed unless --strict)
  1  check: errors (the target refuses the file), or warnings with --strict
  2  usage error, password source error, unreadable or missing file, output refused
     (exists without --force, or is the input file)
  3  malformed input (not PKCS#12, broken base64 or PEM, a cut-short paste: the message names the line)
  4  wrong password, or a password is needed and none could be asked for
  5  unsupported algorithm
  6  a limit was exceeded (iterations, size, nesting)
  7  cannot encode what was asked (a password the device CLI cannot take; the target would
     refuse what was to be written)
  8  internal error (a bug: please report it)

password sources (--passin, --passout), as openssl takes them:
  pass:TEXT  env:VAR  file:PATH (first line)  fd:N  stdin (first line)  prompt
  without one, pkcs12kit asks on the controlling terminal (never echoed), even when the data
  comes from standard input, as openssl does;
  the same file:/fd:/stdin source for --passin and --passout gives line 1 and line 2.
  --macpass SRC: a separate MAC (integrity) password (openssl -twopass), read after them:
  the input's (files written by convert/repack have one password), or for create the output's.
"""

# --- profiles and targets --------------------------------------------------------------------


def _profile_arg(value: str) -> Profile:
    for name, profile in PROFILES.items():
        if name.lower() == value.lower().replace("-", "_"):
            return profile
    raise argparse.ArgumentTypeError(f"unknown profile {value!r}; choose from {', '.join(PROFILES)}")


def _target_names() -> list[str]:
    return list(targets.TARGETS)


def _target_arg(value: str) -> str:
    names = _target_names()
    if value in names:
        return value
    lowered = {name.lower(): name for name in names}
    if value.lower() in lowered:
        return lowered[value.lower()]
    raise argparse.ArgumentTypeError(f"unknown target {value!r}; choose from {', '.join(names)}")


def chosen_profile(args: argparse.Namespace, default: Profile) -> Profile:
    """--profile, else --target's profile, else ``default``."""
    if getattr(args, "profile", None) is not None:
        return cast(Profile, args.profile)
    if getattr(args, "target", None) is not None:
        return targets.profile_for(args.target)
    return default


def profile_requested(args: argparse.Namespace) -> bool:
    """Whether --profile or --target was given."""
    return getattr(args, "profile", None) is not None or getattr(args, "target", None) is not None


def needs_password(profile: Profile) -> bool:
    """Whether ``profile`` protects anything (keys, certificates or a MAC) with a password."""
    return not (profile.key_protection is None and profile.cert_protection is None and profile.mac is None)


# --- argument parsing ------------------------------------------------------------------------

_EXAMPLES = {
    "info": """\
examples:
  pkcs12kit info server.p12 --passin env:P12PASS
  pkcs12kit info asa-export.txt --passin file:pw.txt --json
  pkcs12kit info server.p12 --passin env:P12PASS --at 2027-01-01   # validity as of a date
  cat router-paste.txt | pkcs12kit info - --passin env:P12PASS       # a pasted export
""",
    "show": """\
examples:
  pkcs12kit show server.p12 --platform asa --trustpoint VPN-TP --passin env:P12PASS
  pkcs12kit show router-paste.txt --platform ios --passin env:P12PASS
""",
    "convert": """\
examples:
  pkcs12kit convert server.p12 -o asa.txt --to asa --target asa --passin env:P12PASS
  pkcs12kit convert asa-export.txt -o from-asa.p12 --to der --passin file:pw.txt
  pkcs12kit convert server.p12 -o ios-pem.txt --to ios-pem --trustpoint TP --passin env:P12PASS
  pkcs12kit convert server.p12 -o key-and-certs.pem --to pem-bundle --passin env:P12PASS --passout env:KEYPASS
  pkcs12kit convert bundle.pem -o rebuilt.p12 --to der --passout env:P12PASS
""",
    "repack": """\
examples:
  pkcs12kit repack openssl3.p12 -o asa.p12 --target asa --passin env:P12PASS
  pkcs12kit repack old.p12 -o new.p12 --passin file:pw.txt --passout file:pw.txt   # line 1, line 2
  pkcs12kit repack twopass.p12 -o one.p12 --passin env:P12PASS --macpass env:MACPASS  # -twopass → one password
  pkcs12kit repack server.p12 -o asa.p12 --target asa --drop-root --passin env:P12PASS
  pkcs12kit repack server.p12 -o full.p12 --add-cert ca.pem --passin env:P12PASS
  pkcs12kit repack server.p12 --in-place --profile MODERN --passin env:P12PASS      # keeps server.p12.bak
""",
    "create": """\
examples:
  pkcs12kit create -o vpn.p12 --key server.key --cert server.crt --chain ca.pem --name server \\
      --target asa --passout env:P12PASS
  pkcs12kit create -o id.p12 --key enc.key --passin file:keypass.txt --cert server.crt --passout env:P12PASS
""",
    "extract": """\
examples:
  pkcs12kit extract server.p12 -o key.pem --keys --passin env:P12PASS --passout env:KEYPASS
  pkcs12kit extract server.p12 -o fullchain.pem --chain --passin env:P12PASS
  pkcs12kit extract server.p12 --keys --nodes --passin env:P12PASS | openssl pkey -noout -text
""",
    "check": """\
examples:
  pkcs12kit check openssl3.p12 --target asa --passin env:P12PASS --strict
  pkcs12kit check server.p12 --target iosxe --hostname vpn.example.com --passin env:P12PASS --json
  pkcs12kit check server.p12 --target asa --days 60 --at 2027-01-01 --passin env:P12PASS
  pkcs12kit check openssl3.p12 --target asa --passin env:P12PASS || \\
      pkcs12kit repack openssl3.p12 -o asa.p12 --target asa --passin env:P12PASS
""",
    "cisco-import": """\
examples:
  pkcs12kit cisco-import server.p12 --platform asa --trustpoint VPN-TP --passin env:P12PASS
  pkcs12kit cisco-import server.p12 --platform ios --trustpoint TP --passin env:P12PASS --passout pass:NewPass123
  cat server.p12 | pkcs12kit cisco-import - --platform asa --trustpoint TP --passin env:P12PASS -o asa.txt
""",
    "demo": """\
examples:
  pkcs12kit demo
  pkcs12kit demo --at 2026-01-01
""",
    "scan": SCAN_EXAMPLES,
}


def _sentence(text: str) -> str:
    """A help text as a sentence: capitalised, with a full stop unless it ends with '?' or '.'."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(("?", ".", "!")) else text + "."


def _epilog(command: str) -> str:
    return _EXAMPLES[command] + "\n" + EXIT_EPILOG


def _add_passin(
    parser: argparse.ArgumentParser, help_text: str = "password source for the input (default: none, else a prompt)"
) -> None:
    parser.add_argument("--passin", metavar="SRC", help=help_text)


def _add_macpass(parser: argparse.ArgumentParser,
                 help_text: str = "MAC (integrity) password source of the input when it differs "
                 "from its privacy password (openssl -twopass; default: the --passin password)") -> None:
    parser.add_argument("--macpass", metavar="SRC", help=help_text)


def _add_passout(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--passout", metavar="SRC", help=help_text)


def _add_profile(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--profile", metavar="P", type=_profile_arg,
                       help=f"encode profile: {', '.join(PROFILES)}")
    group.add_argument("--target", metavar="T", type=_target_arg,
                       help=f"write what this target imports: {', '.join(_target_names())}")


def _add_health(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", metavar="DATE", type=parse_at_arg,
                        help="the date certificates are judged at, YYYY-MM-DD or ISO 8601 (default: now)")
    parser.add_argument("--days", metavar="N", type=int, default=30,
                        help="warn when a certificate expires within N days (default 30)")


def _add_force_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force-target", action="store_true",
                        help="write even when the target would refuse the result (errors are then warnings)")


def _terminal_columns() -> int:
    """The terminal width as `shutil.get_terminal_size` finds it: COLUMNS, else the width of
    standard output's terminal, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, told the terminal width instead of asking shutil for it.

    argparse makes a formatter for every ``add_argument`` (to check the metavar), and without a
    width each one imports shutil (with bz2, lzma and fnmatch): about 2 ms of every start,
    help or not (issue 12).
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         _terminal_columns() - 2 if width is None else width)


def build_parser(command_name: str | None = None) -> argparse.ArgumentParser:
    """The command's parser. With ``command_name`` (the command the arguments name), the other
    commands are registered with their help line only, not their arguments: argparse hands the
    arguments after a command name to that command's parser alone, so parsing is the same, and
    `main` saves building nine parsers' arguments at every start (about 3 ms, issue 12)."""
    formatter = _Formatter

    def wanted(name: str) -> bool:
        return command_name is None or command_name == name
    parser = argparse.ArgumentParser(
        prog="pkcs12kit", formatter_class=formatter,
        description="Read, check, convert and write PKCS#12 (.p12/.pfx) files, and Cisco IOS/ASA "
                    "terminal exports and imports.",
        epilog="examples:\n  pkcs12kit demo\n  pkcs12kit info server.p12 --passin env:P12PASS\n"
               "  pkcs12kit check server.p12 --target asa --passin env:P12PASS\n\n" + EXIT_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"pkcs12kit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, description=_sentence(help_text),
                                   epilog=_epilog(name), formatter_class=formatter)

    platforms = sorted(PLATFORMS)

    info = command("info", "print what a PKCS#12 file holds and how it is protected")
    if wanted("info"):
        info.add_argument("input", metavar="FILE", help="DER, base64, PEM armor, a Cisco transcript or a PEM bundle; - for stdin")
        _add_passin(info)
        _add_macpass(info)
        info.add_argument("--json", action="store_true", help="a machine-readable document (schema: docs/cli.md)")
        _add_health(info)

    show = command("show", "preview the device's 'show crypto ca|pki certificates' after importing the file")
    if wanted("show"):
        show.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
        show.add_argument("--platform", required=True, choices=platforms, help="the Cisco platform")
        show.add_argument("--trustpoint", default="TP", metavar="NAME", help="trustpoint name (default TP)")
        _add_passin(show)
        _add_macpass(show)

    convert = command("convert", "convert between DER, Cisco ASA/IOS export text, PEM armor and a PEM bundle")
    if wanted("convert"):
        convert.add_argument("input", metavar="IN", help="the input (any form, or a PEM bundle); - for stdin")
        convert.add_argument("-o", "--output", required=True, metavar="OUT", help="output file; - for stdout")
        convert.add_argument("--to", required=True,
                             choices=("der", "asa", "ios", "ios-pem", "pem", "base64", "pem-bundle"),
                             help="der: binary PKCS#12; asa/ios: the device's export text; ios-pem: the IOS "
                                  "'crypto pki import TP pem terminal password' session; pem: -----BEGIN PKCS12----- "
                                  "armor; base64: bare base64; pem-bundle: keys and certificates as PEM")
        convert.add_argument("--trustpoint", default="TP", metavar="NAME", help="trustpoint of --to ios-pem (default TP)")
        _add_passin(convert)
        _add_macpass(convert)
        _add_passout(convert, "output password (default: the input's); for pem-bundle, encrypts the key")
        _add_profile(convert)
        convert.add_argument("--force", action="store_true", help="replace an existing output file")
        _add_force_target(convert)
        _add_health(convert)

    repack = command("repack", "re-protect a PKCS#12: new password, profile or target")
    if wanted("repack"):
        repack.add_argument("input", metavar="IN", help="the PKCS#12 (any form); - for stdin")
        repack.add_argument("-o", "--output", metavar="OUT", help="output file (DER); - for stdout")
        _add_passin(repack)
        _add_macpass(repack)
        _add_passout(repack, "new password (default: keep the input's)")
        _add_profile(repack)
        repack.add_argument("--force", action="store_true", help="replace an existing output file (never the input)")
        repack.add_argument("--in-place", action="store_true", help="replace IN itself, keeping the original as IN.bak")
        chain = repack.add_argument_group("chain (these rebuild the identity: key, certificate, chain leaf to root)")
        chain.add_argument("--drop-root", action="store_true", help="leave out the self-signed root CA")
        chain.add_argument("--drop-cert", action="append", default=[], metavar="CERT",
                           help="leave out a certificate: its subject as info prints it, or sha256:HEX (a "
                                "fingerprint prefix); repeatable")
        chain.add_argument("--add-cert", action="append", default=[], metavar="PEM",
                           help="add the certificates of a PEM (or DER) file to the chain; repeatable")
        chain.add_argument("--rebuild", action="store_true",
                           help="rebuild the identity (shared localKeyId, chain in leaf to root order)")
        _add_force_target(repack)
        _add_health(repack)

    create = command("create", "build a PKCS#12 from a private key and certificates")
    if wanted("create"):
        create.add_argument("-o", "--output", required=True, metavar="OUT", help="output file (DER); - for stdout")
        create.add_argument("--key", required=True, metavar="KEY", help="private key, PEM or DER (PKCS#8, PKCS#1, SEC 1)")
        create.add_argument("--cert", required=True, metavar="CERT", help="its certificate, PEM or DER")
        create.add_argument("--chain", action="append", default=[], metavar="CHAIN",
                            help="CA certificates (PEM bundle or DER); repeatable")
        create.add_argument("--name", metavar="NAME", help="friendly name (alias) of the key and certificate")
        _add_profile(create)
        _add_passout(create, "password of the new file (default: a prompt)")
        _add_passin(create, "pass phrase of an encrypted KEY")
        _add_macpass(create, "a separate MAC (integrity) password for the new file (openssl -twopass; "
                     "default: the --passout password)")
        create.add_argument("--force", action="store_true", help="replace an existing output file")
        _add_force_target(create)
        _add_health(create)

    extract = command("extract", "write keys and certificates as PEM")
    if wanted("extract"):
        extract.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
        extract.add_argument("-o", "--output", default="-", metavar="OUT", help="output file (default: stdout)")
        what = extract.add_mutually_exclusive_group()
        what.add_argument("--keys", action="store_true", help="private keys only")
        what.add_argument("--certs", action="store_true", help="every certificate, no keys")
        what.add_argument("--chain", action="store_true", help="the identity certificate then its issuers, leaf to root")
        _add_passin(extract)
        _add_macpass(extract)
        protect = extract.add_mutually_exclusive_group()
        protect.add_argument("--passout", metavar="SRC", help="pass phrase to encrypt the keys (default: a prompt)")
        protect.add_argument("--nodes", action="store_true", help="write keys unencrypted")
        extract.add_argument("--force", action="store_true", help="replace an existing output file")

    check = command("check", "would a target (Cisco ASA/IOS, Windows, Java...) import this file?")
    if wanted("check"):
        check.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
        check.add_argument("--target", required=True, metavar="T", type=_target_arg,
                           help=f"one of: {', '.join(_target_names())}")
        check.add_argument("--hostname", metavar="H", help="also check that the certificate names this host")
        _add_passin(check)
        _add_macpass(check)
        check.add_argument("--json", action="store_true", help="a machine-readable report")
        check.add_argument("--strict", action="store_true", help="exit 1 on warnings too (default: only on errors)")
        check.add_argument("--fail-on", choices=("warning", "error"), default=None,
                           help="--fail-on warning is --strict; --fail-on error the default")
        _add_health(check)

    cisco_import = command("cisco-import", "print the paste-ready device session that imports the file")
    if wanted("cisco-import"):
        cisco_import.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
        cisco_import.add_argument("--platform", required=True, choices=platforms, help="the Cisco platform")
        cisco_import.add_argument("--trustpoint", required=True, metavar="NAME", help="trustpoint name")
        _add_passin(cisco_import)
        _add_macpass(cisco_import)
        _add_passout(cisco_import, "password typed on the device (default: the input's)")
        _add_profile(cisco_import)
        cisco_import.add_argument("-o", "--output", metavar="OUT", help="write the session to a file (default: stdout)")
        cisco_import.add_argument("--force", action="store_true", help="replace an existing output file")
        _add_force_target(cisco_import)
        _add_health(cisco_import)

    demo = command("demo", "run the whole workflow on an embedded IOS-XE export (no files written)")
    if wanted("demo"):
        _add_health(demo)

    scan = command("scan", "audit many PKCS#12 files: status, protection, certificate health, import readiness")
    if wanted("scan"):
        add_scan_arguments(scan, _target_arg)
    return parser
