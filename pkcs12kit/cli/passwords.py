"""Password sources for the pkcs12kit command, written the way ``openssl`` takes them.

Exports: PasswordSourceError, PasswordReader, SOURCES.

A source is one of:

- ``pass:TEXT``: the password itself (visible to other users in the process list; for tests);
- ``env:VAR``: the value of environment variable ``VAR``;
- ``file:PATH``: the first line of file ``PATH``;
- ``fd:N``: the first line read from file descriptor ``N``;
- ``stdin``: the first line of standard input;
- ``prompt``: ask on the terminal (pkcs12kit's addition; also what happens when no source is
  given and a password is needed).

As with ``openssl`` (openssl-passphrase-options(1)), when ``--passin`` and ``--passout`` name the
same ``file:``, ``fd:`` or ``stdin`` source, the first line is the input password and the next
line the output password: one `PasswordReader` keeps each source open between reads. Lines end at
``\\n``; a trailing ``\\r`` is dropped (CRLF files); an empty line is the empty password.

Errors name the source (``env:P12PASS``, ``file:pw.txt``), never the password. An unknown source
is reported without echoing the argument, since it may be a password typed without ``pass:``.
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING, Any, BinaryIO, TextIO

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["PasswordSourceError", "PasswordReader", "SOURCES"]

SOURCES = ("pass:TEXT", "env:VAR", "file:PATH", "fd:N", "stdin", "prompt")

# A line longer than this is not a password; stop reading (a binary file given by mistake).
_MAX_LINE = 64 * 1024


class PasswordSourceError(Exception):
    """A password source cannot be read: unknown syntax, missing variable, unreadable file,
    no terminal to prompt on, or confirmation mismatch. The message never holds a password."""


class PasswordReader:
    """Reads passwords from sources, keeping ``file:``/``fd:``/``stdin`` sources open so that a
    second read of the same source returns its next line (openssl's rule for -passin/-passout).

    ``stdin``/``stdout``/``stderr`` and ``prompt_function`` can be replaced (tests, embedding).
    """

    def __init__(
        self, *, stdin: IO[Any] | None = None, stderr: TextIO | None = None, environ: Mapping[str, str] | None = None,
        prompt_function: Callable[[str], str] | None = None, isatty: Callable[[], bool] | None = None,
    ) -> None:
        self._stdin = stdin
        self._stderr = stderr
        self._environ = environ
        self._prompt_function = prompt_function  # None: getpass
        self._isatty = isatty
        self._open: dict[str, BinaryIO] = {}

    # --- public -------------------------------------------------------------------------------

    def read(self, source: str | None, *, what: str = "password", option: str = "--passin",
             confirm: bool = False) -> str | None:
        """The password named by ``source``; ``None`` when ``source`` is None (no source given).

        ``what`` and ``option`` go into prompts and messages (``"password for in.p12"``,
        ``"--passin"``); ``confirm`` asks twice when prompting (used for output passwords).
        """
        if source is None:
            return None
        if not isinstance(source, str):
            raise TypeError(f"password source must be str, not {type(source).__name__}")
        if source.startswith("pass:"):
            return source[len("pass:"):]
        if source.startswith("env:"):
            name = source[len("env:"):]
            if not name:
                raise PasswordSourceError(f"{option} env:: no variable name given")
            environ = os.environ if self._environ is None else self._environ
            if name not in environ:
                raise PasswordSourceError(f"{option} env:{name}: environment variable {name} is not set")
            return environ[name]
        if source.startswith("file:"):
            path = source[len("file:"):]
            if not path:
                raise PasswordSourceError(f"{option} file:: no path given")
            return self._line(f"file:{path}", option)
        if source.startswith("fd:"):
            number = source[len("fd:"):]
            if not number.isdigit():
                raise PasswordSourceError(f"{option} fd:{number}: not a file descriptor number")
            return self._line(f"fd:{int(number)}", option)
        if source == "stdin":
            return self._line("stdin", option)
        if source == "prompt":
            return self.prompt(what, option=option, confirm=confirm)
        # Never echo the argument, not even its prefix: it may be a password without "pass:".
        raise PasswordSourceError(
            f"{option}: not a password source (expected pass:TEXT, env:VAR, file:PATH, fd:N, stdin "
            "or prompt)"
        )

    def can_prompt(self) -> bool:
        """True when a prompt can be answered: standard input is a terminal, or the process has
        a controlling terminal (``/dev/tty``, where `getpass` asks), as when the data comes
        from standard input (``cat export.txt | pkcs12kit info -``); openssl asks there too."""
        if self._isatty is not None:
            return bool(self._isatty())
        stream = self._stdin if self._stdin is not None else sys.stdin
        try:
            if stream is not None and stream.isatty():
                return True
        except (AttributeError, ValueError, OSError):
            pass
        if self._prompt_function is not None:
            return False  # an injected prompt reads standard input, which is not a terminal
        try:
            fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
        except OSError:  # no controlling terminal (cron, CI, a daemon)
            return False
        os.close(fd)
        return True

    def prompt(self, what: str, *, option: str = "--passin", confirm: bool = False) -> str:
        """Ask on the terminal without echo (getpass); twice when ``confirm``. Raises
        PasswordSourceError when there is no terminal to ask on or the two entries differ."""
        if not self.can_prompt():
            raise PasswordSourceError(
                f"{what} needed and there is no terminal to ask on (standard input is not a terminal and there is no controlling terminal); give {option} "
                "(pass:TEXT, env:VAR, file:PATH, fd:N or stdin)"
            )
        ask = self._prompt_function
        if ask is None:
            # import time: getpass (and termios) load only when a password is asked for
            import getpass

            ask = getpass.getpass
        try:
            first = ask(f"Enter {what}: ")
            if confirm:
                second = ask(f"Verifying - Enter {what}: ")
                if first != second:
                    raise PasswordSourceError(f"{what}: the two entries do not match")
        except EOFError:
            raise PasswordSourceError(f"{what}: no input at the prompt") from None
        return first

    def close(self) -> None:
        """Close the files this reader opened (not standard input, not the caller's descriptors)."""
        for key, handle in self._open.items():
            if key.startswith("file:"):
                handle.close()
        self._open.clear()

    def __enter__(self) -> "PasswordReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- line sources -------------------------------------------------------------------------

    def _line(self, key: str, option: str) -> str:
        raw = self._read_line(key, option)
        if raw is None:
            raise PasswordSourceError(f"{option} {key}: no password line to read (empty or exhausted)")
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            text: str | None = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Raised outside the handler: the decode error's .object is the raw password line,
            # and "from None" would still keep it in __context__ (issue 15 row 15).
            text = None
        if text is None:
            raise PasswordSourceError(f"{option} {key}: the password is not UTF-8 text")
        return text

    def _read_line(self, key: str, option: str) -> bytes | None:
        """One line (with its ``\\n``) from the source, or None at end of input."""
        try:
            if key.startswith("file:"):
                handle = self._open.get(key)
                if handle is None:
                    handle = open(key[len("file:"):], "rb")
                    self._open[key] = handle
                line = handle.readline(_MAX_LINE + 1)
            elif key.startswith("fd:"):
                line = self._fd_line(int(key[len("fd:"):]))
            else:
                stream: IO[Any] = self._stdin if self._stdin is not None else sys.stdin
                stream = getattr(stream, "buffer", stream)
                line = stream.readline(_MAX_LINE + 1)
                if isinstance(line, str):
                    line = line.encode("utf-8")
        except OSError as err:
            reason = err.strerror or type(err).__name__
            reason = reason[:1].lower() + reason[1:]
            raise PasswordSourceError(f"{option} {key}: cannot read it: {reason}") from None
        if len(line) > _MAX_LINE:
            raise PasswordSourceError(f"{option} {key}: the first line is over {_MAX_LINE} bytes; not a password")
        return line or None

    @staticmethod
    def _fd_line(fd: int) -> bytes:
        """Read up to and including ``\\n`` one byte at a time, so that the rest of the
        descriptor is left for the next read (a second password) and the descriptor stays open."""
        chunks = []
        size = 0
        while size <= _MAX_LINE:
            byte = os.read(fd, 1)
            if not byte:
                break
            chunks.append(byte)
            size += 1
            if byte == b"\n":
                break
        return b"".join(chunks)
