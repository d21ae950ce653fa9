"""IOS PEM transcripts: ``crypto pki export|import <tp> pem terminal`` and ``crypto key export``.

Exports: parse_pem_transcript (reading); pem_transcript, pem_import_session (writing);
evp_bytes_to_key, PEM_CIPHERS (the legacy encrypted-PEM key derivation and ciphers).

Blocks are RFC 7468 PEM; encrypted traditional keys carry RFC 1421 section 4.6.1.3 headers and
OpenSSL's ``EVP_BytesToKey`` derivation; the device layouts are docs/cisco-formats.md#pem-transcripts.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from typing import TYPE_CHECKING, Callable

from .. import chain as _chain
from .. import pbe, pem
from ..ciphers import get_provider
from ..errors import (
    BadPasswordError,
    EncodeError,
    MalformedError,
    PKCS12Error,
    UnsupportedAlgorithmError,
)
from ..kdf import Password
from ..limits import DEFAULT_LIMITS, WorkBudget
from ..model import PKCS12, CertEntry, KeyEntry
from ..pkcs8 import random_source
from ..transcripts import PLAIN_BASE64, is_quit
from .names import self_signed
from .platforms import check_cli_password, check_trustpoint_name
from .trustpoints import trustpoint as trustpoint_view

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    from ..pkcs8 import RandomSource
    from .trustpoints import Trustpoint

__all__ = ["PEM_CIPHERS", "evp_bytes_to_key", "parse_pem_transcript", "pem_transcript", "pem_import_session"]


# `crypto pki export <tp> pem terminal {3des|des|aes} password <pw>` keywords and the DEK-Info
# cipher IOS writes for each (docs/cisco-formats.md#pem-key-export: DES-EDE3-CBC, DES-CBC and AES-256-CBC seen).
PEM_CIPHERS = {"3des": "DES-EDE3-CBC", "des": "DES-CBC", "aes": "AES-256-CBC"}

# DEK-Info cipher → (provider cipher, key length, IV length), OpenSSL's names (PEM_read_bio's
# EVP_get_cipherbyname). The IV is the cipher's block size.
_DEK_CIPHERS = {
    "DES-EDE3-CBC": ("tripledes", 24, 8),
    "DES-CBC": ("des", 8, 8),
    "AES-128-CBC": ("aes", 16, 16),
    "AES-192-CBC": ("aes", 24, 16),
    "AES-256-CBC": ("aes", 32, 16),
}
_TRADITIONAL_LABELS = {"RSA PRIVATE KEY": "rsa", "EC PRIVATE KEY": "ec"}
_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9-]*):\s*(.*)")
_PEM_COMMAND = re.compile(r"crypto\s+pki\s+(?:export|import)\s+(\S+)\s+pem\b", re.I)
_KEY_COMMAND = re.compile(r"crypto\s+key\s+(?:export|import)\s+(?:rsa|ec)\s+(\S+)\s+pem\b", re.I)
_KEY_NAME = re.compile(r"%\s*key name:\s*(\S+)", re.I)


def evp_bytes_to_key(password: bytes, salt: bytes, length: int) -> bytes:
    """OpenSSL's ``EVP_BytesToKey`` with MD5 and one iteration, as the legacy encrypted PEM
    format uses it (``PEM_do_header``; the scheme is PBKDF1-like, RFC 8018 section 5.1, but
    chains blocks beyond one digest): ``D_1 = MD5(password || salt)``,
    ``D_i = MD5(D_{i-1} || password || salt)``, key = the first ``length`` bytes of
    ``D_1 || D_2 || ...``. ``salt`` is the first 8 bytes of the DEK-Info IV."""
    derived, block = b"", b""
    while len(derived) < length:
        block = hashlib.md5(block + password + salt).digest()
        derived += block
    return derived[:length]


def _password_bytes(password: object) -> bytes:
    if isinstance(password, str):
        return password.encode("utf-8")
    if isinstance(password, (bytes, bytearray)):
        return bytes(password)
    raise TypeError(f"password must be str or bytes, not {type(password).__name__}")


def _decrypt_traditional(body: bytes, dek: str, password: str | bytes | None, where: str) -> bytes:
    """Decrypt a ``Proc-Type: 4,ENCRYPTED`` body (RFC 1421 section 4.6.1.3 headers, OpenSSL's
    key derivation `evp_bytes_to_key`, CBC with PKCS#5 padding)."""
    name, _, iv_hex = dek.partition(",")
    name = name.strip().upper()
    if name not in _DEK_CIPHERS:
        raise UnsupportedAlgorithmError(
            f"{where}: DEK-Info cipher {name!r} is not supported (expected one of "
            f"{', '.join(_DEK_CIPHERS)})"
        )
    cipher, key_length, iv_length = _DEK_CIPHERS[name]
    try:
        iv = bytes.fromhex(iv_hex.strip())
    except ValueError:
        raise MalformedError(f"{where}: DEK-Info IV is not hexadecimal") from None
    if len(iv) != iv_length:
        raise MalformedError(f"{where}: DEK-Info IV is {len(iv)} bytes; {name} needs {iv_length}")
    if not body or len(body) % iv_length:
        raise MalformedError(
            f"{where}: encrypted key is {len(body)} bytes, not a positive multiple of the "
            f"{iv_length}-byte block"
        )
    if password is None:
        raise BadPasswordError(f"{where}: the key is encrypted and no password was given")
    key = evp_bytes_to_key(_password_bytes(password), iv[:8], key_length)
    plain = get_provider().cbc_decrypt(cipher, key, iv, body)
    count = plain[-1]
    if not 1 <= count <= iv_length or plain[-count:] != bytes([count]) * count:
        raise BadPasswordError(f"{where}: decryption failed (wrong password or corrupted data)")
    return plain[:-count]


def _encrypt_traditional(
    plain: bytes, dek_name: str, password: str | bytes, draw: Callable[[int], bytes]
) -> tuple[str, bytes]:
    """(DEK-Info value, ciphertext): the inverse of `_decrypt_traditional`, fresh IV."""
    cipher, key_length, iv_length = _DEK_CIPHERS[dek_name]
    iv = draw(iv_length)
    key = evp_bytes_to_key(_password_bytes(password), iv[:8], key_length)
    count = iv_length - len(plain) % iv_length
    body = get_provider().cbc_encrypt(cipher, key, iv, plain + bytes([count]) * count)
    return f"{dek_name},{iv.hex().upper()}", body


def _pkcs8_from_pem_key(
    label: str, headers: dict[str, str], body: bytes, password: str | bytes | None, where: str
) -> bytes:
    """Unencrypted PKCS#8 DER from a private-key PEM block: traditional ``RSA``/``EC PRIVATE
    KEY`` (RFC 8017 A.1.2, RFC 5915), encrypted or not, or PKCS#8 ``PRIVATE KEY`` /
    ``ENCRYPTED PRIVATE KEY`` (RFC 5958)."""
    # import time: cryptography (about 30 ms) is loaded only when a key is read or written
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    encrypted = "ENCRYPTED" in headers.get("proc-type", "").upper()
    if encrypted:
        if "dek-info" not in headers:
            raise MalformedError(f"{where}: Proc-Type says ENCRYPTED but there is no DEK-Info header")
        body = _decrypt_traditional(body, headers["dek-info"], password, where)
    if label == "ENCRYPTED PRIVATE KEY":
        body = _decrypt_pkcs8(body, password, where)
        label = "PRIVATE KEY"
    failure = BadPasswordError if encrypted else MalformedError
    try:
        key = serialization.load_der_private_key(body, None, unsafe_skip_rsa_key_validation=True)
    except (ValueError, TypeError, UnsupportedAlgorithmError) as err:
        reason = "wrong password or corrupted data" if encrypted else "not a valid key"
        raise failure(f"{where}: cannot read the private key ({reason})") from err
    except Exception as err:  # cryptography's UnsupportedAlgorithm for unknown key types
        raise UnsupportedAlgorithmError(f"{where}: unsupported private key type") from err
    expected = {"rsa": rsa.RSAPrivateKey, "ec": ec.EllipticCurvePrivateKey}.get(_TRADITIONAL_LABELS.get(label, ""))
    if expected is not None and not isinstance(key, expected):
        raise failure(f"{where}: the block labelled {label} holds another kind of key")
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _decrypt_pkcs8(body: bytes, password: str | bytes | None, where: str) -> bytes:
    """EncryptedPrivateKeyInfo (RFC 5958 section 3) → PrivateKeyInfo DER via `pbe`."""
    # import time: asn1crypto is loaded only when an encrypted PKCS#8 key is read
    from asn1crypto import keys

    try:
        info = keys.EncryptedPrivateKeyInfo.load(body)
        algorithm = info["encryption_algorithm"].dump()
        ciphertext = info["encrypted_data"].native
    except (ValueError, TypeError, KeyError) as err:
        raise MalformedError(f"{where}: not an EncryptedPrivateKeyInfo") from err
    if password is None:
        raise BadPasswordError(f"{where}: the key is encrypted and no password was given")
    form = Password(password).forms()[0]
    plain, _ = pbe.decrypt(algorithm, ciphertext, form, budget=WorkBudget(DEFAULT_LIMITS), where=where)
    return plain


def _pem_context(line: str) -> str | None:
    """What the next PEM block is, from a device label or prompt line (docs/cisco-formats.md#pem-transcripts):
    "ca", "key", "identity" or "public"; None when the line says nothing about it."""
    low = line.lower().lstrip("%").strip()
    if low.startswith("key name:"):
        return "key"
    if low.startswith("enter pem-formatted"):
        if "private" in low:
            return "key"
        if "public" in low:
            return "public"
        if "ca certificate" in low:
            return "ca"
        if "certificate" in low:
            return "identity"
        return None
    if low.endswith(":"):
        label = low[:-1].strip()
        if label in ("ca certificate", "self-signed ca certificate"):
            return "ca"
        if label.endswith("certificate"):  # General Purpose / Signature / Encryption Certificate
            return "identity"
    return None


def _pem_body(lines: list[str], start: int, end: int, label: str, begin: int) -> bytes:
    """Base64 (RFC 7468 section 3, strict alphabet) of ``lines[start:end]``, blank lines
    skipped; 'quit' or any other non-base64 line means the paste was cut, named by line."""
    parts = []
    for index in range(start, end):
        line = lines[index]
        if not line:
            continue
        if is_quit(line) or PLAIN_BASE64.fullmatch(line) is None:
            what = "'quit'" if is_quit(line) else "a line that is not base64"
            raise MalformedError(
                f"line {index + 1}: {what} inside -----BEGIN {label}----- (line {begin + 1}) "
                f"before its END line"
            )
        parts.append(line)
    if not parts:
        raise MalformedError(f"line {begin + 1}: -----BEGIN {label}----- block is empty")
    try:
        return binascii.a2b_base64("".join(parts), strict_mode=True)
    except binascii.Error as err:
        raise MalformedError(f"lines {start + 1}-{end}: invalid base64 in the {label} block ({err})") from err


def parse_pem_transcript(text: str, password: str | bytes | None = None) -> PKCS12:
    """Read an IOS PEM transcript into a `PKCS12`: the output of ``crypto pki export <tp> pem
    terminal [{3des|des|aes} password <pw>]`` (docs/cisco-formats.md#pem-certificate-export, docs/cisco-formats.md#pem-key-export) or ``crypto key export
    {rsa|ec} <label> pem terminal ...``, or a ``crypto pki import <tp> pem terminal password
    <pw>`` paste (3.3: CA certificate, encrypted key, identity certificate, each ended by
    ``quit`` or a blank line).

    Blocks are RFC 7468 PEM, found anywhere on a line (``base64 len N`` may be glued before
    BEGIN); the ``% CA certificate:`` / ``% Key name: X`` / ``% General Purpose Certificate:``
    labels and the import prompts say what each block is. The private key is traditional
    OpenSSL PEM (``RSA`` / ``EC PRIVATE KEY``) with ``Proc-Type: 4,ENCRYPTED`` and ``DEK-Info:
    <cipher>,<iv>`` for DES-EDE3-CBC, DES-CBC and AES-128/192/256-CBC, keyed by
    `evp_bytes_to_key` (the cipher is read from DEK-Info, never assumed from the command), or
    PKCS#8. The identity certificate is the one whose public key matches the private key, else
    the one labelled as the router's certificate; the key and it get the key name (else the
    trustpoint named by an echoed command) as friendlyName and a shared localKeyId.

    Raises BadPasswordError for a wrong or missing password, MalformedError (with the line) for
    a broken transcript or a key that matches neither its public key block nor any certificate,
    UnsupportedAlgorithmError for another DEK-Info cipher.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_pem_transcript: expected str, not {type(text).__name__}")
    if password is not None and not isinstance(password, (str, bytes, bytearray)):
        raise TypeError(f"password must be str, bytes or None, not {type(password).__name__}")
    if text[:1] == "\ufeff":
        text = text[1:]
    lines = pem.split_lines(text)
    context = None
    name = None
    certs: list[tuple[str | None, bytes, int]] = []  # (context, DER, line number)
    public_keys: list[tuple[bytes, int]] = []
    private: tuple[bytes, int] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        marker = pem.pem_marker(line) if "-----" in line else None
        if marker is None or marker[0] != "BEGIN":
            if marker is not None:
                raise MalformedError(f"line {index + 1}: -----END {marker[1]}----- without a BEGIN line")
            if line.startswith("%"):
                context = _pem_context(line) or context
                match = _KEY_NAME.match(line)
                if match is not None:
                    name = match.group(1)
            elif name is None and (match := (_PEM_COMMAND.search(line) or _KEY_COMMAND.search(line))):
                name = match.group(1).strip('"')
            index += 1
            continue
        label = marker[1].strip().upper()
        end = pem.find_pem_end(lines, index, marker[1])
        where = f"line {index + 1}: {label}"
        body_start = index + 1
        headers: dict[str, str] = {}
        while body_start < end and (header := _HEADER.fullmatch(lines[body_start])):
            headers[header.group(1).lower()] = header.group(2).strip()
            body_start += 1
        body = _pem_body(lines, body_start, end, label, index)
        if label in ("CERTIFICATE", "X509 CERTIFICATE"):
            certs.append((context if context in ("ca", "identity") else None, body, index + 1))
        elif label == "PUBLIC KEY":
            public_keys.append((body, index + 1))
        elif label in _TRADITIONAL_LABELS or label in ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"):
            if private is not None:
                raise MalformedError(
                    f"line {index + 1}: a second private key (the first is at line {private[1]}); "
                    "pass one trustpoint at a time"
                )
            private = (_pkcs8_from_pem_key(label, headers, body, password, where), index + 1)
        else:
            raise MalformedError(f"line {index + 1}: unexpected -----BEGIN {label}----- in a PEM transcript")
        context = None  # each label or prompt introduces one block
        index = end + 1
    if not certs and private is None:
        raise MalformedError("no PEM certificate or private key found in the transcript")

    key_entry = KeyEntry(private[0]) if private is not None else None
    cert_entries = [(ctx, CertEntry(der), number) for ctx, der, number in certs]
    for ctx, entry, number in cert_entries:
        try:
            entry.certificate
        except PKCS12Error as err:
            raise MalformedError(f"line {number}: CERTIFICATE block: not an X.509 certificate") from err
    identity = None
    if key_entry is not None:
        assert private is not None  # key_entry comes from it
        for der, number in public_keys:
            if der != _public_key_der(key_entry):
                raise MalformedError(
                    f"line {number}: the PUBLIC KEY block does not match the private key at line {private[1]}"
                )
        identity = next((e for _, e, _ in cert_entries if _chain.public_key_matches(key_entry, e)), None)
        if identity is None and cert_entries:
            raise MalformedError(
                f"line {private[1]}: the private key matches none of the certificates in the transcript"
            )
    if identity is None:
        identity = next((e for ctx, e, _ in cert_entries if ctx == "identity"), None)
    if identity is None and cert_entries:
        # Certificates only and no label (e.g. a trustpool paste): the one that issues no other.
        identity = _chain.identity_certificate(PKCS12(tuple(e for _, e, _ in cert_entries)))
    others: list[bytes] = []
    for _, entry, _ in cert_entries:
        assert identity is not None  # found above whenever there are certificates
        if entry.der != identity.der and all(entry.der != other for other in others):
            others.append(entry.der)
    return PKCS12.build(
        key=key_entry.der if key_entry is not None else None,
        certificate=identity.der if identity is not None else None,
        chain=others,
        friendly_name=name,
    )


def _public_key_der(key_entry: KeyEntry) -> bytes:
    """SubjectPublicKeyInfo DER (RFC 5280 4.1.2.7) of a private key, via cryptography."""
    # import time: cryptography (about 30 ms) is loaded only when a key is read or written
    from cryptography.hazmat.primitives import serialization

    private = _load_private_key(key_entry, "private key")
    return private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _load_private_key(key_entry: KeyEntry, where: str) -> PrivateKeyTypes:
    """The entry's key as a ``cryptography`` object; a key it cannot load (an unknown type, bad
    parameters, an internal OpenSSL error) raises UnsupportedAlgorithmError or EncodeError, never
    cryptography's own exceptions (issue 15 row 10)."""
    # import time: cryptography (about 30 ms) is loaded only when a key is read or written
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        return serialization.load_der_private_key(key_entry.der, None, unsafe_skip_rsa_key_validation=True)
    except UnsupportedAlgorithm:
        raise UnsupportedAlgorithmError(f"{where}: the private key's type is not supported") from None
    except Exception:  # ValueError, TypeError, cryptography's InternalError: a key it cannot read
        raise EncodeError(f"{where}: the private key cannot be loaded (malformed or unsupported parameters)") from None


