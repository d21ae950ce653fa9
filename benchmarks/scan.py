"""Benchmark `pkcs12kit scan` on many small files: files/s at -j 1 and -j 2, and peak memory.

    python benchmarks/scan.py                      # 1,000 and 10,000 files, -j 1 and -j 2 (~6 min on 2 cores)
    python benchmarks/scan.py --sizes 1000 --jobs 2

The corpus is tests/vectors replicated under a temporary directory (each copy in its own
subdirectory, names kept, so the password map's globs apply), without the vectors that are not
small: scrypt-many-safes.p12 (ten scrypt N=2^16 derivations, ~2 s by design),
input-1000000-bytes.p12 (1 MB), name-loop-1500x2-key-ids.p12 and same-subject-3300-key-ids.p12
(about 1 MB and 3,000 certificates each, issue 15 row 3 at scale). Each row is one `pkcs12kit scan DIR --passwords MAP --json -j N`
run in a fresh Python process (output to /dev/null), so its peak RSS is its own; the workers'
peak is the largest worker's (RUSAGE_CHILDREN after the pool has been joined).
Memory is flat when the 10,000-file rows match the 1,000-file rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VECTORS = ROOT / "tests" / "vectors"
LEFT_OUT = {"scrypt-many-safes.p12", "input-1000000-bytes.p12", "name-loop-1500x2-key-ids.p12",
            "same-subject-3300-key-ids.p12"}
PATTERNS = ("*.p12", "*.b64", "*.txt")
PASSWORD_MAP = "*/rfc9579/*\t1234\n*/cisco/*\tcisco123\n*/crafted/*\tpw\n"


def corpus_files() -> list[Path]:
    files = sorted(p for pattern in PATTERNS for p in VECTORS.rglob(pattern) if p.name not in LEFT_OUT)
    return [p for p in files if p.name != "README.md"]


def build_corpus(directory: Path, count: int) -> Path:
    """``count`` files: copies of the corpus in copy-NNNNN/{cisco,crafted,rfc9579}/."""
    sources = corpus_files()
    made = 0
    copy = 0
    while made < count:
        for source in sources:
            if made == count:
                break
            target = directory / f"copy-{copy:05d}" / source.parent.name / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            made += 1
        copy += 1
    (directory.parent / "passwords.map").write_text(PASSWORD_MAP)
    return directory


def child(directory: str, jobs: int, out: str) -> None:
    """One scan in this process (the parent measures a fresh interpreter each time)."""
    sys.path.insert(0, str(ROOT))
    from pkcs12kit.cli import main

    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        real = sys.stdout
        sys.stdout = devnull
        try:
            code = main(["scan", directory, "--passwords", str(Path(directory).parent / "passwords.map"),
                         "--json", "--no-progress", "-j", str(jobs)])
        finally:
            sys.stdout = real
    seconds = time.perf_counter() - started
    Path(out).write_text(json.dumps({
        "exit": code, "seconds": seconds,
        "parent_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def measure(sizes: list[int], jobs: list[int]) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="pkcs12kit-scan-bench-") as temp:
        for size in sizes:
            corpus = build_corpus(Path(temp) / f"n{size}" / "files", size)
            for job in jobs:
                result = Path(temp) / "result.json"
                subprocess.run([sys.executable, __file__, "--child", str(corpus), str(job), str(result)],
                               check=True, stderr=subprocess.DEVNULL)
                row = {"files": size, "jobs": job, **json.loads(result.read_text())}
                row["files_per_second"] = size / row["seconds"]
                rows.append(row)
                print(f"| {size:,} | {job} | {row['seconds']:.1f} | {row['files_per_second']:.0f} | "
                      f"{row['parent_rss_mib']:.0f} | {row['worker_rss_mib']:.0f} |", flush=True)
            shutil.rmtree(corpus.parent)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="numbers of files (default 1000,10000)")
    parser.add_argument("--jobs", default="1,2", help="worker counts (default 1,2)")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    parser.add_argument("--child", nargs=3, metavar=("DIR", "JOBS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    print(f"corpus: {len(corpus_files())} vectors replicated; python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print("| files | -j | seconds | files/s | parent peak RSS MiB | largest worker peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|")
    rows = measure([int(s) for s in args.sizes.split(",")], [int(j) for j in args.jobs.split(",")])
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
