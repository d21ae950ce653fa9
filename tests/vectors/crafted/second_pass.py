"""Crafted files of the second hostile-input review (issue 15), registered in make.py's VECTORS.

Certificates here are written by hand (TBSCertificate of RFC 5280 section 4.1 with a dummy
Ed25519 signature: nothing verifies signatures while reading a PKCS#12), so that subjects,
validity dates and keys can be anything an attacker writes. Generators that take a count are
also called by tests/test_hostile_second.py with other counts, for the scaling tests.
"""

from __future__ import annotations

import functools
import hashlib

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


def extension(extn_id: str, value: bytes) -> bytes:
    """An Extension (RFC 5280 section 4.1), not critical: extnID and the extnValue OCTET STRING."""
    return seq(oid(extn_id), octets(value))


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


def ber_nested_chunks_in_auth_safe(levels: int = 20, chunks: int = 20_000) -> bytes:
    """Row 1 one layer down: a DER authSafe OCTET STRING (primitive, so pkcs12kit reads it in
    place, as a memoryview) whose AuthenticatedSafe holds a data ContentInfo whose content is
    ``levels`` nested indefinite-length OCTET STRINGs around the SafeContents and ``chunks``
    zero-length chunks."""
    inner = b"\x24\x80" + octets(craft.plain_safe()) + b"\x04\x00" * chunks + b"\x00\x00"
    for _ in range(levels - 1):
        inner = b"\x24\x80" + inner + b"\x00\x00"
    return seq(integer(3), seq(oid("data"), tlv(0xA0, octets(seq(seq(oid("data"), tlv(0xA0, inner)))))))


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


SUBJECT_KEY_IDENTIFIER = "2.5.29.14"
AUTHORITY_KEY_IDENTIFIER = "2.5.29.35"
# An authorityKeyIdentifier that matches no certificate's subjectKeyIdentifier.
NO_SUCH_KEY_ID = b"\xff" * 20


def key_ids(serial: int, authority: bytes | None = None) -> bytes:
    """Extensions: a subjectKeyIdentifier (RFC 5280 4.2.1.2; SHA-1 of the serial, unique per
    certificate) and, if given, an authorityKeyIdentifier [0] keyIdentifier (4.2.1.1)."""
    extensions = [extension(SUBJECT_KEY_IDENTIFIER, octets(hashlib.sha1(serial.to_bytes(4, "big")).digest()))]
    if authority is not None:
        extensions.append(extension(AUTHORITY_KEY_IDENTIFIER, seq(tlv(0x80, authority))))
    return seq(*extensions)


def name_loop(count: int = 100, *, with_key_ids: bool = False) -> bytes:
    """A leaf issued by A, ``count`` × (A issued by B) and ``count`` × (B issued by A).

    ``with_key_ids``: every certificate has its own subjectKeyIdentifier and an
    authorityKeyIdentifier that matches none, so a reader that picks among same-name issuers by
    key identifier parses every candidate at every step (the old code: a 3,000-entry chain for
    1,500 × 2, 3,001 parses, about 3 s)."""
    a, b = name("loop A"), name("loop B")

    def ids(serial: int) -> bytes | None:
        return key_ids(serial, NO_SUCH_KEY_ID) if with_key_ids else None

    bags = [cert_bag(certificate(name("leaf"), a, ed25519_spki(0), extensions=ids(0)))]
    for i in range(count):
        bags.append(cert_bag(certificate(a, b, ed25519_spki(2 * i + 1), serial=2 * i + 1, extensions=ids(2 * i + 1))))
        bags.append(cert_bag(certificate(b, a, ed25519_spki(2 * i + 2), serial=2 * i + 2, extensions=ids(2 * i + 2))))
    return plain_file(*bags)


def same_subject(count: int = 200, *, with_key_ids: bool = False) -> bytes:
    """A leaf issued by S, then ``count`` certificates all named S, issued by S2 (not in the file).

    ``with_key_ids``: each S has its own subjectKeyIdentifier and the leaf's
    authorityKeyIdentifier matches none of them, so choosing the issuer by key identifier
    compares (and parses) every S: the shape that made the old code slow (10,000: 10,001
    certificate parses, 2.8 s); without key identifiers the name alone decides."""
    s, s2 = name("same subject"), name("absent CA")
    leaf_ids = key_ids(0, NO_SUCH_KEY_ID) if with_key_ids else None
    bags = [cert_bag(certificate(name("leaf"), s, ed25519_spki(0), extensions=leaf_ids))]
    bags += [cert_bag(certificate(s, s2, ed25519_spki(i + 1), serial=i + 1,
                                  extensions=key_ids(i + 1) if with_key_ids else None)) for i in range(count)]
    return plain_file(*bags)


