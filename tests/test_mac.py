"""Tests for pkcs12kit.mac against openssl-made files and the RFC 9579 appendix A vectors."""

import hashlib
import hmac
import pathlib
import subprocess

import pytest
from asn1crypto import algos, core, pkcs12

from pkcs12kit import asn1, kdf, mac
from pkcs12kit.errors import (
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from pkcs12kit.kdf import Password
from pkcs12kit.limits import DEFAULT_LIMITS, Limits, WorkBudget

PASSWORD = "mac pass"
RFC9579 = pathlib.Path(__file__).resolve().parent / "vectors" / "rfc9579"


class Pfx(pkcs12.Pfx):
    """PFX (RFC 7292 section 4) whose MacData may be PBMAC1 (pkcs12kit itself walks the PFX at
    the TLV level and has no such class)."""

    _fields = [
        ("version", pkcs12.Version),
        ("auth_safe", pkcs12.ContentInfo),
        ("mac_data", asn1.MacData, {"optional": True}),
    ]


def openssl(*args, check=True):
    return subprocess.run([require_tool("openssl"), *args], check=check, capture_output=True)


def budget():
    return WorkBudget(DEFAULT_LIMITS)


def pfx_parts(data):
    """(MacData DER, the octets the MAC covers) of a PFX."""
    pfx = Pfx.load(data)
    return pfx["mac_data"].dump(), pfx["auth_safe"]["content"].contents


@pytest.fixture(scope="module")
def identity(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mac")
    openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-subj", "/CN=mac test", "-days", "2", "-keyout", str(folder / "key.pem"),
        "-out", str(folder / "cert.pem"),
    )
    return folder


def export(identity, *options, password=PASSWORD):
    out = identity / "out.p12"
    openssl(
        "pkcs12", "-export", "-in", str(identity / "cert.pem"), "-inkey", str(identity / "key.pem"),
        "-passout", f"pass:{password}", "-out", str(out), *options,
    )
    return out.read_bytes()


# --- classic PKCS#12 MAC (RFC 7292 section 4, appendix B.4) ----------------------------------

MACALGS = {
    "sha1": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384",
    "sha512": "sha512", "sha512-224": "sha512_224", "sha512-256": "sha512_256",
    "sha3-256": "sha3_256", "sha3-512": "sha3_512",
}


@pytest.mark.parametrize("macalg", sorted(MACALGS))
def test_classic_mac_from_openssl_verifies(identity, macalg):
    mac_data, content = pfx_parts(export(identity, "-macalg", macalg))
    info, form = mac.verify(mac_data, content, Password(PASSWORD).forms(), budget=budget())
    assert (info.kind, info.digest, info.iterations, len(info.salt)) == ("hmac", MACALGS[macalg], 2048, 8)
    assert form.label == "utf-16"
    with pytest.raises(BadPasswordError, match=r"^macData: MAC verification failed"):
        mac.verify(mac_data, content, Password("wrong").forms(), budget=budget())


@pytest.mark.parametrize("macalg", sorted(MACALGS))
def test_compute_reproduces_openssl_mac_data_exactly(identity, macalg):
    # Same salt, iterations and password: our MacData must be byte-identical to openssl's.
    mac_data, content = pfx_parts(export(identity, "-macalg", macalg, "-iter", "999"))
    parsed = asn1.MacData.load(mac_data)
    ours = mac.compute(
        "hmac", MACALGS[macalg], parsed["iterations"].native, parsed["mac_salt"].native, content,
        Password(PASSWORD).forms()[0],
    )
    assert ours == mac_data


def test_nomaciter_means_one_iteration(identity):
    mac_data, content = pfx_parts(export(identity, "-nomaciter", "-macalg", "sha1"))
    info, _ = mac.verify(mac_data, content, Password(PASSWORD).forms(), budget=budget())
    assert info.iterations == 1
    assert mac_data.endswith(b"\x04\x08" + info.salt)  # DER omits the DEFAULT 1 after the salt


def test_legacy_export_has_a_sha1_mac(identity):
    mac_data, content = pfx_parts(export(identity, "-legacy"))
    info, _ = mac.verify(mac_data, content, Password(PASSWORD).forms(), budget=budget())
    assert info.digest == "sha1"


@pytest.mark.parametrize("password", ["", None])
def test_empty_password_mac_verifies_with_either_empty_form(identity, password):
    mac_data, content = pfx_parts(export(identity, password=""))
    info, form = mac.verify(mac_data, content, Password(password).forms(), budget=budget())
    assert form.label == "empty"  # openssl hashes the lone BMP terminator


def test_non_ascii_password_mac(identity):
    password = "pässwörd\U0001F511"
    mac_data, content = pfx_parts(export(identity, password=password))
    _, form = mac.verify(mac_data, content, Password(password).forms(), budget=budget())
    assert form.label == "utf-16"


def test_openssl_legacy_encoding_is_tried_second():
    # A MAC keyed the way OpenSSL < 1.1.0 encoded "é" (UTF-8 octets widened: 00 C3 00 A9 00 00).
    content = b"authenticated safe"
    legacy = kdf.PasswordForm("x", bytes.fromhex("00C300A90000"), b"")
    mac_data = mac.compute("hmac", "sha1", 3, b"saltsalt", content, legacy)
    _, form = mac.verify(mac_data, content, Password("é").forms(), budget=budget())
    assert form.label == "openssl-legacy"


@pytest.mark.parametrize(
    "digest, iterations, salt",
    [("sha256", 2048, b"0123456789abcdef"), ("sha1", 1, b"12345678"), ("sha512", 100, b"x" * 20)],
)
def test_computed_mac_is_accepted_by_openssl(identity, tmp_path, digest, iterations, salt):
    # Take an openssl file, replace its MacData with ours, and let openssl verify it.
    pfx = Pfx.load(export(identity))
    content = pfx["auth_safe"]["content"].contents
    ours = mac.compute("hmac", digest, iterations, salt, content, Password(PASSWORD).forms()[0])
    spliced = Pfx(
        {"version": "v3", "auth_safe": pfx["auth_safe"], "mac_data": asn1.MacData.load(ours)}
    ).dump()
    path = tmp_path / "spliced.p12"
    path.write_bytes(spliced)
    good = openssl("pkcs12", "-info", "-noout", "-in", str(path), "-passin", f"pass:{PASSWORD}", check=False)
    assert good.returncode == 0, good.stderr
    assert f"MAC: {digest}, Iteration {iterations}" in good.stderr.decode()
    # openssl really checks it: the same MacData computed under another password is refused.
    bad_mac = mac.compute("hmac", digest, iterations, salt, content, Password("other").forms()[0])
    path.write_bytes(
        Pfx({"version": "v3", "auth_safe": pfx["auth_safe"], "mac_data": asn1.MacData.load(bad_mac)}).dump()
    )
    bad = openssl("pkcs12", "-info", "-noout", "-in", str(path), "-passin", f"pass:{PASSWORD}", check=False)
    assert bad.returncode != 0
    assert b"mac verify error" in bad.stderr.lower()


# --- PBMAC1 (RFC 9579) -----------------------------------------------------------------------


def vector(name):
    (path,) = RFC9579.glob(f"rfc9579-{name}-*.p12")
    return path.read_bytes()


@pytest.mark.parametrize(
    "name, digest, prf, key_length",
    [("a1", "sha256", "sha256", 32), ("a2", "sha256", "sha512", 32), ("a3", "sha512", "sha512", 64)],
)
def test_rfc9579_valid_vectors_verify(name, digest, prf, key_length):
    mac_data, content = pfx_parts(vector(name))
    info, form = mac.verify(mac_data, content, Password("1234").forms(), budget=budget())
    assert (info.kind, info.digest, info.prf, info.key_length, info.iterations) == (
        "pbmac1", digest, prf, key_length, 2048
    )
    assert len(info.salt) == 8 and info.salt != b"NOT USED"
    with pytest.raises(BadPasswordError):
        mac.verify(mac_data, content, Password("12345").forms(), budget=budget())


@pytest.mark.parametrize("name", ["a4", "a5"])
def test_rfc9579_vectors_using_the_ignored_fields_are_refused(name):
    # They verify only if a reader takes iterations/salt from MacData instead of PBMAC1-params.
    mac_data, content = pfx_parts(vector(name))
    with pytest.raises(BadPasswordError, match=r"^macData: MAC verification failed"):
        mac.verify(mac_data, content, Password("1234").forms(), budget=budget())


def test_rfc9579_missing_key_length_is_malformed():
    mac_data, content = pfx_parts(vector("a6"))
    with pytest.raises(MalformedError, match="keyLength is missing"):
        mac.verify(mac_data, content, Password("1234").forms(), budget=budget())


@pytest.mark.parametrize("name", ["a1", "a2", "a3"])
def test_compute_pbmac1_reproduces_rfc9579(name):
    mac_data, content = pfx_parts(vector(name))
    published = asn1.MacData.load(mac_data)
    params = published["mac"]["digest_algorithm"]["parameters"]
    pbkdf2 = params["key_derivation_func"]["parameters"]
    ours = asn1.MacData.load(
        mac.compute(
            "pbmac1",
            params["message_auth_scheme"]["algorithm"].native,
            pbkdf2["iteration_count"].native,
            pbkdf2["salt"].chosen.native,
            content,
            Password("1234").forms()[0],
            prf=pbkdf2["prf"]["algorithm"].native,
            key_length=pbkdf2["key_length"].native,
        )
    )
    assert ours["mac"].dump() == published["mac"].dump()
    assert ours["mac_salt"].native == b"NOT USED"
    assert ours.dump().endswith(b"NOT USED")  # iterations 1 is the DEFAULT: omitted in DER


def pbmac1_mac_data(content, password, key_length, iterations=2048, digest=None):
    """A PBMAC1 MacData built by hand (hashlib + asn1crypto), whatever its keyLength; the MAC
    is computed unless ``digest`` is given."""
    salt = b"pbmac1salt"
    if digest is None:
        key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, key_length)
        digest = hmac.new(key, content, "sha256").digest()
    params = algos.Pbmac1Params({
        "key_derivation_func": {"algorithm": "pbkdf2", "parameters": {
            "salt": {"specified": salt}, "iteration_count": iterations, "key_length": key_length,
            "prf": {"algorithm": "sha256", "parameters": core.Null()}}},
        "message_auth_scheme": {"algorithm": "sha256", "parameters": core.Null()},
    })
    return asn1.MacData({
        "mac": {"digest_algorithm": {"algorithm": "pbmac1", "parameters": params}, "digest": digest},
        "mac_salt": b"NOT USED",
    }).dump()


