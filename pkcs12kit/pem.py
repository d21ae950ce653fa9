"""PEM and base64 text for DER values (RFC 7468, RFC 4648): the writing side.

Exports: base64_lines, pem_text (writing); split_lines, pem_marker, is_pkcs12_label, PEM_LABELS,
decode_base64_lines, find_pem_end (reading, with line-numbered errors).

These are the line-level primitives shared by the values' ``to_pem`` and by the text forms
above (`armor` detects what a blob is, `transcripts` reads Cisco terminal output); they know
nothing of PKCS#12's structure.
"""

from __future__ import annotations

import base64
import binascii
import collections
import re
from typing import TYPE_CHECKING

from .errors import EncodeError, MalformedError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "base64_lines",
    "pem_text",
    "split_lines",
    "pem_marker",
    "is_pkcs12_label",
    "PEM_LABELS",
    "decode_base64_lines",
    "find_pem_end",
]

# The first label is what `armor` writes by default. Matching is case-insensitive.
PEM_LABELS = ("PKCS12", "PKCS #12", "PFX")
_LABELS_UPPER = frozenset(label.upper() for label in PEM_LABELS)

# Bounded label length keeps the search linear even on hostile lines full of dashes.
_MARKER = re.compile(r"-----(BEGIN|END) ([^-\r\n]{0,64})-----")
_B64_CHARS = re.compile(r"[A-Za-z0-9+/=]*")
_B64_LINE = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def base64_lines(der: bytes, width: int = 64) -> list[str]:
    """Base64 (RFC 4648 section 4) of ``der`` cut into lines of ``width`` characters.

    64 is what RFC 7468 section 2 and Cisco devices write; 76 is GNU ``base64``'s width. The
    width must be a positive multiple of 4 so that every line decodes on its own.
    """
    if not isinstance(der, (bytes, bytearray, memoryview)):
        raise TypeError(f"base64_lines: der must be bytes, got {type(der).__name__}")
    if not isinstance(width, int) or isinstance(width, bool):
        raise TypeError(f"base64_lines: width must be an int, got {type(width).__name__}")
    if width < 4 or width % 4:
        raise EncodeError(f"base64_lines: width {width} is not a positive multiple of 4")
    text = base64.b64encode(der).decode("ascii")
    return [text[i:i + width] for i in range(0, len(text), width)]


def pem_text(der: bytes, label: str) -> str:
    """One RFC 7468 PEM block: ``-----BEGIN label-----``, 64-column base64, ``-----END label-----``."""
    return "".join([f"-----BEGIN {label}-----\n", *(line + "\n" for line in base64_lines(der, 64)),
                    f"-----END {label}-----\n"])