# Sizes of the key-identifier variants, kept under 1,000,000 bytes: the 1,500 × 2 loop
# fits (972,264 bytes); the 10,000 same-subject certificates would be 2,980,270 bytes,
# so 3,300 (983,670 bytes, the last round hundred under 1,000,000).
NAME_LOOP_KEY_IDS = 1_500
SAME_SUBJECT_KEY_IDS = 3_300


# --- row 4: the real cost of 3-key 3DES PKCS#12 PBE ---------------------------------------------


def tripledes_nine_safes() -> bytes:
    """MAC at 2,000,000 iterations and nine encryptedData safes of pbeWithSHAAnd3-KeyTripleDES-CBC
    at 2,000,000 each: 2M + 9 × 3 × 2M = 56M hash chains (RFC 7292 appendix B.3: key ID 1 needs
    ceil(24/20) = 2 chains, IV ID 2 one). Encrypted under a fixed key: never derived."""
    algorithm, ciphertext = craft.pkcs12_pbe(craft.plain_safe(), craft.PASSWORD, 2_000_000, derive=False)
    content = auth_safe(*[encrypted_data_ci(algorithm, ciphertext)] * 9)
    return pfx(content, raw_mac_data("sha1", bytes(20), b"macsalt8", 2_000_000))


@functools.lru_cache(maxsize=None)
def tripledes_nine_safes_empty_password(iterations: int = 2_000_000) -> bytes:
    """tripledes_nine_safes, but the MAC (HMAC-SHA1) and the nine safes are really made under the
    empty password (BMPString 00 00, RFC 7292 appendix B.1), so opening with no password gets
    past the MAC and into the safes: 1 + 9 × 3 chains of ``iterations`` to read it (the old code
    ran 52,000,000 iterations, 15 to 17 s, before a limit stopped it at authSafe[8]). The safes
    are one ContentInfo nine times (one salt), so making the file derives 4 chains: about 4 s at
    2,000,000 in Python, hence computed once per process."""
    algorithm, ciphertext = craft.pkcs12_pbe(craft.plain_safe(), "", iterations)
    content = auth_safe(*[encrypted_data_ci(algorithm, ciphertext)] * 9)
    return pfx(content, craft.hmac_mac_data(content, "", digest="sha1", iterations=iterations))


# --- row 13: scrypt whose peak memory is over the limit although OpenSSL's count is under -----


def scrypt_huge_r() -> bytes:
    """PBES2 scrypt N=2, r=419,000, p=1: OpenSSL counts 268,160,000 bytes (under 256 MiB), the
    process peaks 53,632,000 bytes higher (B is held twice). Encrypted under a zero key."""
    algorithm, ciphertext = craft.pbes2_scrypt(craft.plain_safe(), craft.PASSWORD, 2, 419_000, 1, derive=False)
    return pfx(auth_safe(encrypted_data_ci(algorithm, ciphertext)))


# --- row 5: deep nesting inside a certificate -------------------------------------------------


def nested_sequences(depth: int) -> bytes:
    """``depth`` SEQUENCEs, each holding the next; the innermost is empty."""
    value = b"\x30\x00"
    for _ in range(depth - 1):
        value = seq(value)
    return value


def deep_subject(depth: int = 1000) -> bytes:
    """A certificate whose CN value is ``depth`` nested SEQUENCEs."""
    subject = seq(set_of(seq(oid(COMMON_NAME), nested_sequences(depth))))
    return plain_file(cert_bag(certificate(subject, name("CA"), ed25519_spki(1))))


# The CN value above is a DirectoryString (a CHOICE of strings), which asn1crypto refuses at its
# first tag, before any recursion: the old code showed no RecursionError on it. The value of an
# attribute type asn1crypto does not know is parsed as Any, whose native form recurses once per
# level: these are the shapes that raised RecursionError from subject.human_friendly,
# targets.check, CertEntry.certificate, cisco.show_certificates and cisco.check_hostname, and
# made check/show/convert exit 8.
UNKNOWN_ATTRIBUTE = "1.2.3.4"
SUBJECT_ALT_NAME = "2.5.29.17"
NAME_CONSTRAINTS = "2.5.29.30"


