"""Base64 and PEM-style armor around PKCS#12 DER, and detection of what a blob is.

Exports: unarmor, armor, base64_lines, PEM_LABELS, FORMS.
Helpers shared with `pkcs12kit.cisco`: split_lines, pem_marker, is_pkcs12_label, find_pem_end,
decode_base64_lines.

Input forms recognised by `unarmor` (see docs/input-forms.md):

- ``"der"``: binary DER or BER, recognised by its first byte 0x30 (an ASN.1 SEQUENCE, the
  outer ``PFX`` of RFC 7292 section 4) and returned untouched;
- ``"base64"``: bare base64 of the DER (RFC 4648 section 4 alphabet), any line width;
- ``"pem"``: RFC 7468-style textual encoding with one of `PEM_LABELS`. RFC 7468 defines no
  label for PKCS#12; ``PKCS12`` is the de facto one (Cisco ASA, GnuTLS, the ASA REST API);
- the Cisco terminal transcripts named in `pkcs12kit.cisco.VARIANTS`.

Everything here is linear in the input size: lines are split once, validated with one C-level
regular-expression pass over the joined data, and decoded with a single ``binascii`` call; a
line-by-line scan only runs to locate an error that has already been detected.
"""

from __future__ import annotations

import base64
import binascii
import collections
import re

from .errors import EncodeError, LimitExceededError, MalformedError
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "unarmor",
    "armor",
    "base64_lines",
    "PEM_LABELS",
    "FORMS",
    "split_lines",
    "pem_marker",
    "is_pkcs12_label",
    "find_pem_end",
    "decode_base64_lines",
]

# The first label is what `armor` writes by default. Matching is case-insensitive.
PEM_LABELS = ("PKCS12", "PKCS #12", "PFX")
_LABELS_UPPER = frozenset(label.upper() for label in PEM_LABELS)

# Forms `unarmor` can report besides the Cisco variants.
FORMS = ("der", "base64", "pem")

_NO_DATA = (
    "no PKCS#12 data found (expected DER, base64, -----BEGIN PKCS12----- armor or a Cisco "
    "terminal transcript)"
)

# Bounded label length keeps the search linear even on hostile lines full of dashes.
_MARKER = re.compile(r"-----(BEGIN|END) ([^-\r\n]{0,64})-----")
_B64_CHARS = re.compile(r"[A-Za-z0-9+/=]*")
_B64_LINE = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_UTF8_BOM = b"\xef\xbb\xbf"


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

    def numbers():
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


