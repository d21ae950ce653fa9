"""What pkcs12kit claims to write is what it writes: each output parsed independently.

Outputs are walked with asn1crypto's own ``Pfx`` (not pkcs12kit's TLV walker), encrypted safes
decrypted here with ``cryptography`` (PBES2: PBKDF2 + AES), the tests' own RFC 7292 appendix B
KDF (``berify.pkcs12_kdf``) with cryptography's 3DES, or ``openssl enc -rc2-40-cbc``; and
``openssl pkcs12 -info`` reports the same parameters as text. Expected values are the profiles'
documented parameters written out here (RFC 7292, RFC 8018, RFC 9579, OpenSSL and JDK defaults),
never read back from the Profile objects.

The IOS-XE export in tests/vectors/cisco (a real device's file, password ``cisco123``) is walked
the same way and compared with LEGACY_3DES output bag by bag.
"""

from __future__ import annotations

import base64
import dataclasses
import random
from pathlib import Path

import pytest
from asn1crypto import algos, core, keys
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

import pkcs12kit
from berify import bmp_password, pkcs12_kdf
from pkcs12kit import PKCS12, Protection
from tools import LEGACY_PROVIDERS, openssl

PASSWORD = "Structure-1"
VECTORS = Path(__file__).parent / "vectors"


# --- an independent walker -----------------------------------------------------------------


class Pbmac1Params(core.Sequence):
    """PBMAC1-params (RFC 8018 appendix A.5): asn1crypto 1.5.1 does not declare it."""

    _fields = [("key_derivation_func", algos.KdfAlgorithm), ("message_auth_scheme", algos.HmacAlgorithm)]


class ScryptParams(core.Sequence):
    """scrypt-params (RFC 7914 section 7): asn1crypto 1.5.1 does not declare it."""

    _fields = [
        ("salt", core.OctetString),
        ("cost_parameter", core.Integer),
        ("block_size", core.Integer),
        ("parallelization_parameter", core.Integer),
        ("key_length", core.Integer, {"optional": True}),
    ]


SCRYPT_OID = "1.3.6.1.4.1.11591.4.11"
PBMAC1_OID = "1.2.840.113549.1.5.14"


def describe_pbe(algorithm: algos.EncryptionAlgorithm) -> dict:
    """The parameters a PBE AlgorithmIdentifier really carries."""
    name = algorithm["algorithm"].native
    params = algorithm["parameters"]
    if name != "pbes2":
        return {"scheme": name, "iterations": params["iterations"].native, "salt": len(params["salt"].native)}
    kdf = params["key_derivation_func"]
    enc = params["encryption_scheme"]
    out = {"scheme": "pbes2", "cipher": enc["algorithm"].native, "iv": len(enc["parameters"].native)}
    if kdf["algorithm"].dotted == SCRYPT_OID:
        scrypt = ScryptParams.load(kdf["parameters"].dump())
        out.update(kdf="scrypt", salt=len(scrypt["salt"].native), n=scrypt["cost_parameter"].native,
                   r=scrypt["block_size"].native, p=scrypt["parallelization_parameter"].native)
        return out
    pbkdf2 = kdf["parameters"]
    out.update(kdf=kdf["algorithm"].native, prf=pbkdf2["prf"]["algorithm"].native,
               iterations=pbkdf2["iteration_count"].native, salt=len(pbkdf2["salt"].native),
               key_length=pbkdf2["key_length"].native)
    return out


