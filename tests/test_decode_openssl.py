"""Decode files written by ``openssl pkcs12 -export`` (OpenSSL 3.x) at test time.

Every expected value comes from what was fed to openssl (keys and certificates made with
``cryptography``, the options passed) or is computed here independently (localKeyId = SHA-1 of
the leaf certificate DER, as OpenSSL's PKCS12_create sets it).
"""

from __future__ import annotations

import pytest

import pkcs12kit
from tools import openssl, openssl_export, sha1

PASSWORD = "pkcs12kit-test"

# OpenSSL 3 defaults (PKCS12_DEFAULT_ITER, PKCS5_SALT_LEN, apps/pkcs12.c defaults).
DEFAULT_ITER = 2048
SALT_LEN = 8


@pytest.fixture(autouse=True)
def _openssl(openssl_tool):
    """Every test here needs openssl (missing → skip, or fail when CI=true)."""


def _export(tmp_path, pki, *, kind="p256", password=PASSWORD, options=(), chain=True,
            keys=True, certs=True, legacy=False, name="out"):
    leaf = pki.leaf(kind)
    return openssl_export(
        tmp_path / f"{name}.p12",
        password=password,
        key=leaf.key_path if keys else None,
        cert=leaf.cert_path if certs else None,
        certfile=pki.chain_path if (chain and certs) else None,
        options=options,
        legacy=legacy,
    )


def _assert_identity(p12, pki, kind="p256", *, chain=True, leaf_name=None, ca_names=(None, None)):
    """The decoded file holds exactly the key, leaf and chain that were given to openssl."""
    leaf = pki.leaf(kind)
    expected_certs = [leaf.cert_der] + (pki.chain_ders if chain else [])
    assert [k.der for k in p12.keys] == [leaf.key_der]
    assert [c.der for c in p12.certificates] == expected_certs
    key_id = sha1(leaf.cert_der)
    assert p12.keys[0].local_key_id == key_id
    assert p12.certificates[0].local_key_id == key_id
    assert p12.keys[0].friendly_name == leaf_name
    assert p12.certificates[0].friendly_name == leaf_name
    if chain:
        assert [c.local_key_id for c in p12.certificates[1:]] == [None, None]
        assert [c.friendly_name for c in p12.certificates[1:]] == list(ca_names)
    # identity helpers
    assert p12.key.der == leaf.key_der
    assert p12.certificate.der == leaf.cert_der
    assert [c.der for c in p12.chain] == (pki.chain_ders if chain else [])
    # parsed views agree with the DER
    assert p12.keys[0].private_key.dump() == leaf.key_der
    assert p12.certificates[0].certificate.dump() == leaf.cert_der
    assert p12.crls == () and p12.secrets == () and p12.unknown_bags == ()


# --- encryption schemes --------------------------------------------------------------------

