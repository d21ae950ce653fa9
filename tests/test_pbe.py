"""Tests for pkcs12kit.pbe against the openssl program.

Decode: `openssl pkcs8 -topk8 -v1/-v2/-scrypt` encrypts a key; pbe.decrypt must give exactly the
PKCS#8 DER that `openssl pkcs8 -topk8 -nocrypt` gives. Encode: pbe.encrypt's output, wrapped in
an EncryptedPrivateKeyInfo, must decrypt under openssl to the same DER.
"""

import pathlib
import re
import subprocess

import pytest
from asn1crypto import algos, core

from pkcs12kit import asn1, kdf, pbe
from pkcs12kit.ciphers import get_provider
from pkcs12kit.errors import (
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from pkcs12kit.kdf import Password
from pkcs12kit.limits import DEFAULT_LIMITS, Limits, WorkBudget
from pkcs12kit.model import Protection

PASSWORD = "s3cret pass"
LEGACY = ["-provider", "legacy", "-provider", "default"]




def openssl(*args, data=None):
    return subprocess.run(
        [require_tool("openssl"), *args], input=data, check=True, capture_output=True
    ).stdout


@pytest.fixture(scope="module")
def key_pem(tmp_path_factory):
    path = tmp_path_factory.mktemp("pbe") / "key.pem"
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(path))
    return path


@pytest.fixture(scope="module")
def plain_der(key_pem):
    return openssl("pkcs8", "-topk8", "-nocrypt", "-in", str(key_pem), "-outform", "DER")


def form(password=PASSWORD):
    return Password(password).forms()[0]


def budget():
    return WorkBudget(DEFAULT_LIMITS)


def split(epki_der):
    epki = asn1.EncryptedPrivateKeyInfo.load(epki_der)
    return epki["encryption_algorithm"].dump(), epki["encrypted_data"].native


# (openssl options, expected Protection fields)
OPENSSL_SCHEMES = [
    (["-v1", "PBE-SHA1-3DES"], dict(scheme="pkcs12_sha1_tripledes_3key", cipher="tripledes_3key", kdf="pkcs12", prf="sha1")),
    (["-v1", "PBE-SHA1-2DES"], dict(scheme="pkcs12_sha1_tripledes_2key", cipher="tripledes_2key", kdf="pkcs12")),
    (["-v1", "PBE-SHA1-RC2-40"], dict(scheme="pkcs12_sha1_rc2_40", cipher="rc2", rc2_bits=40)),
    (["-v1", "PBE-SHA1-RC2-128"], dict(scheme="pkcs12_sha1_rc2_128", cipher="rc2", rc2_bits=128)),
    (["-v1", "PBE-SHA1-RC4-40"], dict(scheme="pkcs12_sha1_rc4_40", cipher="rc4")),
    (["-v1", "PBE-SHA1-RC4-128"], dict(scheme="pkcs12_sha1_rc4_128", cipher="rc4")),
    (["-v1", "PBE-MD5-DES"], dict(scheme="pbes1_md5_des", cipher="des", kdf="pbkdf1", prf="md5")),
    (["-v1", "PBE-SHA1-DES"], dict(scheme="pbes1_sha1_des", cipher="des", prf="sha1")),
    (["-v1", "PBE-MD5-RC2-64"], dict(scheme="pbes1_md5_rc2", cipher="rc2", rc2_bits=64)),
    (["-v1", "PBE-SHA1-RC2-64"], dict(scheme="pbes1_sha1_rc2", cipher="rc2", rc2_bits=64)),
    (["-v2", "aes-256-cbc"], dict(scheme="pbes2", cipher="aes256_cbc", kdf="pbkdf2", prf="sha256")),
    (["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA512"], dict(cipher="aes256_cbc", prf="sha512")),
    (["-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA384"], dict(cipher="aes192_cbc", prf="sha384")),
    (["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"], dict(cipher="aes128_cbc", prf="sha1")),
    (["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA224"], dict(cipher="aes128_cbc", prf="sha224")),
    (["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA512-224"], dict(prf="sha512_224")),
    (["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA512-256"], dict(prf="sha512_256")),
    (["-v2", "des-ede3-cbc"], dict(cipher="tripledes_3key", key_length=None)),
    (["-v2", "des-cbc"], dict(cipher="des")),
    (["-v2", "rc2-cbc"], dict(cipher="rc2", rc2_bits=128, key_length=16)),
    (["-v2", "rc2-64-cbc"], dict(cipher="rc2", rc2_bits=64, key_length=8)),
    (["-v2", "rc2-40-cbc"], dict(cipher="rc2", rc2_bits=40, key_length=5)),
    # Issue 14: the other CBC ciphers of OpenSSL 3.0 (SEED from the legacy provider).
    (["-v2", "camellia-128-cbc"], dict(cipher="camellia128_cbc", prf="sha256")),
    (["-v2", "camellia-192-cbc"], dict(cipher="camellia192_cbc")),
    (["-v2", "camellia-256-cbc", "-v2prf", "hmacWithSHA512"], dict(cipher="camellia256_cbc", prf="sha512")),
    (["-v2", "aria-128-cbc"], dict(cipher="aria128_cbc")),
    (["-v2", "aria-192-cbc"], dict(cipher="aria192_cbc")),
    (["-v2", "aria-256-cbc"], dict(cipher="aria256_cbc")),
    (["-v2", "sm4-cbc"], dict(cipher="sm4_cbc")),
    (["-v2", "seed-cbc"], dict(cipher="seed_cbc")),
    (["-scrypt"], dict(scheme="pbes2", cipher="aes256_cbc", kdf="scrypt", prf=None, iterations=None,
                       scrypt_n=16384, scrypt_r=8, scrypt_p=1)),
    (["-scrypt", "-scrypt_N", "1024", "-scrypt_r", "4", "-scrypt_p", "3", "-v2", "aes-128-cbc"],
     dict(kdf="scrypt", cipher="aes128_cbc", scrypt_n=1024, scrypt_r=4, scrypt_p=3)),
]


