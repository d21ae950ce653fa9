"""The ``pkcs12kit`` command: inspect, check, convert, re-protect and build PKCS#12 files.

Exports: main, EXIT_CODES, exit_code, info_document (and, re-exported from the modules below:
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, UsageError, build_parser, Session,
info_text, name_text, check_text).

Subcommands: info, show, convert, repack, create, extract, check, cisco-import, demo (docs/cli.md
has each one with examples, the exit codes, the password sources and the ``info --json`` schema).

Safety rules every subcommand follows: outputs are written with `api.write_atomically` (a
temporary file in the same directory, fsync, then a rename or link: never a partial file); an
output is never the input file (same path or inode), except ``repack --in-place``, which first
keeps a backup ``IN.bak``; an existing file is replaced only with ``--force``; ``-o -`` writes to
standard output. Passwords come from `pkcs12kit.cli.passwords` sources and never appear in messages.

Modules: `exits` (exit codes), `parser` (arguments, examples), `session` (inputs, passwords,
outputs), `passwords` (password sources), `output` (what is printed), and one module per command
group: `inspect` (info, show, check), `write` (convert, repack, create, extract),
`cisco_commands` (cisco-import, demo).
"""

from __future__ import annotations

import os
import sys

from ..errors import PKCS12Error
from .cisco_commands import cmd_cisco_import, cmd_demo
from .exits import (
    EXIT_CODES,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    exit_code,
)
from .inspect import cmd_check, cmd_info, cmd_show
from .output import check_text, info_document, info_text, name_text
from .parser import build_parser
from .passwords import PasswordSourceError
from .scan_command import cmd_scan
from .session import Session
from .write import cmd_convert, cmd_create, cmd_extract, cmd_repack
from ..textsafe import printable

__all__ = [
    "main", "EXIT_CODES", "exit_code", "info_document",
    "EXIT_OK", "EXIT_FINDINGS", "EXIT_USAGE", "EXIT_INTERNAL", "UsageError", "build_parser", "Session",
    "info_text", "name_text", "check_text",
]

_COMMANDS = {
    "info": cmd_info,
    "show": cmd_show,
    "convert": cmd_convert,
    "repack": cmd_repack,
    "create": cmd_create,
    "extract": cmd_extract,
    "check": cmd_check,
    "cisco-import": cmd_cisco_import,
    "demo": cmd_demo,
    "scan": cmd_scan,
}


def _os_message(err: OSError) -> str:
    reason = (err.strerror or str(err) or type(err).__name__)
    reason = reason[:1].lower() + reason[1:]
    if err.filename is not None:
        return f"{err.filename}: {reason}"
    return reason


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    session = None
    try:
        session = Session(args)
        session.read_sources()
        return _COMMANDS[args.command](session)
    except KeyboardInterrupt:
        print("pkcs12kit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`); stop quietly without a second error at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_USAGE
    except (PKCS12Error, UsageError, PasswordSourceError) as err:
        print(f"pkcs12kit: error: {printable(err)}", file=sys.stderr)
        return exit_code(err)
    except OSError as err:
        print(f"pkcs12kit: error: {_os_message(err)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: say so without a traceback (and without any secret)
        print(f"pkcs12kit: internal error: {type(err).__name__} (please report it; "
              "set PKCS12KIT_DEBUG=1 for a traceback)", file=sys.stderr)
        if os.environ.get("PKCS12KIT_DEBUG"):
            raise
        return EXIT_INTERNAL
    finally:
        if session is not None:
            session.close()
