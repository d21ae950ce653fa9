"""Hostile input: one crafted file per attack class (tests/vectors/crafted, README.md there names
the CVE each models), each refused with the exact error and, where it matters, without any
hashing; security properties of MAC handling and reprs; and "nothing lost" on writes.

Work is bounded by counting calls to the KDFs (never by timing): `Work` wraps
``pkcs12kit.kdf.pkcs12_kdf/pbkdf1/pbkdf2/scrypt`` and ``hashlib.pbkdf2_hmac/scrypt``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import random
from pathlib import Path

import pytest

import craft
import pkcs12kit
from test_public_key_modes import PUBLIC_KEY_REFUSED
from pkcs12kit import (
    BadPasswordError,
    Limits,
    LimitExceededError,
    MalformedError,
)

CRAFTED = Path(__file__).parent / "vectors" / "crafted"


def _load_make():
    spec = importlib.util.spec_from_file_location("crafted_make", CRAFTED / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _load_make()


def vector(name: str) -> bytes:
    return (CRAFTED / name).read_bytes()


class Tripwire(Exception):
    """Raised by a KDF that a test says must not run (escapes loads: it is no PKCS12Error)."""


class Work:
    """Counts KDF calls by name; names in ``forbidden`` raise `Tripwire` instead of hashing."""

    NAMES = ("pkcs12_kdf", "pbkdf1", "pbkdf2", "scrypt")

    def __init__(self, monkeypatch) -> None:
        self.calls: list[str] = []
        self.forbidden: set[str] = set()
        self.replacements: dict[str, object] = {}
        from pkcs12kit import kdf

        for name in self.NAMES:
            monkeypatch.setattr(kdf, name, self._wrap(name, getattr(kdf, name)))
        for name in ("pbkdf2_hmac", "scrypt"):
            monkeypatch.setattr(hashlib, name, self._wrap("hashlib." + name, getattr(hashlib, name)))

    def _wrap(self, name, real):
        def counted(*args, **kwargs):
            self.calls.append(name)
            if name in self.forbidden:
                raise Tripwire(f"{name} ran")
            replacement = self.replacements.get(name)
            return (replacement or real)(*args, **kwargs)

        return counted

    def count(self, name: str) -> int:
        return self.calls.count(name)


@pytest.fixture
def work(monkeypatch) -> Work:
    return Work(monkeypatch)


# --- the vectors are what make.py makes, and each is documented ------------------------------


def test_crafted_files_match_make_py():
    assert len(make.VECTORS) >= 30
    for name in make.VECTORS:
        assert make.build(name) == vector(name), name


def test_readme_lists_every_crafted_file():
    readme = (CRAFTED / "README.md").read_text()
    on_disk = sorted(p.name for p in CRAFTED.glob("*.p12"))
    assert on_disk == sorted(make.VECTORS)
    for name in on_disk:
        assert f"`{name}`" in readme, name


def test_craft_controls_decode():
    """The crafted files' building blocks are valid: the defects, not craft.py, cause the errors."""
    p12 = pkcs12kit.loads(craft.plain_pfx(), "pw")
    assert p12.mac_verified is True
    assert [e.friendly_name for e in p12.entries] == ["crafted", "crafted"]
    assert p12.keys[0].der == craft.identity()[0]
    algorithm, ciphertext = craft.pbes2_pbkdf2(craft.plain_safe(), "pw", 2048)
    content = craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext))
    p12 = pkcs12kit.loads(craft.pfx(content, craft.hmac_mac_data(content, "pw")), "pw")
    assert p12.safes[0].protection.iterations == 2048
    assert p12.certificates[0].der == craft.identity()[1]
    algorithm, ciphertext = craft.pkcs12_pbe(craft.identity()[0], "pw", 3)
    shrouded = craft.safe_contents(craft.shrouded_key_bag(algorithm, ciphertext))
    p12 = pkcs12kit.loads(craft.pfx(craft.auth_safe(craft.data_ci(shrouded))), "pw")
    assert p12.keys[0].der == craft.identity()[0]


# --- one row per attack: exact error, and which KDFs may run ---------------------------------

SMALL_BAGS = Limits(max_bags=100)
SMALL_INPUT = Limits(max_input_size=999_999)
SMALL_TOTAL = Limits(max_total_iterations=5_000)