@pytest.mark.parametrize("options, expected", OPENSSL_SCHEMES, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_decrypt_openssl_output(key_pem, plain_der, options, expected):
    epki = openssl(
        "pkcs8", "-topk8", *options, *LEGACY, "-in", str(key_pem), "-outform", "DER",
        "-passout", f"pass:{PASSWORD}",
    )
    algorithm_der, ciphertext = split(epki)
    plaintext, protection = pbe.decrypt(
        algorithm_der, ciphertext, form(), budget=budget(), where="test"
    )
    assert plaintext == plain_der
    for field, value in expected.items():
        assert getattr(protection, field) == value, field
    if protection.kdf != "scrypt":
        assert protection.iterations == 2048  # openssl's default
    assert protection.salt_length in (8, 16)


@pytest.mark.parametrize(
    "options, password, label",
    [
        (["-v1", "PBE-SHA1-3DES"], "", "empty"),  # openssl hashes the BMP terminator alone
        (["-v1", "PBE-SHA1-3DES"], "é\U0001F600", "utf-16"),  # OpenSSL 3: UTF-16 with surrogates
        (["-v2", "aes-256-cbc"], "é\U0001F600", "utf-16"),  # PBES2: the UTF-8 octets
    ],
)
def test_decrypt_openssl_output_with_special_passwords(key_pem, plain_der, options, password, label):
    epki = openssl(
        "pkcs8", "-topk8", *options, "-in", str(key_pem), "-outform", "DER",
        "-passout", f"pass:{password}",
    )
    algorithm_der, ciphertext = split(epki)
    (chosen,) = [f for f in Password(password).forms() if f.label == label]
    plaintext, _ = pbe.decrypt(algorithm_der, ciphertext, chosen, budget=budget(), where="test")
    assert plaintext == plain_der


# Protections written by hand (not taken from decrypt) for the encode direction.
ENCODE_CASES = [
    Protection("pkcs12_sha1_tripledes_3key", iterations=2048),
    Protection("pkcs12_sha1_tripledes_2key", iterations=1),
    Protection("pkcs12_sha1_rc2_40", iterations=2048),
    Protection("pkcs12_sha1_rc2_128", iterations=100),
    Protection("pkcs12_sha1_rc4_40", iterations=2048),
    Protection("pkcs12_sha1_rc4_128", iterations=2048),
    Protection("pbes1_md5_des", iterations=2048),
    Protection("pbes1_sha1_des", iterations=2048),
    Protection("pbes1_md5_rc2", iterations=2048),
    Protection("pbes1_sha1_rc2", iterations=2048),
    Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", prf="sha256", iterations=2048),
    Protection("pbes2", cipher="aes192_cbc", kdf="pbkdf2", prf="sha512_256", iterations=10),
    Protection("pbes2", cipher="aes128_cbc", kdf="pbkdf2", prf="sha1", iterations=10, key_length=16),
    Protection("pbes2", cipher="tripledes_3key", kdf="pbkdf2", prf="sha384", iterations=10),
    Protection("pbes2", cipher="des", kdf="pbkdf2", prf="sha224", iterations=10),
    Protection("pbes2", cipher="rc2", kdf="pbkdf2", prf="sha256", iterations=10),
    Protection("pbes2", cipher="rc2", kdf="pbkdf2", prf="sha256", iterations=10, key_length=5, rc2_bits=40),
    Protection("pbes2", cipher="aes256_cbc", kdf="scrypt", scrypt_n=1024, scrypt_r=8, scrypt_p=2),
    # Issue 14: the other CBC ciphers OpenSSL 3.0 reads (SEED with the legacy provider).
    *(Protection("pbes2", cipher=cipher, kdf="pbkdf2", prf="sha256", iterations=10)
      for cipher in ("camellia128_cbc", "camellia192_cbc", "camellia256_cbc", "aria128_cbc",
                     "aria192_cbc", "aria256_cbc", "sm4_cbc", "seed_cbc")),
]


def iv_for(protection):
    if protection.kdf not in ("pbkdf2", "scrypt"):
        return None
    return bytes(range(pbe.iv_length(protection.cipher)))


@pytest.mark.parametrize("protection", ENCODE_CASES, ids=lambda p: f"{p.scheme}-{p.cipher}-{p.kdf}")
def test_encrypt_is_read_by_openssl(tmp_path, plain_der, protection):
    algorithm_der, ciphertext = pbe.encrypt(
        protection, plain_der, form(), salt=b"0123456789abcdef", iv=iv_for(protection)
    )
    epki = asn1.EncryptedPrivateKeyInfo(
        {
            "encryption_algorithm": asn1.EncryptionAlgorithm.load(algorithm_der),
            "encrypted_data": ciphertext,
        }
    ).dump()
    path = tmp_path / "enc.der"
    path.write_bytes(epki)
    out = openssl(
        "pkcs8", "-topk8", "-nocrypt", *LEGACY, "-inform", "DER", "-in", str(path),
        "-passin", f"pass:{PASSWORD}", "-outform", "DER",
    )
    assert out == plain_der
    # And our own decoder reads back the scheme that was asked for.
    again, decoded = pbe.decrypt(algorithm_der, ciphertext, form(), budget=budget(), where="test")
    assert again == plain_der
    for field in ("scheme", "iterations", "scrypt_n", "scrypt_r", "scrypt_p"):
        assert getattr(decoded, field) == getattr(protection, field)
    if protection.cipher:
        assert decoded.cipher == protection.cipher
    if protection.rc2_bits:
        assert decoded.rc2_bits == protection.rc2_bits


def test_encrypt_is_deterministic_and_salt_dependent(plain_der):
    protection = ENCODE_CASES[10]
    one = pbe.encrypt(protection, plain_der, form(), salt=b"a" * 16, iv=b"i" * 16)
    assert one == pbe.encrypt(protection, plain_der, form(), salt=b"a" * 16, iv=b"i" * 16)
    assert one != pbe.encrypt(protection, plain_der, form(), salt=b"b" * 16, iv=b"i" * 16)


def test_pbes2_encoding_is_der_with_openssl_layout():
    # PRF with NULL parameters, hmacWithSHA1 omitted (DEFAULT), keyLength only when asked.
    der, _ = pbe.encrypt(
        Protection("pbes2", cipher="aes128_cbc", kdf="pbkdf2", prf="sha1", iterations=5),
        b"x", form(), salt=b"s" * 8, iv=b"i" * 16,
    )
    params = algos.EncryptionAlgorithm.load(der)["parameters"]["key_derivation_func"]["parameters"]
    assert params.dump() == bytes.fromhex("300d0408") + b"s" * 8 + bytes.fromhex("020105")
    der, _ = pbe.encrypt(
        Protection("pbes2", cipher="aes128_cbc", kdf="pbkdf2", prf="sha256", iterations=5),
        b"x", form(), salt=b"s" * 8, iv=b"i" * 16,
    )
    assert bytes.fromhex("300c06082a864886f70d02090500") in der


# --- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("protection", [p for p in ENCODE_CASES if p.cipher != "rc4" and "rc4" not in p.scheme],
                         ids=lambda p: f"{p.scheme}-{p.cipher}-{p.kdf}")
