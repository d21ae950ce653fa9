"""pkcs12kit.tls against a real TLS server on 127.0.0.1 that requires a client certificate.

The PKI (two CAs, a server and client identities) is made with `cryptography`, and the .p12 files
with `cryptography`'s own PKCS#12 writer, so nothing under test produces the inputs. The server
side of the client tests is plain `ssl` loading PEM files; the client side of the server test is
plain `ssl` too. While `load_cert_chain` runs, a hook scans the temporary directories and the
working directory for the private key (PKCS#8 and traditional DER, and its PEM text), and every
`open`/`os.open` for writing is recorded.
"""

from __future__ import annotations

import builtins
import datetime
import http.server
import ipaddress
import os
import ssl
import stat
import tempfile
import threading
from pathlib import Path

import httpx
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import pkcs12kit
from pkcs12kit import tls
from pkcs12kit.errors import BadPasswordError, PKCS12Error
from pkcs12kit.tls_requests import PKCS12Adapter


PASSWORD = "p12 secret"
NOW = datetime.datetime.now(datetime.timezone.utc)


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _cert(subject, key, issuer_name, issuer_key, *, ca=False, eku=None, san=None):
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW - datetime.timedelta(hours=1))
               .not_valid_after(NOW + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False),
                                        critical=True)
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


