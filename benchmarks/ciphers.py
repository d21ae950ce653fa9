"""Time `dumps`/`loads` of one file under each PBES2 cipher (docs/performance.md#pbes2-ciphers).

    python benchmarks/ciphers.py            # 1,000 certificates (~0.84 MB), best of 3 loads
    python benchmarks/ciphers.py --certs 100

The file holds the Cisco sample's key and its certificate repeated; PBKDF2 and the MAC run one
iteration each, so the numbers are the ciphers' (and the codec's), not the KDFs'. AES, Camellia,
SM4 and SEED come from pyca/cryptography; ARIA is pure Python (pkcs12kit/ciphers/_aria.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pkcs12kit  # noqa: E402
from pkcs12kit import MODERN, Protection  # noqa: E402

CIPHERS = ("aes256_cbc", "camellia256_cbc", "sm4_cbc", "seed_cbc", "aria128_cbc", "aria256_cbc")
SAMPLE = ROOT / "tests" / "vectors" / "cisco" / "iosxe-export-pkcs12-terminal.txt"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    sample = pkcs12kit.load(SAMPLE, "cisco123")
    p12 = pkcs12kit.PKCS12(tuple([sample.keys[0]] + [sample.certificates[0]] * args.certs))
    print(f"{'cipher':16s} {'size':>8s} {'dumps':>10s} {'loads':>10s}")
    for cipher in CIPHERS:
        protection = Protection("pbes2", cipher=cipher, kdf="pbkdf2", prf="sha256", iterations=1, salt_length=8)
        profile = MODERN.with_key_protection(protection).with_cert_protection(protection).with_mac(iterations=1)
        start = time.perf_counter()
        data = pkcs12kit.dumps(p12, "pw", profile=profile)
        write = time.perf_counter() - start
        reads = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            pkcs12kit.loads(data, "pw")
            reads.append(time.perf_counter() - start)
        print(f"{cipher:16s} {len(data) / 1e6:6.2f} MB {write * 1000:8.1f} ms {min(reads) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