def test_wrong_password_is_bad_password(protection):
    # Fixed salt and IV: these inputs were checked to fail the padding check with "wrong".
    algorithm_der, ciphertext = pbe.encrypt(
        protection, b"attack at dawn", form(), salt=b"0123456789abcdef", iv=iv_for(protection)
    )
    with pytest.raises(BadPasswordError, match="^here: decryption failed"):
        pbe.decrypt(algorithm_der, ciphertext, form("wrong"), budget=budget(), where="here")


def test_rc4_has_no_padding_to_check():
    algorithm_der, ciphertext = pbe.encrypt(
        Protection("pkcs12_sha1_rc4_128", iterations=1), b"abc", form(), salt=b"s" * 8, iv=None
    )
    assert len(ciphertext) == 3
    plaintext, _ = pbe.decrypt(algorithm_der, ciphertext, form(), budget=budget(), where="t")
    assert plaintext == b"abc"


def pbes2_der(iterations=2048, key_length=None, prf="sha256", cipher="aes256_cbc", iv=b"i" * 16):
    kdf_params = {"salt": {"specified": b"s" * 8}, "iteration_count": iterations,
                  "prf": {"algorithm": prf, "parameters": core.Null()}}
    if key_length is not None:
        kdf_params["key_length"] = key_length
    return asn1.EncryptionAlgorithm({
        "algorithm": "pbes2",
        "parameters": {
            "key_derivation_func": {"algorithm": "pbkdf2", "parameters": kdf_params},
            "encryption_scheme": {"algorithm": cipher, "parameters": core.OctetString(iv)},
        },
    }).dump()


