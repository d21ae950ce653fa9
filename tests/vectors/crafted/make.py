"""Regenerate the crafted hostile PKCS#12 files in this directory (deterministic).

    python tests/vectors/crafted/make.py          # rewrite every file
    python tests/vectors/crafted/make.py --check  # exit 1 if a file differs from what is made

Each entry of `VECTORS` is one attack class (README.md lists them with the CVE each models and
what a correct reader does). Files are made with tests/craft.py, which writes DER by hand and
uses hashlib/cryptography for the crypto, never pkcs12kit. Password: "pw" unless noted.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parents[1]
sys.path.insert(0, str(TESTS))

import craft  # noqa: E402
from craft import (  # noqa: E402
    PASSWORD,
    attribute,
    auth_safe,
    bmp,
    cert_bag,
    data_ci,
    encrypted_data_ci,
    hmac_mac_data,
    identity,
    integer,
    key_bag,
    octets,
    oid,
    pbmac1_mac_data,
    pfx,
    raw_mac_data,
    safe_bag,
    safe_contents,
    seq,
    set_of,
    tlv,
)

MAX31 = 2**31 - 1
RFC9579_A6 = Path(__file__).resolve().parent.parent / "rfc9579" / "rfc9579-a6-no-key-length.p12"


def _plain() -> bytes:
    return craft.plain_safe()


def mac_iterations_max31() -> bytes:
    """Valid file whose MacData iterations are 2^31-1 (MAC value irrelevant: never computed)."""
    content = auth_safe(data_ci(_plain()))
    return pfx(content, raw_mac_data("sha256", bytes(32), b"macsalt8", MAX31))


def _pbes2_safe_max31() -> bytes:
    algorithm, ciphertext = craft.pbes2_pbkdf2(_plain(), PASSWORD, MAX31, key=bytes(32))
    return auth_safe(encrypted_data_ci(algorithm, ciphertext))


def pbes2_iterations_max31_nomac() -> bytes:
    return pfx(_pbes2_safe_max31())


def pbes2_iterations_max31_valid_mac() -> bytes:
    content = _pbes2_safe_max31()
    return pfx(content, hmac_mac_data(content, PASSWORD))


def shrouded_key_pkcs12pbe_max31() -> bytes:
    """pkcs8ShroudedKeyBag under pbeWithSHAAnd3-KeyTripleDES-CBC with 2^31-1 iterations, no MAC."""
    pkcs8, cert = identity()
    algorithm, ciphertext = craft.pkcs12_pbe(pkcs8, PASSWORD, MAX31, derive=False)
    return pfx(auth_safe(data_ci(safe_contents(cert_bag(cert), craft.shrouded_key_bag(algorithm, ciphertext)))))


def scrypt_huge_n() -> bytes:
    """PBES2 scrypt with N=2^30, r=8, p=1: 128 GiB of memory."""
    algorithm, ciphertext = craft.pbes2_scrypt(_plain(), PASSWORD, 2**30, 8, 1, derive=False)
    return pfx(auth_safe(encrypted_data_ci(algorithm, ciphertext)))


def scrypt_many_safes() -> bytes:
    """Ten encryptedData safes, each scrypt N=2^16, r=8, p=1 (64 MiB, ~0.6 s): each is legal, the
    sum is ~6 s of work that the budget charges as 10 x 65,536 iterations."""
    algorithm, ciphertext = craft.pbes2_scrypt(_plain(), PASSWORD, 2**16, 8, 1)
    return pfx(auth_safe(*[encrypted_data_ci(algorithm, ciphertext)] * 10))


WRONG_PASSWORD_PREFIX = "wrong-"


def _short_key_collision(salt: bytes, iterations: int) -> str:
    """The first "wrong-N" password whose 1-octet PBKDF2 key equals the real password's."""
    target = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt, iterations, 1)
    n = 0
    while True:
        candidate = f"{WRONG_PASSWORD_PREFIX}{n}"
        if hashlib.pbkdf2_hmac("sha256", candidate.encode(), salt, iterations, 1) == target:
            return candidate
        n += 1


