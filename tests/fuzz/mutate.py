"""Structure-aware mutations of DER PKCS#12 files, and a pure-Python mutational fuzz loop.

Exports: Node, parse, encode, tlv_boundaries, mutate, MUTATORS, run.

`parse` turns DER into a tree (descending into OCTET STRINGs that hold DER, as PKCS#12 nests its
AuthenticatedSafe and SafeContents); tree mutators (OID swaps, repeated or deleted children, deep
nesting, huge integers, tag confusion) re-encode with *correct* lengths so the mutant reaches the
deep layers; byte mutators (bit flips, truncation at TLV boundaries, length-field edits) then
break the framing itself. Used by tests/test_fuzz_smoke.py, tests/test_error_contract.py and,
as a coverage-less fallback fuzzer, ``python tests/fuzz/mutate.py SECONDS``.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import random
import resource
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
for entry in (str(HERE), str(HERE.parents[1]), str(HERE.parent)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from craft import oid_contents  # noqa: E402  (tests/ is on the path only from here on)


@dataclasses.dataclass
class Node:
    tag: int
    children: list["Node"] | None = None  # constructed, or an OCTET STRING holding DER
    contents: bytes = b""
    wrapped: bool = False  # an OCTET STRING whose contents are `children` encoded


def _header(data: bytes, pos: int, end: int) -> tuple[int, int, int] | None:
    """(tag, contents start, contents end) of a definite-length single-byte-tag TLV, else None."""
    if pos + 2 > end:
        return None
    tag, first = data[pos], data[pos + 1]
    if tag & 0x1F == 0x1F:
        return None
    if first < 0x80:
        start, size = pos + 2, first
    elif first == 0x80 or first > 0x84:
        return None
    else:
        count = first & 0x7F
        if pos + 2 + count > end:
            return None
        start, size = pos + 2 + count, int.from_bytes(data[pos + 2:pos + 2 + count], "big")
    if start + size > end:
        return None
    return tag, start, start + size


def _parse_all(data: bytes, pos: int, end: int, depth: int) -> list[Node] | None:
    nodes = []
    while pos < end:
        header = _header(data, pos, end)
        if header is None:
            return None
        tag, start, stop = header
        nodes.append(_node(data, tag, start, stop, depth))
        pos = stop
    return nodes


def _node(data: bytes, tag: int, start: int, stop: int, depth: int) -> Node:
    if depth < 40:
        if tag & 0x20:
            children = _parse_all(data, start, stop, depth + 1)
            if children is not None:
                return Node(tag, children)
        elif tag == 0x04 and stop > start and data[start] in (0x30, 0x31):
            children = _parse_all(data, start, stop, depth + 1)
            if children is not None and len(children) == 1:
                return Node(tag, children, wrapped=True)
    return Node(tag, None, data[start:stop])


def parse(data: bytes) -> Node | None:
    """The DER tree of ``data`` (one value spanning it all), or None when it is not DER."""
    header = _header(data, 0, len(data))
    if header is None or header[2] != len(data):
        return None
    tag, start, stop = header
    return _node(data, tag, start, stop, 0)


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def encode(node: Node) -> bytes:
    if node.children is None:
        contents = node.contents
    else:
        contents = b"".join(encode(child) for child in node.children)
    return bytes((node.tag,)) + _length(len(contents)) + contents


def _all(node: Node, out: list | None = None, parent: Node | None = None,
         seen: set[int] | None = None) -> list[tuple[Node, Node | None]]:
    """Every distinct node with a parent: `m_repeat` shares one child object many times, and
    repeats of repeats made a visit per copy (a 460 MB list for an 86-byte mutant)."""
    out = [] if out is None else out
    seen = set() if seen is None else seen
    if id(node) in seen:
        return out
    seen.add(id(node))
    out.append((node, parent))
    for child in node.children or ():
        _all(child, out, node, seen)
    return out


def encoded_size(node: Node, memo: dict[int, int] | None = None) -> int:
    """len(encode(node)) without building it (shared children counted once each time they occur)."""
    memo = {} if memo is None else memo
    known = memo.get(id(node))
    if known is not None:
        return known
    if node.children is None:
        length = len(node.contents)
    else:
        length = sum(encoded_size(child, memo) for child in node.children)
    size = memo[id(node)] = 1 + len(_length(length)) + length
    return size


def tlv_boundaries(data: bytes) -> list[int]:
    """Every offset where a TLV starts, its contents start, or it ends (sorted, unique)."""
    marks: set[int] = set()

    def visit(pos: int, end: int, depth: int) -> None:
        while pos < end and depth < 60:
            header = _header(data, pos, end)
            if header is None:
                return
            tag, start, stop = header
            marks.update((pos, start, stop))
            if tag & 0x20 or (tag == 0x04 and stop > start and data[start] in (0x30, 0x31)):
                visit(start, stop, depth + 1)
            pos = stop

    visit(0, len(data), 0)
    return sorted(marks)


# OIDs a mutant may swap in: every algorithm, content and bag type pkcs12kit knows, plus junk.
_OID_POOL = [
    "1.2.840.113549.1.7.1", "1.2.840.113549.1.7.2", "1.2.840.113549.1.7.3", "1.2.840.113549.1.7.6",
    "1.2.840.113549.1.12.10.1.1", "1.2.840.113549.1.12.10.1.2", "1.2.840.113549.1.12.10.1.3",
    "1.2.840.113549.1.12.10.1.4", "1.2.840.113549.1.12.10.1.5", "1.2.840.113549.1.12.10.1.6",
    "1.2.840.113549.1.9.22.1", "1.2.840.113549.1.9.22.2", "1.2.840.113549.1.9.20", "1.2.840.113549.1.9.21",
    "1.3.14.3.2.26", "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.3", "1.2.840.113549.2.5",
    "1.2.840.113549.1.5.12", "1.2.840.113549.1.5.13", "1.2.840.113549.1.5.14", "1.3.6.1.4.1.11591.4.11",
    "1.2.840.113549.1.5.3", "1.2.840.113549.1.5.10", "1.2.840.113549.1.5.1",
    "1.2.840.113549.1.12.1.1", "1.2.840.113549.1.12.1.2", "1.2.840.113549.1.12.1.3",
    "1.2.840.113549.1.12.1.4", "1.2.840.113549.1.12.1.5", "1.2.840.113549.1.12.1.6",
    "2.16.840.1.101.3.4.1.2", "2.16.840.1.101.3.4.1.42", "1.2.840.113549.3.7", "1.3.14.3.2.7",
    "1.2.840.113549.3.2", "1.2.840.113549.2.7", "1.2.840.113549.2.9", "1.2.840.113549.2.11",
    "1.2.840.113549.1.1.1", "1.2.840.10045.2.1", "1.3.101.112", "2.16.840.1.113894.746875.1.1",
    "1.2.3.4", "2.999.18446744073709551616",
]


_INTEGERS = [0, 1, -1, 2, 3, 7, 8, 16, 19, 20, 64, 65, 127, 128, 255, 256, 2048, 65536, 2**20, 2**31 - 1,
             2**31, 2**32, 2**63, 2**64 + 1, -(2**31), 10**40]


def _int_contents(n: int) -> bytes:
    return n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)


def _pick(tree: Node, rnd: random.Random, predicate=lambda n, p: True):
    nodes = [(n, p) for n, p in _all(tree) if predicate(n, p)]
    return rnd.choice(nodes) if nodes else (None, None)


def m_swap_oid(tree: Node, rnd: random.Random) -> bool:
    node, _ = _pick(tree, rnd, lambda n, p: n.tag == 0x06 and n.children is None)
    if node is None:
        return False
    node.contents = oid_contents(rnd.choice(_OID_POOL))
    return True


def m_integer(tree: Node, rnd: random.Random) -> bool:
    node, _ = _pick(tree, rnd, lambda n, p: n.tag == 0x02 and n.children is None)
    if node is None:
        return False
    node.contents = _int_contents(rnd.choice(_INTEGERS)) if rnd.random() < 0.9 else b""
    return True


def m_repeat(tree: Node, rnd: random.Random) -> bool:
    parent, _ = _pick(tree, rnd, lambda n, p: bool(n.children) and not n.wrapped)
    if parent is None:
        return False
    index = rnd.randrange(len(parent.children))
    times = rnd.choice([1, 2, 3, 50, 500])
    # Repeats compound across mutations (a repeat of a repeat): bound each one so the harness
    # never builds a gigabyte-size mutant only to throw it away.
    times = max(1, min(times, MAX_SIZE // max(1, encoded_size(parent.children[index]))))
    parent.children[index + 1:index + 1] = [parent.children[index]] * times
    return True


def m_delete(tree: Node, rnd: random.Random) -> bool:
    parent, _ = _pick(tree, rnd, lambda n, p: bool(n.children) and not n.wrapped)
    if parent is None:
        return False
    del parent.children[rnd.randrange(len(parent.children))]
    return True


def m_nest(tree: Node, rnd: random.Random) -> bool:
    """Wrap a node in many SEQUENCEs, or a SafeBag in many safeContentsBags."""
    parent, _ = _pick(tree, rnd, lambda n, p: bool(n.children))
    if parent is None:
        return False
    index = rnd.randrange(len(parent.children))
    node = parent.children[index]
    depth = rnd.choice([2, 15, 16, 17, 40, 70])
    for _ in range(depth):
        if rnd.random() < 0.5:
            node = Node(0x30, [node])
        else:  # SafeBag { safeContentsBag, [0] SafeContents { node } }
            node = Node(0x30, [Node(0x06, None, oid_contents("1.2.840.113549.1.12.10.1.6")),
                               Node(0xA0, [Node(0x30, [node])])])
    parent.children[index] = node
    return True


def m_retag(tree: Node, rnd: random.Random) -> bool:
    node, _ = _pick(tree, rnd)
    choices = [0x02, 0x04, 0x05, 0x06, 0x0C, 0x1E, 0x30, 0x31, 0x80, 0xA0, 0xA1, 0x24]
    new = rnd.choice(choices)
    if node.children is not None and not new & 0x20:
        node.contents = b"".join(encode(child) for child in node.children)
        node.children, node.wrapped = None, False
    elif node.children is None and new & 0x20:
        node.children = [Node(0x04, None, node.contents)]
    node.tag = new
    return True


def m_contents(tree: Node, rnd: random.Random) -> bool:
    node, _ = _pick(tree, rnd, lambda n, p: n.children is None)
    if node is None:
        return False
    choice = rnd.random()
    if choice < 0.3:
        node.contents = b""
    elif choice < 0.6 and node.contents:
        node.contents = bytes(rnd.getrandbits(8) for _ in range(len(node.contents)))
    else:
        node.contents = node.contents + bytes(rnd.getrandbits(8) for _ in range(rnd.choice([1, 7, 64])))
    return True


def m_graft(tree: Node, rnd: random.Random) -> bool:
    """Move a random subtree to another place (type confusion across structures)."""
    source, _ = _pick(tree, rnd)
    target, _ = _pick(tree, rnd, lambda n, p: bool(n.children))
    if target is None or source is None:
        return False
    target.children[rnd.randrange(len(target.children))] = copy.deepcopy(source)
    return True


TREE_MUTATORS = [m_swap_oid, m_integer, m_repeat, m_delete, m_nest, m_retag, m_contents, m_graft]


def b_bitflip(data: bytes, rnd: random.Random) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rnd.choice([1, 1, 2, 8])):
        out[rnd.randrange(len(out))] ^= 1 << rnd.randrange(8)
    return bytes(out)


def b_truncate(data: bytes, rnd: random.Random) -> bytes:
    marks = tlv_boundaries(data) or [len(data)]
    return data[:rnd.choice(marks)]


def b_length(data: bytes, rnd: random.Random) -> bytes:
    """Rewrite one TLV's length octets (short, long, indefinite, huge, invalid)."""
    marks = []
    pos_list = [m for m in tlv_boundaries(data) if m < len(data) - 1]
    for pos in pos_list:
        if _header(data, pos, len(data)) is not None:
            marks.append(pos)
    if not marks:
        return data
    pos = rnd.choice(marks)
    tag, start, stop = _header(data, pos, len(data))
    size = stop - start
    replacement = rnd.choice([
        _length(max(0, size - 1)), _length(size + 1), _length(size * 2), b"\x80", b"\x00",
        b"\x84\xff\xff\xff\xff", b"\x88" + b"\xff" * 8, b"\xff", b"\x81" + bytes((size & 0xFF,)),
        b"\x84" + size.to_bytes(4, "big"), b"\x7f",
    ])
    return data[:pos + 1] + replacement + data[start:]


