"""Cipher providers (pkcs12kit.ciphers): selection, validation, and every cipher against openssl."""

import os
import pathlib
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pkcs12kit.ciphers as ciphers
from pkcs12kit.ciphers import Provider, block_size, get_provider
from pkcs12kit.errors import MalformedError, UnsupportedAlgorithmError

PROVIDERS = ["cryptography", "oscrypto"]


def _provider(name):
    """The named provider; a provider that cannot load skips, or fails when CI=true."""
    try:
        return get_provider(name)
    except UnsupportedAlgorithmError as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{err} (CI=true: a missing provider is a failure)", pytrace=False)
        pytest.skip(str(err))


@pytest.fixture(params=PROVIDERS)
def provider(request):
    return _provider(request.param)


@pytest.fixture
def fresh(monkeypatch):
    """Empty provider cache and no PKCS12KIT_CIPHERS, restored afterwards."""
    monkeypatch.setattr(ciphers, "_cache", {})
    monkeypatch.setattr(ciphers, "_unloadable", set())
    monkeypatch.delenv("PKCS12KIT_CIPHERS", raising=False)
    return monkeypatch


def _hide(monkeypatch, *modules):
    """Make ``import module`` fail for each module, as if it were not installed."""
    for module in modules:
        for loaded in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
            monkeypatch.delitem(sys.modules, loaded)
        monkeypatch.setitem(sys.modules, module, None)
    for ours in ("pkcs12kit.ciphers._pyca", "pkcs12kit.ciphers._oscrypto"):
        monkeypatch.delitem(sys.modules, ours, raising=False)


# --- selection ---------------------------------------------------------------------------------


def test_default_is_cryptography(fresh):
    assert get_provider().name == "cryptography"


@pytest.mark.parametrize("name", PROVIDERS)
def test_explicit_name(fresh, name):
    provider = _provider(name)
    assert provider.name == name
    assert isinstance(provider, Provider)
    assert get_provider(name) is provider  # cached


def test_provider_instance_is_returned_as_is(fresh):
    class Custom(Provider):
        name = "custom"

    custom = Custom()
    assert get_provider(custom) is custom


def test_env_var_selects_provider(fresh):
    _provider("oscrypto")
    fresh.setenv("PKCS12KIT_CIPHERS", "oscrypto")
    assert get_provider().name == "oscrypto"
    # The explicit argument wins over the environment.
    assert get_provider("cryptography").name == "cryptography"


def test_empty_env_var_is_ignored(fresh):
    fresh.setenv("PKCS12KIT_CIPHERS", "")
    assert get_provider().name == "cryptography"


def test_unknown_name_lists_valid_names(fresh):
    with pytest.raises(UnsupportedAlgorithmError) as info:
        get_provider("openssl")
    message = str(info.value)
    assert "'openssl'" in message and "cryptography" in message and "oscrypto" in message


def test_unknown_env_var_names_the_variable(fresh):
    fresh.setenv("PKCS12KIT_CIPHERS", "nss")
    with pytest.raises(UnsupportedAlgorithmError, match=r"'nss' \(from \$PKCS12KIT_CIPHERS\)"):
        get_provider()


def test_wrong_type_of_name(fresh):
    with pytest.raises(TypeError):
        get_provider(3)


def test_missing_requested_provider_names_the_extra_and_the_import_error(fresh):
    _hide(fresh, "oscrypto")
    with pytest.raises(UnsupportedAlgorithmError) as info:
        get_provider("oscrypto")
    message = str(info.value)
    assert "pip install pkcs12kit[oscrypto]" in message
    assert "import of oscrypto halted" in message  # the ImportError's own text
    assert isinstance(info.value.__cause__, ImportError)


def test_missing_provider_from_env_var(fresh):
    _hide(fresh, "oscrypto")
    fresh.setenv("PKCS12KIT_CIPHERS", "oscrypto")
    with pytest.raises(UnsupportedAlgorithmError) as info:
        get_provider()
    message = str(info.value)
    assert "'oscrypto' (from $PKCS12KIT_CIPHERS) cannot be loaded" in message
    assert "pip install pkcs12kit[oscrypto]" in message