def pbmac1_keylength_1() -> bytes:
    """CVE-2026-34181 (go-pkcs12 pbmac1-short-key-bypass): keyLength 1, so the MAC key has 256
    values and a forger wins 1 time in 256. The safe is plain data; the MAC, made with "pw",
    also verifies under the wrong password `wrong_password_for_keylength_1()`, so a reader that
    accepts the short key hands out (possibly tampered) data under a password nobody set."""
    content = auth_safe(data_ci(_plain()))
    return pfx(content, pbmac1_mac_data(content, PASSWORD, key_length=1, iterations=1))


def wrong_password_for_keylength_1() -> str:
    return _short_key_collision(b"pbmac1salt", 1)


def pbmac1_keylength_65() -> bytes:
    """CVE-2025-11187: keyLength 65 overflowed OpenSSL's 64-byte key buffer."""
    content = auth_safe(data_ci(_plain()))
    return pfx(content, pbmac1_mac_data(content, PASSWORD, key_length=65))


def pbmac1_keylength_huge() -> bytes:
    """keyLength 2^32: a naive reader allocates (or derives) 4 GiB of key."""
    content = auth_safe(data_ci(_plain()))
    return pfx(content, pbmac1_mac_data(content, PASSWORD, key_length=2**32, derive_length=32))


def pbmac1_no_keylength() -> bytes:
    """RFC 9579 appendix A.6, copied verbatim (password 1234): keyLength left out."""
    return RFC9579_A6.read_bytes()


def encrypted_data_no_content() -> bytes:
    """CVE-2025-69421 / CVE-2024-0727: EncryptedContentInfo without encryptedContent, MAC valid."""
    algorithm, _ = craft.pbes2_pbkdf2(b"", PASSWORD, 2048)
    content = auth_safe(encrypted_data_ci(algorithm, None))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def authsafe_no_content() -> bytes:
    """CVE-2024-0727: the PFX's authSafe ContentInfo is just its contentType."""
    return seq(integer(3), seq(oid("data")))


def inner_content_info_no_content() -> bytes:
    """CVE-2024-0727: a ContentInfo inside the AuthenticatedSafe without [0] content, MAC valid."""
    content = auth_safe(data_ci(_plain()), seq(oid("data")))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def shrouded_key_no_encrypted_data() -> bytes:
    """CVE-2025-69421: EncryptedPrivateKeyInfo without its encryptedData OCTET STRING."""
    algorithm = craft.pkcs12_pbe_algorithm(b"p12pbesl", 2048)
    content = auth_safe(data_ci(safe_contents(safe_bag("shrouded_key_bag", seq(algorithm)))))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def pbe_no_parameters() -> bytes:
    """CVE-2024-0727 class: pbeWithSHAAnd3-KeyTripleDES-CBC with its parameters left out."""
    content = auth_safe(encrypted_data_ci(seq(oid("pkcs12_sha1_tripledes_3key")), bytes(16)))
    return pfx(content)


def macdata_no_salt() -> bytes:
    content = auth_safe(data_ci(_plain()))
    return pfx(content, seq(seq(seq(oid("sha256"), craft.null()), octets(bytes(32)))))


def macdata_empty() -> bytes:
    """CVE-2025-12816 class: macData present but an empty SEQUENCE: must not yield data."""
    content = auth_safe(data_ci(_plain()))
    return pfx(content, seq())


def macdata_empty_digest() -> bytes:
    """CVE-2025-12816 class: the MAC value is a zero-length OCTET STRING."""
    content = auth_safe(data_ci(_plain()))
    return pfx(content, raw_mac_data("sha256", b"", b"macsalt8", 2048))


def macdata_truncated_digest() -> bytes:
    """The first 4 octets of the correct HMAC-SHA256 only (a prefix comparison would accept)."""
    content = auth_safe(data_ci(_plain()))
    good = hmac_mac_data(content, PASSWORD)
    key = craft.pkcs12_kdf("sha256", craft.bmp_password(PASSWORD), b"macsalt8", 3, 2048, 32)
    mac = __import__("hmac").new(key, content, "sha256").digest()
    assert mac in good
    return pfx(content, raw_mac_data("sha256", mac[:4], b"macsalt8", 2048))


def macdata_not_a_sequence() -> bytes:
    """macData replaced by an OCTET STRING holding the MAC."""
    content = auth_safe(data_ci(_plain()))
    return pfx(content, octets(bytes(32)))


