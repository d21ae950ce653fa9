"""Reading Cisco IOS / IOS-XE / ASA terminal transcripts as an input form of PKCS#12.

Exports: Transcript, parse_transcript, looks_like_transcript, VARIANTS, PLATFORMS.

What a device prints for ``crypto ca export … pkcs12`` (ASA: ``-----BEGIN PKCS12-----`` armor)
and ``crypto pki export … pkcs12 terminal`` (IOS-XE: bare base64 and a trailer), and what an
engineer pastes into an import session, reduced to the DER inside (grammar:
docs/cisco-formats.md#grammar). Writing these transcripts is the `cisco` package's job; this
module only reads, so that `armor.unarmor` accepts them without depending on any workflow.
"""

from __future__ import annotations

import dataclasses
import re

from . import pem
from .errors import MalformedError

__all__ = ["Transcript", "parse_transcript", "looks_like_transcript", "VARIANTS", "PLATFORMS", "is_quit", "PLAIN_BASE64"]


# --- terminal transcripts ----------------------------------------------------------------------

# Platform names, each mapped to the terminal dialect its transcripts are written in. Kept here,
# below the `cisco` package that writes for them, so that the command's parser can offer the
# names without importing every Cisco workflow (issue 12: `info` start-up).
PLATFORMS = {"asa": "asa", "ftd": "asa", "ios": "ios", "ios-xe": "ios", "iosxe": "ios"}

VARIANTS = {
    "asa-export": "ASA `crypto ca export <tp> pkcs12 <pw>`: 'Exported pkcs12 follows:' then "
    "-----BEGIN PKCS12----- armor, 64 columns",
    "ios-export": "IOS/IOS-XE `crypto pki export <tp> pkcs12 terminal password <pw>`: 'Exported "
    "pkcs12 follows:' then bare base64, a blank line and '---End - This line not part of the "
    "pkcs12---'",
    "asa-import": "ASA `crypto ca import <tp> pkcs12 <pw>` paste: base64 (armor optional) ended "
    "by 'quit'",
    "ios-import": "IOS/IOS-XE `crypto pki import <tp> pkcs12 terminal password <pw>` paste: "
    "base64 ended by a blank line or 'quit'",
    "asa-nointeractive": "ASA `crypto ca import <tp> pkcs12 <pw> nointeractive` (ASDM/HTTP): "
    "base64 straight after the command, then 'quit'",
}

_BANNER = "exported pkcs12 follows:"
_TRAILER = "---end - this line not part of the pkcs12---"
_PROMPT_B64 = "base 64 encoded pkcs12"
_PROMPT_NOINTERACTIVE = "pkcs12 data in base64 representation"
_IMPORT_COMMAND = re.compile(r"crypto\s+(ca|pki)\s+import\s+(\S+)\s+pkcs12(?:\s+(.*))?$", re.I)
_IMPORT_COMMAND_ANYWHERE = re.compile(r"crypto\s+(?:ca|pki)\s+import\s+\S+\s+pkcs12\b", re.I)
# A device prompt: hostname, optional ASA context ("/act"), optional mode, then # or >, then
# nothing or a command. Requiring the space or the end keeps a damaged base64 line holding a
# '#' from passing for a prompt.
_PROMPT = re.compile(r"[A-Za-z0-9][\w.-]{0,62}(?:/[\w.-]{1,62}){0,3}(?:\([\w-]{1,40}\))?[#>](?:\s|$)")
_DEVICE_PREFIXES = ("%", "crypto_pki:", "info:", "warning:", "error:", "trustpoint ", "*")
PLAIN_BASE64 = re.compile(r"[A-Za-z0-9+/=]+")
_BASE64_LEN = re.compile(r"base64 len \d+", re.I)
_SUCCESS = (
    "exported pkcs12 file successfully",
    "imported pkcs12 file successfully",
    "import pkcs12 operation completed successfully",
)
_FAILURE = ("pkcs12_import_failure", "bad hmac", "bad password or corrupted pkcs12")


@dataclasses.dataclass(frozen=True)
class Transcript:
    """PKCS#12 DER found in a Cisco terminal transcript.

    ``variant`` is a key of `VARIANTS`; ``line`` is the 1-based line where the data starts (the
    ``-----BEGIN PKCS12-----`` line when armored, else the first base64 line); ``notes`` say how
    the data was delimited and what the device reported (never a password); ``trustpoint`` is
    the trustpoint named by an echoed import command, if any.
    """

    variant: str
    der: bytes
    line: int
    notes: tuple[str, ...] = ()
    trustpoint: str | None = None

    def __repr__(self) -> str:
        return (
            f"Transcript(variant={self.variant!r}, der=<{len(self.der)} bytes>, line={self.line}, "
            f"notes={self.notes!r}, trustpoint={self.trustpoint!r})"
        )


