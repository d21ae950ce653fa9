"""The public API's contract: argument types, sources, MAC handling, password forms.

Files are written by `openssl pkcs12 -export` (the independent producer) at test time.
"""

import io

import pytest

import pkcs12kit
from tools import key_pkcs8, openssl


@pytest.fixture(scope="module")
def exported(pki, openssl_tool, tmp_path_factory):
    """An OpenSSL 3 default export (PBES2/AES-256, HMAC-SHA256) with password 'pw', and a no-MAC one."""
    leaf = pki.leaf("p256")
    out = tmp_path_factory.mktemp("api")
    files = {}
    for name, extra in {"default": [], "nomac": ["-nomac"], "legacy": ["-legacy"]}.items():
        path = out / f"{name}.p12"
        openssl("pkcs12", "-export", "-inkey", str(leaf.key_path), "-in", str(leaf.cert_path),
                "-passout", "pass:pw", "-out", str(path), *extra)
        files[name] = path
    return leaf, files


def test_load_accepts_a_path_a_binary_file_and_bytes(exported):
    leaf, files = exported
    by_path = pkcs12kit.load(files["default"], "pw")
    by_str_path = pkcs12kit.load(str(files["default"]), "pw")
    with open(files["default"], "rb") as handle:
        by_file = pkcs12kit.load(handle, "pw")
    by_bytes = pkcs12kit.loads(files["default"].read_bytes(), b"pw")
    by_bytearray = pkcs12kit.loads(bytearray(files["default"].read_bytes()), "pw")
    assert by_path == by_str_path == by_file == by_bytes == by_bytearray
    assert by_path.key.der == key_pkcs8(leaf.key)
    assert by_path.certificate.der == leaf.cert_der


@pytest.mark.parametrize("data", [12, None, ["x"], io.StringIO("x")])
def test_wrong_data_types_raise_type_error(data):
    with pytest.raises(TypeError):
        pkcs12kit.loads(data, "pw")


def test_wrong_password_and_option_types_raise_type_error(exported):
    _, files = exported
    data = files["default"].read_bytes()
    with pytest.raises(TypeError):
        pkcs12kit.loads(data, 1234)
    with pytest.raises(TypeError):
        pkcs12kit.loads(data, "pw", limits={"max_iterations": 1})
    with pytest.raises(TypeError):
        pkcs12kit.load(io.StringIO("text"), "pw")


def test_wrong_password_with_a_mac(exported):
    _, files = exported
    with pytest.raises(pkcs12kit.BadPasswordError, match="^macData: MAC verification failed"):
        pkcs12kit.load(files["default"], "wrong")


def test_wrong_password_without_a_mac(exported):
    _, files = exported
    with pytest.raises(pkcs12kit.BadPasswordError, match="no MAC"):
        pkcs12kit.load(files["nomac"], "wrong")
    p12 = pkcs12kit.load(files["nomac"], "pw")
    assert p12.mac is None and p12.mac_verified is False and p12.key is not None


def test_verify_mac_false_decodes_and_says_unverified(exported):
    leaf, files = exported
    p12 = pkcs12kit.load(files["default"], "pw", verify_mac=False)
    assert p12.mac_verified is False and p12.mac.digest == "sha256"
    assert p12.key.der == key_pkcs8(leaf.key)
    checked = pkcs12kit.load(files["default"], "pw")
    assert checked.mac_verified is True


def test_flipping_a_byte_inside_the_mac_covered_content_is_caught(exported):
    _, files = exported
    data = bytearray(files["default"].read_bytes())
    data[len(data) // 2] ^= 0x01
    with pytest.raises((pkcs12kit.BadPasswordError, pkcs12kit.MalformedError)):
        pkcs12kit.loads(bytes(data), "pw")


def test_safes_and_protection_report_what_openssl_wrote(exported):
    _, files = exported
    modern = pkcs12kit.load(files["default"], "pw")
    assert [s.kind for s in modern.safes] == ["encryptedData", "data"]
    assert modern.safes[0].protection.scheme == "pbes2"
    assert modern.safes[0].protection.cipher == "aes256_cbc"
    assert modern.keys[0].protection.prf == "sha256"
    legacy = pkcs12kit.load(files["legacy"], "pw")
    assert legacy.safes[0].protection.scheme == "pkcs12_sha1_rc2_40"
    assert legacy.keys[0].protection.scheme == "pkcs12_sha1_tripledes_3key"
    assert legacy.mac.digest == "sha1"


def test_empty_and_absent_passwords_are_interchangeable(pki, openssl_tool, tmp_path):
    leaf = pki.leaf("p256")
    path = tmp_path / "empty.p12"
    openssl("pkcs12", "-export", "-inkey", str(leaf.key_path), "-in", str(leaf.cert_path),
            "-passout", "pass:", "-out", str(path))
    assert pkcs12kit.load(path, "") == pkcs12kit.load(path, None)
    assert pkcs12kit.load(path, None).key.der == key_pkcs8(leaf.key)


def test_dump_writes_atomically_and_refuses_to_overwrite(exported, tmp_path):
    _, files = exported
    p12 = pkcs12kit.load(files["default"], "pw")
    target = tmp_path / "out.p12"
    pkcs12kit.dump(p12, target, "new", profile=pkcs12kit.LEGACY_3DES)
    assert pkcs12kit.load(target, "new") == p12
    before = target.read_bytes()
    with pytest.raises(FileExistsError):
        pkcs12kit.dump(p12, target, "other")
    assert target.read_bytes() == before
    pkcs12kit.dump(p12, target, "other", overwrite=True)
    assert pkcs12kit.load(target, "other") == p12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.p12"]  # no temporary files left