def ber_deep_nesting() -> bytes:
    """200 nested indefinite-length SEQUENCEs as the PFX's first field."""
    depth = 200
    inner = b"\x30\x80" * depth + b"\x00\x00" * depth
    return b"\x30\x80" + inner + b"\x00\x00"


def deep_safe_contents() -> bytes:
    """safeContents bags nested 17 deep (Limits.max_depth is 16), MAC valid."""
    pkcs8, cert = identity()
    contents = safe_contents(cert_bag(cert))
    for _ in range(17):
        contents = safe_contents(safe_bag("safe_contents_bag", contents))
    content = auth_safe(data_ci(contents))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def huge_length() -> bytes:
    """The AuthenticatedSafe OCTET STRING claims 2^32-1 bytes (0x84 ff ff ff ff)."""
    claim = b"\x04\x84\xff\xff\xff\xff" + b"\x30\x00"
    info = tlv(0x30, oid("data") + tlv(0xA0, claim))
    return seq(integer(3), info)


def attribute_type_confusion() -> bytes:
    """CVE-2026-22795 class: bag attribute values are an INTEGER where a SET is required."""
    pkcs8, cert = identity()
    bad = set_of(seq(oid("friendly_name"), integer(7)))
    content = auth_safe(data_ci(safe_contents(cert_bag(cert, bad))))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def attribute_oid_confusion() -> bytes:
    """CVE-2026-22795 class: the attribute type is an INTEGER where an OID is required."""
    pkcs8, cert = identity()
    bad = set_of(seq(integer(20), set_of(bmp("x"))))
    content = auth_safe(data_ci(safe_contents(cert_bag(cert, bad))))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def attribute_value_confusion() -> bytes:
    """friendlyName holds an INTEGER and localKeyId a SEQUENCE (well-formed, wrong types): the
    file decodes, and the accessors return None rather than misreading the values."""
    pkcs8, cert = identity()
    attrs = set_of(attribute("friendly_name", integer(0x4142)),
                   attribute("local_key_id", seq(octets(b"\x01"))))
    content = auth_safe(data_ci(safe_contents(cert_bag(cert, attrs), key_bag(pkcs8, attrs))))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def _huge_arc_oid() -> bytes:
    """An OID whose second arc is 3,000 continuation octets long (a ~21,000-bit number)."""
    return tlv(0x06, b"\x2a" + b"\xff" * 3000 + b"\x01")


def oid_huge_arc_attribute_type() -> bytes:
    """CVE-2025-66030 class (forge OID arc truncation): a bag attribute type OID with one arc of
    3,000 octets. Python refuses str() of ints over 4,300 digits (ValueError)."""
    pkcs8, cert = identity()
    attrs = set_of(seq(_huge_arc_oid(), set_of(bmp("x"))))
    return pfx(auth_safe(data_ci(safe_contents(cert_bag(cert, attrs)))))


def oid_huge_arc_trusted_usage() -> bytes:
    """The same OID as the value of the Java trusted-key-usage attribute: the file decodes, the
    `CertEntry.trusted_key_usage` accessor turns it into text."""
    pkcs8, cert = identity()
    attrs = set_of(attribute("2.16.840.1.113894.746875.1.1", _huge_arc_oid()))
    return pfx(auth_safe(data_ci(safe_contents(cert_bag(cert, attrs)))))


def oid_truncated_bag_type() -> bytes:
    """A bagId OID whose last octet still has the continuation bit (X.690 8.19.2 forbids it)."""
    return pfx(auth_safe(data_ci(safe_contents(seq(tlv(0x06, b"\x2a\x86"), craft.ctx0(craft.null()))))))


def oid_empty_attribute_type() -> bytes:
    """A bag attribute whose type OID has no contents octets."""
    pkcs8, cert = identity()
    attrs = set_of(seq(tlv(0x06, b""), set_of(bmp("x"))))
    return pfx(auth_safe(data_ci(safe_contents(cert_bag(cert, attrs)))))


def pbe_parameters_confusion() -> bytes:
    """CVE-2026-22795 class: PBES2 parameters are an INTEGER where PBES2-params is required."""
    content = auth_safe(encrypted_data_ci(seq(oid("pbes2"), integer(5)), bytes(16)))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def _friendly(names: list[bytes]) -> bytes:
    pkcs8, cert = identity()
    bags = [cert_bag(cert, set_of(attribute("friendly_name", tlv(0x1E, raw)))) for raw in names]
    content = auth_safe(data_ci(safe_contents(*bags)))
    return pfx(content, hmac_mac_data(content, PASSWORD))


