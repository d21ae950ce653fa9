"""Build hostile PKCS#12 files for the security tests, independently of the code under test.

Exports: der builders (tlv, seq, set_of, oid, integer, octets, null, ctx0, bmp, utf8),
OIDS, identity, safe_bag, cert_bag, key_bag, shrouded_key_bag, safe_contents, data_ci,
encrypted_data_ci, auth_safe, pfx, hmac_mac_data, raw_mac_data, pbmac1_mac_data, pbes2_pbkdf2,
pbes2_scrypt, pkcs12_pbe, PASSWORD.

Everything here is deterministic: the identity is an Ed25519 key from fixed bytes (Ed25519
signatures are deterministic, RFC 8032), salts and IVs are fixed, so `vectors/crafted/make.py`
regenerates byte-identical files. The DER is written by hand (X.690 section 10) and the crypto
comes from ``hashlib``/``hmac``/``cryptography`` and ``berify.pkcs12_kdf`` (written from
RFC 7292 appendix B), so a file's validity never depends on pkcs12kit itself.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID

from berify import bmp_password, pkcs12_kdf

PASSWORD = "pw"

OIDS = {
    "data": "1.2.840.113549.1.7.1",
    "signed_data": "1.2.840.113549.1.7.2",
    "enveloped_data": "1.2.840.113549.1.7.3",
    "encrypted_data": "1.2.840.113549.1.7.6",
    "key_bag": "1.2.840.113549.1.12.10.1.1",
    "shrouded_key_bag": "1.2.840.113549.1.12.10.1.2",
    "cert_bag": "1.2.840.113549.1.12.10.1.3",
    "crl_bag": "1.2.840.113549.1.12.10.1.4",
    "secret_bag": "1.2.840.113549.1.12.10.1.5",
    "safe_contents_bag": "1.2.840.113549.1.12.10.1.6",
    "x509_certificate": "1.2.840.113549.1.9.22.1",
    "friendly_name": "1.2.840.113549.1.9.20",
    "local_key_id": "1.2.840.113549.1.9.21",
    "sha1": "1.3.14.3.2.26",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha512": "2.16.840.1.101.3.4.2.3",
    "hmac_sha1": "1.2.840.113549.2.7",
    "hmac_sha256": "1.2.840.113549.2.9",
    "hmac_sha512": "1.2.840.113549.2.11",
    "pbkdf2": "1.2.840.113549.1.5.12",
    "pbes2": "1.2.840.113549.1.5.13",
    "pbmac1": "1.2.840.113549.1.5.14",
    "scrypt": "1.3.6.1.4.1.11591.4.11",
    "aes256_cbc": "2.16.840.1.101.3.4.1.42",
    "pkcs12_sha1_tripledes_3key": "1.2.840.113549.1.12.1.3",
}

# --- DER (X.690 section 10) -----------------------------------------------------------------


def length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, contents: bytes) -> bytes:
    return bytes((tag,)) + length(len(contents)) + contents


def seq(*parts: bytes) -> bytes:
    return tlv(0x30, b"".join(parts))


def set_of(*parts: bytes) -> bytes:
    return tlv(0x31, b"".join(parts))


def oid_contents(dotted: str) -> bytes:
    """Contents octets of a dotted OID (X.690 8.19), written independently of pkcs12kit."""
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray()
    for value in [arcs[0] * 40 + arcs[1]] + arcs[2:]:
        chunk = [value & 0x7F]
        value >>= 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


def oid(name_or_dotted: str) -> bytes:
    return tlv(0x06, oid_contents(OIDS.get(name_or_dotted, name_or_dotted)))


def integer(n: int) -> bytes:
    size = max(1, (n.bit_length() + 8) // 8)  # room for the sign bit
    return tlv(0x02, n.to_bytes(size, "big", signed=True))


def octets(data: bytes) -> bytes:
    return tlv(0x04, data)


def null() -> bytes:
    return b"\x05\x00"


def ctx0(inner: bytes) -> bytes:
    return tlv(0xA0, inner)


def bmp(text: str) -> bytes:
    return tlv(0x1E, text.encode("utf-16-be"))


def utf8(text: str) -> bytes:
    return tlv(0x0C, text.encode("utf-8"))


# --- a fixed identity -------------------------------------------------------------------------


def _crafted_certificate(subject: str, public_key, serial: int) -> bytes:
    """A certificate issued by the fixed Ed25519 key under the name "pkcs12kit crafted" (Ed25519
    signatures are deterministic, so the DER is the same on every run)."""
    issuer_key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pkcs12kit crafted")])
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .sign(issuer_key, None)
    )
    return cert.public_bytes(serialization.Encoding.DER)


@functools.lru_cache(maxsize=None)
def identity() -> tuple[bytes, bytes]:
    """(PKCS#8 PrivateKeyInfo DER, self-signed certificate DER), the same on every call and run."""
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pkcs8, _crafted_certificate("pkcs12kit crafted", key.public_key(), 0x1234)


# --- PKCS#12 structures (RFC 7292 sections 4 and 4.2) -----------------------------------------


def attribute(attr_oid: str, *values: bytes) -> bytes:
    return seq(oid(attr_oid), set_of(*values))


def safe_bag(bag_oid: str, value: bytes, attributes: bytes | None = None) -> bytes:
    """SafeBag; ``attributes`` is the complete bagAttributes encoding (a SET) or None."""
    return seq(oid(bag_oid), ctx0(value), attributes or b"")


def cert_bag(cert_der: bytes, attributes: bytes | None = None) -> bytes:
    return safe_bag("cert_bag", seq(oid("x509_certificate"), ctx0(octets(cert_der))), attributes)


def key_bag(pkcs8: bytes, attributes: bytes | None = None) -> bytes:
    return safe_bag("key_bag", pkcs8, attributes)


def shrouded_key_bag(algorithm: bytes, ciphertext: bytes, attributes: bytes | None = None) -> bytes:
    return safe_bag("shrouded_key_bag", seq(algorithm, octets(ciphertext)), attributes)


def safe_contents(*bags: bytes) -> bytes:
    return seq(*bags)


def data_ci(contents: bytes) -> bytes:
    return seq(oid("data"), ctx0(octets(contents)))


def encrypted_data_ci(algorithm: bytes, ciphertext: bytes | None) -> bytes:
    """ContentInfo of type encryptedData; ``ciphertext`` None leaves encryptedContent out."""
    content = b"" if ciphertext is None else tlv(0x80, ciphertext)
    info = seq(oid("data"), algorithm, content)
    return seq(oid("encrypted_data"), ctx0(seq(integer(0), info)))


def auth_safe(*content_infos: bytes) -> bytes:
    return seq(*content_infos)


def pfx(auth_safe_der: bytes, mac_data: bytes | None = None, version: int = 3) -> bytes:
    return seq(integer(version), data_ci(auth_safe_der), mac_data or b"")


# --- MACs (RFC 7292 section 4 / appendix B; RFC 9579) -----------------------------------------


def raw_mac_data(digest: str, mac: bytes, salt: bytes, iterations: int | None) -> bytes:
    """MacData with the given fields as they are (nothing computed)."""
    iters = b"" if iterations is None else integer(iterations)
    return seq(seq(seq(oid(digest), null()), octets(mac)), octets(salt), iters)


def hmac_mac_data(content: bytes, password: str, digest: str = "sha256", iterations: int = 2048,
                  salt: bytes = b"macsalt8") -> bytes:
    """A classic MacData that verifies: PKCS#12 KDF ID 3 over the BMPString password, then HMAC."""
    key = pkcs12_kdf(digest, bmp_password(password), salt, 3, iterations, hashlib.new(digest).digest_size)
    return raw_mac_data(digest, hmac.new(key, content, digest).digest(), salt, iterations)


def pbkdf2_params(salt: bytes, iterations: int, key_length: int | None, prf: str = "sha256") -> bytes:
    parts = [octets(salt), integer(iterations)]
    if key_length is not None:
        parts.append(integer(key_length))
    if prf != "sha1":
        parts.append(seq(oid("hmac_" + prf), null()))
    return seq(*parts)


def pbmac1_mac_data(content: bytes, password: str, *, key_length: int | None, iterations: int = 2048,
                    salt: bytes = b"pbmac1salt", prf: str = "sha256", digest: str = "sha256",
                    derive_length: int | None = None, mac: bytes | None = None) -> bytes:
    """A PBMAC1 MacData (RFC 9579 section 5): PBKDF2(UTF-8 password) → HMAC over ``content``.

    ``key_length`` is what the file declares (None: left out, as RFC 9579 A.6); the MAC is
    computed with ``derive_length`` octets of key (default: ``key_length``, else 32), so a file can
    be made that verifies only for a reader that defaults or trusts the field.
    """
    if mac is None:
        size = derive_length or key_length or 32
        key = hashlib.pbkdf2_hmac(prf, password.encode(), salt, iterations, size)
        mac = hmac.new(key, content, digest).digest()
    algorithm = seq(
        oid("pbmac1"),
        seq(seq(oid("pbkdf2"), pbkdf2_params(salt, iterations, key_length, prf)),
            seq(oid("hmac_" + digest), null())),
    )
    return seq(seq(algorithm, octets(mac)), octets(b"NOT USED"), integer(1))


# --- encryption -------------------------------------------------------------------------------


def _pad(data: bytes, size: int) -> bytes:
    count = size - len(data) % size
    return data + bytes([count]) * count


def _aes_cbc(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(_pad(plaintext, 16)) + encryptor.finalize()


def pbes2_pbkdf2_algorithm(salt: bytes, iterations: int, iv: bytes, prf: str = "sha256") -> bytes:
    return seq(
        oid("pbes2"),
        seq(seq(oid("pbkdf2"), pbkdf2_params(salt, iterations, None, prf)), seq(oid("aes256_cbc"), octets(iv))),
    )


def pbes2_pbkdf2(plaintext: bytes, password: str, iterations: int, *, salt: bytes = b"pbes2slt",
                 iv: bytes = bytes(range(16)), key: bytes | None = None) -> tuple[bytes, bytes]:
    """(AlgorithmIdentifier, ciphertext) for PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC (RFC 8018 6.2).

    ``key`` skips the derivation (for iteration counts too large to derive: the ciphertext then
    only has to be well-formed, since a correct reader refuses before deriving).
    """
    if key is None:
        key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, 32)
    return pbes2_pbkdf2_algorithm(salt, iterations, iv), _aes_cbc(key, iv, plaintext)


@functools.lru_cache(maxsize=None)
def pbes2_key_cache(iterations: int, password: str = PASSWORD, salt: bytes = b"pbes2slt") -> bytes:
    """PBKDF2-HMAC-SHA256 key (32 octets) with the default PBES2 salt, computed once per process."""
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, 32)