# -keypbe/-certpbe value → (needs the legacy provider, expected Protection fields).
# Field values are asn1crypto's names (see pkcs12kit.model.Protection).
PKCS12_PBE = {
    "PBE-SHA1-3DES": (False, dict(scheme="pkcs12_sha1_tripledes_3key", kdf="pkcs12", prf="sha1")),
    "PBE-SHA1-2DES": (False, dict(scheme="pkcs12_sha1_tripledes_2key", kdf="pkcs12", prf="sha1")),
    "PBE-SHA1-RC2-40": (True, dict(scheme="pkcs12_sha1_rc2_40", kdf="pkcs12", prf="sha1", rc2_bits=40)),
    "PBE-SHA1-RC2-128": (True, dict(scheme="pkcs12_sha1_rc2_128", kdf="pkcs12", prf="sha1", rc2_bits=128)),
    "PBE-SHA1-RC4-40": (True, dict(scheme="pkcs12_sha1_rc4_40", kdf="pkcs12", prf="sha1")),
    "PBE-SHA1-RC4-128": (True, dict(scheme="pkcs12_sha1_rc4_128", kdf="pkcs12", prf="sha1")),
    # PKCS#5 v1.5 PBES1 (RFC 8018 section 6.1): PBKDF1
    "PBE-MD5-DES": (True, dict(scheme="pbes1_md5_des", kdf="pbkdf1", prf="md5", cipher="des")),
    "PBE-SHA1-DES": (True, dict(scheme="pbes1_sha1_des", kdf="pbkdf1", prf="sha1", cipher="des")),
    "PBE-MD5-RC2-64": (True, dict(scheme="pbes1_md5_rc2", kdf="pbkdf1", prf="md5", cipher="rc2", rc2_bits=64)),
    "PBE-SHA1-RC2-64": (True, dict(scheme="pbes1_sha1_rc2", kdf="pbkdf1", prf="sha1", cipher="rc2", rc2_bits=64)),
    # PBES2 (RFC 8018 section 6.2); OpenSSL 3.0 always uses PBKDF2 with hmacWithSHA256
    "AES-128-CBC": (False, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="aes128_cbc")),
    "AES-192-CBC": (False, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="aes192_cbc")),
    "AES-256-CBC": (False, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="aes256_cbc")),
    "DES-EDE3-CBC": (False, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="tripledes_3key")),
    "DES-CBC": (True, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="des")),
    "RC2-CBC": (True, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="rc2", rc2_bits=128)),
    "RC2-64-CBC": (True, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="rc2", rc2_bits=64)),
    "RC2-40-CBC": (True, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="rc2", rc2_bits=40)),
    # The other CBC ciphers OpenSSL 3.0 takes for -keypbe/-certpbe (issue 14); SEED needs the
    # legacy provider. ARIA is decrypted by pkcs12kit's pure-Python ARIA.
    **{
        f"{family.upper()}-{bits}-CBC": (False, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256",
                                                      cipher=f"{family}{bits}_cbc"))
        for family in ("camellia", "aria") for bits in (128, 192, 256)
    },
    "SM4-CBC": (False, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="sm4_cbc")),
    "SEED-CBC": (True, dict(scheme="pbes2", kdf="pbkdf2", prf="sha256", cipher="seed_cbc")),
}

# PBES2 ciphers OpenSSL 3.0.x also writes that are outside pkcs12kit's documented set
# (DESIGN.md: AES-CBC, 3DES, DES, RC4, RC2). The decoder must either decode them exactly or
# refuse them with UnsupportedAlgorithmError — nothing else. (-keypbe PBE-MD2-*, DES-EDE-CBC,
# IDEA-CBC and AES-GCM are refused by openssl itself here.)
EXOTIC_PBES2 = {"AES-256-OFB": False, "BF-CBC": True, "CAST5-CBC": True}


def _assert_protection(protection, expected, iterations=DEFAULT_ITER):
    assert protection is not None
    for field, value in expected.items():
        assert getattr(protection, field) == value, field
    assert protection.iterations == iterations
    assert protection.salt_length == SALT_LEN


@pytest.mark.parametrize("pbe", list(PKCS12_PBE))
def test_pbe_scheme(tmp_path, pki, pbe):
    legacy, expected = PKCS12_PBE[pbe]
    data = _export(tmp_path, pki, options=["-keypbe", pbe, "-certpbe", pbe], legacy=legacy)
    p12 = pkcs12kit.loads(data, PASSWORD)
    _assert_identity(p12, pki)
    # openssl writes the certificates in an encryptedData safe, then the key in a data safe
    assert [s.kind for s in p12.safes] == ["encryptedData", "data"]
    assert [s.bag_count for s in p12.safes] == [3, 1]
    _assert_protection(p12.safes[0].protection, expected)
    assert p12.safes[1].protection is None
    _assert_protection(p12.keys[0].protection, expected)
    assert p12.mac.kind == "hmac" and p12.mac.digest == "sha256"
    assert p12.mac.iterations == DEFAULT_ITER and len(p12.mac.salt) == SALT_LEN