# (file, password, limits, error class, message substring, KDF calls allowed by name)
REFUSED = [
    ("mac-iterations-2147483647.p12", "pw", None, LimitExceededError,
     "macData: iteration count 2,147,483,647 exceeds Limits.max_iterations (2,000,000)", {}),
    ("pbes2-iterations-2147483647-nomac.p12", "pw", None, LimitExceededError,
     "authSafe[0] encryptedData: iteration count 2,147,483,647 exceeds Limits.max_iterations", {}),
    ("pbes2-iterations-2147483647-valid-mac.p12", "pw", None, LimitExceededError,
     "authSafe[0] encryptedData: iteration count 2,147,483,647 exceeds Limits.max_iterations", {}),
    ("shrouded-key-pkcs12pbe-iterations-2147483647.p12", "pw", None, LimitExceededError,
     "authSafe[0] data bag[1] pkcs8ShroudedKeyBag: iteration count 2,147,483,647 exceeds", {}),
    ("scrypt-n-2pow30.p12", "pw", None, LimitExceededError,
     "scrypt needs 1,099,511,631,872 bytes of memory, over Limits.max_scrypt_memory (268,435,456)", {}),
    ("pbmac1-keylength-1.p12", "pw", None, MalformedError,
     "macData: pbmac1 keyLength 1 is below the minimum of 20 (RFC 9579 section 9)", {}),
    ("pbmac1-keylength-65.p12", "pw", None, LimitExceededError,
     "macData: pbmac1 keyLength 65 exceeds Limits.pbmac1_max_key_length (64)", {}),
    ("pbmac1-keylength-2pow32.p12", "pw", None, LimitExceededError,
     "macData: pbmac1 keyLength 4294967296 exceeds Limits.pbmac1_max_key_length (64)", {}),
    ("pbmac1-no-keylength-rfc9579-a6.p12", "1234", None, MalformedError,
     "macData: pbmac1 pbkdf2 keyLength is missing (RFC 9579 section 5)", {}),
    ("encrypteddata-no-encryptedcontent.p12", "pw", None, MalformedError,
     "authSafe[0] encryptedData: encryptedContent is missing", {"pkcs12_kdf": 1}),
    ("authsafe-no-content.p12", "pw", None, MalformedError, "authSafe: the data ContentInfo has no content", {}),
    ("contentinfo-no-content.p12", "pw", None, MalformedError,
     "authSafe[1]: ContentInfo has no content", {"pkcs12_kdf": 1}),
    ("shroudedkey-no-encrypteddata.p12", "pw", None, MalformedError,
     "pkcs8ShroudedKeyBag: EncryptedPrivateKeyInfo has 2 fields, found 1", {"pkcs12_kdf": 1}),
    ("pbe-no-parameters.p12", "pw", None, MalformedError,
     "authSafe[0] encryptedData: pkcs12_sha1_tripledes_3key parameters are missing", {}),
    ("macdata-no-salt.p12", "pw", None, MalformedError, 'macData: cannot be parsed: Field "mac_salt" is missing', {}),
    ("macdata-empty.p12", "pw", None, MalformedError, 'macData: cannot be parsed: Field "mac" is missing', {}),
    ("macdata-empty-digest.p12", "pw", None, BadPasswordError,
     "macData: MAC verification failed (wrong password or corrupted file)", {"pkcs12_kdf": 1}),
    ("macdata-truncated-digest.p12", "pw", None, BadPasswordError,
     "macData: MAC verification failed (wrong password or corrupted file)", {"pkcs12_kdf": 1}),
    ("macdata-not-a-sequence.p12", "pw", None, MalformedError,
     "macData: expected a MacData SEQUENCE (tag 0x30), found tag 0x04", {}),
    ("ber-indefinite-nesting-200.p12", "pw", None, MalformedError, "PFX: BER nesting deeper than 64 levels", {}),
    ("safecontents-nesting-17.p12", "pw", None, LimitExceededError,
     "safeContents bags nested deeper than Limits.max_depth (16)", {"pkcs12_kdf": 1}),
    ("length-2pow32.p12", "pw", None, MalformedError,
     "authSafe: value at offset 26 claims 4294967295 bytes but only 2 remain", {}),
    ("attribute-values-integer.p12", "pw", None, MalformedError,
     "expected the attribute values SET (tag 0x31), found tag 0x02", {"pkcs12_kdf": 1}),
    ("attribute-type-integer.p12", "pw", None, MalformedError,
     "expected the attribute type OID (tag 0x06), found tag 0x02", {"pkcs12_kdf": 1}),
    ("pbes2-parameters-integer.p12", "pw", None, MalformedError,
     "authSafe[0] encryptedData: encryption algorithm cannot be parsed", {"pkcs12_kdf": 1}),
    ("bags-101.p12", "pw", SMALL_BAGS, LimitExceededError,
     "authSafe[0] data bag[100]: more than Limits.max_bags (100) bags", {}),
    ("input-1000000-bytes.p12", "pw", SMALL_INPUT, LimitExceededError,
     "input is 1,000,000 bytes, over Limits.max_input_size (999,999)", {}),
    # Issue 14's algorithms go through the same up-front cost checks.
    ("mac-sha3-256-iterations-2147483647.p12", "pw", None, LimitExceededError,
     "macData: iteration count 2,147,483,647 exceeds Limits.max_iterations (2,000,000)", {}),
    ("mac-sm3-iterations-2147483647.p12", "pw", None, LimitExceededError,
     "macData: iteration count 2,147,483,647 exceeds Limits.max_iterations (2,000,000)", {}),
    ("pbes2-camellia-iterations-2147483647-nomac.p12", "pw", None, LimitExceededError,
     "authSafe[0] encryptedData: iteration count 2,147,483,647 exceeds Limits.max_iterations", {}),
    ("pbes2-hmacsm3-iterations-2147483647-nomac.p12", "pw", None, LimitExceededError,
     "authSafe[0] encryptedData: iteration count 2,147,483,647 exceeds Limits.max_iterations", {}),
    ("pbes2-aria-iv-8-bytes.p12", "pw", None, MalformedError,
     "authSafe[0] encryptedData: pbes2 aria256_cbc iv is not one block long", {}),
]


@pytest.mark.parametrize(
    "name, password, limits, error, message, allowed", REFUSED, ids=[row[0] for row in REFUSED]
)
def test_crafted_file_is_refused(work, name, password, limits, error, message, allowed):
    with pytest.raises(error) as caught:
        pkcs12kit.loads(vector(name), password, limits=limits)
    assert type(caught.value) is error
    assert message in str(caught.value)
    # Nothing hashed but what the row allows (the MAC of a file whose MAC is valid).
    kdf_calls = {name_: work.count(name_) for name_ in Work.NAMES if work.count(name_)}
    assert kdf_calls == allowed
    if "pbkdf2" not in allowed and "scrypt" not in allowed:
        assert work.count("hashlib.pbkdf2_hmac") == 0 and work.count("hashlib.scrypt") == 0


def test_every_refusal_row_names_a_crafted_file():
    documented = {row[0] for row in REFUSED} | {
        "pbmac1-keylength-1.p12", "attribute-values-wrong-types.p12", "friendlyname-bmp-edge-cases.p12",
        "total-iterations-11x2000000.p12", "total-iterations-6x1000.p12", "scrypt-many-safes.p12",
        "oid-huge-arc-attribute-type.p12", "oid-huge-arc-trusted-usage.p12",
        "oid-truncated-bag-type.p12", "oid-empty-attribute-type.p12",
        "contentinfos-empty-20000.p12", "safes-empty-2000.p12", "safecontents-nested-with-attributes.p12",
    } | {row[0] for row in PUBLIC_KEY_REFUSED} | set(make.second_pass.VECTORS)  # second review: test_hostile_second.py
    assert documented == set(make.VECTORS)