def b_splice(data: bytes, rnd: random.Random) -> bytes:
    if len(data) < 4:
        return data + data
    a, b = sorted(rnd.sample(range(len(data)), 2))
    return data[:b] + data[a:b] + data[b:]


MAX_SIZE = 256 * 1024

BYTE_MUTATORS = [b_bitflip, b_truncate, b_length, b_splice]
MUTATORS = TREE_MUTATORS + BYTE_MUTATORS


# Tree mutations re-encode the whole tree: on a 1 MB seed (hundreds of thousands of nodes) one
# mutation cost seconds of harness time, so bigger inputs get byte mutations only.
MAX_TREE_SIZE = 64 * 1024


def mutate(data: bytes, rnd: random.Random) -> bytes:
    """One to three mutations: tree-level (valid framing) when ``data`` is DER, then maybe bytes."""
    tree = parse(data) if len(data) <= MAX_TREE_SIZE else None
    if tree is not None and rnd.random() < 0.7:
        try:
            for _ in range(rnd.choice([1, 1, 2, 3])):
                rnd.choice(TREE_MUTATORS)(tree, rnd)
                if encoded_size(tree) > MAX_SIZE:  # stop before a repeat of repeats grows further
                    return rnd.choice(BYTE_MUTATORS)(data, rnd)
            mutant = encode(tree)
        except RecursionError:  # nested mutations piled up: fall back to byte level
            return rnd.choice(BYTE_MUTATORS)(data, rnd)
        if len(mutant) > MAX_SIZE:  # repeats compound across generations: keep inputs small
            return rnd.choice(BYTE_MUTATORS)(data, rnd)
        data = mutant
        if rnd.random() < 0.3:
            data = rnd.choice(BYTE_MUTATORS)(data, rnd)
        return data
    return rnd.choice(BYTE_MUTATORS)(data, rnd)


