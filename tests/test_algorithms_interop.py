"""Issue 14: every PBES2 cipher and MAC hash `openssl pkcs12 -export` (3.0) takes, two passwords
(`-twopass`), and nested safeContents bags, written by pkcs12kit and read by OpenSSL.

(Decoding what openssl writes is in tests/test_decode_openssl.py: PKCS12_PBE, MAC_DIGESTS.)

Independent truth: the ``openssl`` program (its ``pkcs12 -info -nodes`` output must hold exactly
the key and certificates fed in, and its MAC check must pass), ``cryptography`` as the oracle for
PBKDF2 with the SHA-3 and SM3 PRFs (OpenSSL 3.0 reads neither in PBES2), and files built by
tests/craft.py (hand-written DER) for nested bags. `openssl pkcs12 -twopass` reads both
passwords from the terminal only, so those runs go through a pseudo-terminal
(`tools.run_with_terminal`).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from asn1crypto import core
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

import craft
import pkcs12kit
from pkcs12kit import MODERN, BadPasswordError, EncodeError, Protection, UnsupportedAlgorithmError
from pkcs12kit import pbe
from pkcs12kit.kdf import Password
from tools import LEGACY_PROVIDERS, key_pkcs8, openssl, run_with_terminal

CRAFTED = Path(__file__).parent / "vectors" / "crafted"
PASSWORD = "Secret-123"
MAC_PASSWORD = "integrity-456"

# Protection.cipher → what `openssl pkcs12 -info` prints, and whether it needs the legacy provider.
CIPHERS = {
    "camellia128_cbc": ("CAMELLIA-128-CBC", False),
    "camellia192_cbc": ("CAMELLIA-192-CBC", False),
    "camellia256_cbc": ("CAMELLIA-256-CBC", False),
    "aria128_cbc": ("ARIA-128-CBC", False),
    "aria192_cbc": ("ARIA-192-CBC", False),
    "aria256_cbc": ("ARIA-256-CBC", False),
    "sm4_cbc": ("SM4-CBC", False),
    "seed_cbc": ("SEED-CBC", True),
}
# MacSpec.digest → what `openssl pkcs12 -info` prints.
MAC_DIGESTS = {
    "sha3_224": "sha3-224", "sha3_256": "sha3-256", "sha3_384": "sha3-384", "sha3_512": "sha3-512",
    "sm3": "sm3", "md5": "md5",
}

MAC_WRONG = "macData: MAC verification failed (wrong MAC (integrity) password, or corrupted file)"
PRIVACY_WRONG = (
    "authSafe[0] encryptedData: decryption failed (wrong privacy (encryption) password, or corrupted data)"
)


@pytest.fixture(autouse=True)
def _openssl(openssl_tool):
    """Every test here needs openssl (missing → skip, or fail when CI=true)."""


def _identity(pki, kind="p256") -> pkcs12kit.PKCS12:
    leaf = pki.leaf(kind)
    return pkcs12kit.PKCS12.build(key=leaf.key_der, certificate=leaf.cert_der, chain=pki.chain_ders,
                                  friendly_name="issue 14")


_PEM = re.compile(r"-----BEGIN ([A-Z ]+)-----\n(.*?)-----END \1-----", re.S)


def _pem_blocks(text: str) -> list[tuple[str, bytes]]:
    return [(label, base64.b64decode(body)) for label, body in _PEM.findall(text)]


def _assert_openssl_holds(text: str, pki, kind="p256") -> None:
    """`openssl pkcs12 -nodes` output holds exactly the key, leaf and chain that were fed in."""
    leaf = pki.leaf(kind)
    blocks = _pem_blocks(text)
    keys = [key_pkcs8(serialization.load_der_private_key(der, None)) for label, der in blocks
            if label == "PRIVATE KEY"]
    certs = [der for label, der in blocks if label == "CERTIFICATE"]
    assert keys == [leaf.key_der]
    assert certs == [leaf.cert_der, *pki.chain_ders]


def _openssl_info(path, password=PASSWORD, *, legacy=False) -> str:
    providers = list(LEGACY_PROVIDERS) if legacy else []
    proc = openssl("pkcs12", "-info", "-nodes", *providers, "-in", str(path), "-passin", f"pass:{password}")
    return proc.stdout.decode() + proc.stderr.decode()


# --- ciphers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cipher", list(CIPHERS))
def test_written_cipher_is_read_by_openssl(tmp_path, pki, cipher):
    printed, legacy = CIPHERS[cipher]
    protection = Protection("pbes2", cipher=cipher, kdf="pbkdf2", prf="sha256", iterations=1000, salt_length=8)
    profile = MODERN.with_key_protection(protection).with_cert_protection(protection)
    path = tmp_path / f"{cipher}.p12"
    path.write_bytes(pkcs12kit.dumps(_identity(pki), PASSWORD, profile=profile))
    text = _openssl_info(path, legacy=legacy)
    assert f"PKCS7 Encrypted data: PBES2, PBKDF2, {printed}, Iteration 1000" in text
    assert f"Shrouded Keybag: PBES2, PBKDF2, {printed}, Iteration 1000" in text
    _assert_openssl_holds(text, pki)
    again = pkcs12kit.loads(path.read_bytes(), PASSWORD)
    assert again.keys[0].protection == protection
    assert again.safes[0].protection == protection


def test_oscrypto_provider_names_the_cipher_it_lacks():
    provider = pkcs12kit.ciphers.get_provider("oscrypto")
    for cipher in ("camellia", "sm4", "seed"):
        with pytest.raises(UnsupportedAlgorithmError, match=f"{cipher}-cbc: the oscrypto provider does not have"):
            provider.cbc_decrypt(cipher, bytes(16), bytes(16), bytes(16))
    # ARIA is pure Python whichever provider is chosen: the same bytes as the default one.
    data = bytes(range(64))
    assert provider.cbc_encrypt("aria", bytes(32), bytes(16), data) == \
        pkcs12kit.ciphers.get_provider("cryptography").cbc_encrypt("aria", bytes(32), bytes(16), data)


@pytest.mark.parametrize("key_length, cipher", [(8, "camellia"), (24, "sm4"), (32, "seed"), (20, "aria")])
def test_wrong_key_sizes_are_refused(key_length, cipher):
    with pytest.raises(pkcs12kit.MalformedError, match=f"{cipher}-cbc: key is {key_length} bytes"):
        pkcs12kit.ciphers.get_provider().cbc_encrypt(cipher, bytes(key_length), bytes(16), bytes(16))


# --- PBKDF2 PRFs: SHA-3 and SM3 ------------------------------------------------------------

# PRF → (dotted OID of its hmacWith*, cryptography's hash).
PRFS = {
    "sha3_224": ("2.16.840.1.101.3.4.2.13", hashes.SHA3_224()),
    "sha3_256": ("2.16.840.1.101.3.4.2.14", hashes.SHA3_256()),
    "sha3_384": ("2.16.840.1.101.3.4.2.15", hashes.SHA3_384()),
    "sha3_512": ("2.16.840.1.101.3.4.2.16", hashes.SHA3_512()),
    "sm3": ("1.2.156.10197.1.401.3.1", hashes.SM3()),
}


@pytest.mark.parametrize("prf", list(PRFS))
def test_pbkdf2_prf_matches_cryptography(prf):
    """pkcs12kit's PBES2 with an hmacWithSHA3-*/hmacWithSM3 PRF, decrypted by cryptography alone."""
    dotted, hash_algorithm = PRFS[prf]
    plaintext = b"PKCS#8 stand-in " * 5
    salt, iv = b"0123456789abcdef", bytes(range(16))
    protection = Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", prf=prf, iterations=1000)
    algorithm_der, ciphertext = pbe.encrypt(protection, plaintext, Password(PASSWORD).forms()[0],
                                            salt=salt, iv=iv)
    # The PRF's OID, read with asn1crypto's generic parser: PBES2-params → keyDerivationFunc →
    # PBKDF2-params → prf AlgorithmIdentifier.
    pbkdf2_params = core.Sequence.load(algorithm_der)[1][0][1]
    assert pbkdf2_params[2][0].dotted == dotted
    key = PBKDF2HMAC(hash_algorithm, 32, salt, 1000).derive(PASSWORD.encode())
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    assert unpadder.update(padded) + unpadder.finalize() == plaintext
    again, decoded = pbe.decrypt(algorithm_der, ciphertext, Password(PASSWORD).forms()[0],
                                 budget=pkcs12kit.limits.WorkBudget(pkcs12kit.limits.DEFAULT_LIMITS), where="t")
    assert again == plaintext and decoded.prf == prf