def test_mac_iterations_refused_before_any_hashing(work):
    """OpenSSL, cryptography, go-pkcs12, forge and oscrypto hash 2^31-1 times here (docs/interop.md#limits-and-cves)."""
    work.forbidden.update(Work.NAMES)
    with pytest.raises(LimitExceededError, match=r"macData: iteration count 2,147,483,647 exceeds"):
        pkcs12kit.loads(vector("mac-iterations-2147483647.p12"), "pw")
    assert work.calls == []


def test_mac_iterations_allowed_when_raised_then_hashes(work):
    """The same file under a raised limit reaches the KDF (proves the refusal is the limit's)."""
    work.forbidden.add("pkcs12_kdf")
    with pytest.raises(Tripwire):
        pkcs12kit.loads(vector("mac-iterations-2147483647.p12"), "pw", limits=Limits(max_iterations=2**31 - 1,
                                                                                    max_total_iterations=2**31 - 1))
    assert work.calls == ["pkcs12_kdf"]


@pytest.mark.parametrize("password", ["pw", "not-pw"])
def test_pbes2_iterations_refused_before_the_mac_is_computed(work, password):
    """The safe's declared cost is read from its AlgorithmIdentifier and refused before even the
    (valid) MAC is computed, whatever the password."""
    work.forbidden.update(Work.NAMES)
    with pytest.raises(LimitExceededError, match=r"authSafe\[0\] encryptedData: iteration count 2,147,483,647"):
        pkcs12kit.loads(vector("pbes2-iterations-2147483647-valid-mac.p12"), password)
    assert work.calls == []


def test_pbes2_file_with_valid_mac_reaches_pbkdf2_when_allowed(work):
    """Under limits that allow 2^31-1, the MAC verifies (one PKCS#12 KDF run) and PBKDF2 starts:
    the refusal above is the limit's, not a parse failure."""
    work.forbidden.update({"pbkdf2", "hashlib.pbkdf2_hmac"})
    with pytest.raises(Tripwire):
        pkcs12kit.loads(vector("pbes2-iterations-2147483647-valid-mac.p12"), "pw",
                        limits=Limits(max_iterations=2**31 - 1, max_total_iterations=2**32))
    assert work.calls == ["pkcs12_kdf", "pbkdf2"]


@pytest.mark.parametrize("password", ["pw", "", None, "p\u00e9"])
def test_huge_iterations_refused_for_every_password_form(work, password):
    """Every candidate encoding of the password (two for "", None and non-ASCII) is refused
    before hashing, not just the first."""
    work.forbidden.update(Work.NAMES)
    for name in ("pbes2-iterations-2147483647-nomac.p12", "shrouded-key-pkcs12pbe-iterations-2147483647.p12"):
        with pytest.raises(LimitExceededError, match="iteration count 2,147,483,647 exceeds"):
            pkcs12kit.loads(vector(name), password)
    assert work.calls == []


def test_scrypt_memory_refused_before_scrypt(work):
    work.forbidden.update({"scrypt", "hashlib.scrypt"})
    with pytest.raises(LimitExceededError, match=r"pass limits=Limits\(max_scrypt_memory=\.\.\.\)"):
        pkcs12kit.loads(vector("scrypt-n-2pow30.p12"), "pw")
    assert work.calls == []


SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**16, 8, 1  # scrypt-many-safes.p12: ten safes of these


def _fast_scrypt(work):
    key = craft.scrypt_key_cache(SCRYPT_N, SCRYPT_R, SCRYPT_P)
    work.replacements["scrypt"] = lambda *args, **kwargs: key


def test_scrypt_work_counts_against_the_total_budget(work):
    """scrypt's time is about 4*N*r*p PBKDF2-iterations (measured: N=2^16, r=8 takes as long as
    ~2,400,000 PBKDF2-HMAC-SHA256 iterations); each safe must be charged at least N*r*p, so ten
    safes cannot fit in a budget of 10*N*r*p - 1. (scrypt returns a cached key: the test stays fast.)"""
    _fast_scrypt(work)
    limit = 10 * SCRYPT_N * SCRYPT_R * SCRYPT_P - 1
    with pytest.raises(LimitExceededError, match="over Limits.max_total_iterations"):
        pkcs12kit.loads(vector("scrypt-many-safes.p12"), "pw", limits=Limits(max_total_iterations=limit))
    assert work.count("scrypt") < 10


def test_scrypt_declared_cost_refused_before_any_scrypt(work):
    work.forbidden.update({"scrypt", "hashlib.scrypt"})
    limit = 10 * SCRYPT_N * SCRYPT_R * SCRYPT_P - 1
    with pytest.raises(LimitExceededError, match="over Limits.max_total_iterations"):
        pkcs12kit.loads(vector("scrypt-many-safes.p12"), "pw", limits=Limits(max_total_iterations=limit))
    assert work.calls == []


def test_scrypt_many_safes_decodes_with_explicit_limits(work):
    _fast_scrypt(work)
    p12 = pkcs12kit.loads(vector("scrypt-many-safes.p12"), "pw",
                          limits=Limits(max_total_iterations=10**9, max_iterations=10**8))
    assert len(p12.safes) == 10
    assert {s.protection.scrypt_n for s in p12.safes} == {2**16}
    assert work.count("scrypt") == 10


# --- PBMAC1 keyLength: CVE-2026-34181 and CVE-2025-11187 ------------------------------------


def test_pbmac1_short_key_does_not_verify_under_a_wrong_password(work):
    wrong = make.wrong_password_for_keylength_1()
    assert wrong != "pw"
    work.calls.clear()  # finding the colliding password hashed; loads must not
    for password in ("pw", wrong):
        with pytest.raises(MalformedError, match="pbmac1 keyLength 1 is below the minimum of 20"):
            pkcs12kit.loads(vector("pbmac1-keylength-1.p12"), password)
    assert work.calls == []