def decrypt(algorithm: algos.EncryptionAlgorithm, ciphertext: bytes, password: str) -> bytes:
    """Decrypt with code that is not pkcs12kit's (RFC 8018 section 6.2.2, RFC 7292 appendix C)."""
    name = algorithm["algorithm"].native
    params = algorithm["parameters"]
    if name == "pbes2":
        kdf = params["key_derivation_func"]
        enc = params["encryption_scheme"]
        assert enc["algorithm"].native == "aes256_cbc", "the walker decrypts PBES2 AES-256 only"
        secret = password.encode("utf-8")
        if kdf["algorithm"].dotted == SCRYPT_OID:
            scrypt = ScryptParams.load(kdf["parameters"].dump())
            key = Scrypt(scrypt["salt"].native, 32, scrypt["cost_parameter"].native, scrypt["block_size"].native,
                         scrypt["parallelization_parameter"].native).derive(secret)
        else:
            pbkdf2 = kdf["parameters"]
            prf = {"sha256": hashes.SHA256(), "sha512": hashes.SHA512(), "sha1": hashes.SHA1()}[
                pbkdf2["prf"]["algorithm"].native]
            key = PBKDF2HMAC(prf, 32, pbkdf2["salt"].native, pbkdf2["iteration_count"].native).derive(secret)
        cipher, block = algorithms.AES(key), 128
        iv = enc["parameters"].native
    else:
        salt, iterations = params["salt"].native, params["iterations"].native
        secret = bmp_password(password)
        iv = pkcs12_kdf("sha1", secret, salt, 2, iterations, 8)
        if name == "pkcs12_sha1_rc2_40":
            key = pkcs12_kdf("sha1", secret, salt, 1, iterations, 5)
            # cryptography has no 40-bit RC2: the openssl program decrypts (and unpads).
            return openssl("enc", "-d", "-rc2-40-cbc", "-K", key.hex(), "-iv", iv.hex(), *LEGACY_PROVIDERS,
                           input=ciphertext).stdout
        assert name == "pkcs12_sha1_tripledes_3key", name
        cipher, block = TripleDES(pkcs12_kdf("sha1", secret, salt, 1, iterations, 24)), 64
    decryptor = Cipher(cipher, modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(block).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


@dataclasses.dataclass
class BagShape:
    type: str  # asn1crypto's bag name: cert_bag, key_bag, pkcs8_shrouded_key_bag ...
    attributes: tuple[str, ...]  # attribute types in file order
    shroud: dict | None = None  # the shrouded key's encryption
    key_algorithm: str | None = None
    der: bytes | None = None  # certificate DER or PKCS#8 DER (decrypted)
    values: dict = dataclasses.field(default_factory=dict)  # attribute type -> native values

    @property
    def shape(self):
        return (self.type, self.attributes, self.key_algorithm)


@dataclasses.dataclass
class SafeShape:
    kind: str  # "data" or "encrypted_data"
    algorithm: dict | None
    bags: list[BagShape]


@dataclasses.dataclass
class Walk:
    version: int
    safes: list[SafeShape]
    mac: dict | None


def walk_bag(bag: asn1_pkcs12.SafeBag, password: str) -> BagShape:
    kind = bag["bag_id"].native
    attributes = tuple(a["type"].native for a in bag["bag_attributes"])
    values = {a["type"].native: a["values"].native for a in bag["bag_attributes"]}
    shape = BagShape(kind, attributes, values=values)
    value = bag["bag_value"]
    if kind == "cert_bag":
        shape.der = value["cert_value"].parsed.dump()
    elif kind == "key_bag":
        shape.der = value.untag().dump()  # without the bagValue [0] EXPLICIT tag
        shape.key_algorithm = keys.PrivateKeyInfo.load(shape.der).algorithm
    elif kind == "pkcs8_shrouded_key_bag":
        shape.shroud = describe_pbe(value["encryption_algorithm"])
        shape.der = decrypt(value["encryption_algorithm"], value["encrypted_data"].native, password)
        shape.key_algorithm = keys.PrivateKeyInfo.load(shape.der).algorithm
    return shape


def describe_mac(mac_data) -> dict:
    algorithm = mac_data["mac"]["digest_algorithm"]
    out = {"salt": mac_data["mac_salt"].native, "iterations": mac_data["iterations"].native,
           "mac_length": len(mac_data["mac"]["digest"].native)}
    if algorithm["algorithm"].dotted == PBMAC1_OID:
        params = Pbmac1Params.load(algorithm["parameters"].dump())
        pbkdf2 = params["key_derivation_func"]["parameters"]
        out.update(kind="pbmac1", kdf=params["key_derivation_func"]["algorithm"].native,
                   prf=pbkdf2["prf"]["algorithm"].native, kdf_iterations=pbkdf2["iteration_count"].native,
                   kdf_salt=len(pbkdf2["salt"].native), key_length=pbkdf2["key_length"].native,
                   digest=params["message_auth_scheme"]["algorithm"].native)
    else:
        out.update(kind="hmac", digest=algorithm["algorithm"].native)
    return out


def walk(data: bytes, password: str = PASSWORD) -> Walk:
    """Every safe, bag, algorithm and MAC parameter of a DER PFX, via asn1crypto."""
    pfx = asn1_pkcs12.Pfx.load(data)
    assert pfx.dump(force=True) == data, "the output is not DER"
    safes = []
    for content_info in pfx.authenticated_safe:
        kind = content_info["content_type"].native
        if kind == "data":
            algorithm, plaintext = None, content_info["content"].native
        else:
            assert kind == "encrypted_data", kind
            info = content_info["content"]["encrypted_content_info"]
            assert info["content_type"].native == "data"
            alg = info["content_encryption_algorithm"]
            algorithm = describe_pbe(alg)
            plaintext = decrypt(alg, info["encrypted_content"].native, password)
        contents = asn1_pkcs12.SafeContents.load(plaintext)
        safes.append(SafeShape(kind, algorithm, [walk_bag(bag, password) for bag in contents]))
    mac = describe_mac(pfx["mac_data"]) if pfx["mac_data"].native is not None else None
    return Walk(int(pfx["version"]), safes, mac)


# --- content -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def identity(pki) -> PKCS12:
    leaf = pki.leaf("p256")
    return PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.intermediate.cert, pki.root.cert],
                        friendly_name="identity")


