"""Cisco IOS / IOS-XE / ASA terminal text around PKCS#12.

Exports: Transcript, parse_transcript, looks_like_transcript, VARIANTS (reading transcripts);
export_text, import_session, check_cli_password, check_trustpoint_name, PLATFORMS (writing
them); Trustpoint, trustpoint (what a device makes of a PKCS#12); parse_pem_transcript,
pem_transcript, pem_import_session, evp_bytes_to_key, PEM_CIPHERS (IOS PEM transcripts);
show_certificates (``show crypto ca|pki certificates`` preview); hostname_matches,
check_hostname (RFC 6125 / RFC 9525 name checks).

The formats are described in the project's Cisco notes (FORMATS.md, "Parser / emitter grammar").
The PKCS#12 itself is RFC 7292; the armor is base64 (RFC 4648 section 4), bare or between
RFC 7468-style ``-----BEGIN PKCS12-----`` boundaries.
"""

from __future__ import annotations

import dataclasses
import re

from . import armor as _armor
from .errors import BadPasswordError, EncodeError, MalformedError, PKCS12Error, UnsupportedAlgorithmError

__all__ = [
    "Transcript",
    "parse_transcript",
    "looks_like_transcript",
    "VARIANTS",
    "PLATFORMS",
    "default_profile",
    "export_text",
    "import_session",
    "check_cli_password",
    "check_trustpoint_name",
    "Trustpoint",
    "trustpoint",
    "PEM_CIPHERS",
    "evp_bytes_to_key",
    "parse_pem_transcript",
    "pem_transcript",
    "pem_import_session",
    "show_certificates",
    "hostname_matches",
    "check_hostname",
]


# --- terminal transcripts ----------------------------------------------------------------------

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
_PLAIN_B64 = re.compile(r"[A-Za-z0-9+/=]+")
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
    return _parse(_armor.split_lines(text))


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


def _is_quit(line: str) -> bool:
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

    marker = _armor.pem_marker(lines[start])
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
    if not _armor.is_pkcs12_label(label):
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
        if not line or (_PLAIN_B64.fullmatch(line) and not _is_quit(line)):
            continue
        if "-----" in line and _armor.pem_marker(line) is not None:
            break
        if _is_quit(line) or _is_device_line(line):
            what = "'quit'" if _is_quit(line) else "device output"
            raise MalformedError(
                f"line {index + 1}: {what} before -----END {label}----- (BEGIN at line {begin + 1})"
            )
    end = _armor.find_pem_end(lines, begin, label)
    return _armor.decode_base64_lines(lines, begin + 1, end, allow_blank=True), end


def _bare(
    lines: list[str], start: int, anchor_index: int, anchor_name: str, notes: list[str]
) -> tuple[bytes, int]:
    """Bare base64 from ``start`` up to the first line that ends it; returns (der, stop index)."""
    count = len(lines)
    stop = count
    for index in range(start, count):
        line = lines[index]
        if line and _PLAIN_B64.fullmatch(line) and not _is_quit(line):
            continue  # the common case: a data line
        if not line:
            notes.append(f"ended by a blank line at line {index + 1}")
        elif _is_quit(line):
            notes.append(f"ended by 'quit' at line {index + 1}")
        elif _is_trailer(line):
            pass  # noted by _after
        elif "-----" in line and (marker := _armor.pem_marker(line)) is not None:
            if marker[0] == "END" and _armor.is_pkcs12_label(marker[1]):
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
    der = _armor.decode_base64_lines(lines, start, stop)
    # A base64 line right after what ended the data means the data was cut, not finished.
    nxt = next((i for i in range(stop + 1, count) if lines[i]), None)
    if nxt is not None and len(lines[nxt]) >= 16 and _PLAIN_B64.fullmatch(lines[nxt]):
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
        elif _is_quit(line) and not quit_seen:
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


# --- shared: platforms, CLI tokens -------------------------------------------------------------

# Platform names accepted by the writers; aliases map to the two terminal dialects.
PLATFORMS = {"asa": "asa", "ftd": "asa", "ios": "ios", "ios-xe": "ios", "iosxe": "ios"}

# Trustpoint labels seen on devices are letters, digits, '.', '_' and '-' (FORMATS.md 1.3, 5.1,
# 5.2: "vpn.chuck.com-2017", "2018-10-TrustPoint", "CISCO_IDEVID_SUDI", "TP-self-signed-...").
# Anything else (spaces end the token, '?' is CLI help, quotes are parsed) is refused.
_TRUSTPOINT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_RECOMMENDED_PASSWORD = re.compile(r"[A-Za-z0-9]{8,64}")


def _platform(platform, where: str) -> str:
    """The dialect ("asa" or "ios") of a platform name; EncodeError for an unknown one."""
    if not isinstance(platform, str):
        raise TypeError(f"{where}: platform must be str, not {type(platform).__name__}")
    dialect = PLATFORMS.get(platform.lower())
    if dialect is None:
        raise EncodeError(
            f"{where}: unknown platform {platform!r}; expected one of {', '.join(sorted(PLATFORMS))}"
        )
    return dialect


def check_trustpoint_name(name: str) -> str:
    """Return ``name`` if a Cisco CLI takes it as a trustpoint label, else raise EncodeError.

    Letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit (the labels in
    FORMATS.md 1.3, 5.1 and 5.2). Whitespace would end the token; ``?`` opens CLI help (6.4).
    """
    if not isinstance(name, str):
        raise TypeError(f"trustpoint name must be str, not {type(name).__name__}")
    if not name:
        raise EncodeError("trustpoint name: empty")
    if _TRUSTPOINT_NAME.fullmatch(name) is None:
        bad = next((c for c in name if not (c.isascii() and (c.isalnum() or c in "._-"))), name[0])
        raise EncodeError(
            f"trustpoint name {name!r}: character {_describe(bad)} is not allowed (use letters, "
            "digits, '.', '_' and '-', starting with a letter or digit)"
        )
    return name


def _describe(char: str) -> str:
    if char == " ":
        return "' ' (space)"
    if char.isspace() or not char.isprintable() or not char.isascii():
        return f"U+{ord(char):04X}"
    return f"'{char}'"


def check_cli_password(password: str, platform: str, *, pem: bool = False) -> tuple[str, ...]:
    """Refuse a password the device CLI cannot take as typed; return advice for the rest.

    Hard rules (EncodeError; the message never contains the password), FORMATS.md 6.4:

    - empty: IOS answers ``% Incomplete command`` (2.7), and a PKCS#12 import needs a password;
    - ``?`` opens CLI help on IOS and ASA, so it can never be typed inside an argument;
    - whitespace ends the token (ASA takes the password positionally);
    - quotes (``"`` or ``'``): the ASA strips double quotes (1.3), so the device would derive
      its keys from another password than the file was written with;
    - non-ASCII or control characters: the terminal sends bytes whose encoding is unknown;
    - ASA: the word ``nointeractive`` in the password position is a keyword (1.4);
    - with ``pem=True``: fewer than 8 characters, which IOS refuses for PEM key export
      (``% Passphrase is too short, needs to be at least 8 chars``, 6.4, verified on a device).

    Advice (returned, not raised): fewer than 8 characters for a PKCS#12 on IOS (the minimum is
    verified only for PEM export), and characters outside ``[A-Za-z0-9]`` or a length over 64
    (FORMATS.md 6.4 recommends 8-64 alphanumerics; other characters are not known to fail).
    """
    return tuple(text for _, text in _password_findings(password, platform, pem))


