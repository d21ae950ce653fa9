"""Audit many PKCS#12 files: one report per file, in parallel, bounded in time and memory.

Exports: scan, scan_file, scan_data, iter_files, Passwords, STATUSES, DEFAULT_INCLUDE, DEFAULT_TIMEOUT.

`scan_data` is the per-file function (bytes in, a JSON-ready report out; docs/scan.md#schema).
`scan_file` reads a path under the per-file timeout. `scan` walks paths and maps `scan_file`
over a process pool, yielding reports in input order with a bounded number in flight, so memory
stays flat however many files there are. Nothing is ever written, and no report holds a password:
a report names which candidate opened the file (``"line 3"``), never its text.

A hostile file cannot stall the run: `loads` refuses declared work over the `Limits` before
doing it, and a per-file timeout (``SIGALRM`` in the worker, where the platform has it) stops
whatever remains. A timeout fires between Python bytecodes, so one C call (a single KDF run,
itself bounded by ``Limits.max_iterations``) finishes first.
"""

from __future__ import annotations

import collections
import datetime
import fnmatch
import os
import signal
import threading
import time
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from typing import Any

from .api import loads
from .armor import unarmor
from .errors import (
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    PKCS12Error,
    RecipientError,
    SignatureError,
)
from .errors import UnsupportedAlgorithmError
from .limits import DEFAULT_LIMITS, Limits
from .model import PKCS12
from .scan_checks import (
    certificate_health,
    contents_doc,
    protection_doc,
    protection_findings,
    target_findings,
    worst,
)
from .targets import profile_for

__all__ = ["scan", "scan_file", "scan_data", "iter_files", "Passwords", "STATUSES", "DEFAULT_INCLUDE",
           "DEFAULT_TIMEOUT"]

STATUSES = ("ok", "wrong-password", "signature", "recipient", "malformed", "unsupported", "limit", "timeout",
            "unreadable", "error")
# What a directory walk reads (a file named on the command line is always read): the names
# PKCS#12 files, their base64/PEM armor and saved Cisco terminal sessions go by.
DEFAULT_INCLUDE = ("*.p12", "*.pfx", "*.p12.*", "*.pfx.*", "*.b64", "*.pem", "*.der", "*.txt", "*.log", "*.cfg")
DEFAULT_TIMEOUT = 30.0

# A signed file (public-key integrity mode) needs trust anchors a scan does not have, and an
# envelopedData safe a recipient key: neither is damage, so neither is "malformed".
_STATUS_OF = ((BadPasswordError, "wrong-password"), (SignatureError, "signature"), (RecipientError, "recipient"),
              (MalformedError, "malformed"), (UnsupportedAlgorithmError, "unsupported"), (LimitExceededError, "limit"))


class Passwords:
    """Candidate passwords for each file, tried in turn.

    ``rules`` are ``(glob, password)`` pairs in order; a rule applies to a file when its glob
    matches the file's name, or its whole path if the glob has a ``/``. The empty password is
    tried last unless ``try_empty=False``. `from_file` reads ``glob<TAB>password`` lines (a line
    without a TAB is a password for every file).
    """

    def __init__(self, rules: Iterable[tuple[str, str]] = (), *, try_empty: bool = True,
                 labels: Sequence[str] | None = None) -> None:
        self.rules = tuple(rules)
        self.labels = tuple(labels) if labels is not None else tuple(f"password {i + 1}" for i in range(len(self.rules)))
        self.try_empty = try_empty

    @classmethod
    def coerce(cls, value: Passwords | Mapping[str, str] | Sequence[str] | str | None) -> Passwords:
        """A `Passwords` from one, a ``{glob: password}`` mapping, a list of passwords, or None."""
        if value is None:
            return cls()
        if isinstance(value, Passwords):
            return value
        if isinstance(value, str):
            return cls([("*", value)])
        if isinstance(value, Mapping):
            return cls(value.items())
        return cls(("*", password) for password in value)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, try_empty: bool = True) -> Passwords:
        """Read a password map: ``glob<TAB>password`` per line; blank lines are skipped."""
        rules, labels = [], []
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                line = line.rstrip("\r\n")
                if not line:
                    continue
                glob, tab, password = line.partition("\t")
                rules.append((glob, password) if tab else ("*", glob))
                labels.append(f"line {number}")
        return cls(rules, try_empty=try_empty, labels=labels)

    def candidates(self, path: str) -> list[tuple[str, str | None]]:
        """``(label, password)`` pairs to try for ``path``, in order, without repeats."""
        name = os.path.basename(path)
        posix = path.replace(os.sep, "/")
        found: list[tuple[str, str | None]] = []
        seen: set[str | None] = set()
        for (glob, password), label in zip(self.rules, self.labels):
            if fnmatch.fnmatchcase(posix if "/" in glob else name, glob) and password not in seen:
                seen.add(password)
                found.append((label, password))
        if self.try_empty and not ({"", None} & seen):
            found.append(("empty", None))
        return found


