"""The ``pkcs12kit`` command: ``info`` prints what a PKCS#12 file holds; ``demo`` runs it on an
embedded sample (a real IOS-XE ``crypto pki export ... pkcs12 terminal`` transcript).

Exports: main, describe.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from importlib import resources

from . import loads
from .errors import (
    BadPasswordError,
    LimitExceededError,
    MalformedError,
    PKCS12Error,
    UnsupportedAlgorithmError,
)

__all__ = ["main", "describe"]

# One exit code per error class (documented in docs/cli.md).
EXIT_CODES = {
    MalformedError: 3,
    BadPasswordError: 4,
    UnsupportedAlgorithmError: 5,
    LimitExceededError: 6,
}
SAMPLE = "iosxe-trustpoint-export.txt"
SAMPLE_PASSWORD = "cisco123"


def describe(p12) -> str:
    """A human-readable summary of a decoded `PKCS12`."""
    lines = []
    if p12.mac is None:
        lines.append("integrity: none (no MAC)")
    else:
        state = "verified" if p12.mac_verified else "NOT verified"
        mac = p12.mac
        detail = f"PBMAC1 HMAC-{mac.digest.upper()} (PBKDF2-HMAC-{(mac.prf or '').upper()})" if mac.kind == "pbmac1" else f"HMAC-{mac.digest.upper()}"
        lines.append(f"integrity: {detail}, {mac.iterations} iterations, {len(mac.salt)}-byte salt, {state}")
    if p12.password_encoding:
        lines.append(f"password encoding: {p12.password_encoding}")
    for index, safe in enumerate(p12.safes):
        if safe.protection is None:
            lines.append(f"safe {index}: data (not encrypted), {safe.bag_count} bag(s)")
        else:
            lines.append(f"safe {index}: encryptedData {_protection(safe.protection)}, {safe.bag_count} bag(s)")
    for entry in p12.keys:
        how = f" [{_protection(entry.protection)}]" if entry.protection else " [keyBag, not encrypted]"
        lines.append(f"key: {entry!r}{how}")
    identity = p12.certificate
    for entry in p12.certificates:
        mark = " (identity)" if entry is identity else ""
        lines.append(f"certificate{mark}: {entry!r}")
    for entry in p12.crls + p12.secrets + p12.unknown_bags:
        lines.append(f"other: {entry!r}")
    return "\n".join(lines)


def _protection(protection) -> str:
    parts = [protection.scheme]
    if protection.scheme == "pbes2":
        parts = [f"PBES2 {protection.kdf}"]
        if protection.prf:
            parts.append(f"HMAC-{protection.prf.upper()}")
        parts.append(protection.cipher or "?")
    if protection.iterations is not None:
        parts.append(f"{protection.iterations} iterations")
    return " ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pkcs12kit", description="Read PKCS#12 (.p12/.pfx) files.")
    commands = parser.add_subparsers(dest="command", required=True)
    info = commands.add_parser("info", help="print what a PKCS#12 file holds")
    info.add_argument("file", help="a .p12/.pfx file, base64, PEM-armored or a Cisco transcript")
    info.add_argument("--password", help="the password (prompted for when omitted)")
    info.add_argument("--no-password", action="store_true", help="the file has no password")
    commands.add_parser("demo", help="decode the embedded IOS-XE trustpoint export sample")
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            text = resources.files("pkcs12kit").joinpath("samples", SAMPLE).read_text()
            print(f"Decoding an IOS-XE 'crypto pki export ... pkcs12 terminal' transcript ({SAMPLE}):")
            print(describe(loads(text, SAMPLE_PASSWORD)))
            return 0
        with open(args.file, "rb") as handle:
            data = handle.read()
        password = None if args.no_password else args.password
        if password is None and not args.no_password:
            password = getpass.getpass("PKCS#12 password: ") if sys.stdin.isatty() else None
        print(describe(loads(data, password)))
        return 0
    except PKCS12Error as err:
        print(f"pkcs12kit: error: {err}", file=sys.stderr)
        for kind, code in EXIT_CODES.items():
            if isinstance(err, kind):
                return code
        return 2
    except OSError as err:
        print(f"pkcs12kit: error: {err}", file=sys.stderr)
        return 2
