"""Seed inputs for the fuzzers and the error-contract properties: valid PKCS#12 files of every
shape pkcs12kit reads, made fresh (deterministically where the producer allows it).

Exports: PASSWORD, generated, from_disk, openssl_made, all_seeds, write_corpus.

Every generated file uses `PASSWORD` and tiny iteration counts, so a fuzzer spends its time in
the parsers, not in the KDFs. Run ``python tests/fuzz/seeds.py DIR`` to write them to DIR.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
for entry in (str(ROOT), str(TESTS)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import berify  # noqa: E402
import craft  # noqa: E402
import pkcs12kit  # noqa: E402
from pkcs12kit import Protection  # noqa: E402

PASSWORD = "s3cret-Fuzz"

_SMALL = 3  # KDF and MAC iterations in generated seeds


def _identity_p12(**extra) -> pkcs12kit.PKCS12:
    pkcs8, cert = craft.identity()
    return pkcs12kit.PKCS12.build(key=pkcs8, certificate=cert, friendly_name="fuzz \u00e9\u65e5", **extra)


def generated() -> dict[str, bytes]:
    """name → bytes: pkcs12kit.dumps under each profile and unusual protection, plus crafted
    shapes (nested bags, secret/CRL/unknown bags, BER encodings)."""
    out: dict[str, bytes] = {}
    p12 = _identity_p12()
    for name, profile in pkcs12kit.profiles.PROFILES.items():
        if profile.mac is not None or profile.key_protection is not None:
            profile = profile.with_iterations(_SMALL)
        out[f"dumps-{name.lower()}"] = pkcs12kit.dumps(p12, PASSWORD, profile=profile, random=random.Random(1))
    extra_protections = {
        "scrypt": Protection("pbes2", cipher="aes128_cbc", kdf="scrypt", salt_length=8,
                             scrypt_n=16, scrypt_r=1, scrypt_p=1),
        "pbes1-md5-des": Protection("pbes1_md5_des", cipher="des", kdf="pbkdf1", prf="md5",
                                    iterations=_SMALL, salt_length=8),
        "rc4-128": Protection("pkcs12_sha1_rc4_128", cipher="rc4", kdf="pkcs12", prf="sha1",
                              iterations=_SMALL, salt_length=8),
        "pbes2-3des-sha1": Protection("pbes2", cipher="tripledes_3key", kdf="pbkdf2", prf="sha1",
                                      iterations=_SMALL, salt_length=8),
    }
    base = pkcs12kit.MODERN.with_iterations(_SMALL)
    for name, protection in extra_protections.items():
        profile = base.with_key_protection(protection).with_cert_protection(protection).with_layout("single")
        out[f"dumps-{name}"] = pkcs12kit.dumps(p12, PASSWORD, profile=profile, random=random.Random(2))
    # Issue 14: the other PBES2 ciphers, PRFs and MAC hashes, two passwords, nested bags.
    for cipher, prf in (("camellia256_cbc", "sha3_256"), ("aria128_cbc", "sm3"), ("sm4_cbc", "sha256"),
                        ("seed_cbc", "sha512")):
        protection = Protection("pbes2", cipher=cipher, kdf="pbkdf2", prf=prf, iterations=_SMALL, salt_length=8)
        profile = base.with_key_protection(protection).with_cert_protection(protection)
        out[f"dumps-{cipher}-{prf}"] = pkcs12kit.dumps(p12, PASSWORD, profile=profile, random=random.Random(4))
    for digest in ("sha3_384", "sm3", "md5"):
        out[f"dumps-mac-{digest}"] = pkcs12kit.dumps(
            p12, PASSWORD, profile=base.with_mac(digest=digest, allow_weak=True), random=random.Random(5))
    # Not "dumps-": its MAC password differs, so the fuzz password alone does not open it.
    out["twopass-dumps"] = pkcs12kit.dumps(p12, PASSWORD, profile=base, mac_password=PASSWORD + "-mac",
                                           random=random.Random(6))
    out["dumps-pbmac1-sha512"] = pkcs12kit.dumps(
        p12, PASSWORD, profile=base.with_mac(kind="pbmac1", digest="sha512", prf="sha512", key_length=64),
        random=random.Random(3),
    )

    # Shapes the encoder does not write: nested safeContents, secret, CRL and unknown bags.
    pkcs8, cert = craft.identity()
    nested = craft.safe_bag("safe_contents_bag", craft.safe_contents(
        craft.cert_bag(cert), craft.safe_bag("safe_contents_bag", craft.safe_contents(craft.key_bag(pkcs8)))))
    secret = craft.safe_bag("secret_bag", craft.seq(craft.oid("1.2.3.4"), craft.ctx0(craft.octets(b"secret!"))))
    crl = craft.safe_bag("crl_bag", craft.seq(craft.oid("1.2.840.113549.1.9.23.1"), craft.ctx0(craft.octets(b"\x30\x00"))))
    unknown = craft.safe_bag("1.2.3.4.5", craft.null(),
                             craft.set_of(craft.attribute("friendly_name", craft.bmp("odd"))))
    contents = craft.auth_safe(craft.data_ci(craft.safe_contents(nested, secret, crl, unknown)))
    out["crafted-nested-and-odd-bags"] = craft.pfx(contents, craft.hmac_mac_data(contents, PASSWORD, iterations=_SMALL))
    out["crafted-nomac"] = craft.pfx(craft.auth_safe(craft.data_ci(craft.plain_safe())))
    algorithm, ciphertext = craft.pbes2_pbkdf2(craft.plain_safe(), PASSWORD, _SMALL)
    shrouded_alg, shrouded = craft.pkcs12_pbe(pkcs8, PASSWORD, _SMALL)
    contents = craft.auth_safe(
        craft.encrypted_data_ci(algorithm, ciphertext),
        craft.data_ci(craft.safe_contents(craft.shrouded_key_bag(shrouded_alg, shrouded))),
    )
    out["crafted-pbes2-and-3des"] = craft.pfx(contents, craft.pbmac1_mac_data(contents, PASSWORD, key_length=32,
                                                                               iterations=_SMALL))

    # Public-key modes (RFC 7292 section 3.1): signed, enveloped for the fixed P-256 identity
    # (fuzz_loads.check passes it as trust and recipient key), and both.
    ec_key, ec_cert = craft.ec_identity()
    signer = pkcs12kit.Signer(ec_key, ec_cert)
    out["pubkey-signed-ecdsa"] = pkcs12kit.dumps(p12, PASSWORD, profile=base, signer=signer, random=random.Random(4))
    out["pubkey-enveloped-ecdh"] = pkcs12kit.dumps(p12, PASSWORD, profile=base, recipients=[ec_cert],
                                                   random=random.Random(5))
    out["pubkey-signed-enveloped-3des"] = pkcs12kit.dumps(
        p12, PASSWORD, profile=base, signer=signer, recipients=[ec_cert], envelope_cipher="tripledes_3key",
        random=random.Random(6))

    # BER forms (Windows, Java, BouncyCastle write these).
    style = berify.Style(indefinite=True, chunk=7, long_lengths=True)
    out["ber-passwordless"] = berify.pfx(out["dumps-passwordless"], style, inner=True)
    out["ber-legacy-3des"] = berify.pfx_with_mac(out["dumps-legacy_3des"], style, PASSWORD)
    return out


# Issue 15 row 3 at the scale, over 3,000 certificates each: the fuzz target reads every
# accessor, about 2 s per file and 0.4 s per mutant (tests/test_fuzz_smoke.py's 2,000 mutants
# took 24 s instead of 5 with them), for the shapes that the 200-certificate seeds
# name-loop-100x2.p12 and same-subject-200.p12 already give the mutator.
TOO_SLOW_TO_MUTATE = frozenset({"name-loop-1500x2-key-ids.p12", "same-subject-3300-key-ids.p12"})


def from_disk() -> dict[str, bytes]:
    """Every PKCS#12 file in tests/vectors (crafted ones included, but `TOO_SLOW_TO_MUTATE`),
    the RFC 9579 vectors and the ``cryptography_vectors`` package's pkcs12/ files (other
    passwords: they exercise structure)."""
    out = {}
    roots = [TESTS / "vectors"]  # rglob below reaches vectors/rfc9579 too
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.name in TOO_SLOW_TO_MUTATE:
                continue
            if path.suffix in (".p12", ".pfx", ".txt", ".b64") and path.is_file():
                out[f"disk-{path.relative_to(root).as_posix().replace('/', '_')}"] = path.read_bytes()
    try:
        import cryptography_vectors
    except ImportError:
        return out
    vectors = Path(cryptography_vectors.__file__).parent
    for path in sorted(vectors.glob("pkcs12/*.p12")):
        out[f"cryptography-vectors-{path.name}"] = path.read_bytes()
    return out


def openssl_made() -> dict[str, bytes]:
    """A few files from the openssl CLI (1 iteration) with the identity; empty if no openssl."""
    pkcs8, cert = craft.identity()
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        key_path, cert_path = Path(tmp, "k.der"), Path(tmp, "c.der")
        key_path.write_bytes(pkcs8)
        cert_path.write_bytes(cert)
        key_pem = subprocess.run(["openssl", "pkey", "-inform", "DER", "-in", key_path],
                                 capture_output=True, check=False)
        cert_pem = subprocess.run(["openssl", "x509", "-inform", "DER", "-in", cert_path],
                                  capture_output=True, check=False)
        if key_pem.returncode or cert_pem.returncode:
            return out
        Path(tmp, "k.pem").write_bytes(key_pem.stdout)
        Path(tmp, "c.pem").write_bytes(cert_pem.stdout)
        variants = {
            "default": [],
            "legacy": ["-legacy"],
            "nomac-aes": ["-nomac"],
            "descert-sha512": ["-descert", "-macalg", "sha512"],
        }
        for name, options in variants.items():
            target = Path(tmp, name + ".p12")
            proc = subprocess.run(
                ["openssl", "pkcs12", "-export", "-in", Path(tmp, "c.pem"), "-inkey", Path(tmp, "k.pem"),
                 "-name", "openssl-made", "-noiter", "-nomaciter", "-passout", "pass:" + PASSWORD,
                 "-out", target, *options],
                capture_output=True, check=False,
            )
            if proc.returncode == 0:
                out[f"openssl-{name}"] = target.read_bytes()
    return out


def all_seeds(*, with_openssl: bool = True) -> dict[str, bytes]:
    seeds = {**generated(), **from_disk()}
    if with_openssl:
        seeds.update(openssl_made())
    return seeds


def write_corpus(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    seeds = all_seeds()
    for name, data in seeds.items():
        digest = hashlib.sha1(data).hexdigest()[:12]
        (directory / f"{name}-{digest}").write_bytes(data)
    return len(seeds)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/fuzz/seeds.py CORPUS_DIR")
    print(write_corpus(Path(sys.argv[1])), "seeds written to", sys.argv[1])