def _password_findings(password: str, platform: str, pem: bool) -> list[tuple[str, str]]:
    """`check_cli_password`'s checks; returns (kind, advice) pairs, kind "short" or "charset"."""
    if not isinstance(password, str):
        raise TypeError(f"password must be str, not {type(password).__name__}")
    dialect = _platform(platform, "password")
    if not password:
        raise EncodeError("password: empty; Cisco imports need a password on the command line")
    for index, char in enumerate(password, 1):
        if char == "?":
            raise EncodeError(
                f"password: character {index} is '?', which opens CLI help on IOS and ASA and "
                "cannot be typed inside a command"
            )
        if char.isspace():
            raise EncodeError(
                f"password: character {index} is whitespace, which ends the password token on "
                "the command line"
            )
        if char in "\"'":
            raise EncodeError(
                f"password: character {index} is a quote; the device CLI parses quotes (the ASA "
                "strips them) and would not use the password as written"
            )
        if not char.isascii() or not char.isprintable():
            raise EncodeError(
                f"password: character {index} is not printable ASCII; what a terminal sends for "
                "it is unknown"
            )
    if dialect == "asa" and password.lower() == "nointeractive":
        raise EncodeError("password: 'nointeractive' is a keyword of the ASA import command")
    if pem and len(password) < 8:
        raise EncodeError(
            f"password: {len(password)} characters; IOS refuses PEM key export passphrases "
            "shorter than 8 ('% Passphrase is too short, needs to be at least 8 chars')"
        )
    advice = []
    if dialect == "ios" and not pem and len(password) < 8:
        advice.append(("short",
            f"password has {len(password)} characters; IOS requires 8 for PEM key export and may "
            "for PKCS#12 too (unverified): use at least 8"
        ))
    if _RECOMMENDED_PASSWORD.fullmatch(password) is None and len(password) >= 8:
        advice.append(("charset",
            "password has characters outside [A-Za-z0-9] or more than 64 characters; automation "
            "uses 8-64 alphanumerics, the only form known to work on every platform"
        ))
    return advice


def default_profile(platform: str):
    """The profile to write for ``platform`` ("asa", "ftd", "ios", "iosxe", "ios-xe" ...):
    `targets.profile_for`, i.e. LEGACY_3DES for every Cisco platform but IOS-XE 26 (FORMATS.md
    "Profiles": 3DES key and certificates, HMAC-SHA1, safe everywhere)."""
    from .targets import profile_for

    try:
        return profile_for(platform)
    except ValueError:
        return profile_for(PLATFORMS.get(platform.lower(), platform))


def _pkcs12_der(p12_or_der, password, platform: str, profile, random, where: str) -> bytes:
    """DER to put on the terminal: DER as given (checked against ``password`` when one is given),
    or a PKCS12 encoded with ``password`` under ``profile``."""
    from .model import PKCS12

    if isinstance(p12_or_der, PKCS12):
        if password is None:
            raise TypeError(f"{where}: a PKCS12 needs password= to be encoded")
        if profile is None:
            profile = default_profile(platform)
        from .api import dumps

        return dumps(p12_or_der, password, profile=profile, random=random)
    if isinstance(p12_or_der, (bytearray, memoryview)):
        p12_or_der = bytes(p12_or_der)
    if not isinstance(p12_or_der, bytes):
        raise TypeError(f"{where}: expected PKCS#12 DER bytes or a PKCS12, not {type(p12_or_der).__name__}")
    if profile is not None:
        raise TypeError(f"{where}: profile= applies to a PKCS12, not to DER that is already encoded")
    if p12_or_der[:1] != b"\x30":
        raise MalformedError(f"{where}: not PKCS#12 DER (first byte is not 0x30, a SEQUENCE)")
    if password is not None:
        from .api import loads

        try:
            loads(p12_or_der, password)
        except BadPasswordError as err:
            raise EncodeError(
                f"{where}: the password does not open this PKCS#12 (the device would refuse it "
                "with 'bad HMAC')"
            ) from err
    return p12_or_der


# --- writing exports and import sessions -------------------------------------------------------

_ASA_BEGIN = "-----BEGIN PKCS12-----"
_ASA_END = "-----END PKCS12-----"
_IOS_TRAILER = "---End - This line not part of the pkcs12---"
_IOS_EXPORTED = "CRYPTO_PKI: Exported PKCS12 file successfully."


def export_text(p12_or_der, platform: str, *, password=None, profile=None, random=None) -> str:
    """The text a device prints when it exports a trustpoint as PKCS#12 to the terminal.

    ``platform`` ``"asa"`` (FORMATS.md 1.1: ``Exported pkcs12 follows:``, ``-----BEGIN
    PKCS12-----``, 64-column base64, ``-----END PKCS12-----``) or ``"ios"`` (2.1: the banner,
    bare 64-column base64, a blank line, ``---End - This line not part of the pkcs12---``, a
    blank line, ``CRYPTO_PKI: Exported PKCS12 file successfully.``). ``parse_transcript`` reads
    it back as variant ``"asa-export"`` / ``"ios-export"``.

    ``p12_or_der``: DER bytes, written as they are (a ``password=`` given with them is checked
    to open the file), or a `PKCS12`, which needs ``password=`` and is encoded under
    ``profile`` (default ``targets.profile_for(platform)``, else ``LEGACY_3DES``); the password
    must pass `check_cli_password`, since the device took it on its command line.
    """
    from .model import PKCS12

    dialect = _platform(platform, "export_text")
    if isinstance(p12_or_der, PKCS12) and password is not None:
        check_cli_password(password, platform)
    der = _pkcs12_der(p12_or_der, password, platform, profile, random, "export_text")
    lines = _armor.base64_lines(der, 64)
    if dialect == "asa":
        return "\n".join(["Exported pkcs12 follows:", _ASA_BEGIN, *lines, _ASA_END]) + "\n"
    return "\n".join(["Exported pkcs12 follows:", *lines, "", _IOS_TRAILER, "", _IOS_EXPORTED]) + "\n"


def import_session(
    p12_or_der, password: str, platform: str, trustpoint: str, *, profile=None, random=None
) -> str:
    """The complete text to paste in configuration mode to import a PKCS#12 into a trustpoint.

    ASA (FORMATS.md 1.3, 1.5; grammar ``asa_import_in``)::

        crypto ca import <tp> pkcs12 <pw>
        -----BEGIN PKCS12-----
        <64-column base64>
        -----END PKCS12-----
        quit

    IOS / IOS-XE (2.4; grammar ``ios_import_in``)::

        crypto pki import <tp> pkcs12 terminal password <pw>
        <64-column base64>
        quit

    The armor lines are kept for the ASA because its own export and every REST API client send
    them; ``quit`` is always sent, since the ASA prompt names only ``quit`` (1.3). 64 columns:
    IOS corrupts long pasted lines (2.4). The device then asks the questions listed in
    `trustpoint` warnings; they are not pre-answered here.

    ``password`` must pass `check_cli_password` (EncodeError otherwise; its advice is issued as a
    `UserWarning`); ``trustpoint`` must pass `check_trustpoint_name`. ``p12_or_der`` is DER (the
    password must open it) or a `PKCS12` (encoded with ``password`` under ``profile``, as in
    `export_text`).
    """
    import warnings

    dialect = _platform(platform, "import_session")
    check_trustpoint_name(trustpoint)
    for kind, advice in _password_findings(password, platform, pem=False):
        if kind == "short":  # the charset note is general advice, not worth a warning
            warnings.warn(advice, UserWarning, stacklevel=2)
    der = _pkcs12_der(p12_or_der, password, platform, profile, random, "import_session")
    lines = _armor.base64_lines(der, 64)
    if dialect == "asa":
        head = [f"crypto ca import {trustpoint} pkcs12 {password}", _ASA_BEGIN, *lines, _ASA_END]
    else:
        head = [f"crypto pki import {trustpoint} pkcs12 terminal password {password}", *lines]
    return "\n".join([*head, "quit"]) + "\n"


