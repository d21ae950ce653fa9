"""The worst files the default `Limits` admit: time and peak memory of `loads` (docs/security.md).

    python benchmarks/worst_case.py            # each case in a fresh process; about a minute

Cases (each spends the whole default KDF budget, 10,000,000 hash chains, or the whole default
scrypt memory):

- ``mac-sha1+3des``: MAC HMAC-SHA-1 at 2,000,000 iterations (1 chain) + two 3-key 3DES safes at
  1,333,333 (3 chains each): 10.0M chains, the PKCS#12 KDF (RFC 7292 appendix B) all the way,
  opened with the right password (every derivation runs once).
- ``no-password-nomac``: five PBES2 AES-256 / PBKDF2-HMAC-SHA-256 safes at 2,000,000, no MAC, opened
  with no password (the absent and empty forms hash the same UTF-8 octets: one derivation each;
  the first safe fails and ends the decode, so this is the cheap end).
- ``scrypt-126MB``: one PBES2 scrypt safe at N=2^16, r=15, p=1: scrypt is charged 2·N·r·p
  iterations against ``max_iterations`` (2,000,000), so N·r·p <= 1,000,000 and its memory,
  128·r·(N+p+2) bytes, stays near 126 MB; the memory limit (256 MiB) is reached only with a
  tiny N.
- ``scrypt-N2-r419000-wrong-password``: issue 15 row 13, N=2, r=419,000 (268,160,000 bytes, just
  under 256 MiB), a wrong password.
- ``chains-10000``: the 10,000-certificate chain the limits' docstring mentions, plain, with
  ``p12.chain`` and ``targets.check`` — the non-KDF worst case of interest.

Files are made with tests/craft.py (hashlib and cryptography, never pkcs12kit) and cached in
benchmarks/.cache. Each case runs in a subprocess so its peak RSS (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _make(name: str) -> bytes:
    import craft

    if name == "mac-sha1+3des":
        safes = []
        for index in range(2):
            algorithm, ciphertext = craft.pkcs12_pbe(craft.plain_safe(), "pw", 1_333_333, salt=b"salt%04d" % index)
            safes.append(craft.encrypted_data_ci(algorithm, ciphertext))
        content = craft.auth_safe(*safes)
        return craft.pfx(content, craft.hmac_mac_data(content, "pw", digest="sha1", iterations=2_000_000))
    if name == "no-password-nomac":
        algorithm, ciphertext = craft.pbes2_pbkdf2(craft.plain_safe(), "pw", 2_000_000)
        return craft.pfx(craft.auth_safe(*[craft.encrypted_data_ci(algorithm, ciphertext)] * 5))
    if name == "scrypt-126MB":
        algorithm, ciphertext = craft.pbes2_scrypt(craft.plain_safe(), "pw", 2**16, 15, 1)
        return craft.pfx(craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext)))
    if name == "scrypt-N2-r419000-wrong-password":
        algorithm, ciphertext = craft.pbes2_scrypt(craft.plain_safe(), "pw", 2, 419_000, 1, derive=False)
        return craft.pfx(craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext)))
    if name == "chains-10000":
        sys.path.insert(0, str(ROOT / "tests" / "vectors" / "crafted"))
        import second_pass as sp

        bags = [craft.cert_bag(sp.certificate(sp.name("n0"), sp.name("n1"), sp.ed25519_spki(0)))]
        bags += [craft.cert_bag(sp.certificate(sp.name(f"n{i}"), sp.name(f"n{i + 1}"), sp.ed25519_spki(i), serial=i))
                 for i in range(1, 10_000)]
        return sp.plain_file(*bags)
    raise KeyError(name)


CASES = {"mac-sha1+3des": "pw", "no-password-nomac": None, "scrypt-126MB": "pw",
         "scrypt-N2-r419000-wrong-password": "wrong", "chains-10000": None}


def _high_water_mb() -> int:
    """This process's peak resident memory (VmHWM): unlike ru_maxrss, Linux resets it at exec,
    so the parent's peak (it may have just derived a scrypt key to make the file) is not counted."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1


def _measure(name: str) -> dict:
    import pkcs12kit
    from pkcs12kit import targets

    data = (CACHE / f"worst-{name}.p12").read_bytes()
    before = _high_water_mb()
    started = time.perf_counter()
    try:
        p12 = pkcs12kit.loads(data, CASES[name])
        outcome = "loaded"
        if name == "chains-10000":
            p12.chain
            targets.check(p12, "asa")
    except pkcs12kit.PKCS12Error as err:
        outcome = type(err).__name__
    seconds = time.perf_counter() - started
    peak = _high_water_mb()
    return {"case": name, "bytes": len(data), "outcome": outcome, "seconds": round(seconds, 2),
            "peak_rss_mb": peak, "rss_before_mb": before}


def main() -> None:
    CACHE.mkdir(exist_ok=True)
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(_measure(sys.argv[2])))
        return
    for name in sys.argv[1:] or CASES:
        path = CACHE / f"worst-{name}.p12"
        if not path.exists():
            path.write_bytes(_make(name))
        result = subprocess.run([sys.executable, __file__, "--case", name], capture_output=True, text=True,
                                check=True)
        print(result.stdout.strip())


if __name__ == "__main__":
    main()
