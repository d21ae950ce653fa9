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

from . import transcripts
from .errors import EncodeError, LimitExceededError, MalformedError
from .limits import DEFAULT_LIMITS, Limits
from .pem import (
    PEM_LABELS,
    base64_lines,
    decode_base64_lines,
    find_pem_end,
    is_pkcs12_label,
    pem_marker,
    split_lines,
)

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

# Forms `unarmor` can report besides the Cisco variants.
FORMS = ("der", "base64", "pem")

_NO_DATA = (
    "no PKCS#12 data found (expected DER, base64, -----BEGIN PKCS12----- armor or a Cisco "
    "terminal transcript)"
)

_UTF8_BOM = b"\xef\xbb\xbf"

# RFC 7468 labels of what people keep beside a PKCS#12 and hand us by mistake: key and
# certificate PEM files, which `PKCS12.build` turns into one.
_BUNDLE_LABELS = frozenset({
    "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", "X509 CRL", "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PUBLIC KEY",
    "CERTIFICATE REQUEST", "PKCS7",
})


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
    if transcripts.looks_like_transcript(text):
        transcript = transcripts.parse_transcript(text)
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
        if other[1].upper() in _BUNDLE_LABELS:
            raise MalformedError(
                f"line {other[0] + 1}: this is a PEM bundle (-----BEGIN {other[1]}-----), not PKCS#12; "
                "to make a PKCS#12 from PEM keys and certificates use pkcs12kit.PKCS12.build(key=..., "
                "certificate=..., chain=[...]) and pkcs12kit.dumps, or `pkcs12kit create`"
            )
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
