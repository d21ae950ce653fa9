"""Where `pkcs12kit info` spends its time on a large file: each part of the listing, timed alone.

    python benchmarks/info_parts.py [--size 10000]

Reads the benchmark corpus's MODERN reference file of ``size`` certificates (run
``python benchmarks/run.py`` once to make it), then times in-process, with the garbage collector
paused as `info` pauses it: ``loads``; the whole ``info`` document (the first call also imports
cryptography's x509 for the chain-signature check), its text and the terminal-safety check of
the text; and, on fresh entries, each field the listing reads for every certificate (locating
the fields, the names as RFC 4514 text, serial, dates formatted for each certificate and as the
listing makes them, once per distinct date, self-issued, cA, key type, fingerprint, signature
algorithm, the health fields with the validity line) and the health check. The whole-process numbers are in run.py's ``info`` rows;
docs/performance.md cites both.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import time
from collections.abc import Callable
from typing import Any

import corpus as corpus_module
import pkcs12kit
from pkcs12kit import textsafe
from pkcs12kit.cli import output

health = importlib.import_module("pkcs12kit.targets.health")  # the module, not the function


def _timed(label: str, action: Callable[[], Any]) -> None:
    started = time.perf_counter()
    action()
    print(f"{label:<34} {1e3 * (time.perf_counter() - started):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    data = corpus_module.Corpus().reference_file("MODERN", args.size).read_bytes()
    password = corpus_module.PASSWORD
    gc.disable()

    _timed("loads", lambda: pkcs12kit.loads(data, password))
    p12 = pkcs12kit.loads(data, password)
    document: dict[str, Any] = {}
    _timed("info document", lambda: document.update(output.info_document(p12)))
    text: list[str] = []
    _timed("info text", lambda: text.append(output.info_text(document)))
    _timed("terminal-safe check of the text", lambda: textsafe.printable_lines(text[0]))

    certificates = pkcs12kit.loads(data, password).certificates  # fresh: nothing cached yet
    _timed("locate fields", lambda: [c.fields for c in certificates])
    _timed("subject + issuer RFC 4514", lambda: [(c.subject.rfc4514, c.issuer.rfc4514) for c in certificates])
    _timed("serial", lambda: [output._serial(c.serial_number) for c in certificates])
    _timed("dates, each formatted", lambda: [(output._when(c.not_before), output._when(c.not_after))
                                             for c in certificates])
    # As the listing makes them: each distinct date and validity line once (this corpus has one).
    listing = output._Listing(health.parse_at(None), 30)
    _timed("dates, once per distinct date", lambda: [(listing.when(c.not_before), listing.when(c.not_after))
                                                     for c in certificates])
    _timed("self-issued", lambda: [c.fields.self_issued for c in certificates])
    _timed("cA", lambda: [c.fields.ca for c in certificates])
    _timed("key type and size", lambda: [c.public_key_info for c in certificates])
    _timed("SHA-256 fingerprint", lambda: [c.fingerprint("sha256") for c in certificates])
    _timed("signature algorithm", lambda: [c.fields.signature_algorithm_oid for c in certificates])
    _timed("health fields + validity line", lambda: [listing.validity(health.cert_fields(c)) for c in certificates])
    p12 = pkcs12kit.loads(data, password)
    _timed("health (whole file)", lambda: health.health(p12))


if __name__ == "__main__":
    main()
