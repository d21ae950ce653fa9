"""Differential fuzzing against cryptography: where ``load_pkcs12`` loads a file, pkcs12kit must
return the same key and the same certificates (issue 15).

`compare(data, password)` returns an outcome name, or raises `Difference` when the two readers
disagree in a way docs/security.md#differential-fuzzing does not list. Documented differences
(each an outcome, counted, and tested in tests/test_differential.py):

- ``limits``: pkcs12kit refuses work over its `Limits` (iteration counts, scrypt memory) that
  OpenSSL would spend; cryptography is then not even asked (it has no cap and could hang).
- ``pkcs12kit-stricter``: cryptography (OpenSSL 3) loads, pkcs12kit refuses with a
  `PKCS12Error`: e.g. a PBMAC1 key shorter than 20 octets (RFC 9579 section 9), a version other
  than 3, a SafeContents or attribute OpenSSL skips. Counted and reported, not a failure: being
  stricter than OpenSSL is the contract; the opposite (pkcs12kit loads content OpenSSL rejects)
  is ``pkcs12kit-only`` and allowed, since OpenSSL refuses many valid files (BER, unknown bags).

Run a longer campaign with ``python tests/fuzz/differential.py SECONDS`` (mutated corpus files
and files from `pkcs12kit.strategies`); it prints executions, outcomes and the slowest input.
"""

from __future__ import annotations