def bag_types(safe: SafeShape) -> list[str]:
    return [bag.type for bag in safe.bags]


def pbes2(iterations: int, salt: int, prf: str = "sha256") -> dict:
    """PBES2 (RFC 8018 section 6.2) with PBKDF2 and AES-256-CBC: a 16-byte IV, no keyLength
    (OpenSSL writes none for a fixed-size cipher)."""
    return {"scheme": "pbes2", "kdf": "pbkdf2", "prf": prf, "iterations": iterations, "salt": salt,
            "key_length": None, "cipher": "aes256_cbc", "iv": 16}


def pkcs12_pbe(scheme: str, iterations: int = 2048, salt: int = 8) -> dict:
    return {"scheme": scheme, "iterations": iterations, "salt": salt}


def hmac_mac(digest: str, iterations: int, salt: int) -> dict:
    return {"kind": "hmac", "digest": digest, "iterations": iterations, "salt_length": salt}


CERTS_THEN_KEY = (["cert_bag"] * 3, ["pkcs8_shrouded_key_bag"])

# name -> (safes: [(kind, algorithm, bag types)], shrouded key algorithm, MAC), as documented.
EXPECTED = {
    "MODERN": (
        [("encrypted_data", pbes2(2048, 8), CERTS_THEN_KEY[0]), ("data", None, CERTS_THEN_KEY[1])],
        pbes2(2048, 8), hmac_mac("sha256", 2048, 8),
    ),
    "MODERN_PBMAC1": (
        [("encrypted_data", pbes2(2048, 8), CERTS_THEN_KEY[0]), ("data", None, CERTS_THEN_KEY[1])],
        pbes2(2048, 8), None,  # checked in test_pbmac1_parameters
    ),
    "LEGACY_3DES": (
        [("encrypted_data", pkcs12_pbe("pkcs12_sha1_tripledes_3key"), CERTS_THEN_KEY[0]),
         ("data", None, CERTS_THEN_KEY[1])],
        pkcs12_pbe("pkcs12_sha1_tripledes_3key"), hmac_mac("sha1", 2048, 8),
    ),
    "LEGACY_RC2": (
        [("encrypted_data", pkcs12_pbe("pkcs12_sha1_rc2_40"), CERTS_THEN_KEY[0]), ("data", None, CERTS_THEN_KEY[1])],
        pkcs12_pbe("pkcs12_sha1_tripledes_3key"), hmac_mac("sha1", 2048, 8),
    ),
    "JAVA": (
        # keytool's order: the key safe first, then the encrypted certificates.
        [("data", None, CERTS_THEN_KEY[1]), ("encrypted_data", pbes2(10000, 20), CERTS_THEN_KEY[0])],
        pbes2(10000, 20), hmac_mac("sha256", 10000, 20),
    ),
}