def test_pbmac1_short_key_floor_cannot_be_lowered():
    """Why the floor is a rule and not a limit: with it lowered, the forged file would open under a
    password nobody set (keyLength 1: one MAC octet, a 1-in-256 forgery). No policy may relax it."""
    with pytest.raises(ValueError, match="pbmac1_min_key_length cannot be below 20"):
        Limits(pbmac1_min_key_length=1)
    with pytest.raises(ValueError, match="pbmac1_min_key_length cannot be below 20"):
        Limits().replace(pbmac1_min_key_length=19)


def test_pbmac1_keylength_boundaries():
    pkcs8, cert = craft.identity()
    content = craft.auth_safe(craft.data_ci(craft.plain_safe()))
    for length in (20, 64):
        data = craft.pfx(content, craft.pbmac1_mac_data(content, "pw", key_length=length, iterations=2))
        assert pkcs12kit.loads(data, "pw").mac.key_length == length
    for length, error, text in ((19, MalformedError, "keyLength 19 is below"),
                                (65, LimitExceededError, "keyLength 65 exceeds")):
        data = craft.pfx(content, craft.pbmac1_mac_data(content, "pw", key_length=length, iterations=2))
        with pytest.raises(error, match=text):
            pkcs12kit.loads(data, "pw")


def test_pbmac1_missing_keylength_is_not_defaulted():
    """RFC 9579 A.6 verifies only for a reader that defaults keyLength to 32: it must refuse."""
    content = craft.auth_safe(craft.data_ci(craft.plain_safe()))
    data = craft.pfx(content, craft.pbmac1_mac_data(content, "pw", key_length=None, derive_length=32))
    with pytest.raises(MalformedError, match=r"pbmac1 pbkdf2 keyLength is missing \(RFC 9579 section 5\)"):
        pkcs12kit.loads(data, "pw")


# --- MAC bypass attempts (CVE-2025-12816 class) ----------------------------------------------

MAC_BYPASS = {  # file: (error class, message prefix)
    "macdata-empty.p12": (MalformedError, 'macData: cannot be parsed: Field "mac" is missing'),
    "macdata-empty-digest.p12": (BadPasswordError, "macData: MAC verification failed"),
    "macdata-truncated-digest.p12": (BadPasswordError, "macData: MAC verification failed"),
    "macdata-not-a-sequence.p12": (MalformedError, "macData: expected a MacData SEQUENCE"),
    "macdata-no-salt.p12": (MalformedError, 'macData: cannot be parsed: Field "mac_salt" is missing'),
}


@pytest.mark.parametrize("name", sorted(MAC_BYPASS))
@pytest.mark.parametrize("password", ["pw", "", None, "other"])
def test_malformed_macdata_never_yields_data(monkeypatch, name, password):
    from pkcs12kit import bags, safes

    decoded = []
    real = bags.decode_safe_contents

    def recording(*args, **kwargs):
        decoded.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(bags, "decode_safe_contents", recording)
    monkeypatch.setattr(safes, "decode_safe_contents", recording)
    error, prefix = MAC_BYPASS[name]
    with pytest.raises(error) as caught:
        pkcs12kit.loads(vector(name), password)
    assert type(caught.value) is error and str(caught.value).startswith(prefix)
    assert decoded == []
    pkcs12kit.loads(craft.plain_pfx(), "pw")  # control: a good file is decoded through the hook
    assert decoded == [1]


def test_verify_mac_false_reads_a_file_with_a_bad_mac_and_says_so():
    p12 = pkcs12kit.loads(vector("macdata-empty-digest.p12"), "pw", verify_mac=False)
    assert p12.mac_verified is False
    assert p12.mac.kind == "hmac" and p12.mac.iterations == 2048
    assert p12.keys[0].der == craft.identity()[0]


def test_verify_mac_false_does_not_hash_the_mac(work):
    p12 = pkcs12kit.loads(craft.plain_pfx(), "wrong", verify_mac=False)
    assert p12.mac_verified is False and p12.mac is not None
    assert work.calls == []


def test_verify_mac_false_still_parses_macdata_strictly():
    with pytest.raises(MalformedError, match=r'macData: cannot be parsed: Field "mac" is missing'):
        pkcs12kit.loads(vector("macdata-empty.p12"), "pw", verify_mac=False)


# --- nesting, sizes, counts ------------------------------------------------------------------


def test_safe_contents_depth_limit_is_exact():
    pkcs8, cert = craft.identity()

    def nested(levels):
        contents = craft.safe_contents(craft.cert_bag(cert))
        for _ in range(levels):
            contents = craft.safe_contents(craft.safe_bag("safe_contents_bag", contents))
        return craft.pfx(craft.auth_safe(craft.data_ci(contents)))

    assert len(pkcs12kit.loads(nested(16), None).certificates) == 1
    assert len(pkcs12kit.loads(nested(3), None, limits=Limits(max_depth=3)).certificates) == 1
    with pytest.raises(LimitExceededError, match=r"nested deeper than Limits.max_depth \(3\)"):
        pkcs12kit.loads(nested(4), None, limits=Limits(max_depth=3))


def test_deep_definite_nesting_inside_a_bag_value_is_not_recursed():
    """10,000 nested definite-length SEQUENCEs inside an unknown bag: kept as bytes, no recursion."""
    value = b""
    for _ in range(10_000):
        value = craft.seq(value)
    data = craft.pfx(craft.auth_safe(craft.data_ci(craft.safe_contents(craft.safe_bag("1.2.3.4", value)))))
    p12 = pkcs12kit.loads(data, None)
    assert p12.unknown_bags[0].value_der == value


def test_deep_ber_nesting_at_the_limit_and_past_it():
    def nested(depth):
        return b"\x30\x80" * depth + b"\x00\x00" * depth

    with pytest.raises(MalformedError, match="BER nesting deeper than 64 levels"):
        pkcs12kit.loads(b"\x30\x80" + nested(65) + b"\x00\x00", None)
    with pytest.raises(MalformedError) as caught:
        pkcs12kit.loads(b"\x30\x80" + nested(10) + b"\x00\x00", None)
    assert "nesting" not in str(caught.value)