@functools.lru_cache(maxsize=None)
def scrypt_key_cache(n: int, r: int, p: int, password: str = PASSWORD, salt: bytes = b"scryptsl") -> bytes:
    """scrypt key (32 octets) with the default salt, computed once per process."""
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32,
                          maxmem=min(128 * r * (n + p + 2) + 65536, 2**31 - 1))


def scrypt_algorithm(salt: bytes, n: int, r: int, p: int, iv: bytes) -> bytes:
    params = seq(octets(salt), integer(n), integer(r), integer(p))
    return seq(oid("pbes2"), seq(seq(oid("scrypt"), params), seq(oid("aes256_cbc"), octets(iv))))


def pbes2_scrypt(plaintext: bytes, password: str, n: int, r: int, p: int, *, salt: bytes = b"scryptsl",
                 iv: bytes = bytes(range(16)), derive: bool = True) -> tuple[bytes, bytes]:
    """(AlgorithmIdentifier, ciphertext) for PBES2 scrypt (RFC 7914 section 7) AES-256-CBC.
    ``derive=False`` encrypts under a zero key (parameters too large to run)."""
    if derive:
        key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32,
                             maxmem=min(128 * r * (n + p + 2) + 65536, 2**31 - 1))
    else:
        key = bytes(32)
    return scrypt_algorithm(salt, n, r, p, iv), _aes_cbc(key, iv, plaintext)