# CVE-2025-69419: characters above U+07FF take 3 UTF-8 octets; odd lengths and lone surrogates.
FRIENDLY_NAMES = [
    "\u65e5\u672c\u8a9e \u20ac \uffff".encode("utf-16-be"),  # > U+07FF, BMP edge
    "ab".encode("utf-16-be") + b"\x00",  # odd length: 5 octets
    b"\xd8\x00" + "z".encode("utf-16-be"),  # a lone high surrogate then 'z'
    "\U0001f512".encode("utf-16-be"),  # a surrogate pair (outside the BMP)
]


def bmp_friendly_names() -> bytes:
    return _friendly(FRIENDLY_NAMES)


def too_many_bags() -> bytes:
    """101 certBags in one safe; tests decode it with Limits(max_bags=100)."""
    pkcs8, cert = identity()
    return pfx(auth_safe(data_ci(safe_contents(*[cert_bag(cert)] * 101))))


def large_input() -> bytes:
    """A valid 1,000,000-byte file: an unknown bag pads it; tests use a smaller max_input_size."""
    pkcs8, cert = identity()
    filler_bag = safe_bag("1.2.3.4", octets(b""))
    head = auth_safe(data_ci(safe_contents(cert_bag(cert), filler_bag)))
    grow = 1_000_000 - len(pfx(head))
    for _ in range(4):  # lengths grow with the filler: converge on the exact size
        filler_bag = safe_bag("1.2.3.4", octets(bytes(max(0, grow))))
        data = pfx(auth_safe(data_ci(safe_contents(cert_bag(cert), filler_bag))))
        grow += 1_000_000 - len(data)
    return data


def total_iterations_budget() -> bytes:
    """Eleven encryptedData safes, each PBKDF2 with 2,000,000 iterations (each within
    Limits.max_iterations), 22,000,000 in total, over max_total_iterations (10,000,000). No MAC.
    Each safe decrypts under "pw" (the key is derived once here and reused)."""
    key = craft.pbes2_key_cache(2_000_000)
    algorithm, ciphertext = craft.pbes2_pbkdf2(_plain(), PASSWORD, 2_000_000, key=key)
    return pfx(auth_safe(*[encrypted_data_ci(algorithm, ciphertext)] * 11))


def total_iterations_small() -> bytes:
    """Six encryptedData safes of 1,000 PBKDF2 iterations each; tests use max_total_iterations=5,000."""
    algorithm, ciphertext = craft.pbes2_pbkdf2(_plain(), PASSWORD, 1000)
    return pfx(auth_safe(*[encrypted_data_ci(algorithm, ciphertext)] * 6))


# Issue 14's algorithms, by dotted OID (written here, not taken from pkcs12kit).
SHA3_256 = "2.16.840.1.101.3.4.2.8"
SM3 = "1.2.156.10197.1.401"
HMAC_SM3 = "1.2.156.10197.1.401.3.1"
CAMELLIA_256_CBC = "1.2.392.200011.61.1.1.1.4"
ARIA_256_CBC = "1.2.410.200046.1.1.12"


def mac_sha3_iterations_max31() -> bytes:
    """A SHA-3 MAC (RFC 7292 appendix B with v = the SHA3-256 rate) with 2^31-1 iterations."""
    return pfx(auth_safe(data_ci(_plain())), raw_mac_data(SHA3_256, bytes(32), b"macsalt8", MAX31))


def mac_sm3_iterations_max31() -> bytes:
    """An SM3 MAC with 2^31-1 iterations."""
    return pfx(auth_safe(data_ci(_plain())), raw_mac_data(SM3, bytes(32), b"macsalt8", MAX31))


def _pbes2_other(cipher: str, iv: bytes, iterations: int, prf: str = "2.16.840.1.101.3.4.2.9") -> bytes:
    """PBES2 AlgorithmIdentifier: PBKDF2 (``prf`` by OID, NULL parameters) and ``cipher`` with ``iv``."""
    kdf_params = seq(octets(b"pbes2slt"), integer(iterations), seq(oid(prf), tlv(0x05, b"")))
    return seq(oid("pbes2"), seq(seq(oid("pbkdf2"), kdf_params), seq(oid(cipher), octets(iv))))


