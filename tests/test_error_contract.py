"""The error contract of `pkcs12kit.loads`, as hypothesis properties with a fixed budget.

For any input: ``loads(data, password)`` returns a `PKCS12` or raises a `PKCS12Error` subclass,
nothing else; the work it does is bounded by `Limits` (counted in KDF iterations, never timed);
and no message, traceback or repr carries the password or key material.

Inputs: random bytes and text; structure-aware mutants (tests/fuzz/mutate.py) of valid files
made here with pkcs12kit.dumps and the openssl CLI: bit flips, truncation at every TLV boundary,
length-field edits, OID swaps, repeated children, deep nesting, huge integers.
"""

from __future__ import annotations

import random
import sys
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))

import craft  # noqa: E402
import mutate  # noqa: E402
import seeds  # noqa: E402

import pkcs12kit  # noqa: E402
from pkcs12kit import Limits, PKCS12Error  # noqa: E402

SECRET = "Sup3r-Secret-Passw0rd"  # the files below are made with it; it must never leak
BOUNDED = Limits(max_iterations=10_000, max_total_iterations=50_000, max_scrypt_memory=4 * 1024 * 1024,
                 max_input_size=1 << 20)
BUDGET = settings(max_examples=300, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture])


def _secret_forms(text: str) -> list[str]:
    return [text, text.encode("utf-16-be").hex(), text.encode().hex(), repr(text.encode())]


def _chain_text(err: BaseException) -> str:
    """Every message and repr along the chain a traceback prints (``__cause__``, or
    ``__context__`` unless suppressed by ``raise ... from None``): what a log would show."""
    parts, seen = [], set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        parts += [str(err), repr(err)]
        err = err.__cause__ if err.__cause__ is not None else (
            None if err.__suppress_context__ else err.__context__)
    return "\n".join(parts)


def assert_contract(data, password=SECRET, **options):
    """Call loads; fail with the traceback on anything but a PKCS12 or a PKCS12Error."""
    try:
        result = pkcs12kit.loads(data, password, **options)
    except PKCS12Error as err:
        text = _chain_text(err)
        if isinstance(password, str) and password:
            for form in _secret_forms(password):
                assert form not in text, f"password in error chain: {text}"
        return err
    except Exception:  # noqa: BLE001 - the point of the test
        pytest.fail(f"loads raised a non-PKCS12Error:\n{traceback.format_exc()}")
    assert isinstance(result, pkcs12kit.PKCS12)
    return result


class Files(dict):
    """name → bytes, with a short repr so hypothesis reports stay readable."""

    def __repr__(self) -> str:
        return f"<{len(self)} valid files>"


@pytest.fixture(scope="module")
def valid_files(openssl_tool) -> dict[str, bytes]:
    """Valid files under SECRET: pkcs12kit.dumps under every profile and openssl output."""
    pkcs8, cert = craft.identity()
    p12 = pkcs12kit.PKCS12.build(key=pkcs8, certificate=cert, chain=[cert], friendly_name="contract")
    out = {}
    for name, profile in pkcs12kit.profiles.PROFILES.items():
        if profile.mac is not None or profile.key_protection is not None:
            profile = profile.with_iterations(5)
        out[name] = pkcs12kit.dumps(p12, SECRET, profile=profile, random=random.Random(5))
    scrypt = pkcs12kit.Protection("pbes2", cipher="aes256_cbc", kdf="scrypt", salt_length=8,
                                  scrypt_n=16, scrypt_r=1, scrypt_p=1)
    out["scrypt"] = pkcs12kit.dumps(p12, SECRET, profile=pkcs12kit.MODERN.with_iterations(5)
                                    .with_key_protection(scrypt), random=random.Random(6))
    saved = seeds.PASSWORD
    seeds.PASSWORD = SECRET
    try:
        made = seeds.openssl_made()
    finally:
        seeds.PASSWORD = saved
    assert len(made) == 4
    out.update(made)
    for name, data in out.items():  # they really are valid, under SECRET only
        assert pkcs12kit.loads(data, SECRET).entries, name
    return Files(out)