@pytest.mark.parametrize("pbe", list(EXOTIC_PBES2))
def test_exotic_pbes2_decodes_or_is_refused(tmp_path, pki, pbe):
    data = _export(tmp_path, pki, options=["-keypbe", pbe, "-certpbe", pbe], legacy=EXOTIC_PBES2[pbe])
    try:
        p12 = pkcs12kit.loads(data, PASSWORD)
    except pkcs12kit.UnsupportedAlgorithmError:
        return
    _assert_identity(p12, pki)
    assert p12.keys[0].protection.scheme == "pbes2"


@pytest.mark.parametrize(
    "options, legacy, key_scheme, cert_scheme",
    [
        pytest.param([], False, "pbes2", "pbes2", id="default"),
        pytest.param(["-legacy"], True, "pkcs12_sha1_tripledes_3key", "pkcs12_sha1_rc2_40", id="legacy"),
        pytest.param(["-descert"], False, "pbes2", "pkcs12_sha1_tripledes_3key", id="descert"),
        pytest.param(["-keypbe", "PBE-SHA1-3DES", "-certpbe", "AES-128-CBC"], False,
                     "pkcs12_sha1_tripledes_3key", "pbes2", id="key3des-certaes"),
        pytest.param(["-keypbe", "AES-256-CBC", "-certpbe", "PBE-SHA1-RC4-128"], True,
                     "pbes2", "pkcs12_sha1_rc4_128", id="keyaes-certrc4"),
    ],
)
def test_mixed_schemes(tmp_path, pki, options, legacy, key_scheme, cert_scheme):
    data = _export(tmp_path, pki, options=options, legacy=legacy)
    p12 = pkcs12kit.loads(data, PASSWORD)
    _assert_identity(p12, pki)
    assert p12.keys[0].protection.scheme == key_scheme
    assert p12.safes[0].kind == "encryptedData"
    assert p12.safes[0].protection.scheme == cert_scheme
    # -legacy also switches the MAC to HMAC-SHA1 (OpenSSL 1.1 defaults)
    assert p12.mac.digest == ("sha1" if "-legacy" in options else "sha256")


def test_default_pbes2_details(tmp_path, pki):
    """OpenSSL 3.0 defaults: PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, 2048 iterations, MAC SHA-256."""
    p12 = pkcs12kit.loads(_export(tmp_path, pki), PASSWORD)
    for protection in (p12.keys[0].protection, p12.safes[0].protection):
        _assert_protection(protection, PKCS12_PBE["AES-256-CBC"][1])
    assert p12.mac.kind == "hmac" and p12.mac.digest == "sha256" and p12.mac.iterations == DEFAULT_ITER


# --- MAC digests ---------------------------------------------------------------------------

# -macalg value → asn1crypto digest name. md4, whirlpool need the legacy provider.
MAC_DIGESTS = {
    "sha1": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384",
    "sha512": "sha512", "sha512-224": "sha512_224", "sha512-256": "sha512_256",
    # RFC 7292 appendix B over SHA-3 (v = the rate), SM3 and MD5 (v = 64).
    "sha3-224": "sha3_224", "sha3-256": "sha3_256", "sha3-384": "sha3_384", "sha3-512": "sha3_512",
    "sm3": "sm3", "md5": "md5",
}
# Digests openssl accepts for the MAC that are outside the documented set: decode exactly or
# refuse with UnsupportedAlgorithmError.
EXOTIC_MAC_DIGESTS = {"ripemd160": False, "blake2b512": False, "md4": True, "whirlpool": True}


@pytest.mark.parametrize("macalg", list(MAC_DIGESTS))
def test_mac_digest(tmp_path, pki, macalg):
    p12 = pkcs12kit.loads(_export(tmp_path, pki, options=["-macalg", macalg]), PASSWORD)
    _assert_identity(p12, pki)
    assert p12.mac.kind == "hmac"
    assert p12.mac.digest == MAC_DIGESTS[macalg]
    assert p12.mac.iterations == DEFAULT_ITER and len(p12.mac.salt) == SALT_LEN