# The same, as `openssl pkcs12 -info` (3.0) prints it on stderr (-nomacver: 3.0 has no PBMAC1).
OPENSSL_INFO = {
    "MODERN": ["MAC: sha256, Iteration 2048", "MAC length: 32, salt length: 8",
               "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256",
               "Certificate bag", "Certificate bag", "Certificate bag", "PKCS7 Data",
               "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"],
    "MODERN_PBMAC1": ["MAC: PBMAC1, Iteration 1", "MAC length: 32, salt length: 8",
                      "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256",
                      "Certificate bag", "Certificate bag", "Certificate bag", "PKCS7 Data",
                      "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"],
    "LEGACY_3DES": ["MAC: sha1, Iteration 2048", "MAC length: 20, salt length: 8",
                    "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048",
                    "Certificate bag", "Certificate bag", "Certificate bag", "PKCS7 Data",
                    "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"],
    "LEGACY_RC2": ["MAC: sha1, Iteration 2048", "MAC length: 20, salt length: 8",
                   "PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 2048",
                   "Certificate bag", "Certificate bag", "Certificate bag", "PKCS7 Data",
                   "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"],
    "JAVA": ["MAC: sha256, Iteration 10000", "MAC length: 32, salt length: 20", "PKCS7 Data",
             "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256",
             "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256",
             "Certificate bag", "Certificate bag", "Certificate bag"],
    "PASSWORDLESS": ["Warning: MAC is absent!", "PKCS7 Data", "Certificate bag", "Certificate bag",
                     "Certificate bag", "PKCS7 Data", "Key bag"],
}


def mac_summary(mac: dict | None) -> dict | None:
    if mac is None:
        return None
    return {"kind": mac["kind"], "digest": mac["digest"], "iterations": mac["iterations"],
            "salt_length": len(mac["salt"])}


def assert_walk(found: Walk, safes, key, mac) -> None:
    assert found.version == 3
    assert [(s.kind, s.algorithm, bag_types(s)) for s in found.safes] == safes
    shrouded = [bag.shroud for safe in found.safes for bag in safe.bags if bag.type == "pkcs8_shrouded_key_bag"]
    assert shrouded and all(s == key for s in shrouded)
    if mac is not None:
        assert mac_summary(found.mac) == mac


# --- named profiles ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_profile_writes_its_documented_parameters(name, identity, pki, request):
    if name == "LEGACY_RC2":
        request.getfixturevalue("openssl_tool")  # the walker decrypts RC2-40 with `openssl enc`
    data = pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.profiles.PROFILES[name])
    found = walk(data)
    assert_walk(found, *EXPECTED[name])
    # what was encrypted is what was given
    leaf = pki.leaf("p256")
    certs = [b.der for s in found.safes for b in s.bags if b.type == "cert_bag"]
    assert certs == [leaf.cert_der, *pki.chain_ders]
    assert [b.der for s in found.safes for b in s.bags if b.key_algorithm] == [leaf.key_der]


