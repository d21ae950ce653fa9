"""A small BER/DER tag-length-value reader and DER writer for the PKCS#12 container layers.

Exports: Tlv, read, read_all, children, octets, oid_dotted, header, encode, encode_length, nest.

Why not asn1crypto here: walking SafeContents with one asn1crypto object per bag costs ~30 µs a
bag, which dominates files with thousands of certificates. The container layers (PFX,
ContentInfo, EncryptedData, SafeContents, SafeBag, CertBag) are a handful of fixed shapes, so
they are walked at the TLV level over one ``bytes`` object, and only leaves (certificates, keys,
algorithm identifiers) are handed to asn1crypto, lazily.

Reading accepts BER as X.690 section 8 allows and real producers write it (Windows, Java,
BouncyCastle): indefinite lengths (8.1.3.6) and constructed OCTET STRINGs split into chunks
(8.7.3.2). Every length is checked against its enclosing value, and nesting is bounded, so no
input can make the reader read out of bounds, loop or recurse without limit.
"""

from __future__ import annotations

import functools
from typing import Iterator, NamedTuple, Sequence, Union

from .errors import EncodeError, MalformedError

__all__ = ["Tlv", "Buffer", "read", "read_all", "children", "octets", "octets_view", "oid_dotted", "header", "encode", "encode_length", "nest"]

# What the readers take: bytes, or a memoryview into bytes (see `octets_view`).
Buffer = Union[bytes, memoryview]

# Identifier octets (X.690 8.1.2) of the universal and context tags PKCS#12 uses.
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
SEQUENCE = 0x30
SET = 0x31
BMP_STRING = 0x1E
UTF8_STRING = 0x0C
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18
CONTEXT_0 = 0xA0  # [0] constructed (EXPLICIT)
CONTEXT_0_PRIMITIVE = 0x80  # [0] IMPLICIT OCTET STRING, primitive form

CONSTRUCTED = 0x20

# BER nesting deeper than this is refused; PKCS#12 needs about ten levels plus nested safes.
MAX_NESTING = 64


class Tlv(NamedTuple):
    """One decoded value: identifier octet, content bounds in the buffer, and the next offset.

    ``tag`` is the first identifier octet (class, constructed bit and low tag number). High tag
    numbers (X.690 8.1.2.4) never occur in the PKCS#12 layers; they are skipped correctly and
    reported with ``tag`` holding the first octet only.
    ``offset`` is where the identifier octet is; ``end`` is where the contents stop (before the end-of-contents octets of an indefinite
    length); ``next`` is the offset just past this value.
    """

    tag: int
    offset: int
    start: int
    end: int
    next: int

    @property
    def element(self) -> slice:
        """Slice of the whole encoding (identifier, length, contents, end-of-contents)."""
        return slice(self.offset, self.next)


def read(data: Buffer, pos: int, limit: int, where: str, depth: int = 0) -> Tlv:
    """Read the value starting at ``pos`` that must end by ``limit``; raise MalformedError if not."""
    if pos >= limit:
        raise MalformedError(f"{where}: truncated (expected a value at offset {pos})")
    offset = pos
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:  # high tag number form: skip the continuation octets
        while True:
            if pos >= limit:
                raise MalformedError(f"{where}: truncated tag at offset {pos}")
            octet = data[pos]
            pos += 1
            if not octet & 0x80:
                break
    if pos >= limit:
        raise MalformedError(f"{where}: truncated length at offset {pos}")
    first = data[pos]
    pos += 1
    if first < 0x80:
        end = pos + first
    elif first == 0x80:
        # Indefinite length (BER only, constructed only): contents run to the matching 00 00.
        if not tag & CONSTRUCTED:
            raise MalformedError(f"{where}: indefinite length on a primitive value at offset {pos - 2}")
        if depth >= MAX_NESTING:
            raise MalformedError(f"{where}: BER nesting deeper than {MAX_NESTING} levels")
        return _indefinite(data, tag, offset, pos, limit, where, depth)
    else:
        count = first & 0x7F
        if count == 0x7F or pos + count > limit:
            raise MalformedError(f"{where}: truncated or invalid length at offset {pos - 1}")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
        end = pos + length
    if end > limit:
        raise MalformedError(
            f"{where}: value at offset {pos} claims {end - pos} bytes but only {limit - pos} remain"
        )
    return Tlv(tag, offset, pos, end, end)


