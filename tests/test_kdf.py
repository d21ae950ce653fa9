"""Tests for pkcs12kit.kdf: password encodings, the PKCS#12 KDF, PBKDF1, PBKDF2 and scrypt.

Truth comes from published vectors (Dr S. Henson's PKCS#12 KDF set, RFC 6070, RFC 7914), the
`openssl kdf` program, and pyca/cryptography as an oracle.
"""

import hashlib
import subprocess

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from pkcs12kit.errors import (
    EncodeError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from pkcs12kit.kdf import Password, PasswordForm, pbkdf1, pbkdf2, pkcs12_kdf, scrypt
from tools import require_tool




# --- password forms (RFC 7292 appendix B.1; RFC 8018 section 3) --------------------------------


def test_ascii_password_is_bmp_big_endian_with_terminator():
    (form,) = Password("Beavis").forms()
    assert form.label == "utf-16"
    assert form.bmp == bytes.fromhex("0042 0065 0061 0076 0069 0073 0000")
    assert form.utf8 == b"Beavis"


def test_non_bmp_character_becomes_a_surrogate_pair():
    # U+1F600 GRINNING FACE: UTF-16 D83D DE00, UTF-8 F0 9F 98 80.
    standard, legacy = Password("a\U0001F600").forms()
    assert standard.label == "utf-16"
    assert standard.bmp == bytes.fromhex("0061 D83D DE00 0000")
    assert standard.utf8 == bytes.fromhex("61 F09F9880")
    assert legacy.label == "openssl-legacy"
    assert legacy.bmp == bytes.fromhex("0061 00F0 009F 0098 0080 0000")
    assert legacy.utf8 == standard.utf8


def test_latin1_password_has_standard_and_openssl_legacy_forms():
    standard, legacy = Password("é").forms()
    assert standard.bmp == bytes.fromhex("00E9 0000")
    assert legacy.bmp == bytes.fromhex("00C3 00A9 0000")
    assert standard.utf8 == legacy.utf8 == bytes.fromhex("C3A9")


def test_empty_string_tries_empty_then_absent():
    empty, absent = Password("").forms()
    assert (empty.label, empty.bmp, empty.utf8) == ("empty", b"\x00\x00", b"")
    assert (absent.label, absent.bmp, absent.utf8) == ("absent", b"", b"")


def test_none_tries_absent_then_empty():
    assert [f.label for f in Password(None).forms()] == ["absent", "empty"]
    assert [f.bmp for f in Password(None).forms()] == [b"", b"\x00\x00"]


def test_bytes_that_decode_as_utf8_are_text():
    assert Password("é".encode()).forms() == Password("é").forms()
    assert Password(b"").forms() == Password("").forms()


def test_bytes_that_are_not_utf8_are_widened_like_openssl_asc2uni():
    (form,) = Password(b"\xff\x41").forms()
    assert form.bmp == bytes.fromhex("00FF 0041 0000")
    assert form.utf8 == b"\xff\x41"


@pytest.mark.parametrize("bad", [1234, ["pw"], 1.5])
def test_password_of_wrong_type_is_a_type_error(bad):
    with pytest.raises(TypeError):
        Password(bad)


def test_lone_surrogate_is_an_encode_error_that_does_not_echo_it():
    with pytest.raises(EncodeError) as info:
        Password("pw\ud800")
    assert "\ud800" not in str(info.value)
    assert info.value.__cause__ is None


def test_repr_never_shows_the_password():
    password = Password("hunter2")
    assert "hunter2" not in repr(password)
    assert "hunter2" not in repr(password.forms())
    assert "0068" not in repr(password.forms()).lower()


# --- PKCS#12 KDF (RFC 7292 appendix B.2) -----------------------------------------------------

# Dr S. Henson's vectors (drh-consultancy.demon.co.uk/test.txt), also in BouncyCastle's
# PKCS12Test and OpenSSL's history: (password, salt, id, iterations, expected).
HENSON = [
    ("smeg", "0A58CF64530D823F", 1, 1, "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3"),
    ("smeg", "0A58CF64530D823F", 2, 1, "79993DFE048D3B76"),
    ("smeg", "642B99AB44FB4B1F", 1, 1, "F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966"),
    ("smeg", "642B99AB44FB4B1F", 2, 1, "C0A38D64A79BEA1D"),
    ("smeg", "3D83C0E4546AC140", 3, 1, "8D967D88F6CAA9D714800AB3D48051D63F73A312"),
    ("queeg", "05DEC959ACFF72F7", 1, 1000, "ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4"),
    ("queeg", "05DEC959ACFF72F7", 2, 1000, "11DEDAD7758D4860"),
    ("queeg", "1682C0FC5B3F7EC5", 1, 1000, "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F"),
    ("queeg", "1682C0FC5B3F7EC5", 2, 1000, "9D461D1B00355C50"),
    ("queeg", "263216FCC2FAB31C", 3, 1000, "5EC4C7A80DF652294C3925B6489A7AB857C83476"),
]


@pytest.mark.parametrize("password, salt, key_id, iterations, expected", HENSON)
def test_pkcs12_kdf_published_vectors(password, salt, key_id, iterations, expected):
    (form,) = Password(password).forms()
    out = pkcs12_kdf("sha1", form.bmp, bytes.fromhex(salt), key_id, iterations, len(expected) // 2)
    assert out.hex().upper() == expected


def openssl_pkcs12_kdf(digest, password_bytes, salt, key_id, iterations, length):
    """The same derivation by `openssl kdf ... PKCS12KDF` (OpenSSL 3). `hexpass` feeds the exact
    octets: its `pass:` option would use the ASCII bytes without the BMP conversion."""
    openssl = require_tool("openssl")
    out = subprocess.run(
        [
            openssl, "kdf", "-keylen", str(length), "-kdfopt", f"digest:{digest}",
            "-kdfopt", f"hexpass:{password_bytes.hex()}", "-kdfopt", f"hexsalt:{salt.hex()}",
            "-kdfopt", f"iter:{iterations}", "-kdfopt", f"id:{key_id}", "PKCS12KDF",
        ],
        check=True, capture_output=True, text=True,
    ).stdout
    return bytes.fromhex(out.strip().replace(":", ""))


OPENSSL_DIGESTS = {
    "sha1": "SHA1",
    "sha224": "SHA224",
    "sha256": "SHA256",
    "sha384": "SHA384",
    "sha512": "SHA512",
    "sha512_224": "SHA512-224",
    "sha512_256": "SHA512-256",
    "sha3_224": "SHA3-224",
    "sha3_256": "SHA3-256",
    "sha3_384": "SHA3-384",
    "sha3_512": "SHA3-512",
}


@pytest.mark.parametrize("hash_name", sorted(OPENSSL_DIGESTS))
@pytest.mark.parametrize(
    "password, salt, key_id, iterations, length",
    [
        ("Beavis", bytes.fromhex("0102030405060708"), 1, 2048, 32),
        ("Beavis", bytes.fromhex("0102030405060708"), 2, 3, 16),
        ("Beavis", bytes.fromhex("0102030405060708"), 3, 7, 64),
        # Several output blocks and salt/password lengths that are not block multiples: the
        # I_j + B + 1 step of appendix B.2 step 6C runs, with carries across octets.
        ("a rather long password of more than sixty-four characters......!", b"\xff" * 20, 1, 5, 150),
        ("é\U0001F600", b"\xff" * 129, 2, 2, 97),
        ("", b"\x00" * 8, 1, 1, 24),
        (None, b"\x80" * 8, 3, 4, 20),
    ],
)
def test_pkcs12_kdf_matches_openssl(hash_name, password, salt, key_id, iterations, length):
    form = Password(password).forms()[0]
    expected = openssl_pkcs12_kdf(
        OPENSSL_DIGESTS[hash_name], form.bmp, salt, key_id, iterations, length
    )
    assert pkcs12_kdf(hash_name, form.bmp, salt, key_id, iterations, length) == expected


def test_pkcs12_kdf_refuses_unknown_hashes():
    for name in ("md2", "whirlpool", "shake128"):
        with pytest.raises(UnsupportedAlgorithmError):
            pkcs12_kdf(name, b"\x00\x00", b"salt", 1, 1, 8)


# --- PBKDF1 (RFC 8018 section 5.1) -----------------------------------------------------------


@pytest.mark.parametrize("hash_name", ["md5", "sha1"])
def test_pbkdf1_is_the_iterated_hash_of_password_and_salt(hash_name):
    # The definition written out with hashlib: T1 = H(P || S), T2 = H(T1), T3 = H(T2).
    t = hashlib.new(hash_name, b"password" + b"saltsalt").digest()
    t = hashlib.new(hash_name, hashlib.new(hash_name, t).digest()).digest()
    assert pbkdf1(hash_name, b"password", b"saltsalt", 3, 16) == t[:16]


def test_pbkdf1_md2_is_unsupported_and_long_keys_are_refused():
    with pytest.raises(UnsupportedAlgorithmError):
        pbkdf1("md2", b"pw", b"saltsalt", 1, 16)
    with pytest.raises(ValueError):
        pbkdf1("md5", b"pw", b"saltsalt", 1, 17)


# --- PBKDF2 (RFC 8018 section 5.2) -----------------------------------------------------------


@pytest.mark.parametrize(
    "password, salt, iterations, length, expected",
    [  # RFC 6070 section 2
        (b"password", b"salt", 1, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6"),
        (b"password", b"salt", 2, 20, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
        (b"password", b"salt", 4096, 20, "4b007901b765489abead49d926f721d065a429c1"),
        (
            b"passwordPASSWORDpassword",
            b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
            4096,
            25,
            "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038",
        ),
        (b"pass\0word", b"sa\0lt", 4096, 16, "56fa6aa75548099dcc37d7f03425e0c3"),
    ],
)
def test_pbkdf2_rfc6070(password, salt, iterations, length, expected):
    assert pbkdf2("sha1", password, salt, iterations, length).hex() == expected


@pytest.mark.parametrize(
    "prf, algorithm",
    [
        ("sha224", hashes.SHA224()),
        ("sha256", hashes.SHA256()),
        ("sha384", hashes.SHA384()),
        ("sha512", hashes.SHA512()),
        ("sha512_224", hashes.SHA512_224()),
        ("sha512_256", hashes.SHA512_256()),
    ],
)
def test_pbkdf2_other_prfs_match_cryptography(prf, algorithm):
    expected = PBKDF2HMAC(algorithm, 40, b"salty", 1000).derive("é".encode())
    assert pbkdf2(prf, "é".encode(), b"salty", 1000, 40) == expected


def test_pbkdf2_unknown_prf_is_unsupported():
    with pytest.raises(UnsupportedAlgorithmError):
        pbkdf2("md5", b"pw", b"salt", 1, 16)


# --- scrypt (RFC 7914) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, salt, n, r, p, expected",
    [  # RFC 7914 section 12 (the first two vectors)
        (
            b"", b"", 16, 1, 1,
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
        ),
        (
            b"password", b"NaCl", 1024, 8, 16,
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
        ),
    ],
)
def test_scrypt_rfc7914(password, salt, n, r, p, expected):
    assert scrypt(password, salt, n, r, p, 64, max_memory=64 << 20).hex() == expected


def test_scrypt_over_the_memory_limit_is_refused():
    with pytest.raises(LimitExceededError, match="max_scrypt_memory"):
        scrypt(b"pw", b"salt", 1 << 20, 8, 1, 32, max_memory=16 << 20, where="test")


@pytest.mark.parametrize(
    "n, r, p",
    [(1000, 8, 1), (1, 8, 1), (0, 8, 1), (16, 0, 1), (16, 8, 0), (16, 1 << 29, 4), (1 << 20, 1, 1)],
)
def test_scrypt_invalid_parameters_are_malformed(n, r, p):
    # The last case breaks RFC 7914 section 2's N < 2^(128·r/8); (16, 2^29, 4) breaks p·r < 2^30
    # and must be refused without computing with the huge r.
    with pytest.raises(MalformedError):
        scrypt(b"pw", b"salt", n, r, p, 32, max_memory=1 << 40)


def test_password_form_is_frozen():
    form = PasswordForm("utf-16", b"\x00a\x00\x00", b"a")
    with pytest.raises(AttributeError):
        form.label = "x"
