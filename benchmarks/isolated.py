"""Time one of pkcs12kit's in-process rows in a fresh interpreter holding only its input file.

    python benchmarks/isolated.py OP FILE WARM_FILE PASSWORD    # OP: loads, fields or chain

run.py uses it with ``--isolate`` (the scale rows of docs/performance.md): a script or a CLI run
loads one file in a fresh process, while the benchmark's own process holds the whole corpus
(about 0.5 GB at 100,000 certificates), which makes every allocation of a large load slower
and bends the per-certificate cost upwards for reasons that are not pkcs12kit's. The child
imports pkcs12kit and runs OP once on WARM_FILE (the 1-certificate file: imports and first-call
caches), reads FILE, then times one call of OP with the cyclic collector paused, as run.py does
in-process, and prints the seconds (one line). One call, whatever the size, because that is what
a script does: a first call in a fresh process also pays for the memory it is the first to touch,
and repeating small cases until 50 ms (as run.py's in-process rows do) while timing a large one
once made the per-certificate cost step up between 1,000 and 10,000 certificates (2026-12-03).
The result is checked like run.py's checks (every certificate, the 32-issuer chain cap).
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
for entry in (str(HERE.parent), str(HERE)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import pkcs12kit  # noqa: E402
import work  # noqa: E402

OPS = {
    "loads": lambda data, password: pkcs12kit.loads(data, password),
    "fields": work.pkcs12kit_fields,
    "chain": work.pkcs12kit_chain,
}


def _check(op: str, result, size: int) -> None:
    if op == "loads":
        if len(result.certificates) != size:
            raise AssertionError(f"loaded {len(result.certificates)} of {size} certificates")
    elif op == "fields":
        work.expect_rows(size)(result)
    else:
        work.expect_chain(size)(result)


def main(argv: list[str]) -> int:
    op, path, warm_path, password, size = argv[0], argv[1], argv[2], argv[3], int(argv[4])
    run = OPS[op]
    run(Path(warm_path).read_bytes(), password)
    data = Path(path).read_bytes()
    gc.collect()
    gc.disable()
    start = time.perf_counter()
    result = run(data, password)
    elapsed = time.perf_counter() - start
    _check(op, result, size)
    print(elapsed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
