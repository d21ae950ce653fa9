"""The pkcs12kit command's exit codes, and the error that means "usage" (exit 2).

Exports: EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_CODES, UsageError, exit_code.

The table is documented in docs/cli.md "Exit codes" and in every command's ``--help``
(`pkcs12kit.cli.parser.EXIT_EPILOG`); `pkcs12kit.cli` re-exports these names.
"""

from __future__ import annotations

from ..errors import (
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    PKCS12Error,
    UnsupportedAlgorithmError,
)
from .passwords import PasswordSourceError

__all__ = ["EXIT_OK", "EXIT_FINDINGS", "EXIT_USAGE", "EXIT_INTERNAL", "EXIT_CODES", "UsageError", "exit_code"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 8
# One exit code per error class (docs/cli.md "Exit codes"); subclasses before their bases.
EXIT_CODES = {
    MalformedError: 3,
    BadPasswordError: 4,
    UnsupportedAlgorithmError: 5,
    LimitExceededError: 6,
    EncodeError: 7,
}


class UsageError(Exception):
    """The command cannot run as asked (exit 2); the message says why and how to fix it."""


def exit_code(err: BaseException) -> int:
    """The documented exit code of an error (see `EXIT_CODES`)."""
    for kind, code in EXIT_CODES.items():
        if isinstance(err, kind):
            return code
    if isinstance(err, (UsageError, PasswordSourceError, OSError)):
        return EXIT_USAGE
    if isinstance(err, PKCS12Error):
        return 3
    return EXIT_INTERNAL