def _traditional_key(key_entry: KeyEntry, where: str) -> tuple[str, bytes]:
    """(PEM label, DER) of the traditional OpenSSL form: PKCS#1 RSAPrivateKey (RFC 8017 A.1.2)
    or SEC 1 ECPrivateKey with its curve (RFC 5915), the forms IOS writes (docs/cisco-formats.md#pem-key-export)."""
    # import time: cryptography (about 30 ms) is loaded only when a key is read or written
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    private = _load_private_key(key_entry, where)
    if isinstance(private, rsa.RSAPrivateKey):
        label = "RSA PRIVATE KEY"
    elif isinstance(private, ec.EllipticCurvePrivateKey):
        label = "EC PRIVATE KEY"
    else:
        raise EncodeError(
            f"{where}: a {key_entry.algorithm} key has no traditional PEM form; IOS takes RSA and EC keys"
        )
    der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return label, der


def _pem_lines(label: str, der: bytes, headers: tuple[str, ...] = ()) -> list[str]:
    """One RFC 7468 block (`pem.pem_text`) as lines, with RFC 1421 headers after BEGIN."""
    lines = pem.pem_text(der, label).splitlines()
    if headers:
        lines[1:1] = [*headers, ""]  # RFC 1421: a blank line ends the headers
    return lines


