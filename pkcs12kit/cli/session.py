"""What one run of the pkcs12kit command shares: its arguments, passwords, inputs and outputs.

Exports: Session, Loaded, read_bytes, display, refuse_input, same_file.

`Session.load` reads an input in any form (DER/BER, base64, PEM armor, a Cisco transcript, or a
PEM bundle of a key and certificates); `Session.passin`/`passout` take passwords from the
`pkcs12kit.cli.passwords` sources (or a prompt); `Session.write` writes atomically, never over an
input file and never over an existing file without ``--force``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import stat
import sys
from typing import IO, TYPE_CHECKING, Any, TextIO

from .. import armor, limits
from ..api import loads, write_atomically
from ..errors import BadPasswordError, LimitExceededError, PKCS12Error
from .diagnose import explain
from .exits import UsageError
from .passwords import PasswordReader
from ..textsafe import printable
from ..transcripts import looks_like_transcript

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TypeGuard

    from ..model import PKCS12

__all__ = ["Session", "Loaded", "read_bytes", "display", "refuse_input", "same_file"]

# Labels of a PEM bundle of keys and certificates (as opposed to an armored PKCS#12).
_BUNDLE_LABELS = frozenset({
    "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY",
})


# --- inputs ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Loaded:
    """A decoded input: the PKCS12, the form it came in, its DER when it was a PKCS#12 (None for a
    PEM bundle), the password that opened it (None: none needed) and the raw input bytes."""

    name: str
    p12: PKCS12
    form: str
    der: bytes | None
    password: str | None
    raw: bytes


def read_bytes(path: str, stdin: IO[Any]) -> bytes:
    """The bytes of ``path`` (``-``: ``stdin``), refusing more than ``Limits.max_input_size``."""
    limit = limits.DEFAULT_LIMITS.max_input_size
    if path == "-":
        stream = getattr(stdin, "buffer", stdin)
        data: bytes = stream.read(limit + 1)
    else:
        if os.path.isdir(path):
            raise UsageError(f"{path}: is a directory, not a file")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise LimitExceededError(
            f"{display(path)}: over Limits.max_input_size ({limit:,} bytes)"
        )
    return data


def display(path: str) -> str:
    """How messages name an input: its path, or ``<stdin>`` for ``-``."""
    return "<stdin>" if path == "-" else path


def _pem_labels(text: str) -> list[str]:
    labels: list[str] = []
    if "-----" not in text:
        return labels
    for line in armor.split_lines(text):
        marker = armor.pem_marker(line)
        if marker is not None and marker[0] == "BEGIN":
            labels.append(marker[1].strip().upper())
    return labels


def _as_text(data: bytes) -> str | None:
    """The input as text when it is not binary DER (UTF-8, UTF-8 BOM or UTF-16 BOM), else None."""
    if data[:1] == b"\x30":
        return None
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _is_pem_bundle(text: str | None) -> TypeGuard[str]:
    if text is None:
        return False
    labels = _pem_labels(text)
    if not labels or any(armor.is_pkcs12_label(label) for label in labels):
        return False
    return any(label in _BUNDLE_LABELS for label in labels) and not looks_like_transcript(text)


def _named(err: PKCS12Error, name: str) -> PKCS12Error:
    """The same error class with the input's name in front of the message."""
    renamed = type(err)(f"{name}: {err}")
    renamed.__cause__ = err
    return renamed


