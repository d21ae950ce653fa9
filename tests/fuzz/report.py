"""Summarise a fuzzing work directory made by run_fuzz.sh.

    python tests/fuzz/report.py WORKDIR

Prints, from the libFuzzer logs: executions, runs, findings (crash/timeout/oom artifacts), peak
RSS; then replays the whole corpus through `fuzz_loads.check` in this process and prints the
outcome counts (including "leak:<Exception>": a layer let a ValueError/IndexError... through and
`loads` wrapped it: inside the contract, but a missing check), the slowest input and its time,
and each leak's message.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fuzz_loads  # noqa: E402


def main(work: Path) -> None:
    executions = 0
    peak = 0
    for log in sorted((work / "logs").glob("*.log")):
        text = log.read_text(errors="replace")
        runs = re.findall(r"stat::number_of_executed_units: (\d+)", text)
        if runs:
            executions += int(runs[-1])
        else:  # killed or crashed before the final stats: take the last status line
            status = re.findall(r"^#(\d+)\s", text, re.M)
            executions += int(status[-1]) if status else 0
        peak = max([peak] + [int(x) for x in re.findall(r"stat::peak_rss_mb: (\d+)", text)]
                   + [int(x) for x in re.findall(r"rss: (\d+)Mb", text)])
    artifacts = sorted(p.name for p in (work / "artifacts").glob("*"))
    print(f"libFuzzer: {executions:,} executions over {len(list((work / 'logs').glob('*.log')))} run(s), "
          f"peak RSS {peak} MB, artifacts: {artifacts or 'none'}")

    stats: dict = {}
    slowest = (0.0, "")
    leaks: dict[str, str] = {}
    files = sorted((work / "corpus").glob("*")) + sorted((work / "seeds").glob("*"))
    for path in files:
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # libFuzzer replaced it with a reduced input meanwhile
            continue
        started = time.perf_counter()
        before = dict(stats)
        try:
            fuzz_loads.check(data, stats=stats)
        except Exception as err:  # noqa: BLE001
            print(f"FINDING {path.name}: {type(err).__name__}: {err}")
        elapsed = time.perf_counter() - started
        if elapsed > slowest[0]:
            slowest = (elapsed, path.name)
        for key in stats:
            if key.split(":")[1].startswith("leak") and stats[key] != before.get(key):
                leaks.setdefault(key, path.name)
    print(f"corpus replay: {len(files)} inputs, outcomes {dict(sorted(stats.items()))}")
    print(f"slowest input: {slowest[1]} ({slowest[0]:.3f} s for both verify_mac modes)")
    for key, name in leaks.items():
        print(f"{key}: first in {name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
