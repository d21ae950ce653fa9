"""The ``pkcs12kit`` command: inspect, check, convert, re-protect and build PKCS#12 files.

Exports: main, run, EXIT_CODES, exit_code, info_document (and, re-exported from the modules below:
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

import gc
import os
import sys
from typing import Callable

from ..errors import PKCS12Error
from .exits import (
    EXIT_CODES,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    exit_code,
)
from .output import check_text, info_document, info_text, name_text
from .parser import build_parser
from .passwords import PasswordSourceError
from .session import Session
from ..textsafe import printable

__all__ = [
    "main", "run", "EXIT_CODES", "exit_code", "info_document",
    "EXIT_OK", "EXIT_FINDINGS", "EXIT_USAGE", "EXIT_INTERNAL", "UsageError", "build_parser", "Session",
    "info_text", "name_text", "check_text",
]

# The subcommands (`_command` runs them; `build_parser` builds only the one named, when one is).
_COMMAND_NAMES = frozenset({"info", "show", "check", "convert", "repack", "create", "extract", "cisco-import", "demo",
                            "scan"})


def _command(name: str) -> Callable[[Session], int]:
    """The function that runs command ``name`` (a subcommand of `build_parser`).

    Its module is imported here, when the command runs: `info` then loads neither the writers,
    the Cisco sessions nor the scan machinery (about 10 ms of start-up, issue 12).
    """
    # import time: each command group's module loads only when one of its commands runs
    if name in ("info", "show", "check"):
        from . import inspect

        return {"info": inspect.cmd_info, "show": inspect.cmd_show, "check": inspect.cmd_check}[name]
    if name in ("convert", "repack", "create", "extract"):
        from . import write

        return {"convert": write.cmd_convert, "repack": write.cmd_repack, "create": write.cmd_create,
                "extract": write.cmd_extract}[name]
    if name in ("cisco-import", "demo"):
        from . import cisco_commands

        return cisco_commands.cmd_cisco_import if name == "cisco-import" else cisco_commands.cmd_demo
    if name == "scan":
        from . import scan_command

        return scan_command.cmd_scan
    raise KeyError(name)


def _os_message(err: OSError) -> str:
    reason = (err.strerror or str(err) or type(err).__name__)
    reason = reason[:1].lower() + reason[1:]
    if err.filename is not None:
        return f"{err.filename}: {reason}"
    return reason


def run() -> None:
    """The ``pkcs12kit`` program (the console script and ``python -m pkcs12kit``): `main` with
    the process's arguments, then exit with its code.

    The modules imported by now (about 20,000 objects) live until the process ends, so they are
    moved out of the cyclic collector's reach first (`gc.freeze`), and whatever the command left
    is frozen too before exiting: the collector's later passes, and the full one the interpreter
    makes at exit, no longer scan them. That was about 15 ms of ``info`` on a small file (issue
    12). Not done by `main`, which callers run inside their own process.
    """
    gc.freeze()
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    arguments = sys.argv[1:] if argv is None else argv
    named = arguments[0] if arguments and arguments[0] in _COMMAND_NAMES else None
    args = build_parser(named).parse_args(arguments)
    session = None
    try:
        session = Session(args)
        session.read_sources()
        return _command(args.command)(session)
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
