"""Time one of pkcs12kit's in-process rows in a fresh interpreter holding only its input file.

    python benchmarks/isolated.py OP FILE WARM_FILE PASSWORD    # OP: loads, fields or chain

run.py uses it with ``--isolate`` (the scale rows of docs/performance.md): a script or a CLI run
loads one file in a fresh process, while the benchmark's own process holds the whole corpus
(about 0.5 GB at 100,000 certificates), which makes every allocation of a large load slower
and bends the per-certificate cost upwards for reasons that are not pkcs12kit's. The child
imports pkcs12kit and runs OP once on WARM_FILE (the 1-certificate file: imports and first-call
caches), reads FILE, then times OP with the cyclic collector paused, as run.py does in-process.
A fast OP is repeated until 50 ms have passed and the mean is printed (seconds, one line); the
result is checked like run.py's checks (every certificate, the 32-issuer chain cap).
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
_MIN_SAMPLE = 0.05


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
    calls, start = 0, time.perf_counter()
    while True:
        result = run(data, password)
        calls += 1
        elapsed = time.perf_counter() - start
        if calls == 1:
            _check(op, result, size)
        del result
        if elapsed >= _MIN_SAMPLE:
            break
    print(elapsed / calls)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
