"""Cost of certificate health (`pkcs12kit.targets.health`) on a file of many certificates.

    python benchmarks/health.py [--count 1000]

Builds, in memory, an identity and ``count`` expired self-signed CA certificates (EC P-256,
made with ``cryptography``), writes and reloads it with pkcs12kit, then times `targets.health`
and `targets.assess(p12, "asa")` once each (fresh entries: the first access parses each
certificate). Prints wall-clock times and the one summarised finding. docs/targets.md cites it.
"""

from __future__ import annotations

import argparse
import datetime
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import pkcs12kit
from pkcs12kit import targets

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    key = ec.generate_private_key(ec.SECP256R1())

    def certificate(cn: str, days: int) -> x509.Certificate:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
        return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(NOW - datetime.timedelta(days=400))
                .not_valid_after(NOW + datetime.timedelta(days=days)).sign(key, hashes.SHA256()))

    chain = [certificate(f"expired {n}", -10) for n in range(args.count)]
    der = pkcs12kit.dumps(pkcs12kit.PKCS12.build(key=key, certificate=certificate("leaf", 300), chain=chain), "pw")
    for name, run in (("health", lambda p12: targets.health(p12, at=NOW)),
                      ("assess asa", lambda p12: targets.assess(p12, "asa", at=NOW))):
        p12 = pkcs12kit.loads(der, "pw")
        start = time.perf_counter()
        found = run(p12)
        elapsed = time.perf_counter() - start
        print(f"{name} on {args.count + 1:,} certificates: {elapsed * 1000:.0f} ms "
              f"({elapsed / (args.count + 1) * 1e6:.0f} µs a certificate); {len(found)} findings")
    print(found[0].message[:120])


if __name__ == "__main__":
    main()
