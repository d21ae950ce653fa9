"""Structural errors in pasted text, said in the engineer's terms: which base64 lines were read,
how many bytes are missing, on which line a bad value sits.

Exports: explain.

When the input was text (a transcript, armor, bare base64), an error from the DER reader names
a byte offset ("value at offset 4 claims 3185 bytes but only 3041 remain"). `explain` maps it
back to the text: the outer PFX SEQUENCE (RFC 7292 section 4) says how long the data should be,
so a paste cut short is reported as "the data ends early: 144 of 3,185 bytes are missing — was
the paste cut short? (base64 lines 3–49 read)"; another offset is given its base64 line.
"""

from __future__ import annotations

import re

from ..errors import MalformedError, PKCS12Error

__all__ = ["explain"]

_BASE64_LINE = re.compile(r"[A-Za-z0-9+/]+={0,2}")
# Words a device session puts next to the base64 that happen to be base64 characters too.
_WORDS = {"quit", "end", "exit", "yes", "no"}


def _base64_lines(text: str) -> list[tuple[int, int]]:
    """(line number, decoded bytes) of the longest run of base64-only lines (1-based numbers)."""
    best: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped and stripped.lower() not in _WORDS and _BASE64_LINE.fullmatch(stripped):
            run.append((number, len(stripped) * 3 // 4 - (len(stripped) - len(stripped.rstrip("=")))))
            continue
        if len(run) > len(best):
            best = run
        run = []
    return run if len(run) > len(best) else best


def _outer_length(der: bytes) -> tuple[int, int] | None:
    """(header length, claimed content length) of the outer SEQUENCE, None if unreadable."""
    if len(der) < 2 or der[0] != 0x30:
        return None
    first = der[1]
    if first < 0x80:
        return 2, first
    count = first & 0x7F
    if count == 0 or count > 4 or len(der) < 2 + count:
        return None
    return 2 + count, int.from_bytes(der[2:2 + count], "big")


def explain(err: PKCS12Error, text: str | None, der: bytes | None) -> PKCS12Error:
    """``err`` said in terms of the text it came from (a new MalformedError), or ``err`` itself
    when the input was not text or nothing better can be said."""
    if text is None or der is None or not isinstance(err, MalformedError):
        return err
    lines = _base64_lines(text)
    where = f"base64 lines {lines[0][0]}–{lines[-1][0]} read" if lines else "no base64 line found"
    outer = _outer_length(der)
    if outer is not None:
        header, claimed = outer
        present = len(der) - header
        if present < claimed:
            missing = claimed - present
            better = MalformedError(
                f"the data ends early: {missing:,} of {claimed:,} bytes are missing — was the paste cut "
                f"short? ({where}; the last line read is line {lines[-1][0] if lines else '?'})"
            )
            better.__cause__ = err
            return better
    match = re.search(r"offset (\d+)", str(err))
    if match and lines:
        offset, total = int(match.group(1)), 0
        for number, size in lines:
            total += size
            if offset < total:
                better = MalformedError(f"{err} (base64 line {number}; {where})")
                better.__cause__ = err
                return better
    return err