# --- trustpoint view ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Trustpoint:
    """What a Cisco device makes of a PKCS#12 when it imports it into trustpoint ``name``.

    ``key``/``certificate``: the identity (`KeyEntry`/`CertEntry`, None when absent);
    ``issuer``: the CA certificate that issued it and that the trustpoint keeps (None when the
    identity is self-signed or its issuer is not in the file); ``chain``: every issuer in the
    file, leaf's issuer first, root last; ``extra``: ``(trustpoint name, CertEntry)`` for each
    CA the device puts into an additional trustpoint (IOS ``<tp>-rrrN`` when you answer "yes",
    ASA ``<tp>-1``); ``warnings``: what the device will ask or do, and what will go wrong.
    FORMATS.md section 7 is the source of every platform rule here.
    """

    key: object
    certificate: object
    issuer: object
    chain: tuple
    warnings: tuple[str, ...] = ()
    platform: str | None = None
    name: str = "TP"
    extra: tuple = ()


def _subject_text(entry) -> str:
    """The subject as one RFC 4514-style line for messages (most specific first)."""
    try:
        return ",".join(f"{name}={value}" for name, value in _rdn_lines(entry.certificate.subject))
    except Exception:
        return "<unparsable certificate>"


def _self_signed(entry) -> bool:
    """Self-issued (subject == issuer): the end of a chain (RFC 5280 section 3.2)."""
    try:
        parsed = entry.certificate
        return parsed.subject.dump() == parsed.issuer.dump()
    except Exception:
        return False


def trustpoint(p12, platform: str | None = None, *, name: str = "TP") -> Trustpoint:
    """The trustpoint view of ``p12`` on ``platform`` (``"ios"``, ``"asa"`` or None for checks
    common to both), with warnings for what the device will do (FORMATS.md 7, 1.3, 1.8, 2.4):

    - no private key, several keys, a key without a certificate, or a key that does not match
      its certificate (`chain.public_key_matches`);
    - a non-self-signed identity whose issuer is not in the file (the trustpoint cannot be
      authenticated; FMC says "Fail to configure CA certificate");
    - IOS: an issuing CA that is not self-signed makes IOS-XE ask ``% Do you also want to
      create trustpoints for CAs higher in the hierarchy? [yes/no]:``; "yes" creates
      ``<tp>-rrr1``, ``<tp>-rrr2``... for the CAs above it, re-created on every import;
    - ASA: the issuing CA goes into the trustpoint ("is a subordinate CA and holds a non
      self-signed certificate" when it is not a root) and the root into an extra trustpoint
      ``<tp>-1`` (naming beyond one extra CA unverified);
    - a trustpoint keeps two certificates (identity and issuer); other certificates in the file
      go to extra trustpoints or are not imported.
    """
    from . import chain as _chain
    from .model import PKCS12

    if not isinstance(p12, PKCS12):
        raise TypeError(f"trustpoint: expected a PKCS12, not {type(p12).__name__}")
    dialect = None if platform is None else _platform(platform, "trustpoint")
    check_trustpoint_name(name)
    key, cert = p12.key, p12.certificate
    issuers = p12.chain
    issuer = issuers[0] if issuers else None
    warnings: list[str] = []

    if key is None:
        warnings.append(
            "no private key: the device imports a PKCS#12 as its own identity and needs the key "
            "(for CA certificates alone use 'crypto ca|pki authenticate' or the trustpool)"
        )
    else:
        if len(p12.keys) > 1:
            warnings.append(f"{len(p12.keys)} private keys: the device imports one identity key")
        if cert is None:
            warnings.append("no certificate for the private key: the trustpoint needs the identity certificate")
        elif _chain.public_key_matches(key, cert) is False:
            warnings.append(
                f"the private key does not match the public key of the identity certificate "
                f"({_subject_text(cert)}): the device cannot use this identity"
            )
    if cert is not None and issuer is None and not _self_signed(cert):
        warnings.append(
            f"the issuer of the identity certificate ({_issuer_text(cert)}) is not in the file: "
            "the trustpoint cannot be authenticated (FMC: 'Fail to configure CA certificate'); "
            "add the issuing CA certificate"
        )

    above = issuers[1:]
    extra: list = []
    if issuer is not None and not _self_signed(issuer):
        root_missing = not _self_signed(issuers[-1])
        if dialect == "ios":
            extra = [(f"{name}-rrr{n}", ca) for n, ca in enumerate(above, 1)]
            created = ", ".join(f"{tp} ({_subject_text(ca)})" for tp, ca in extra) or "none (no CA above the issuer is in the file)"
            warnings.append(
                "IOS-XE asks '% The CA cert is not self-signed.' / '% Do you also want to create "
                "trustpoints for CAs higher in the hierarchy? [yes/no]:'; answer yes so that the "
                f"device can send the full chain; it creates: {created} (the numbering order is "
                "unverified); they are re-created on every import and pile up on renewals"
            )
        elif dialect == "asa":
            warnings.append(
                f"the ASA reports \"Trustpoint '{name}' is a subordinate CA and holds a non "
                f"self-signed certificate.\": the issuing CA ({_subject_text(issuer)}) goes into "
                f"'{name}'"
            )
            if above:
                extra = [(f"{name}-{n}", ca) for n, ca in enumerate(above, 1)]
                created = ", ".join(f"{tp} ({_subject_text(ca)})" for tp, ca in extra)
                suffix = "" if len(extra) == 1 else " (names beyond -1 are unverified)"
                warnings.append(f"the ASA creates an additional trustpoint for the CAs above the issuer: {created}{suffix}")
        if root_missing and dialect is not None:
            warnings.append(
                f"the root CA above {_subject_text(issuers[-1])} is not in the file: the device "
                "cannot build the chain to a root"
            )
    others = [c for c in p12.certificates if c is not cert and all(c is not i for i in issuers)]
    if dialect is not None and len(issuers) > 1:
        warnings.append(
            f"a trustpoint keeps two certificates (identity and issuing CA); the other "
            f"{len(issuers) - 1} CA certificate(s) go to additional trustpoints"
            + (" only if you answer yes" if dialect == "ios" else "")
        )
    for other in others:
        warnings.append(
            f"certificate {_subject_text(other)} is not in the identity's chain: the device does "
            "not import it into this trustpoint"
        )
    return Trustpoint(key, cert, issuer, issuers, tuple(warnings), dialect, name, tuple(extra))


_trustpoint_view = trustpoint  # for functions whose `trustpoint` parameter shadows the name


def _issuer_text(entry) -> str:
    try:
        return ",".join(f"{n}={v}" for n, v in _rdn_lines(entry.certificate.issuer))
    except Exception:
        return "<unparsable certificate>"


# --- show crypto ca|pki certificates preview ---------------------------------------------------