def forbid_hashing(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("a key was derived before the limits were checked")

    for name in ("pkcs12_kdf", "pbkdf1", "pbkdf2", "scrypt"):
        monkeypatch.setattr(kdf, name, boom)


def test_huge_pbkdf2_iterations_are_refused_before_hashing(monkeypatch):
    forbid_hashing(monkeypatch)
    with pytest.raises(LimitExceededError, match="^safe: iteration count"):
        pbe.decrypt(pbes2_der(iterations=2**31), b"\0" * 16, form(), budget=budget(), where="safe")


def test_huge_pkcs12_iterations_are_refused_before_hashing(monkeypatch):
    forbid_hashing(monkeypatch)
    der = asn1.EncryptionAlgorithm(
        {"algorithm": "pkcs12_sha1_tripledes_3key", "parameters": {"salt": b"s" * 8, "iterations": 10**12}}
    ).dump()
    with pytest.raises(LimitExceededError):
        pbe.decrypt(der, b"\0" * 8, form(), budget=budget(), where="safe")


def test_total_iterations_budget_is_shared_across_calls(monkeypatch):
    shared = WorkBudget(Limits(max_total_iterations=3000))
    der = pbes2_der(iterations=2000)
    ciphertext = b"\0" * 16
    with pytest.raises(BadPasswordError):
        pbe.decrypt(der, ciphertext, form(), budget=shared, where="a")
    forbid_hashing(monkeypatch)
    with pytest.raises(LimitExceededError, match="max_total_iterations"):
        pbe.decrypt(der, ciphertext, form(), budget=shared, where="b")


def scrypt_der(n, r=8, p=1):
    return asn1.EncryptionAlgorithm({
        "algorithm": "pbes2",
        "parameters": {
            "key_derivation_func": {"algorithm": "scrypt", "parameters": {
                "salt": b"s" * 8, "cost_parameter": n, "block_size": r, "parallelization_parameter": p}},
            "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": core.OctetString(b"i" * 16)},
        },
    }).dump()


def test_scrypt_memory_and_work_are_refused_before_hashing(monkeypatch):
    forbid_hashing(monkeypatch)
    with pytest.raises(LimitExceededError, match="max_scrypt_memory"):
        pbe.decrypt(scrypt_der(2**30), b"\0" * 16, form(), budget=budget(), where="s")
    # Little memory but a huge parallelization parameter: refused as work, not run.
    with pytest.raises(LimitExceededError, match="iteration"):
        pbe.decrypt(scrypt_der(2**14, p=100_000), b"\0" * 16, form(), budget=budget(), where="s")
    with pytest.raises(MalformedError, match="power of two"):
        pbe.decrypt(scrypt_der(1000), b"\0" * 16, form(), budget=budget(), where="s")