def test_short_pbmac1_key_is_refused_even_with_the_right_mac():
    # CVE-2026-34181: with keyLength 1 a forger needs about 256 tries. The MacData below is
    # correct for "1234" but must be refused as malformed, and never verify.
    content = b"forged authenticated safe"
    for key_length in (1, 19):
        mac_data = pbmac1_mac_data(content, "1234", key_length)
        with pytest.raises(MalformedError, match=f"keyLength {key_length} is below the minimum of 20"):
            mac.verify(mac_data, content, Password("1234").forms(), budget=budget())


def test_pbmac1_key_length_bounds_follow_limits():
    content = b"safe"
    ok = pbmac1_mac_data(content, "1234", 20)
    info, _ = mac.verify(ok, content, Password("1234").forms(), budget=budget())
    assert info.key_length == 20
    too_long = pbmac1_mac_data(content, "1234", 65)
    with pytest.raises(LimitExceededError, match="pbmac1_max_key_length"):
        mac.verify(too_long, content, Password("1234").forms(), budget=budget())
    roomy = WorkBudget(Limits(pbmac1_max_key_length=128))
    info, _ = mac.verify(too_long, content, Password("1234").forms(), budget=roomy)
    assert info.key_length == 65


def forbid_hashing(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("a key was derived before the limits were checked")

    monkeypatch.setattr(kdf, "pkcs12_kdf", boom)
    monkeypatch.setattr(kdf, "pbkdf2", boom)


def test_huge_iterations_are_refused_before_hashing(monkeypatch):
    content = b"safe"
    classic = asn1.MacData({
        "mac": {"digest_algorithm": {"algorithm": "sha256", "parameters": core.Null()}, "digest": b"\0" * 32},
        "mac_salt": b"saltsalt",
        "iterations": 10**12,
    }).dump()
    pbmac1 = pbmac1_mac_data(content, "1234", 32, iterations=2**32, digest=b"\0" * 32)
    forbid_hashing(monkeypatch)
    for mac_data in (classic, pbmac1):
        with pytest.raises(LimitExceededError, match="iteration count"):
            mac.verify(mac_data, content, Password("1234").forms(), budget=budget())


def test_each_distinct_form_is_charged_and_duplicates_are_skipped():
    content = b"safe"
    classic = mac.compute("hmac", "sha1", 100, b"saltsalt", content, Password("x").forms()[0])
    spent = WorkBudget(DEFAULT_LIMITS)
    with pytest.raises(BadPasswordError):
        mac.verify(classic, content, Password(None).forms(), budget=spent)
    assert spent.spent == 200  # absent and empty differ as BMPStrings
    pbmac1 = pbmac1_mac_data(content, "x", 32, iterations=100)
    spent = WorkBudget(DEFAULT_LIMITS)
    with pytest.raises(BadPasswordError):
        mac.verify(pbmac1, content, Password("é").forms(), budget=spent)
    assert spent.spent == 100  # both forms have the same UTF-8 octets: tried once


def test_unknown_or_unsupported_mac_algorithms_are_named():
    unknown = asn1.MacData({
        "mac": {"digest_algorithm": {"algorithm": "1.2.3.4.99"}, "digest": b"\0" * 20},
        "mac_salt": b"saltsalt",
    }).dump()
    with pytest.raises(UnsupportedAlgorithmError, match=r"1\.2\.3\.4\.99"):
        mac.verify(unknown, b"", Password("x").forms(), budget=budget())
    shake = asn1.MacData({
        "mac": {"digest_algorithm": {"algorithm": "shake128"}, "digest": b"\0" * 16},
        "mac_salt": b"saltsalt",
    }).dump()
    with pytest.raises(UnsupportedAlgorithmError, match="shake128"):
        mac.verify(shake, b"", Password("x").forms(), budget=budget())


@pytest.mark.parametrize("der", [b"", b"\x30\x80", b"\x04\x02ab", b"\x30\x03\x02\x01\x01"])
def test_garbage_is_malformed(der):
    with pytest.raises(MalformedError, match="^here: "):
        mac.verify(der, b"", Password("x").forms(), budget=budget(), where="here")


@pytest.mark.parametrize(
    "kind, digest, iterations, key_length",
    [("hmac", "md5", 1, None), ("cmac", "sha256", 1, None), ("hmac", "sha256", 0, None),
     ("pbmac1", "sha256", 1, 19)],
)
def test_compute_refuses_what_cannot_be_written(kind, digest, iterations, key_length):
    with pytest.raises(EncodeError):
        mac.compute(kind, digest, iterations, b"salt", b"", Password("x").forms()[0], key_length=key_length)


def test_argument_types():
    with pytest.raises(TypeError):
        mac.verify("text", b"", Password("x").forms(), budget=budget())
    with pytest.raises(TypeError):
        mac.verify(b"", b"", ["x"], budget=budget())
    with pytest.raises(TypeError):
        mac.compute("hmac", "sha1", "2048", b"salt", b"", Password("x").forms()[0])


def test_describe_reports_without_verifying():
    mac_data, _ = pfx_parts(vector("a1"))
    info = mac.describe(mac_data)
    assert (info.kind, info.digest, info.prf, info.key_length, info.iterations) == (
        "pbmac1", "sha256", "sha256", 32, 2048
    )
    # The keyLength rules belong to verify: describe still says what a6 holds.
    assert mac.describe(pfx_parts(vector("a6"))[0]).key_length is None
    with pytest.raises(MalformedError):
        mac.describe(b"\x30\x00", where="macData")


from hypothesis import given, settings, strategies as st  # noqa: E402

from pkcs12kit.errors import PKCS12Error  # noqa: E402
from tools import require_tool


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["a1", "a3", "a6"]),
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=255),
)
def test_mutated_mac_data_only_raises_pkcs12_errors(name, position, value):
    mac_data, content = pfx_parts(vector(name))
    mutated = bytearray(mac_data)
    mutated[position % len(mutated)] = value
    small = WorkBudget(Limits(max_iterations=5000, max_total_iterations=10000))
    try:
        mac.verify(bytes(mutated), content, Password("1234").forms(), budget=small, where="fuzz")
    except PKCS12Error as err:
        assert str(err).startswith("fuzz")