@pytest.mark.parametrize("name", sorted(OPENSSL_INFO))
def test_openssl_reports_the_same_parameters(name, identity, tmp_path, openssl_tool):
    path = tmp_path / f"{name}.p12"
    path.write_bytes(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.profiles.PROFILES[name]))
    args = ["pkcs12", "-info", "-noout", "-in", path, "-passin", "pass:" + PASSWORD]
    if name == "LEGACY_RC2":
        args += ["-legacy"]
    if name == "MODERN_PBMAC1":
        args += ["-nomacver"]  # OpenSSL 3.0 prints PBMAC1's name but cannot verify it (3.4 can)
    lines = [line for line in openssl(*args).stderr.decode().splitlines() if line.strip()]
    assert lines == OPENSSL_INFO[name]


def test_pbmac1_parameters(identity):
    """RFC 9579: PBMAC1 with PBKDF2 (hmacWithSHA256, keyLength 32) and HMAC-SHA-256; MacData's
    own salt is "NOT USED" and its iteration count the DEFAULT 1 (section 6, appendix A)."""
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN_PBMAC1))
    assert found.mac == {"kind": "pbmac1", "kdf": "pbkdf2", "prf": "sha256", "kdf_iterations": 2048,
                         "kdf_salt": 8, "key_length": 32, "digest": "sha256", "mac_length": 32,
                         "salt": b"NOT USED", "iterations": 1}


def test_passwordless_is_two_data_safes_with_a_plain_key_bag_and_no_mac(identity, pki):
    found = walk(pkcs12kit.dumps(identity, None, profile=pkcs12kit.PASSWORDLESS))
    assert [(s.kind, s.algorithm, bag_types(s)) for s in found.safes] == [
        ("data", None, ["cert_bag"] * 3), ("data", None, ["key_bag"])]
    assert found.mac is None
    assert found.safes[1].bags[0].der == pki.leaf("p256").key_der


def test_attributes_are_written_as_given(identity, pki):
    """friendlyName as a BMPString and localKeyId (SHA-1 of the leaf) on the key and its
    certificate; chain certificates carry nothing (RFC 2985 5.5.1, 5.5.2; OpenSSL's layout)."""
    import hashlib

    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.LEGACY_3DES))
    leaf_id = hashlib.sha1(pki.leaf("p256").cert_der).digest()
    leaf, *chain = found.safes[0].bags
    key = found.safes[1].bags[0]
    for bag in (leaf, key):
        assert bag.attributes == ("friendly_name", "local_key_id")
        assert bag.values == {"friendly_name": ["identity"], "local_key_id": [leaf_id]}
    assert [bag.attributes for bag in chain] == [(), ()]


def test_trust_store_marks_every_certificate(pki):
    found = walk(pkcs12kit.dumps(PKCS12.trust_store([pki.root.cert], ["root"]), PASSWORD, profile=pkcs12kit.JAVA))
    [safe] = found.safes
    [bag] = safe.bags
    assert bag.attributes == ("friendly_name", "trusted_key_usage")
    assert bag.values["trusted_key_usage"] == ["any_extended_key_usage"]  # 2.5.29.37.0, asn1crypto's name


# --- modified profiles ---------------------------------------------------------------------


def test_with_iterations_writes_the_count_everywhere(identity):
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN.with_iterations(1234)))
    assert_walk(found, [("encrypted_data", pbes2(1234, 8), CERTS_THEN_KEY[0]), ("data", None, CERTS_THEN_KEY[1])],
                pbes2(1234, 8), hmac_mac("sha256", 1234, 8))
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.LEGACY_3DES.with_iterations(1234)))
    tdes = pkcs12_pbe("pkcs12_sha1_tripledes_3key", 1234)
    assert_walk(found, [("encrypted_data", tdes, CERTS_THEN_KEY[0]), ("data", None, CERTS_THEN_KEY[1])],
                tdes, hmac_mac("sha1", 1234, 8))


def test_with_iterations_reaches_pbmac1_pbkdf2(identity):
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN_PBMAC1.with_iterations(1234)))
    assert found.mac["kdf_iterations"] == 1234
    assert found.mac["iterations"] == 1  # MacData's field stays the unused DEFAULT (RFC 9579 section 6)
    assert found.safes[0].algorithm == pbes2(1234, 8)


