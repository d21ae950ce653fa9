"""The fuzz target (tests/fuzz/fuzz_loads.py `check`) over the seed corpus and a fixed set of
structure-aware mutants (tests/fuzz/mutate.py), in-process and without atheris: bounded for CI,
reproducible (fixed random seed), and every regression the real fuzzer found stays found."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))

import fuzz_loads  # noqa: E402
import mutate  # noqa: E402
import seeds  # noqa: E402

import pkcs12kit  # noqa: E402

MUTANTS = 2000

@pytest.fixture(scope="module")
def corpus(openssl_tool) -> dict[str, bytes]:
    found = seeds.all_seeds()
    # Guards against an empty or shrunken corpus passing silently.
    assert sum(name.startswith("dumps-") for name in found) >= 10
    assert sum(name.startswith("openssl-") for name in found) == 4
    assert sum(name.startswith("disk-") for name in found) >= 30
    return found


def test_seeds_decode_as_expected(corpus):
    """Seeds made with the fuzz password decode fully: the fuzzer starts from valid files."""
    stats: dict = {}
    for name, data in corpus.items():
        if name.startswith(("dumps-", "crafted-", "ber-", "openssl-")):
            p12 = pkcs12kit.loads(data, seeds.PASSWORD, limits=pkcs12kit.Limits(**fuzz_loads.LIMITS_KW))
            assert p12.entries, name
            if p12.mac is not None:
                assert p12.mac_verified, name
        fuzz_loads.check(data, stats=stats)
    assert stats["mac:ok"] >= 20


def test_mutants_keep_the_error_contract(corpus):
    rnd = random.Random(20260601)
    pool = list(corpus.values())
    stats: dict = {}
    kinds = set()
    for _ in range(MUTANTS):
        child = mutate.mutate(rnd.choice(pool), rnd)
        fuzz_loads.check(child, stats=stats)
    for key in stats:
        kinds.add(key.split(":", 1)[1])
    assert sum(stats.values()) == 2 * MUTANTS
    # The mutants reach every layer: some still decode, each error class shows up.
    assert {"ok", "MalformedError", "BadPasswordError", "LimitExceededError",
            "UnsupportedAlgorithmError"} <= kinds


def test_check_flags_a_contract_breach(monkeypatch):
    """The target is not vacuous: a non-PKCS12Error escaping loads is raised to the fuzzer."""
    from pkcs12kit import pfx

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(pfx, "decode", broken)
    with pytest.raises(ZeroDivisionError):
        fuzz_loads.check(b"\x30\x03\x02\x01\x03")


def test_check_flags_a_password_in_a_message(monkeypatch):
    from pkcs12kit import pfx

    def leaky(*args, **kwargs):
        raise pkcs12kit.MalformedError(f"bad file for password {fuzz_loads.PASSWORD}")

    monkeypatch.setattr(pfx, "decode", leaky)
    with pytest.raises(fuzz_loads.ContractViolation, match="password in error message"):
        fuzz_loads.check(b"\x30\x03\x02\x01\x03")


REGRESSION_DIR = Path(__file__).parent / "fuzz" / "regressions"
REGRESSIONS = sorted(p for p in REGRESSION_DIR.glob("*") if p.suffix != ".md")


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_fuzz_regressions(path):
    """Inputs the fuzz runs kept (tests/fuzz/regressions/README.md says why each is there)."""
    fuzz_loads.check(path.read_bytes())


def test_signer_key_on_unknown_curve():
    """The fuzz finding `signer-key-unknown-curve.der`: cryptography cannot build the signer's
    public key (its curve OID is pbeWithSHAAnd128BitRC4's); loads says so in its own error."""
    pkcs12kit, limits = fuzz_loads._api()
    data = (REGRESSION_DIR / "signer-key-unknown-curve.der").read_bytes()
    with pytest.raises(pkcs12kit.UnsupportedAlgorithmError) as caught:
        pkcs12kit.loads(data, fuzz_loads.PASSWORD, limits=limits, **fuzz_loads._PUBLIC_KEY)
    assert str(caught.value) == (
        "authSafe signedData signerInfo[0]: the signer certificate's public key cannot be used: "
        "Curve 1.2.840.113549.1.12.1.5 is not supported")


def test_signer_certificate_cryptography_refuses():
    """The fuzz finding `signer-certificate-version-255.der`: cryptography refuses the signer's
    certificate (version 255) with an exception of its own; loads names the place instead."""
    pkcs12kit, limits = fuzz_loads._api()
    data = (REGRESSION_DIR / "signer-certificate-version-255.der").read_bytes()
    with pytest.raises(pkcs12kit.MalformedError) as caught:
        pkcs12kit.loads(data, fuzz_loads.PASSWORD, limits=limits, **fuzz_loads._PUBLIC_KEY)
    assert str(caught.value) == (
        "authSafe signedData signerInfo[0]: the certificate cannot be read: 255 is not a valid X509 version")


def test_health_of_a_certificate_cryptography_refuses():
    """The fuzz finding `health-certificate-version-7.der`: cryptography refuses a chain member
    (version 7) with an exception of its own; health reports no signature verdict for that link
    instead of raising, and no CLI command exits 8 on the file."""
    import touch

    from pkcs12kit import targets

    pkcs12kit, limits = fuzz_loads._api()
    data = (REGRESSION_DIR / "health-certificate-version-7.der").read_bytes()
    p12 = pkcs12kit.loads(data, fuzz_loads.PASSWORD, limits=limits, **fuzz_loads._PUBLIC_KEY)
    codes = [finding.code for finding in targets.health(p12)]
    assert "chain-signature-invalid" not in codes
    touch.touch_cli(data, fuzz_loads.PASSWORD)  # raises ContractViolation on an exit 8


def test_a_name_of_35000_values_is_refused_before_asn1crypto(monkeypatch):
    """The fuzz finding `name-of-35000-values.der`: asn1crypto's rendering of the name took 1.3 s
    a call; now it is never asked (no Name.load), and repr still works."""
    from asn1crypto import x509

    loads: list[int] = []
    original = x509.Name.load.__func__
    monkeypatch.setattr(x509.Name, "load", classmethod(lambda cls, *a, **k: loads.append(1) or original(cls, *a, **k)))
    pkcs12kit, limits = fuzz_loads._api()
    data = (REGRESSION_DIR / "name-of-35000-values.der").read_bytes()
    p12 = pkcs12kit.loads(data, fuzz_loads.PASSWORD, limits=limits, verify_mac=False, **fuzz_loads._PUBLIC_KEY)
    (entry,) = p12.certificates
    assert repr(entry) == "CertEntry('unparsable')"
    with pytest.raises(pkcs12kit.MalformedError) as caught:
        entry.subject.human_friendly
    assert str(caught.value) == "certificate name: holds over 1,024 values; not rendered"
    assert loads == []


def test_a_pfx_of_500000_fields_is_refused_after_four(monkeypatch):
    """The fuzz finding `pfx-of-500000-fields.der`: the PFX SEQUENCE's fields are read four at
    most (it was every one of about 500,000: 0.5 s and 80 MB), counted in TLV reads."""
    from pkcs12kit import tlv

    reads: list[int] = []
    original = tlv.read
    monkeypatch.setattr(tlv, "read", lambda *a, **k: reads.append(1) or original(*a, **k))
    pkcs12kit, limits = fuzz_loads._api()
    data = (REGRESSION_DIR / "pfx-of-500000-fields.der").read_bytes()
    with pytest.raises(pkcs12kit.MalformedError) as caught:
        pkcs12kit.loads(data, None, limits=limits)
    assert str(caught.value) == "PFX: expected version, authSafe and an optional macData; found more than 3 fields"
    assert len(reads) <= 10


def test_regressions_are_documented():
    readme = (REGRESSION_DIR / "README.md").read_text()
    assert REGRESSIONS
    for path in REGRESSIONS:
        assert f"`{path.name}`" in readme, path.name


def test_mutators_each_change_their_input():
    data = seeds.generated()["dumps-modern"]
    tree = mutate.parse(data)
    assert tree is not None and mutate.encode(tree) == data  # lossless round trip
    for mutator in mutate.TREE_MUTATORS:
        rnd = random.Random(1)
        tree = mutate.parse(data)
        assert mutator(tree, rnd) is True, mutator.__name__
        assert mutate.encode(tree) != data, mutator.__name__
    for mutator in mutate.BYTE_MUTATORS:
        assert mutator(data, random.Random(2)) != data, mutator.__name__
    boundaries = mutate.tlv_boundaries(data)
    assert boundaries[0] == 0 and boundaries[-1] == len(data) and len(boundaries) > 50
