"""Smoke test of the benchmark suite (benchmarks/run.py): it runs end to end on small chains and
produces the table, results.json and (with matplotlib) results.png with every implementation.

No timing is asserted: only that each number exists, is positive and finite, and that every
implementation loaded or wrote what it was asked to.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"

SIZES = (1, 10)
PROFILES = ("MODERN", "LEGACY_RC2", "LEGACY_3DES")


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, str(RUN), "--sizes", ",".join(map(str, SIZES)), "--repeat", "2",
         "--out", str(out), "--cache", str(out / "cache")],
        capture_output=True, text=True, timeout=300, cwd=str(ROOT),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stdout, proc.stderr, json.loads((out / "results.json").read_text())


def _rows(results, **where):
    return [r for r in results["results"] if all(r[k] == v for k, v in where.items())]


def test_table_printed(bench):
    _, stdout, _, _ = bench
    assert "| op | profile | N | implementation | median ms | × reference | µs/cert | MB/s |" in stdout
    for impl in ("pkcs12kit", "cryptography", "openssl-cli", "oscrypto", "floor"):
        assert f"| {impl} |" in stdout
    assert "| target | measured | met |" in stdout


def test_every_implementation_measured(bench):
    _, _, _, results = bench
    for profile in PROFILES:
        for size in SIZES:
            loads = {r["impl"]: r for r in _rows(results, op="loads", profile=profile, size=size)}
            dumps = {r["impl"]: r for r in _rows(results, op="dumps", profile=profile, size=size)}
            expected_loads = {"pkcs12kit", "pkcs12kit-own", "cryptography", "openssl-cli", "oscrypto",
                              "floor", "floor-kdf", "floor-cipher", "floor-hash"}
            expected_dumps = {"pkcs12kit", "openssl-cli", "floor", "floor-kdf", "floor-cipher", "floor-hash"}
            if profile != "LEGACY_RC2":  # cryptography cannot write RC2-40
                expected_dumps.add("cryptography")
            else:  # pkcs12kit with the oscrypto provider, and with only cryptography (pure-Python RC2-40)
                expected_loads |= {"pkcs12kit-oscrypto", "pkcs12kit-pure", "floor-cipher-pure"}
                expected_dumps |= {"pkcs12kit-oscrypto", "pkcs12kit-pure", "floor-cipher-pure"}
            assert set(loads) == expected_loads, (profile, size)
            assert set(dumps) == expected_dumps, (profile, size)
            for impl, r in {**loads, **{f"dumps {k}": v for k, v in dumps.items()}}.items():
                if impl in ("oscrypto", "pkcs12kit-oscrypto", "dumps pkcs12kit-oscrypto") and r["error"]:
                    continue  # measured "where it loads": an error is reported, not fatal
                assert r["error"] is None, (profile, size, impl, r["error"])
                assert r["median_ms"] is not None and math.isfinite(r["median_ms"]) and r["median_ms"] > 0
                assert r["bytes"] > 0


def test_work_rows_measured(bench):
    """The rows of the work users do: fields, chain, info (whole processes) and peak memory."""
    _, stdout, _, results = bench
    for size in SIZES:
        fields = {r["impl"]: r for r in _rows(results, op="fields", profile="MODERN", size=size)}
        info = {r["impl"]: r for r in _rows(results, op="info", profile="MODERN", size=size)}
        chain = _rows(results, op="chain", profile="MODERN", size=size)
        assert set(fields) == {"pkcs12kit", "cryptography", "oscrypto"}
        assert set(info) == {"pkcs12kit info", "pkcs12kit info --json", "openssl -info -nodes", "openssl -info -nokeys"}
        assert len(chain) == 1 and chain[0]["error"] is None
        for impl, r in {**fields, **info}.items():
            if impl == "oscrypto" and r["error"]:
                continue
            assert r["error"] is None, (size, impl, r["error"])
            assert r["median_ms"] > 0
        assert info["openssl -info -nodes"]["ratio"] == pytest.approx(1.0)
    memory = {(r["impl"], r["size"]): r for r in results["memory"]}
    for size in SIZES:
        for impl in ("loads pkcs12kit", "loads cryptography", "pkcs12kit info", "openssl -info -nodes"):
            assert memory[(impl, size)]["peak_kb"] > 0
    assert "peak RSS MiB" in stdout


def test_derived_columns(bench):
    _, _, _, results = bench
    for r in _rows(results, op="loads", profile="MODERN", size=10):
        if r["error"]:
            continue
        assert r["us_per_cert"] == pytest.approx(r["median_ms"] * 1000 / 10)
        assert r["ratio"] is not None and r["ratio"] > 0
    crypto = _rows(results, op="loads", profile="MODERN", size=10, impl="cryptography")[0]
    assert crypto["ratio"] == pytest.approx(1.0)
    for r in results["results"]:
        if r["median_ms"] is not None and r["impl"] != "floor":
            assert len(r["samples_ms"]) == 2, r


def test_extras(bench):
    _, _, _, results = bench
    startup = {r["impl"]: r for r in _rows(results, op="startup")}
    assert {"import pkcs12kit", "pkcs12kit info (3 certs)", "python -c pass"} <= set(startup)
    assert all(r["median_ms"] > 0 for r in startup.values() if r["error"] is None)
    assert startup["import pkcs12kit"]["error"] is None
    assert startup["pkcs12kit info (3 certs)"]["error"] is None
    trustpoint = {r["impl"]: r for r in _rows(results, op="loads", profile="TRUSTPOINT", size=3)}
    assert trustpoint["pkcs12kit"]["error"] is None and trustpoint["cryptography"]["error"] is None
    assert len(_rows(results, op="kdf")) == 3
    assert {t["target"] for t in results["targets"]} >= {"import pkcs12kit ≤ 50 ms"}


def test_plot_written(bench):
    out, _, _, results = bench
    pytest.importorskip("matplotlib")
    assert results["plot"] == "results.png"
    assert (out / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_isolate_times_each_row_in_a_fresh_interpreter(bench, tmp_path):
    # --isolate (the scale rows): pkcs12kit's loads, fields and chain run in benchmarks/isolated.py,
    # which checks what it loaded (every certificate, the chain) before it reports a time.
    out, _, _, _ = bench
    proc = subprocess.run(
        [sys.executable, str(RUN), "--sizes", "1,10", "--profiles", "MODERN", "--ops", "loads,fields,chain",
         "--isolate", "--no-extras", "--repeat", "1", "--no-plot", "--out", str(tmp_path),
         "--cache", str(out / "cache"), "--skip", "cryptography,oscrypto,openssl-cli,pkcs12kit-own"],
        capture_output=True, text=True, timeout=300, cwd=str(ROOT),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = json.loads((tmp_path / "results.json").read_text())["results"]
    rows = {(r["op"], r["size"]): r for r in records if r["impl"] == "pkcs12kit"}
    assert set(rows) == {(op, n) for op in ("loads", "fields", "chain") for n in (1, 10)}
    for r in rows.values():
        assert r["error"] is None and r["median_ms"] > 0
        assert "fresh interpreter" in r["note"]
