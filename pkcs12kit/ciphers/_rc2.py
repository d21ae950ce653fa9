"""RC2 in pure Python (RFC 2268), for the effective key sizes no provider offers (RC2-40, RC2-64).

Exports: expand_key, encrypt_block, decrypt_block, cbc_encrypt, cbc_decrypt.

PKCS#12's ``pbeWithSHAAnd40BitRC2-CBC`` (RFC 7292 appendix C) encrypts the certificates of most
legacy files, sometimes megabytes of them, so CBC *decryption* is written for throughput: CBC
decryption of different blocks is independent, so all blocks of a chunk are decrypted at once.
Each of the four 16-bit RC2 words of every block lives in a 24-bit lane of one big Python integer,
and one integer operation then performs a step of RFC 2268 section 4 for every block together.
The data-dependent key lookup of R-MASH (``K[R[i-1] & 63]``) is done with ``bytes.translate``.
Encryption is inherently sequential in CBC and runs block by block.

The cost model behind `_Lanes` (CPython 3.11, a 12 KB integer): ``&``, ``|`` and ``^`` take about
0.3 us, while ``+``, ``<<``, ``>>`` and ``*`` take 1.6-2.2 us and ``-`` 2.5 us, all linear in the
size. So lanes are as narrow as byte alignment allows (24 bits, not 32), a step uses as few
arithmetic operations as possible (two shifts and two additions) and subtraction is avoided.

Arguments are trusted: `pkcs12kit.ciphers.Provider` validates key, IV and data lengths first.
"""

from __future__ import annotations

__all__ = ["expand_key", "encrypt_block", "decrypt_block", "cbc_encrypt", "cbc_decrypt"]

# RFC 2268 section 2: PITABLE, a permutation of 0..255 based on the digits of pi.
_PITABLE = bytes.fromhex(
    """
    d9 78 f9 c4 19 dd b5 ed 28 e9 fd 79 4a a0 d8 9d
    c6 7e 37 83 2b 76 53 8e 62 4c 64 88 44 8b fb a2
    17 9a 59 f5 87 b3 4f 13 61 45 6d 8d 09 81 7d 32
    bd 8f 40 eb 86 b7 7b 0b f0 95 21 22 5c 6b 4e 82
    54 d6 65 93 ce 60 b2 1c 73 56 c0 14 a7 8c f1 dc
    12 75 ca 1f 3b be e4 d1 42 3d d4 30 a3 3c b6 26
    6f bf 0e da 46 69 07 57 27 f2 1d 9b bc 94 43 03
    f8 11 c7 f6 90 ef 3e e7 06 c3 d5 2f c8 66 1e d7
    08 e8 ea de 80 52 ee f7 84 aa 72 ac 35 4d 6a 2a
    96 1a d2 71 5a 15 49 74 4b 9f d0 5e 04 18 a4 ec
    c2 e0 41 6e 0f 51 cb cc 24 91 af 50 a1 f4 70 39
    99 7c 3a 85 23 b8 b4 7a fc 02 36 5b 25 55 97 31
    2d 5d fa 98 e3 8a 92 ae 05 df 29 10 67 6c ba c9
    d3 00 e6 cf e1 9e a8 2c 63 16 01 3f 58 e2 89 a9
    0d 38 34 1b ab 33 ff b0 bb 48 0c 5f b9 b1 cd 2e
    c5 f3 db 47 e5 a5 9c 77 0a a6 20 68 fe 7f c1 ad
    """
)

_MASK = 0xFFFF

# Blocks decrypted together. Large enough that the per-operation interpreter overhead vanishes,
# small enough that the lane integers (4 bytes per block) stay in the CPU cache.
_CHUNK_BLOCKS = 4096

# Up to this many blocks, block-by-block decryption is faster than setting up lanes.
_FEW_BLOCKS = 4