@pytest.mark.parametrize("length_octets, message", [
    (b"\x84\xff\xff\xff\xff", "PFX: value at offset 6 claims 4294967295 bytes but only 3 remain"),
    (b"\x88" + b"\xff" * 8, "PFX: value at offset 10 claims 18446744073709551615 bytes but only 3 remain"),
    (b"\xfe" + b"\x01" * 126, "PFX: value at offset 128 claims " + str(int.from_bytes(b"\x01" * 126, "big"))),
])
def test_huge_length_fields(length_octets, message):
    data = b"\x30" + length_octets + b"\x02\x01\x03"
    with pytest.raises(MalformedError) as caught:
        pkcs12kit.loads(data, None)
    assert str(caught.value).startswith(message)


def test_bag_limit_is_exact():
    assert len(pkcs12kit.loads(vector("bags-101.p12"), None, limits=Limits(max_bags=101)).certificates) == 101
    with pytest.raises(LimitExceededError, match=r"bag\[100\]: more than Limits.max_bags \(100\) bags"):
        pkcs12kit.loads(vector("bags-101.p12"), None, limits=SMALL_BAGS)


def test_bag_limit_counts_nested_bags():
    pkcs8, cert = craft.identity()
    inner = craft.safe_contents(*[craft.cert_bag(cert)] * 3)
    data = craft.pfx(craft.auth_safe(craft.data_ci(craft.safe_contents(craft.safe_bag("safe_contents_bag", inner)))))
    assert len(pkcs12kit.loads(data, None, limits=Limits(max_bags=4)).certificates) == 3
    with pytest.raises(LimitExceededError, match=r"more than Limits.max_bags \(3\) bags"):
        pkcs12kit.loads(data, None, limits=Limits(max_bags=3))


def test_input_size_limit_is_checked_before_parsing(monkeypatch, tmp_path):
    from pkcs12kit import pfx

    monkeypatch.setattr(pfx, "decode", lambda *a, **k: pytest.fail("parsed an oversized input"))
    data = vector("input-1000000-bytes.p12")
    with pytest.raises(LimitExceededError, match=r"input is 1,000,000 bytes, over Limits.max_input_size \(999,999\)"):
        pkcs12kit.loads(data, "pw", limits=SMALL_INPUT)
    text = "A" * 1_000_000
    with pytest.raises(LimitExceededError, match="input is 1,000,000 bytes"):
        pkcs12kit.loads(text, "pw", limits=SMALL_INPUT)
    path = tmp_path / "big.p12"
    path.write_bytes(data)
    with pytest.raises(LimitExceededError, match=r"big.p12: larger than 999,999 bytes, over Limits.max_input_size \(999,999\)"):
        pkcs12kit.load(path, "pw", limits=SMALL_INPUT)


class EndlessStream:
    """A binary file object that never ends (a socket, /dev/zero, a FIFO): each read returns
    what is asked, or 10 MB for read()."""

    def __init__(self) -> None:
        self.returned = 0

    def read(self, size=-1):
        count = 10_000_000 if size is None or size < 0 else min(size, 10_000_000)
        self.returned += count
        return b"\x30" * count


def test_load_reads_at_most_max_input_size_from_a_stream():
    stream = EndlessStream()
    with pytest.raises(LimitExceededError, match=r"over Limits.max_input_size \(1,000\)"):
        pkcs12kit.load(stream, None, limits=Limits(max_input_size=1000))
    assert stream.returned <= 1001


def test_load_reads_at_most_max_input_size_from_a_path_of_unknown_size(tmp_path, monkeypatch):
    import contextlib

    from pkcs12kit import api

    path = tmp_path / "looks-empty"  # stat says 0 bytes, like /dev/zero or a FIFO
    path.write_bytes(b"")
    stream = EndlessStream()
    monkeypatch.setattr(api, "open", lambda *args, **kwargs: contextlib.nullcontext(stream), raising=False)
    with pytest.raises(LimitExceededError, match=r"over Limits.max_input_size \(1,000\)"):
        pkcs12kit.load(path, None, limits=Limits(max_input_size=1000))
    assert stream.returned <= 1001


def test_load_from_a_stream_within_the_limit():
    import io

    data = craft.plain_pfx(password=None)
    assert len(pkcs12kit.load(io.BytesIO(data), None, limits=Limits(max_input_size=len(data))).entries) == 2


def test_input_at_the_size_limit_is_read():
    p12 = pkcs12kit.loads(vector("input-1000000-bytes.p12"), None, limits=Limits(max_input_size=1_000_000))
    assert len(p12.unknown_bags[0].value_der) > 999_000


class ReadCounter:
    def __init__(self, monkeypatch) -> None:
        from pkcs12kit import tlv

        self.count = 0
        real = tlv.read

        def counted(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(tlv, "read", counted)


def test_empty_content_infos_are_refused_at_the_first():
    with pytest.raises(MalformedError) as caught:
        pkcs12kit.loads(vector("contentinfos-empty-20000.p12"), None)
    assert str(caught.value) == "authSafe[0]: a ContentInfo starts with its contentType OID"


def test_empty_content_infos_cost_a_handful_of_reads(monkeypatch):
    reads = ReadCounter(monkeypatch)
    with pytest.raises(MalformedError, match=r"^authSafe\[0\]: a ContentInfo starts with its contentType OID$"):
        pkcs12kit.loads(vector("contentinfos-empty-20000.p12"), None)
    assert reads.count < 100


def test_empty_safes_decode_with_default_limits():
    p12 = pkcs12kit.loads(vector("safes-empty-2000.p12"), None)
    assert p12.entries == () and len(p12.safes) == 2000


def test_empty_safes_count_against_a_limit():
    with pytest.raises(LimitExceededError, match=r"^authSafe\[1000\]: more than Limits\.max_safes \(1,000\) safes"):
        pkcs12kit.loads(vector("safes-empty-2000.p12"), None, limits=Limits(max_safes=1000))


# --- total iteration budget ------------------------------------------------------------------


def test_total_iteration_budget_refuses_the_file(work):
    work.forbidden.update(Work.NAMES)
    with pytest.raises(LimitExceededError) as caught:
        pkcs12kit.loads(vector("total-iterations-6x1000.p12"), "pw", limits=SMALL_TOTAL)
    assert str(caught.value) == (
        "PFX: the file declares 6,000 KDF iterations in total, over Limits.max_total_iterations "
        "(5,000); pass limits=Limits(max_total_iterations=...) to allow it"
    )
    assert work.calls == []
    work.forbidden.clear()
    p12 = pkcs12kit.loads(vector("total-iterations-6x1000.p12"), "pw", limits=Limits(max_total_iterations=6_000))
    assert len(p12.safes) == 6


def test_total_iteration_budget_includes_the_mac(work):
    algorithm, ciphertext = craft.pbes2_pbkdf2(craft.plain_safe(), "pw", 1000)
    content = craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext))
    data = craft.pfx(content, craft.hmac_mac_data(content, "pw", iterations=1500))
    work.calls.clear()  # crafting hashed
    work.forbidden.update(Work.NAMES)
    with pytest.raises(LimitExceededError, match="the file declares 2,500 KDF iterations in total"):
        pkcs12kit.loads(data, "pw", limits=Limits(max_total_iterations=2_000))
    assert work.calls == []


