"""The error contract, extended (issue 15): for any input, after ``loads`` succeeds, everything a
user touches works or raises a `PKCS12Error`: accessors, chain, profile, to_pem, dumps,
`targets.check` for every target, every public `cisco` function, and every CLI command (which
never exits 8). tests/fuzz/touch.py does the touching; the atheris target runs it too."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))

import craft  # noqa: E402  (tests/craft.py: the seeds' identity)
import mutate  # noqa: E402
import seeds  # noqa: E402
import touch  # noqa: E402

import pkcs12kit  # noqa: E402
from pkcs12kit import strategies  # noqa: E402

CRAFTED = Path(__file__).parent / "vectors" / "crafted"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.encoded_files())
def test_decoded_strategy_files_keep_the_contract(example):
    der, password, _ = example
    p12 = pkcs12kit.loads(der, password)
    counts: dict[str, int] = {}
    touch.touch_library(p12, counts)
    assert counts.get("ok", 0) > 10


def test_mutants_that_decode_keep_the_contract():
    rnd = random.Random(151515)
    pool = list(seeds.generated().values())
    # The seeds include signed and enveloped files (public-key modes): opened with the seeds'
    # own identity, as the fuzz target opens them.
    key, cert = craft.ec_identity()
    decoded = 0
    # 800 mutants: the seed pool grew with issue 14's ciphers and public-key modes, whose mutants
    # decode less often; at least 40 must decode for the contract to be exercised.
    for number in range(800):
        child = mutate.mutate(rnd.choice(pool), rnd)
        try:
            p12 = pkcs12kit.loads(child, seeds.PASSWORD, limits=pkcs12kit.Limits(max_total_iterations=65536),
                                  trust=[cert], recipient_key=key)
        except pkcs12kit.PKCS12Error:
            continue
        decoded += 1
        touch.touch_everything(p12, child, seeds.PASSWORD, cli=decoded % 10 == 1)
    assert decoded >= 40


# The 1 MB filler file (input-1000000-bytes.p12) is left out: it holds one certificate, like
# many smaller files here, and touching it only costs time.
SMALL_CRAFTED = sorted(p for p in CRAFTED.glob("*.p12") if p.stat().st_size < 200_000)


@pytest.mark.parametrize("path", SMALL_CRAFTED, ids=lambda p: p.name)
def test_every_crafted_file_that_decodes_keeps_the_contract(path):
    data = path.read_bytes()
    for password in ("pw", None):
        try:
            p12 = pkcs12kit.loads(data, password)
        except pkcs12kit.PKCS12Error:
            continue
        touch.touch_everything(p12, data, password, cli=True)
        break


def test_touch_flags_a_breach(monkeypatch):
    """Not vacuous: an accessor raising something else is reported."""
    p12 = pkcs12kit.loads(seeds.generated()["dumps-modern"], seeds.PASSWORD)

    def broken(self):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(pkcs12kit.PKCS12, "profile", property(broken))
    with pytest.raises(touch.ContractViolation, match="profile: ZeroDivisionError"):
        touch.touch_library(p12)


def test_touch_flags_cli_exit_8(monkeypatch):
    from pkcs12kit.cli import inspect

    def broken(session):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(inspect, "cmd_info", broken)
    data = seeds.generated()["dumps-modern"]
    with pytest.raises(touch.ContractViolation, match="exit 8"):
        touch.touch_cli(data, seeds.PASSWORD)
