"""pkcs12kit.strategies: each strategy yields valid values, checked with ``cryptography`` (keys,
certificates, CRLs, signatures), the codecs (password encodability) and openssl (encoded files);
the key pool is made once; `import pkcs12kit` does not import hypothesis."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest
from asn1crypto import core
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_der_private_key
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import pkcs12kit
from pkcs12kit import strategies
from tools import LEGACY_PROVIDERS, key_pkcs8, openssl

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# RFC 7292 appendix D bag types: generated unknown bags must never use one of them.
RFC7292_BAG_ARC = "1.2.840.113549.1.12.10.1."
FRIENDLY_NAME = "1.2.840.113549.1.9.20"
LOCAL_KEY_ID = "1.2.840.113549.1.9.21"
ROOT = pathlib.Path(__file__).resolve().parent.parent


def _occurs(strategy, predicate, examples: int = 1000):
    """Assert that ``strategy`` yields a value satisfying ``predicate`` within ``examples`` draws
    and return it. Derandomized, so every run gives the same outcome, and without the shrink
    phase, which would only spend time."""
    return find(
        strategy,
        predicate,
        settings=settings(max_examples=examples, database=None, derandomize=True, phases=[Phase.generate],
                          suppress_health_check=list(HealthCheck)),
    )


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


# --- import behaviour -------------------------------------------------------------------------


def test_import_pkcs12kit_does_not_import_hypothesis():
    proc = _python("import sys, pkcs12kit; print('hypothesis' in sys.modules)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_missing_hypothesis_names_the_test_extra():
    # sys.modules[name] = None makes `import name` raise ImportError, as if not installed.
    proc = _python(
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import pkcs12kit.strategies\n"
        "except ImportError as err:\n    print('ImportError:', err)\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ImportError:")
    assert "hypothesis" in proc.stdout and "pkcs12kit[test]" in proc.stdout


# --- passwords and names ------------------------------------------------------------------------


@SETTINGS
@given(strategies.passwords())
def test_passwords_are_encodable_text(password):
    assert isinstance(password, str)
    # Both encodings a PKCS#12 password takes (RFC 7292 B.1 BMPString, RFC 8018 UTF-8) work.
    password.encode("utf-16-be")
    password.encode("utf-8")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in password)


@pytest.mark.parametrize(
    "description, predicate",
    [
        ("empty", lambda p: p == ""),
        ("a single space", lambda p: p == " "),
        ("ascii", lambda p: len(p) > 3 and p.isascii()),
        ("non-ascii BMP", lambda p: any(0x80 <= ord(c) <= 0xFFFF for c in p)),
        ("cyrillic", lambda p: any(0x400 <= ord(c) <= 0x4FF for c in p)),
        ("cjk", lambda p: any(0x4E00 <= ord(c) <= 0x9FFF for c in p)),
        ("non-BMP", lambda p: any(ord(c) > 0xFFFF for c in p)),
        ("U+E000 or U+FFFD", lambda p: "\ue000" in p or "\ufffd" in p),
        ("long", lambda p: len(p) >= 100),
    ],
)
def test_passwords_cover(description, predicate):
    _occurs(strategies.passwords(), predicate)


def test_passwords_options():
    _occurs(strategies.passwords(allow_bytes=True), lambda p: isinstance(p, bytes))
    _occurs(strategies.passwords(allow_none=True), lambda p: p is None)


@SETTINGS
@given(strategies.friendly_names())
def test_friendly_names(name):
    assert name is None or (isinstance(name, str) and "\x00" not in name)
    if name is not None:
        name.encode("utf-16-be")


def test_friendly_names_cover():
    _occurs(strategies.friendly_names(), lambda n: n is None)
    _occurs(strategies.friendly_names(), lambda n: n and any(ord(c) > 0xFFFF for c in n))


@SETTINGS
@given(strategies.attributes())
def test_attributes_are_der_with_at_most_one_name_and_key_id(attributes):
    oids = [a.oid for a in attributes]
    assert oids.count(FRIENDLY_NAME) <= 1 and oids.count(LOCAL_KEY_ID) <= 1
    assert len(set(oids)) == len(oids)
    for attribute in attributes:
        assert attribute.values
        for value in attribute.values:
            assert core.load(value).dump() == value  # one complete DER value
        if attribute.oid == FRIENDLY_NAME:
            assert isinstance(core.load(attribute.values[0]), core.BMPString)
        elif attribute.oid == LOCAL_KEY_ID:
            assert isinstance(core.load(attribute.values[0]), core.OctetString)
        else:
            assert attribute.oid.startswith("1.3.6.1.4.1.99999.")


# --- the pool -----------------------------------------------------------------------------------


@SETTINGS
@given(strategies.private_keys())
def test_private_keys_load_in_cryptography(key):
    loaded = load_der_private_key(key.dump(), None)
    assert isinstance(loaded, (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey))
    if isinstance(loaded, rsa.RSAPrivateKey):
        assert loaded.key_size == 2048
    if isinstance(loaded, ec.EllipticCurvePrivateKey):
        assert loaded.curve.name == "secp256r1"


def test_private_keys_cover_every_kind():
    kinds = set()
    for kind in ("ec", "ed25519", "rsa"):
        found = _occurs(strategies.private_keys(), lambda k, kind=kind: k.algorithm == kind)
        kinds.add(found.algorithm)
    assert kinds == {"ec", "ed25519", "rsa"}


def _public(obj) -> bytes:
    return obj.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


@SETTINGS
@given(strategies.certificates())
def test_certificates_parse_and_are_signed(cert):
    parsed = x509.load_der_x509_certificate(cert.dump())
    if parsed.issuer == parsed.subject:
        parsed.verify_directly_issued_by(parsed)  # self-signed: the signature checks out


@SETTINGS
@given(strategies.identities())
def test_identities_match_key_certificate_and_chain(identity):
    key = load_der_private_key(identity.key.dump(), None)
    certs = [x509.load_der_x509_certificate(c.dump()) for c in (identity.certificate, *identity.chain)]
    assert _public(key) == _public(certs[0])
    for child, issuer in zip(certs, certs[1:] + certs[-1:]):
        child.verify_directly_issued_by(issuer)  # each issued by the next; the last self-signed
    assert len(identity.chain) in (0, 2)


@SETTINGS
@given(strategies.chains())
def test_chains_are_leaf_intermediate_root(identity):
    leaf, intermediate, root = (
        x509.load_der_x509_certificate(c.dump()) for c in (identity.certificate, *identity.chain)
    )
    leaf.verify_directly_issued_by(intermediate)
    intermediate.verify_directly_issued_by(root)
    root.verify_directly_issued_by(root)
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert intermediate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True


def test_pool_is_made_once_and_shared():
    first = strategies._pool()
    generations = strategies._pool_generations

    @settings(max_examples=30, database=None)
    @given(strategies.pkcs12s(), strategies.private_keys(), strategies.certificates())
    def draw_many(p12, key, cert):
        pass

    draw_many()
    assert strategies._pool() is first
    assert strategies._pool_generations == generations == 1
    # the same pool key gives the same DER on every draw
    ders = {_occurs(strategies.private_keys(), lambda k: k.algorithm == "rsa").dump()
            for _ in range(3)}
    assert len(ders) == 1


# --- entries ------------------------------------------------------------------------------------


@SETTINGS
@given(strategies.key_entries())
def test_key_entries(entry):
    assert isinstance(entry, pkcs12kit.KeyEntry)
    load_der_private_key(entry.der, None)
    assert key_pkcs8(load_der_private_key(entry.der, None)) == entry.der


@SETTINGS
@given(strategies.cert_entries())
def test_cert_entries(entry):
    assert isinstance(entry, pkcs12kit.CertEntry) and entry.cert_type == "x509"
    x509.load_der_x509_certificate(entry.der)


@SETTINGS
@given(strategies.crl_entries())
def test_crl_entries_are_signed_crls(entry):
    crl = x509.load_der_x509_crl(entry.der)
    pool = strategies._pool()
    issuers = [x509.load_der_x509_certificate(d) for d in (pool.root_der, pool.intermediate_der)]
    issuer = next(c for c in issuers if c.subject == crl.issuer)
    assert crl.is_signature_valid(issuer.public_key())


def test_crl_entries_cover_empty_and_revoking():
    counts = set()
    for wanted in (0, 3):
        entry = _occurs(strategies.crl_entries(), lambda e, w=wanted: len(x509.load_der_x509_crl(e.der)) == w)
        counts.add(len(x509.load_der_x509_crl(entry.der)))
    assert counts == {0, 3}


@SETTINGS
@given(strategies.secret_entries())
def test_secret_entries_use_the_rfc7292_form(entry):
    assert isinstance(entry, pkcs12kit.SecretEntry) and isinstance(entry.value, bytes)
    assert entry.pkcs8 is None and entry.value_der is None
    # never keyBag / pkcs8ShroudedKeyBag, which would make it a SunJCE secret key
    assert not entry.type_id.startswith(RFC7292_BAG_ARC)
    assert re.fullmatch(r"1\.3\.6\.1\.4\.1\.99999\.\d+\.\d+", entry.type_id)


@SETTINGS
@given(strategies.unknown_bags())
def test_unknown_bags(bag):
    assert not bag.bag_id.startswith(RFC7292_BAG_ARC)
    assert re.fullmatch(r"1\.3\.6\.1\.4\.1\.99999\.\d+\.\d+", bag.bag_id)
    assert core.load(bag.value_der).dump() == bag.value_der


def test_entries_have_unknown_attributes_sometimes():
    _occurs(strategies.entries(), lambda e: any(a.oid.startswith("1.3.6.1.4.1.99999.") for a in e.attributes))


# --- whole files --------------------------------------------------------------------------------


@SETTINGS
@given(strategies.pkcs12s())
def test_pkcs12s_are_valid_models(p12):
    assert isinstance(p12, pkcs12kit.PKCS12)
    for key in p12.keys:
        load_der_private_key(key.der, None)
    for cert in p12.certificates:
        x509.load_der_x509_certificate(cert.der)
    for crl in p12.crls:
        x509.load_der_x509_crl(crl.der)


def _has_chain(p12) -> bool:
    subjects = {x509.load_der_x509_certificate(c.der).subject.rfc4514_string() for c in p12.certificates}
    return len(p12.keys) == 1 and "CN=pkcs12kit strategies root CA" in subjects and len(subjects) == 3


@pytest.mark.parametrize(
    "shape, predicate",
    [
        ("empty", lambda p: not p.entries),
        ("key + certificate + chain", _has_chain),
        ("trust store", lambda p: p.certificates and not p.keys
         and all(c.attribute("2.16.840.1.113894.746875.1.1") for c in p.certificates)),
        ("several keys with certificates", lambda p: len(p.keys) >= 2 and len(p.certificates) >= 2),
        ("crl", lambda p: p.crls),
        ("secret", lambda p: p.secrets),
        ("unknown bag", lambda p: p.unknown_bags),
        ("two kinds of bags mixed", lambda p: p.keys and (p.crls or p.secrets or p.unknown_bags)),
    ],
)
def test_pkcs12s_cover(shape, predicate):
    _occurs(strategies.pkcs12s(), predicate)


@SETTINGS
@given(strategies.profiles())
def test_profiles_are_fast_variants_of_named_profiles(profile):
    assert profile.name.split("+")[0] in pkcs12kit.profiles.PROFILES
    for protection in (profile.key_protection, profile.cert_protection):
        if protection is not None and protection.kdf == "scrypt":
            assert protection.scrypt_n <= 16  # scrypt's cost is N, not an iteration count
        else:
            assert protection is None or 1 <= protection.iterations <= 50
    assert profile.mac is None or 1 <= profile.mac.iterations <= 50


@pytest.mark.parametrize(
    "variant, predicate",
    [(f"named {name}", lambda p, name=name: p.name.split("+")[0] == name) for name in pkcs12kit.profiles.PROFILES]
    + [
        (f"mac {digest}", lambda p, d=digest: p.mac is not None and (p.mac.kind, p.mac.digest) == ("hmac", d))
        for digest in ("sha1", "sha256", "sha384", "sha512")
    ]
    + [
        ("pbmac1", lambda p: p.mac is not None and p.mac.kind == "pbmac1"),
        ("no mac, encrypted", lambda p: p.mac is None and p.key_protection is not None),
        ("plain keys, encrypted certificates", lambda p: p.key_protection is None and p.cert_protection is not None),
        ("layout single", lambda p: p.layout == "single"),
        ("layout keys-then-certs", lambda p: p.layout == "keys-then-certs"),
        ("long salts", lambda p: p.mac is not None and p.mac.salt_length > 20),
    ],
)
def test_profiles_cover(variant, predicate):
    _occurs(strategies.profiles(), predicate)


SCHEMES = (
    "pbes2", "pkcs12_sha1_tripledes_3key", "pkcs12_sha1_tripledes_2key", "pkcs12_sha1_rc2_40",
    "pkcs12_sha1_rc2_128", "pkcs12_sha1_rc4_40", "pkcs12_sha1_rc4_128", "pbes1_md5_des", "pbes1_sha1_des",
    "pbes1_md5_rc2", "pbes1_sha1_rc2",
)


@pytest.mark.parametrize("scheme", SCHEMES + ("scrypt",) + tuple(f"pbes2 {c}" for c in ("aes128_cbc", "des", "rc2")))
def test_protections_cover(scheme):
    if scheme == "scrypt":
        _occurs(strategies.protections(), lambda p: p.kdf == "scrypt")
    elif scheme.startswith("pbes2 "):
        _occurs(strategies.protections(), lambda p: p.scheme == "pbes2" and p.cipher == scheme.split()[1])
    else:
        _occurs(strategies.protections(), lambda p: p.scheme == scheme)


@SETTINGS
@given(strategies.protections(max_iterations=5))
def test_protections_are_low_cost(protection):
    assert protection.scheme in SCHEMES
    assert 8 <= protection.salt_length <= 20
    assert protection.iterations is None if protection.kdf == "scrypt" else 1 <= protection.iterations <= 5


def test_profiles_draw_other_schemes():
    _occurs(strategies.profiles(),
            lambda p: p.cert_protection is not None and p.cert_protection.scheme.startswith("pbes1"))


def test_profiles_names_argument():
    @settings(max_examples=20, database=None)
    @given(strategies.profiles(names=["LEGACY_RC2"], variants=False, max_iterations=3))
    def check(profile):
        assert profile.cert_protection.scheme == "pkcs12_sha1_rc2_40"
        assert profile.mac.iterations <= 3

    check()
    with pytest.raises(ValueError, match="unknown profile"):
        strategies.profiles(names=["NOPE"])


@settings(max_examples=12, deadline=None, database=None)
@given(
    strategies.encoded_files(
        password_strategy=st.sampled_from(["password", "p w", "x"]),
        # the openssl on PATH (3.0) predates PBMAC1 (RFC 9579, OpenSSL >= 3.4)
        profile_strategy=strategies.profiles().filter(lambda p: p.mac is None or p.mac.kind != "pbmac1"),
    )
)
def test_encoded_files_open_in_openssl(openssl_tool, encoded):
    der, password, p12 = encoded
    assert isinstance(der, bytes) and der[:1] == b"\x30"
    # openssl reads the file with the password (MAC verified, every safe decrypted) and prints
    # as many keys and certificates as the model has.
    proc = openssl("pkcs12", "-passin", "pass:" + password, "-nodes", *LEGACY_PROVIDERS, input=der)
    assert proc.stdout.count(b"-----BEGIN PRIVATE KEY-----") == len(p12.keys)
    assert proc.stdout.count(b"-----BEGIN CERTIFICATE-----") == len(p12.certificates)


# --- docs ---------------------------------------------------------------------------------------


def test_docs_strategies_examples_run():
    page = (ROOT / "docs" / "strategies.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert blocks
    for number, block in enumerate(blocks):
        exec(compile(block, f"docs/strategies.md block {number + 1}", "exec"), {"__name__": "docs_strategies"})