def _status(err: PKCS12Error) -> str:
    for kind, status in _STATUS_OF:
        if isinstance(err, kind):
            return status
    return "malformed"


def _report(path: str, status: str, **fields: Any) -> dict[str, Any]:
    report: dict[str, Any] = {"path": path, "status": status, "error": None, "form": None, "size": None,
                              "password_from": None, "seconds": None, "contents": None, "protection": None,
                              "certificate": None, "targets": {}, "findings": [], "severity": "none"}
    report.update(fields)
    if status != "ok":
        report["findings"] = [{"code": status, "severity": "error", "message": report["error"] or status}]
    report["severity"] = worst(report["findings"])
    return report


def scan_data(data: bytes, path: str, passwords: Passwords | Mapping[str, str] | Sequence[str] | None = None, *,
              targets: Sequence[str] = (), limits: Limits | None = None, now: datetime.datetime | None = None,
              expiring_days: int = 30) -> dict[str, Any]:
    """The report for one file's bytes: try each candidate password (a wrong one moves to the
    next; any other error ends the file), then describe what opened. ``path`` only names it."""
    limits = limits or DEFAULT_LIMITS
    now = now or datetime.datetime.now(datetime.timezone.utc)
    try:
        der, form = unarmor(data, limits=limits)
    except PKCS12Error as err:
        return _report(path, _status(err), error=str(err), size=len(data))
    p12: PKCS12 | None = None
    last: PKCS12Error | None = None
    opened_by: tuple[str, str | None] = ("", None)
    for label, password in Passwords.coerce(passwords).candidates(path):
        try:
            p12 = loads(der, password, limits=limits)
            opened_by = (label, password)
            break
        except (BadPasswordError, EncodeError) as err:  # EncodeError: a password the KDF cannot take
            last = err
        except PKCS12Error as err:
            return _report(path, _status(err), error=str(err), form=form, size=len(data))
    if p12 is None:
        error = str(last) if last is not None else "no password to try"
        return _report(path, "wrong-password", error=error, form=form, size=len(data))
    certificate, findings = certificate_health(p12, now, expiring_days)
    findings = protection_findings(p12) + findings
    per_target, flat = target_findings(p12, tuple(targets), opened_by[1])
    report = _report(path, "ok", form=form, size=len(data), password_from=opened_by[0],
                     contents=contents_doc(p12), protection=protection_doc(p12), certificate=certificate,
                     targets=per_target, findings=findings + flat)
    return report


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` on the way swallows it."""


# The alarm raises only while a file is being scanned: one that fires in the instant between the
# end of the scan and the timer being disarmed must not escape `scan_file`.
_ALARM = {"active": False}


def _on_alarm(signum: int, frame: Any) -> None:
    if _ALARM["active"]:
        raise _Timeout()


def _read_and_scan(name: str, passwords: Any, limits: Limits, **options: Any) -> dict[str, Any]:
    try:
        with open(name, "rb") as handle:
            data = handle.read(limits.max_input_size + 1)  # one more byte tells "too large"
    except OSError as err:
        return _report(name, "unreadable", error=err.strerror or type(err).__name__)
    if len(data) > limits.max_input_size:
        return _report(name, "limit", error=f"larger than Limits.max_input_size ({limits.max_input_size:,} bytes)")
    return scan_data(data, name, passwords, limits=limits, **options)


def scan_file(path: str | os.PathLike[str], passwords: Passwords | Mapping[str, str] | Sequence[str] | None = None,
              *, targets: Sequence[str] = (), limits: Limits | None = None, timeout: float | None = DEFAULT_TIMEOUT,
              now: datetime.datetime | None = None, expiring_days: int = 30) -> dict[str, Any]:
    """Read ``path`` (at most ``limits.max_input_size`` bytes) and return `scan_data`'s report,
    with ``seconds`` filled in; status ``"timeout"`` after ``timeout`` seconds (enforced in the
    main thread of a POSIX process; elsewhere the `Limits` alone bound the work)."""
    name = os.fspath(path)
    limits = limits or DEFAULT_LIMITS
    started = time.perf_counter()
    armed = bool(timeout) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, _on_alarm) if armed else None
    try:
        if armed:
            _ALARM["active"] = True
            signal.setitimer(signal.ITIMER_REAL, float(timeout))  # type: ignore[arg-type]
        report = _read_and_scan(name, passwords, limits, targets=targets, now=now, expiring_days=expiring_days)
        _ALARM["active"] = False
    except _Timeout:
        report = _report(name, "timeout", error=f"stopped after {timeout:g} s (per-file timeout)")
    except Exception as err:  # a bug must cost one file, not the run; no message: it may hold data
        report = _report(name, "error", error=f"internal error: {type(err).__name__}")
    finally:
        _ALARM["active"] = False
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    report["seconds"] = round(time.perf_counter() - started, 4)
    return report


def iter_files(paths: Iterable[str | os.PathLike[str]], include: Sequence[str] = DEFAULT_INCLUDE) -> Iterator[str]:
    """Every file to read, lazily: named files as they are, directories walked in sorted order
    (hidden entries skipped) keeping names that match one of ``include``."""
    for path in paths:
        name = os.fspath(path)
        if not os.path.isdir(name):
            yield name
            continue
        for root, dirs, files in os.walk(name):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for file in sorted(files):
                if not file.startswith(".") and any(fnmatch.fnmatch(file, glob) for glob in include):
                    yield os.path.join(root, file)


# Set once per worker process by the pool initializer, so each task ships only a path.
_WORKER: dict[str, Any] = {}


def _init_worker(options: dict[str, Any]) -> None:
    _WORKER.update(options)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _scan_in_worker(paths: list[str]) -> list[dict[str, Any]]:
    return [scan_file(path, **_WORKER) for path in paths]


def scan(paths: Iterable[str | os.PathLike[str]],
         passwords: Passwords | Mapping[str, str] | Sequence[str] | None = None, *,
         targets: Sequence[str] = (), workers: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
         limits: Limits | None = None, include: Sequence[str] = DEFAULT_INCLUDE,
         now: datetime.datetime | None = None, expiring_days: int = 30) -> Generator[dict[str, Any], None, None]:
    """Yield one report per file under ``paths`` (docs/scan.md#schema), in walk order.

    ``workers``: processes (default ``os.cpu_count()``); 1 scans in this process. Files go to
    the workers in batches of `CHUNK`, at most ``2 × workers`` batches in flight, so memory does
    not grow with the number of files.
    ``targets``: names for `pkcs12kit.targets.check` (a ``ValueError`` lists the valid ones).
    """
    for name in targets:
        profile_for(name)  # unknown names fail here, before any work
    options: dict[str, Any] = {"passwords": Passwords.coerce(passwords), "targets": tuple(targets), "limits": limits,
               "timeout": timeout, "now": now or datetime.datetime.now(datetime.timezone.utc),
               "expiring_days": expiring_days}
    workers = workers or os.cpu_count() or 1
    files = iter_files(paths, include)
    if workers == 1:
        for path in files:
            yield scan_file(path, **options)
        return
    yield from _pooled(files, options, workers)


# Files per task: one round trip to a worker costs about as much as scanning a small file, so
# paths travel in small batches (each file still has its own timeout).
CHUNK = 16


def _chunks(files: Iterator[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for path in files:
        chunk.append(path)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _pooled(files: Iterator[str], options: dict[str, Any], workers: int) -> Iterator[dict[str, Any]]:
    # import time: the process pool pulls in multiprocessing and logging (about 13 ms), which
    # every CLI command would pay because the parser imports the scan command.
    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    window = 2 * workers
    chunks = _chunks(files)
    pending: collections.deque[tuple[list[str], concurrent.futures.Future[list[dict[str, Any]]]]] = collections.deque()
    pool = concurrent.futures.ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(options,))
    try:
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    pending.append((chunk, pool.submit(_scan_in_worker, chunk)))
            if not pending:
                break
            chunk, future = pending.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory): its files and those in flight with them
                # are reported, and a fresh pool takes the rest.
                for lost, _ in [(chunk, future), *pending]:
                    for path in lost:
                        yield _report(path, "error", error="the worker process died")
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = concurrent.futures.ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(options,))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
