"""Test helpers: run openssl/keytool/java, make keys and certificates with ``cryptography``.

Exports: ToolMissing, find_tool, run, openssl, openssl_export, keytool, Pki, Party, key_pkcs8,
pem_ders, sha1, KEY_KINDS.

Nothing here imports pkcs12kit: every value a test compares against comes from these helpers,
the programs they run or the ``cryptography`` library, never from the code under test.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

# One argument list that loads OpenSSL 3's legacy provider (RC2, RC4, DES, MD5-based PBEs ...).
LEGACY_PROVIDERS = ("-provider", "legacy", "-provider", "default")

KEY_KINDS = ("rsa2048", "p256", "p384", "p521", "ed25519", "ed448", "dsa2048")


class ToolMissing(Exception):
    """A program a test needs is not installed."""


def find_tool(name: str) -> str | None:
    return shutil.which(name)


def require_tool(name: str) -> str:
    """Path of program ``name``; skip when missing, or fail when CI=true (CI must run everything)."""
    path = find_tool(name)
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: a missing tool is a failure)", pytrace=False)
        pytest.skip(message)
    return path


def run(args, *, input: bytes | None = None, check: bool = True, env=None) -> subprocess.CompletedProcess:
    """Run a program; on failure raise with its stderr so the test report says why."""
    args = [str(a) for a in args]
    if find_tool(args[0]) is None:
        raise ToolMissing(args[0])
    proc = subprocess.run(args, input=input, capture_output=True, env=env, timeout=120)
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')}"
            f"{proc.stdout.decode(errors='replace')[-2000:]}"
        )
    return proc


def openssl(*args, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return run(["openssl", *args], input=input, check=check)


def openssl_export(
    out: Path,
    *,
    password: str | None,
    key: Path | None = None,
    cert: Path | None = None,
    certfile: Path | None = None,
    options=(),
    legacy: bool = False,
) -> bytes:
    """``openssl pkcs12 -export`` and return the file's bytes.

    ``password`` None writes no ``-passout`` value at all (used with NONE/-nomac for a
    passwordless file: openssl then sees the empty password).
    """
    args = ["pkcs12", "-export", "-out", out]
    if legacy:
        args += LEGACY_PROVIDERS
    if cert is not None:
        args += ["-in", cert]
    else:
        args += ["-nocerts"]
    if key is not None:
        args += ["-inkey", key]
    else:
        args += ["-nokeys"]
    if certfile is not None:
        args += ["-certfile", certfile]
    args += ["-passout", "pass:" + (password or "")]
    args += list(options)
    openssl(*args)
    return Path(out).read_bytes()


# Quick JVM start-up (about half the time of the defaults for these short runs); English messages.
KEYTOOL_JVM = ("-J-Duser.language=en", "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData")


def keytool(*args, check: bool = True) -> subprocess.CompletedProcess:
    return run(["keytool", *KEYTOOL_JVM, *args], check=check)


def sha1(data: bytes) -> bytes:
    return hashlib.sha1(data).digest()


def key_pkcs8(key) -> bytes:
    """A ``cryptography`` private key as unencrypted PKCS#8 PrivateKeyInfo DER."""
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def pem_ders(path_or_bytes) -> list[bytes]:
    """Every certificate of a PEM file or blob, as DER, in file order."""
    data = Path(path_or_bytes).read_bytes() if not isinstance(path_or_bytes, bytes) else path_or_bytes
    return [c.public_bytes(serialization.Encoding.DER) for c in x509.load_pem_x509_certificates(data)]


def make_key(kind: str):
    if kind == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind in ("p256", "p384", "p521"):
        curve = {"p256": ec.SECP256R1, "p384": ec.SECP384R1, "p521": ec.SECP521R1}[kind]()
        return ec.generate_private_key(curve)
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "ed448":
        return ed448.Ed448PrivateKey.generate()
    if kind == "dsa2048":
        return dsa.generate_private_key(key_size=2048)
    raise ValueError(kind)