class _EndMemo:
    """Where each indefinite-length value of the last BER buffer ends, and how deep it nests.

    Finding the end of an indefinite-length value means reading everything inside it. Callers
    then read the same values again (`children`, `octets` level by level), so without a memo
    N chunks inside L nested indefinite levels cost L·N reads (issue 15 row 1); with it each
    value is scanned once. Only immutable buffers are memoised (``bytes``, and the read-only
    memoryviews `octets_view` makes of them), keyed by the buffer object: one buffer at a time
    (the one being decoded), replaced when another BER buffer comes.
    """

    __slots__ = ("data", "ends")

    def __init__(self, data: Buffer) -> None:
        self.data = data
        self.ends: dict[int, tuple[int, int, int]] = {}  # offset -> (end, next, height)


_memo = _EndMemo(b"")


def _indefinite(data: Buffer, tag: int, offset: int, pos: int, limit: int, where: str, depth: int) -> Tlv:
    """The value at ``offset`` whose contents start at ``pos`` and run to the matching 00 00."""
    global _memo
    memo = _memo
    if memo.data is not data:
        if type(data) is bytes or (type(data) is memoryview and data.readonly):
            memo = _memo = _EndMemo(data)
        else:  # a mutable buffer may change between calls: no memo
            memo = _EndMemo(b"")
    known = memo.ends.get(offset)
    if known is None:
        cursor = pos
        height = 1
        while True:
            if cursor + 2 > limit:
                raise MalformedError(f"{where}: indefinite-length value has no end-of-contents marker")
            if data[cursor] == 0 and data[cursor + 1] == 0:
                break
            child = read(data, cursor, limit, where, depth + 1)
            if child.end != child.next:  # an indefinite child: its height is memoised
                height = max(height, 1 + memo.ends.get(cursor, (0, 0, 0))[2])
            cursor = child.next
        known = (cursor, cursor + 2, height)
        if memo.data is data:
            memo.ends[offset] = known
    end, after, height = known
    if after > limit:
        raise MalformedError(f"{where}: indefinite-length value has no end-of-contents marker")
    if depth + height > MAX_NESTING:
        raise MalformedError(f"{where}: BER nesting deeper than {MAX_NESTING} levels")
    return Tlv(tag, offset, pos, end, after)


def read_all(data: Buffer, where: str) -> Tlv:
    """Read one value that must span all of ``data`` (trailing garbage is refused)."""
    tlv = read(data, 0, len(data), where)
    if tlv.next != len(data):
        raise MalformedError(f"{where}: {len(data) - tlv.next} unexpected bytes after the value")
    return tlv


def children(data: Buffer, parent: Tlv, where: str, depth: int = 0) -> Iterator[Tlv]:
    """Yield the values inside a constructed value, in order."""
    pos, end = parent.start, parent.end
    while pos < end:
        child = read(data, pos, end, where, depth)
        yield child
        pos = child.next


def expect(tlv: Tlv, tag: int, where: str, what: str) -> Tlv:
    """Return ``tlv`` if its identifier octet is ``tag``, else raise naming ``what`` was expected."""
    if tlv.tag != tag:
        raise MalformedError(f"{where}: expected {what} (tag 0x{tag:02x}), found tag 0x{tlv.tag:02x}")
    return tlv


def octets(data: Buffer, tlv: Tlv, where: str, depth: int = 0) -> bytes:
    """Contents of an OCTET STRING (or an IMPLICIT one), joining BER constructed chunks."""
    if not tlv.tag & CONSTRUCTED:
        return bytes(data[tlv.start:tlv.end])  # no copy when ``data`` is bytes
    if depth >= MAX_NESTING:
        raise MalformedError(f"{where}: constructed OCTET STRING nested deeper than {MAX_NESTING}")
    parts = []
    for chunk in children(data, tlv, where, depth + 1):
        if chunk.tag & ~CONSTRUCTED != OCTET_STRING:
            raise MalformedError(f"{where}: constructed OCTET STRING holds a non-OCTET STRING chunk")
        parts.append(octets(data, chunk, where, depth + 1))
    return b"".join(parts)