def run(seconds: float, *, seed: int = 0, report_every: float = 60.0, touch: bool = False,
        slow: float = 2.0, out: Path | None = None) -> dict:
    """Pure-Python fuzz loop (no coverage feedback): mutate seeds and grown inputs for ``seconds``;
    return stats (executions, findings, slowest input, inputs over ``slow`` CPU seconds). ``touch``
    adds the touch-everything step (tests/fuzz/touch.py) after every successful decode; with
    ``out``, each finding is written there as soon as it is found (a long run may be killed)."""
    import fuzz_loads
    import seeds as seed_module

    rnd = random.Random(seed)
    pool = list(seed_module.all_seeds().values())
    stats: dict = {"executions": 0, "findings": [], "slowest": (0.0, b""), "outcomes": {}, "slow": [],
                   "peak_mb": 0, "rss_jumps": []}
    deadline = time.monotonic() + seconds
    last = time.monotonic()
    while time.monotonic() < deadline:
        parent = rnd.choice(pool)
        child = mutate(parent, rnd)
        # CPU time, not wall time: on a shared machine (or at nice 19) the wall clock also counts
        # the time other processes held the core.
        started = time.process_time()
        try:
            fuzz_loads.check(child, stats=stats["outcomes"], touch=touch)
        except Exception:  # noqa: BLE001 - every escape is a finding
            stats["findings"].append((child, traceback.format_exc()))
            if out is not None:
                name = hashlib.sha1(child).hexdigest()
                (out / f"crash-{name}").write_bytes(child)
                (out / f"crash-{name}.txt").write_text(stats["findings"][-1][1])
        elapsed = time.process_time() - started
        if elapsed > stats["slowest"][0]:
            stats["slowest"] = (elapsed, child)
        if elapsed > slow and len(stats["slow"]) < 100:
            stats["slow"].append((elapsed, child))
            if out is not None:
                (out / f"slow-{elapsed:.2f}s-{hashlib.sha1(child).hexdigest()}").write_bytes(child)
        stats["executions"] += 1
        # Peak memory: ru_maxrss only grows, so a jump is this input's doing (or the mutator's).
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        if peak > stats["peak_mb"] + 32 and stats["executions"] > 1000:
            stats["rss_jumps"].append((peak, len(child)))
            if out is not None:
                (out / f"rss-{peak}MB-{hashlib.sha1(child).hexdigest()}").write_bytes(child)
        stats["peak_mb"] = max(stats["peak_mb"], peak)
        if len(pool) < 5000 and len(child) <= 65536 and rnd.random() < 0.05:
            pool.append(child)  # small children only: the pool must not dominate memory
        if time.monotonic() - last > report_every:
            last = time.monotonic()
            print(f"{stats['executions']} execs, {len(stats['findings'])} findings, "
                  f"{len(stats['slow'])} over {slow:g}s, slowest {stats['slowest'][0]:.3f}s, "
                  f"peak RSS {stats['peak_mb']} MiB, outcomes {stats['outcomes']}", flush=True)
    return stats


if __name__ == "__main__":
    # python tests/fuzz/mutate.py SECONDS [OUTDIR] [--touch] [--seed N]
    import argparse

    parser = argparse.ArgumentParser(description="pure-Python structure-aware fuzz loop")
    parser.add_argument("seconds", type=float, nargs="?", default=60)
    parser.add_argument("out", type=Path, nargs="?", default=Path("/tmp/pkcs12kit-pyfuzz"))
    parser.add_argument("--touch", action="store_true", help="touch everything after each decode")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    result = run(args.seconds, seed=int(time.time()) if args.seed is None else args.seed,
                 touch=args.touch, out=out)
    (out / "slowest").write_bytes(result["slowest"][1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"executions {result['executions']}, findings {len(result['findings'])}, "
          f"over 2 s {len(result['slow'])}, slowest {result['slowest'][0]:.3f}s, peak RSS {peak} MiB, "
          f"outcomes {result['outcomes']}", flush=True)