def test_default_falls_back_to_oscrypto_without_cryptography(fresh):
    _provider("oscrypto")
    fresh.setattr(ciphers, "_cache", {})
    _hide(fresh, "cryptography")
    assert get_provider().name == "oscrypto"


def test_no_provider_at_all_names_both_installs(fresh):
    _hide(fresh, "cryptography", "oscrypto")
    with pytest.raises(UnsupportedAlgorithmError) as info:
        get_provider()
    message = str(info.value)
    assert "pip install cryptography" in message
    assert "pip install pkcs12kit[oscrypto]" in message


# --- argument validation -----------------------------------------------------------------------


def test_block_size():
    assert [block_size(c) for c in ("aes", "tripledes", "des", "rc2")] == [16, 8, 8, 8]
    with pytest.raises(UnsupportedAlgorithmError, match="unknown cipher 'blowfish'"):
        block_size("blowfish")
    with pytest.raises(TypeError):
        block_size(None)


@pytest.mark.parametrize(
    "cipher, key, iv, data, match",
    [
        ("aes", 20, 16, 16, r"aes-cbc: key is 20 bytes"),
        ("aes", 16, 8, 16, r"aes-cbc: iv is 8 bytes"),
        ("aes", 16, 16, 15, r"aes-cbc: data length 15 is not a multiple of the 16-byte block"),
        ("tripledes", 8, 8, 8, r"tripledes-cbc: key is 8 bytes"),
        ("des", 16, 8, 8, r"des-cbc: key is 16 bytes"),
        ("des", 8, 8, 12, r"des-cbc: data length 12"),
        ("rc2", 0, 8, 8, r"rc2-cbc: key is 0 bytes"),
        ("rc2", 129, 8, 8, r"rc2-cbc: key is 129 bytes"),
        ("rc2", 5, 16, 8, r"rc2-cbc: iv is 16 bytes"),
    ],
)
@pytest.mark.parametrize("direction", ["cbc_encrypt", "cbc_decrypt"])
def test_bad_lengths_are_malformed(provider, direction, cipher, key, iv, data, match):
    with pytest.raises(MalformedError, match=match):
        getattr(provider, direction)(cipher, bytes(key), bytes(iv), bytes(data))


@pytest.mark.parametrize("bits", [0, 1025, -40])
def test_rc2_bits_out_of_range(provider, bits):
    match = rf"rc2-cbc: effective key bits {bits} outside 1\.\.1024"
    with pytest.raises(MalformedError, match=match):
        provider.cbc_decrypt("rc2", bytes(5), bytes(8), bytes(8), rc2_bits=bits)


def test_wrong_types(provider):
    with pytest.raises(TypeError):
        provider.cbc_decrypt("aes", "0" * 16, bytes(16), bytes(16))
    with pytest.raises(TypeError):
        provider.cbc_decrypt("aes", bytes(16), bytes(16), None)
    with pytest.raises(TypeError):
        provider.cbc_decrypt("aes", bytes(16), bytes(16), bytes(16), rc2_bits=128)
    with pytest.raises(TypeError):
        provider.cbc_decrypt("rc2", bytes(5), bytes(8), bytes(8), rc2_bits="40")
    with pytest.raises(TypeError):
        provider.rc4("key", b"data")


def test_unknown_cipher(provider):
    with pytest.raises(UnsupportedAlgorithmError, match="unknown cipher 'idea'"):
        provider.cbc_decrypt("idea", bytes(16), bytes(16), bytes(16))


def test_empty_data_and_buffer_types(provider):
    assert provider.cbc_decrypt("aes", bytes(16), bytes(16), b"") == b""
    key, iv, data = bytearray(os.urandom(24)), memoryview(os.urandom(8)), bytearray(16)
    ciphertext = provider.cbc_encrypt("tripledes", key, iv, data)
    assert provider.cbc_decrypt("tripledes", bytes(key), bytes(iv), ciphertext) == bytes(data)


