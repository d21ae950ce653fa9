"""Round-trip properties of dumps/loads (RFC 7292) over generated models, passwords and profiles
(pkcs12kit.strategies), with pyca/cryptography (OpenSSL underneath) as an independent reader,
and over the real PKCS#12 files of the cryptography-vectors package."""

from __future__ import annotations

import collections
import functools
import random
import warnings

import pytest
from asn1crypto import core
from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_der_private_key,
    pkcs12,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pkcs12kit
from pkcs12kit import strategies
from pkcs12kit.profiles import PROFILES
from test_decode_cryptography_vectors import FILES, password_for
from tools import key_pkcs8

# A fixed budget per property: enough to meet every shape of file and profile, fast on 2 cores.
ROUNDTRIP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FRIENDLY_NAME = "1.2.840.113549.1.9.20"

# --- the independent reader ---------------------------------------------------------------------


def _public(obj) -> bytes:
    return obj.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _friendly_name(entry):
    """What cryptography reports as the certificate's friendly name: the first friendlyName value
    (RFC 2985 5.5.1, a BMPString, decoded here with asn1crypto) as UTF-8, or None.

    cryptography 48 reports None for a name with characters outside the BMP (surrogate pairs in
    the BMPString), even in a file it wrote itself; those are returned as ``UNCHECKED``."""
    for attribute in entry.attributes:
        if attribute.oid == FRIENDLY_NAME:
            value = core.load(attribute.values[0])
            assert isinstance(value, core.BMPString)
            text = value.contents.decode("utf-16-be")
            if any(ord(c) > 0xFFFF for c in text):
                return UNCHECKED
            return text.encode("utf-8")
    return None


class _Unchecked:
    """Equal to anything: a value the oracle cannot report."""

    def __eq__(self, other) -> bool:
        return True

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED = _Unchecked()


def oracle_password(password):
    """``password`` as cryptography takes it, and None, or None and why cryptography cannot be
    given this password."""
    secret = password.encode("utf-8") if isinstance(password, str) else password
    if secret is None:
        return None, None
    if b"\x00" in secret:
        # OpenSSL takes the password as a C string; cryptography 48 panics (PanicException,
        # NulError) instead of raising.
        return None, "contains NUL"
    try:
        secret.decode("utf-8")
    except UnicodeDecodeError:
        # cryptography 48 fails with "TypeError: function takes exactly 5 arguments" on a
        # password that is not UTF-8 (it builds its UnicodeDecodeError wrongly).
        return None, "not utf-8"
    return secret, None


def _openssl_reads_empty_as_absent(profile: pkcs12kit.Profile) -> bool:
    """Whether OpenSSL's PKCS12_parse opens a file written with the password "" under the absent
    (NULL) password instead, and so fails to decrypt it.

    PKCS12_parse switches to NULL when the MAC verifies with NULL, or when there is no MAC. A
    PBMAC1 MAC (UTF-8, RFC 9579) verifies with NULL and "" alike; an HMAC MAC (BMPString with
    terminator, RFC 7292 B.1) does not. NULL and "" differ only for the PKCS#12 KDF, which sees
    the terminator (PBES2 uses UTF-8). `openssl pkcs12 -export -nomac -passout pass:` writes the
    "" form as pkcs12kit does, and cryptography 48 cannot read that file either (checked by hand).
    """
    if profile.mac is not None and profile.mac.kind == "hmac":
        return False
    encryptions = (profile.key_protection, profile.cert_protection)
    return any(p is not None and p.scheme.startswith("pkcs12_") for p in encryptions)


def check_with_cryptography(data: bytes, password, p12: pkcs12kit.PKCS12, profile: pkcs12kit.Profile) -> bool:
    """Read ``data`` with ``cryptography.hazmat.primitives.serialization.pkcs12.load_pkcs12`` and
    check that it is DER (no BER fallback warning), and its key, certificates (identity first, the
    rest in file order) and certificate friendly names against ``p12``. cryptography keeps only
    one key, so models with more are not checked.
    Returns whether the check ran."""
    secret, reason = oracle_password(password)
    if reason is not None or len(p12.keys) > 1:
        return False
    if password in ("", b"") and _openssl_reads_empty_as_absent(profile):
        return False
    with warnings.catch_warnings():
        # cryptography warns when it has to fall back from DER to BER: pkcs12kit writes DER.
        warnings.simplefilter("error")
        oracle = pkcs12.load_pkcs12(data, secret)
    certs = list(p12.certificates)
    if p12.keys:
        key = load_der_private_key(p12.keys[0].der, None)
        assert key_pkcs8(oracle.key) == key_pkcs8(key)
        # OpenSSL's PKCS12_parse takes the first certificate (file order) that matches the key.
        matching = [c for c in certs if _public(x509.load_der_x509_certificate(c.der)) == _public(key)]
    else:
        assert oracle.key is None
        matching = []
    if matching:
        identity = matching[0]
        assert oracle.cert.certificate.public_bytes(Encoding.DER) == identity.der
        assert _friendly_name(identity) == oracle.cert.friendly_name
        certs.remove(identity)
    else:
        assert oracle.cert is None
    assert [c.certificate.public_bytes(Encoding.DER) for c in oracle.additional_certs] == [c.der for c in certs]
    assert [_friendly_name(c) for c in certs] == [c.friendly_name for c in oracle.additional_certs]
    return True