def test_with_salt_length_writes_the_length_everywhere(identity):
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN.with_salt_length(16)))
    assert_walk(found, [("encrypted_data", pbes2(2048, 16), CERTS_THEN_KEY[0]), ("data", None, CERTS_THEN_KEY[1])],
                pbes2(2048, 16), hmac_mac("sha256", 2048, 16))


@pytest.mark.parametrize("digest, length", [("sha512", 64), ("sha384", 48), ("sha1", 20)])
def test_with_mac_digest(identity, digest, length):
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN.with_mac(digest=digest)))
    assert mac_summary(found.mac) == hmac_mac(digest, 2048, 8)
    assert found.mac["mac_length"] == length


def test_with_mac_none_writes_no_mac_data(identity):
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN.with_mac(None)))
    assert found.mac is None
    assert found.safes[0].algorithm == pbes2(2048, 8)


def test_single_layout_is_one_encrypted_safe_with_keys_and_certs(identity):
    """layout "single": one encryptedData holding the certificates and the key, as the Cisco ASA
    exports (docs/cisco-formats.md#asa-export-encoding)."""
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.LEGACY_3DES.with_layout("single")))
    tdes = pkcs12_pbe("pkcs12_sha1_tripledes_3key")
    assert [(s.kind, s.algorithm, bag_types(s)) for s in found.safes] == [
        ("encrypted_data", tdes, ["cert_bag"] * 3 + ["pkcs8_shrouded_key_bag"])]


def test_key_and_cert_protection_none(identity):
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN.with_key_protection(None)))
    assert [(s.kind, bag_types(s)) for s in found.safes] == [("encrypted_data", ["cert_bag"] * 3),
                                                             ("data", ["key_bag"])]
    found = walk(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN.with_cert_protection(None)))
    assert [(s.kind, s.algorithm, bag_types(s)) for s in found.safes] == [
        ("data", None, ["cert_bag"] * 3), ("data", None, ["pkcs8_shrouded_key_bag"])]


def test_other_protections_are_written(identity, tmp_path, openssl_tool):
    """Schemes beyond the named profiles: PBES2 with scrypt (RFC 7914 section 7), PBKDF2 with
    hmacWithSHA512, RC2-40 for keys too; each written as asked and read by OpenSSL 3.0."""
    scrypt = Protection("pbes2", cipher="aes256_cbc", kdf="scrypt", salt_length=16, scrypt_n=1024, scrypt_r=8,
                        scrypt_p=1)
    sha512 = Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", prf="sha512", iterations=1000, salt_length=8)
    profile = pkcs12kit.MODERN.with_key_protection(scrypt).with_cert_protection(sha512)
    data = pkcs12kit.dumps(identity, PASSWORD, profile=profile)
    found = walk(data)
    assert [(s.kind, s.algorithm, bag_types(s)) for s in found.safes] == [
        ("encrypted_data", {"scheme": "pbes2", "cipher": "aes256_cbc", "iv": 16, "kdf": "pbkdf2", "prf": "sha512",
                            "iterations": 1000, "salt": 8, "key_length": None}, ["cert_bag"] * 3),
        ("data", None, ["pkcs8_shrouded_key_bag"]),
    ]
    assert found.safes[1].bags[0].shroud == {"scheme": "pbes2", "cipher": "aes256_cbc", "iv": 16, "kdf": "scrypt",
                                             "salt": 16, "n": 1024, "r": 8, "p": 1}
    path = tmp_path / "other.p12"
    path.write_bytes(data)
    err = openssl("pkcs12", "-info", "-noout", "-in", path, "-passin", "pass:" + PASSWORD).stderr.decode()
    assert "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 1000, PRF hmacWithSHA512" in err
    assert "Shrouded Keybag: PBES2, scrypt, AES-256-CBC, Salt length: 16, Cost(N): 1024, Block size(r): 8, Parallelism(p): 1" in err


