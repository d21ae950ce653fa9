"""Pure-Python RC2 (pkcs12kit.ciphers._rc2) against RFC 2268, pyca/cryptography and openssl."""

import os
import subprocess

import pytest
from cryptography.hazmat.decrepit.ciphers.algorithms import RC2
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from pkcs12kit.ciphers import _rc2

# RFC 2268 section 5, all eight rows: (key, effective key bits, plaintext, ciphertext).
RFC_2268_VECTORS = [
    ("0000000000000000", 63, "0000000000000000", "ebb773f993278eff"),
    ("ffffffffffffffff", 64, "ffffffffffffffff", "278b27e42e2f0d49"),
    ("3000000000000000", 64, "1000000000000001", "30649edf9be7d2c2"),
    ("88", 64, "0000000000000000", "61a8a244adacccf0"),
    ("88bca90e90875a", 64, "0000000000000000", "6ccf4308974c267f"),
    ("88bca90e90875a7f0f79c384627bafb2", 64, "0000000000000000", "1a807d272bbe5db1"),
    ("88bca90e90875a7f0f79c384627bafb2", 128, "0000000000000000", "2269552ab0f85ca6"),
    (
        "88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e",
        129,
        "0000000000000000",
        "5b78d3a43dfff1f1",
    ),
]