def _pem_parts(
    p12: PKCS12, password: str | None, cipher: str, random: RandomSource, where: str
) -> tuple[Trustpoint, str | None, list[str]]:
    """The identity, issuer and encrypted key blocks shared by the PEM writers."""
    if not isinstance(p12, PKCS12):
        raise TypeError(f"{where}: expected a PKCS12, not {type(p12).__name__}")
    if not isinstance(cipher, str) or cipher.lower() not in PEM_CIPHERS:
        raise EncodeError(f"{where}: cipher must be one of {', '.join(PEM_CIPHERS)}, not {cipher!r}")
    view = trustpoint_view(p12)
    if view.certificate is None:
        raise EncodeError(f"{where}: the PKCS#12 holds no certificate")
    key_lines: list[str] = []
    key_label = None
    if password is not None:
        check_cli_password(password, "ios", pem=True)
        if view.key is None:
            raise EncodeError(f"{where}: a password was given but the PKCS#12 holds no private key")
        if _chain.public_key_matches(view.key, view.certificate) is False:
            raise EncodeError(f"{where}: the private key does not match the identity certificate")
        key_label, plain = _traditional_key(view.key, where)
        dek, body = _encrypt_traditional(plain, PEM_CIPHERS[cipher.lower()], password, random_source(random))
        key_lines = _pem_lines(key_label, body, ("Proc-Type: 4,ENCRYPTED", f"DEK-Info: {dek}"))
    return view, key_label, key_lines


