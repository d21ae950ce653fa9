"""Argument parsing for the pkcs12kit command: the parser, each command's examples and the
exit-code epilog, and the ``--profile``/``--target`` argument types.

Exports: build_parser, EXIT_EPILOG, chosen_profile, profile_requested, needs_password.
"""

from __future__ import annotations

import argparse
from typing import cast

from .. import __version__, cisco, targets
from ..profiles import PROFILES, Profile

__all__ = ["build_parser", "EXIT_EPILOG", "chosen_profile", "profile_requested", "needs_password"]

EXIT_EPILOG = """\
exit codes:
  0  success (check: no findings, the target accepts the file)
  1  check: findings (the target refuses or may refuse the file; see --fail-on)
  2  usage error, password source error, unreadable or missing file, output refused
     (exists without --force, or is the input file)
  3  malformed input (not PKCS#12, broken base64 or PEM: the message names the line)
  4  wrong password, or a password is needed and none could be asked for
  5  unsupported algorithm
  6  a limit was exceeded (iterations, size, nesting)
  7  cannot encode what was asked (e.g. a password the device CLI cannot take)
  8  internal error (a bug: please report it)

password sources (--passin, --passout), as openssl takes them:
  pass:TEXT  env:VAR  file:PATH (first line)  fd:N  stdin (first line)  prompt
  without one, pkcs12kit asks on the terminal (never echoed) when a password is needed;
  the same file:/fd:/stdin source for --passin and --passout gives line 1 and line 2.
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
  ssh asa 'show run' | pkcs12kit info - --passin pass:cisco123
""",
    "show": """\
examples:
  pkcs12kit show server.p12 --platform asa --trustpoint VPN-TP --passin env:P12PASS
  pkcs12kit show iosxe-export.txt --platform ios --passin pass:cisco123
""",
    "convert": """\
examples:
  pkcs12kit convert server.p12 -o asa.txt --to asa --target asa --passin env:P12PASS
  pkcs12kit convert asa-export.txt -o server.p12 --to der --passin file:pw.txt
  pkcs12kit convert server.p12 -o bundle.pem --to pem-bundle --passin env:P12PASS --passout env:KEYPASS
  pkcs12kit convert bundle.pem -o server.p12 --to der --passout env:P12PASS
""",
    "repack": """\
examples:
  pkcs12kit repack openssl3.p12 -o asa.p12 --target asa --passin env:P12PASS
  pkcs12kit repack old.p12 -o new.p12 --passin file:pw.txt --passout file:pw.txt   # line 1, line 2
  pkcs12kit repack server.p12 --in-place --profile MODERN --passin env:P12PASS      # keeps server.p12.bak
""",
    "create": """\
examples:
  pkcs12kit create -o server.p12 --key server.key --cert server.crt --chain ca.pem --name server \\
      --target asa --passout env:P12PASS
  pkcs12kit create -o id.p12 --key enc.key --passin file:keypass.txt --cert id.crt --passout prompt
""",
    "extract": """\
examples:
  pkcs12kit extract server.p12 -o server.key --keys --passin env:P12PASS --passout env:KEYPASS
  pkcs12kit extract server.p12 -o fullchain.pem --chain --passin env:P12PASS
  pkcs12kit extract server.p12 --nodes --passin pass:secret | openssl pkey -noout -text
""",
    "check": """\
examples:
  pkcs12kit check openssl3.p12 --target asa --passin env:P12PASS
  pkcs12kit check server.p12 --target iosxe --hostname vpn.example.com --passin env:P12PASS --json
  pkcs12kit check server.p12 --target asa --passin env:P12PASS || pkcs12kit repack ...
""",
    "cisco-import": """\
examples:
  pkcs12kit cisco-import server.p12 --platform asa --trustpoint VPN-TP --passin env:P12PASS
  pkcs12kit cisco-import server.p12 --platform ios --trustpoint TP --passin env:P12PASS --passout pass:NewPass123
""",
    "demo": """\
examples:
  pkcs12kit demo
""",
}


def _epilog(command: str) -> str:
    return _EXAMPLES[command] + "\n" + EXIT_EPILOG


def _add_passin(
    parser: argparse.ArgumentParser, help_text: str = "password source for the input (default: none, else a prompt)"
) -> None:
    parser.add_argument("--passin", metavar="SRC", help=help_text)