def test_md2_pbes1_cannot_be_written(identity):
    """MD2 is not in hashlib (nor OpenSSL 3), so pbeWithMD2AndDES-CBC is read-nowhere, write-never."""
    md2 = Protection("pbes1_md2_des", cipher="des", kdf="pbkdf1", prf="md2", iterations=2048, salt_length=8)
    with pytest.raises(pkcs12kit.EncodeError):
        pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN.with_key_protection(md2))



# Every outer PBE scheme (RFC 7292 appendix C, RFC 8018 section 6.1): (cipher, kdf, hash).
WRITABLE_SCHEMES = {
    "pkcs12_sha1_rc4_128": ("rc4", "pkcs12", "sha1"),
    "pkcs12_sha1_rc4_40": ("rc4", "pkcs12", "sha1"),
    "pkcs12_sha1_tripledes_3key": ("tripledes_3key", "pkcs12", "sha1"),
    "pkcs12_sha1_tripledes_2key": ("tripledes_2key", "pkcs12", "sha1"),
    "pkcs12_sha1_rc2_128": ("rc2", "pkcs12", "sha1"),
    "pkcs12_sha1_rc2_40": ("rc2", "pkcs12", "sha1"),
    "pbes1_md5_des": ("des", "pbkdf1", "md5"),
    "pbes1_sha1_des": ("des", "pbkdf1", "sha1"),
    "pbes1_md5_rc2": ("rc2", "pbkdf1", "md5"),
    "pbes1_sha1_rc2": ("rc2", "pbkdf1", "sha1"),
}


@pytest.mark.parametrize("scheme", sorted(WRITABLE_SCHEMES))
def test_every_legacy_scheme_can_be_written(scheme, identity, tmp_path, openssl_tool):
    """docs/profiles.md claims every scheme pkcs12kit reads, it can write (md2 aside): each is
    written where asked and read by OpenSSL 3.0 with its legacy provider."""
    cipher, kdf, digest = WRITABLE_SCHEMES[scheme]
    protection = Protection(scheme, cipher=cipher, kdf=kdf, prf=digest, iterations=2048, salt_length=8)
    profile = pkcs12kit.LEGACY_3DES.with_key_protection(protection).with_cert_protection(protection)
    data = pkcs12kit.dumps(identity, PASSWORD, profile=profile)
    pfx = asn1_pkcs12.Pfx.load(data)
    cert_alg = pfx.authenticated_safe[0]["content"]["encrypted_content_info"]["content_encryption_algorithm"]
    key_bag = asn1_pkcs12.SafeContents.load(pfx.authenticated_safe[1]["content"].native)[0]
    assert describe_pbe(cert_alg) == describe_pbe(key_bag["bag_value"]["encryption_algorithm"]) == {
        "scheme": scheme, "iterations": 2048, "salt": 8}
    path = tmp_path / "scheme.p12"
    path.write_bytes(data)
    proc = openssl("pkcs12", "-info", "-nodes", "-in", path, "-passin", "pass:" + PASSWORD, *LEGACY_PROVIDERS)
    assert proc.stdout.count(b"-----BEGIN CERTIFICATE-----") == 3
    assert proc.stdout.count(b"-----BEGIN PRIVATE KEY-----") == 1


# --- the IOS-XE export ---------------------------------------------------------------------


def iosxe_export() -> bytes:
    """The base64 between ``Exported pkcs12 follows:`` and the first blank line (docs/cisco-formats.md#ios-xe-export)."""
    text = (VECTORS / "cisco" / "iosxe-export-pkcs12-terminal.txt").read_text()
    body = text.split("Exported pkcs12 follows:\n", 1)[1].split("\n\n", 1)[0]
    return base64.b64decode("".join(body.split()))