def pem_transcript(
    p12: PKCS12, password: str | None, cipher: str = "3des", *, key_name: str | None = None, random: RandomSource = None
) -> str:
    """What IOS prints for ``crypto pki export <tp> pem terminal <cipher> password <pw>``:
    ``% CA certificate:`` (``% Self-signed CA certificate:`` for a self-signed identity
    without a CA), the key section, then ``% General Purpose Certificate:`` (docs/cisco-formats.md#pem-certificate-export).

    The key section follows ``crypto key export`` (3.2), which is the only verbatim capture of
    an IOS key export (that the pki export prints the same is inferred in docs/cisco-formats.md)::

        % Key name: <name>
           Usage: General Purpose Key          (Signature Key for EC, as captured)
           Key data:
        -----BEGIN PUBLIC KEY-----  ...  -----END PUBLIC KEY-----
        -----BEGIN RSA PRIVATE KEY-----
        Proc-Type: 4,ENCRYPTED
        DEK-Info: DES-EDE3-CBC,<16 upper-case hex digits>

        <64-column base64>
        -----END RSA PRIVATE KEY-----

    ``cipher``: ``"3des"`` (DES-EDE3-CBC), ``"des"`` (DES-CBC) or ``"aes"`` (AES-256-CBC, as
    Cisco's capture shows), keyed by `evp_bytes_to_key`. ``password`` None writes the keyless
    export (3.1); otherwise it must pass `check_cli_password` with the 8-character PEM minimum.
    ``key_name`` defaults to the key's friendlyName, else ``"TP"``. Only the issuing CA is
    written: the trustpoint holds no other. `parse_pem_transcript` reads the result back, and
    ``openssl pkey -passin pass:<pw>`` opens the key.
    """
    view, key_label, key_lines = _pem_parts(p12, password, cipher, random, "pem_transcript")
    assert view.certificate is not None  # _pem_parts checked it
    out: list[str] = []
    if view.issuer is not None:
        out += ["% CA certificate:", *_pem_lines("CERTIFICATE", view.issuer.der), ""]
    elif self_signed(view.certificate):
        out += ["% Self-signed CA certificate:", *_pem_lines("CERTIFICATE", view.certificate.der), ""]
    if key_lines:
        assert view.key is not None  # key_lines are written only for a key
        if key_name is None:
            key_name = view.key.friendly_name or view.certificate.friendly_name or "TP"
        check_trustpoint_name(key_name)
        usage = "General Purpose Key" if key_label == "RSA PRIVATE KEY" else "Signature Key"
        out += [f"% Key name: {key_name}", f"   Usage: {usage}", "   Key data:"]
        out += _pem_lines("PUBLIC KEY", _public_key_der(view.key)) + key_lines + [""]
    out += ["% General Purpose Certificate:", *_pem_lines("CERTIFICATE", view.certificate.der), ""]
    return "\n".join(out)