@pytest.mark.parametrize("macalg", list(MAC_DIGESTS))
def test_mac_digest_wrong_password(tmp_path, pki, macalg):
    data = _export(tmp_path, pki, options=["-macalg", macalg])
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(data, PASSWORD + "x")


@pytest.mark.parametrize("macalg", list(EXOTIC_MAC_DIGESTS))
def test_exotic_mac_digest_decodes_or_is_refused(tmp_path, pki, macalg):
    data = _export(tmp_path, pki, options=["-macalg", macalg], legacy=EXOTIC_MAC_DIGESTS[macalg])
    try:
        p12 = pkcs12kit.loads(data, PASSWORD)
    except pkcs12kit.UnsupportedAlgorithmError:
        return
    _assert_identity(p12, pki)
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(data, PASSWORD + "x")


# --- key types -----------------------------------------------------------------------------

KINDS = ["rsa2048", "p256", "p384", "p521", "ed25519", "ed448", "dsa2048"]


@pytest.mark.parametrize("legacy", [False, True], ids=["modern", "legacy"])
@pytest.mark.parametrize("kind", KINDS)
def test_key_type(tmp_path, pki, kind, legacy):
    data = _export(tmp_path, pki, kind=kind, options=["-legacy"] if legacy else [], legacy=legacy)
    p12 = pkcs12kit.loads(data, PASSWORD)
    _assert_identity(p12, pki, kind)
    expected_algorithm = {"rsa2048": "rsa", "dsa2048": "dsa", "ed25519": "ed25519", "ed448": "ed448"}
    assert p12.keys[0].private_key.algorithm == expected_algorithm.get(kind, "ec")


# --- passwords -----------------------------------------------------------------------------

PASSWORDS = {
    "ascii": "Secret-123 with spaces",
    "empty": "",
    "cyrillic": "пароль",
    "cjk": "密码",
    "emoji-non-bmp": "🔑pass",
}


@pytest.mark.parametrize("legacy", [False, True], ids=["modern", "legacy"])
@pytest.mark.parametrize("label", list(PASSWORDS))
def test_password(tmp_path, pki, label, legacy):
    password = PASSWORDS[label]
    data = _export(tmp_path, pki, password=password, options=["-legacy"] if legacy else [], legacy=legacy)
    p12 = pkcs12kit.loads(data, password)
    _assert_identity(p12, pki)
    if password:  # the empty password has its own forms (see test_empty_password_forms)
        assert p12.password_encoding == "utf-16"
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(data, password + "x")


def test_empty_password_also_as_none(tmp_path, pki):
    """DESIGN.md: "" and None both try the two empty-password forms, as OpenSSL does."""
    data = _export(tmp_path, pki, password="")
    _assert_identity(pkcs12kit.loads(data, None), pki)
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(data, "x")


def test_bytes_password(tmp_path, pki):
    data = _export(tmp_path, pki)
    _assert_identity(pkcs12kit.loads(data, PASSWORD.encode("ascii")), pki)


def test_missing_password_for_protected_file(tmp_path, pki):
    data = _export(tmp_path, pki)
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(data, None)


def _legacy_misencoded(password: str) -> str:
    """The string whose UTF-16 is what OpenSSL < 1.1.0 hashed for ``password``: each UTF-8
    byte widened to two bytes (00 xx). OpenSSL 3 converts its argument UTF-8 → UTF-16, so
    passing this string makes it write a file exactly as an old OpenSSL would have."""
    return password.encode("utf-8").decode("latin-1")