# Attribute names as the devices print them (FORMATS.md 5.1, 5.2: cn, ou, o, l, st, c,
# serialNumber, hostname, ipaddress); 'ea' is Cisco's subject-name keyword for e-mail.
_RDN_NAMES = {
    "2.5.4.3": "cn",
    "2.5.4.11": "ou",
    "2.5.4.10": "o",
    "2.5.4.7": "l",
    "2.5.4.8": "st",
    "2.5.4.6": "c",
    "2.5.4.5": "serialNumber",
    "2.5.4.12": "title",
    "2.5.4.9": "street",
    "1.2.840.113549.1.9.1": "ea",
    "1.2.840.113549.1.9.2": "hostname",  # PKCS #9 unstructuredName
    "1.2.840.113549.1.9.8": "ipaddress",  # PKCS #9 unstructuredAddress
    "0.9.2342.19200300.100.1.25": "dc",
    "0.9.2342.19200300.100.1.1": "uid",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SIGNATURE_BITS = {"digital_signature", "non_repudiation", "key_cert_sign", "crl_sign"}
_ENCRYPTION_BITS = {"key_encipherment", "data_encipherment", "key_agreement"}


def _attribute_text(value) -> str:
    """An attribute value as text: DirectoryString and PKCS #9 strings via asn1crypto, anything
    else as its DER in hex (never guessed)."""
    from asn1crypto import core

    try:
        native = value.native
        if isinstance(native, str):
            return native
        native = core.Asn1Value.load(value.dump()).native
        if isinstance(native, str):
            return native
        if isinstance(native, bytes):
            return native.decode("utf-8")
    except Exception:
        pass
    return "#" + value.dump().hex()


def _rdn_lines(name) -> list[tuple[str, str]]:
    """(attribute, value) of every AVA, most specific first (the reverse of the DER order), as
    the devices list them (FORMATS.md 5.1)."""
    pairs = []
    for rdn in name.chosen:
        for ava in rdn:
            oid = ava["type"].dotted
            pairs.append((_RDN_NAMES.get(oid, oid), _attribute_text(ava["value"])))
    return pairs[::-1]


def _usage(certificate) -> str:
    """Certificate Usage from keyUsage (RFC 5280 4.2.1.3): signing bits only → "Signature",
    encryption bits only → "Encryption", both or no extension → "General Purpose"
    (inferred from the FORMATS.md 5.1/5.2 samples: CA certificates show "Signature")."""
    value = certificate.key_usage_value
    if value is None:
        return "General Purpose"
    bits = set(value.native)
    signing, encrypting = bool(bits & _SIGNATURE_BITS), bool(bits & _ENCRYPTION_BITS)
    if signing and not encrypting:
        return "Signature"
    if encrypting and not signing:
        return "Encryption"
    return "General Purpose"


def _device_date(moment) -> str:
    """``HH:MM:SS UTC Mon D YYYY`` (FORMATS.md 5.1: ``00:00:00 UTC Sep 4 2020``), in UTC."""
    import datetime

    moment = moment.astimezone(datetime.timezone.utc)
    return f"{moment:%H:%M:%S} UTC {_MONTHS[moment.month - 1]} {moment.day} {moment.year}"


def _serial_hex(certificate) -> str:
    """The serial's magnitude as whole bytes of hex, as the devices and ``openssl x509 -serial``
    print it (``0d5071b8...`` keeps the leading zero nibble)."""
    serial = certificate.serial_number
    magnitude = abs(serial)
    return magnitude.to_bytes(max(1, (magnitude.bit_length() + 7) // 8), "big").hex()


def _public_key_type(certificate) -> str:
    """``RSA (2048 bits)`` as in FORMATS.md 5.1; other algorithms by analogy (unverified)."""
    info = certificate.public_key
    algorithm = info.algorithm
    label = {"rsa": "RSA", "rsassa_pss": "RSA", "ec": "ECDSA", "dsa": "DSA"}.get(algorithm, algorithm.upper())
    try:
        return f"{label} ({info.bit_size} bits)"
    except Exception:
        return label


def _signature_algorithm(certificate) -> str:
    """``SHA256 with RSA Encryption`` as in FORMATS.md 5.1; ECDSA/PSS wording by analogy."""
    algorithm = certificate["signature_algorithm"]
    try:
        signature, digest = algorithm.signature_algo, algorithm.hash_algo
    except Exception:
        return algorithm["algorithm"].dotted
    digest = digest.upper()
    if signature == "rsassa_pkcs1v15":
        return f"{digest} with RSA Encryption"
    if signature == "ecdsa":
        return f"{digest} with ECDSA"
    if signature == "rsassa_pss":
        return f"RSASSA-PSS ({digest})"
    return signature.upper()


def _crl_urls(certificate) -> list[str]:
    urls = []
    for point in certificate.crl_distribution_points or ():
        name = point["distribution_point"]
        if name.name != "full_name":
            continue
        for general in name.chosen:
            if general.name == "uniform_resource_identifier":
                urls.append(general.native)
    return urls


def _certificate_block(entry, dialect: str, title: str, trustpoints: str) -> list[str]:
    cert = entry.certificate
    lines = [title, "  Status: Available"]
    serial = _serial_hex(cert)
    if dialect == "asa":
        lines.append(f"  Certificate Serial Number: {serial}")
    else:
        lines.append(f"  Certificate Serial Number (hex): {serial.upper()}")
    lines.append(f"  Certificate Usage: {_usage(cert)}")
    if dialect == "asa":
        lines.append(f"  Public Key Type: {_public_key_type(cert)}")
        lines.append(f"  Signature Algorithm: {_signature_algorithm(cert)}")
    issuer, subject = _rdn_lines(cert.issuer), _rdn_lines(cert.subject)
    lines.append("  Issuer Name:" if dialect == "asa" else "  Issuer:")
    lines += [f"    {name}={value}" for name, value in issuer]
    lines.append("  Subject Name:" if dialect == "asa" else "  Subject:")
    if dialect == "ios":
        # IOS opens the subject with summary lines (FORMATS.md 5.2): Name: (the hostname, which
        # is the unstructuredName or else the CN), IP Address:, Serial Number:.
        found = dict((name, value) for name, value in reversed(subject))
        summary_name = found.get("hostname", found.get("cn"))
        if summary_name is not None:
            lines.append(f"    Name: {summary_name}")
        if "ipaddress" in found:
            lines.append(f"    IP Address: {found['ipaddress']}")
        if "serialNumber" in found:
            lines.append(f"    Serial Number: {found['serialNumber']}")
    lines += [f"    {name}={value}" for name, value in subject]
    ocsp = list(cert.ocsp_urls or ())
    if dialect == "asa" and ocsp:
        lines.append("  OCSP AIA:")
        lines += [f"    URL: {url}" for url in ocsp]
    crls = _crl_urls(cert)
    if crls:
        lines.append("  CRL Distribution Points:")
        if dialect == "asa":
            lines += [f"    [{n}]  {url}" for n, url in enumerate(crls, 1)]
        else:
            lines += [f"    {url}" for url in crls]
    validity = cert["tbs_certificate"]["validity"]
    lines += [
        "  Validity Date:",
        f"    start date: {_device_date(validity['not_before'].native)}",
        f"    end   date: {_device_date(validity['not_after'].native)}",
        f"  Associated Trustpoints: {trustpoints}",
    ]
    return lines


def show_certificates(p12, platform: str, trustpoint: str = "TP", *, extra: bool = False) -> str:
    """Preview ``show crypto ca certificates <tp>`` (ASA, FORMATS.md 5.1) or ``show crypto pki
    certificates <tp>`` (IOS, 5.2) after ``p12`` is imported into ``trustpoint``.

    One block per certificate the trustpoint holds: the identity (``Certificate``) and its
    issuing CA (``CA Certificate``), separated by a blank line; ``extra=True`` adds the CAs the
    device puts into additional trustpoints (see `trustpoint`). Fields follow the device
    layouts: ``Status: Available``, the serial in hex (ASA lower case, IOS upper case with
    ``(hex)``), ``Certificate Usage``, on the ASA ``Public Key Type`` and ``Signature
    Algorithm``, issuer and subject one attribute per line most specific first, on IOS the
    subject's ``Name:`` summary line, OCSP (ASA) and CRL URLs, ``Validity Date`` in UTC, and
    ``Associated Trustpoints``. A preview, not a capture: the device prints dates in its own
    time zone and may add ``Storage:`` lines.
    """
    from .model import PKCS12

    if not isinstance(p12, PKCS12):
        raise TypeError(f"show_certificates: expected a PKCS12, not {type(p12).__name__}")
    dialect = _platform(platform, "show_certificates")
    view = _trustpoint_view(p12, dialect, name=trustpoint)
    if view.certificate is None:
        raise EncodeError("show_certificates: the PKCS#12 holds no certificate")
    blocks = [_certificate_block(view.certificate, dialect, "Certificate", trustpoint)]
    if view.issuer is not None:
        blocks.append(_certificate_block(view.issuer, dialect, "CA Certificate", trustpoint))
    elif _self_signed(view.certificate) and dialect == "ios":
        blocks[0][0] = "Router Self-Signed Certificate"
    if extra:
        for name, ca in view.extra:
            blocks.append(_certificate_block(ca, dialect, "CA Certificate", name))
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


# --- IOS PEM transcripts -----------------------------------------------------------------------

# `crypto pki export <tp> pem terminal {3des|des|aes} password <pw>` keywords and the DEK-Info
# cipher IOS writes for each (FORMATS.md 3.2: DES-EDE3-CBC, DES-CBC and AES-256-CBC seen).
PEM_CIPHERS = {"3des": "DES-EDE3-CBC", "des": "DES-CBC", "aes": "AES-256-CBC"}

# DEK-Info cipher → (provider cipher, key length, IV length), OpenSSL's names (PEM_read_bio's
# EVP_get_cipherbyname). The IV is the cipher's block size.
_DEK_CIPHERS = {
    "DES-EDE3-CBC": ("tripledes", 24, 8),
    "DES-CBC": ("des", 8, 8),
    "AES-128-CBC": ("aes", 16, 16),
    "AES-192-CBC": ("aes", 24, 16),
    "AES-256-CBC": ("aes", 32, 16),
}
_TRADITIONAL_LABELS = {"RSA PRIVATE KEY": "rsa", "EC PRIVATE KEY": "ec"}
_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9-]*):\s*(.*)")
_PEM_COMMAND = re.compile(r"crypto\s+pki\s+(?:export|import)\s+(\S+)\s+pem\b", re.I)
_KEY_COMMAND = re.compile(r"crypto\s+key\s+(?:export|import)\s+(?:rsa|ec)\s+(\S+)\s+pem\b", re.I)
_KEY_NAME = re.compile(r"%\s*key name:\s*(\S+)", re.I)


def evp_bytes_to_key(password: bytes, salt: bytes, length: int) -> bytes:
    """OpenSSL's ``EVP_BytesToKey`` with MD5 and one iteration, as the legacy encrypted PEM
    format uses it (``PEM_do_header``; the scheme is PBKDF1-like, RFC 8018 section 5.1, but
    chains blocks beyond one digest): ``D_1 = MD5(password || salt)``,
    ``D_i = MD5(D_{i-1} || password || salt)``, key = the first ``length`` bytes of
    ``D_1 || D_2 || ...``. ``salt`` is the first 8 bytes of the DEK-Info IV."""
    import hashlib

    derived, block = b"", b""
    while len(derived) < length:
        block = hashlib.md5(block + password + salt).digest()
        derived += block
    return derived[:length]


def _password_bytes(password) -> bytes:
    if isinstance(password, str):
        return password.encode("utf-8")
    if isinstance(password, (bytes, bytearray)):
        return bytes(password)
    raise TypeError(f"password must be str or bytes, not {type(password).__name__}")


def _decrypt_traditional(body: bytes, dek: str, password, where: str) -> bytes:
    """Decrypt a ``Proc-Type: 4,ENCRYPTED`` body (RFC 1421 section 4.6.1.3 headers, OpenSSL's
    key derivation `evp_bytes_to_key`, CBC with PKCS#5 padding)."""
    from .ciphers import get_provider

    name, _, iv_hex = dek.partition(",")
    name = name.strip().upper()
    if name not in _DEK_CIPHERS:
        raise UnsupportedAlgorithmError(
            f"{where}: DEK-Info cipher {name!r} is not supported (expected one of "
            f"{', '.join(_DEK_CIPHERS)})"
        )
    cipher, key_length, iv_length = _DEK_CIPHERS[name]
    try:
        iv = bytes.fromhex(iv_hex.strip())
    except ValueError:
        raise MalformedError(f"{where}: DEK-Info IV is not hexadecimal") from None
    if len(iv) != iv_length:
        raise MalformedError(f"{where}: DEK-Info IV is {len(iv)} bytes; {name} needs {iv_length}")
    if not body or len(body) % iv_length:
        raise MalformedError(
            f"{where}: encrypted key is {len(body)} bytes, not a positive multiple of the "
            f"{iv_length}-byte block"
        )
    if password is None:
        raise BadPasswordError(f"{where}: the key is encrypted and no password was given")
    key = evp_bytes_to_key(_password_bytes(password), iv[:8], key_length)
    plain = get_provider().cbc_decrypt(cipher, key, iv, body)
    count = plain[-1]
    if not 1 <= count <= iv_length or plain[-count:] != bytes([count]) * count:
        raise BadPasswordError(f"{where}: decryption failed (wrong password or corrupted data)")
    return plain[:-count]


def _encrypt_traditional(plain: bytes, dek_name: str, password, draw) -> tuple[str, bytes]:
    """(DEK-Info value, ciphertext): the inverse of `_decrypt_traditional`, fresh IV."""
    from .ciphers import get_provider

    cipher, key_length, iv_length = _DEK_CIPHERS[dek_name]
    iv = draw(iv_length)
    key = evp_bytes_to_key(_password_bytes(password), iv[:8], key_length)
    count = iv_length - len(plain) % iv_length
    body = get_provider().cbc_encrypt(cipher, key, iv, plain + bytes([count]) * count)
    return f"{dek_name},{iv.hex().upper()}", body


def _pkcs8_from_pem_key(label: str, headers: dict, body: bytes, password, where: str) -> bytes:
    """Unencrypted PKCS#8 DER from a private-key PEM block: traditional ``RSA``/``EC PRIVATE
    KEY`` (RFC 8017 A.1.2, RFC 5915), encrypted or not, or PKCS#8 ``PRIVATE KEY`` /
    ``ENCRYPTED PRIVATE KEY`` (RFC 5958)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    encrypted = "ENCRYPTED" in headers.get("proc-type", "").upper()
    if encrypted:
        if "dek-info" not in headers:
            raise MalformedError(f"{where}: Proc-Type says ENCRYPTED but there is no DEK-Info header")
        body = _decrypt_traditional(body, headers["dek-info"], password, where)
    if label == "ENCRYPTED PRIVATE KEY":
        body = _decrypt_pkcs8(body, password, where)
        label = "PRIVATE KEY"
    failure = BadPasswordError if encrypted else MalformedError
    try:
        key = serialization.load_der_private_key(body, None, unsafe_skip_rsa_key_validation=True)
    except (ValueError, TypeError, UnsupportedAlgorithmError) as err:
        reason = "wrong password or corrupted data" if encrypted else "not a valid key"
        raise failure(f"{where}: cannot read the private key ({reason})") from err
    except Exception as err:  # cryptography's UnsupportedAlgorithm for unknown key types
        raise UnsupportedAlgorithmError(f"{where}: unsupported private key type") from err
    expected = {"rsa": rsa.RSAPrivateKey, "ec": ec.EllipticCurvePrivateKey}.get(_TRADITIONAL_LABELS.get(label))
    if expected is not None and not isinstance(key, expected):
        raise failure(f"{where}: the block labelled {label} holds another kind of key")
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _decrypt_pkcs8(body: bytes, password, where: str) -> bytes:
    """EncryptedPrivateKeyInfo (RFC 5958 section 3) → PrivateKeyInfo DER via `pbe`."""
    from asn1crypto import keys

    from . import pbe
    from .kdf import Password
    from .limits import DEFAULT_LIMITS, WorkBudget

    try:
        info = keys.EncryptedPrivateKeyInfo.load(body)
        algorithm = info["encryption_algorithm"].dump()
        ciphertext = info["encrypted_data"].native
    except (ValueError, TypeError, KeyError) as err:
        raise MalformedError(f"{where}: not an EncryptedPrivateKeyInfo") from err
    if password is None:
        raise BadPasswordError(f"{where}: the key is encrypted and no password was given")
    form = Password(password).forms()[0]
    plain, _ = pbe.decrypt(algorithm, ciphertext, form, budget=WorkBudget(DEFAULT_LIMITS), where=where)
    return plain


def _pem_context(line: str) -> str | None:
    """What the next PEM block is, from a device label or prompt line (FORMATS.md 3.1-3.3):
    "ca", "key", "identity" or "public"; None when the line says nothing about it."""
    low = line.lower().lstrip("%").strip()
    if low.startswith("key name:"):
        return "key"
    if low.startswith("enter pem-formatted"):
        if "private" in low:
            return "key"
        if "public" in low:
            return "public"
        if "ca certificate" in low:
            return "ca"
        if "certificate" in low:
            return "identity"
        return None
    if low.endswith(":"):
        label = low[:-1].strip()
        if label in ("ca certificate", "self-signed ca certificate"):
            return "ca"
        if label.endswith("certificate"):  # General Purpose / Signature / Encryption Certificate
            return "identity"
    return None


def _pem_body(lines: list[str], start: int, end: int, label: str, begin: int) -> bytes:
    """Base64 (RFC 7468 section 3, strict alphabet) of ``lines[start:end]``, blank lines
    skipped; 'quit' or any other non-base64 line means the paste was cut, named by line."""
    import binascii

    parts = []
    for index in range(start, end):
        line = lines[index]
        if not line:
            continue
        if _is_quit(line) or _PLAIN_B64.fullmatch(line) is None:
            what = "'quit'" if _is_quit(line) else "a line that is not base64"
            raise MalformedError(
                f"line {index + 1}: {what} inside -----BEGIN {label}----- (line {begin + 1}) "
                f"before its END line"
            )
        parts.append(line)
    if not parts:
        raise MalformedError(f"line {begin + 1}: -----BEGIN {label}----- block is empty")
    try:
        return binascii.a2b_base64("".join(parts), strict_mode=True)
    except binascii.Error as err:
        raise MalformedError(f"lines {start + 1}-{end}: invalid base64 in the {label} block ({err})") from err


def parse_pem_transcript(text: str, password=None):
    """Read an IOS PEM transcript into a `PKCS12`: the output of ``crypto pki export <tp> pem
    terminal [{3des|des|aes} password <pw>]`` (FORMATS.md 3.1, 3.2) or ``crypto key export
    {rsa|ec} <label> pem terminal ...``, or a ``crypto pki import <tp> pem terminal password
    <pw>`` paste (3.3: CA certificate, encrypted key, identity certificate, each ended by
    ``quit`` or a blank line).

    Blocks are RFC 7468 PEM, found anywhere on a line (``base64 len N`` may be glued before
    BEGIN); the ``% CA certificate:`` / ``% Key name: X`` / ``% General Purpose Certificate:``
    labels and the import prompts say what each block is. The private key is traditional
    OpenSSL PEM (``RSA`` / ``EC PRIVATE KEY``) with ``Proc-Type: 4,ENCRYPTED`` and ``DEK-Info:
    <cipher>,<iv>`` for DES-EDE3-CBC, DES-CBC and AES-128/192/256-CBC, keyed by
    `evp_bytes_to_key` (the cipher is read from DEK-Info, never assumed from the command), or
    PKCS#8. The identity certificate is the one whose public key matches the private key, else
    the one labelled as the router's certificate; the key and it get the key name (else the
    trustpoint named by an echoed command) as friendlyName and a shared localKeyId.

    Raises BadPasswordError for a wrong or missing password, MalformedError (with the line) for
    a broken transcript or a key that matches neither its public key block nor any certificate,
    UnsupportedAlgorithmError for another DEK-Info cipher.
    """
    from . import chain as _chain
    from .model import PKCS12, CertEntry, KeyEntry

    if not isinstance(text, str):
        raise TypeError(f"parse_pem_transcript: expected str, not {type(text).__name__}")
    if password is not None and not isinstance(password, (str, bytes, bytearray)):
        raise TypeError(f"password must be str, bytes or None, not {type(password).__name__}")
    if text[:1] == "\ufeff":
        text = text[1:]
    lines = _armor.split_lines(text)
    context = None
    name = None
    certs: list[tuple[str | None, bytes, int]] = []  # (context, DER, line number)
    public_keys: list[tuple[bytes, int]] = []
    private: tuple[bytes, int] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        marker = _armor.pem_marker(line) if "-----" in line else None
        if marker is None or marker[0] != "BEGIN":
            if marker is not None:
                raise MalformedError(f"line {index + 1}: -----END {marker[1]}----- without a BEGIN line")
            if line.startswith("%"):
                context = _pem_context(line) or context
                match = _KEY_NAME.match(line)
                if match is not None:
                    name = match.group(1)
            elif name is None and (match := (_PEM_COMMAND.search(line) or _KEY_COMMAND.search(line))):
                name = match.group(1).strip('"')
            index += 1
            continue
        label = marker[1].strip().upper()
        end = _armor.find_pem_end(lines, index, marker[1])
        where = f"line {index + 1}: {label}"
        body_start = index + 1
        headers: dict[str, str] = {}
        while body_start < end and (header := _HEADER.fullmatch(lines[body_start])):
            headers[header.group(1).lower()] = header.group(2).strip()
            body_start += 1
        body = _pem_body(lines, body_start, end, label, index)
        if label in ("CERTIFICATE", "X509 CERTIFICATE"):
            certs.append((context if context in ("ca", "identity") else None, body, index + 1))
        elif label == "PUBLIC KEY":
            public_keys.append((body, index + 1))
        elif label in _TRADITIONAL_LABELS or label in ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"):
            if private is not None:
                raise MalformedError(
                    f"line {index + 1}: a second private key (the first is at line {private[1]}); "
                    "pass one trustpoint at a time"
                )
            private = (_pkcs8_from_pem_key(label, headers, body, password, where), index + 1)
        else:
            raise MalformedError(f"line {index + 1}: unexpected -----BEGIN {label}----- in a PEM transcript")
        context = None  # each label or prompt introduces one block
        index = end + 1
    if not certs and private is None:
        raise MalformedError("no PEM certificate or private key found in the transcript")

    key_entry = KeyEntry(private[0]) if private is not None else None
    cert_entries = [(ctx, CertEntry(der), number) for ctx, der, number in certs]
    for ctx, entry, number in cert_entries:
        try:
            entry.certificate
        except PKCS12Error as err:
            raise MalformedError(f"line {number}: CERTIFICATE block: not an X.509 certificate") from err
    identity = None
    if key_entry is not None:
        for der, number in public_keys:
            if der != _public_key_der(key_entry):
                raise MalformedError(
                    f"line {number}: the PUBLIC KEY block does not match the private key at line {private[1]}"
                )
        identity = next((e for _, e, _ in cert_entries if _chain.public_key_matches(key_entry, e)), None)
        if identity is None and cert_entries:
            raise MalformedError(
                f"line {private[1]}: the private key matches none of the certificates in the transcript"
            )
    if identity is None:
        identity = next((e for ctx, e, _ in cert_entries if ctx == "identity"), None)
    if identity is None and cert_entries:
        # Certificates only and no label (e.g. a trustpool paste): the one that issues no other.
        identity = _chain.identity_certificate(PKCS12(tuple(e for _, e, _ in cert_entries)))
    others = []
    for _, entry, _ in cert_entries:
        if entry.der != identity.der and all(entry.der != other for other in others):
            others.append(entry.der)
    return PKCS12.build(
        key=key_entry.der if key_entry is not None else None,
        certificate=identity.der if identity is not None else None,
        chain=others,
        friendly_name=name,
    )


def _public_key_der(key_entry) -> bytes:
    """SubjectPublicKeyInfo DER (RFC 5280 4.1.2.7) of a private key, via cryptography."""
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_der_private_key(key_entry.der, None, unsafe_skip_rsa_key_validation=True)
    return private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _traditional_key(key_entry, where: str) -> tuple[str, bytes]:
    """(PEM label, DER) of the traditional OpenSSL form: PKCS#1 RSAPrivateKey (RFC 8017 A.1.2)
    or SEC 1 ECPrivateKey with its curve (RFC 5915), the forms IOS writes (FORMATS.md 3.2)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    private = serialization.load_der_private_key(key_entry.der, None, unsafe_skip_rsa_key_validation=True)
    if isinstance(private, rsa.RSAPrivateKey):
        label = "RSA PRIVATE KEY"
    elif isinstance(private, ec.EllipticCurvePrivateKey):
        label = "EC PRIVATE KEY"
    else:
        raise EncodeError(
            f"{where}: a {key_entry.algorithm} key has no traditional PEM form; IOS takes RSA and EC keys"
        )
    der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return label, der