def looks_like_transcript(text: str) -> bool:
    """Cheap test: does ``text`` hold a Cisco export banner, import command or import prompt?"""
    if not isinstance(text, str):
        raise TypeError(f"looks_like_transcript: expected str, got {type(text).__name__}")
    low = text.lower()
    if _BANNER in low or _PROMPT_B64 in low or _PROMPT_NOINTERACTIVE in low or _TRAILER in low:
        return True
    return "import" in low and _IMPORT_COMMAND_ANYWHERE.search(low) is not None


def parse_transcript(text: str) -> Transcript:
    """Extract the PKCS#12 from a Cisco export or import-session transcript.

    Tolerates CRLF, trailing spaces, 64- or 76-column lines, echoed prompts, ``%`` lines, blank
    lines before the data, progress dots and ``base64 len N`` glued before a BEGIN marker. The
    data ends at ``quit``, a blank line, the IOS trailer, the END marker or recognised device
    output; any other line inside the data is reported as broken, by line number.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_transcript: expected str, got {type(text).__name__}")
    if text[:1] == "\ufeff":
        text = text[1:]
    return _parse(pem.split_lines(text))


def _anchor(line: str) -> tuple[str, str, str | None] | None:
    """Classify a line that starts a PKCS#12 transcript: (kind, variant, trustpoint) or None.

    kind is "banner", "command" or "prompt". Imports from a URL or file are not anchors: no
    data follows them on the terminal.
    """
    low = line.lower()
    if _BANNER in low:
        return "banner", "export", None
    if _PROMPT_NOINTERACTIVE in low:
        return "prompt", "asa-nointeractive", None
    if _PROMPT_B64 in low:
        return "prompt", "asa-import", None
    if "import" in low and "pkcs12" in low:
        match = _IMPORT_COMMAND.search(line)
        if match is not None:
            trustpoint = match.group(2).strip('"')
            args = (match.group(3) or "").split()
            if match.group(1).lower() == "ca":
                if args and args[-1].lower() == "nointeractive":
                    return "command", "asa-nointeractive", trustpoint
                return "command", "asa-import", trustpoint
            # IOS accepts unambiguous abbreviations such as "term".
            if args and len(args[0]) >= 3 and "terminal".startswith(args[0].lower()):
                return "command", "ios-import", trustpoint
    return None


_ANCHOR_NAMES = {
    "banner": "the export banner",
    "command": "the import command",
    "prompt": "the import prompt",
}


def is_quit(line: str) -> bool:
    return len(line) == 4 and line.lower() == "quit"


def _is_trailer(line: str) -> bool:
    return line.lower().startswith("---end - this line not part of the pkcs12")


def _is_device_line(line: str) -> bool:
    """Output that cannot be base64: messages, log lines, prompts, progress dots."""
    if line.lower().startswith(_DEVICE_PREFIXES) or line[:2] == "..":
        return True
    return _PROMPT.match(line) is not None


def _is_preamble(line: str) -> bool:
    """Lines allowed between the anchor and the data."""
    if not line or line.startswith("%") or not line.strip("."):
        return True
    low = line.lower()
    return (
        _PROMPT_B64 in low
        or _PROMPT_NOINTERACTIVE in low
        or low.startswith("end with")
        or low.startswith(("info:", "warning:", "error:"))
        or _BASE64_LEN.fullmatch(line) is not None
    )


def _parse(lines: list[str]) -> Transcript:
    count = len(lines)
    found = next(((i, a) for i, line in enumerate(lines) if (a := _anchor(line))), None)
    notes: list[str] = []
    if found is None:
        trailer = next((i for i, line in enumerate(lines) if _is_trailer(line)), None)
        if trailer is None:
            raise MalformedError(
                "no Cisco terminal transcript found (expected 'Exported pkcs12 follows:', a "
                "'crypto ca|pki import <tp> pkcs12' command or its prompt)"
            )
        # Output copied from the data down to the IOS trailer, without the banner.
        anchor_index, (kind, variant, trustpoint) = -1, ("banner", "export", None)
        notes.append("no 'Exported pkcs12 follows:' banner")
    else:
        anchor_index, (kind, variant, trustpoint) = found
    anchor_name = _ANCHOR_NAMES[kind]

    start = anchor_index + 1
    while start < count and _is_preamble(lines[start]):
        line = lines[start]
        if kind == "prompt" and line.lower().startswith("end with"):
            # The second prompt line tells IOS ("a blank line or the word quit") from ASA.
            variant = "ios-import" if "blank line" in line.lower() else variant
        start += 1
    if start == count:
        raise MalformedError(
            f"line {anchor_index + 1}: no base64 data follows {anchor_name}"
        )

    marker = pem.pem_marker(lines[start])
    if marker is not None and marker[0] == "BEGIN":
        der, stop = _armored(lines, start, marker, notes)
        if variant == "export":
            variant = "asa-export"
    else:
        der, stop = _bare(lines, start, anchor_index, anchor_name, notes)
        if variant == "export":
            variant = "ios-export"

    _after(lines, stop, start, notes)
    return Transcript(
        variant=variant, der=der, line=start + 1, notes=tuple(notes), trustpoint=trustpoint
    )


def _armored(
    lines: list[str], begin: int, marker: tuple[str, str, int], notes: list[str]
) -> tuple[bytes, int]:
    """Data between BEGIN and END markers; returns (der, index of the END line)."""
    label = marker[1]
    if not pem.is_pkcs12_label(label):
        raise MalformedError(
            f"line {begin + 1}: expected PKCS#12 data, found -----BEGIN {label}-----"
        )
    prefix = lines[begin][: marker[2] - len(label) - 16].strip()
    notes.append(f"armored with -----BEGIN {label}----- at line {begin + 1}")
    if prefix:
        kind = "'base64 len N'" if _BASE64_LEN.fullmatch(prefix) else "text"
        notes.append(f"{kind} before the BEGIN marker on line {begin + 1} ignored")
    # Inside the armor a 'quit' or device output means the END line never came; catch it here,
    # where the message can say so, instead of decoding 'quit' as four base64 characters.
    for index in range(begin + 1, len(lines)):
        line = lines[index]
        if not line or (PLAIN_BASE64.fullmatch(line) and not is_quit(line)):
            continue
        if "-----" in line and pem.pem_marker(line) is not None:
            break
        if is_quit(line) or _is_device_line(line):
            what = "'quit'" if is_quit(line) else "device output"
            raise MalformedError(
                f"line {index + 1}: {what} before -----END {label}----- (BEGIN at line {begin + 1})"
            )
    end = pem.find_pem_end(lines, begin, label)
    return pem.decode_base64_lines(lines, begin + 1, end, allow_blank=True), end


def _bare(
    lines: list[str], start: int, anchor_index: int, anchor_name: str, notes: list[str]
) -> tuple[bytes, int]:
    """Bare base64 from ``start`` up to the first line that ends it; returns (der, stop index)."""
    count = len(lines)
    stop = count
    for index in range(start, count):
        line = lines[index]
        if line and PLAIN_BASE64.fullmatch(line) and not is_quit(line):
            continue  # the common case: a data line
        if not line:
            notes.append(f"ended by a blank line at line {index + 1}")
        elif is_quit(line):
            notes.append(f"ended by 'quit' at line {index + 1}")
        elif _is_trailer(line):
            pass  # noted by _after
        elif "-----" in line and (marker := pem.pem_marker(line)) is not None:
            if marker[0] == "END" and pem.is_pkcs12_label(marker[1]):
                notes.append(f"-----END {marker[1]}----- at line {index + 1} without a BEGIN line")
            else:
                raise MalformedError(
                    f"line {index + 1}: unexpected -----{marker[0]} {marker[1]}----- inside base64 "
                    f"data that starts at line {start + 1}"
                )
        elif _is_device_line(line):
            notes.append(f"ended by device output at line {index + 1}")
        else:
            continue  # a damaged data line: decode_base64_lines names it
        stop = index
        break
    else:
        notes.append("ended at the end of the input")
    if stop == start:
        raise MalformedError(f"line {anchor_index + 1}: no base64 data follows {anchor_name}")
    der = pem.decode_base64_lines(lines, start, stop)
    # A base64 line right after what ended the data means the data was cut, not finished.
    nxt = next((i for i in range(stop + 1, count) if lines[i]), None)
    if nxt is not None and len(lines[nxt]) >= 16 and PLAIN_BASE64.fullmatch(lines[nxt]):
        raise MalformedError(
            f"line {nxt + 1}: base64 data continues after line {stop + 1}, which ended it "
            "(a stray or damaged line inside the data?)"
        )
    return der, stop


def _after(lines: list[str], stop: int, start: int, notes: list[str]) -> None:
    """Note the trailer, 'quit' and device verdicts after the data; refuse a second transcript."""
    quit_seen = any(note.startswith("ended by 'quit'") for note in notes)
    verdict_seen = False
    for index in range(stop, len(lines)):
        line = lines[index]
        if not line:
            continue
        low = line.lower()
        if _is_trailer(line):
            notes.append(f"trailer '---End - This line not part of the pkcs12---' at line {index + 1}")
        elif is_quit(line) and not quit_seen:
            quit_seen = True
            notes.append(f"ended by 'quit' at line {index + 1}")
        elif not verdict_seen and any(text in low for text in _SUCCESS):
            verdict_seen = True
            notes.append(f"device reported success at line {index + 1}")
        elif not verdict_seen and any(text in low for text in _FAILURE):
            verdict_seen = True
            notes.append(f"device reported a failure at line {index + 1}")
        else:
            anchor = _anchor(line)
            if anchor is not None and anchor[0] != "prompt":
                raise MalformedError(
                    f"line {index + 1}: a second PKCS#12 transcript starts here (the first data "
                    f"is at line {start + 1}); pass one at a time"
                )