@pytest.mark.parametrize("prf", ["sha3_256", "sm3"])
def test_openssl_30_does_not_read_these_prfs(tmp_path, prf):
    """The documented limitation (docs/algorithms.md#who-reads-what): OpenSSL 3.0 has no PBKDF2
    with HMAC-SHA3 or HMAC-SM3, so it cannot check what pkcs12kit writes; cryptography does."""
    epki = pkcs12kit.api.encrypt_private_key(
        craft.identity()[0], PASSWORD,
        protection=Protection("pbes2", cipher="aes256_cbc", kdf="pbkdf2", prf=prf, iterations=10, salt_length=8),
    )
    path = tmp_path / "key.der"
    path.write_bytes(epki)
    proc = openssl("pkcs8", "-inform", "DER", "-in", str(path), "-passin", f"pass:{PASSWORD}", check=False)
    assert proc.returncode != 0 and b"unsupported prf" in proc.stderr


# --- MAC hashes ------------------------------------------------------------------------------


@pytest.mark.parametrize("digest", list(MAC_DIGESTS))
def test_written_mac_is_verified_by_openssl(tmp_path, pki, digest):
    path = tmp_path / f"{digest}.p12"
    profile = MODERN.with_mac(digest=digest, iterations=1000, allow_weak=(digest == "md5"))
    path.write_bytes(pkcs12kit.dumps(_identity(pki), PASSWORD, profile=profile))
    text = _openssl_info(path)  # exits non-zero on "Mac verify error"
    assert f"MAC: {MAC_DIGESTS[digest]}, Iteration 1000" in text
    _assert_openssl_holds(text, pki)
    proc = openssl("pkcs12", "-info", "-noout", "-in", str(path), "-passin", "pass:wrong", check=False)
    assert proc.returncode != 0 and b"Mac verify error" in proc.stderr
    assert pkcs12kit.loads(path.read_bytes(), PASSWORD).mac.digest == digest