def test_total_iteration_budget_refuses_before_hashing(work):
    work.forbidden.update({"pbkdf2", "hashlib.pbkdf2_hmac", "pkcs12_kdf"})
    with pytest.raises(LimitExceededError, match=r"declares 22,000,000 KDF iterations in total, over Limits.max_total_iterations \(10,000,000\)"):
        pkcs12kit.loads(vector("total-iterations-11x2000000.p12"), "pw")
    assert work.calls == []


def test_undeclared_work_is_still_charged_as_it_runs(work):
    """A shrouded key inside an encrypted safe is invisible until the safe is decrypted, so only
    the running total can refuse it: MAC 1,000 + safe 1,000 are declared (2,000 <= 2,500), the
    key's 3 x 1,000 more (3-key 3DES PBE: two key chains and one IV chain, RFC 7292 B.3) is
    refused when reached."""
    pkcs8, cert = craft.identity()
    key_alg, key_ct = craft.pkcs12_pbe(pkcs8, "pw", 1000)
    inner = craft.safe_contents(craft.cert_bag(cert), craft.shrouded_key_bag(key_alg, key_ct))
    algorithm, ciphertext = craft.pbes2_pbkdf2(inner, "pw", 1000)
    content = craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext))
    data = craft.pfx(content, craft.hmac_mac_data(content, "pw", iterations=1000))
    work.calls.clear()
    with pytest.raises(LimitExceededError) as caught:
        pkcs12kit.loads(data, "pw", limits=Limits(max_total_iterations=2_500))
    assert str(caught.value).startswith(
        "authSafe[0] encryptedData bag[1] pkcs8ShroudedKeyBag: total KDF iterations for this file "
        "would reach 5,000, over Limits.max_total_iterations (2,500)")
    assert work.calls == ["pkcs12_kdf", "pbkdf2", "hashlib.pbkdf2_hmac"]  # MAC, then the safe only
    assert len(pkcs12kit.loads(data, "pw", limits=Limits(max_total_iterations=5_000)).keys) == 1


def test_total_iteration_file_decodes_when_allowed(work):
    key = craft.pbes2_key_cache(2_000_000)
    work.replacements["pbkdf2"] = lambda *args, **kwargs: key
    p12 = pkcs12kit.loads(vector("total-iterations-11x2000000.p12"), "pw",
                          limits=Limits(max_total_iterations=22_000_000))
    assert len(p12.safes) == 11 and work.count("pbkdf2") == 11


# --- type confusion and friendlyName (CVE-2026-22795, CVE-2025-69419 classes) ---------------


def test_attribute_values_of_the_wrong_type_read_as_absent():
    p12 = pkcs12kit.loads(vector("attribute-values-wrong-types.p12"), "pw")
    assert len(p12.entries) == 2
    for entry in p12.entries:
        assert entry.friendly_name is None
        assert entry.local_key_id is None
        assert [a.type for a in entry.attributes] == ["friendly_name", "local_key_id"]
        assert entry.attributes[0].values == (craft.integer(0x4142),)
    assert repr(p12.keys[0]) == "KeyEntry(ed25519)"


ODD_OIDS = ["oid-huge-arc-attribute-type.p12", "oid-truncated-bag-type.p12", "oid-empty-attribute-type.p12"]


@pytest.mark.parametrize("name", ODD_OIDS)
def test_odd_oids_never_escape_loads(name):
    try:
        p12 = pkcs12kit.loads(vector(name), None)
    except MalformedError as err:
        assert not str(err).startswith("malformed input:"), str(err)
    else:
        for entry in p12.entries:
            repr(entry)
            [a.type for a in entry.attributes]


@pytest.mark.parametrize("name", ODD_OIDS)
def test_odd_oids_round_trip_or_are_refused(name):
    try:
        p12 = pkcs12kit.loads(vector(name), None)
    except MalformedError:
        return
    again = pkcs12kit.loads(pkcs12kit.dumps(p12, None, profile=pkcs12kit.PASSWORDLESS), None)
    assert again == p12
    assert [e.attributes for e in again.entries] == [e.attributes for e in p12.entries]


def test_trusted_key_usage_with_a_huge_arc_keeps_the_contract():
    p12 = pkcs12kit.loads(vector("oid-huge-arc-trusted-usage.p12"), None)
    try:
        p12.certificates[0].trusted_key_usage
    except pkcs12kit.PKCS12Error:
        pass


def test_cert_bag_attribute_errors_name_the_bag():
    with pytest.raises(MalformedError) as caught:
        pkcs12kit.loads(vector("attribute-values-integer.p12"), "pw")
    assert str(caught.value) == (
        "authSafe[0] data bag[0] attributes[0]: expected the attribute values SET (tag 0x31), found tag 0x02")


def test_key_bag_attribute_errors_name_the_bag():
    pkcs8, cert = craft.identity()
    bad = craft.set_of(craft.seq(craft.oid("friendly_name"), craft.integer(7)))
    data = craft.pfx(craft.auth_safe(craft.data_ci(craft.safe_contents(craft.key_bag(pkcs8, bad)))))
    with pytest.raises(MalformedError) as caught:
        pkcs12kit.loads(data, None)
    assert str(caught.value) == (
        "authSafe[0] data bag[0] attributes[0]: expected the attribute values SET (tag 0x31), found tag 0x02")


