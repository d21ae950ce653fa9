"""Where pkcs12kit spends its time: cProfile of loads/dumps on the benchmark corpus, and the
slowest imports of ``import pkcs12kit``.

    python benchmarks/hotspots.py                          # loads/dumps of 10,000 certificates
    python benchmarks/hotspots.py --size 1000 --cases loads:LEGACY_RC2 --top 25 --sort cumulative
    python benchmarks/hotspots.py --imports                # python -X importtime, slowest first
    python benchmarks/hotspots.py --imports-cli            # the same for `python -m pkcs12kit info`

Each case runs once untimed (warm-up), then once under cProfile; the top functions are printed
by internal time (``--sort tottime``, the default) with their cumulative time. cProfile adds
overhead per Python call, so the total is larger than the benchmark's median; read the shares.
(Named hotspots.py, not profile.py: a file called profile.py here would shadow the standard
library module cProfile imports.)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from corpus import PASSWORD, PROFILES, Corpus  # noqa: E402

# dumps:LEGACY_RC2 is left out by default: at 10,000 certificates it takes a minute under cProfile,
# 99% of it in the sequential pure-Python RC2 encryption (`_rc2._encrypt_words`).
DEFAULT_CASES = ("loads:MODERN", "loads:LEGACY_RC2", "loads:LEGACY_3DES", "dumps:MODERN", "dumps:LEGACY_3DES")


def profile_case(corpus: Corpus, op: str, profile: str, size: int, top: int, sort: str) -> str:
    import pkcs12kit

    if op == "loads":
        data = corpus.reference_file(profile, size).read_bytes()
        run = lambda: pkcs12kit.loads(data, PASSWORD)  # noqa: E731
    elif op == "dumps":
        p12 = corpus.pkcs12kit_object(size)
        kit_profile = getattr(pkcs12kit, profile)
        run = lambda: pkcs12kit.dumps(p12, PASSWORD, profile=kit_profile)  # noqa: E731
    else:
        raise SystemExit(f"unknown op {op!r}: loads or dumps")
    run()
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    text = out.getvalue()
    # Drop pstats' preamble lines up to the column header, keep the totals line.
    lines = text.splitlines()
    total = next((line.strip() for line in lines if "function calls" in line), "")
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    body = "\n".join(line.rstrip() for line in lines[start:] if line.strip())
    return f"### {op} {profile}, {size:,} certificates — {total}\n\n```\n{body}\n```\n"


def import_times(corpus: Corpus, top: int, repeat: int = 5, command=None) -> str:
    """``python -X importtime`` of ``import pkcs12kit`` (or of ``command``, e.g. the ``info`` CLI),
    run ``repeat`` times with compiled bytecode (see `run.python_env`): the ``top`` largest median
    self times, with median cumulative times."""
    import statistics

    from run import python_env

    env = python_env(corpus, bytecode=True)
    args = command or ["-c", "import pkcs12kit"]
    # One untimed run writes the bytecode cache.
    subprocess.run([sys.executable, *args], capture_output=True, env=env, cwd=str(ROOT))
    runs: dict[str, list[tuple[int, int]]] = {}
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True,
                              text=True, env=env, cwd=str(ROOT))
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, cumulative_us, name = line[len("import time:"):].split("|", 2)
            top_level = len(name) - len(name.lstrip()) <= 1
            runs.setdefault((name.strip(), top_level), []).append((int(self_us), int(cumulative_us)))
    rows = [(statistics.median(s for s, _ in v), statistics.median(c for _, c in v), name, top)
            for (name, top), v in runs.items()]
    # Every import made anywhere in the process (start-up, the module, imports inside functions).
    total = sum(c for s, c, name, top in rows if top)
    rows.sort(reverse=True)
    title = " ".join(args)
    lines = [f"python -X importtime {title}: median of {repeat} runs; all imports together "
             f"{total / 1000:.1f} ms", "", "| self ms | cumulative ms | module |", "|---:|---:|---|"]
    lines += [f"| {s / 1000:.1f} | {c / 1000:.1f} | `{name}` |" for s, c, name, _ in rows[:top]]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES), help="comma-separated op:PROFILE")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative", "ncalls"))
    parser.add_argument("--imports", action="store_true", help="only print the slowest imports of import pkcs12kit")
    parser.add_argument("--imports-cli", action="store_true",
                        help="only print the slowest imports of `python -m pkcs12kit info` on the 3-certificate file")
    parser.add_argument("--repeat", type=int, default=5, help="runs of -X importtime (median)")
    parser.add_argument("--cache", default=None)
    args = parser.parse_args(argv)
    corpus = Corpus(args.cache, log=lambda message: print(message, file=sys.stderr))
    if args.imports or args.imports_cli:
        command = None
        if args.imports_cli:
            command = ["-m", "pkcs12kit", "info", str(corpus.trustpoint_file()), "--passin", f"pass:{PASSWORD}"]
        print(import_times(corpus, args.top, args.repeat, command))
        return
    for item in args.cases.split(","):
        op, _, profile = item.strip().partition(":")
        if profile not in PROFILES:
            raise SystemExit(f"unknown profile {profile!r}; choose from {PROFILES}")
        print(profile_case(corpus, op, profile, args.size, args.top, args.sort))


if __name__ == "__main__":
    main()