def _openssl_enc(openssl, cipher, key, iv, data):
    """``openssl enc`` without padding; the legacy provider holds RC2 in OpenSSL 3."""
    args = [openssl, "enc", "-e", f"-{cipher}", "-nopad"]
    args += ["-K", key.hex(), "-iv", iv.hex(), "-provider", "legacy", "-provider", "default"]
    result = subprocess.run(args, input=data, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def _pyca_rc2_128(key, iv, data, encrypt):
    context = Cipher(RC2(key), modes.CBC(iv))
    context = context.encryptor() if encrypt else context.decryptor()
    return context.update(data) + context.finalize()


@pytest.mark.parametrize("key, bits, plaintext, ciphertext", RFC_2268_VECTORS)
def test_rfc_2268_vectors(key, bits, plaintext, ciphertext):
    expanded = _rc2.expand_key(bytes.fromhex(key), bits)
    assert _rc2.encrypt_block(expanded, bytes.fromhex(plaintext)).hex() == ciphertext
    assert _rc2.decrypt_block(expanded, bytes.fromhex(ciphertext)).hex() == plaintext


@pytest.mark.parametrize("key, bits, plaintext, ciphertext", RFC_2268_VECTORS)
def test_rfc_2268_vectors_through_cbc(key, bits, plaintext, ciphertext):
    # With a zero IV the first CBC block is the ECB block; 40 copies take the lane-parallel path.
    expanded = _rc2.expand_key(bytes.fromhex(key), bits)
    zero_iv = bytes(8)
    assert _rc2.cbc_encrypt(expanded, zero_iv, bytes.fromhex(plaintext)).hex() == ciphertext
    assert _rc2.cbc_decrypt(expanded, zero_iv, bytes.fromhex(ciphertext)).hex() == plaintext
    # ECB of n equal blocks, seen through CBC decryption: P_i = D(C) XOR C for i > 0.
    many = bytes.fromhex(ciphertext) * 40
    plain = _rc2.cbc_decrypt(expanded, zero_iv, many)
    block = bytes.fromhex(plaintext)
    chained = bytes(a ^ b for a, b in zip(block, bytes.fromhex(ciphertext)))
    assert plain == block + chained * 39


def test_effective_bits_change_the_key_schedule():
    # The same key with 63, 64 and 128 effective bits gives three different schedules.
    key = bytes.fromhex("88bca90e90875a7f")
    schedules = {_rc2.expand_key(key, bits) for bits in (63, 64, 128)}
    assert len(schedules) == 3


@pytest.mark.parametrize("blocks", [1, 3, 4, 5, 64, 4097, 9001])
def test_cbc_128_bit_key_matches_cryptography(blocks):
    key, iv, data = os.urandom(16), os.urandom(8), os.urandom(8 * blocks)
    expanded = _rc2.expand_key(key, 128)
    ciphertext = _pyca_rc2_128(key, iv, data, encrypt=True)
    assert _rc2.cbc_encrypt(expanded, iv, data) == ciphertext
    assert _rc2.cbc_decrypt(expanded, iv, ciphertext) == data


@settings(max_examples=60, deadline=None)
@given(
    key=st.binary(min_size=16, max_size=16),
    iv=st.binary(min_size=8, max_size=8),
    data=st.binary(max_size=8 * 80).map(lambda b: b[: len(b) - len(b) % 8]),
)
def test_cbc_decrypt_property_against_cryptography(key, iv, data):
    ciphertext = _pyca_rc2_128(key, iv, data, encrypt=True)
    assert _rc2.cbc_decrypt(_rc2.expand_key(key, 128), iv, ciphertext) == data


@pytest.mark.parametrize(
    "openssl_cipher, key_length, bits",
    [("rc2-40-cbc", 5, 40), ("rc2-64-cbc", 8, 64), ("rc2-cbc", 16, 128)],
)
@pytest.mark.parametrize("blocks", [1, 2, 33, 300])
def test_cbc_against_openssl(openssl_tool, openssl_cipher, key_length, bits, blocks):
    key, iv, data = os.urandom(key_length), os.urandom(8), os.urandom(8 * blocks)
    expanded = _rc2.expand_key(key, bits)
    ciphertext = _openssl_enc(openssl_tool, openssl_cipher, key, iv, data)
    assert len(ciphertext) == len(data)
    assert _rc2.cbc_encrypt(expanded, iv, data) == ciphertext
    assert _rc2.cbc_decrypt(expanded, iv, ciphertext) == data


def test_lane_parallel_and_blockwise_decryption_agree():
    # The lane-parallel path must equal block-by-block decryption, across a chunk boundary and
    # for effective key sizes from 1 to 1024 bits.
    for bits in (1, 40, 64, 128, 1024):
        key = os.urandom(128 if bits == 1024 else 7)
        expanded = _rc2.expand_key(key, bits)
        blocks = _rc2._CHUNK_BLOCKS + 37
        data = os.urandom(8 * blocks)
        blockwise = b"".join(
            _rc2.decrypt_block(expanded, data[i : i + 8]) for i in range(0, len(data), 8)
        )
        iv = os.urandom(8)
        chained = bytes(a ^ b for a, b in zip(blockwise, iv + data[:-8]))
        out = bytearray(len(data))
        _rc2._Lanes(expanded, blocks).decrypt_into(out, data, 0, iv)
        assert out == chained
        assert _rc2.cbc_decrypt(expanded, iv, data) == chained


def test_lanes_decrypt_into_writes_only_their_range():
    # A chunk in the middle of a message: chained from the block before it, nothing else touched.
    expanded = _rc2.expand_key(os.urandom(5), 40)
    iv, data = os.urandom(8), os.urandom(8 * 50)
    expected = _rc2.cbc_decrypt(expanded, iv, data)
    out = bytearray(b"\xaa" * len(data))
    _rc2._Lanes(expanded, 20).decrypt_into(out, data, 8 * 10, data[72:80])
    assert out[80:240] == expected[80:240]
    assert out[:80] == b"\xaa" * 80 and out[240:] == b"\xaa" * 160


@pytest.mark.parametrize("blocks", [_rc2._FEW_BLOCKS, _rc2._FEW_BLOCKS + 1])
def test_both_sides_of_the_lane_threshold(blocks):
    key, iv, data = os.urandom(16), os.urandom(8), os.urandom(8 * blocks)
    ciphertext = _pyca_rc2_128(key, iv, data, encrypt=True)
    assert _rc2.cbc_decrypt(_rc2.expand_key(key, 128), iv, ciphertext) == data


def test_extreme_words_do_not_leak_between_lanes():
    # All-0x00 and all-0xff blocks push every lane to its carry/borrow limits.
    expanded = _rc2.expand_key(b"\xff" * 16, 128)
    iv = bytes(8)
    data = (b"\x00" * 8 + b"\xff" * 8) * 50
    assert _rc2.cbc_decrypt(expanded, iv, data) == _pyca_rc2_128(b"\xff" * 16, iv, data, False)


def test_lane_sums_at_their_bound_do_not_leak():
    # K[j] = 0 makes the added constant 0x10001, its largest; every word 0xffff makes rotated
    # words and the complemented f reach 0xffff and pulls set bits in from the next lane: the
    # lane sum peaks near its bound. Compare with block-by-block decryption.
    zeros = (0,) * 64
    for k in (zeros, tuple(range(64)), (0xFFFF,) * 64):
        data = (b"\xff" * 8 + b"\x00" * 8 + b"\xff\x00" * 4) * 30
        blockwise = b"".join(_rc2.decrypt_block(k, data[i : i + 8]) for i in range(0, len(data), 8))
        iv = bytes(8)
        chained = bytes(a ^ b for a, b in zip(blockwise, iv + data[:-8]))
        assert _rc2.cbc_decrypt(k, iv, data) == chained