def pkcs12_pbe_algorithm(salt: bytes, iterations: int, scheme: str = "pkcs12_sha1_tripledes_3key") -> bytes:
    return seq(oid(scheme), seq(octets(salt), integer(iterations)))


def pkcs12_pbe(plaintext: bytes, password: str, iterations: int, *, salt: bytes = b"p12pbesl",
               derive: bool = True) -> tuple[bytes, bytes]:
    """(AlgorithmIdentifier, ciphertext) for pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix C).
    ``derive=False`` encrypts under a fixed key (iteration counts too large to derive)."""
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES

    if derive:
        secret = bmp_password(password)
        key = pkcs12_kdf("sha1", secret, salt, 1, iterations, 24)
        iv = pkcs12_kdf("sha1", secret, salt, 2, iterations, 8)
    else:
        key, iv = bytes(range(24)), bytes(8)
    encryptor = Cipher(TripleDES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(_pad(plaintext, 8)) + encryptor.finalize()
    return pkcs12_pbe_algorithm(salt, iterations), ciphertext


# --- convenience: a whole file ----------------------------------------------------------------


def plain_safe(friendly_name: str | None = "crafted") -> bytes:
    """SafeContents with the identity's certificate and plain key (no encryption)."""
    pkcs8, cert = identity()
    attrs = None
    if friendly_name is not None:
        attrs = set_of(attribute("friendly_name", bmp(friendly_name)),
                       attribute("local_key_id", octets(b"\x01\x02\x03\x04")))
    return safe_contents(cert_bag(cert, attrs), key_bag(pkcs8, attrs))


def plain_pfx(password: str | None = PASSWORD, friendly_name: str | None = "crafted") -> bytes:
    """A small valid file: one data safe (cert + keyBag), HMAC-SHA256 MAC (2048 it.) unless
    ``password`` is None."""
    content = auth_safe(data_ci(plain_safe(friendly_name)))
    mac = hmac_mac_data(content, password) if password is not None else None
    return pfx(content, mac)


# --- TLV surgery ------------------------------------------------------------------------------


def walk(data: bytes, start: int = 0, end: int | None = None, depth: int = 0):
    """Yield (offset, header length, contents length, depth) for every definite-length TLV in
    DER ``data``, descending into constructed values and into OCTET STRINGs that hold DER."""
    end = len(data) if end is None else end
    pos = start
    while pos < end:
        tag = data[pos]
        if pos + 1 >= end:
            return
        first = data[pos + 1]
        if first < 0x80:
            header, size = 2, first
        elif first == 0x80 or first - 0x80 > 4 or pos + 2 + (first - 0x80) > end:
            return
        else:
            count = first - 0x80
            header, size = 2 + count, int.from_bytes(data[pos + 2:pos + 2 + count], "big")
        if pos + header + size > end:
            return
        yield pos, header, size, depth
        inner = pos + header
        if tag & 0x20:
            yield from walk(data, inner, inner + size, depth + 1)
        elif tag == 0x04 and size and data[inner] in (0x30, 0x31):
            yield from walk(data, inner, inner + size, depth + 1)
        pos = inner + size


@functools.lru_cache(maxsize=None)
def ec_identity() -> tuple[bytes, bytes]:
    """(PKCS#8 DER, certificate DER) of a fixed P-256 key for the public-key modes (signing,
    ECDH), its certificate issued by `identity`'s Ed25519 key: the same on every call and run."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.derive_private_key(int.from_bytes(bytes(range(1, 33)), "big"), ec.SECP256R1())
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pkcs8, _crafted_certificate("pkcs12kit crafted P-256", key.public_key(), 0x5678)