def _pem_lines(label: str, der: bytes, headers=()) -> list[str]:
    lines = [f"-----BEGIN {label}-----"]
    if headers:
        lines += [*headers, ""]  # RFC 1421: a blank line ends the headers
    return lines + _armor.base64_lines(der, 64) + [f"-----END {label}-----"]


def _pem_parts(p12, password, cipher: str, random, where: str):
    """The identity, issuer and encrypted key blocks shared by the PEM writers."""
    from .api import _random_source
    from .model import PKCS12

    if not isinstance(p12, PKCS12):
        raise TypeError(f"{where}: expected a PKCS12, not {type(p12).__name__}")
    if not isinstance(cipher, str) or cipher.lower() not in PEM_CIPHERS:
        raise EncodeError(f"{where}: cipher must be one of {', '.join(PEM_CIPHERS)}, not {cipher!r}")
    view = _trustpoint_view(p12)
    if view.certificate is None:
        raise EncodeError(f"{where}: the PKCS#12 holds no certificate")
    key_lines: list[str] = []
    key_label = None
    if password is not None:
        check_cli_password(password, "ios", pem=True)
        if view.key is None:
            raise EncodeError(f"{where}: a password was given but the PKCS#12 holds no private key")
        from . import chain as _chain

        if _chain.public_key_matches(view.key, view.certificate) is False:
            raise EncodeError(f"{where}: the private key does not match the identity certificate")
        key_label, plain = _traditional_key(view.key, where)
        dek, body = _encrypt_traditional(plain, PEM_CIPHERS[cipher.lower()], password, _random_source(random))
        key_lines = _pem_lines(key_label, body, ("Proc-Type: 4,ENCRYPTED", f"DEK-Info: {dek}"))
    return view, key_label, key_lines