def pem_import_session(
    p12: PKCS12, password: str, trustpoint: str, cipher: str = "3des", *, random: RandomSource = None
) -> str:
    """The paste for ``crypto pki import <tp> pem terminal password <pw>`` (docs/cisco-formats.md#pem-import):
    the command, the CA certificate, ``quit``, the encrypted key, ``quit``, the identity
    certificate, ``quit`` — the three stages in the device's order, each ended by ``quit``
    (the key stage accepts nothing else, its PEM holding a blank line).

    A self-signed identity is its own CA. ``cipher`` as in `pem_transcript`; DES-EDE3-CBC is
    the safe choice (some images cannot decode AES-256-CBC keys, 3.3).
    """
    check_trustpoint_name(trustpoint)
    if password is None:
        raise EncodeError("pem_import_session: a password is needed to encrypt the key")
    view, _, key_lines = _pem_parts(p12, password, cipher, random, "pem_import_session")
    assert view.certificate is not None  # _pem_parts checked it
    ca = view.issuer if view.issuer is not None else (view.certificate if self_signed(view.certificate) else None)
    if ca is None:
        raise EncodeError(
            "pem_import_session: the issuer of the identity certificate is not in the PKCS#12; "
            "the first stage of the import needs the CA certificate"
        )
    out = [f"crypto pki import {trustpoint} pem terminal password {password}"]
    out += _pem_lines("CERTIFICATE", ca.der) + ["quit"]
    out += key_lines + ["quit"]
    out += _pem_lines("CERTIFICATE", view.certificate.der) + ["quit"]
    return "\n".join(out) + "\n"