def pbes2_camellia_iterations_max31() -> bytes:
    """Camellia-256-CBC under PBKDF2 with 2^31-1 iterations, no MAC (ciphertext never decrypted)."""
    return pfx(auth_safe(encrypted_data_ci(_pbes2_other(CAMELLIA_256_CBC, bytes(16), MAX31), bytes(48))))


def pbes2_hmacsm3_iterations_max31() -> bytes:
    """ARIA-256-CBC under PBKDF2-HMAC-SM3 with 2^31-1 iterations, no MAC."""
    algorithm = _pbes2_other(ARIA_256_CBC, bytes(16), MAX31, prf=HMAC_SM3)
    return pfx(auth_safe(encrypted_data_ci(algorithm, bytes(48))))


def pbes2_aria_short_iv() -> bytes:
    """ARIA-256-CBC whose IV is 8 octets, not one 16-octet block (1 iteration, no MAC)."""
    return pfx(auth_safe(encrypted_data_ci(_pbes2_other(ARIA_256_CBC, bytes(8), 1), bytes(48))))


def nested_safe_contents_attributes() -> bytes:
    """A safeContentsBag with bagAttributes (a friendlyName) holding the key, MAC valid: decodes,
    and `layout="as-decoded"` writes the nesting and its attributes back."""
    pkcs8, cert = identity()
    inner = safe_contents(key_bag(pkcs8))
    nested = safe_bag("safe_contents_bag", inner, set_of(attribute("friendly_name", bmp("nest"))))
    content = auth_safe(data_ci(safe_contents(cert_bag(cert), nested)))
    return pfx(content, hmac_mac_data(content, PASSWORD))


def empty_content_infos() -> bytes:
    """20,000 empty ContentInfos (30 00) in the AuthenticatedSafe: invalid from the first one."""
    return pfx(auth_safe(*[seq()] * 20_000))


def empty_safes() -> bytes:
    """2,000 data ContentInfos each holding an empty SafeContents: valid, no bags at all, and
    each costs a SafeInfo. 256 MiB of them (14 million) is minutes of CPU and gigabytes of
    SafeInfo objects; tests decode it with Limits(max_bags=1000)."""
    return pfx(auth_safe(*[data_ci(safe_contents())] * 2_000))


# --- public-key modes (RFC 7292 section 3.1; CMS, RFC 5652 sections 5 and 6) ------------------
# Only the structure is crafted: each file is refused before any signature or key operation, so
# the signatures and wrapped keys are filler octets.

SHA256 = "2.16.840.1.101.3.4.2.1"


def _issuer_and_serial() -> bytes:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(identity()[1])
    return seq(cert.issuer.public_bytes(), integer(cert.serial_number))


def _signer_info(digest_oid: str = SHA256, signed_attrs: bytes | None = None,
                 signature_oid: str = "1.2.840.113549.1.1.11") -> bytes:
    attrs = tlv(0xA0, signed_attrs) if signed_attrs is not None else b""
    return seq(integer(1), _issuer_and_serial(), seq(oid(digest_oid)), attrs, seq(oid(signature_oid), craft.null()),
               octets(bytes(64)))


def _signed_pfx(signer_infos: list[bytes], *, certificates: int = 1, encap: bytes | None = None,
                mac_data: bytes | None = None) -> bytes:
    if encap is None:
        encap = seq(oid("data"), craft.ctx0(octets(auth_safe(data_ci(_plain())))))
    certs = tlv(0xA0, identity()[1] * certificates) if certificates else b""
    signed = seq(integer(1), set_of(seq(oid(SHA256))), encap, certs, set_of(*signer_infos))
    return seq(integer(3), seq(oid("signed_data"), craft.ctx0(signed)), mac_data or b"")


def signed_too_many_signers() -> bytes:
    """Five SignerInfos: each costs a signature verification (Limits.max_signers is 4)."""
    return _signed_pfx([_signer_info()] * 5)


def signed_too_many_certificates() -> bytes:
    """33 certificates in SignedData.certificates: each may cost a chain step (limit 32)."""
    return _signed_pfx([_signer_info()], certificates=33)


