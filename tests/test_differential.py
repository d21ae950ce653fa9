"""Differential fuzzing against cryptography (tests/fuzz/differential.py), as a CI smoke of a few
seconds: structure-aware files from `pkcs12kit.strategies` and mutated corpus files. Where
cryptography's ``load_pkcs12`` (OpenSSL 3) loads a file, pkcs12kit returns the same key and the
same x509 certificates; the documented differences (docs/security.md#differential-fuzzing) are
counted and each is shown by a test below."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))

import differential  # noqa: E402
import mutate  # noqa: E402
import seeds  # noqa: E402

import craft  # noqa: E402
import pkcs12kit  # noqa: E402
from pkcs12kit import strategies  # noqa: E402

MUTANTS = 600


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.encoded_files(password_strategy=strategies.passwords()))
def test_strategy_files_read_the_same(example):
    der, password, _ = example
    if isinstance(password, bytes):
        return  # cryptography takes bytes as given; pkcs12kit decodes them: not comparable here
    outcome = differential.compare(der, password)
    assert outcome in ("same", "pkcs12kit-only", "limits"), outcome


def test_mutated_corpus_reads_the_same():
    rnd = random.Random(20261203)
    pool = list(seeds.generated().values())
    outcomes: dict[str, int] = {}
    for _ in range(MUTANTS):
        child = mutate.mutate(rnd.choice(pool), rnd)
        outcome = differential.compare(child, seeds.PASSWORD)  # raises Difference on a disagreement
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("same", 0) >= MUTANTS // 20  # the comparison is not vacuous
    assert set(outcomes) <= {"same", "both-refuse", "pkcs12kit-only", "limits"} | {
        o for o in outcomes if o.startswith("pkcs12kit-stricter:")}


def test_compare_detects_a_different_certificate(monkeypatch):
    """Not vacuous: a pkcs12kit that lost a certificate is caught."""
    data = craft.plain_pfx()
    real = pkcs12kit.loads

    def lossy(*args, **kwargs):
        p12 = real(*args, **kwargs)
        return pkcs12kit.PKCS12(tuple(p12.keys))

    monkeypatch.setattr(pkcs12kit, "loads", lossy)
    try:
        differential.compare(data, "pw")
    except differential.Difference as err:
        assert "certificates differ" in str(err)
    else:
        raise AssertionError("the difference went unnoticed")


def test_documented_difference_version_other_than_3():
    """OpenSSL ignores the PFX version; RFC 7292 section 4 defines only v3 and pkcs12kit refuses."""
    content = craft.auth_safe(craft.data_ci(craft.plain_safe()))
    data = craft.pfx(content, craft.hmac_mac_data(content, "pw"), version=2)
    assert differential.compare(data, "pw") == "pkcs12kit-stricter:MalformedError"


def test_documented_difference_iteration_limits():
    """Work over the Limits is refused without asking cryptography (which has no cap)."""
    data = (Path(__file__).parent / "vectors" / "crafted" / "mac-iterations-2147483647.p12").read_bytes()
    assert differential.compare(data, "pw") == "limits"


def test_documented_difference_bytes_after_an_ed25519_key():
    """Found by the differential run: OpenSSL reads an Ed25519 privateKey's first 32 octets and
    ignores a byte after the CurvePrivateKey; pkcs12kit decodes the file but refuses the key on
    access (RFC 8410 section 7)."""
    pkcs8, cert = craft.identity()
    inner = craft.octets(pkcs8[-32:]) + b"\x7e"
    bad = craft.seq(craft.integer(0), craft.seq(craft.oid("1.3.101.112")), craft.octets(inner))
    content = craft.auth_safe(craft.data_ci(craft.safe_contents(craft.cert_bag(cert), craft.key_bag(bad))))
    data = craft.pfx(content, craft.hmac_mac_data(content, "pw"))
    assert differential._theirs(data, b"pw").key is not None  # OpenSSL takes it
    assert differential.compare(data, "pw") == "pkcs12kit-stricter:key"


def test_documented_difference_openssl_rewrites_signature_padding_bits():
    """Found by the differential run (tests/fuzz/regressions/differential-signature-padding-bits.der):
    a certificate whose signature BIT STRING declares 3 unused bits that are set comes back from
    OpenSSL with them cleared; pkcs12kit keeps the file's bytes. The comparison clears them on
    pkcs12kit's side (`_as_openssl_writes`)."""
    from cryptography.hazmat.primitives import serialization

    data = (Path(__file__).parent / "fuzz" / "regressions" / "differential-signature-padding-bits.der").read_bytes()
    ours = pkcs12kit.loads(data, seeds.PASSWORD).certificates[0].der
    theirs = differential._theirs(data, seeds.PASSWORD.encode())
    returned = [c.certificate.public_bytes(serialization.Encoding.DER)
                for c in ([theirs.cert] if theirs.cert else []) + list(theirs.additional_certs)]
    assert returned != [ours] and returned == [differential._as_openssl_writes(ours)]
    assert ours[-1] & 0x07 and not returned[0][-1] & 0x07
    assert differential.compare(data, seeds.PASSWORD) == "same"
