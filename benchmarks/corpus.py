"""The benchmark corpus: one RSA key + a leaf + N-1 CA certificates, as PKCS#12 files.

Exports: PASSWORD, PROFILES, CORPUS_VERSION, Corpus, default_cache_dir.

Every certificate is distinct DER (own serial, subject and RSA-2048-sized public key) and about
the size of a real CA certificate (~900 bytes), so 10,000 of them make a ~9.4 MB file like the
one in the issue. Only two real RSA keys exist: the identity key (the leaf's key, stored in the
file) and the issuer key that signs every certificate. The CA certificates' public keys are
random odd 2048-bit moduli: no parser checks that a public key has a private half, and making
10,000 real RSA keys would take ten minutes. Signing with one key costs ~1.5 ms a certificate,
so the 10,000-certificate chain takes ~15 s once; everything is cached under the cache
directory (``benchmarks/.cache`` by default, gitignored) keyed by the parameters in the file
name, and a chain is extended rather than regenerated when a larger size is asked for.

Files are written by three producers so that each reader is measured on files it did not write:

- ``cryptography``: ``serialize_key_and_certificates`` (MODERN and LEGACY_3DES; it cannot write
  RC2-40);
- ``openssl``: ``openssl pkcs12 -export`` (all three; ``-legacy`` for LEGACY_RC2);
- ``pkcs12kit``: ``pkcs12kit.dumps`` with the named profile (seeded, so byte-reproducible).

`Corpus.reference_file` names the file every implementation loads for a profile: cryptography's
for MODERN and LEGACY_3DES, OpenSSL's for LEGACY_RC2.
"""

from __future__ import annotations

import datetime
import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["PASSWORD", "PROFILES", "CORPUS_VERSION", "Corpus", "default_cache_dir"]

PASSWORD = "bench-Passw0rd"
PROFILES = ("MODERN", "LEGACY_RC2", "LEGACY_3DES")
# Bump when the certificates or the way files are written change: old cache entries are ignored.
CORPUS_VERSION = "v1"
FRIENDLY_NAME = "bench identity"

# Which producer's file every implementation loads, per profile.
REFERENCE_PRODUCER = {"MODERN": "cryptography", "LEGACY_3DES": "cryptography", "LEGACY_RC2": "openssl"}

# `openssl pkcs12 -export` options giving each profile (OpenSSL 3.0 defaults are MODERN's).
OPENSSL_EXPORT_OPTIONS = {
    "MODERN": ["-keypbe", "AES-256-CBC", "-certpbe", "AES-256-CBC", "-macalg", "sha256", "-iter", "2048"],
    "LEGACY_3DES": ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1", "-iter", "2048"],
    "LEGACY_RC2": ["-legacy"],
}
# `openssl pkcs12` (read) options per profile: RC2-40 needs OpenSSL 3's legacy provider.
OPENSSL_READ_OPTIONS = {"MODERN": [], "LEGACY_3DES": [], "LEGACY_RC2": ["-legacy"]}

_EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


def default_cache_dir() -> Path:
    return HERE / ".cache"