def test_md5_mac_needs_the_explicit_opt_in(pki):
    with pytest.raises(EncodeError) as caught:
        pkcs12kit.dumps(_identity(pki), PASSWORD, profile=MODERN.with_mac(digest="md5"))
    assert str(caught.value) == (
        "macData: md5 is a weak MAC hash; pass MacSpec(..., allow_weak=True) to write it anyway "
        "(docs/algorithms.md#weak-macs)"
    )


# --- two passwords (-twopass) ------------------------------------------------------------------


def _openssl_twopass_export(tmp_path, pki, *options) -> bytes:
    leaf = pki.leaf()
    path = tmp_path / "twopass-openssl.p12"
    code, output = run_with_terminal(
        ["openssl", "pkcs12", "-export", "-twopass", "-in", leaf.cert_path, "-inkey", leaf.key_path,
         "-certfile", pki.chain_path, "-out", path, *options],
        {"Enter MAC Password:": MAC_PASSWORD, "Enter Export Password:": PASSWORD},
    )
    assert code == 0, output
    return path.read_bytes()


@pytest.mark.parametrize("options", [(), ("-keypbe", "aria-256-cbc", "-macalg", "sm3")], ids=["default", "aria-sm3"])
def test_openssl_twopass_file_decodes(tmp_path, pki, options):
    data = _openssl_twopass_export(tmp_path, pki, *options)
    p12 = pkcs12kit.loads(data, PASSWORD, mac_password=MAC_PASSWORD)
    leaf = pki.leaf()
    assert p12.mac_verified
    assert [k.der for k in p12.keys] == [leaf.key_der]
    assert [c.der for c in p12.certificates] == [leaf.cert_der, *pki.chain_ders]
    # Each wrong password is named; one password for both is a wrong MAC password.
    with pytest.raises(BadPasswordError) as caught:
        pkcs12kit.loads(data, PASSWORD, mac_password=MAC_PASSWORD + "x")
    assert str(caught.value) == MAC_WRONG
    with pytest.raises(BadPasswordError) as caught:
        pkcs12kit.loads(data, PASSWORD + "x", mac_password=MAC_PASSWORD)
    assert str(caught.value) == PRIVACY_WRONG
    with pytest.raises(BadPasswordError):
        pkcs12kit.loads(data, PASSWORD)
    # Without the MAC, the privacy password alone opens it.
    assert pkcs12kit.loads(data, PASSWORD, verify_mac=False).keys[0].der == leaf.key_der