def signed_detached() -> bytes:
    """CVE-2024-0727 class: encapContentInfo without eContent (a detached signature)."""
    return _signed_pfx([_signer_info()], encap=seq(oid("data")))


def signed_not_data() -> bytes:
    """eContentType is not data: what is signed is not an AuthenticatedSafe."""
    return _signed_pfx([_signer_info()], encap=seq(oid("1.2.3.4"), craft.ctx0(octets(b"\x30\x00"))))


def signed_with_mac_data() -> bytes:
    """A signed authSafe and a macData: RFC 7292 section 4 has one or the other."""
    return _signed_pfx([_signer_info()], mac_data=raw_mac_data("sha256", bytes(32), b"macsalt8", 1))


def signed_sha1_digest() -> bytes:
    """The SignerInfo digest is SHA-1: not accepted for signatures."""
    return _signed_pfx([_signer_info(digest_oid="sha1", signature_oid="1.2.840.113549.1.1.5")])


def signed_wrong_message_digest() -> bytes:
    """The messageDigest attribute is not the digest of the eContent (a swapped content)."""
    attrs = (attribute("1.2.840.113549.1.9.3", oid("data"))
             + attribute("1.2.840.113549.1.9.4", octets(hashlib.sha256(b"another content").digest())))
    return _signed_pfx([_signer_info(signed_attrs=attrs)])


def _enveloped_pfx(recipient_infos: list[bytes], *, cipher_oid: str = "aes256_cbc",
                   ciphertext: bytes | None = bytes(32), version: int = 0) -> bytes:
    content = tlv(0x80, ciphertext) if ciphertext is not None else b""
    enveloped = seq(integer(version), set_of(*recipient_infos),
                    seq(oid("data"), seq(oid(cipher_oid), octets(bytes(16))), content))
    return pfx(auth_safe(seq(oid("enveloped_data"), craft.ctx0(enveloped))))


def _ktri() -> bytes:
    return seq(integer(0), _issuer_and_serial(), seq(oid("1.2.840.113549.1.1.1"), craft.null()), octets(bytes(256)))


def _kari(scheme: str, keys: int = 1) -> bytes:
    originator = tlv(0xA0, tlv(0xA1, seq(oid("1.2.840.10045.2.1")) + tlv(0x03, b"\x00\x04" + bytes(64))))
    wrap = seq(oid(scheme), seq(oid("2.16.840.1.101.3.4.1.45")))
    encrypted_keys = seq(*[seq(_issuer_and_serial(), octets(bytes(40)))] * keys)
    return tlv(0xA1, integer(3) + originator + wrap + encrypted_keys)


def enveloped_too_many_recipients() -> bytes:
    """17 KeyTransRecipientInfos: each may cost an RSA decryption (Limits.max_recipients is 16)."""
    return _enveloped_pfx([_ktri()] * 17)


def enveloped_too_many_encrypted_keys() -> bytes:
    """One KeyAgreeRecipientInfo with 17 RecipientEncryptedKeys: each may cost an ECDH."""
    return _enveloped_pfx([_kari("1.3.132.1.11.1", keys=17)], version=2)


def enveloped_unknown_kdf() -> bytes:
    """A KeyAgreeRecipientInfo whose key-agreement scheme is unknown."""
    return _enveloped_pfx([_kari("1.2.3.4.5")], version=2)


def enveloped_unknown_cipher() -> bytes:
    """Content encrypted with RC2-CBC (1.2.840.113549.3.2): not an EnvelopedData cipher here."""
    return _enveloped_pfx([_ktri()], cipher_oid="1.2.840.113549.3.2")


def enveloped_no_encrypted_content() -> bytes:
    """CVE-2025-69421 class: EncryptedContentInfo without the OPTIONAL encryptedContent."""
    return _enveloped_pfx([_ktri()], ciphertext=None)