# --- every cipher against openssl enc ----------------------------------------------------------

# (openssl cipher name, our cipher, key length, rc2 effective bits); the legacy provider is loaded
# for every command, because OpenSSL 3 keeps DES, RC2 and RC4 there.
OPENSSL_CBC = [
    ("aes-128-cbc", "aes", 16, None),
    ("aes-192-cbc", "aes", 24, None),
    ("aes-256-cbc", "aes", 32, None),
    ("des-ede-cbc", "tripledes", 16, None),
    ("des-ede3-cbc", "tripledes", 24, None),
    ("des-cbc", "des", 8, None),
    ("rc2-40-cbc", "rc2", 5, 40),
    ("rc2-64-cbc", "rc2", 8, 64),
    ("rc2-cbc", "rc2", 16, 128),
]


def _openssl_enc(openssl, name, key, data, iv=None):
    args = [openssl, "enc", "-e", f"-{name}", "-K", key.hex()]
    if iv is not None:
        args += ["-iv", iv.hex(), "-nopad"]
    args += ["-provider", "legacy", "-provider", "default"]
    result = subprocess.run(args, input=data, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


@pytest.mark.parametrize("openssl_name, cipher, key_length, bits", OPENSSL_CBC)
@pytest.mark.parametrize("blocks", [1, 7, 100])
def test_cbc_against_openssl(
    provider, openssl_tool, openssl_name, cipher, key_length, bits, blocks
):
    size = block_size(cipher)
    key, iv, data = os.urandom(key_length), os.urandom(size), os.urandom(size * blocks)
    expected = _openssl_enc(openssl_tool, openssl_name, key, data, iv)
    assert len(expected) == len(data)
    assert provider.cbc_encrypt(cipher, key, iv, data, rc2_bits=bits) == expected
    assert provider.cbc_decrypt(cipher, key, iv, expected, rc2_bits=bits) == data


@pytest.mark.parametrize("openssl_name, key_length", [("rc4-40", 5), ("rc4", 16)])
def test_rc4_against_openssl(provider, openssl_tool, openssl_name, key_length):
    key, data = os.urandom(key_length), os.urandom(1000)
    expected = _openssl_enc(openssl_tool, openssl_name, key, data)
    assert provider.rc4(key, data) == expected
    assert provider.rc4(key, expected) == data


def test_rc2_without_bits_uses_the_key_length(provider, openssl_tool):
    key, iv, data = os.urandom(5), os.urandom(8), os.urandom(64)
    expected = _openssl_enc(openssl_tool, "rc2-40-cbc", key, data, iv)
    assert provider.cbc_encrypt("rc2", key, iv, data) == expected


def test_rc2_effective_bits_differ_from_key_bits(provider, openssl_tool):
    # A 16-byte key with 40 effective bits (no provider does this natively) vs 128 bits.
    key, iv, data = os.urandom(16), os.urandom(8), os.urandom(64)
    at_128 = _openssl_enc(openssl_tool, "rc2-cbc", key, data, iv)
    at_40 = provider.cbc_encrypt("rc2", key, iv, data, rc2_bits=40)
    assert at_40 != at_128
    assert provider.cbc_decrypt("rc2", key, iv, at_40, rc2_bits=40) == data


@pytest.mark.parametrize("name, key_length", [("cryptography", 6), ("oscrypto", 17)])
def test_rc4_unsupported_key_size(name, key_length):
    # PKCS#12 uses 5- and 16-byte RC4 keys; each library has other sizes it lacks.
    match = rf"rc4: {key_length}-byte keys are not supported by the {name} provider"
    with pytest.raises(UnsupportedAlgorithmError, match=match):
        _provider(name).rc4(bytes(key_length), b"x")


def test_rc4_empty_key(provider):
    with pytest.raises(MalformedError, match="rc4: key is empty"):
        provider.rc4(b"", b"x")


# --- the two providers agree -------------------------------------------------------------------

CASES = [(c, n, b) for (_, c, n, b) in OPENSSL_CBC] + [
    ("rc2", 1, 8),
    ("rc2", 128, 1024),
    ("rc2", 16, 64),
    ("rc2", 7, None),
]


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_providers_agree_on_random_data(data):
    first, second = _provider("cryptography"), _provider("oscrypto")
    cipher, key_length, bits = data.draw(st.sampled_from(CASES))
    size = block_size(cipher)
    key = data.draw(st.binary(min_size=key_length, max_size=key_length))
    iv = data.draw(st.binary(min_size=size, max_size=size))
    blocks = data.draw(st.integers(min_value=0, max_value=50))
    plain = data.draw(st.binary(min_size=size * blocks, max_size=size * blocks))
    ciphertext = first.cbc_encrypt(cipher, key, iv, plain, rc2_bits=bits)
    assert second.cbc_encrypt(cipher, key, iv, plain, rc2_bits=bits) == ciphertext
    assert second.cbc_decrypt(cipher, key, iv, ciphertext, rc2_bits=bits) == plain
    assert first.cbc_decrypt(cipher, key, iv, ciphertext, rc2_bits=bits) == plain


@pytest.mark.parametrize("key_length", [5, 16])
def test_providers_agree_on_rc4(key_length):
    key, data = os.urandom(key_length), os.urandom(300)
    assert _provider("cryptography").rc4(key, data) == _provider("oscrypto").rc4(key, data)


@pytest.mark.parametrize("cipher, key_length", [("rc2", 5), ("des", 8)])
def test_oscrypto_falls_back_when_the_library_lacks_a_cipher(
    monkeypatch, openssl_tool, cipher, key_length
):
    _provider("oscrypto")
    from pkcs12kit.ciphers import _oscrypto

    def missing(*args):
        raise OSError("OpenSSL has been compiled without support")

    monkeypatch.setitem(_oscrypto._PADDED, cipher, (missing, missing))
    provider = _oscrypto.OscryptoProvider()  # uncached, so the fallback state is its own
    key, iv, data = os.urandom(key_length), os.urandom(8), os.urandom(80)
    openssl_name = "rc2-40-cbc" if cipher == "rc2" else "des-cbc"
    expected = _openssl_enc(openssl_tool, openssl_name, key, data, iv)
    for _ in range(2):  # the first call discovers the gap, the second goes straight to fallback
        assert provider.cbc_encrypt(cipher, key, iv, data) == expected
        assert provider.cbc_decrypt(cipher, key, iv, expected) == data


# --- the default provider borrows native RC2 ---------------------------------------------------


class _Spy:
    """Counts the lender's native calls (its `_cbc`) and its imports."""

    def __init__(self, monkeypatch):
        self.native_calls = 0
        self.loads = 0
        real_load = ciphers._load

        def load(name, why, *, default=False):
            if name == "oscrypto" and not default:
                self.loads += 1
            provider = real_load(name, why, default=default)
            if name == "oscrypto" and not default and not getattr(provider, "_spied", False):
                real_cbc = provider._cbc

                def cbc(*args):
                    self.native_calls += 1
                    return real_cbc(*args)

                monkeypatch.setattr(provider, "_cbc", cbc, raising=False)
                provider._spied = True
            return provider

        monkeypatch.setattr(ciphers, "_load", load)


def _rc2_40_case(openssl_tool, size):
    key, iv, data = os.urandom(5), os.urandom(8), os.urandom(size)
    return key, iv, data, _openssl_enc(openssl_tool, "rc2-40-cbc", key, data, iv)


def test_default_provider_decrypts_large_rc2_40_natively(fresh, openssl_tool):
    _provider("oscrypto")  # installed (CI=true: a failure if not)
    fresh.setattr(ciphers, "_cache", {})
    spy = _Spy(fresh)
    key, iv, data, expected = _rc2_40_case(openssl_tool, ciphers._RC2_IMPORT_PAYS[False])
    default = get_provider()
    assert default.name == "cryptography" and default.borrows_rc2
    assert default.cbc_decrypt("rc2", key, iv, expected, rc2_bits=40) == data
    assert (spy.loads, spy.native_calls) == (1, 1)
    # Now imported, the lender also takes data far below the import threshold, both ways.
    small = expected[: ciphers._RC2_LOADED_PAYS]
    assert default.cbc_decrypt("rc2", key, iv, small, rc2_bits=40) == data[: len(small)]
    assert default.cbc_encrypt("rc2", key, iv, data[: len(small)], rc2_bits=40) == small
    assert (spy.loads, spy.native_calls) == (1, 3)


def test_default_provider_imports_the_lender_only_when_the_data_repays_it(fresh, openssl_tool):
    spy = _Spy(fresh)
    default = get_provider()
    # A trustpoint's worth of RC2-40 (a few KB) stays in pure Python; oscrypto is not imported.
    key, iv, data, expected = _rc2_40_case(openssl_tool, 4096)
    assert default.cbc_decrypt("rc2", key, iv, expected, rc2_bits=40) == data
    assert default.cbc_encrypt("rc2", key, iv, data, rc2_bits=40) == expected
    assert spy.loads == 0 and "oscrypto" not in ciphers._cache
    # Encryption is 40 times slower in pure Python, so it pays from a much smaller size.
    key, iv, data, expected = _rc2_40_case(openssl_tool, ciphers._RC2_IMPORT_PAYS[True])
    assert default.cbc_encrypt("rc2", key, iv, data, rc2_bits=40) == expected
    assert (spy.loads, spy.native_calls) == (1, 1)


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_named_provider_never_borrows(fresh, openssl_tool, how):
    spy = _Spy(fresh)
    if how == "argument":
        named = get_provider("cryptography")
    else:
        fresh.setenv("PKCS12KIT_CIPHERS", "cryptography")
        named = get_provider()
    assert not named.borrows_rc2 and named is not ciphers._load("cryptography", "x", default=True)
    key, iv, data, expected = _rc2_40_case(openssl_tool, ciphers._RC2_IMPORT_PAYS[False])
    assert named.cbc_decrypt("rc2", key, iv, expected, rc2_bits=40) == data
    assert spy.loads == 0 and spy.native_calls == 0


def test_default_provider_without_the_lender_stays_pure_python(fresh, openssl_tool):
    _hide(fresh, "oscrypto")
    spy = _Spy(fresh)
    default = get_provider()
    key, iv, data, expected = _rc2_40_case(openssl_tool, ciphers._RC2_IMPORT_PAYS[True])
    for _ in range(3):
        assert default.cbc_encrypt("rc2", key, iv, data, rc2_bits=40) == expected
    assert spy.loads == 1  # the failed import is remembered, not retried on every call
    assert ciphers._unloadable == {"oscrypto"}


def test_default_provider_when_the_lenders_library_lacks_rc2(fresh, openssl_tool):
    # OpenSSL 3 without its legacy provider: oscrypto raises OSError and pure Python takes over.
    lender = _provider("oscrypto")
    assert ciphers._cache["oscrypto"] is lender  # the instance the default provider borrows from

    def missing(*args):
        raise OSError("OpenSSL has been compiled without support")

    # The module the lender's class lives in (another test may have re-imported `_oscrypto`).
    fresh.setitem(sys.modules[type(lender).__module__]._PADDED, "rc2", (missing, missing))
    key, iv, data, expected = _rc2_40_case(openssl_tool, ciphers._RC2_IMPORT_PAYS[True])
    default = get_provider()
    for _ in range(2):
        assert default.cbc_encrypt("rc2", key, iv, data, rc2_bits=40) == expected
    assert "rc2" in lender._lacks


def test_docs_example_runs(fresh):
    # docs/ciphers.md's example, run as written.
    page = (pathlib.Path(__file__).parent.parent / "docs" / "ciphers.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/ciphers.md", "exec"), {})