def deep_name(depth: int) -> bytes:
    """A Name of one attribute of type 1.2.3.4 whose value is ``depth`` nested SEQUENCEs."""
    return seq(set_of(seq(oid(UNKNOWN_ATTRIBUTE), nested_sequences(depth))))


def deep_unknown_attribute_subject(depth: int = 1000) -> bytes:
    return plain_file(cert_bag(certificate(deep_name(depth), name("CA"), ed25519_spki(10))))


def deep_unknown_attribute_issuer(depth: int = 1000) -> bytes:
    return plain_file(cert_bag(certificate(name("leaf"), deep_name(depth), ed25519_spki(11))))


def deep_san_directory_name(depth: int = 1000) -> bytes:
    """subjectAltName (RFC 5280 4.2.1.6) holding one directoryName [4] (EXPLICIT: a Name)."""
    san = seq(tlv(0xA4, deep_name(depth)))
    return plain_file(cert_bag(certificate(name("san"), name("CA"), ed25519_spki(12),
                                           extensions=seq(extension(SUBJECT_ALT_NAME, san)))))


def deep_san_other_name(depth: int = 1000) -> bytes:
    """subjectAltName holding one otherName [0] {type-id 1.2.3.4, [0] EXPLICIT value} whose value
    is ``depth`` nested SEQUENCEs."""
    san = seq(tlv(0xA0, oid(UNKNOWN_ATTRIBUTE) + tlv(0xA0, nested_sequences(depth))))
    return plain_file(cert_bag(certificate(name("san"), name("CA"), ed25519_spki(12),
                                           extensions=seq(extension(SUBJECT_ALT_NAME, san)))))


def deep_name_constraints_directory_name(depth: int = 1000) -> bytes:
    """nameConstraints (RFC 5280 4.2.1.10) permittedSubtrees [0] with one GeneralSubtree whose
    base is a directoryName."""
    constraints = seq(tlv(0xA0, seq(tlv(0xA4, deep_name(depth)))))
    return plain_file(cert_bag(certificate(name("nc"), name("CA"), ed25519_spki(13),
                                           extensions=seq(extension(NAME_CONSTRAINTS, constraints)))))


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


def terminal_injection_warnings() -> bytes:
    """The identity's key and its certificate (CN: the config injection, issuer: the OSC 52 CN,
    absent from the file), plus a certificate outside the chain whose CN also holds the
    injection: the trustpoint warnings printed after a cisco-import session name both CNs (on
    terminal_injection's file no warning names a CN, so the old code printed nothing raw)."""
    pkcs8, _ = craft.identity()
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    public = load_der_private_key(pkcs8, None).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    leaf = certificate(name(INJECTION_CN), name(OSC52_CN), public)
    other = certificate(name(INJECTION_CN + " (other)"), name("other CA"), ed25519_spki(8))
    return plain_file(key_bag(pkcs8), cert_bag(leaf), cert_bag(other))


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
    # Shapes that showed rows 3, 4, 5 and 7 on the old code (4e18047) where the files above did
    # not (the reproduction of issue 15 against the old code).
    "name-loop-1500x2-key-ids.p12": lambda: name_loop(NAME_LOOP_KEY_IDS, with_key_ids=True),
    "same-subject-3300-key-ids.p12": lambda: same_subject(SAME_SUBJECT_KEY_IDS, with_key_ids=True),
    "tripledes-9-safes-2000000-mac-empty-password.p12": tripledes_nine_safes_empty_password,
    "cert-subject-unknown-attribute-nested-1000.p12": deep_unknown_attribute_subject,
    "cert-subject-unknown-attribute-nested-350.p12": lambda: deep_unknown_attribute_subject(350),
    "cert-issuer-unknown-attribute-nested-1000.p12": deep_unknown_attribute_issuer,
    "cert-san-directoryname-nested-1000.p12": deep_san_directory_name,
    "cert-san-othername-nested-1000.p12": deep_san_other_name,
    "cert-nameconstraints-directoryname-nested-1000.p12": deep_name_constraints_directory_name,
    "cn-terminal-injection-warnings.p12": terminal_injection_warnings,
}