def pem_transcript(p12, password, cipher: str = "3des", *, key_name: str | None = None, random=None) -> str:
    """What IOS prints for ``crypto pki export <tp> pem terminal <cipher> password <pw>``:
    ``% CA certificate:`` (``% Self-signed CA certificate:`` for a self-signed identity
    without a CA), the key section, then ``% General Purpose Certificate:`` (FORMATS.md 3.1).

    The key section follows ``crypto key export`` (3.2), which is the only verbatim capture of
    an IOS key export (that the pki export prints the same is inferred in FORMATS.md)::

        % Key name: <name>
           Usage: General Purpose Key          (Signature Key for EC, as captured)
           Key data:
        -----BEGIN PUBLIC KEY-----  ...  -----END PUBLIC KEY-----
        -----BEGIN RSA PRIVATE KEY-----
        Proc-Type: 4,ENCRYPTED
        DEK-Info: DES-EDE3-CBC,<16 upper-case hex digits>

        <64-column base64>
        -----END RSA PRIVATE KEY-----

    ``cipher``: ``"3des"`` (DES-EDE3-CBC), ``"des"`` (DES-CBC) or ``"aes"`` (AES-256-CBC, as
    Cisco's capture shows), keyed by `evp_bytes_to_key`. ``password`` None writes the keyless
    export (3.1); otherwise it must pass `check_cli_password` with the 8-character PEM minimum.
    ``key_name`` defaults to the key's friendlyName, else ``"TP"``. Only the issuing CA is
    written: the trustpoint holds no other. `parse_pem_transcript` reads the result back, and
    ``openssl pkey -passin pass:<pw>`` opens the key.
    """
    view, key_label, key_lines = _pem_parts(p12, password, cipher, random, "pem_transcript")
    out: list[str] = []
    if view.issuer is not None:
        out += ["% CA certificate:", *_pem_lines("CERTIFICATE", view.issuer.der), ""]
    elif _self_signed(view.certificate):
        out += ["% Self-signed CA certificate:", *_pem_lines("CERTIFICATE", view.certificate.der), ""]
    if key_lines:
        if key_name is None:
            key_name = view.key.friendly_name or view.certificate.friendly_name or "TP"
        check_trustpoint_name(key_name)
        usage = "General Purpose Key" if key_label == "RSA PRIVATE KEY" else "Signature Key"
        out += [f"% Key name: {key_name}", f"   Usage: {usage}", "   Key data:"]
        out += _pem_lines("PUBLIC KEY", _public_key_der(view.key)) + key_lines + [""]
    out += ["% General Purpose Certificate:", *_pem_lines("CERTIFICATE", view.certificate.der), ""]
    return "\n".join(out)