# --- random input ------------------------------------------------------------------------------


@BUDGET
@given(st.binary(max_size=2048))
def test_random_bytes(data):
    assert_contract(data)


@BUDGET
@given(st.binary(max_size=512).map(lambda b: b"\x30" + mutate._length(len(b)) + b))
def test_random_bytes_behind_a_sequence_header(data):
    """Random contents framed as a SEQUENCE, so the walker gets past the first octet."""
    assert_contract(data)


@BUDGET
@given(st.text(max_size=1024))
def test_random_text(text):
    assert_contract(text)


@BUDGET
@given(st.lists(st.sampled_from(["-----BEGIN PKCS12-----", "-----END PKCS12-----", "MIIB", "====",
                                 "\n", "Exported pkcs12 follows:", "quit", "A" * 64, "%", " "]),
                max_size=40).map("".join))
def test_armor_like_text(text):
    assert_contract(text)


# --- mutants of valid files ------------------------------------------------------------------


@BUDGET
@given(name=st.sampled_from(["MODERN", "LEGACY_3DES", "LEGACY_RC2", "MODERN_PBMAC1", "JAVA",
                             "PASSWORDLESS", "scrypt", "openssl-default", "openssl-legacy",
                             "openssl-nomac-aes"]),
       seed=st.integers(0, 2**32 - 1), verify_mac=st.booleans())
def test_structure_aware_mutants(valid_files, name, seed, verify_mac):
    data = mutate.mutate(valid_files[name], random.Random(seed))
    assert_contract(data, verify_mac=verify_mac, limits=BOUNDED)


@BUDGET
@given(name=st.sampled_from(["MODERN", "LEGACY_3DES", "PASSWORDLESS", "openssl-default", "openssl-legacy"]),
       seed=st.integers(0, 2**32 - 1))
def test_whatever_decodes_re_encodes_losslessly(valid_files, name, seed):
    """Nothing lost: a mutant that decodes (MAC not checked) can be written again and reads back
    equal, attributes and unknown bags included; dumps raises EncodeError or nothing."""
    data = mutate.mutate(valid_files[name], random.Random(seed))
    result = assert_contract(data, verify_mac=False, limits=BOUNDED)
    if isinstance(result, PKCS12Error):
        return
    try:
        again = pkcs12kit.dumps(result, None, profile=pkcs12kit.PASSWORDLESS)
    except pkcs12kit.EncodeError:
        return
    reread = pkcs12kit.loads(again, None)
    assert reread == result
    assert [e.attributes for e in reread.entries] == [e.attributes for e in result.entries]


@BUDGET
@given(name=st.sampled_from(["MODERN", "LEGACY_RC2", "PASSWORDLESS", "openssl-legacy"]),
       position=st.integers(0, 10**6), bit=st.integers(0, 7))
def test_single_bit_flips(valid_files, name, position, bit):
    data = bytearray(valid_files[name])
    data[position % len(data)] ^= 1 << bit
    result = assert_contract(bytes(data))
    if isinstance(result, pkcs12kit.PKCS12) and result.mac is not None:
        # A flip the MAC covers cannot pass verification; one that still decodes hit bytes
        # outside the MAC's scope (the MacData itself or PFX framing that re-decodes the same).
        assert result.mac_verified


@pytest.mark.parametrize("name", ["MODERN", "LEGACY_3DES", "PASSWORDLESS", "openssl-legacy", "MODERN_PBMAC1"])
def test_truncation_at_every_tlv_boundary(valid_files, name):
    data = valid_files[name]
    boundaries = mutate.tlv_boundaries(data)
    assert len(boundaries) > 40
    for cut in boundaries[:-1]:
        for verify_mac in (True, False):
            result = assert_contract(data[:cut], verify_mac=verify_mac)
            assert isinstance(result, PKCS12Error), f"truncated at {cut} still decoded"