def test_unknown_scheme_oid_is_named():
    der = asn1.EncryptionAlgorithm({"algorithm": "1.2.3.4.5", "parameters": core.Null()}).dump()
    with pytest.raises(UnsupportedAlgorithmError, match=r"^safe: .*1\.2\.3\.4\.5"):
        pbe.decrypt(der, b"\0" * 16, form(), budget=budget(), where="safe")


def test_unknown_pbes2_parts_are_named():
    der = pbes2_der(cipher="1.2.3.4.6")
    with pytest.raises(UnsupportedAlgorithmError, match=r"1\.2\.3\.4\.6"):
        pbe.decrypt(der, b"\0" * 16, form(), budget=budget(), where="safe")
    unknown_kdf = asn1.EncryptionAlgorithm({
        "algorithm": "pbes2",
        "parameters": {
            "key_derivation_func": {"algorithm": "1.2.3.4.7", "parameters": core.Null()},
            "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": core.OctetString(b"i" * 16)},
        },
    }).dump()
    with pytest.raises(UnsupportedAlgorithmError, match=r"1\.2\.3\.4\.7"):
        pbe.decrypt(unknown_kdf, b"\0" * 16, form(), budget=budget(), where="safe")


def test_known_but_unusable_schemes_are_unsupported():
    md2 = asn1.EncryptionAlgorithm(
        {"algorithm": "pbes1_md2_des", "parameters": {"salt": b"s" * 8, "iterations": 1}}
    ).dump()
    with pytest.raises(UnsupportedAlgorithmError, match="pbes1_md2_des"):
        pbe.decrypt(md2, b"\0" * 8, form(), budget=budget(), where="safe")
    not_pbe = asn1.EncryptionAlgorithm({"algorithm": "aes256_cbc", "parameters": b"i" * 16}).dump()
    with pytest.raises(UnsupportedAlgorithmError, match="not a password-based"):
        pbe.decrypt(not_pbe, b"\0" * 16, form(), budget=budget(), where="safe")


@pytest.mark.parametrize(
    "der, ciphertext, message",
    [
        (b"\x30\x03\x06\x01", b"\0" * 16, "cannot be parsed"),
        (b"not der at all", b"\0" * 16, "cannot be parsed"),
        (pbes2_der(), b"\0" * 15, "not a positive multiple"),
        (pbes2_der(), b"", "not a positive multiple"),
        (pbes2_der(key_length=16), b"\0" * 16, "keyLength 16 does not fit aes256_cbc"),
        (pbes2_der(iv=b"short"), b"\0" * 16, "iv is not one block"),
    ],
)
def test_malformed_parameters(der, ciphertext, message):
    with pytest.raises(MalformedError, match=message):
        pbe.decrypt(der, ciphertext, form(), budget=budget(), where="safe")


def test_rc2_bare_iv_parameter_means_32_bits():
    # RFC 2268 section 6: an RC2-CBC parameter that is only the IV means 32 effective bits.
    # The ciphertext comes from the cipher provider directly (RC2, 16-byte key, 32 bits).
    iv = b"v" * 8
    key = kdf.pbkdf2("sha256", form().utf8, b"s" * 8, 3, 16)
    plaintext = b"sixteen octets!!" + b"\x08" * 8
    ciphertext = get_provider().cbc_encrypt("rc2", key, iv, plaintext, rc2_bits=32)
    der = asn1.EncryptionAlgorithm({
        "algorithm": "pbes2",
        "parameters": {
            "key_derivation_func": {"algorithm": "pbkdf2", "parameters": {
                "salt": {"specified": b"s" * 8}, "iteration_count": 3,
                "prf": {"algorithm": "sha256", "parameters": core.Null()}}},
            "encryption_scheme": {"algorithm": "rc2",
                                  "parameters": asn1.Rc2CbcParameter(name="iv", value=iv)},
        },
    }).dump()
    out, protection = pbe.decrypt(der, ciphertext, form(), budget=budget(), where="t")
    assert out == b"sixteen octets!!"
    assert protection.rc2_bits == 32