# --- properties over generated files ------------------------------------------------------------


def _check_mac(decoded: pkcs12kit.PKCS12, profile: pkcs12kit.Profile) -> None:
    if profile.mac is None:
        assert decoded.mac is None
    else:
        assert (decoded.mac.kind, decoded.mac.digest, decoded.mac.iterations, len(decoded.mac.salt)) == (
            profile.mac.kind, profile.mac.digest, profile.mac.iterations, profile.mac.salt_length
        )
        assert decoded.mac_verified


@pytest.mark.parametrize("name", list(PROFILES))
@ROUNDTRIP
@given(
    p12=strategies.pkcs12s(),
    password=strategies.passwords(allow_bytes=True, allow_none=True),
    data=st.data(),
)
def test_loads_dumps_round_trip(name, p12, password, data):
    profile = data.draw(strategies.profiles(names=[name]), label="profile")
    encoded = pkcs12kit.dumps(p12, password, profile=profile)
    decoded = pkcs12kit.loads(encoded, password)
    assert decoded == p12
    # equality is per kind; the entries of each kind also keep their attributes in order
    assert collections.Counter(decoded.entries) == collections.Counter(p12.entries)
    _check_mac(decoded, profile)
    check_with_cryptography(encoded, password, p12, profile)


def test_the_oracle_runs_for_every_named_profile():
    """Guards the property above: cryptography really reads a file of each named profile."""
    identity = strategies._chained(0)
    p12 = pkcs12kit.PKCS12.build(key=identity.key, certificate=identity.certificate,
                                 chain=identity.chain, friendly_name="☺ 🔑")
    for profile in PROFILES.values():
        data = pkcs12kit.dumps(p12, "pässwörd 🔑", profile=profile.with_iterations(3))
        assert check_with_cryptography(data, "pässwörd 🔑", p12, profile), profile.name


@ROUNDTRIP
@given(
    encoded=strategies.encoded_files(password_strategy=strategies.passwords(allow_bytes=True, allow_none=True)),
    password=strategies.passwords(allow_bytes=True, allow_none=True),
    profile=strategies.profiles(),
)
def test_reprotect_under_another_password_and_profile(encoded, password, profile):
    data, original_password, p12 = encoded
    reprotected = pkcs12kit.dumps(pkcs12kit.loads(data, original_password), password, profile=profile)
    decoded = pkcs12kit.loads(reprotected, password)
    assert decoded == p12
    _check_mac(decoded, profile)
    check_with_cryptography(reprotected, password, p12, profile)


def _protections(p12) -> list:
    return [getattr(e, "protection", None) for e in p12.entries]


@ROUNDTRIP
@given(
    encoded=strategies.encoded_files(password_strategy=strategies.passwords(allow_none=True))
)
def test_lossless_rewrite_under_the_decoded_profile(encoded):
    data, password, p12 = encoded
    decoded = pkcs12kit.loads(data, password)
    again = pkcs12kit.loads(pkcs12kit.dumps(decoded, password, profile=decoded.profile), password)
    assert again.entries == decoded.entries  # every bag, in file order
    assert [(s.kind, s.protection, s.entries) for s in again.safes] == [
        (s.kind, s.protection, s.entries) for s in decoded.safes
    ]
    assert _protections(again) == _protections(decoded)
    assert (again.mac is None) == (decoded.mac is None)
    if decoded.mac is not None:
        assert again.mac.salt != decoded.mac.salt or not decoded.mac.salt  # fresh salt, same scheme
        assert repr(again.mac) == repr(decoded.mac)  # kind, digest, iterations, salt length, prf


def test_lossless_rewrite_of_an_empty_file():
    # regression: PKCS12.profile was None for a decoded file without safes, so the rewrite fell
    # back to MODERN and lost the MAC's parameters.
    profile = pkcs12kit.LEGACY_3DES.with_iterations(7)
    decoded = pkcs12kit.loads(pkcs12kit.dumps(pkcs12kit.PKCS12(), "pw", profile=profile), "pw")
    assert decoded.mac is not None and decoded.mac.iterations == 7  # what the file says
    again = pkcs12kit.loads(pkcs12kit.dumps(decoded, "pw", profile=decoded.profile), "pw")
    assert repr(again.mac) == repr(decoded.mac)


@ROUNDTRIP
@given(encoded=strategies.encoded_files(password_strategy=strategies.passwords(allow_none=True)))
def test_as_decoded_layout_keeps_bag_order_and_safes(encoded):
    data, password, p12 = encoded
    decoded = pkcs12kit.loads(data, password)
    profile = pkcs12kit.MODERN.with_iterations(1).with_layout("as-decoded")
    again = pkcs12kit.loads(pkcs12kit.dumps(decoded, password, profile=profile), password)
    assert again.entries == decoded.entries
    assert [(s.kind, s.entries) for s in again.safes] == [(s.kind, s.entries) for s in decoded.safes]