class Session:
    """What one command invocation shares: arguments, the password reader, the streams."""

    def __init__(
        self, args: argparse.Namespace, stdin: IO[Any] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.args = args
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self.reader = PasswordReader(stdin=self.stdin)
        self._passin: str | None = None
        self._passout: str | None = None
        self._macpass: str | None = None

    def read_sources(self) -> None:
        """Read --passin, --passout then --macpass now, in that order, as openssl does (so that
        the same file:/fd:/stdin source yields line 1 for the input, line 2 for the output and
        line 3 for the MAC password)."""
        args = self.args
        passin = getattr(args, "passin", None)
        passout = getattr(args, "passout", None)
        macpass = getattr(args, "macpass", None)
        inputs = [getattr(args, name, None) for name in ("input", "key", "cert")]
        if args.command == "create":
            inputs += list(args.chain)
        if "-" in inputs and "stdin" in (passin, passout, macpass):
            raise UsageError("the input is '-' (standard input), so a password cannot come from stdin too")
        if passin is not None and passin != "prompt":
            self._passin = self.reader.read(passin, option="--passin")
        if passout is not None and passout != "prompt":
            self._passout = self.reader.read(passout, option="--passout")
        if macpass is not None and macpass != "prompt":
            self._macpass = self.reader.read(macpass, option="--macpass")

    def close(self) -> None:
        self.reader.close()

    # --- passwords ----------------------------------------------------------------------------

    def passin(self, what: str) -> str | None:
        """The --passin password (prompting when the source is ``prompt``), or None."""
        if self.args.passin == "prompt":
            if self._passin is None:
                self._passin = self.reader.prompt(what, option="--passin")
        return self._passin

    def macpass(self) -> str | None:
        """The --macpass password: the MAC (integrity) password of the input and the output when
        it differs from the privacy password (``openssl pkcs12 -twopass``); None without one."""
        if getattr(self.args, "macpass", None) == "prompt" and self._macpass is None:
            self._macpass = self.reader.prompt("MAC (integrity) password", option="--macpass")
        return self._macpass

    def need_passin(self, what: str) -> str:
        """The --passin password, else a prompt; with no terminal to ask on, BadPasswordError
        (exit 4, like a PKCS#12 that needs a password)."""
        password = self.passin(what)
        if password is not None:
            return password
        if not self.reader.can_prompt():
            raise BadPasswordError(
                f"{what} is needed and standard input is not a terminal to ask on; give --passin "
                "(pass:TEXT, env:VAR, file:PATH, fd:N or stdin)"
            )
        return self.reader.prompt(what, option="--passin")

    def passout(self, what: str, *, fallback: str | None = None, required: bool = True) -> str | None:
        """The output password: --passout; else ``fallback`` (usually the input's password);
        else, when ``required``, a confirmed prompt (an error when there is no terminal)."""
        source = getattr(self.args, "passout", None)
        if source == "prompt":
            if self._passout is None:
                self._passout = self.reader.prompt(what, option="--passout", confirm=True)
            return self._passout
        if source is not None:
            return self._passout
        if fallback is not None:
            return fallback
        if not required:
            return None
        return self.reader.prompt(what, option="--passout", confirm=True)

    # --- loading ------------------------------------------------------------------------------

    def load(self, path: str) -> Loaded:
        """Read and decode an input: PKCS#12 in any form (DER/BER, base64, PEM armor, a Cisco
        transcript) or a PEM bundle of a key and certificates."""
        name = display(path)
        raw = read_bytes(path, self.stdin)
        text = _as_text(raw)
        der = None
        try:
            if _is_pem_bundle(text):
                password = None
                if "ENCRYPTED" in text:
                    password = self.need_passin("the pass phrase of the private key")
                # import time: the Cisco workflows (about 5 ms) load only for a PEM bundle
                from ..cisco import parse_pem_transcript

                p12 = parse_pem_transcript(text, password)
                return Loaded(name, p12, "pem-bundle", None, password, raw)
            der, form = armor.unarmor(raw)
            password = self.passin(f"password for {name}")
            if password is not None:
                return Loaded(name, loads(der, password, mac_password=self.macpass()), form, der, password, raw)
            try:
                return Loaded(name, loads(der, None, mac_password=self.macpass()), form, der, None, raw)
            except BadPasswordError:
                if not self.reader.can_prompt():
                    raise BadPasswordError(
                        "a password is needed and there is no terminal to ask on (standard input is not a terminal and there is no controlling terminal); "
                        "give --passin (pass:TEXT, env:VAR, file:PATH, fd:N or stdin)"
                    ) from None
            password = self.reader.prompt(f"password for {name}", option="--passin")
            return Loaded(name, loads(der, password, mac_password=self.macpass()), form, der, password, raw)
        except PKCS12Error as err:
            raise _named(explain(err, text, der), name) from err

    # --- output -------------------------------------------------------------------------------

    def check_output(self, output: str | None, *, inputs: Iterable[str | None] = (), force: bool = False) -> None:
        """Refuse an output before any work is done (and any password asked): the input itself,
        a directory, or an existing file without ``force``. `write` checks again."""
        if output is None or output == "-":
            return
        refuse_input(output, inputs)
        if "-" in inputs:
            refuse_stdin(output, self.stdin)
        if os.path.isdir(output):
            raise UsageError(f"{output}: is a directory; give a file name with -o")
        refuse_special(output)
        if os.path.lexists(output) and not force:
            raise UsageError(f"{output}: exists; pass --force to replace it")

    def write(self, output: str, data: bytes | str, *, inputs: Iterable[str | None] = (), force: bool = False) -> None:
        """Write to ``output`` (``-``: standard output) atomically, never over an input and never
        over an existing file without ``force``."""
        if output == "-":
            if isinstance(data, str):
                self.stdout.write(data)
            else:  # DER: the binary stream under the text one
                self.stdout.flush()
                self.stdout.buffer.write(data)
                self.stdout.buffer.flush()
            return
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.check_output(output, inputs=inputs, force=force)
        try:
            write_atomically(output, data, overwrite=force)
        except FileExistsError:
            raise UsageError(f"{output}: exists; pass --force to replace it") from None

    def note(self, message: str) -> None:
        print(f"pkcs12kit: note: {printable(message)}", file=self.stderr)

    def warn(self, message: str) -> None:
        print(f"pkcs12kit: warning: {printable(message)}", file=self.stderr)


def same_file(a: str, b: str) -> bool:
    """Whether paths ``a`` and ``b`` name one file (after symbolic links, or by inode)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_special(output: str) -> None:
    """UsageError when ``output`` is (or links to) a FIFO, device node or socket: replacing it
    would destroy the node (as root, ``-o /dev/null --force`` would replace the device), and
    writing through it is not what -o promises. --force does not change that, so the message
    does not offer it (issue 15 row 8)."""
    try:
        mode = os.stat(output).st_mode
    except OSError:
        return  # absent, or a dangling link: written as a regular file
    if not stat.S_ISREG(mode):
        raise UsageError(
            f"{output}: is not a regular file (a FIFO, device or socket); pkcs12kit writes only "
            "regular files: give a file name with -o, or -o - for standard output"
        )


def refuse_stdin(output: str, stdin: Any) -> None:
    """UsageError when ``output`` is the file standard input reads (``repack - -o y.p12 <
    y.p12``): compared by device and inode, as `same_file` does for named inputs (row 17)."""
    try:
        fd = stdin.fileno()
        source = os.fstat(fd)
        target = os.stat(output)
    except (OSError, AttributeError, ValueError):
        return
    if stat.S_ISREG(source.st_mode) and (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino):
        raise UsageError(
            f"{output}: is the file standard input reads; refusing to write over it (choose "
            "another output)"
        )


def refuse_input(output: str, inputs: Iterable[str | None]) -> None:
    """UsageError when ``output`` names one of ``inputs`` (same path after symlinks, or the same
    inode through a hard link)."""
    for path in inputs:
        if path and path != "-" and same_file(output, path):
            raise UsageError(
                f"{output}: is the input file {path}; refusing to write over it (choose another "
                "output; repack --in-place keeps a backup)"
            )