def test_twopass_file_written_is_read_by_openssl(tmp_path, pki):
    path = tmp_path / "twopass.p12"
    pkcs12kit.dump(_identity(pki), path, PASSWORD, mac_password=MAC_PASSWORD)
    code, output = run_with_terminal(
        ["openssl", "pkcs12", "-info", "-nodes", "-twopass", "-in", path],
        {"Enter MAC Password:": MAC_PASSWORD, "Enter Import Password:": PASSWORD},
    )
    assert code == 0, output
    assert "MAC: sha256, Iteration 2048" in output
    _assert_openssl_holds(output.replace("\r\n", "\n"), pki)
    # One password is not enough for openssl either.
    proc = openssl("pkcs12", "-info", "-noout", "-in", str(path), "-passin", f"pass:{PASSWORD}", check=False)
    assert proc.returncode != 0 and b"Mac verify error" in proc.stderr
    again = pkcs12kit.load(path, PASSWORD, mac_password=MAC_PASSWORD)
    assert again.mac_verified and again.keys[0].der == pki.leaf().key_der


def test_mac_password_type_is_checked(pki):
    with pytest.raises(TypeError, match="mac_password must be str, bytes or None"):
        pkcs12kit.dumps(_identity(pki), PASSWORD, mac_password=123)
    with pytest.raises(TypeError, match="mac_password must be str, bytes or None"):
        pkcs12kit.loads(b"\x30\x00", PASSWORD, mac_password=123)


# --- nested safeContents bags ------------------------------------------------------------------


def _nested_file(pki, password=PASSWORD) -> bytes:
    """SafeContents { cert(leaf), safeContentsBag "outer" { key, safeContentsBag { cert(CA1) } },
    cert(CA2) } in one data safe, HMAC-SHA256 MAC: DER written by hand (tests/craft.py)."""
    leaf = pki.leaf()
    ca1, ca2 = pki.chain_ders
    named = craft.set_of(craft.attribute("friendly_name", craft.bmp("outer")))
    inner = craft.safe_bag("safe_contents_bag", craft.safe_contents(craft.cert_bag(ca1)))
    outer = craft.safe_bag("safe_contents_bag", craft.safe_contents(craft.key_bag(leaf.key_der), inner), named)
    content = craft.auth_safe(craft.data_ci(craft.safe_contents(craft.cert_bag(leaf.cert_der), outer,
                                                                craft.cert_bag(ca2))))
    return craft.pfx(content, craft.hmac_mac_data(content, password))


def _nesting_shape(p12):
    def shape(node):
        return (node.first, node.count, tuple(a.oid for a in node.attributes), tuple(map(shape, node.nested)))

    return [tuple(map(shape, safe.nesting)) for safe in p12.safes]


_BAG_LINE = re.compile(r"^(Certificate bag|Safe Contents bag|Key bag|Shrouded Keybag)", re.M)
EXPECTED_NESTING = [((1, 2, ("1.2.840.113549.1.9.20",), ((2, 1, (), ()),)),)]