import os
import random
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
for entry in (str(HERE), str(HERE.parents[1]), str(HERE.parent)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import pkcs12kit  # noqa: E402

# The same caps as the atheris target, so that a mutated iteration count cannot stall either side.
LIMITS = pkcs12kit.Limits(max_iterations=4096, max_total_iterations=65536, max_scrypt_memory=8 << 20,
                          max_input_size=1 << 20, max_bags=10_000)


class Difference(AssertionError):
    """cryptography and pkcs12kit disagree on a file both read."""


def _theirs(data: bytes, password: bytes | None):
    from cryptography.hazmat.primitives.serialization import pkcs12

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pkcs12.load_pkcs12(data, password)


def compare(data: bytes, password: str | None) -> str:
    """One differential check; returns the outcome (see the module docstring)."""
    from cryptography.hazmat.primitives import serialization

    try:
        ours = pkcs12kit.loads(data, password, limits=LIMITS)
        ours_error = None
    except pkcs12kit.LimitExceededError:
        return "limits"
    except pkcs12kit.PKCS12Error as err:
        ours, ours_error = None, err
    try:
        theirs = _theirs(data, password.encode("utf-8") if password is not None else None)
    except Exception:  # cryptography refuses: nothing to compare
        return "both-refuse" if ours is None else "pkcs12kit-only"
    if ours is None:
        return "pkcs12kit-stricter:" + type(ours_error).__name__
    their_certs = sorted(
        c.certificate.public_bytes(serialization.Encoding.DER)
        for c in ([theirs.cert] if theirs.cert is not None else []) + list(theirs.additional_certs)
    )
    # OpenSSL reads x509Certificate certBags only; pkcs12kit keeps other certTypes too (as
    # CertEntry with their cert_type), so only the x509 ones are compared.
    our_certs = sorted(_as_openssl_writes(entry.der) for entry in ours.certificates if entry.cert_type == "x509")
    if their_certs != our_certs:
        raise Difference(f"certificates differ: cryptography {len(their_certs)}, pkcs12kit {len(our_certs)}")
    for entry in ours.keys:
        try:
            entry.private_key
        except pkcs12kit.MalformedError:
            # pkcs12kit decodes the file but refuses the key on access (e.g. bytes after an
            # Ed25519 CurvePrivateKey, which OpenSSL ignores): stricter, documented.
            return "pkcs12kit-stricter:key"
    if theirs.key is not None:
        their_key = _key_material(theirs.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        their_public = _public(theirs.key)
        if their_key not in {_key_material(entry.der) for entry in ours.keys} and \
                their_public not in {_public_of(entry.der) for entry in ours.keys}:
            raise Difference("cryptography's key is not among pkcs12kit's keys")
    elif ours.keys and any(_loadable(entry.der) for entry in ours.keys):
        raise Difference("pkcs12kit found a key cryptography did not")
    return "same"


def _public(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def _public_of(der: bytes) -> bytes | None:
    """The SubjectPublicKeyInfo of a PKCS#8 key as cryptography computes it: OpenSSL also
    re-encodes an EC key's inner ECPrivateKey (adding its curve and public key), so a key is
    the same when either its octets or its public key are."""
    from cryptography.hazmat.primitives import serialization

    try:
        return _public(serialization.load_der_private_key(der, None, unsafe_skip_rsa_key_validation=True))
    except Exception:
        return None


def _as_openssl_writes(der: bytes) -> bytes:
    """The certificate as OpenSSL re-encodes it: the signature BIT STRING's unused bits cleared
    (X.690 11.2.1 makes them zero in DER; OpenSSL's parse keeps the value, its i2d writes zeros).
    pkcs12kit keeps the file's bytes, so a file with set padding bits differs only there."""
    from pkcs12kit import tlv

    try:
        root = tlv.read_all(der, "certificate")
        fields = list(tlv.children(der, root, "certificate"))
        signature = fields[2]
        if signature.tag != tlv.BIT_STRING or signature.end - signature.start < 2:
            return der
        unused = der[signature.start]
        if not 0 < unused < 8:
            return der
        last = signature.end - 1
        return der[:last] + bytes((der[last] & (0xFF << unused) & 0xFF,)) + der[last + 1:]
    except (pkcs12kit.MalformedError, IndexError):
        return der


def _key_material(der: bytes):
    """(algorithm OID, privateKey octets) of a PKCS#8 key: OpenSSL re-encodes a key it read (a
    v2 OneAsymmetricKey comes back as v1), so keys are compared by what they hold."""
    from asn1crypto import keys

    try:
        info = keys.PrivateKeyInfo.load(der)
        return info["private_key_algorithm"]["algorithm"].dotted, info["private_key"].contents
    except Exception:
        return None


def _loadable(der: bytes) -> bool:
    from cryptography.hazmat.primitives import serialization

    try:
        serialization.load_der_private_key(der, None, unsafe_skip_rsa_key_validation=True)
    except Exception:
        return False
    return True


def run(seconds: float, *, seed: int = 0) -> dict:
    """Mutated corpus files and strategy-made files for ``seconds``; returns the statistics."""
    import mutate
    import seeds

    rnd = random.Random(seed)
    pool = list(seeds.generated().values())
    stats: dict = {"executions": 0, "slowest": 0.0, "slowest_pkcs12kit": 0.0, "differences": []}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        parent = rnd.choice(pool)
        child = parent if rnd.random() < 0.1 else mutate.mutate(parent, rnd)
        started = time.perf_counter()
        try:
            pkcs12kit.loads(child, seeds.PASSWORD, limits=LIMITS)
        except pkcs12kit.PKCS12Error:
            pass
        stats["slowest_pkcs12kit"] = max(stats["slowest_pkcs12kit"], time.perf_counter() - started)
        started = time.perf_counter()
        try:
            outcome = compare(child, seeds.PASSWORD)
        except Difference as err:
            outcome = "DIFFERENCE"
            stats["differences"].append((str(err), child.hex()))
            out = os.environ.get("DIFF_OUT")
            if out:
                Path(out).mkdir(parents=True, exist_ok=True)
                (Path(out) / f"difference-{stats['executions']}.der").write_bytes(child)
        elapsed = time.perf_counter() - started
        stats["slowest"] = max(stats["slowest"], elapsed)
        stats["executions"] += 1
        stats[outcome] = stats.get(outcome, 0) + 1
    return stats


if __name__ == "__main__":
    import resource

    result = run(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0)
    differences = result.pop("differences")
    print(result)
    print(f"differences: {len(differences)}")
    for message, hexdata in differences[:5]:
        print(message, hexdata[:200])
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