@pytest.mark.parametrize(
    "protection, iv",
    [
        (Protection("pbes1_md2_des", iterations=1), None),
        (Protection("rot13", iterations=1), None),
        (Protection("pkcs12_sha1_tripledes_3key", iterations=1), b"i" * 8),
        (Protection("pkcs12_sha1_tripledes_3key"), None),
        (Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", iterations=1), None),
        (Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", iterations=1), b"i" * 8),
        (Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", iterations=1, key_length=16), b"i" * 16),
        (Protection("pbes2", cipher="aes256_gcm", kdf="pbkdf2", iterations=1), b"i" * 16),
        (Protection("pbes2", cipher="rc2", kdf="pbkdf2", iterations=1, rc2_bits=33), b"i" * 8),
        (Protection("pbes2", cipher="rc2", kdf="pbkdf2", iterations=1, rc2_bits=2048), b"i" * 8),
        (Protection("pbes2", cipher="rc2", kdf="pbkdf2", iterations=1, key_length=129), b"i" * 8),
        (Protection("pbes2", cipher="aes256_cbc", kdf="scrypt", scrypt_n=1000, scrypt_r=8, scrypt_p=1), b"i" * 16),
        (Protection("pbes2", cipher="aes256_cbc", kdf="argon2", iterations=1), b"i" * 16),
        (Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", prf="md5", iterations=1), b"i" * 16),
    ],
)
def test_encrypt_refuses_what_cannot_be_written(protection, iv):
    with pytest.raises(EncodeError):
        pbe.encrypt(protection, b"data", form(), salt=b"s" * 8, iv=iv)


def test_argument_types():
    with pytest.raises(TypeError):
        pbe.decrypt("text", b"", form(), budget=budget(), where="t")
    with pytest.raises(TypeError):
        pbe.decrypt(pbes2_der(), b"\0" * 16, "password", budget=budget(), where="t")
    with pytest.raises(TypeError):
        pbe.encrypt("pbes2", b"", form(), salt=b"", iv=None)


def test_scheme_table_lists_every_pkcs12_and_pkcs5_scheme():
    # Every PBE OID asn1crypto names is in the table (supported or explicitly not).
    pbe_names = {n for n in algos.EncryptionAlgorithmId._map.values() if n.startswith(("pkcs12_", "pbes"))}
    assert pbe_names == set(pbe.scheme_names())


DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "algorithms.md"


def test_docs_algorithms_example_runs():
    page = DOC.read_text()
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/algorithms.md", "exec"), {})


def test_docs_algorithms_table_covers_the_scheme_table():
    page = DOC.read_text()
    for name in pbe.scheme_names() + pbe.pbes2_cipher_names():
        assert f"`{name}`" in page, name


def test_unknown_prf_is_unsupported_in_pbes2():
    # hmacWithMD5 (RFC 8018 has no such PRF; the OID is RFC 2104's HMAC-MD5) is named by its OID.
    with pytest.raises(UnsupportedAlgorithmError, match=r"1\.2\.840\.113549\.2\.6"):
        pbe.decrypt(pbes2_der(prf="1.2.840.113549.2.6"), b"\0" * 16, form(), budget=budget(), where="safe")


def test_rc2_version_over_1024_bits_is_malformed():
    der = asn1.EncryptionAlgorithm({
        "algorithm": "pbes2",
        "parameters": {
            "key_derivation_func": {"algorithm": "pbkdf2", "parameters": {
                "salt": {"specified": b"s" * 8}, "iteration_count": 1}},
            "encryption_scheme": {"algorithm": "rc2", "parameters": asn1.Rc2CbcParameter(
                name="params", value={"rc2_parameter_version": 5000, "iv": b"v" * 8})},
        },
    }).dump()
    with pytest.raises(MalformedError, match="over 1024 bits"):
        pbe.decrypt(der, b"\0" * 8, form(), budget=budget(), where="t")


# --- properties ------------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from pkcs12kit.errors import PKCS12Error  # noqa: E402
from tools import require_tool

VALID_DERS = [
    pbe.encrypt(p, b"x", form(), salt=b"saltsalt", iv=iv_for(p))[0]
    for p in ENCODE_CASES
    if p.kdf != "scrypt"
] + [scrypt_der(16, r=1)]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(VALID_DERS),
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=0, max_value=255),
    st.binary(min_size=0, max_size=40),
)
def test_mutated_parameters_only_raise_pkcs12_errors(der, position, value, ciphertext):
    # Cheap limits keep each example fast; any outcome but a PKCS12Error or success is a bug.
    mutated = bytearray(der)
    mutated[position % len(mutated)] = value
    small = WorkBudget(Limits(max_iterations=5000, max_total_iterations=5000, max_scrypt_memory=1 << 20))
    try:
        pbe.decrypt(bytes(mutated), ciphertext, form(), budget=small, where="fuzz")
    except PKCS12Error as err:
        assert str(err).startswith("fuzz")


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(ENCODE_CASES[:-1]), st.binary(max_size=70), st.binary(min_size=1, max_size=20))
def test_encrypt_then_decrypt_round_trips(protection, plaintext, salt):
    der, ciphertext = pbe.encrypt(protection, plaintext, form(), salt=salt, iv=iv_for(protection))
    assert pbe.decrypt(der, ciphertext, form(), budget=budget(), where="t")[0] == plaintext


@pytest.mark.parametrize(
    "kdf_part, enc_part, what",
    [
        (None, None, "pbes2"),
        ({"algorithm": "pbkdf2"}, {"algorithm": "aes128_cbc", "parameters": core.OctetString(b"i" * 16)}, "pbkdf2"),
        ({"algorithm": "scrypt"}, {"algorithm": "aes128_cbc", "parameters": core.OctetString(b"i" * 16)}, "scrypt"),
        ({"algorithm": "scrypt"}, {"algorithm": "rc2"}, "rc2-cbc"),
    ],
)
def test_absent_parameters_are_malformed(kdf_part, enc_part, what):
    value = {"algorithm": "pbes2"}
    if kdf_part is not None:
        value["parameters"] = {"key_derivation_func": kdf_part, "encryption_scheme": enc_part}
    der = asn1.EncryptionAlgorithm(value).dump()
    with pytest.raises(MalformedError, match=f"^t: {what} parameters are missing"):
        pbe.decrypt(der, b"\0" * 16, form(), budget=budget(), where="t")
    legacy = asn1.EncryptionAlgorithm({"algorithm": "pkcs12_sha1_rc2_40"}).dump()
    with pytest.raises(MalformedError, match="parameters are missing"):
        pbe.decrypt(legacy, b"\0" * 16, form(), budget=budget(), where="t")


# --- AlgorithmIdentifiers written directly (asn1.legacy_pbe_algorithm, pbes2_pbkdf2_algorithm) ---
# Truth: asn1crypto's encoder given the same values as a dict (how pbe.encrypt wrote them before).


@pytest.mark.parametrize("cipher", sorted(c for c in pbe._PBES2_CIPHERS if c != "rc2"))
def test_pbes2_pbkdf2_algorithm_is_asn1cryptos_encoding(cipher):
    form = Password("pw").forms()[0]
    size = pbe.iv_length(cipher)
    for prf in sorted(kdf.PBKDF2_PRFS):
        for key_length in (None, pbe._PBES2_CIPHERS[cipher]):
            for iterations in (1, 127, 128, 255, 256, 32768):  # 1, 2 and 3 content octets
                protection = Protection("pbes2", cipher=cipher, kdf="pbkdf2", prf=prf, iterations=iterations,
                                        salt_length=16, key_length=key_length)
                salt, iv = bytes(range(16)), bytes(range(100, 100 + size))
                written, _ = pbe.encrypt(protection, b"plaintext", form, salt=salt, iv=iv)
                kdf_params = {"salt": {"specified": salt}, "iteration_count": iterations}
                if key_length is not None:
                    kdf_params["key_length"] = key_length
                if prf != "sha1":
                    kdf_params["prf"] = {"algorithm": prf, "parameters": core.Null()}
                expected = asn1.EncryptionAlgorithm({"algorithm": "pbes2", "parameters": {
                    "key_derivation_func": {"algorithm": "pbkdf2", "parameters": kdf_params},
                    "encryption_scheme": {"algorithm": cipher, "parameters": core.OctetString(iv)},
                }}).dump()
                assert written == expected, (prf, key_length, iterations)


@pytest.mark.parametrize("scheme", sorted(name for name, s in pbe._SCHEMES.items()
                                          if s.kdf != "pbes2" and not s.unsupported))
def test_legacy_pbe_algorithm_is_asn1cryptos_encoding(scheme):
    form = Password("pw").forms()[0]
    for iterations in (1, 127, 128, 32768):
        protection = Protection(scheme, iterations=iterations, salt_length=8)
        written, _ = pbe.encrypt(protection, b"plaintext", form, salt=b"saltsalt", iv=None)
        expected = asn1.EncryptionAlgorithm(
            {"algorithm": scheme, "parameters": {"salt": b"saltsalt", "iterations": iterations}}).dump()
        assert written == expected, iterations