def shape_of(found: Walk) -> list:
    """Safe kinds and algorithms, bag types, attribute types and key algorithms — no salts or
    values, which differ between any two files."""
    out = []
    for safe in found.safes:
        out.append((safe.kind, safe.algorithm, [(bag.shape, bag.shroud) for bag in safe.bags]))
    return out


def test_legacy_3des_has_the_shape_of_the_iosxe_export(pki):
    """LEGACY_3DES writes what the IOS-XE export holds: encryptedData (3DES, 2048 iterations,
    8-byte salt) with the leaf (localKeyID only) and the CA (no attributes), then a data safe
    with one 3DES pkcs8ShroudedKeyBag carrying the same localKeyID. The MAC differs on purpose:
    IOS-XE writes HMAC-SHA-256, LEGACY_3DES HMAC-SHA-1 (what IOS-XE <= 17.9 and the ASA accept,
    docs/cisco-formats.md#algorithms-accepted); ``LEGACY_3DES.with_mac(digest="sha256")`` matches the device exactly."""
    device = walk(iosxe_export(), "cisco123")
    leaf = pki.leaf("rsa2048")
    ours_p12 = PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.root.cert])
    ours = walk(pkcs12kit.dumps(ours_p12, PASSWORD, profile=pkcs12kit.LEGACY_3DES))
    tdes = pkcs12_pbe("pkcs12_sha1_tripledes_3key")
    expected = [
        ("encrypted_data", tdes, [(("cert_bag", ("local_key_id",), None), None), (("cert_bag", (), None), None)]),
        ("data", None, [(("pkcs8_shrouded_key_bag", ("local_key_id",), "rsa"), tdes)]),
    ]
    assert shape_of(device) == expected
    assert shape_of(ours) == expected
    for found in (device, ours):
        cert_id = found.safes[0].bags[0].values["local_key_id"]
        assert found.safes[1].bags[0].values["local_key_id"] == cert_id
        assert len(cert_id[0]) == 20
    assert mac_summary(device.mac) == hmac_mac("sha256", 2048, 8)
    assert mac_summary(ours.mac) == hmac_mac("sha1", 2048, 8)
    same = walk(pkcs12kit.dumps(ours_p12, PASSWORD, profile=pkcs12kit.LEGACY_3DES.with_mac(digest="sha256")))
    assert shape_of(same) == expected
    assert mac_summary(same.mac) == mac_summary(device.mac)


# --- determinism ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(pkcs12kit.profiles.PROFILES))
def test_seeded_random_gives_identical_bytes(name, identity):
    profile = pkcs12kit.profiles.PROFILES[name]
    first = pkcs12kit.dumps(identity, PASSWORD, profile=profile, random=random.Random(7))
    second = pkcs12kit.dumps(identity, PASSWORD, profile=profile, random=random.Random(7))
    other = pkcs12kit.dumps(identity, PASSWORD, profile=profile, random=random.Random(8))
    assert first == second
    if name == "PASSWORDLESS":
        assert other == first  # no salt, no IV: nothing random to draw
    else:
        assert other != first
    assert pkcs12kit.loads(first, PASSWORD) == identity


def test_salts_and_ivs_are_fresh_per_safe_and_key(identity):
    """Every PBE and the MAC draw their own salt (RFC 8018 section 4.1: a salt per derivation)."""
    pfx = asn1_pkcs12.Pfx.load(pkcs12kit.dumps(identity, PASSWORD, profile=pkcs12kit.MODERN))
    cert_alg = pfx.authenticated_safe[0]["content"]["encrypted_content_info"]["content_encryption_algorithm"]
    key_bag = asn1_pkcs12.SafeContents.load(pfx.authenticated_safe[1]["content"].native)[0]
    key_alg = key_bag["bag_value"]["encryption_algorithm"]
    salts = {cert_alg.kdf_salt, key_alg.kdf_salt, pfx["mac_data"]["mac_salt"].native}
    ivs = {cert_alg.encryption_iv, key_alg.encryption_iv}
    assert len(salts) == 3 and len(ivs) == 2

