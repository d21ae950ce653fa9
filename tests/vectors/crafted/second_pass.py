"""Crafted files of the second hostile-input review (issue 15), registered in make.py's VECTORS.

Certificates here are written by hand (TBSCertificate of RFC 5280 section 4.1 with a dummy
Ed25519 signature: nothing verifies signatures while reading a PKCS#12), so that subjects,
validity dates and keys can be anything an attacker writes. Generators that take a count are
also called by tests/test_hostile_second.py with other counts, for the scaling tests.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import craft
from craft import (
    auth_safe,
    cert_bag,
    data_ci,
    encrypted_data_ci,
    integer,
    key_bag,
    null,
    octets,
    oid,
    pfx,
    raw_mac_data,
    safe_contents,
    seq,
    set_of,
    tlv,
    utf8,
)

ED25519 = "1.3.101.112"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
PRIME256V1 = "1.2.840.10045.3.1.7"
RSA = "1.2.840.113549.1.1.1"
COMMON_NAME = "2.5.4.3"


def name(common_name: str) -> bytes:
    """A Name with one CN (RFC 5280 section 4.1.2.4), UTF8String."""
    return seq(set_of(seq(oid(COMMON_NAME), utf8(common_name))))


def bit_string(data: bytes) -> bytes:
    return tlv(0x03, b"\x00" + data)


def ed25519_spki(seed: int) -> bytes:
    """A SubjectPublicKeyInfo of 32 octets derived from ``seed`` (not a real point: nothing here
    needs one; cryptography loads any 32 octets as an Ed25519 public key)."""
    import hashlib

    return seq(seq(oid(ED25519)), bit_string(hashlib.sha256(seed.to_bytes(8, "big")).digest()))


def utc(text: str) -> bytes:
    return tlv(0x17, text.encode())


def generalized(text: str) -> bytes:
    return tlv(0x18, text.encode())


def certificate(subject: bytes, issuer: bytes, spki: bytes, *, serial: int = 1,
                validity: bytes | None = None, extensions: bytes | None = None) -> bytes:
    """Certificate DER with the given fields and a dummy Ed25519 signature."""
    validity = validity or seq(utc("250101000000Z"), utc("350101000000Z"))
    tbs = [craft.ctx0(integer(2)), integer(serial), seq(oid(ED25519)), issuer, validity, subject, spki]
    if extensions is not None:
        tbs.append(tlv(0xA3, extensions))
    return seq(seq(*tbs), seq(oid(ED25519)), bit_string(bytes(64)))


def plain_file(*bags: bytes) -> bytes:
    """A PFX of one unencrypted safe, no MAC (opens with no password)."""
    return pfx(auth_safe(data_ci(safe_contents(*bags))))


# --- row 1: nested indefinite-length OCTET STRINGs around many empty chunks ---------------------


def ber_nested_chunks(levels: int = 20, chunks: int = 20_000) -> bytes:
    """The authSafe content as ``levels`` nested indefinite-length constructed OCTET STRINGs; the
    innermost holds the AuthenticatedSafe then ``chunks`` zero-length chunks (X.690 8.7.3.2)."""
    inner = b"\x24\x80" + octets(auth_safe(data_ci(craft.plain_safe()))) + b"\x04\x00" * chunks + b"\x00\x00"
    for _ in range(levels - 1):
        inner = b"\x24\x80" + inner + b"\x00\x00"
    return seq(integer(3), seq(oid("data"), tlv(0xA0, inner)))


# --- row 2: keys that pair with no certificate ----------------------------------------------------


def ec_key(index: int) -> bytes:
    key = ec.derive_private_key(index + 1, ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def unpaired_keys(count: int = 60) -> bytes:
    """``count`` EC keyBags without localKeyId and ``count`` certificates of other keys."""
    bags = [key_bag(ec_key(i)) for i in range(count)]
    bags += [cert_bag(certificate(name(f"unmatched {i}"), name("some CA"), ed25519_spki(i), serial=i + 1))
             for i in range(count)]
    return plain_file(*bags)


# --- row 3: name loops and many certificates of one name -----------------------------------------


def name_loop(count: int = 100) -> bytes:
    """A leaf issued by A, ``count`` × (A issued by B) and ``count`` × (B issued by A)."""
    a, b = name("loop A"), name("loop B")
    bags = [cert_bag(certificate(name("leaf"), a, ed25519_spki(0)))]
    for i in range(count):
        bags.append(cert_bag(certificate(a, b, ed25519_spki(2 * i + 1), serial=2 * i + 1)))
        bags.append(cert_bag(certificate(b, a, ed25519_spki(2 * i + 2), serial=2 * i + 2)))
    return plain_file(*bags)


def same_subject(count: int = 200) -> bytes:
    """A leaf issued by S, then ``count`` certificates all named S, issued by S2 (not in the file)."""
    s, s2 = name("same subject"), name("absent CA")
    bags = [cert_bag(certificate(name("leaf"), s, ed25519_spki(0)))]
    bags += [cert_bag(certificate(s, s2, ed25519_spki(i + 1), serial=i + 1)) for i in range(count)]
    return plain_file(*bags)


# --- row 4: the real cost of 3-key 3DES PKCS#12 PBE ---------------------------------------------


def tripledes_nine_safes() -> bytes:
    """MAC at 2,000,000 iterations and nine encryptedData safes of pbeWithSHAAnd3-KeyTripleDES-CBC
    at 2,000,000 each: 2M + 9 × 3 × 2M = 56M hash chains (RFC 7292 appendix B.3: key ID 1 needs
    ceil(24/20) = 2 chains, IV ID 2 one). Encrypted under a fixed key: never derived."""
    algorithm, ciphertext = craft.pkcs12_pbe(craft.plain_safe(), craft.PASSWORD, 2_000_000, derive=False)
    content = auth_safe(*[encrypted_data_ci(algorithm, ciphertext)] * 9)
    return pfx(content, raw_mac_data("sha1", bytes(20), b"macsalt8", 2_000_000))


# --- row 13: scrypt whose peak memory is over the limit although OpenSSL's count is under -----


def scrypt_huge_r() -> bytes:
    """PBES2 scrypt N=2, r=419,000, p=1: OpenSSL counts 268,160,000 bytes (under 256 MiB), the
    process peaks 53,632,000 bytes higher (B is held twice). Encrypted under a zero key."""
    algorithm, ciphertext = craft.pbes2_scrypt(craft.plain_safe(), craft.PASSWORD, 2, 419_000, 1, derive=False)
    return pfx(auth_safe(encrypted_data_ci(algorithm, ciphertext)))


# --- row 5: deep nesting inside a certificate -------------------------------------------------


def deep_subject(depth: int = 1000) -> bytes:
    """A certificate whose CN value is ``depth`` nested SEQUENCEs."""
    value = b"\x30\x00"
    for _ in range(depth - 1):
        value = seq(value)
    subject = seq(set_of(seq(oid(COMMON_NAME), value)))
    return plain_file(cert_bag(certificate(subject, name("CA"), ed25519_spki(1))))


def repeated_cn(count: int = 1000) -> bytes:
    """A subject of ``count`` CN attributes (found by the touch-everything fuzz step: asn1crypto's
    human_friendly nests one list per repeat and recurses through them)."""
    subject = seq(*[set_of(seq(oid(COMMON_NAME), utf8("x")))] * count)
    return plain_file(cert_bag(certificate(subject, name("CA"), ed25519_spki(2))))


# --- rows 6 and 11: keys asn1crypto cannot size --------------------------------------------------


def odd_keys() -> bytes:
    """An EC key without curve parameters, an RSA key with modulus 0, a DSA key without parameters,
    and a certificate whose EC public key has no curve parameters."""
    ec_no_curve = seq(integer(0), seq(oid(EC_PUBLIC_KEY)), octets(seq(integer(1), octets(bytes(range(1, 33))))))
    rsa_zero = seq(integer(0), seq(oid(RSA), null()),
                   octets(seq(integer(0), integer(0), integer(65537), *[integer(1)] * 6)))
    dsa_no_params = seq(integer(0), seq(oid("1.2.840.10040.4.1")), octets(integer(5)))
    ec_spki_no_curve = seq(seq(oid(EC_PUBLIC_KEY)), bit_string(b"\x04" + bytes(range(64))))
    cert = certificate(name("no curve"), name("CA"), ec_spki_no_curve)
    return plain_file(key_bag(ec_no_curve), key_bag(rsa_zero), key_bag(dsa_no_params), cert_bag(cert))


# --- row 7: terminal injection in names ----------------------------------------------------------

INJECTION_CN = "\nquit\nconfigure terminal\nusername evil privilege 15 secret 0 evil\n!"
OSC52_CN = "\x1b]52;c;ZXZpbA==\x07owned\u2028\x9b31m"


def terminal_injection() -> bytes:
    """The identity's key and a certificate for it whose CN is a config injection; a CA whose CN
    is an OSC 52 clipboard write, a C1 CSI and a U+2028."""
    pkcs8, _ = craft.identity()
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    public = load_der_private_key(pkcs8, None).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    leaf = certificate(name(INJECTION_CN), name(OSC52_CN), public)
    ca = certificate(name(OSC52_CN), name(OSC52_CN), ed25519_spki(7))
    return plain_file(key_bag(pkcs8), cert_bag(leaf), cert_bag(ca))


# --- row 9: year 0000 ----------------------------------------------------------------------------


def year_zero() -> bytes:
    validity = seq(generalized("00000101000000Z"), utc("350101000000Z"))
    return plain_file(cert_bag(certificate(name("year zero"), name("year zero"), ed25519_spki(9), validity=validity)))


# --- row 12: a certificate that fails to parse ----------------------------------------------------


def unparsable_certificate() -> bytes:
    """A certBag whose certificate has a tbsCertificate of the wrong shape."""
    return plain_file(cert_bag(seq(seq(integer(1), integer(2)), seq(oid(ED25519)), bit_string(bytes(64)))))


# --- trailing zeros (real Windows files; .NET test assets) ---------------------------------------


def trailing_zeros() -> bytes:
    return craft.plain_pfx() + bytes(8)


def trailing_garbage() -> bytes:
    return craft.plain_pfx() + bytes(7) + b"\x01"


VECTORS = {
    "ber-octets-20-levels-20000-chunks.p12": ber_nested_chunks,
    "ec-keys-60-unmatched-certs-60.p12": unpaired_keys,
    "name-loop-100x2.p12": name_loop,
    "same-subject-200.p12": same_subject,
    "tripledes-9-safes-2000000-mac.p12": tripledes_nine_safes,
    "cert-subject-nested-1000.p12": deep_subject,
    "cert-subject-1000-cns.p12": repeated_cn,
    "odd-keys.p12": odd_keys,
    "scrypt-n2-r419000.p12": scrypt_huge_r,
    "cn-terminal-injection.p12": terminal_injection,
    "validity-year-0000.p12": year_zero,
    "cert-unparsable.p12": unparsable_certificate,
    "trailing-8-zero-bytes.p12": trailing_zeros,
    "trailing-nonzero-byte.p12": trailing_garbage,
}
