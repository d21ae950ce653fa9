"""Benchmark cases for the work users do after `loads`: certificate fields, the chain, the
``info`` command, and peak memory. Used by run.py (ops ``fields``, ``chain``, ``info``,
``memory``); see benchmarks/README.md for what each row times.

- ``fields``: load the file, then for every certificate read subject and issuer as RFC 4514
  text, serial, notBefore/notAfter, public-key algorithm and size, SHA-256 fingerprint.
  pkcs12kit through `CertEntry`'s cheap fields; cryptography through its x509 API; oscrypto
  through the asn1crypto certificates it returns (``human_friendly`` names, as asn1crypto has no
  RFC 4514 form).
- ``chain``: `pkcs12kit.loads` then ``p12.chain`` on the identity (no peer builds chains from a
  PKCS#12 file; the ``loads`` row of the same size is the baseline).
- ``info``: whole processes, wall time: ``python -m pkcs12kit info FILE`` and ``info --json``
  against ``openssl pkcs12 -info -nodes`` and ``-info -nokeys`` (which print every certificate
  as PEM with its subject and issuer), output to /dev/null.
- ``memory``: peak RSS (``ru_maxrss``) in a child process: ``loads`` above the interpreter's
  baseline once the imports are done (including a first load of the 1-certificate file) and the
  file is read; whole ``info``/openssl processes as ``os.wait4`` reports them (started by a small
  Python launcher, whose ~11 MB is therefore the floor of those rows).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# The profile the work rows run on (its reference file is cryptography's PBES2/AES file).
WORK_PROFILE = "MODERN"


def pkcs12kit_fields(data: bytes, password: str):
    """loads + every certificate's fields, through pkcs12kit's cheap fields."""
    import pkcs12kit

    p12 = pkcs12kit.loads(data, password)
    rows = []
    for cert in p12.certificates:
        key = cert.public_key_info
        rows.append((cert.subject.rfc4514, cert.issuer.rfc4514, cert.serial_number, cert.not_before,
                     cert.not_after, key.algorithm, key.bits, cert.fingerprint("sha256")))
    return rows


def cryptography_fields(data: bytes, password: bytes):
    """load_pkcs12 + the same fields through cryptography's x509 API."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs12

    loaded = pkcs12.load_pkcs12(data, password)
    sha256 = hashes.SHA256()
    rows = []
    for item in ([loaded.cert] if loaded.cert else []) + list(loaded.additional_certs):
        cert = item.certificate
        public = cert.public_key()
        rows.append((cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), cert.serial_number,
                     cert.not_valid_before_utc, cert.not_valid_after_utc, cert.public_key_algorithm_oid.dotted_string,
                     getattr(public, "key_size", None), cert.fingerprint(sha256)))
    return rows


def oscrypto_fields(data: bytes, password: bytes):
    """oscrypto's parse_pkcs12 + the fields from the asn1crypto certificates it returns."""
    from oscrypto import keys

    _key, cert, extra = keys.parse_pkcs12(data, password)
    rows = []
    for c in ([cert] if cert is not None else []) + list(extra):
        public = c.public_key
        rows.append((c.subject.human_friendly, c.issuer.human_friendly, c.serial_number, c.not_valid_before,
                     c.not_valid_after, public.algorithm, public.bit_size, c.sha256))
    return rows


def expect_rows(size: int):
    def check(rows) -> None:
        if len(rows) != size or any(row[0] is None or row[2] is None for row in rows):
            raise AssertionError(f"read {len(rows)} of {size} certificates' fields")

    return check


def pkcs12kit_chain(data: bytes, password: str):
    import pkcs12kit

    p12 = pkcs12kit.loads(data, password)
    return p12, p12.chain


def expect_chain(size: int):
    # The corpus is one chain of `size` certificates; `p12.chain` returns at most
    # chain.MAX_CHAIN (32) issuers (issue 15 row 3), so the row times indexing `size`
    # certificates by name plus a walk of at most 32 links.
    from pkcs12kit.chain import MAX_CHAIN

    def check(result) -> None:
        _p12, chain = result
        if len(chain) != min(size - 1, MAX_CHAIN):
            raise AssertionError(f"chain of {len(chain)} issuers, expected {min(size - 1, MAX_CHAIN)}")

    return check


def info_commands(python: str, path: Path, password: str) -> dict[str, list[str]]:
    """The four whole-process ``info`` commands on ``path``."""
    pkcs12kit_info = [python, "-m", "pkcs12kit", "info", str(path), "--passin", f"pass:{password}"]
    openssl_info = ["openssl", "pkcs12", "-in", str(path), "-passin", f"pass:{password}", "-info"]
    return {
        "pkcs12kit info": pkcs12kit_info,
        "pkcs12kit info --json": pkcs12kit_info + ["--json"],
        "openssl -info -nodes": openssl_info + ["-nodes"],
        "openssl -info -nokeys": openssl_info + ["-nokeys"],
    }


