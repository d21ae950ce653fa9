"""Fuzz `pkcs12kit.loads` against its error contract (atheris / libFuzzer).

The contract (docs/security.md): for any input, ``loads`` returns a `PKCS12` or raises a
`PKCS12Error` subclass, within bounded work, with no password in the message; reading the
result's accessors (keys, certificates, names, chain, repr) obeys the same rule.

Run with atheris (coverage-guided)::

    python tests/fuzz/fuzz_loads.py CORPUS_DIR [SEED_DIR ...] -max_total_time=900 \\
        -rss_limit_mb=2048 -timeout=10

or through tests/fuzz/run_fuzz.sh, which also generates the seeds. Without atheris,
`check` is the plain-Python target that tests/test_fuzz_smoke.py and tests/fuzz/mutate.py call.
Any exception `check` raises is a finding (ContractViolation or a leaked non-PKCS12Error).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
for entry in (str(ROOT), str(TESTS / "fuzz"), str(TESTS)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

PASSWORD = "s3cret-Fuzz"  # the seeds' password (seeds.PASSWORD); must never appear in a message

# Small enough that a fuzzed iteration count or scrypt cost cannot stall the fuzzer, large enough
# for every generated seed (3 iterations) and the openssl/RFC 9579 vectors (2048).
LIMITS_KW = dict(
    max_iterations=4096,
    max_total_iterations=65536,
    max_scrypt_memory=8 * 1024 * 1024,
    max_input_size=1 << 20,
    max_bags=10_000,
)

# Exceptions `loads` converts to MalformedError as a safety net (api._UNEXPECTED); a conversion
# is within the contract but means some layer did not check its input: counted as a "leak".
_LEAKY = (ValueError, KeyError, IndexError, OverflowError, UnicodeError, RecursionError, TypeError)


class ContractViolation(AssertionError):
    """``loads`` broke the error contract (the message says how)."""


_PUBLIC_KEY: dict = {}


def _api():
    import pkcs12kit

    if not _PUBLIC_KEY:
        # The seeds' P-256 identity opens their public-key modes: trust anchor and recipient key.
        import craft

        key, cert = craft.ec_identity()
        _PUBLIC_KEY.update(trust=[cert], recipient_key=key)
    return pkcs12kit, pkcs12kit.Limits(**LIMITS_KW)


def exercise(p12) -> None:
    """Read every accessor a user would: they may raise PKCS12Error, nothing else."""
    import pkcs12kit

    for entry in p12.entries:
        repr(entry)
        for name in ("friendly_name", "local_key_id"):
            getattr(entry, name)
        for attribute in entry.attributes:
            repr(attribute)
            attribute.type
        try:
            if isinstance(entry, pkcs12kit.KeyEntry):
                entry.private_key
                entry.algorithm
            elif isinstance(entry, pkcs12kit.CertEntry):
                entry.certificate
                entry.trusted_key_usage
            elif isinstance(entry, pkcs12kit.CrlEntry):
                entry.crl
        except pkcs12kit.PKCS12Error:
            pass
    repr(p12)
    try:
        p12.key, p12.certificate, p12.chain
    except pkcs12kit.PKCS12Error:
        pass


# The touch-everything step (tests/fuzz/touch.py) after each successful decode: the library
# calls always, the CLI commands (about 50 ms for all of them) on every FUZZ_CLI_EVERY-th success.
_successes = [0]


def _touch(p12, data: bytes, verify_mac: bool) -> None:
    import touch

    try:
        touch.touch_library(p12)
        _successes[0] += 1
        every = int(os.environ.get("FUZZ_CLI_EVERY", "16"))
        if verify_mac and every and _successes[0] % every == 0:
            touch.touch_cli(data, PASSWORD)
    except touch.ContractViolation as err:
        raise ContractViolation(str(err)) from err


def check(data: bytes, *, stats: dict | None = None, touch: bool = False) -> None:
    """The fuzz target: raise on any breach of the error contract; ``stats`` counts outcomes."""
    pkcs12kit, limits = _api()
    for verify_mac in (True, False):
        try:
            p12 = pkcs12kit.loads(data, PASSWORD, limits=limits, verify_mac=verify_mac, **_PUBLIC_KEY)
        except pkcs12kit.PKCS12Error as err:
            message = str(err)
            if PASSWORD in message or PASSWORD.encode("utf-16-be").hex() in message:
                raise ContractViolation(f"password in error message: {message!r}") from err
            if isinstance(err.__cause__, _LEAKY) and type(err) is pkcs12kit.MalformedError and \
                    message.startswith("malformed input: "):
                kind = "leak:" + type(err.__cause__).__name__
                if os.environ.get("FUZZ_STRICT") == "1":
                    raise ContractViolation(f"unchecked {kind} wrapped by loads: {message}") from err
            else:
                kind = type(err).__name__
        else:
            if verify_mac and p12.mac is not None and not p12.mac_verified:
                raise ContractViolation("a MAC was present, verify_mac=True, yet mac_verified is False")
            if not verify_mac and p12.mac_verified:
                raise ContractViolation("verify_mac=False but mac_verified is True")
            exercise(p12)
            if touch:
                _touch(p12, data, verify_mac)
            kind = "ok"
        if stats is not None:
            key = f"{'mac' if verify_mac else 'nomac'}:{kind}"
            stats[key] = stats.get(key, 0) + 1


def main(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["pkcs12kit", "asn1crypto"]):
        import pkcs12kit  # noqa: F401
        import pkcs12kit.api  # noqa: F401
        import pkcs12kit.pfx  # noqa: F401
        import pkcs12kit.armor  # noqa: F401
        import pkcs12kit.cisco  # noqa: F401  (instrumented for coverage)
        import pkcs12kit.targets  # noqa: F401
        import pkcs12kit.cli  # noqa: F401
        import asn1crypto.keys  # noqa: F401
        import asn1crypto.x509  # noqa: F401
        import asn1crypto.crl  # noqa: F401
    _api()

    def test_one_input(data: bytes) -> None:
        check(data, touch=True)

    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