def cryptography_encryption(profile: str, password: str = PASSWORD):
    """cryptography's `KeySerializationEncryption` matching a pkcs12kit profile (None for RC2)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization.pkcs12 import PBES

    builder = serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(2048)
    if profile == "MODERN":
        builder = builder.key_cert_algorithm(PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256())
    elif profile == "LEGACY_3DES":
        builder = builder.key_cert_algorithm(PBES.PBESv1SHA1And3KeyTripleDESCBC).hmac_hash(hashes.SHA1())
    else:
        return None  # cryptography writes no RC2-40
    return builder.build(password.encode())


class Corpus:
    """Keys, certificates and PKCS#12 files for the benchmark, generated on demand and cached."""

    def __init__(self, cache_dir: str | os.PathLike | None = None, *, log=None) -> None:
        self.dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.dir = self.dir / CORPUS_VERSION
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log = log or (lambda message: None)
        self._key = None
        self._issuer_key = None
        self._certs: list | None = None  # cryptography Certificates: leaf first, then CAs

    # --- keys and certificates ------------------------------------------------------------

    def _load_or_make_key(self, name: str):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        path = self.dir / f"{name}.pem"
        if path.exists():
            return serialization.load_pem_private_key(path.read_bytes(), None)
        key = rsa.generate_private_key(65537, 2048)
        _write(path, key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ))
        return key

    @property
    def key(self):
        """The identity key (cryptography RSA private key, 2048 bits)."""
        if self._key is None:
            self._key = self._load_or_make_key("identity-key")
        return self._key

    @property
    def issuer_key(self):
        if self._issuer_key is None:
            self._issuer_key = self._load_or_make_key("issuer-key")
        return self._issuer_key

    def certificates(self, count: int) -> list:
        """``count`` cryptography Certificates: the leaf (for `key`), then ``count - 1`` CAs."""
        from cryptography import x509

        if self._certs is None:
            path = self.dir / "chain.pem"
            self._certs = x509.load_pem_x509_certificates(path.read_bytes()) if path.exists() else []
        if len(self._certs) < count:
            self._extend(count)
        return self._certs[:count]

    def _extend(self, count: int) -> None:
        import time

        from cryptography.hazmat.primitives import serialization

        have = len(self._certs)
        self.log(f"corpus: signing certificates {have + 1}..{count} (cached afterwards)")
        start = time.perf_counter()
        for index in range(have, count):
            self._certs.append(self._make_certificate(index))
        pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self._certs)
        _write(self.dir / "chain.pem", pem)
        self.log(f"corpus: {count - have} certificates in {time.perf_counter() - start:.1f} s")

    def _make_certificate(self, index: int):
        """Certificate ``index``: 0 is the leaf, issued by CA 1; CA i (i >= 1) is issued by CA i+1
        by name, and all are signed with the issuer key (nobody verifies signatures here)."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        def name(i: int):
            if i == 0:
                common = "leaf.bench.example"
            else:
                common = f"Bench Intermediate CA {i:05d}"
            return x509.Name([
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CH"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "pkcs12kit benchmark corpus"),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "large chains"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ])

        if index == 0:
            public_key = self.key.public_key()
        else:
            # A random odd 2048-bit modulus: a distinct, realistically sized RSA public key.
            rng = random.Random(f"{CORPUS_VERSION}-{index}")
            modulus = rng.getrandbits(2048) | (1 << 2047) | 1
            public_key = rsa.RSAPublicNumbers(65537, modulus).public_key()
        issuer_public = self.issuer_key.public_key()
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(index))
            .issuer_name(name(index + 1))
            .public_key(public_key)
            .serial_number(0x10000 + index)
            .not_valid_before(_EPOCH)
            .not_valid_after(_EPOCH + datetime.timedelta(days=3650))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False)
        )
        if index == 0:
            builder = (
                builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName("leaf.bench.example")]), critical=False)
            )
        else:
            builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
        return builder.sign(self.issuer_key, hashes.SHA256())

    # --- inputs for the writers -------------------------------------------------------------

    def key_pem_path(self) -> Path:
        self.key  # noqa: B018 - makes the file
        return self.dir / "identity-key.pem"

    def chain_pem_path(self, size: int) -> Path:
        """PEM of the leaf and ``size - 1`` CAs (what ``openssl pkcs12 -export -in`` reads)."""
        from cryptography.hazmat.primitives import serialization

        path = self.dir / f"chain-{size}.pem"
        if not path.exists():
            _write(path, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.certificates(size)))
        return path

    def cert_ders(self, size: int) -> list[bytes]:
        from cryptography.hazmat.primitives import serialization

        return [c.public_bytes(serialization.Encoding.DER) for c in self.certificates(size)]

    def key_der(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def pkcs12kit_object(self, size: int):
        """The `pkcs12kit.PKCS12` that pkcs12kit.dumps is timed on (built outside the timing)."""
        import pkcs12kit

        ders = self.cert_ders(size)
        return pkcs12kit.PKCS12.build(key=self.key_der(), certificate=ders[0], chain=ders[1:],
                                      friendly_name=FRIENDLY_NAME)

    # --- PKCS#12 files ------------------------------------------------------------------------

    def file(self, producer: str, profile: str, size: int) -> Path:
        """Path of the PKCS#12 file ``producer`` writes for ``profile`` with ``size`` certificates."""
        path = self.dir / f"{producer}-{profile}-{size}.p12"
        if path.exists():
            return path
        self.log(f"corpus: writing {path.name}")
        if producer == "cryptography":
            data = self._write_cryptography(profile, size)
        elif producer == "openssl":
            data = self._write_openssl(profile, size)
        elif producer == "pkcs12kit":
            data = self._write_pkcs12kit(profile, size)
        else:
            raise ValueError(f"unknown producer {producer!r}")
        _check_file(data, profile, size, producer)
        _write(path, data)
        return path

    def reference_file(self, profile: str, size: int) -> Path:
        return self.file(REFERENCE_PRODUCER[profile], profile, size)

    def _write_cryptography(self, profile: str, size: int) -> bytes:
        from cryptography.hazmat.primitives.serialization import pkcs12

        encryption = cryptography_encryption(profile)
        if encryption is None:
            raise ValueError(f"cryptography cannot write {profile}")
        certs = self.certificates(size)
        return pkcs12.serialize_key_and_certificates(FRIENDLY_NAME.encode(), self.key, certs[0], certs[1:] or None, encryption)

    def _write_openssl(self, profile: str, size: int) -> bytes:
        args = ["openssl", "pkcs12", "-export", "-inkey", str(self.key_pem_path()), "-in", str(self.chain_pem_path(size)),
                "-name", FRIENDLY_NAME, "-passout", f"pass:{PASSWORD}", *OPENSSL_EXPORT_OPTIONS[profile]]
        proc = subprocess.run(args, capture_output=True, timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"openssl pkcs12 -export failed: {proc.stderr.decode(errors='replace')}")
        return proc.stdout

    def _write_pkcs12kit(self, profile: str, size: int) -> bytes:
        import pkcs12kit

        return pkcs12kit.dumps(self.pkcs12kit_object(size), PASSWORD, profile=getattr(pkcs12kit, profile),
                               random=random.Random(f"{CORPUS_VERSION}-{profile}-{size}"))

    def trustpoint_file(self) -> Path:
        """A Cisco-trustpoint-like file: key + leaf + 2 CAs (3 certificates), LEGACY_3DES, by
        cryptography (IOS-XE exports 3DES-encrypted certificates)."""
        path = self.dir / "trustpoint-3.p12"
        if not path.exists():
            data = self._write_cryptography("LEGACY_3DES", 3)
            _check_file(data, "LEGACY_3DES", 3, "cryptography")
            _write(path, data)
        return path


def _check_file(data: bytes, profile: str, size: int, producer: str) -> None:
    """Refuse to cache a file that cryptography does not read back with ``size`` certificates."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    loaded = pkcs12.load_pkcs12(data, PASSWORD.encode())
    count = (loaded.cert is not None) + len(loaded.additional_certs)
    if loaded.key is None or count != size:
        raise RuntimeError(f"{producer} {profile} {size}: read back {count} certificates, key={loaded.key is not None}")


def _write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves a bad cache entry."""
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