@pytest.mark.parametrize("profile", ["as-decoded", "modern-as-decoded"])
def test_nested_bags_are_written_nested(tmp_path, pki, profile):
    p12 = pkcs12kit.loads(_nested_file(pki), PASSWORD)
    leaf = pki.leaf()
    ca1, ca2 = pki.chain_ders
    assert [e.der for e in p12.entries] == [leaf.cert_der, leaf.key_der, ca1, ca2]
    assert _nesting_shape(p12) == EXPECTED_NESTING
    assert p12.profile.name == "custom" and p12.profile.layout == "as-decoded"
    chosen = p12.profile if profile == "as-decoded" else MODERN.with_layout("as-decoded")
    path = tmp_path / "nested.p12"
    path.write_bytes(pkcs12kit.dumps(p12, PASSWORD, profile=chosen))
    text = _openssl_info(path)
    # openssl announces each bag as it walks into the nested SafeContents, in file order.
    key_bag = "Key bag" if profile == "as-decoded" else "Shrouded Keybag"  # MODERN shrouds keys
    assert _BAG_LINE.findall(text) == ["Certificate bag", "Safe Contents bag", key_bag, "Safe Contents bag",
                                       "Certificate bag", "Certificate bag"]
    assert "Bag Attributes\n    friendlyName: outer\n" in text  # the outer bag's own attribute
    blocks = _pem_blocks(text)
    assert [label for label, _ in blocks] == ["CERTIFICATE", "PRIVATE KEY", "CERTIFICATE", "CERTIFICATE"]
    assert [der for label, der in blocks if label == "CERTIFICATE"] == [leaf.cert_der, ca1, ca2]
    again = pkcs12kit.loads(path.read_bytes(), PASSWORD)
    assert [e.der for e in again.entries] == [e.der for e in p12.entries]
    assert _nesting_shape(again) == EXPECTED_NESTING


def test_named_profiles_still_flatten(tmp_path, pki):
    p12 = pkcs12kit.loads(_nested_file(pki), PASSWORD)
    path = tmp_path / "flat.p12"
    path.write_bytes(pkcs12kit.dumps(p12, PASSWORD, profile=MODERN))
    text = _openssl_info(path)
    assert "Safe Contents bag" not in text
    assert _nesting_shape(pkcs12kit.loads(path.read_bytes(), PASSWORD)) == [(), ()]


def test_crafted_nested_vector_round_trips(tmp_path):
    """tests/vectors/crafted/safecontents-nested-with-attributes.p12 (made by make.py)."""
    data = (CRAFTED / "safecontents-nested-with-attributes.p12").read_bytes()
    p12 = pkcs12kit.loads(data, "pw")
    path = tmp_path / "again.p12"
    path.write_bytes(pkcs12kit.dumps(p12, "pw", profile=p12.profile))
    text = _openssl_info(path, "pw")
    assert "Safe Contents bag" in text and "friendlyName: nest" in text
    assert _nesting_shape(pkcs12kit.loads(path.read_bytes(), "pw")) == _nesting_shape(p12)


# --- the command: --macpass ------------------------------------------------------------------


def _cli(*args, input: bytes = b""):
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "PKCS12KIT_DEBUG"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1]) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "pkcs12kit", *map(str, args)], input=input,
                          capture_output=True, env=env, timeout=60)