@pytest.mark.parametrize("name", ["MODERN", "LEGACY_RC2", "openssl-default"])
def test_length_edits_at_every_tlv(valid_files, name):
    data = valid_files[name]
    rnd = random.Random(9)
    for _ in range(len(mutate.tlv_boundaries(data))):
        assert_contract(mutate.b_length(data, rnd), verify_mac=False, limits=BOUNDED)


@pytest.mark.parametrize("mutator", mutate.TREE_MUTATORS, ids=lambda m: m.__name__)
def test_each_tree_mutator(valid_files, mutator):
    """Every kind of structural mutation (OID swap, repeats, nesting, retag ...) 60 times."""
    rnd = random.Random(mutator.__name__)
    for index in range(60):
        tree = mutate.parse(valid_files[rnd.choice(sorted(valid_files))])
        mutator(tree, rnd)
        assert_contract(mutate.encode(tree), verify_mac=bool(index % 2), limits=BOUNDED)


def test_huge_counts_of_bags():
    pkcs8, cert = craft.identity()
    bag = craft.cert_bag(cert)
    data = craft.pfx(craft.auth_safe(craft.data_ci(craft.safe_contents(*[bag] * 5000))))
    result = assert_contract(data, limits=Limits(max_bags=4999))
    assert isinstance(result, pkcs12kit.LimitExceededError)
    assert "more than Limits.max_bags (4,999) bags" in str(result)
    assert len(pkcs12kit.loads(data, None).certificates) == 5000


def test_many_empty_content_infos():
    """100,000 empty ContentInfos: refused at the first, not quadratic."""
    data = craft.pfx(craft.auth_safe(*[craft.seq()] * 100_000))
    result = assert_contract(data)
    assert isinstance(result, pkcs12kit.MalformedError)
    assert "authSafe[0]: a ContentInfo starts with its contentType OID" in str(result)


# --- bounded work ----------------------------------------------------------------------------


class IterationMeter:
    """Sums the iteration counts the KDFs are asked for (and scrypt's memory), by patching
    pkcs12kit.kdf, the only module that derives keys."""

    def __init__(self, monkeypatch) -> None:
        from pkcs12kit import kdf

        self.iterations = 0
        self.scrypt_memory = 0
        real = {name: getattr(kdf, name) for name in ("pkcs12_kdf", "pbkdf1", "pbkdf2", "scrypt")}

        def pkcs12_kdf(hash_name, password, salt, key_id, iterations, length):
            self.iterations += iterations
            return real["pkcs12_kdf"](hash_name, password, salt, key_id, iterations, length)

        def pbkdf(name):
            def counted(hash_name, password, salt, iterations, length):
                self.iterations += iterations
                return real[name](hash_name, password, salt, iterations, length)
            return counted

        def scrypt(password, salt, n, r, p, length, **kwargs):
            self.scrypt_memory = max(self.scrypt_memory, 128 * r * (n + p + 2))
            return real["scrypt"](password, salt, n, r, p, length, **kwargs)

        monkeypatch.setattr(kdf, "pkcs12_kdf", pkcs12_kdf)
        monkeypatch.setattr(kdf, "pbkdf1", pbkdf("pbkdf1"))
        monkeypatch.setattr(kdf, "pbkdf2", pbkdf("pbkdf2"))
        monkeypatch.setattr(kdf, "scrypt", scrypt)


@BUDGET
@given(name=st.sampled_from(["MODERN", "LEGACY_3DES", "MODERN_PBMAC1", "scrypt", "openssl-legacy"]),
       seed=st.integers(0, 2**32 - 1),
       password=st.sampled_from([SECRET, "Wr0ng-Pa55", "", None, "p\u00e9-Wr0ng"]))
def test_work_is_bounded_by_limits(valid_files, monkeypatch, name, seed, password):  # noqa: D417
    """Whatever a mutant declares, the KDFs run at most 2 x max_total_iterations (a PKCS#12 PBE
    derivation is charged once but runs the KDF twice, for the key and the IV) and scrypt never
    needs more than max_scrypt_memory."""
    meter = IterationMeter(monkeypatch)
    rnd = random.Random(seed)
    tree = mutate.parse(valid_files[name])
    for _ in range(3):
        mutate.m_integer(tree, rnd)  # iteration counts, key lengths, scrypt costs ...
    assert_contract(mutate.encode(tree), password, limits=BOUNDED, verify_mac=rnd.random() < 0.5)
    assert meter.iterations <= 2 * BOUNDED.max_total_iterations
    assert meter.scrypt_memory <= BOUNDED.max_scrypt_memory