@pytest.mark.parametrize(
    "options, legacy",
    [
        pytest.param(["-macalg", "sha1", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES"], False,
                     id="sha1-3des"),
        pytest.param(["-legacy"], True, id="legacy-rc2"),
    ],
)
def test_old_openssl_non_ascii_password(tmp_path, pki, options, legacy):
    data = _export(tmp_path, pki, password=_legacy_misencoded("пароль"), options=options, legacy=legacy)
    # openssl 3 itself opens it with the real password (its legacy fallback)
    openssl("pkcs12", "-in", tmp_path / "out.p12", "-passin", "pass:пароль", "-noout",
            *(["-provider", "legacy", "-provider", "default"] if legacy else []))
    p12 = pkcs12kit.loads(data, "пароль")
    _assert_identity(p12, pki)
    assert p12.password_encoding == "openssl-legacy"
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(data, "парол")


# --- wrong passwords with and without MAC --------------------------------------------------

@pytest.mark.parametrize(
    "options, legacy",
    [
        pytest.param([], False, id="modern"),
        pytest.param(["-legacy"], True, id="legacy"),
        # OpenSSL 3.0 leaves the certificates unencrypted under -nomac unless -certpbe is given
        pytest.param(["-nomac", "-certpbe", "AES-256-CBC"], False, id="modern-nomac"),
        pytest.param(["-legacy", "-nomac", "-certpbe", "PBE-SHA1-RC2-40"], True, id="legacy-nomac"),
        pytest.param(["-nomac"], False, id="nomac-key-only-encrypted"),
        pytest.param(["-nomac", "-keypbe", "NONE", "-certpbe", "AES-256-CBC"], False,
                     id="nomac-certs-only-encrypted"),
    ],
)
def test_wrong_password(tmp_path, pki, options, legacy):
    data = _export(tmp_path, pki, options=options, legacy=legacy)
    _assert_identity(pkcs12kit.loads(data, PASSWORD), pki)
    for wrong in ("wrong", "", None, PASSWORD.upper()):
        with pytest.raises(pkcs12kit.BadPasswordError):
            pkcs12kit.loads(data, wrong)


# --- iterations, MAC presence --------------------------------------------------------------

@pytest.mark.parametrize(
    "options, enc_iter, mac_iter",
    [
        pytest.param(["-iter", "1000"], 1000, 1000, id="iter-1000"),
        pytest.param(["-iter", "1"], 1, 1, id="iter-1"),
        pytest.param(["-iter", "100000"], 100000, 100000, id="iter-100000"),
        pytest.param(["-noiter"], 1, DEFAULT_ITER, id="noiter"),
        pytest.param(["-nomaciter"], DEFAULT_ITER, 1, id="nomaciter"),
        pytest.param(["-noiter", "-nomaciter"], 1, 1, id="noiter-nomaciter"),
        pytest.param(["-nomac", "-certpbe", "AES-256-CBC"], DEFAULT_ITER, None, id="nomac"),
        # -iter after -nomac re-enables the MAC in OpenSSL 3.0 (both set maciter), so -nomac last
        pytest.param(["-iter", "777", "-nomac", "-certpbe", "AES-256-CBC"], 777, None, id="iter-777-nomac"),
        pytest.param(["-nomac", "-iter", "777", "-certpbe", "AES-256-CBC"], 777, 777, id="nomac-then-iter-keeps-mac"),
    ],
)
def test_iterations(tmp_path, pki, options, enc_iter, mac_iter):
    p12 = pkcs12kit.loads(_export(tmp_path, pki, options=options), PASSWORD)
    _assert_identity(p12, pki)
    assert p12.keys[0].protection.iterations == enc_iter
    assert p12.safes[0].protection.iterations == enc_iter
    if mac_iter is None:
        assert p12.mac is None
    else:
        assert p12.mac.iterations == mac_iter


def test_nomac_leaves_certificates_unencrypted(tmp_path, pki):
    """OpenSSL 3.0's -nomac without -certpbe writes the certificates in a plain data safe."""
    p12 = pkcs12kit.loads(_export(tmp_path, pki, options=["-nomac"]), PASSWORD)
    _assert_identity(p12, pki)
    assert p12.mac is None
    assert [(s.kind, s.protection) for s in p12.safes] == [("data", None), ("data", None)]
    assert p12.keys[0].protection.scheme == "pbes2"


def test_legacy_noiter(tmp_path, pki):
    p12 = pkcs12kit.loads(_export(tmp_path, pki, options=["-legacy", "-noiter"], legacy=True), PASSWORD)
    _assert_identity(p12, pki)
    assert p12.keys[0].protection.iterations == 1
    assert p12.safes[0].protection.scheme == "pkcs12_sha1_rc2_40"
    assert p12.safes[0].protection.iterations == 1


# --- unencrypted and passwordless files ----------------------------------------------------

def test_passwordless(tmp_path, pki):
    """-keypbe NONE -certpbe NONE -nomac: nothing depends on a password."""
    data = _export(tmp_path, pki, password="", options=["-keypbe", "NONE", "-certpbe", "NONE", "-nomac"])
    for password in (None, "", "anything"):
        p12 = pkcs12kit.loads(data, password)
        _assert_identity(p12, pki)
        assert p12.mac is None
        assert [s.kind for s in p12.safes] == ["data", "data"]
        assert all(s.protection is None for s in p12.safes)
        assert p12.keys[0].protection is None  # a plain keyBag


def test_unencrypted_with_mac(tmp_path, pki):
    data = _export(tmp_path, pki, options=["-keypbe", "NONE", "-certpbe", "NONE"])
    p12 = pkcs12kit.loads(data, PASSWORD)
    _assert_identity(p12, pki)
    assert p12.keys[0].protection is None
    assert p12.mac.digest == "sha256"
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(data, "wrong")


# --- names, chains, partial contents -------------------------------------------------------

@pytest.mark.parametrize(
    "leaf_name, ca_names",
    [
        pytest.param("my key", ("CA one", "CA two"), id="ascii"),
        pytest.param("Ключ", ("Промежуточный", "Корень"), id="cyrillic"),
        pytest.param("証明書", ("中間", None), id="cjk-one-caname"),
        # openssl refuses names outside the BMP (BMPString); ☺ and ä are BMP symbols
        pytest.param("☺ key", ("ä ç", None), id="bmp-symbols"),
    ],
)
def test_friendly_names(tmp_path, pki, leaf_name, ca_names):
    options = ["-name", leaf_name]
    for ca_name in ca_names:
        if ca_name is not None:
            options += ["-caname", ca_name]
    p12 = pkcs12kit.loads(_export(tmp_path, pki, options=options), PASSWORD)
    _assert_identity(p12, pki, leaf_name=leaf_name, ca_names=ca_names)


def test_name_without_chain(tmp_path, pki):
    p12 = pkcs12kit.loads(_export(tmp_path, pki, chain=False, options=["-name", "solo"]), PASSWORD)
    _assert_identity(p12, pki, chain=False, leaf_name="solo")


def test_chain_built_by_openssl(tmp_path, pki):
    """-chain: openssl builds leaf → intermediate → root from -CAfile/-untrusted."""
    leaf = pki.leaf("p256")
    openssl("pkcs12", "-export", "-out", tmp_path / "c.p12", "-in", leaf.cert_path, "-inkey", leaf.key_path,
            "-chain", "-CAfile", pki.root.cert_path, "-untrusted", pki.intermediate.cert_path,
            "-passout", "pass:" + PASSWORD)
    p12 = pkcs12kit.loads((tmp_path / "c.p12").read_bytes(), PASSWORD)
    _assert_identity(p12, pki)


def test_nokeys(tmp_path, pki):
    """Certificates only: the leaf and the chain, in the order given, no key."""
    leaf = pki.leaf("p256")
    openssl("pkcs12", "-export", "-nokeys", "-out", tmp_path / "c.p12", "-in", leaf.cert_path,
            "-certfile", pki.chain_path, "-caname", "first", "-passout", "pass:" + PASSWORD)
    p12 = pkcs12kit.loads((tmp_path / "c.p12").read_bytes(), PASSWORD)
    assert p12.keys == ()
    assert [c.der for c in p12.certificates] == [leaf.cert_der] + pki.chain_ders
    assert p12.key is None
    assert [s.kind for s in p12.safes] == ["encryptedData"]
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads((tmp_path / "c.p12").read_bytes(), "wrong")


def test_nocerts(tmp_path, pki):
    """Key only: no certificate, so openssl sets no localKeyId."""
    data = _export(tmp_path, pki, certs=False, options=["-name", "lonely key"])
    p12 = pkcs12kit.loads(data, PASSWORD)
    assert [k.der for k in p12.keys] == [pki.leaf("p256").key_der]
    assert p12.certificates == ()
    assert p12.keys[0].friendly_name == "lonely key"
    assert p12.keys[0].local_key_id is None
    assert p12.key.der == pki.leaf("p256").key_der
    assert p12.certificate is None


def test_microsoft_attributes(tmp_path, pki):
    """-CSP, -LMK become key bag attributes; -keyex a key-usage attribute inside PKCS#8."""
    csp = "Microsoft Enhanced RSA and AES Cryptographic Provider"
    data = _export(tmp_path, pki, options=["-CSP", csp, "-LMK", "-keyex"])
    p12 = pkcs12kit.loads(data, PASSWORD)
    key = p12.keys[0]
    by_oid = {a.oid: a for a in key.attributes}
    # CSP name (1.3.6.1.4.1.311.17.1): one BMPString
    bmp = csp.encode("utf-16-be")
    assert by_oid["1.3.6.1.4.1.311.17.1"].values == (b"\x1e" + bytes([len(bmp)]) + bmp,)
    # local machine keyset (1.3.6.1.4.1.311.17.2): OpenSSL writes an empty value set
    assert by_oid["1.3.6.1.4.1.311.17.2"].values == ()
    assert by_oid["1.2.840.113549.1.9.21"].type == "local_key_id"
    assert key.local_key_id == sha1(pki.leaf("p256").cert_der)
    # KEY_EX = 0x10 as a BIT STRING with its 4 trailing zero bits unused: 03 02 04 10
    attrs = key.private_key["attributes"]
    assert [(a["type"].dotted, [v.dump() for v in a["values"]]) for a in attrs] == [
        ("2.5.29.15", [bytes.fromhex("03020410")])
    ]
    # the key material itself is the one given to openssl
    from cryptography.hazmat.primitives.serialization import load_der_private_key
    from tools import key_pkcs8

    assert key_pkcs8(load_der_private_key(key.der, None)) == pki.leaf("p256").key_der


def test_keysig(tmp_path, pki):
    p12 = pkcs12kit.loads(_export(tmp_path, pki, options=["-keysig"]), PASSWORD)
    attrs = p12.keys[0].private_key["attributes"]
    # KEY_SIG = 0x80 → 03 02 07 80
    assert [(a["type"].dotted, [v.dump() for v in a["values"]]) for a in attrs] == [
        ("2.5.29.15", [bytes.fromhex("03020780")])
    ]


def test_load_path_and_file_object(tmp_path, pki):
    _export(tmp_path, pki)
    path = tmp_path / "out.p12"
    _assert_identity(pkcs12kit.load(path, PASSWORD), pki)
    _assert_identity(pkcs12kit.load(str(path), PASSWORD), pki)
    with open(path, "rb") as handle:
        _assert_identity(pkcs12kit.load(handle, PASSWORD), pki)


def test_pem_and_base64_input(tmp_path, pki):
    """openssl base64 output (bytes) and the same as text both decode."""
    data = _export(tmp_path, pki)
    b64 = openssl("base64", "-in", tmp_path / "out.p12").stdout
    _assert_identity(pkcs12kit.loads(b64, PASSWORD), pki)
    _assert_identity(pkcs12kit.loads(b64.decode("ascii"), PASSWORD), pki)
    assert pkcs12kit.loads(data, PASSWORD).keys[0].der == pki.leaf("p256").key_der