def test_trusted_key_usage_of_the_wrong_type():
    pkcs8, cert = craft.identity()
    attrs = craft.set_of(craft.attribute("2.16.840.1.113894.746875.1.1", craft.integer(1), craft.oid("2.5.29.37.0")))
    data = craft.pfx(craft.auth_safe(craft.data_ci(craft.safe_contents(craft.cert_bag(cert, attrs)))))
    assert pkcs12kit.loads(data, None).certificates[0].trusted_key_usage == ("2.5.29.37.0",)


def test_bmp_friendly_names_decode_or_replace_never_crash():
    p12 = pkcs12kit.loads(vector("friendlyname-bmp-edge-cases.p12"), "pw")
    assert [c.friendly_name for c in p12.certificates] == [
        "\u65e5\u672c\u8a9e \u20ac \uffff",  # above U+07FF: exact
        "ab\ufffd",  # odd length: the dangling octet is replaced
        "\ufffdz",  # lone surrogate replaced, the rest kept
        "\U0001f512",  # surrogate pair joined
    ]
    for cert in p12.certificates:
        repr(cert)


@pytest.mark.parametrize("raw", [b"", b"\x00", b"\xdc\x00", b"\xd8\x00\xd8\x00", b"\xff" * 4097])
def test_more_bmp_friendly_names(raw):
    data = make._friendly([raw])
    name = pkcs12kit.loads(data, "pw").certificates[0].friendly_name
    assert name == raw.decode("utf-16-be", "replace")


# --- security properties -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def modern_file() -> bytes:
    pkcs8, cert = craft.identity()
    p12 = pkcs12kit.PKCS12.build(key=pkcs8, certificate=cert, friendly_name="id")
    return pkcs12kit.dumps(p12, "correct horse", profile=pkcs12kit.MODERN, random=random.Random(7))


@pytest.fixture
def decrypt_calls(monkeypatch) -> list:
    from pkcs12kit import pbe

    calls = []
    real = pbe.decrypt

    def recording(*args, **kwargs):
        calls.append(kwargs.get("where"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pbe, "decrypt", recording)
    return calls


@pytest.mark.parametrize("password", ["wrong", "", None, "correct horse ", "Correct horse"])
def test_wrong_password_fails_at_the_mac_with_no_decryption(modern_file, decrypt_calls, password):
    with pytest.raises(BadPasswordError) as caught:
        pkcs12kit.loads(modern_file, password)
    assert str(caught.value) == "macData: MAC verification failed (wrong password or corrupted file)"
    assert decrypt_calls == []


def test_mac_is_verified_before_the_first_decryption(modern_file, monkeypatch, decrypt_calls):
    from pkcs12kit import mac

    events = []
    real_verify = mac.verify
    monkeypatch.setattr(mac, "verify", lambda *a, **k: events.append("mac") or real_verify(*a, **k))
    p12 = pkcs12kit.loads(modern_file, "correct horse")
    assert p12.mac_verified is True
    assert events == ["mac"]
    assert decrypt_calls == ["authSafe[0] encryptedData", "authSafe[1] data bag[0] pkcs8ShroudedKeyBag"]


def test_tampered_ciphertext_is_caught_by_the_mac_before_decryption(modern_file, decrypt_calls):
    """Flip one bit of the encrypted safe: the right password fails at the MAC, nothing is
    decrypted; with verify_mac=False the corruption surfaces in the decrypted safe instead."""
    data = bytearray(modern_file)
    data[200] ^= 0x01
    with pytest.raises(BadPasswordError) as caught:
        pkcs12kit.loads(bytes(data), "correct horse")
    assert str(caught.value) == "macData: MAC verification failed (wrong password or corrupted file)"
    assert decrypt_calls == []
    with pytest.raises(MalformedError, match=r"^authSafe\[0\] encryptedData bag\[0\]: "):
        pkcs12kit.loads(bytes(data), "correct horse", verify_mac=False)


def test_verify_mac_false_returns_data_marked_unverified(modern_file):
    p12 = pkcs12kit.loads(modern_file, "correct horse", verify_mac=False)
    assert p12.mac_verified is False
    assert p12.mac is not None and p12.mac.kind == "hmac"
    assert p12.keys[0].der == craft.identity()[0]


def test_no_mac_file_is_marked_unverified():
    p12 = pkcs12kit.loads(craft.plain_pfx(password=None), "anything")
    assert p12.mac is None and p12.mac_verified is False


def test_key_entry_repr_shows_type_and_size_only(modern_file):
    p12 = pkcs12kit.loads(modern_file, "correct horse")
    key = p12.keys[0]
    secret_hex = bytes(range(32)).hex()  # the Ed25519 private key of craft.identity()
    for text in (repr(key), str(key), repr(p12), str(p12), repr(p12.entries)):
        assert secret_hex not in text and secret_hex.upper() not in text
        assert key.der.hex() not in text
        assert "correct horse" not in text
    assert repr(key).startswith("KeyEntry(ed25519, friendly_name='id', local_key_id=")


def test_rsa_key_repr_has_bits_not_material(pki):
    leaf = pki.leaf("rsa2048")
    p12 = pkcs12kit.loads(pkcs12kit.dumps(pkcs12kit.PKCS12.build(key=leaf.key_der), None,
                                          profile=pkcs12kit.PASSWORDLESS), None)
    text = repr(p12.keys[0])
    assert text == "KeyEntry(rsa 2048)"
    numbers = leaf.key.private_numbers()
    for secret in (numbers.d, numbers.p, numbers.q):
        assert format(secret, "x") not in text and str(secret) not in text


# --- nothing lost: dump / write_atomically ------------------------------------------------------


@pytest.fixture(scope="module")
def small_p12() -> pkcs12kit.PKCS12:
    pkcs8, cert = craft.identity()
    return pkcs12kit.PKCS12.build(key=pkcs8, certificate=cert)


FAST = pkcs12kit.MODERN.with_iterations(1)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".pkcs12kit-"))