def test_absent_pbmac1_parameters_are_malformed():
    bare = asn1.MacData({
        "mac": {"digest_algorithm": {"algorithm": "pbmac1"}, "digest": b"\0" * 32},
        "mac_salt": b"NOT USED",
    }).dump()
    with pytest.raises(MalformedError, match="pbmac1 parameters are missing"):
        mac.verify(bare, b"", Password("x").forms(), budget=budget())
    no_pbkdf2 = asn1.MacData({
        "mac": {"digest_algorithm": {"algorithm": "pbmac1", "parameters": algos.Pbmac1Params({
            "key_derivation_func": {"algorithm": "pbkdf2"},
            "message_auth_scheme": {"algorithm": "sha256", "parameters": core.Null()}})},
            "digest": b"\0" * 32},
        "mac_salt": b"NOT USED",
    }).dump()
    with pytest.raises(MalformedError, match="pbkdf2 parameters are missing"):
        mac.verify(no_pbkdf2, b"", Password("x").forms(), budget=budget())


@pytest.mark.parametrize("number", range(1, 7))
def test_rfc9579_vector_files_are_the_published_base64(number):
    """The .p12 copies in tests/vectors/rfc9579 are exactly the RFC's base64, decoded."""
    import base64

    (binary,) = RFC9579.glob(f"rfc9579-a{number}-*.p12")
    assert base64.b64decode((RFC9579 / f"rfc9579-a{number}.b64").read_text()) == binary.read_bytes()
