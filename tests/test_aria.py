"""Pure-Python ARIA (pkcs12kit.ciphers._aria) against RFC 5794, its own definitions and openssl."""

import os
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pkcs12kit.ciphers import _aria

# RFC 5794 appendix A: key 00 01 02 ..., plaintext 00112233445566778899aabbccddeeff.
RFC_5794_PLAINTEXT = "00112233445566778899aabbccddeeff"
RFC_5794_VECTORS = [
    ("000102030405060708090a0b0c0d0e0f", "d718fbd6ab644c739da95f3be6451778"),
    ("000102030405060708090a0b0c0d0e0f1011121314151617", "26449c1805dbe7aa25a468ce263a9e79"),
    (
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "f92bd7c79fb72e2f2b8f80c1972d24fc",
    ),
]

KEY_LENGTHS = (16, 24, 32)


def _openssl_enc(openssl, key, iv, data, *, decrypt=False):
    """``openssl enc -aria-N-cbc`` without padding (ARIA is in OpenSSL 3's default provider)."""
    args = [openssl, "enc", "-d" if decrypt else "-e", f"-aria-{8 * len(key)}-cbc", "-nopad"]
    args += ["-K", key.hex(), "-iv", iv.hex()]
    result = subprocess.run(args, input=data, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def _blockwise_cbc_decrypt(k, iv, data):
    blocks = [data[i : i + 16] for i in range(0, len(data), 16)]
    plain = b"".join(_aria.decrypt_block(k, block) for block in blocks)
    return bytes(a ^ b for a, b in zip(plain, iv + data[:-16]))


# --- RFC 5794 appendix A known answers ---------------------------------------------------------


@pytest.mark.parametrize("key, ciphertext", RFC_5794_VECTORS)
def test_rfc_5794_vectors(key, ciphertext):
    expanded = _aria.expand_key(bytes.fromhex(key))
    plaintext = bytes.fromhex(RFC_5794_PLAINTEXT)
    assert _aria.encrypt_block(expanded, plaintext).hex() == ciphertext
    assert _aria.decrypt_block(expanded, bytes.fromhex(ciphertext)).hex() == RFC_5794_PLAINTEXT


@pytest.mark.parametrize("key, ciphertext", RFC_5794_VECTORS)
def test_rfc_5794_vectors_through_cbc(key, ciphertext):
    # With a zero IV the first CBC block is the ECB block; 40 copies take the byte-plane path.
    expanded = _aria.expand_key(bytes.fromhex(key))
    zero_iv = bytes(16)
    plaintext, block = bytes.fromhex(RFC_5794_PLAINTEXT), bytes.fromhex(ciphertext)
    assert _aria.cbc_encrypt(expanded, zero_iv, plaintext) == block
    assert _aria.cbc_decrypt(expanded, zero_iv, block) == plaintext
    # ECB of n equal blocks, seen through CBC decryption: P_i = D(C) XOR C for i > 0.
    assert 40 > _aria._FEW_BLOCKS
    chained = bytes(a ^ b for a, b in zip(plaintext, block))
    assert _aria.cbc_decrypt(expanded, zero_iv, block * 40) == plaintext + chained * 39


def test_round_counts_and_key_lengths():
    # RFC 5794 section 2.2: 12, 14 and 16 rounds, so 13, 15 and 17 round keys each way.
    for length, rounds in zip(KEY_LENGTHS, (12, 14, 16)):
        ek, dk = _aria.expand_key(os.urandom(length))
        assert len(ek) == len(dk) == rounds + 1
        assert dk[0] == ek[-1] and dk[-1] == ek[0]


# --- the tables against their definitions ------------------------------------------------------


def _gf_mul(a, b):
    """Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (the AES and ARIA field)."""
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return r


def _gf_pow(x, e):
    r = 1
    while e:
        if e & 1:
            r = _gf_mul(r, x)
        x = _gf_mul(x, x)
        e >>= 1
    return r


def test_sb1_is_the_aes_sbox():
    # The affine map of FIPS 197 section 5.1.1 applied to x^254 (x^-1, with 0 -> 0).
    def rotl(v, s):
        return ((v << s) | (v >> (8 - s))) & 0xFF

    def affine(x):
        return x ^ rotl(x, 1) ^ rotl(x, 2) ^ rotl(x, 3) ^ rotl(x, 4) ^ 0x63

    assert _aria._SB1 == bytes(affine(_gf_pow(x, 254)) for x in range(256))


def test_sb2_is_affine_in_x_to_the_247():
    # SB2(x) = B * x^247 XOR 0xe2 for a GF(2)-linear B: with y = x^247 (a bijection, since
    # gcd(247, 255) = 1), L(y) = SB2(x) XOR 0xe2 must be linear, L(a ^ b) = L(a) ^ L(b).
    inverse_exponent = pow(247, -1, 255)
    linear = [_aria._SB2[_gf_pow(y, inverse_exponent) if y else 0] ^ 0xE2 for y in range(256)]
    assert linear[0] == 0
    assert all(linear[a ^ b] == linear[a] ^ linear[b] for a in range(256) for b in range(256))
    assert len(set(_aria._SB2)) == 256


def test_sb3_and_sb4_are_the_inverses():
    for box, inverse in ((_aria._SB1, _aria._SB3), (_aria._SB2, _aria._SB4)):
        assert bytes(inverse[box[x]] for x in range(256)) == bytes(range(256))


def test_diffusion_is_a_symmetric_involution():
    rows = _aria._A_ROWS
    assert all(len(row) == 7 for row in rows)
    assert all((i in rows[j]) == (j in rows[i]) for i in range(16) for j in range(16))
    for _ in range(20):
        x = int.from_bytes(os.urandom(16), "big")
        assert _aria._diffuse(_aria._diffuse(x)) == x


def test_constants_are_the_fraction_of_one_over_pi():
    # RFC 5794 section 2.2: C1 || C2 || C3 is the fractional part of 1/pi. Machin's formula in
    # 600-bit fixed point: pi = 16 atan(1/5) - 4 atan(1/239).
    bits = 600

    def atan_inv(n):
        term = (1 << bits) // n
        total, k, sign = term, 1, -1
        while term:
            term //= n * n
            total += sign * (term // (2 * k + 1))
            k, sign = k + 1, -sign
        return total

    pi = 16 * atan_inv(5) - 4 * atan_inv(239)
    fraction = ((1 << 2 * bits) // pi) >> (bits - 384)
    assert fraction == (_aria._C1 << 256) | (_aria._C2 << 128) | _aria._C3


# --- CBC ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", KEY_LENGTHS)
@pytest.mark.parametrize(
    "blocks", [1, 2, _aria._FEW_BLOCKS, _aria._FEW_BLOCKS + 1, 100, _aria._CHUNK_BLOCKS + 3]
)
def test_cbc_round_trip(length, blocks):
    k = _aria.expand_key(os.urandom(length))
    iv, data = os.urandom(16), os.urandom(16 * blocks)
    ciphertext = _aria.cbc_encrypt(k, iv, data)
    assert len(ciphertext) == len(data) and ciphertext != data
    assert _aria.cbc_decrypt(k, iv, ciphertext) == data


@pytest.mark.parametrize("length", KEY_LENGTHS)
def test_byte_planes_and_blockwise_decryption_agree(length):
    # The byte-plane path must equal block-by-block decryption, across a chunk boundary.
    k = _aria.expand_key(os.urandom(length))
    iv, data = os.urandom(16), os.urandom(16 * (_aria._CHUNK_BLOCKS + 37))
    assert _aria.cbc_decrypt(k, iv, data) == _blockwise_cbc_decrypt(k, iv, data)


def test_planes_decrypt_into_writes_only_their_range():
    # A chunk in the middle of a message: chained from the block before it, nothing else touched.
    k = _aria.expand_key(os.urandom(16))
    iv, data = os.urandom(16), os.urandom(16 * 50)
    expected = _blockwise_cbc_decrypt(k, iv, data)
    out = bytearray(b"\xaa" * len(data))
    _aria._Planes(k[1]).decrypt_into(out, data, 16 * 10, 16 * 30, data[144:160])
    assert out[160:480] == expected[160:480]
    assert out[:160] == b"\xaa" * 160 and out[480:] == b"\xaa" * 320


@pytest.mark.parametrize("length", KEY_LENGTHS)
@pytest.mark.parametrize("blocks", [1, 2, _aria._FEW_BLOCKS + 1, 300])
def test_cbc_against_openssl(openssl_tool, length, blocks):
    # openssl_tool (tests/conftest.py) is tools.require_tool("openssl"): a skip, or with CI=true
    # a failure, when openssl is missing.
    key, iv, data = os.urandom(length), os.urandom(16), os.urandom(16 * blocks)
    k = _aria.expand_key(key)
    ciphertext = _openssl_enc(openssl_tool, key, iv, data)
    assert len(ciphertext) == len(data)
    assert _aria.cbc_encrypt(k, iv, data) == ciphertext
    assert _aria.cbc_decrypt(k, iv, ciphertext) == data
    # And the other direction: openssl decrypts random "ciphertext" as we do.
    assert _aria.cbc_decrypt(k, iv, data) == _openssl_enc(openssl_tool, key, iv, data, decrypt=True)


@pytest.mark.parametrize("length", KEY_LENGTHS)
def test_cbc_against_openssl_over_a_chunk_boundary(openssl_tool, length):
    key, iv, data = os.urandom(length), os.urandom(16), os.urandom(16 * (_aria._CHUNK_BLOCKS + 5))
    k = _aria.expand_key(key)
    assert _aria.cbc_decrypt(k, iv, data) == _openssl_enc(openssl_tool, key, iv, data, decrypt=True)


def test_extreme_keys_and_blocks_against_openssl(openssl_tool):
    iv = bytes(16)
    data = (b"\x00" * 16 + b"\xff" * 16) * 20
    for key in (bytes(16), b"\xff" * 24, bytes(32), b"\xff" * 32):
        k = _aria.expand_key(key)
        ciphertext = _openssl_enc(openssl_tool, key, iv, data)
        assert _aria.cbc_encrypt(k, iv, data) == ciphertext
        assert _aria.cbc_decrypt(k, iv, ciphertext) == data


@settings(max_examples=60, deadline=None)
@given(
    key=st.sampled_from(KEY_LENGTHS).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
    iv=st.binary(min_size=16, max_size=16),
    data=st.binary(max_size=16 * 40).map(lambda b: b[: len(b) - len(b) % 16]),
)
def test_cbc_decrypt_inverts_encrypt(key, iv, data):
    k = _aria.expand_key(key)
    ciphertext = _aria.cbc_encrypt(k, iv, data)
    assert _aria.cbc_decrypt(k, iv, ciphertext) == data