def test_work_bound_is_reached_not_exceeded(monkeypatch):
    """50 safes of 2,000 iterations under max_total_iterations=50,000 (MAC 2,048): the declared
    sum is refused before any hashing."""
    meter = IterationMeter(monkeypatch)
    algorithm, ciphertext = craft.pbes2_pbkdf2(craft.plain_safe(), SECRET, 2000)
    content = craft.auth_safe(*[craft.encrypted_data_ci(algorithm, ciphertext)] * 50)
    data = craft.pfx(content, craft.hmac_mac_data(content, SECRET, iterations=2048))
    result = assert_contract(data, limits=BOUNDED)
    assert isinstance(result, pkcs12kit.LimitExceededError)
    assert str(result).startswith("PFX: the file declares 102,048 KDF iterations in total, over "
                                  "Limits.max_total_iterations (50,000)")
    assert meter.iterations == 0


# --- secrets never leak ------------------------------------------------------------------------

CRAFTED = sorted((Path(__file__).parent / "vectors" / "crafted").glob("*.p12"))


@pytest.mark.parametrize("path", CRAFTED, ids=[p.name for p in CRAFTED])
@pytest.mark.parametrize("password", [SECRET, "\u00e9l\u00e8ve-\U0001f512-secret"])
def test_no_password_in_errors_for_crafted_files(path, password, monkeypatch):
    from pkcs12kit import kdf

    # Keep the slow legitimate files fast: nothing here needs real PBKDF2/scrypt output.
    monkeypatch.setattr(kdf, "scrypt", lambda *a, **k: bytes(32))
    monkeypatch.setattr(kdf, "pbkdf2", lambda prf, pw, salt, iterations, length: bytes(length))
    result = assert_contract(path.read_bytes(), password, limits=Limits(max_bags=100))
    if isinstance(result, PKCS12Error):
        for form in _secret_forms(password):
            assert form not in repr(result)


def test_no_password_in_surrogate_error():
    """A password that cannot be encoded is reported without quoting it (not even its tail)."""
    password = "hunter2-\ud800-tail"
    with pytest.raises(pkcs12kit.EncodeError) as caught:
        pkcs12kit.loads(craft.plain_pfx(), password)
    text = _chain_text(caught.value)
    assert "hunter2" not in text and "tail" not in text and "\\ud800" not in text


def test_password_not_reachable_from_the_exception():
    password = "hunter2-\ud800-tail"
    with pytest.raises(pkcs12kit.EncodeError) as caught:
        pkcs12kit.loads(craft.plain_pfx(), password)
    err, seen = caught.value, []
    while err is not None:
        seen.append(err)
        err = err.__cause__ or err.__context__
    assert not any(getattr(e, "object", None) == password or "hunter2" in repr(e) for e in seen)


def test_no_key_material_in_reprs(valid_files):
    for name, data in valid_files.items():
        p12 = pkcs12kit.loads(data, SECRET)
        for key in p12.keys:
            raw = key.private_key["private_key"].contents
            texts = [repr(key), str(key), repr(p12), str(p12), repr(p12.entries), repr(p12.safes),
                     repr(p12.mac)]
            for text in texts:
                for secret in (key.der.hex(), raw.hex(), raw[-16:].hex(), bytes(range(32)).hex()):
                    assert secret not in text, (name, text)
                assert SECRET not in text


def test_no_salt_in_mac_repr(valid_files):
    p12 = pkcs12kit.loads(valid_files["MODERN"], SECRET)
    assert p12.mac.salt.hex() not in repr(p12.mac)
    assert f"salt_length={len(p12.mac.salt)}" in repr(p12.mac)