# --- lines -------------------------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    """Split text into lines stripped of surrounding whitespace (CRLF, trailing spaces, tabs).

    Only ``\\n`` separates lines (``\\r`` alone when the text has no ``\\n``, as old Mac files
    do), so line numbers in messages match what an editor shows.
    """
    if "\n" not in text and "\r" in text:
        parts = text.split("\r")
    else:
        parts = text.split("\n")
    return [part.strip() for part in parts]


def pem_marker(line: str) -> tuple[str, str, int] | None:
    """Find an RFC 7468 section 2 encapsulation boundary anywhere in ``line``.

    Returns ``(kind, label, end_column)`` with kind ``"BEGIN"`` or ``"END"``, or None. The marker
    may follow other text: Cisco devices glue ``base64 len 3339`` in front of it.
    """
    if "-----" not in line:
        return None
    match = _MARKER.search(line)
    if match is None:
        return None
    return match.group(1), match.group(2), match.end()


def is_pkcs12_label(label: str) -> bool:
    """True when ``label`` is one of `PEM_LABELS` (case-insensitively)."""
    return label.upper() in _LABELS_UPPER


def _describe_char(char: str) -> str:
    if " " < char < "\x7f":
        return f"'{char}'"
    if char == " ":
        return "' ' (space)"
    return f"U+{ord(char):04X}"


def decode_base64_lines(lines: list[str], start: int, stop: int, *, allow_blank: bool = False) -> bytes:
    """Decode ``lines[start:stop]`` (already stripped) as one base64 text (RFC 4648 section 4).

    Every failure names a 1-based line number: an invalid character, a blank line (unless
    ``allow_blank``, used inside BEGIN/END armor), ``=`` padding before the end, a line whose
    width breaks the 4-character grouping of its neighbours (a damaged line), or a truncated end.
    Missing final ``=`` padding is tolerated. The result must start with 0x30 (a DER SEQUENCE).
    """
    block = lines[start:stop]
    if allow_blank:
        data = [line for line in block if line]
    else:
        data = block
        if "" in block:
            raise MalformedError(f"line {start + block.index('') + 1}: blank line inside base64 data")
    if not data:
        raise MalformedError(f"line {start + 1}: no base64 data")

    def numbers() -> Sequence[int]:
        # 1-based line numbers of the entries of `data`; only built to report an error.
        if allow_blank:
            return [start + i + 1 for i, line in enumerate(block) if line]
        return range(start + 1, stop + 1)

    joined = "".join(data)
    if _B64_CHARS.fullmatch(joined) is None:
        for number, line in zip(numbers(), data):
            if _B64_LINE.fullmatch(line) is None:
                bad = next((c for c in line if not (c.isascii() and (c.isalnum() or c in "+/="))), None)
                if bad is not None:
                    raise MalformedError(f"line {number}: invalid base64 character {_describe_char(bad)}")
    pad = joined.find("=")
    if pad != -1 and (len(joined) - pad > 2 or joined[pad:].strip("=")):
        for number, line in zip(numbers(), data):
            if "=" in line:
                raise MalformedError(f"line {number}: base64 padding '=' before the end of the data")

    if len(data) > 2:
        # All lines but the last share one width in every producer we know (64 or 76). A line
        # of another width that is not a multiple of 4 shifts every later group: a damaged or
        # truncated line, which must not decode silently into garbage.
        widths = collections.Counter(map(len, data[:-1]))
        width = widths.most_common(1)[0][0]
        if len(widths) > 1:
            for number, line in zip(numbers(), data[:-1]):
                if len(line) != width and len(line) % 4:
                    raise MalformedError(
                        f"line {number}: base64 line has {len(line)} characters where the "
                        f"others have {width} (damaged or truncated line?)"
                    )

    leftover = len(joined) % 4
    if leftover == 1:
        raise MalformedError(
            f"line {numbers()[-1]}: base64 data ends in the middle of a 4-character group "
            "(truncated?)"
        )
    if leftover:
        joined += "=" * (4 - leftover)
    try:
        der = binascii.a2b_base64(joined)
    except binascii.Error as err:
        raise MalformedError(f"lines {numbers()[0]}-{numbers()[-1]}: invalid base64 ({err})") from err
    if not der:
        raise MalformedError(f"line {numbers()[0]}: base64 data decodes to nothing")
    if der[0] != 0x30:
        raise MalformedError(
            f"line {numbers()[0]}: base64 data does not decode to a DER SEQUENCE "
            f"(first byte 0x{der[0]:02x}, expected 0x30)"
        )
    return der


# --- decoding ----------------------------------------------------------------------------------


def find_pem_end(lines: list[str], begin: int, label: str) -> int:
    """Index of the END line matching the BEGIN at ``lines[begin]`` (RFC 7468 section 2).

    A different END label, or another BEGIN first, is an error naming both lines.
    """
    marker = pem_marker(lines[begin])
    if marker is not None and lines[begin][marker[2]:]:
        raise MalformedError(f"line {begin + 1}: unexpected text after -----BEGIN {label}-----")
    for index in range(begin + 1, len(lines)):
        line = lines[index]
        if "-----" not in line:
            continue
        marker = pem_marker(line)
        if marker is None:
            continue
        if marker[0] == "BEGIN":
            raise MalformedError(
                f"line {index + 1}: -----BEGIN {marker[1]}----- inside the block started at "
                f"line {begin + 1} (missing -----END {label}-----?)"
            )
        if marker[1].upper() != label.upper():
            raise MalformedError(
                f"line {index + 1}: -----END {marker[1]}----- does not match "
                f"-----BEGIN {label}----- at line {begin + 1}"
            )
        return index
    raise MalformedError(f"-----BEGIN {label}----- at line {begin + 1} has no matching END line")


# --- encoding ----------------------------------------------------------------------------------