def unarmor(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, str]:
    """Turn whatever a user hands us into PKCS#12 DER bytes; return ``(der, form)``.

    ``form`` is one of `FORMS` or a Cisco variant from `pkcs12kit.cisco.VARIANTS`. Bytes that
    start with 0x30 are DER/BER (RFC 7292 section 4 ``PFX`` is a SEQUENCE) and are returned as
    the same object, without copying. Other bytes are text: UTF-8 (a BOM tolerated) or UTF-16
    with a BOM (what Windows PowerShell writes). Text is tried as a Cisco transcript, then as
    RFC 7468 armor with a label from `PEM_LABELS`, then as bare base64.

    Raises MalformedError saying what is wrong and on which line, LimitExceededError for input
    over ``limits.max_input_size``, TypeError for anything but bytes-like or str.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, bytes):
        _check_size(len(data), limits)
        if data[:1] == b"\x30":
            return data, "der"
        text = _decode_text(data)
    elif isinstance(data, str):
        _check_size(len(data), limits)
        text = data[1:] if data[:1] == "\ufeff" else data
    else:
        raise TypeError(f"unarmor: expected bytes or str, got {type(data).__name__}")
    return _unarmor_text(text)


def _check_size(size: int, limits: Limits) -> None:
    if not isinstance(limits, Limits):
        raise TypeError(f"unarmor: limits must be a Limits, got {type(limits).__name__}")
    if size > limits.max_input_size:
        raise LimitExceededError(
            f"input: {size:,} bytes exceeds Limits.max_input_size ({limits.max_input_size:,}); "
            "pass limits=Limits(max_input_size=...) to allow it"
        )


def _decode_text(data: bytes) -> str:
    if not data:
        raise MalformedError(f"{_NO_DATA}: the input is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        if data.startswith(_UTF8_BOM):
            data = data[len(_UTF8_BOM):]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise MalformedError(
            f"{_NO_DATA}: the input is neither DER (first byte 0x{data[0]:02x}, expected 0x30) "
            f"nor {encoding.upper()} text (invalid byte at offset {err.start})"
        ) from err
    return text[1:] if text[:1] == "\ufeff" else text


def _unarmor_text(text: str) -> tuple[bytes, str]:
    # Imported here because cisco builds on this module's helpers.
    from . import cisco

    if cisco.looks_like_transcript(text):
        transcript = cisco.parse_transcript(text)
        return transcript.der, transcript.variant
    lines = split_lines(text)
    if "-----" in text:
        der = _unarmor_pem(lines)
        if der is not None:
            return der, "pem"
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        raise MalformedError(f"{_NO_DATA}: the input is empty or blank")
    head = lines[first]
    if not (head[0].isascii() and (head[0].isalnum() or head[0] in "+/")) or any(
        char.isspace() for char in head
    ):
        # Base64 starts with an alphabet character and never holds inner whitespace; this is
        # prose, binary or some other format.
        raise MalformedError(_NO_DATA)
    last = len(lines)
    while not lines[last - 1]:
        last -= 1
    return decode_base64_lines(lines, first, last), "base64"


def _unarmor_pem(lines: list[str]) -> bytes | None:
    """Decode the one PKCS#12 block of RFC 7468 section 2 armor; None when there is no marker.

    Explanatory text around the block is ignored (RFC 7468 section 5.2); a second PKCS#12 block
    is an error because picking one would be a guess.
    """
    other = None
    begin = None
    for index, line in enumerate(lines):
        marker = pem_marker(line)
        if marker is None or marker[0] != "BEGIN":
            continue
        if is_pkcs12_label(marker[1]):
            begin = index
            label = marker[1]
            break
        if other is None:
            other = (index, marker[1])
    if begin is None:
        if other is None:
            return None
        raise MalformedError(
            f"line {other[0] + 1}: -----BEGIN {other[1]}----- is not PKCS#12; no block labelled "
            f"{' / '.join(PEM_LABELS)} found"
        )
    end = find_pem_end(lines, begin, label)
    der = decode_base64_lines(lines, begin + 1, end, allow_blank=True)
    for index in range(end + 1, len(lines)):
        marker = pem_marker(lines[index])
        if marker is not None and marker[0] == "BEGIN" and is_pkcs12_label(marker[1]):
            raise MalformedError(
                f"line {index + 1}: a second -----BEGIN {marker[1]}----- block (the first is at "
                f"line {begin + 1}); pass one PKCS#12 at a time"
            )
    return der


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


def armor(der: bytes, *, label: str = "PKCS12", width: int = 64) -> str:
    """Wrap DER in RFC 7468 section 2 boundaries: ``-----BEGIN PKCS12-----`` ... ``-----END PKCS12-----``.

    ``label`` must be one of `PEM_LABELS` so that `unarmor` reads the result back. Lines end in
    ``\\n``, including the last.
    """
    if not isinstance(label, str):
        raise TypeError(f"armor: label must be a str, got {type(label).__name__}")
    if label not in PEM_LABELS:
        raise EncodeError(f"armor: label {label!r} is not one of {', '.join(PEM_LABELS)}")
    lines = base64_lines(der, width)
    if not lines:
        raise EncodeError("armor: nothing to encode (empty DER)")
    return "".join(
        (f"-----BEGIN {label}-----\n", "\n".join(lines), f"\n-----END {label}-----\n")
    )