def expand_key(key: bytes, bits: int) -> tuple[int, ...]:
    """RFC 2268 section 2 key expansion: ``key`` (1..128 bytes) with ``bits`` (1..1024) effective
    key bits, to the 64 16-bit words K[0..63]."""
    t = len(key)
    t8 = (bits + 7) // 8
    tm = 0xFF >> (8 * t8 - bits)  # 255 MOD 2^(8 + T1 - 8*T8)
    buf = bytearray(128)
    buf[:t] = key
    for i in range(t, 128):
        buf[i] = _PITABLE[(buf[i - 1] + buf[i - t]) & 0xFF]
    # This step is what limits the effective key to T1 bits, whatever the key length.
    buf[128 - t8] = _PITABLE[buf[128 - t8] & tm]
    for i in range(127 - t8, -1, -1):
        buf[i] = _PITABLE[buf[i + 1] ^ buf[i + t8]]
    return tuple(buf[2 * i] | buf[2 * i + 1] << 8 for i in range(64))


def _encrypt_words(k: tuple[int, ...], r0: int, r1: int, r2: int, r3: int) -> tuple[int, int, int, int]:
    """RFC 2268 section 3: 5 MIXING rounds, MASHING, 6 MIXING, MASHING, 5 MIXING."""
    j = 0
    for rnd in range(16):
        # (a & b) + (~a & c) == c ^ (a & (b ^ c)): the two terms never share a set bit.
        r0 = (r0 + k[j] + (r1 ^ (r3 & (r2 ^ r1)))) & _MASK
        r0 = ((r0 << 1) | (r0 >> 15)) & _MASK
        r1 = (r1 + k[j + 1] + (r2 ^ (r0 & (r3 ^ r2)))) & _MASK
        r1 = ((r1 << 2) | (r1 >> 14)) & _MASK
        r2 = (r2 + k[j + 2] + (r3 ^ (r1 & (r0 ^ r3)))) & _MASK
        r2 = ((r2 << 3) | (r2 >> 13)) & _MASK
        r3 = (r3 + k[j + 3] + (r0 ^ (r2 & (r1 ^ r0)))) & _MASK
        r3 = ((r3 << 5) | (r3 >> 11)) & _MASK
        j += 4
        if rnd == 4 or rnd == 10:
            r0 = (r0 + k[r3 & 63]) & _MASK
            r1 = (r1 + k[r0 & 63]) & _MASK
            r2 = (r2 + k[r1 & 63]) & _MASK
            r3 = (r3 + k[r2 & 63]) & _MASK
    return r0, r1, r2, r3


def _decrypt_words(k: tuple[int, ...], r0: int, r1: int, r2: int, r3: int) -> tuple[int, int, int, int]:
    """RFC 2268 section 4: the inverse of `_encrypt_words`, rounds in reverse order."""
    j = 63
    for rnd in range(15, -1, -1):
        r3 = ((r3 >> 5) | (r3 << 11)) & _MASK
        r3 = (r3 - k[j] - (r0 ^ (r2 & (r1 ^ r0)))) & _MASK
        r2 = ((r2 >> 3) | (r2 << 13)) & _MASK
        r2 = (r2 - k[j - 1] - (r3 ^ (r1 & (r0 ^ r3)))) & _MASK
        r1 = ((r1 >> 2) | (r1 << 14)) & _MASK
        r1 = (r1 - k[j - 2] - (r2 ^ (r0 & (r3 ^ r2)))) & _MASK
        r0 = ((r0 >> 1) | (r0 << 15)) & _MASK
        r0 = (r0 - k[j - 3] - (r1 ^ (r3 & (r2 ^ r1)))) & _MASK
        j -= 4
        if rnd == 11 or rnd == 5:
            r3 = (r3 - k[r2 & 63]) & _MASK
            r2 = (r2 - k[r1 & 63]) & _MASK
            r1 = (r1 - k[r0 & 63]) & _MASK
            r0 = (r0 - k[r3 & 63]) & _MASK
    return r0, r1, r2, r3


def encrypt_block(k: tuple[int, ...], block: bytes) -> bytes:
    """Encrypt one 8-byte block with ``k`` (RFC 2268 section 3, words little-endian)."""
    w = int.from_bytes(block, "little")
    r = _encrypt_words(k, w & _MASK, (w >> 16) & _MASK, (w >> 32) & _MASK, w >> 48)
    return (r[0] | r[1] << 16 | r[2] << 32 | r[3] << 48).to_bytes(8, "little")


