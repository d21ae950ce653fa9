"""Profiles are frozen values; variants are copies (go-pkcs12's ``WithIterations`` style).

What each named profile really writes is checked in test_encode_structure.py (parsed
independently) and who reads it in test_encode_interop.py; here: the value semantics.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

import pkcs12kit
from pkcs12kit import JAVA, LEGACY_3DES, LEGACY_RC2, MODERN, MODERN_PBMAC1, PASSWORDLESS, MacSpec, Profile, Protection
from pkcs12kit.profiles import LAYOUTS, PROFILES

NAMED = (MODERN, MODERN_PBMAC1, LEGACY_3DES, LEGACY_RC2, JAVA, PASSWORDLESS)


def snapshot(profile: Profile) -> tuple:
    """Every field, including the ones equality ignores."""
    return tuple(getattr(profile, field.name) for field in dataclasses.fields(profile))


def test_profiles_mapping_lists_the_six_named_profiles():
    assert list(PROFILES) == ["MODERN", "MODERN_PBMAC1", "LEGACY_3DES", "LEGACY_RC2", "JAVA", "PASSWORDLESS"]
    for name, profile in PROFILES.items():
        assert profile.name == name
        assert getattr(pkcs12kit, name) is profile
        assert profile.description  # each says who reads its output


def test_layouts():
    assert set(LAYOUTS) == {"certs-then-keys", "keys-then-certs", "single", "as-decoded"}
    assert JAVA.layout == "keys-then-certs"
    assert {p.layout for p in NAMED if p is not JAVA} == {"certs-then-keys"}


@pytest.mark.parametrize("profile", NAMED, ids=lambda p: p.name)
def test_profiles_and_mac_specs_are_frozen(profile):
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.name = "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.mac = None
    if profile.mac is not None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            profile.mac.iterations = 1
    if profile.key_protection is not None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            profile.key_protection.iterations = 1
    assert hash(profile) == hash(dataclasses.replace(profile))  # usable as a dict key


VARIANTS = {
    "with_iterations": lambda p: p.with_iterations(1234),
    "with_salt_length": lambda p: p.with_salt_length(16),
    "with_mac_digest": lambda p: p.with_mac(digest="sha512"),
    "with_mac_none": lambda p: p.with_mac(None),
    "with_mac_spec": lambda p: p.with_mac(MacSpec("hmac", "sha384", 4096, 16)),
    "with_key_protection": lambda p: p.with_key_protection(None),
    "with_cert_protection": lambda p: p.with_cert_protection(LEGACY_3DES.cert_protection),
    "with_layout": lambda p: p.with_layout("single"),
    "replace": lambda p: p.replace(layout="keys-then-certs"),
}


@pytest.mark.parametrize("profile", NAMED, ids=lambda p: p.name)
@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_are_copies_and_never_mutate(profile, variant):
    before = snapshot(profile)
    copy = VARIANTS[variant](profile)
    assert snapshot(profile) == before
    assert copy is not profile
    assert isinstance(copy, Profile)
    assert copy.name == profile.name + "+custom"


def test_names_gain_one_custom_suffix_unless_given():
    assert MODERN.with_iterations(1).with_salt_length(16).with_layout("single").name == "MODERN+custom"
    assert MODERN.replace(name="mine").name == "mine"
    assert MODERN.replace(name="mine").with_iterations(5).name == "mine+custom"


def test_with_iterations_sets_every_kdf_and_mac_count():
    changed = MODERN.with_iterations(1234)
    assert changed.key_protection == MODERN.key_protection.replace(iterations=1234)
    assert changed.cert_protection == MODERN.cert_protection.replace(iterations=1234)
    assert changed.mac == MacSpec("hmac", "sha256", 1234, 8)
    pbmac1 = MODERN_PBMAC1.with_iterations(1234)
    assert pbmac1.mac == MacSpec("pbmac1", "sha256", 1234, 8, prf="sha256", key_length=32)
    assert PASSWORDLESS.with_iterations(1234).key_protection is None
    assert PASSWORDLESS.with_iterations(1234).mac is None


def test_with_iterations_leaves_scrypt_alone():
    """scrypt has a cost N, not an iteration count (RFC 7914)."""
    scrypt = Protection("pbes2", cipher="aes256_cbc", kdf="scrypt", salt_length=16, scrypt_n=1024, scrypt_r=8,
                        scrypt_p=1)
    changed = MODERN.with_key_protection(scrypt).with_iterations(1234)
    assert changed.key_protection == scrypt
    assert changed.cert_protection.iterations == 1234


def test_with_salt_length_sets_every_salt():
    changed = LEGACY_RC2.with_salt_length(20)
    assert changed.key_protection.salt_length == 20
    assert changed.cert_protection.salt_length == 20
    assert changed.mac.salt_length == 20
    assert changed.cert_protection.scheme == "pkcs12_sha1_rc2_40"


def test_with_mac():
    assert MODERN.with_mac(digest="sha512").mac == MacSpec("hmac", "sha512", 2048, 8)
    assert MODERN.with_mac(None).mac is None
    spec = MacSpec("hmac", "sha384", 4096, 16)
    assert MODERN.with_mac(spec).mac is spec
    # a profile without a MAC starts from MacSpec's defaults
    assert PASSWORDLESS.with_mac(digest="sha1").mac == MacSpec("hmac", "sha1", 2048, 8)
    assert MODERN.with_mac(spec, iterations=1).mac == MacSpec("hmac", "sha384", 1, 16)


def test_equality_ignores_the_description():
    assert MODERN.replace(name="MODERN", description="other words") == MODERN
    assert MODERN.with_iterations(2048).replace(name="MODERN") == MODERN
    assert MODERN.with_iterations(2049).replace(name="MODERN") != MODERN


@pytest.mark.parametrize("layout", ["", "single ", "SINGLE", "keys_then_certs", None])
def test_invalid_layout_raises(layout):
    with pytest.raises(ValueError, match="layout must be one of"):
        MODERN.with_layout(layout)
    with pytest.raises(ValueError, match="layout must be one of"):
        Profile("x", None, None, None, layout=layout)


def test_dumps_refuses_what_is_not_a_profile(pki):
    leaf = pki.leaf("p256")
    p12 = pkcs12kit.PKCS12.build(key=leaf.key, certificate=leaf.cert)
    with pytest.raises(TypeError):
        pkcs12kit.dumps(p12, "pw", profile="MODERN")


@pytest.fixture(scope="module")
def identity(pki):
    leaf = pki.leaf("p256")
    return pkcs12kit.PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.intermediate.cert])


@pytest.mark.parametrize("profile", NAMED, ids=lambda p: p.name)
def test_a_decoded_file_names_the_profile_that_wrote_it(profile, identity):
    decoded = pkcs12kit.loads(pkcs12kit.dumps(identity, "pw", profile=profile, random=random.Random(1)), "pw")
    assert decoded.profile == profile
    assert decoded.profile.name == profile.name


def test_a_variant_decodes_as_custom_and_rewrites_the_same(identity):
    variant = LEGACY_3DES.with_iterations(1234).with_salt_length(12).with_mac(digest="sha256")
    decoded = pkcs12kit.loads(pkcs12kit.dumps(identity, "pw", profile=variant), "pw")
    found = decoded.profile
    assert found.name == "custom" and found.layout == "as-decoded"
    assert (found.key_protection, found.cert_protection, found.mac) == (
        variant.key_protection, variant.cert_protection, variant.mac)
    again = pkcs12kit.loads(pkcs12kit.dumps(decoded, "pw", profile=found), "pw")
    assert again == decoded
    assert [s.protection for s in again.safes] == [s.protection for s in decoded.safes]
    assert again.mac.iterations == 1234 and len(again.mac.salt) == 12