def test_cli_macpass_reads_twopass_files_and_names_the_wrong_password(tmp_path, pki):
    data = _openssl_twopass_export(tmp_path, pki)
    path = tmp_path / "in.p12"
    path.write_bytes(data)
    proc = _cli("info", path, "--passin", f"pass:{PASSWORD}", "--macpass", f"env:NOPE_{id(path)}")
    assert proc.returncode == 2 and b"--macpass env:" in proc.stderr
    proc = _cli("info", path, "--passin", f"pass:{PASSWORD}", "--macpass", f"pass:{MAC_PASSWORD}")
    assert proc.returncode == 0, proc.stderr
    assert b"verified" in proc.stdout
    proc = _cli("info", path, "--passin", f"pass:{PASSWORD}", "--macpass", "pass:wrong")
    assert proc.returncode == 4 and MAC_WRONG.encode() in proc.stderr
    proc = _cli("info", path, "--passin", "pass:wrong", "--macpass", f"pass:{MAC_PASSWORD}")
    assert proc.returncode == 4 and PRIVACY_WRONG.encode() in proc.stderr
    # One file:/stdin source: line 1 is --passin, line 2 --macpass (openssl's order).
    proc = _cli("info", path, "--passin", "stdin", "--macpass", "stdin",
                input=f"{PASSWORD}\n{MAC_PASSWORD}\n".encode())
    assert proc.returncode == 0, proc.stderr
    # repack writes one password (what Cisco devices import); openssl reads it with -passin.
    out = tmp_path / "one.p12"
    proc = _cli("repack", path, "-o", out, "--passin", f"pass:{PASSWORD}", "--macpass", f"pass:{MAC_PASSWORD}")
    assert proc.returncode == 0, proc.stderr
    _assert_openssl_holds(_openssl_info(out), pki)


def test_cli_create_writes_a_twopass_file(tmp_path, pki):
    leaf = pki.leaf()
    out = tmp_path / "created.p12"
    proc = _cli("create", "-o", out, "--key", leaf.key_path, "--cert", leaf.cert_path, "--chain", pki.chain_path,
                "--passout", f"pass:{PASSWORD}", "--macpass", f"pass:{MAC_PASSWORD}")
    assert proc.returncode == 0, proc.stderr
    code, output = run_with_terminal(
        ["openssl", "pkcs12", "-info", "-nodes", "-twopass", "-in", out],
        {"Enter MAC Password:": MAC_PASSWORD, "Enter Import Password:": PASSWORD},
    )
    assert code == 0, output
    _assert_openssl_holds(output.replace("\r\n", "\n"), pki)


# --- import targets ----------------------------------------------------------------------------


_CAMELLIA = Protection("pbes2", cipher="camellia256_cbc", kdf="pbkdf2", prf="sha256", iterations=1000, salt_length=8)


@pytest.mark.parametrize("what, profile, code", [
    ("camellia", MODERN.with_key_protection(_CAMELLIA).with_cert_protection(_CAMELLIA), "pbes2-cipher-unsupported"),
    ("sm3-mac", MODERN.with_mac(digest="sm3"), "mac-hash-unsupported"),
])
def test_java17_target_matches_keytool(tmp_path, pki, keytool_tool, what, profile, code):
    """The java17 target's rule is what JDK 17's keytool does with the same file."""
    from pkcs12kit import targets
    from tools import keytool

    path = tmp_path / f"{what}.p12"
    path.write_bytes(pkcs12kit.dumps(_identity(pki), PASSWORD, profile=profile))
    proc = keytool("-list", "-keystore", path, "-storetype", "pkcs12", "-storepass", PASSWORD, check=False)
    assert proc.returncode != 0 and b"keytool error" in proc.stdout + proc.stderr
    findings = targets.check(pkcs12kit.load(path, PASSWORD), "java17", password=PASSWORD)
    assert (code, "error") in {(f.code, f.severity) for f in findings}


def test_openssl3_target_needs_the_legacy_provider_for_seed_only(pki):
    from pkcs12kit import targets

    for cipher, needs_legacy in (("seed_cbc", True), ("camellia128_cbc", False), ("aria256_cbc", False),
                                 ("sm4_cbc", False)):
        protection = Protection("pbes2", cipher=cipher, kdf="pbkdf2", prf="sha256", iterations=10, salt_length=8)
        data = pkcs12kit.dumps(_identity(pki), PASSWORD, profile=MODERN.with_key_protection(protection))
        codes = {f.code for f in targets.check(pkcs12kit.loads(data, PASSWORD), "openssl3-no-legacy",
                                               password=PASSWORD)}
        assert ("legacy-provider-required" in codes) == needs_legacy, cipher
        # ... as openssl itself shows: without the legacy provider only SEED fails.
        proc = openssl("pkcs12", "-nodes", "-passin", f"pass:{PASSWORD}", input=data, check=False)
        assert (proc.returncode != 0) == needs_legacy, (cipher, proc.stderr)