def decrypt_block(k: tuple[int, ...], block: bytes) -> bytes:
    """Decrypt one 8-byte block with expanded key ``k`` (RFC 2268 section 4)."""
    w = int.from_bytes(block, "little")
    r = _decrypt_words(k, w & _MASK, (w >> 16) & _MASK, (w >> 32) & _MASK, w >> 48)
    return (r[0] | r[1] << 16 | r[2] << 32 | r[3] << 48).to_bytes(8, "little")


def cbc_encrypt(k: tuple[int, ...], iv: bytes, data: bytes) -> bytes:
    """RC2-CBC encryption (RFC 2268 with RFC 8018 B.2.2 chaining), no padding added."""
    w = int.from_bytes(iv, "little")
    r0, r1, r2, r3 = w & _MASK, (w >> 16) & _MASK, (w >> 32) & _MASK, w >> 48
    out = bytearray(len(data))
    from_bytes = int.from_bytes
    for pos in range(0, len(data), 8):
        w = from_bytes(data[pos : pos + 8], "little")
        r0, r1, r2, r3 = _encrypt_words(
            k,
            r0 ^ (w & _MASK),
            r1 ^ ((w >> 16) & _MASK),
            r2 ^ ((w >> 32) & _MASK),
            r3 ^ (w >> 48),
        )
        out[pos : pos + 8] = (r0 | r1 << 16 | r2 << 32 | r3 << 48).to_bytes(8, "little")
    return bytes(out)


def cbc_decrypt(k: tuple[int, ...], iv: bytes, data: bytes) -> bytes:
    """RC2-CBC decryption (RFC 2268 with RFC 8018 B.2.2 chaining), no padding removed."""
    if len(data) <= 8 * _FEW_BLOCKS:
        # A few blocks: setting up the lanes costs more than it saves.
        prev = int.from_bytes(iv, "little")
        out = bytearray()
        for pos in range(0, len(data), 8):
            block = data[pos : pos + 8]
            plain = int.from_bytes(decrypt_block(k, block), "little") ^ prev
            out += plain.to_bytes(8, "little")
            prev = int.from_bytes(block, "little")
        return bytes(out)
    out = bytearray(len(data))
    step = 8 * _CHUNK_BLOCKS
    lanes = None
    for pos in range(0, len(data), step):
        blocks = min(step, len(data) - pos) // 8
        if lanes is None or lanes.blocks != blocks:
            lanes = _Lanes(k, blocks)
        # CBC: P[i] = D(C[i]) XOR C[i-1], with C[-1] = IV.
        lanes.decrypt_into(out, data, pos, data[pos - 8 : pos] if pos else iv)
    return bytes(out)