def _uses_randomness(p12: pkcs12kit.PKCS12, profile: pkcs12kit.Profile) -> bool:
    """Whether writing ``p12`` under ``profile`` needs a salt or IV: a MAC, a shrouded key, or an
    encrypted safe (RFC 7292: each has its own salt)."""
    keys = [e for e in p12.entries if isinstance(e, pkcs12kit.KeyEntry)]
    others = [e for e in p12.entries if not isinstance(e, pkcs12kit.KeyEntry)]
    encrypted_safe = profile.cert_protection is not None and bool(others or (profile.layout == "single" and keys))
    return profile.mac is not None or (bool(keys) and profile.key_protection is not None) or encrypted_safe


@ROUNDTRIP
@given(
    p12=strategies.pkcs12s(),
    password=strategies.passwords(),
    profile=strategies.profiles(),
    seeds=st.lists(st.integers(0, 2**64), min_size=2, max_size=2, unique=True),
)
def test_seeded_output_is_deterministic(p12, password, profile, seeds):
    first, second = seeds
    one = pkcs12kit.dumps(p12, password, profile=profile, random=random.Random(first))
    assert pkcs12kit.dumps(p12, password, profile=profile, random=random.Random(first)) == one
    other = pkcs12kit.dumps(p12, password, profile=profile, random=random.Random(second))
    if _uses_randomness(p12, profile):
        assert other != one
    else:
        assert other == one  # nothing random to draw: the output is a function of the input
    assert pkcs12kit.loads(other, password) == p12


# --- properties over the cryptography-vectors corpus --------------------------------------------

# Every file of cryptography-vectors' pkcs12/ folder, and every 10th NIST PKITS file (they all
# share one shape: a 3DES key and certificates, OpenSSL's layout), to keep the run short.
_PKITS = [f for f in FILES if "PKITS_data" in f.parts]
CORPUS = [f for f in FILES if "PKITS_data" not in f.parts] + _PKITS[::10]
# The named profiles with a low iteration count: the corpus is about bags, not KDF cost.
FAST_PROFILES = {name: profile.with_iterations(2) for name, profile in PROFILES.items()}


def _corpus_id(path) -> str:
    return ("pkits/" if "PKITS_data" in path.parts else "") + path.stem


@functools.lru_cache(maxsize=None)
def _decoded(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pkcs12kit.loads(path.read_bytes(), password_for(path))


def test_corpus_is_found():
    assert len(CORPUS) >= 31 + 20


@pytest.mark.parametrize("path", CORPUS, ids=_corpus_id)
def test_corpus_reencodes_under_every_profile(path):
    original = _decoded(path)
    password = password_for(path)
    assert original.entries  # every corpus file has bags
    for name, profile in FAST_PROFILES.items():
        again = pkcs12kit.loads(pkcs12kit.dumps(original, password, profile=profile), password)
        assert again == original, name
        # every bag with every attribute, whatever safe it landed in
        assert collections.Counter(again.entries) == collections.Counter(original.entries), name
        assert [e.attributes for e in again.keys] == [e.attributes for e in original.keys], name


@pytest.mark.parametrize("path", CORPUS, ids=_corpus_id)
def test_corpus_as_decoded_layout_keeps_bag_order(path):
    original = _decoded(path)
    password = password_for(path)
    profile = FAST_PROFILES["LEGACY_3DES"].with_layout("as-decoded")
    again = pkcs12kit.loads(pkcs12kit.dumps(original, password, profile=profile), password)
    assert again.entries == original.entries
    assert [(s.kind, s.entries) for s in again.safes] == [(s.kind, s.entries) for s in original.safes]


@pytest.mark.parametrize("path", CORPUS, ids=_corpus_id)
def test_corpus_rewrites_under_its_own_profile(path):
    original = _decoded(path)
    password = password_for(path)
    data = pkcs12kit.dumps(original, password, profile=original.profile)
    again = pkcs12kit.loads(data, password)
    assert again.entries == original.entries  # same bags, same order
    assert [(s.kind, s.protection, s.entries) for s in again.safes] == [
        (s.kind, s.protection, s.entries) for s in original.safes
    ]
    assert _protections(again) == _protections(original)
    if original.mac is not None:
        assert repr(again.mac) == repr(original.mac)
    # and cryptography reads the rewrite like the original file
    secret = None if password is None else password.encode()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # some originals are BER (cryptography warns), or odd serials
        before = _summary(pkcs12.load_pkcs12(path.read_bytes(), secret))
        assert _summary(pkcs12.load_pkcs12(data, secret)) == before


def _summary(loaded) -> tuple:
    """What cryptography read, as comparable values (its key objects have no equality)."""
    key = None if loaded.key is None else key_pkcs8(loaded.key)
    certs = ([loaded.cert] if loaded.cert is not None else []) + list(loaded.additional_certs)
    return key, [(c.certificate.public_bytes(Encoding.DER), c.friendly_name) for c in certs]
