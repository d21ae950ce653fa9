"""TLS from a PKCS#12 identity: an `ssl.SSLContext` whose private key never touches a disk in the clear.

Exports: ssl_context, key_transport, TLSIdentityError, TRANSPORTS.

Python's `ssl` module loads a certificate chain and key only from a file path
(`ssl.SSLContext.load_cert_chain`). The usual answer, decrypting the ``.p12`` into a temporary
PEM file, leaves the private key readable on disk for as long as the file lives (and forever if
the process dies first). `ssl_context` hands OpenSSL the key by one of two paths instead
(docs/tls.md#how-the-key-reaches-openssl):

- ``"memfd"`` (Linux): an anonymous in-memory file (`os.memfd_create`, Linux 3.17), opened by
  OpenSSL as ``/proc/self/fd/N``. It has no name in any directory, lives in RAM (swap aside), and
  is closed before `ssl_context` returns.
- ``"encrypted-file"`` (everywhere else): a 0600 temporary file (`tempfile.mkstemp`) holding the
  key as an RFC 5958 EncryptedPrivateKeyInfo (PBES2, AES-256-CBC) under a random one-time
  passphrase of 256 bits, which only this process holds and hands to
  ``load_cert_chain(password=...)``. The file is deleted before `ssl_context` returns.

Every problem with the identity (wrong password, no key, no certificate, a key that does not match
its certificate) raises a `PKCS12Error` here, before any connection is attempted.
"""

from __future__ import annotations

import os
import secrets
import ssl
import sys
import tempfile
from typing import Literal

from .api import load, loads
from .chain import public_key_matches
from .errors import PKCS12Error
from .limits import Limits
from .model import PKCS12

__all__ = ["ssl_context", "key_transport", "TLSIdentityError", "TRANSPORTS"]

TRANSPORTS = ("memfd", "encrypted-file")


class TLSIdentityError(PKCS12Error):
    """The PKCS#12 cannot serve as a TLS identity: no key, no certificate, or they do not match."""


def key_transport() -> str:
    """The path this machine takes: ``"memfd"`` where `os.memfd_create` and ``/proc/self/fd``
    exist (Linux), else ``"encrypted-file"``."""
    if sys.platform.startswith("linux") and hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd"):
        return "memfd"
    return "encrypted-file"


def _identity(source: str | os.PathLike[str] | bytes | PKCS12, password: str | bytes | None,
              limits: Limits | None) -> PKCS12:
    if isinstance(source, PKCS12):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        return loads(bytes(source), password, limits=limits)
    if isinstance(source, (str, os.PathLike)):
        return load(source, password, limits=limits)
    raise TypeError(f"source must be a path, bytes or a PKCS12, not {type(source).__name__}")


def _chain_pem(p12: PKCS12) -> str:
    """The identity certificate then its issuers (leaf to root), as PEM: what OpenSSL sends."""
    key, cert = p12.key, p12.certificate
    if key is None:
        raise TLSIdentityError("the PKCS#12 holds no private key; a TLS identity needs one")
    if cert is None:
        raise TLSIdentityError("the PKCS#12 holds no certificate for its private key")
    if public_key_matches(key, cert) is False:
        raise TLSIdentityError("the private key does not match the identity certificate's public key")
    return "".join(entry.to_pem() for entry in (cert, *p12.chain))


def _load_via_memfd(context: ssl.SSLContext, chain_pem: str, p12: PKCS12) -> None:
    # The key is written into anonymous memory; /proc/self/fd/N reopens the same file by
    # descriptor, so the one path OpenSSL sees is not a name in any directory.
    assert p12.key is not None
    fd = os.memfd_create("pkcs12kit-tls-identity", os.MFD_CLOEXEC)
    try:
        os.write(fd, chain_pem.encode("ascii") + p12.key.to_pem().encode("ascii"))
        context.load_cert_chain(f"/proc/self/fd/{fd}")
    finally:
        os.close(fd)


def _load_via_encrypted_file(context: ssl.SSLContext, chain_pem: str, p12: PKCS12) -> None:
    # mkstemp creates the file 0600 with O_EXCL; the key inside is encrypted under a passphrase
    # that exists only in this process, so even a reader of the file learns nothing.
    assert p12.key is not None
    passphrase = secrets.token_urlsafe(32)
    encrypted_key = p12.key.to_pem(passphrase)
    fd, path = tempfile.mkstemp(prefix="pkcs12kit-tls-", suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(chain_pem.encode("ascii") + encrypted_key.encode("ascii"))
        context.load_cert_chain(path, password=passphrase)
    finally:
        os.unlink(path)


def ssl_context(
    source: str | os.PathLike[str] | bytes | PKCS12,
    password: str | bytes | None = None,
    *,
    purpose: Literal["client", "server"] = "client",
    cafile: str | os.PathLike[str] | None = None,
    capath: str | os.PathLike[str] | None = None,
    cadata: str | bytes | None = None,
    require_client_certificate: bool | None = None,
    minimum_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
    limits: Limits | None = None,
    transport: str | None = None,
) -> ssl.SSLContext:
    """An `ssl.SSLContext` presenting the PKCS#12's identity (RFC 7292): its key, certificate and chain.

    ``source``: a path, the file's bytes (any form `loads` reads) or a decoded `PKCS12`.
    ``purpose="client"``: a context for connecting (verifies the server against ``cafile`` /
    ``capath`` / ``cadata``, else the system's trust store, and checks the host name).
    ``purpose="server"``: a context for accepting connections; with a CA given, it requires and
    verifies a client certificate (``require_client_certificate`` overrides that choice).
    ``transport``: ``"memfd"`` or ``"encrypted-file"`` forces how the key reaches OpenSSL
    (default: `key_transport()`).

    Raises `BadPasswordError` (and the other `PKCS12Error`s of `load`) for the file, and
    `TLSIdentityError` when it holds no key, no certificate, or a mismatched pair; all before any
    connection exists. ``ValueError`` for an unknown ``purpose`` or ``transport``.
    """
    if purpose not in ("client", "server"):
        raise ValueError(f"purpose must be 'client' or 'server', not {purpose!r}")
    chosen = key_transport() if transport is None else transport
    if chosen not in TRANSPORTS:
        raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}, not {transport!r}")
    p12 = _identity(source, password, limits)
    chain_pem = _chain_pem(p12)

    if purpose == "client":
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile, capath=capath, cadata=cadata)
    else:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=cafile, capath=capath, cadata=cadata)
        has_ca = cafile is not None or capath is not None or cadata is not None
        if require_client_certificate if require_client_certificate is not None else has_ca:
            context.verify_mode = ssl.CERT_REQUIRED
    context.minimum_version = minimum_version

    load_identity = _load_via_memfd if chosen == "memfd" else _load_via_encrypted_file
    try:
        load_identity(context, chain_pem, p12)
    except ssl.SSLError as err:
        # OpenSSL's own refusal (a key type it cannot use, or a mismatch we could not tell).
        raise TLSIdentityError(f"OpenSSL refused the identity: {err.reason or err}") from None
    return context
