"""Terminal-safe text: the one escaping function for everything printed that came from a file.

Exports: printable, printable_lines.

A certificate's subject, an attribute or a friendly name is attacker text. Printed raw it can
put standalone lines on an engineer's terminal (``\\nconfigure terminal\\n...`` in a CN, which
reads like device configuration), or drive the terminal itself: ESC sequences (ECMA-48), OSC 52
(writes the clipboard), C1 controls (CSI as the single octet U+009B), bidirectional overrides
that reorder what is shown (CVE-2021-42574, "Trojan Source"), and the Unicode line and
paragraph separators U+2028/U+2029 (issue 15 row 7). `printable` writes each of them as a visible
escape: ``\\n``, ``\\t``, ``\\r``, ``\\xNN`` for other C0/DEL/C1, ``\\uNNNN`` for the others.
"""

from __future__ import annotations

import re

__all__ = ["printable", "printable_lines"]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# Unicode format characters that move or hide text: line/paragraph separators, bidi embeddings,
# overrides and isolates, and the BOM/zero-width no-break space.
_FORMAT = frozenset(
    "\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff"
)


def _escape(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x20 or 0x7F <= code <= 0x9F:  # C0, DEL, C1
        return f"\\x{code:02x}"
    if char in _FORMAT:
        return f"\\u{code:04x}"
    return char


# Every character `_escape` changes: C0, DEL and C1 controls, and the format characters above.
# One regular expression scan (in C) per field: `info` escapes 100,000 fields on a large file.
_BEYOND_C0 = "\x7f-\x9f" + "".join(sorted(_FORMAT))  # DEL, C1 and the format characters, as a class
_UNSAFE = re.compile("[\x00-\x1f" + _BEYOND_C0 + "]")
# The same characters but the newline: one scan of a whole composed text tells whether any of its
# lines needs escaping (4.5 MB for `info` on 10,000 certificates; line by line took 30 ms). An
# ASCII text is checked faster still by deleting its safe octets and seeing whether any remain.
_UNSAFE_IN_LINES = re.compile("[\x00-\x09\x0b-\x1f" + _BEYOND_C0 + "]")
_SAFE_ASCII = b"\n" + bytes(range(0x20, 0x7F))


def printable(text: object) -> str:
    """``text`` (any object, as ``str()``) with every control character escaped, newlines too:
    one field, one line."""
    value = str(text)
    if _UNSAFE.search(value) is None:
        return value
    return _UNSAFE.sub(lambda match: _escape(match.group()), value)


def printable_lines(text: str) -> str:
    """Like `printable` for each line of a multi-line text the program composed, keeping its
    ``\\n`` line breaks: a last defence at the output for fields not escaped where they were read."""
    if text.isascii():
        if not text.encode("ascii").translate(None, _SAFE_ASCII):
            return text
    elif _UNSAFE_IN_LINES.search(text) is None:
        return text
    return "\n".join(printable(line) for line in text.split("\n"))