def _signing_hash(issuer_key):
    if isinstance(issuer_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        return None
    return hashes.SHA256()


def make_cert(subject: str, public_key, issuer: "Party | None", issuer_key, *, ca: bool) -> x509.Certificate:
    """A certificate with SKI, and AKI when an issuer is given (self-signed when issuer is None)."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.cert.subject if issuer else name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=400))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    return builder.sign(issuer_key, _signing_hash(issuer_key))


@dataclasses.dataclass
class Party:
    """A key and its certificate, with PEM files on disk."""

    key: object
    cert: x509.Certificate
    key_path: Path
    cert_path: Path

    @property
    def key_der(self) -> bytes:
        return key_pkcs8(self.key)

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _write_party(directory: Path, stem: str, key, cert) -> Party:
    key_path = directory / f"{stem}.key.pem"
    cert_path = directory / f"{stem}.crt.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Party(key, cert, key_path, cert_path)


class Pki:
    """Root CA → intermediate CA → one leaf per key kind, generated once per session.

    Keys are made lazily and cached, so a test run that needs only EC keys never pays for
    RSA/DSA generation; RSA-2048 is generated once and reused.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._keys: dict[str, object] = {}
        self._leaves: dict[str, Party] = {}
        root_key = make_key("p384")
        root_cert = make_cert("pkcs12kit test root CA", root_key.public_key(), None, root_key, ca=True)
        self.root = _write_party(self.directory, "root", root_key, root_cert)
        inter_key = ec.generate_private_key(ec.SECP256R1())
        inter_cert = make_cert("pkcs12kit test intermediate CA", inter_key.public_key(), self.root, root_key, ca=True)
        self.intermediate = _write_party(self.directory, "intermediate", inter_key, inter_cert)
        # -certfile input: intermediate then root, the order openssl copies into the file.
        self.chain_path = self.directory / "chain.pem"
        self.chain_path.write_bytes(self.intermediate.cert_path.read_bytes() + self.root.cert_path.read_bytes())

    @property
    def chain_ders(self) -> list[bytes]:
        return [self.intermediate.cert_der, self.root.cert_der]

    def key(self, kind: str):
        if kind not in self._keys:
            self._keys[kind] = make_key(kind)
        return self._keys[kind]

    def leaf(self, kind: str = "p256") -> Party:
        """A leaf certificate for a key of ``kind``, issued by the intermediate CA."""
        if kind not in self._leaves:
            key = self.key(kind)
            cert = make_cert(f"pkcs12kit test leaf {kind}", key.public_key(), self.intermediate,
                             self.intermediate.key, ca=False)
            self._leaves[kind] = _write_party(self.directory, f"leaf-{kind}", key, cert)
        return self._leaves[kind]


def ci() -> bool:
    return os.environ.get("CI") == "true"


def run_with_terminal(args, answers: dict[str, str], *, timeout: float = 60) -> tuple[int, str]:
    """Run a program on a pseudo-terminal, answering its prompts; return (exit code, output).

    For options that read passwords only from the terminal (``openssl pkcs12 -twopass``):
    ``answers`` maps a prompt's text (e.g. ``"Enter MAC Password:"``) to the line typed at it.
    Each prompt is answered once per appearance, in order; a prompt with no answer ends the run.
    """
    import pty
    import select
    import time

    args = [str(a) for a in args]
    if find_tool(args[0]) is None:
        raise ToolMissing(args[0])
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal
        try:
            os.execvp(args[0], args)
        finally:
            os._exit(127)
    output = b""
    answered = 0  # output up to here has had its prompts answered
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            pending = output[answered:].decode(errors="replace")
            for prompt, answer in answers.items():
                if pending.rstrip().endswith(prompt):
                    os.write(fd, answer.encode() + b"\n")
                    answered = len(output)
                    break
        else:
            os.kill(pid, 9)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")