class Pki:
    def __init__(self, directory: Path):
        self.dir = directory
        self.ca_key = ec.generate_private_key(ec.SECP256R1())
        self.ca = _cert("tls test CA", self.ca_key, _name("tls test CA"), self.ca_key, ca=True)
        self.other_ca_key = ec.generate_private_key(ec.SECP256R1())
        self.other_ca = _cert("other CA", self.other_ca_key, _name("other CA"), self.other_ca_key, ca=True)
        self.ca_file = self._pem("ca.pem", self.ca)
        self.server_key = ec.generate_private_key(ec.SECP256R1())
        self.server = _cert("127.0.0.1", self.server_key, self.ca.subject, self.ca_key,
                            eku=ExtendedKeyUsageOID.SERVER_AUTH,
                            san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
        self.client_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.client = _cert("tls test client", self.client_key, self.ca.subject, self.ca_key,
                            eku=ExtendedKeyUsageOID.CLIENT_AUTH)
        self.stranger_key = ec.generate_private_key(ec.SECP256R1())
        self.stranger = _cert("stranger", self.stranger_key, self.other_ca.subject, self.other_ca_key,
                              eku=ExtendedKeyUsageOID.CLIENT_AUTH)

    def _pem(self, name, cert) -> Path:
        path = self.dir / name
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return path

    def p12(self, key, cert, cas, name="id") -> bytes:
        encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
        return pkcs12.serialize_key_and_certificates(name.encode(), key, cert, cas, encryption)

    def pem_pair(self, stem, key, cert) -> tuple[Path, Path]:
        cert_path = self._pem(f"{stem}.crt", cert)
        key_path = self.dir / f"{stem}.key"
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        return cert_path, key_path


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        peer = self.connection.getpeercert()
        body = b"hello " + (peer["subject"][0][0][1].encode() if peer else b"anonymous")
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


class _TLSServer(http.server.HTTPServer):
    def __init__(self, context: ssl.SSLContext):
        self.context = context
        super().__init__(("127.0.0.1", 0), _Hello)

    def get_request(self):
        sock, address = self.socket.accept()
        sock.settimeout(5)
        # A refused client makes wrap_socket raise OSError; serve_forever drops that request.
        return self.context.wrap_socket(sock, server_side=True), address


def _serve(context: ssl.SSLContext):
    server = _TLSServer(context)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def server(pki):
    """Plain ssl, PEM files: requires a client certificate issued by the test CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki.ca_file))
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_cert_chain(*map(str, pki.pem_pair("server", pki.server_key, pki.server)))
    srv, thread = _serve(context)
    yield f"https://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)


# --- watching for the key on disk ------------------------------------------------------------

def _needles(key) -> list[bytes]:
    pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    traditional = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption())
    pem_line = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()).splitlines()[1]
    return [pkcs8, traditional, pem_line, b"-----BEGIN PRIVATE KEY-----", b"-----BEGIN RSA PRIVATE KEY-----",
            b"-----BEGIN EC PRIVATE KEY-----"]


def _files(directories) -> list[Path]:
    found = []
    for directory in directories:
        for root, dirs, names in os.walk(directory):
            dirs[:] = [d for d in dirs if d not in (".git", ".venv", "__pycache__")]
            found.extend(Path(root, name) for name in names)
    return found


class DiskWatch:
    """Wraps `load_cert_chain`, `open` and `os.open` while `ssl_context` runs."""

    def __init__(self, monkeypatch, tmp_path: Path, key):
        self.needles = _needles(key)
        self.temp = tmp_path / "temp"
        self.cwd = tmp_path / "cwd"
        self.temp.mkdir()
        self.cwd.mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(self.temp))
        monkeypatch.chdir(self.cwd)
        self.directories = [self.temp, self.cwd, tmp_path]
        self.written: list[str] = []
        self.loads: list[dict] = []
        real_load = ssl.SSLContext.load_cert_chain
        real_open, real_os_open = builtins.open, os.open
        watch = self

        def load_cert_chain(context, certfile, keyfile=None, password=None):
            path = os.fspath(certfile)
            seen = {"certfile": path, "password": password is not None,
                    "target": os.readlink(path) if path.startswith("/proc/self/fd/") else None,
                    "files": {}}
            if seen["target"] is None:
                seen["mode"] = stat.S_IMODE(os.stat(path).st_mode)
                seen["content"] = Path(path).read_bytes()
            for file in _files(watch.directories):
                seen["files"][str(file)] = file.read_bytes()
            watch.loads.append(seen)
            return real_load(context, certfile, keyfile, password)

        def watched_open(file, mode="r", *args, **kwargs):
            if any(flag in mode for flag in "wax+"):
                watch.written.append(str(file))
            return real_open(file, mode, *args, **kwargs)

        def watched_os_open(path, flags, *args, **kwargs):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                watch.written.append(os.fspath(path))
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", load_cert_chain)
        monkeypatch.setattr(builtins, "open", watched_open)
        monkeypatch.setattr(os, "open", watched_os_open)

    def leaks(self, contents: dict[str, bytes]) -> list[str]:
        return [name for name, data in contents.items() if any(needle in data for needle in self.needles)]

    def assert_no_key_on_disk(self) -> None:
        assert self.loads, "load_cert_chain was not called"
        for seen in self.loads:
            assert not self.leaks(seen["files"]), "the clear key is in a file while the context loads"
        assert not self.leaks({str(f): f.read_bytes() for f in _files(self.directories)})


def _write_p12(tmp_path: Path, data: bytes, name: str = "id.p12") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- clients ---------------------------------------------------------------------------------

def test_this_machine_takes_the_memfd_path():
    # The suite runs on Linux, where the documented path is the anonymous in-memory file.
    assert tls.key_transport() == "memfd"


def test_requests_adapter_gets_200_and_no_key_touches_disk(pki, server, tmp_path, monkeypatch):
    p12_path = _write_p12(tmp_path, pki.p12(pki.client_key, pki.client, [pki.ca]))
    watch = DiskWatch(monkeypatch, tmp_path, pki.client_key)
    adapter = PKCS12Adapter(p12_path, PASSWORD, cafile=pki.ca_file)
    watch.assert_no_key_on_disk()
    [seen] = watch.loads
    assert seen["certfile"].startswith("/proc/self/fd/") and seen["target"].startswith("/memfd:")
    assert watch.written == []
    with requests.Session() as session:
        session.mount("https://", adapter)
        response = session.get(server, timeout=10)
    assert response.status_code == 200
    assert response.text == "hello tls test client"


def test_httpx_client_with_the_context_gets_200(pki, server, tmp_path, monkeypatch):
    data = pki.p12(pki.client_key, pki.client, [pki.ca])
    watch = DiskWatch(monkeypatch, tmp_path, pki.client_key)
    context = tls.ssl_context(data, PASSWORD, cafile=pki.ca_file)
    watch.assert_no_key_on_disk()
    with httpx.Client(verify=context, timeout=10) as client:
        response = client.get(server)
    assert response.status_code == 200
    assert response.text == "hello tls test client"


def test_encrypted_file_fallback_keeps_the_key_encrypted_and_deletes_the_file(pki, server, tmp_path, monkeypatch):
    p12 = pkcs12kit.loads(pki.p12(pki.client_key, pki.client, [pki.ca]), PASSWORD)
    watch = DiskWatch(monkeypatch, tmp_path, pki.client_key)
    context = tls.ssl_context(p12, purpose="client", cafile=pki.ca_file, transport="encrypted-file")
    watch.assert_no_key_on_disk()
    [seen] = watch.loads
    assert Path(seen["certfile"]).parent == watch.temp
    assert seen["mode"] == 0o600 and seen["password"]
    assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in seen["content"]
    # The encrypted key really is the client key: OpenSSL's reader needs the passphrase.
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(seen["content"][seen["content"].index(b"-----BEGIN ENCRYPTED"):], None)
    assert not Path(seen["certfile"]).exists()
    assert list(watch.temp.iterdir()) == []
    with httpx.Client(verify=context, timeout=10) as client:
        assert client.get(server).status_code == 200


def test_identity_from_another_ca_is_refused_by_the_server(pki, server):
    context = tls.ssl_context(pki.p12(pki.stranger_key, pki.stranger, [pki.other_ca]), PASSWORD,
                              cafile=pki.ca_file)
    with pytest.raises(httpx.TransportError):
        with httpx.Client(verify=context, timeout=10) as client:
            client.get(server)
    with requests.Session() as session:
        session.mount("https://", PKCS12Adapter(context=context))
        with pytest.raises(requests.exceptions.ConnectionError):
            session.get(server, timeout=10)


def test_client_without_an_identity_is_refused(pki, server):
    plain = ssl.create_default_context(cafile=str(pki.ca_file))
    with pytest.raises(httpx.TransportError):
        with httpx.Client(verify=plain, timeout=10) as client:
            client.get(server)


# --- server ----------------------------------------------------------------------------------

def test_server_context_from_p12_accepts_a_client_with_a_ca_file(pki, tmp_path, monkeypatch):
    data = pki.p12(pki.server_key, pki.server, [pki.ca])
    watch = DiskWatch(monkeypatch, tmp_path, pki.server_key)
    context = tls.ssl_context(data, PASSWORD, purpose="server", cafile=pki.ca_file)
    watch.assert_no_key_on_disk()
    assert watch.written == []
    monkeypatch.undo()  # the client below writes its PEM files normally
    assert context.verify_mode == ssl.CERT_REQUIRED
    srv, thread = _serve(context)
    url = f"https://127.0.0.1:{srv.server_address[1]}/"
    try:
        client_context = ssl.create_default_context(cafile=str(pki.ca_file))
        client_context.load_cert_chain(*map(str, pki.pem_pair("client", pki.client_key, pki.client)))
        with httpx.Client(verify=client_context, timeout=10) as client:
            response = client.get(url)
        assert response.status_code == 200 and response.text == "hello tls test client"
        stranger = ssl.create_default_context(cafile=str(pki.ca_file))
        stranger.load_cert_chain(*map(str, pki.pem_pair("stranger", pki.stranger_key, pki.stranger)))
        with pytest.raises(httpx.TransportError):
            with httpx.Client(verify=stranger, timeout=10) as client:
                client.get(url)
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=10)


# --- errors before any connection ------------------------------------------------------------

def test_wrong_password_is_a_pkcs12_error(pki):
    with pytest.raises(BadPasswordError):
        tls.ssl_context(pki.p12(pki.client_key, pki.client, [pki.ca]), "wrong")


def test_no_key_is_a_pkcs12_error(pki):
    certs_only = pkcs12.serialize_key_and_certificates(
        None, None, None, [pki.client], serialization.BestAvailableEncryption(PASSWORD.encode()))
    with pytest.raises(tls.TLSIdentityError, match="no private key"):
        tls.ssl_context(certs_only, PASSWORD)


def test_mismatched_key_is_a_pkcs12_error(pki, monkeypatch):
    # openssl -nokeys/-inkey cannot pair them wrongly, so build the PKCS12 value from parts.
    mismatched = pkcs12kit.PKCS12.build(key=pki.stranger_key, certificate=pki.client)
    with pytest.raises(tls.TLSIdentityError, match="does not match") as caught:
        tls.ssl_context(mismatched)
    assert isinstance(caught.value, PKCS12Error)
    for transport in tls.TRANSPORTS:  # neither path reaches OpenSSL with a mismatched pair
        with pytest.raises(tls.TLSIdentityError):
            tls.ssl_context(mismatched, transport=transport)


def test_bad_arguments_are_value_errors(pki):
    data = pki.p12(pki.client_key, pki.client, [pki.ca])
    with pytest.raises(ValueError, match="purpose"):
        tls.ssl_context(data, PASSWORD, purpose="both")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="transport"):
        tls.ssl_context(data, PASSWORD, transport="tempfile")