class Crash(Exception):
    pass


def _inject(monkeypatch, step: str, *, after_bytes: int = 0):
    """Make one step of write_atomically fail: "write" (after ``after_bytes`` are written),
    "flush", "fsync" (of the file), "dirfsync", "link", "replace", "unlink"."""
    from pkcs12kit import api

    real_fsync, real_fdopen = os.fsync, os.fdopen
    state = {"fsyncs": 0}

    if step in ("write", "flush"):
        def fdopen(fd, *args, **kwargs):
            handle = real_fdopen(fd, *args, **kwargs)

            class Failing:
                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    handle.close()
                    return False

                def write(self, data):
                    if step == "write":
                        handle.write(data[:after_bytes])
                        handle.flush()
                        raise Crash("disk full")
                    return handle.write(data)

                def flush(self):
                    raise Crash("flush failed")

                def fileno(self):
                    return handle.fileno()

            return Failing()

        monkeypatch.setattr(api.os, "fdopen", fdopen)
    elif step in ("fsync", "dirfsync"):
        def fsync(fd):
            state["fsyncs"] += 1
            if (step == "fsync" and state["fsyncs"] == 1) or (step == "dirfsync" and state["fsyncs"] == 2):
                raise Crash(step)
            return real_fsync(fd)

        monkeypatch.setattr(api.os, "fsync", fsync)
    else:
        real = getattr(os, step)
        calls = {"n": 0}

        def failing(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 1:
                raise Crash(step)
            return real(*args, **kwargs)

        monkeypatch.setattr(api.os, step, failing)


STEPS_NEW = ["write", "flush", "fsync", "link", "unlink", "dirfsync"]
STEPS_OVERWRITE = ["write", "flush", "fsync", "replace", "dirfsync"]


@pytest.mark.parametrize("step", STEPS_NEW)
def test_crash_while_writing_a_new_file(tmp_path, monkeypatch, small_p12, step):
    target = tmp_path / "out.p12"
    expected = pkcs12kit.dumps(small_p12, "pw", profile=FAST, random=random.Random(1))
    _inject(monkeypatch, step, after_bytes=100)
    with pytest.raises(Crash):
        pkcs12kit.dump(small_p12, target, "pw", profile=FAST, random=random.Random(1))
    monkeypatch.undo()
    assert _leftovers(tmp_path) == []
    if target.exists():  # only once the complete file was linked into place
        assert step in ("unlink", "dirfsync")
        assert target.read_bytes() == expected
    else:
        assert step not in ("dirfsync",)


@pytest.mark.parametrize("step", STEPS_OVERWRITE)
def test_crash_while_overwriting_keeps_the_old_file(tmp_path, monkeypatch, small_p12, step):
    target = tmp_path / "in.p12"
    old = pkcs12kit.dumps(small_p12, "old", profile=FAST, random=random.Random(2))
    target.write_bytes(old)
    new = pkcs12kit.dumps(small_p12, "new", profile=FAST, random=random.Random(3))
    _inject(monkeypatch, step, after_bytes=len(new) // 2)
    with pytest.raises(Crash):
        pkcs12kit.dump(small_p12, target, "new", profile=FAST, random=random.Random(3), overwrite=True)
    monkeypatch.undo()
    assert _leftovers(tmp_path) == []
    if step == "dirfsync":  # the rename happened: the new file is complete
        assert target.read_bytes() == new
    else:
        assert target.read_bytes() == old
        assert pkcs12kit.load(target, "old") == small_p12


def test_interrupt_during_write_leaves_nothing(tmp_path, monkeypatch, small_p12):
    from pkcs12kit import api

    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        handle.write = lambda data: (_ for _ in ()).throw(KeyboardInterrupt())
        return handle

    monkeypatch.setattr(api.os, "fdopen", fdopen)
    with pytest.raises(KeyboardInterrupt):
        pkcs12kit.dump(small_p12, tmp_path / "out.p12", "pw", profile=FAST)
    assert list(tmp_path.iterdir()) == []


def test_encode_error_creates_no_file(tmp_path, small_p12):
    with pytest.raises(pkcs12kit.EncodeError):
        pkcs12kit.dump(small_p12, tmp_path / "out.p12", "\ud800", profile=FAST)
    assert list(tmp_path.iterdir()) == []


def test_dump_refuses_to_overwrite(tmp_path, small_p12):
    target = tmp_path / "keep.p12"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError) as caught:
        pkcs12kit.dump(small_p12, target, "pw", profile=FAST)
    assert "exists; pass overwrite=True to replace it" in str(caught.value)
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.p12"]
    pkcs12kit.dump(small_p12, target, "pw", profile=FAST, overwrite=True)
    assert pkcs12kit.load(target, "pw") == small_p12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.p12"]


def test_dump_never_clobbers_a_file_that_appears_meanwhile(tmp_path, monkeypatch, small_p12):
    """The existence check and the final link race: link() fails on the newcomer, which survives."""
    import tempfile

    target = tmp_path / "race.p12"
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        result = real_mkstemp(*args, **kwargs)
        target.write_bytes(b"written by someone else")  # appears after the check
        return result

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    with pytest.raises(FileExistsError):
        pkcs12kit.dump(small_p12, target, "pw", profile=FAST)
    assert target.read_bytes() == b"written by someone else"
    assert _leftovers(tmp_path) == []


def test_dump_to_a_file_object(small_p12, tmp_path):
    import io

    buffer = io.BytesIO()
    pkcs12kit.dump(small_p12, buffer, "pw", profile=FAST, random=random.Random(4))
    assert buffer.getvalue() == pkcs12kit.dumps(small_p12, "pw", profile=FAST, random=random.Random(4))


def test_write_atomically_output_is_complete(tmp_path):
    from pkcs12kit.api import write_atomically

    data = os.urandom(3 * 1024 * 1024)
    write_atomically(str(tmp_path / "blob"), data)
    assert (tmp_path / "blob").read_bytes() == data
    assert _leftovers(tmp_path) == []