def run_quiet(args, env=None):
    """Run a command with its output (which can be megabytes) sent to /dev/null."""
    return subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=str(ROOT))


def expect_success(proc) -> None:
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}")


# --- memory ------------------------------------------------------------------------------

_LOADS_RSS = r"""
import resource, sys
which, path, warm, password = sys.argv[1:5]
if which == "pkcs12kit":
    import pkcs12kit
    load = lambda data: pkcs12kit.loads(data, password)
else:
    from cryptography.hazmat.primitives.serialization import pkcs12
    load = lambda data: pkcs12.load_pkcs12(data, password.encode())
load(open(warm, "rb").read())  # the libraries a load imports on first use (asn1crypto, ciphers)
data = open(path, "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = load(data)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base, peak)
"""


# Linux carries a process's peak RSS across fork and exec (the child starts at its parent's high
# water mark), and the benchmark process holds hundreds of MB of corpus: every measured program
# is therefore started by this small launcher, which reports the program's own peak.
_LAUNCHER = r"""
import os, subprocess, sys
quiet = sys.argv[1] == "quiet"
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.DEVNULL)
_pid, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, flush=True)
"""


def _launch(args, env, quiet: bool) -> tuple[int, int, str]:
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, "quiet" if quiet else "pass", *args], capture_output=True,
                          text=True, env=env, cwd=str(ROOT), check=True)
    *output, last = proc.stdout.strip().splitlines()
    code, peak = last.split()
    return int(code), int(peak), "\n".join(output)


def loads_peak_kb(which: str, path: Path, warm: Path, password: str, env: dict) -> tuple[int, int]:
    """(baseline KiB, peak KiB) of a child that imports, loads the small file ``warm`` (so the
    libraries a load imports lazily are in), reads the file, then loads it."""
    code, _peak, output = _launch([sys.executable, "-c", _LOADS_RSS, which, str(path), str(warm), password], env,
                                  quiet=False)
    if code != 0:
        raise RuntimeError(f"loads {which} exited {code}")
    base, peak = output.split()
    return int(base), int(peak)


def process_peak_kb(args, env=None) -> int:
    """Peak RSS (KiB) of one whole process, from ``os.wait4`` in the launcher."""
    code, peak, _ = _launch(list(args), env, quiet=True)
    if code != 0:
        raise RuntimeError(f"{args[0]} exited {code}")
    return peak


def measure_memory(corpus, sizes, env: dict, password: str, log=print) -> list[dict]:
    """Peak RSS rows (op ``memory``): loads (pkcs12kit, cryptography) above their baseline, and
    the whole info / openssl processes, with the bare processes for reference."""
    python = sys.executable
    rows = []
    rows.append({"impl": "python -c 'import pkcs12kit.cli'", "size": 0,
                 "peak_kb": process_peak_kb([python, "-c", "import pkcs12kit.cli"], env)})
    rows.append({"impl": "openssl version", "size": 0, "peak_kb": process_peak_kb(["openssl", "version"])})
    warm = corpus.reference_file(WORK_PROFILE, 1)
    for size in sizes:
        path = corpus.reference_file(WORK_PROFILE, size)
        nbytes = path.stat().st_size
        for which in ("pkcs12kit", "cryptography"):
            base, peak = loads_peak_kb(which, path, warm, password, env)
            rows.append({"impl": f"loads {which}", "size": size, "bytes": nbytes, "baseline_kb": base, "peak_kb": peak,
                         "above_baseline_kb": peak - base, "x_file": (peak - base) * 1024 / nbytes})
        for name, args in info_commands(python, path, password).items():
            rows.append({"impl": name, "size": size, "bytes": nbytes, "peak_kb": process_peak_kb(args, env)})
        log(f"  memory: {size} certificates measured")
    return rows


def format_memory(rows: list[dict]) -> str:
    lines = ["| N | what | peak RSS MiB | above baseline MiB | × file size |", "|---:|---|---:|---:|---:|"]
    for row in rows:
        above = row.get("above_baseline_kb")
        above_text = "" if above is None else format(above / 1024, ",.1f")
        times = "" if row.get("x_file") is None else format(row["x_file"], ".2f")
        lines.append(f"| {row['size'] or ''} | {row['impl']} | {row['peak_kb'] / 1024:,.1f} | {above_text} | {times} |")
    return "\n".join(lines)