def octets_view(data: Buffer, tlv: Tlv, where: str) -> Buffer:
    """`octets` without copying a primitive OCTET STRING: a memoryview into ``data``. For the
    two values as large as the file (the AuthenticatedSafe and an encryptedContent), where a
    copy each made ``loads`` peak at four times the file size (docs/performance.md#memory)."""
    if not tlv.tag & CONSTRUCTED:
        return memoryview(data)[tlv.start:tlv.end]
    return octets(data, tlv, where)


# An arc longer than this many octets (base-128 digits) cannot be a real OID component; it also
# keeps int -> str within Python's default 4,300-digit conversion limit.
MAX_OID_ARC_OCTETS = 64


def oid_dotted(contents: bytes, where: str = "OBJECT IDENTIFIER") -> str:
    """Dotted form of an OBJECT IDENTIFIER's contents octets (X.690 8.19).

    Raises MalformedError for contents that are not an OID (empty, an unterminated last arc, an
    absurdly long arc), so a decoded value always re-encodes.
    """
    arcs = []
    value = 0
    octets = 0
    for octet in contents:
        value = (value << 7) | (octet & 0x7F)
        octets += 1
        if octets > MAX_OID_ARC_OCTETS:
            raise MalformedError(f"{where}: malformed OBJECT IDENTIFIER (an arc of over {MAX_OID_ARC_OCTETS} octets)")
        if not octet & 0x80:
            arcs.append(value)
            value = 0
            octets = 0
    if not arcs or contents[-1] & 0x80:
        raise MalformedError(f"{where}: malformed OBJECT IDENTIFIER ({contents[:16].hex() or 'empty'})")
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(arc) for arc in head + arcs[1:])


def oid_contents(dotted: str) -> bytes:
    """Contents octets of a dotted OBJECT IDENTIFIER (the inverse of `oid_dotted`)."""
    try:
        arcs = [int(arc) for arc in dotted.split(".")]
    except ValueError:
        arcs = []
    if len(arcs) < 2 or min(arcs) < 0 or arcs[0] > 2 or (arcs[0] < 2 and arcs[1] > 39):
        raise EncodeError(f"not a dotted OBJECT IDENTIFIER: {dotted[:40]!r}")
    values = [arcs[0] * 40 + arcs[1]] + arcs[2:]
    out = bytearray()
    for value in values:
        chunk = [value & 0x7F]
        value >>= 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


def header(tag: int, length: int) -> bytes:
    """Identifier and DER length octets (X.690 10.1: definite form, minimal) of one value."""
    if length < 0x80:
        return bytes((tag, length))
    if length < 0x100:
        return bytes((tag, 0x81, length))
    if length < 0x10000:
        return bytes((tag, 0x82, length >> 8, length & 0xFF))
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(body))) + body


def encode_length(length: int) -> bytes:
    """DER length octets (X.690 10.1: definite form, minimal)."""
    return header(0, length)[1:]


def encode(tag: int, contents: bytes) -> bytes:
    """DER encoding of one value with identifier octet ``tag`` and the given contents."""
    return header(tag, len(contents)) + contents


def nest(layers: Sequence[tuple[int, bytes, bytes]], payload: bytes) -> bytes:
    """DER of values nested around ``payload`` in one copy.

    ``layers`` run outermost first; each is ``(tag, prefix, suffix)``: the value's contents are
    ``prefix + <the next layer, or payload> + suffix``. Large payloads (a SafeContents of
    thousands of certificates) are wrapped in five or six layers on the way to the PFX; building
    each layer with `encode` would copy them that many times.
    """
    heads: list[bytes] = []
    tails: list[bytes] = []
    total = len(payload)  # the full encoding of everything inside the current layer
    for tag, prefix, suffix in reversed(layers):
        contents = len(prefix) + total + len(suffix)
        head = header(tag, contents)
        heads.append(head + prefix)
        tails.append(suffix)
        total = len(head) + contents
    heads.reverse()
    return b"".join([*heads, payload, *tails])


@functools.lru_cache(maxsize=256)
def encode_oid(dotted: str) -> bytes:
    """DER OBJECT IDENTIFIER (cached: the encoder writes the same few OIDs for every bag)."""
    return encode(OID, oid_contents(dotted))