class _Lanes:
    """CBC decryption of ``blocks`` blocks at once (RFC 2268 section 4, lane-parallel).

    Lane b (bits 24b..24b+23, bytes 3b..3b+2) of the integer for word i holds R[i] of block b.
    Every word is below 2^16 after every step (the "clean" form); within a step a lane holds at
    most 2^24 - 1, so carries never cross into the neighbouring lane (see `decrypt_into`).
    The per-key constants are built once per chunk size.
    """

    __slots__ = ("blocks", "size", "mask", "low", "add", "lo_table", "hi_table", "buf")

    def __init__(self, k: tuple[int, ...], blocks: int) -> None:
        self.blocks = blocks
        self.size = 3 * blocks
        ones = int.from_bytes(b"\x01\x00\x00" * blocks, "little")
        self.mask = ones * _MASK
        # low[s]: the low s bits of every lane, the bits a right rotation by s moves to the top.
        self.low = [ones * ((1 << s) - 1) for s in range(6)]
        # R[i] - K[j] - f (mod 2^16) is computed as R[i] + (0x10001 - K[j]) + (0xFFFF ^ f):
        # 0xFFFF ^ f = 0xFFFF - f for f < 2^16, so it is -f + 0x20000 - K[j] with no subtraction
        # (slower than an addition) and never negative (a negative lane would borrow from the next).
        self.add = [(0x10001 - kj) * ones for kj in k]
        # R-MASH's R[i] - K[R[i-1] & 63] (mod 2^16) is R[i] + (-K[...] mod 2^16); the lookup gives
        # -K[...] mod 2^16 directly, split into low and high byte, as bytes.translate tables.
        neg = [-kj & _MASK for kj in k]
        self.lo_table = bytes(neg[b & 63] & 0xFF for b in range(256))
        self.hi_table = bytes(neg[b & 63] >> 8 for b in range(256))
        # Scratch lanes; byte 2 of every lane stays zero.
        self.buf = bytearray(self.size)

    def _neg_key(self, x: int) -> int:
        """Lanes of -K[x & 63] mod 2^16 for lanes of x."""
        buf = self.buf
        low = x.to_bytes(self.size, "little")[0::3]
        buf[0::3] = low.translate(self.lo_table)
        buf[1::3] = low.translate(self.hi_table)
        return int.from_bytes(buf, "little")

    def decrypt_into(self, out: bytearray, data: bytes, start: int, prev: bytes) -> None:
        """CBC-decrypt ``data[start : start + 8 * blocks]`` into the same range of ``out``;
        ``prev`` is the ciphertext block before it (the IV for the first chunk)."""
        buf, mask, add, size, neg_key = self.buf, self.mask, self.add, self.size, self._neg_key
        _, m1, m2, m3, _, m5 = self.low
        end = start + 8 * self.blocks
        words = []
        for w in range(4):
            buf[0::3] = data[start + 2 * w : end : 8]
            buf[1::3] = data[start + 2 * w + 1 : end : 8]
            words.append(int.from_bytes(buf, "little"))
        r0, r1, r2, r3 = words
        j = 63
        for rnd in range(15, -1, -1):
            # Rotate right by s: (R >> s) | (low s bits of R) << (16 - s). The shift right also
            # pulls the next lane's low s bits into bits 24-s..23 of the lane; they are left
            # there and dropped by the final mask: the rest of the sum stays below
            # 0xFFFF + 0x10001 + 0xFFFF < 2^18 <= 2^(24-s), so the lane stays below 2^24.
            # f = (a & b) + (~a & c) == c ^ (a & (b ^ c)): the two terms never share a set bit.
            r3 = ((r3 >> 5) | (r3 & m5) << 11) + add[j] + (r0 ^ (r2 & (r1 ^ r0)) ^ mask)
            r3 &= mask
            r2 = ((r2 >> 3) | (r2 & m3) << 13) + add[j - 1] + (r3 ^ (r1 & (r0 ^ r3)) ^ mask)
            r2 &= mask
            r1 = ((r1 >> 2) | (r1 & m2) << 14) + add[j - 2] + (r2 ^ (r0 & (r3 ^ r2)) ^ mask)
            r1 &= mask
            r0 = ((r0 >> 1) | (r0 & m1) << 15) + add[j - 3] + (r1 ^ (r3 & (r2 ^ r1)) ^ mask)
            r0 &= mask
            j -= 4
            if rnd == 11 or rnd == 5:
                r3 = (r3 + neg_key(r2)) & mask
                r2 = (r2 + neg_key(r1)) & mask
                r1 = (r1 + neg_key(r0)) & mask
                r0 = (r0 + neg_key(r3)) & mask
        # CBC chaining in lanes: lane b of the previous ciphertext is lane b-1 of this chunk's
        # ciphertext (one 24-bit shift), lane 0 is word w of ``prev``. The shifted integer has one
        # lane more, which the slices below leave out.
        p = int.from_bytes(prev, "little")
        for w in range(4):
            plain = (r0, r1, r2, r3)[w] ^ (words[w] << 24) ^ ((p >> (16 * w)) & _MASK)
            lanes = plain.to_bytes(size + 3, "little")
            out[start + 2 * w : end : 8] = lanes[0:size:3]
            out[start + 2 * w + 1 : end : 8] = lanes[1:size:3]