def pem_import_session(p12, password: str, trustpoint: str, cipher: str = "3des", *, random=None) -> str:
    """The paste for ``crypto pki import <tp> pem terminal password <pw>`` (FORMATS.md 3.3):
    the command, the CA certificate, ``quit``, the encrypted key, ``quit``, the identity
    certificate, ``quit`` — the three stages in the device's order, each ended by ``quit``
    (the key stage accepts nothing else, its PEM holding a blank line).

    A self-signed identity is its own CA. ``cipher`` as in `pem_transcript`; DES-EDE3-CBC is
    the safe choice (some images cannot decode AES-256-CBC keys, 3.3).
    """
    check_trustpoint_name(trustpoint)
    if password is None:
        raise EncodeError("pem_import_session: a password is needed to encrypt the key")
    view, _, key_lines = _pem_parts(p12, password, cipher, random, "pem_import_session")
    ca = view.issuer if view.issuer is not None else (view.certificate if _self_signed(view.certificate) else None)
    if ca is None:
        raise EncodeError(
            "pem_import_session: the issuer of the identity certificate is not in the PKCS#12; "
            "the first stage of the import needs the CA certificate"
        )
    out = [f"crypto pki import {trustpoint} pem terminal password {password}"]
    out += _pem_lines("CERTIFICATE", ca.der) + ["quit"]
    out += key_lines + ["quit"]
    out += _pem_lines("CERTIFICATE", view.certificate.der) + ["quit"]
    return "\n".join(out) + "\n"