VECTORS = {
    "mac-iterations-2147483647.p12": mac_iterations_max31,
    "pbes2-iterations-2147483647-nomac.p12": pbes2_iterations_max31_nomac,
    "pbes2-iterations-2147483647-valid-mac.p12": pbes2_iterations_max31_valid_mac,
    "shrouded-key-pkcs12pbe-iterations-2147483647.p12": shrouded_key_pkcs12pbe_max31,
    "scrypt-n-2pow30.p12": scrypt_huge_n,
    "scrypt-many-safes.p12": scrypt_many_safes,
    "pbmac1-keylength-1.p12": pbmac1_keylength_1,
    "pbmac1-keylength-65.p12": pbmac1_keylength_65,
    "pbmac1-keylength-2pow32.p12": pbmac1_keylength_huge,
    "pbmac1-no-keylength-rfc9579-a6.p12": pbmac1_no_keylength,
    "encrypteddata-no-encryptedcontent.p12": encrypted_data_no_content,
    "authsafe-no-content.p12": authsafe_no_content,
    "contentinfo-no-content.p12": inner_content_info_no_content,
    "shroudedkey-no-encrypteddata.p12": shrouded_key_no_encrypted_data,
    "pbe-no-parameters.p12": pbe_no_parameters,
    "macdata-no-salt.p12": macdata_no_salt,
    "macdata-empty.p12": macdata_empty,
    "macdata-empty-digest.p12": macdata_empty_digest,
    "macdata-truncated-digest.p12": macdata_truncated_digest,
    "macdata-not-a-sequence.p12": macdata_not_a_sequence,
    "ber-indefinite-nesting-200.p12": ber_deep_nesting,
    "safecontents-nesting-17.p12": deep_safe_contents,
    "length-2pow32.p12": huge_length,
    "attribute-values-integer.p12": attribute_type_confusion,
    "attribute-type-integer.p12": attribute_oid_confusion,
    "attribute-values-wrong-types.p12": attribute_value_confusion,
    "pbes2-parameters-integer.p12": pbe_parameters_confusion,
    "oid-huge-arc-attribute-type.p12": oid_huge_arc_attribute_type,
    "oid-huge-arc-trusted-usage.p12": oid_huge_arc_trusted_usage,
    "oid-truncated-bag-type.p12": oid_truncated_bag_type,
    "oid-empty-attribute-type.p12": oid_empty_attribute_type,
    "friendlyname-bmp-edge-cases.p12": bmp_friendly_names,
    "bags-101.p12": too_many_bags,
    "input-1000000-bytes.p12": large_input,
    "total-iterations-11x2000000.p12": total_iterations_budget,
    "total-iterations-6x1000.p12": total_iterations_small,
    "contentinfos-empty-20000.p12": empty_content_infos,
    "safes-empty-2000.p12": empty_safes,
    "mac-sha3-256-iterations-2147483647.p12": mac_sha3_iterations_max31,
    "mac-sm3-iterations-2147483647.p12": mac_sm3_iterations_max31,
    "pbes2-camellia-iterations-2147483647-nomac.p12": pbes2_camellia_iterations_max31,
    "pbes2-hmacsm3-iterations-2147483647-nomac.p12": pbes2_hmacsm3_iterations_max31,
    "pbes2-aria-iv-8-bytes.p12": pbes2_aria_short_iv,
    "safecontents-nested-with-attributes.p12": nested_safe_contents_attributes,
    "signeddata-signers-5.p12": signed_too_many_signers,
    "signeddata-certificates-33.p12": signed_too_many_certificates,
    "signeddata-detached.p12": signed_detached,
    "signeddata-econtenttype-not-data.p12": signed_not_data,
    "signeddata-with-macdata.p12": signed_with_mac_data,
    "signeddata-digest-sha1.p12": signed_sha1_digest,
    "signeddata-wrong-messagedigest.p12": signed_wrong_message_digest,
    "envelopeddata-recipients-17.p12": enveloped_too_many_recipients,
    "envelopeddata-kari-keys-17.p12": enveloped_too_many_encrypted_keys,
    "envelopeddata-kari-unknown-kdf.p12": enveloped_unknown_kdf,
    "envelopeddata-cipher-rc2.p12": enveloped_unknown_cipher,
    "envelopeddata-no-encryptedcontent.p12": enveloped_no_encrypted_content,
}


# The second review's files (issue 15), in their own module.
sys.path.insert(0, str(HERE))
import second_pass  # noqa: E402

VECTORS.update(second_pass.VECTORS)


def build(name: str) -> bytes:
    return VECTORS[name]()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    status = 0
    for name, make in VECTORS.items():
        data = make()
        path = HERE / name
        if check:
            if not path.exists() or path.read_bytes() != data:
                print(f"differs: {name}")
                status = 1
        else:
            path.write_bytes(data)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
