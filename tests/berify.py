"""An independent DER → BER re-encoder for tests (X.690 section 8), PKCS#12-aware.

Exports: Style, reencode, pfx, pfx_with_mac, mac_of, pkcs12_kdf, bmp_password.

BER allows what DER forbids, and real producers use it: Java and Windows write indefinite lengths
(X.690 8.1.3.6) and OCTET STRINGs split into constructed chunks (8.7.3.2); some encoders use
long-form lengths where the short form would do (8.1.3.5 note 2). ``Style`` picks which of these
to apply. ``reencode`` rewrites any DER value without looking inside OCTET STRINGs;
``pfx`` walks a PFX (RFC 7292 section 4) and also rewrites the DER carried inside OCTET
STRINGs (AuthenticatedSafe, SafeContents) when asked, leaving every byte a decoder must return
unchanged: certificates and CRLs stay DER (chunking keeps their concatenated octets), and a
plain keyBag's PrivateKeyInfo is copied verbatim.

Single-byte tags only (all PKCS#12 structures use them). Nothing here imports pkcs12kit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import random

OCTET_STRING = 0x04
SEQUENCE = 0x30
CONTEXT_0_PRIMITIVE = 0x80
CONTEXT_0_CONSTRUCTED = 0xA0
CONSTRUCTED = 0x20

OID_DATA = bytes.fromhex("2a864886f70d010701")  # 1.2.840.113549.1.7.1
OID_ENCRYPTED_DATA = bytes.fromhex("2a864886f70d010706")  # 1.2.840.113549.1.7.6
OID_KEY_BAG = bytes.fromhex("2a864886f70d010c0a0101")  # 1.2.840.113549.1.12.10.1.1
OID_SAFE_CONTENTS_BAG = bytes.fromhex("2a864886f70d010c0a0106")  # ...12.10.1.6


@dataclasses.dataclass(frozen=True)
class Style:
    """Which BER liberties to take.

    - ``indefinite``: constructed values get length 0x80 and end with 00 00.
    - ``chunk``: primitive OCTET STRINGs longer than ``chunk_over`` (default: ``chunk``) become
      constructed OCTET STRINGs of chunks of this size (``chunk_seed`` set: random sizes
      1..chunk, reproducible).
    - ``long_lengths``: definite lengths use one byte more than needed (0x81 0x05 for 5).
    - ``chunk_encrypted_content``: the [0] IMPLICIT encryptedContent of EncryptedContentInfo is
      chunked too (a constructed [0] holding OCTET STRINGs, as Java writes it).
    """

    indefinite: bool = False
    chunk: int | None = None
    chunk_seed: int | None = None
    chunk_over: int | None = None
    long_lengths: bool = False
    chunk_encrypted_content: bool = True


# --- reading DER ---------------------------------------------------------------------------

def _read(data: bytes, pos: int) -> tuple[int, int, int]:
    """Return (tag, contents start, contents end) of the DER TLV at ``pos``."""
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-byte tags are not used in PKCS#12")
    first = data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    elif first == 0x80:
        raise ValueError("input must be DER (definite lengths)")
    else:
        count = first & 0x7F
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def children(data: bytes) -> list[tuple[int, bytes, bytes]]:
    """Split concatenated DER TLVs into (tag, contents, whole TLV)."""
    out = []
    pos = 0
    while pos < len(data):
        tag, start, end = _read(data, pos)
        out.append((tag, data[start:end], data[pos:end]))
        pos = end
    return out


def one(der: bytes) -> tuple[int, bytes]:
    (tag, contents, whole), = children(der)
    return tag, contents


# --- writing BER ---------------------------------------------------------------------------

def _length(length: int, style: Style) -> bytes:
    # Zero stays short even in long_lengths: OpenSSL 3.0's ASN1_get_object rejects "81 00" at
    # the end of its input (an off-by-one in asn1_get_length), and the tests use openssl to
    # prove this output is valid BER.
    if length == 0 or (length < 0x80 and not style.long_lengths):
        return bytes([length])
    size = max(1, (length.bit_length() + 7) // 8)
    if style.long_lengths and length >= 0x80:
        size += 1  # a leading zero byte: valid BER, not DER
    return bytes([0x80 | size]) + length.to_bytes(size, "big")


def primitive(tag: int, contents: bytes, style: Style) -> bytes:
    return bytes([tag]) + _length(len(contents), style) + contents


def constructed(tag: int, parts: list[bytes], style: Style) -> bytes:
    body = b"".join(parts)
    if style.indefinite:
        return bytes([tag, 0x80]) + body + b"\x00\x00"
    return bytes([tag]) + _length(len(body), style) + body


def _chunks(contents: bytes, style: Style) -> list[bytes]:
    sizes = random.Random(style.chunk_seed) if style.chunk_seed is not None else None
    out, pos = [], 0
    while pos < len(contents):
        size = sizes.randint(1, style.chunk) if sizes else style.chunk
        out.append(contents[pos:pos + size])
        pos += size
    return out


def octets(contents: bytes, style: Style, tag: int = OCTET_STRING) -> bytes:
    """An OCTET STRING (or an IMPLICIT-tagged one: ``tag``), chunked when the style says so."""
    threshold = style.chunk if style.chunk_over is None else style.chunk_over
    if style.chunk is not None and len(contents) > threshold:
        parts = [primitive(OCTET_STRING, c, style) for c in _chunks(contents, style)]
        return constructed(tag | CONSTRUCTED, parts, style)
    return primitive(tag, contents, style)


def reencode(der: bytes, style: Style) -> bytes:
    """Rewrite every TLV of ``der`` in ``style``; OCTET STRING contents are kept (maybe chunked)."""
    out = []
    for tag, contents, _ in children(der):
        if tag & CONSTRUCTED:
            out.append(constructed(tag, [reencode(contents, style)], style))
        elif tag == OCTET_STRING:
            out.append(octets(contents, style))
        else:
            out.append(primitive(tag, contents, style))
    return b"".join(out)


# --- PKCS#12 structure (RFC 7292 section 4) ------------------------------------------------

def _content_info(der: bytes, style: Style, inner: bool) -> bytes:
    """ContentInfo of type data (OCTET STRING of SafeContents) or encryptedData."""
    tag, body = one(der)
    (oid_tag, oid, oid_tlv), (ctx_tag, ctx, _) = children(body)
    if oid == OID_DATA:
        _, safe_der = one(ctx)
        payload = _safe_contents(safe_der, style) if inner else safe_der
        content = octets(payload, style)
    elif oid == OID_ENCRYPTED_DATA:
        content = _encrypted_data(ctx, style)
    else:
        content = reencode(ctx, style)
    return constructed(SEQUENCE, [primitive(oid_tag, oid, style), constructed(ctx_tag, [content], style)], style)


def _encrypted_data(der: bytes, style: Style) -> bytes:
    """EncryptedData {version, EncryptedContentInfo {type, algorithm, [0] IMPLICIT octets}}."""
    _, body = one(der)
    version, eci = children(body)
    type_tlv, alg_tlv, *rest = children(eci[1])
    parts = [reencode(type_tlv[2], style), reencode(alg_tlv[2], style)]
    for tag, contents, whole in rest:
        if tag == CONTEXT_0_PRIMITIVE and style.chunk_encrypted_content:
            parts.append(octets(contents, style, tag=CONTEXT_0_PRIMITIVE))
        else:
            parts.append(reencode(whole, style))
    return constructed(SEQUENCE, [reencode(version[2], style), constructed(SEQUENCE, parts, style)], style)


def _safe_contents(der: bytes, style: Style) -> bytes:
    _, body = one(der)
    return constructed(SEQUENCE, [_safe_bag(bag, style) for _, _, bag in children(body)], style)


def _safe_bag(der: bytes, style: Style) -> bytes:
    _, body = one(der)
    (oid_tag, oid, _), (ctx_tag, value, _), *attributes = children(body)
    if oid == OID_KEY_BAG:
        new_value = value  # PrivateKeyInfo: the decoder hands these bytes back, keep them DER
    elif oid == OID_SAFE_CONTENTS_BAG:
        new_value = _safe_contents(value, style)
    else:
        new_value = reencode(value, style)
    parts = [primitive(oid_tag, oid, style), constructed(ctx_tag, [new_value], style)]
    parts += [reencode(whole, style) for _, _, whole in attributes]
    return constructed(SEQUENCE, parts, style)


def _authenticated_safe(der: bytes, style: Style) -> bytes:
    _, body = one(der)
    return constructed(SEQUENCE, [_content_info(ci, style, True) for _, _, ci in children(body)], style)


def pfx(der: bytes, style: Style, *, inner: bool = False) -> bytes:
    """Re-encode a DER PFX.

    ``inner=False`` touches only what the MAC does not cover: the PFX SEQUENCE, the outer
    ContentInfo and the authSafe OCTET STRING's framing (chunks concatenate to the same
    octets), and macData. A MAC stays valid.
    ``inner=True`` also re-encodes the AuthenticatedSafe, every ContentInfo, SafeContents and
    SafeBag inside it; the MAC (computed over the DER) no longer matches unless recomputed
    (``pfx_with_mac``) — use it on -nomac files or recompute.
    """
    _, body = one(der)
    version, auth_safe, *mac = children(body)
    _, ci_body = one(auth_safe[2])
    (oid_tag, oid, _), (ctx_tag, ctx, _) = children(ci_body)
    _, auth_safe_octets = one(ctx)
    payload = _authenticated_safe(auth_safe_octets, style) if inner else auth_safe_octets
    ci = constructed(SEQUENCE, [primitive(oid_tag, oid, style),
                                constructed(ctx_tag, [octets(payload, style)], style)], style)
    parts = [reencode(version[2], style), ci] + [reencode(m[2], style) for m in mac]
    return constructed(SEQUENCE, parts, style)


# --- recomputing a PKCS#12 HMAC over BER content -------------------------------------------

def pkcs12_kdf(hash_name: str, password: bytes, salt: bytes, ident: int, iterations: int, size: int) -> bytes:
    """RFC 7292 appendix B.2, written from the RFC for the tests (``password`` already
    BMPString-encoded with its two-byte terminator, or b"" for none)."""
    v = hashlib.new(hash_name).block_size

    def fill(data: bytes) -> bytes:
        if not data:
            return b""
        length = v * ((len(data) + v - 1) // v)
        return (data * (length // len(data) + 1))[:length]

    d = bytes([ident]) * v
    i = fill(salt) + fill(password)
    out = b""
    while len(out) < size:
        a = d + i
        for _ in range(iterations):
            a = hashlib.new(hash_name, a).digest()
        out += a
        b = int.from_bytes(fill(a), "big")
        blocks = []
        for j in range(0, len(i), v):
            block = (int.from_bytes(i[j:j + v], "big") + b + 1) % (1 << (8 * v))
            blocks.append(block.to_bytes(v, "big"))
        i = b"".join(blocks)
    return out[:size]


def bmp_password(password: str) -> bytes:
    return password.encode("utf-16-be") + b"\x00\x00"


def mac_of(der: bytes) -> tuple[str, bytes, bytes, int, bytes]:
    """(digest name, mac, salt, iterations, authSafe octets) of a DER PFX with a classic MAC."""
    names = {bytes.fromhex("2b0e03021a"): "sha1", bytes.fromhex("608648016503040204"): "sha224",
             bytes.fromhex("608648016503040201"): "sha256", bytes.fromhex("608648016503040202"): "sha384",
             bytes.fromhex("608648016503040203"): "sha512"}
    _, body = one(der)
    _, auth_safe, mac_data = children(body)
    _, ci_body = one(auth_safe[2])
    _, (_, ctx, _) = children(ci_body)
    _, auth_safe_octets = one(ctx)
    digest_info, salt_tlv, *iter_tlv = children(mac_data[1])
    alg, digest = children(digest_info[1])
    digest_oid = children(alg[1])[0][1]
    iterations = int.from_bytes(iter_tlv[0][1], "big") if iter_tlv else 1
    return names[digest_oid], digest[1], salt_tlv[1], iterations, auth_safe_octets


def pfx_with_mac(der: bytes, style: Style, password: str) -> bytes:
    """Fully re-encode (``inner=True``) a MAC-protected DER PFX in ``style`` and recompute its
    HMAC over the new AuthenticatedSafe octets (same digest, salt and iterations; key from the
    PKCS#12 KDF, RFC 7292 appendix B.4), as a producer writing BER natively (Java, Windows) does."""
    digest, _, salt, iterations, auth_safe_octets = mac_of(der)
    inner_ber = _authenticated_safe(auth_safe_octets, style)
    key = pkcs12_kdf(digest, bmp_password(password), salt, 3, iterations, hashlib.new(digest).digest_size)
    new_mac = hmac.new(key, inner_ber, digest).digest()
    _, body = one(der)
    version, auth_safe, mac_data = children(body)
    _, ci_body = one(auth_safe[2])
    (oid_tag, oid, _), (ctx_tag, _, _) = children(ci_body)
    digest_info, *rest = children(mac_data[1])
    alg, _ = children(digest_info[1])
    new_digest_info = constructed(SEQUENCE, [reencode(alg[2], style), octets(new_mac, style)], style)
    new_mac_data = constructed(SEQUENCE, [new_digest_info] + [reencode(r[2], style) for r in rest], style)
    ci = constructed(SEQUENCE, [primitive(oid_tag, oid, style),
                                constructed(ctx_tag, [octets(inner_ber, style)], style)], style)
    return constructed(SEQUENCE, [reencode(version[2], style), ci, new_mac_data], style)