def _add_passout(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--passout", metavar="SRC", help=help_text)


def _add_profile(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--profile", metavar="P", type=_profile_arg,
                       help=f"encode profile: {', '.join(PROFILES)}")
    group.add_argument("--target", metavar="T", type=_target_arg,
                       help=f"write what this target imports: {', '.join(_target_names())}")


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
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
        return commands.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".",
                                   epilog=_epilog(name), formatter_class=formatter)

    platforms = sorted(cisco.PLATFORMS)

    info = command("info", "print what a PKCS#12 file holds and how it is protected")
    info.add_argument("input", metavar="FILE", help="DER, base64, PEM armor, a Cisco transcript or a PEM bundle; - for stdin")
    _add_passin(info)
    info.add_argument("--json", action="store_true", help="a machine-readable document (schema: docs/cli.md)")

    show = command("show", "preview the device's 'show crypto ca|pki certificates' after importing the file")
    show.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
    show.add_argument("--platform", required=True, choices=platforms, help="the Cisco platform")
    show.add_argument("--trustpoint", default="TP", metavar="NAME", help="trustpoint name (default TP)")
    _add_passin(show)

    convert = command("convert", "convert between DER, Cisco ASA/IOS export text, PEM armor and a PEM bundle")
    convert.add_argument("input", metavar="IN", help="the input (any form, or a PEM bundle); - for stdin")
    convert.add_argument("-o", "--output", required=True, metavar="OUT", help="output file; - for stdout")
    convert.add_argument("--to", required=True, choices=("der", "asa", "ios", "pem", "base64", "pem-bundle"),
                         help="der: binary PKCS#12; asa/ios: the device's export text; pem: -----BEGIN PKCS12----- "
                              "armor; base64: bare base64; pem-bundle: keys and certificates as PEM")
    _add_passin(convert)
    _add_passout(convert, "output password (default: the input's); for pem-bundle, encrypts the key")
    _add_profile(convert)
    convert.add_argument("--force", action="store_true", help="replace an existing output file")

    repack = command("repack", "re-protect a PKCS#12: new password, profile or target")
    repack.add_argument("input", metavar="IN", help="the PKCS#12 (any form); - for stdin")
    repack.add_argument("-o", "--output", metavar="OUT", help="output file (DER); - for stdout")
    _add_passin(repack)
    _add_passout(repack, "new password (default: keep the input's)")
    _add_profile(repack)
    repack.add_argument("--force", action="store_true", help="replace an existing output file (never the input)")
    repack.add_argument("--in-place", action="store_true", help="replace IN itself, keeping the original as IN.bak")

    create = command("create", "build a PKCS#12 from a private key and certificates")
    create.add_argument("-o", "--output", required=True, metavar="OUT", help="output file (DER); - for stdout")
    create.add_argument("--key", required=True, metavar="KEY", help="private key, PEM or DER (PKCS#8, PKCS#1, SEC 1)")
    create.add_argument("--cert", required=True, metavar="CERT", help="its certificate, PEM or DER")
    create.add_argument("--chain", action="append", default=[], metavar="CHAIN",
                        help="CA certificates (PEM bundle or DER); repeatable")
    create.add_argument("--name", metavar="NAME", help="friendly name (alias) of the key and certificate")
    _add_profile(create)
    _add_passout(create, "password of the new file (default: a prompt)")
    _add_passin(create, "pass phrase of an encrypted KEY")
    create.add_argument("--force", action="store_true", help="replace an existing output file")

    extract = command("extract", "write keys and certificates as PEM")
    extract.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
    extract.add_argument("-o", "--output", default="-", metavar="OUT", help="output file (default: stdout)")
    what = extract.add_mutually_exclusive_group()
    what.add_argument("--keys", action="store_true", help="private keys only")
    what.add_argument("--certs", action="store_true", help="every certificate, no keys")
    what.add_argument("--chain", action="store_true", help="the identity certificate then its issuers, leaf to root")
    _add_passin(extract)
    protect = extract.add_mutually_exclusive_group()
    protect.add_argument("--passout", metavar="SRC", help="pass phrase to encrypt the keys (default: a prompt)")
    protect.add_argument("--nodes", action="store_true", help="write keys unencrypted")
    extract.add_argument("--force", action="store_true", help="replace an existing output file")

    check = command("check", "would a target (Cisco ASA/IOS, Windows, Java...) import this file?")
    check.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
    check.add_argument("--target", required=True, metavar="T", type=_target_arg,
                       help=f"one of: {', '.join(_target_names())}")
    check.add_argument("--hostname", metavar="H", help="also check that the certificate names this host")
    _add_passin(check)
    check.add_argument("--json", action="store_true", help="a machine-readable report")
    check.add_argument("--fail-on", choices=("warning", "error"), default="warning",
                       help="exit 1 on any finding (warning, the default) or only on errors")

    cisco_import = command("cisco-import", "print the paste-ready device session that imports the file")
    cisco_import.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
    cisco_import.add_argument("--platform", required=True, choices=platforms, help="the Cisco platform")
    cisco_import.add_argument("--trustpoint", required=True, metavar="NAME", help="trustpoint name")
    _add_passin(cisco_import)
    _add_passout(cisco_import, "password typed on the device (default: the input's)")
    _add_profile(cisco_import)
    cisco_import.add_argument("-o", "--output", metavar="OUT", help="write the session to a file (default: stdout)")
    cisco_import.add_argument("--force", action="store_true", help="replace an existing output file")

    command("demo", "run the whole workflow on an embedded IOS-XE export (no files written)")
    return parser
