"""What RFC 7292's public-key modes cost next to a password: median time of ``dumps`` and ``loads``
of one identity (RSA-2048 key, its certificate and a CA) per integrity and privacy mode.

    python benchmarks/public_key_modes.py                # 21 rounds each, Markdown table on stdout
    python benchmarks/public_key_modes.py --rounds 51 --chain 100

Keys and certificates are made with ``cryptography`` once, before timing. The password rows use
MODERN (PBKDF2 2048 iterations for the key, the certificate safe and the MAC), the public-key rows
PASSWORDLESS plus a signer and/or recipients, so each row is the cost of one mode alone.
docs/public-key-modes.md#cost quotes the output.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pkcs12kit  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def _certificate(name: str, key, issuer=None, issuer_key=None) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(subject)
            .issuer_name(issuer.subject if issuer is not None else subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(issuer_key or key, hashes.SHA256()))


def _median_ms(function, rounds: int) -> float:
    function()  # warm-up
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--chain", type=int, default=1, help="CA certificates in the file (default 1)")
    args = parser.parse_args(argv)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("bench CA", ca_key)
    parties = {}
    for kind, key in (("RSA-2048", rsa.generate_private_key(65537, 2048)), ("P-256", ec.generate_private_key(ec.SECP256R1()))):
        parties[kind] = (key, _certificate(f"bench {kind}", key, ca, ca_key))
    identity_key, identity_cert = parties["RSA-2048"]
    p12 = pkcs12kit.PKCS12.build(key=identity_key, certificate=identity_cert, chain=[ca] * args.chain)

    rows = [("password (MODERN: PBKDF2 2048 x3)", dict(password="pw"), dict(password="pw"))]
    for kind, (key, cert) in parties.items():
        rows.append((f"signed, {kind} signer",
                     dict(password=None, profile=pkcs12kit.PASSWORDLESS, signer=pkcs12kit.Signer(key, cert)),
                     dict(password=None, trust=[ca])))
    for kind, (key, cert) in parties.items():
        rows.append((f"enveloped for a {kind} recipient",
                     dict(password=None, profile=pkcs12kit.PASSWORDLESS, recipients=[cert]),
                     dict(password=None, recipient_key=key, recipient_certificate=cert)))
    key, cert = parties["P-256"]
    rows.append(("signed (P-256) and enveloped (P-256)",
                 dict(password=None, profile=pkcs12kit.PASSWORDLESS, signer=pkcs12kit.Signer(key, cert),
                      recipients=[cert]),
                 dict(password=None, trust=[ca], recipient_key=key, recipient_certificate=cert)))

    print(f"| mode ({1 + args.chain} certificates and a key) | dumps ms | loads ms |")
    print("|---|---|---|")
    for name, encode, decode in rows:
        password = encode.pop("password")
        der = pkcs12kit.dumps(p12, password, **encode)
        dumps_ms = _median_ms(lambda: pkcs12kit.dumps(p12, password, **encode), args.rounds)
        read_password = decode.pop("password")
        assert pkcs12kit.loads(der, read_password, **decode) == p12
        loads_ms = _median_ms(lambda: pkcs12kit.loads(der, read_password, **decode), args.rounds)
        print(f"| {name} | {dumps_ms:.2f} | {loads_ms:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