# --- hostname check ----------------------------------------------------------------------------


def _certificate_of(value):
    """An asn1crypto Certificate from a CertEntry, asn1crypto/cryptography certificate, or
    PEM/DER; a PKCS12 gives its identity certificate."""
    from asn1crypto import x509

    from .inputs import certificate_der
    from .model import PKCS12, CertEntry

    if isinstance(value, PKCS12):
        value = value.certificate
        if value is None:
            return None
    if isinstance(value, CertEntry):
        return value.certificate
    if isinstance(value, x509.Certificate):
        return value
    der = certificate_der(value)
    try:
        parsed = x509.Certificate.load(der)
        parsed.native
    except (ValueError, TypeError) as err:
        raise MalformedError(f"certificate: cannot parse: {err}") from err
    return parsed


def _reference(hostname: str):
    """(kind, value): ("ip", ip_address) or ("dns", lower-case A-label name without the root
    dot), or ("invalid", reason). Internationalized names become A-labels (RFC 5890)."""
    import ipaddress

    text = hostname.strip()
    candidate = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        return "ip", ipaddress.ip_address(candidate)
    except ValueError:
        pass
    if text.endswith("."):
        text = text[:-1]
    if not text:
        return "invalid", "the hostname is empty"
    if not text.isascii():
        try:
            text = text.encode("idna").decode("ascii")
        except UnicodeError:
            return "invalid", "the hostname is not a valid internationalized domain name"
    text = text.lower()
    if any(not label for label in text.split(".")):
        return "invalid", "the hostname has an empty label"
    if re.fullmatch(r"[a-z0-9_.-]+", text) is None:
        return "invalid", "the hostname holds characters a DNS name cannot (only letters, digits, '-', '.')"
    return "dns", text


def _match_dns_id(pattern: str, host: str) -> tuple[bool, str | None]:
    """Match a presented DNS identifier against the reference ``host`` (RFC 6125 section 6.4,
    with RFC 9525 section 6.3's stricter wildcard rule). Returns (matched, why not)."""
    pattern = pattern.lower()
    if pattern.endswith("."):
        pattern = pattern[:-1]
    if "*" not in pattern:
        return pattern == host, None
    labels = pattern.split(".")
    if any("*" in label for label in labels[1:]):
        return False, f"'{pattern}': a wildcard is allowed only in the left-most label"
    if labels[0] != "*":
        return False, (
            f"'{pattern}': a partial wildcard (a '*' with other characters in the label) is not "
            "accepted (RFC 9525 section 6.3)"
        )
    if len(labels) < 3:
        return False, f"'{pattern}': a wildcard over a top-level domain matches nothing"
    host_labels = host.split(".")
    suffix = labels[1:]
    if host_labels == suffix:
        return False, f"'{pattern}' stands for one more label, not '{host}' itself"
    if host_labels[-len(suffix):] != suffix:
        return False, None
    if len(host_labels) != len(labels):
        return False, f"'{pattern}' covers exactly one label, not '{host}'"
    return True, None


def _san(certificate) -> tuple[list[str], list]:
    """(dNSName values, iPAddress values as ipaddress objects) of subjectAltName (RFC 5280
    4.2.1.6); an iPAddress is 4 or 16 octets."""
    import ipaddress

    names, addresses = [], []
    value = certificate.subject_alt_name_value
    for general in value or ():
        if general.name == "dns_name":
            # The raw IA5String: asn1crypto's .native turns A-labels into Unicode, and names
            # are compared as A-labels (RFC 6125 section 6.4.2).
            names.append(general.chosen.contents.decode("ascii", "replace"))
        elif general.name == "ip_address":
            octets = general.chosen.contents
            if len(octets) in (4, 16):
                addresses.append(ipaddress.ip_address(octets))
    return names, addresses


def _hostname_verdict(certificate, hostname: str) -> tuple[bool, list[str]]:
    """(matches, notes) for `hostname_matches` and `check_hostname`."""
    if not isinstance(hostname, str):
        raise TypeError(f"hostname must be str, not {type(hostname).__name__}")
    kind, reference = _reference(hostname)
    if kind == "invalid":
        return False, [reference]
    dns_names, addresses = _san(certificate)
    if kind == "ip":
        if reference in addresses:
            return True, []
        listed = ", ".join(str(a) for a in addresses) or "none"
        return False, [
            f"no SAN iPAddress equals {reference} (SAN iPAddress entries: {listed}); an IP address "
            "is never matched against a DNS name or the subject CN (RFC 6125 section 1.7.2): "
            "add it as an iPAddress SAN"
        ]
    if dns_names:
        notes = []
        for pattern in dns_names:
            matched, why = _match_dns_id(pattern, reference)
            if matched:
                return True, []
            if why:
                notes.append(why)
        return False, [
            f"no SAN dNSName matches '{reference}' (SAN dNSNames: {', '.join(dns_names)})", *notes
        ]
    common = [value for name, value in _rdn_lines(certificate.subject) if name == "cn"]
    for value in common:
        pattern = value
        if not pattern.isascii():  # a Unicode CN (UTF8String) compares as A-labels too
            try:
                pattern = pattern.encode("idna").decode("ascii")
            except UnicodeError:
                continue
        matched, why = _match_dns_id(pattern, reference)
        if matched:
            return True, [
                f"'{reference}' matches only the subject CN '{value}', used because the "
                "certificate has no SAN dNSName (RFC 6125 section 6.4.4); clients following "
                "RFC 9525 and public CAs ignore the CN: add a dNSName SAN"
            ]
    listed = ", ".join(f"'{v}'" for v in common) or "none"
    return False, [
        f"the certificate has no SAN dNSName and no subject CN matches '{reference}' (CN: {listed})"
    ]


def hostname_matches(cert_or_entry, hostname: str) -> bool:
    """Does the certificate (CertEntry, asn1crypto or cryptography certificate, PEM/DER, or a
    PKCS12's identity certificate) carry ``hostname``? RFC 6125 section 6.4 as RFC 9525 section
    6.3 tightens it:

    - an IP address (IPv4 or IPv6, brackets allowed) matches only an equal SAN iPAddress;
    - a DNS name matches SAN dNSNames case-insensitively, a trailing dot ignored, IDNs as
      A-labels; a wildcard only as the whole left-most label (``*.example.com``), standing for
      exactly one non-empty label, never over a top-level domain, never partial (``f*o``);
    - the subject CN is used only when the certificate has no SAN dNSName at all.
    """
    certificate = _certificate_of(cert_or_entry)
    if certificate is None:
        return False
    return _hostname_verdict(certificate, hostname)[0]


def check_hostname(p12, hostname: str) -> list[str]:
    """Why clients connecting to ``hostname`` would not accept ``p12``'s identity certificate
    (or a certificate given directly): an empty list when the name is in a SAN, else one
    explanation per problem (rules in `hostname_matches`). A name that matches only through
    the CN fallback yields a note too, since strict clients refuse it (FORMATS.md 7: public
    CAs need a dNSName SAN; IKEv2 peers an iPAddress SAN)."""
    certificate = _certificate_of(p12)
    if certificate is None:
        return ["the PKCS#12 holds no certificate"]
    return _hostname_verdict(certificate, hostname)[1]
