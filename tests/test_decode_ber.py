"""BER inputs: openssl-written DER files re-encoded by tests/berify.py decode like the original.

Real producers (Java, Windows) write PKCS#12 in BER: indefinite lengths and chunked OCTET
STRINGs. berify.py produces those forms from openssl's DER; openssl itself is the check that
the output is valid BER (it parses and MAC-verifies every variant, and prints the same keys and
certificates as for the DER original).
"""

from __future__ import annotations

import pytest

import berify
import pkcs12kit
from berify import Style
from tools import LEGACY_PROVIDERS, openssl, openssl_export

PASSWORD = "ber-test"

STYLES = {
    "indefinite": Style(indefinite=True),
    "chunk1000": Style(chunk=1000),  # the chunk size Java's DerOutputStream users pick
    "chunk-random": Style(chunk=64, chunk_seed=7),
    "long-lengths": Style(long_lengths=True),
    "all": Style(indefinite=True, chunk=50, chunk_seed=3, long_lengths=True),
    "indefinite-chunk-no-enc-chunk": Style(indefinite=True, chunk=100, chunk_encrypted_content=False),
}

# name → (openssl options, needs legacy provider, has MAC)
SOURCES = {
    "modern": (["-name", "leaf", "-caname", "inter"], False, True),
    "legacy": (["-legacy", "-name", "leaf"], True, True),
    "legacy-3des-sha1": (["-macalg", "sha1", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES"], False, True),
    "modern-nomac": (["-nomac", "-certpbe", "AES-256-CBC", "-name", "leaf"], False, False),
    "legacy-nomac": (["-legacy", "-nomac", "-certpbe", "PBE-SHA1-RC2-40"], True, False),
    "plain-keybag-mac": (["-keypbe", "NONE", "-certpbe", "NONE", "-CSP", "Some CSP", "-LMK"], False, True),
    "passwordless": (["-keypbe", "NONE", "-certpbe", "NONE", "-nomac"], False, False),
}


@pytest.fixture(autouse=True)
def _openssl(openssl_tool):
    """Every test here needs openssl (missing → skip, or fail when CI=true)."""


@pytest.fixture(scope="module")
def sources(tmp_path_factory, pki, openssl_tool):
    """Each source file once per module: name → (path, DER bytes, legacy)."""
    directory = tmp_path_factory.mktemp("ber-sources")
    leaf = pki.leaf("p256")
    made = {}
    for name, (options, legacy, _) in SOURCES.items():
        path = directory / f"{name}.p12"
        data = openssl_export(path, password=PASSWORD, key=leaf.key_path, cert=leaf.cert_path,
                              certfile=pki.chain_path, options=options, legacy=legacy)
        made[name] = (path, data, legacy)
    return made


def summary(p12):
    """Everything a decoder reports about a file, in comparable form (attribute values are
    compared through friendly_name/local_key_id: BER may legitimately re-frame their DER)."""
    def attrs(entry):
        return (entry.friendly_name, entry.local_key_id, [a.oid for a in entry.attributes])

    return {
        "keys": [(k.der, k.protection, attrs(k)) for k in p12.keys],
        "certs": [(c.der, attrs(c)) for c in p12.certificates],
        "crls": [c.der for c in p12.crls],
        "secrets": [(s.type_id, s.value) for s in p12.secrets],
        "unknown": [u.bag_id for u in p12.unknown_bags],
        "safes": [(s.kind, s.protection, s.bag_count) for s in p12.safes],
        "mac": None if p12.mac is None else (p12.mac.kind, p12.mac.digest, p12.mac.iterations, p12.mac.salt),
    }


def _check_against_truth(p12, pki):
    leaf = pki.leaf("p256")
    assert [k.der for k in p12.keys] == [leaf.key_der]
    assert [c.der for c in p12.certificates] == [leaf.cert_der] + pki.chain_ders


def _openssl_dump(path, legacy, password=PASSWORD):
    """What openssl reads out of a file: every key and certificate with its bag attributes."""
    return openssl("pkcs12", "-in", path, "-passin", "pass:" + password, "-nodes",
                   *(LEGACY_PROVIDERS if legacy else ())).stdout


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("source", list(SOURCES))
def test_outer_layers_ber(tmp_path, sources, pki, source, style):
    """Only the layers outside the MAC are re-encoded: the MAC stays valid."""
    path, der, legacy = sources[source]
    ber = berify.pfx(der, STYLES[style], inner=False)
    assert ber != der
    ber_path = tmp_path / "ber.p12"
    ber_path.write_bytes(ber)
    assert _openssl_dump(ber_path, legacy) == _openssl_dump(path, legacy)
    expected = summary(pkcs12kit.loads(der, PASSWORD))
    p12 = pkcs12kit.loads(ber, PASSWORD)
    assert summary(p12) == expected
    _check_against_truth(p12, pki)


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("source", [name for name, (_, _, mac) in SOURCES.items() if not mac])
def test_all_layers_ber_without_mac(tmp_path, sources, pki, source, style):
    """Files without a MAC: every layer (AuthenticatedSafe, ContentInfos, EncryptedData,
    SafeContents, SafeBags, attributes, EncryptedPrivateKeyInfo) is BER."""
    path, der, legacy = sources[source]
    ber = berify.pfx(der, STYLES[style], inner=True)
    ber_path = tmp_path / "ber.p12"
    ber_path.write_bytes(ber)
    assert _openssl_dump(ber_path, legacy) == _openssl_dump(path, legacy)
    p12 = pkcs12kit.loads(ber, PASSWORD)
    assert summary(p12) == summary(pkcs12kit.loads(der, PASSWORD))
    _check_against_truth(p12, pki)


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("source", [name for name, (_, _, mac) in SOURCES.items() if mac])
def test_all_layers_ber_with_recomputed_mac(tmp_path, sources, pki, source, style):
    """As Java/Windows write them: BER inside, MAC computed over the BER AuthenticatedSafe."""
    path, der, legacy = sources[source]
    ber = berify.pfx_with_mac(der, STYLES[style], PASSWORD)
    ber_path = tmp_path / "ber.p12"
    ber_path.write_bytes(ber)
    # openssl verifies the recomputed MAC and reads the same content
    assert _openssl_dump(ber_path, legacy) == _openssl_dump(path, legacy)
    p12 = pkcs12kit.loads(ber, PASSWORD)
    assert summary(p12) == summary(pkcs12kit.loads(der, PASSWORD))
    _check_against_truth(p12, pki)
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(ber, PASSWORD + "x")


@pytest.mark.parametrize("source", [name for name, (_, _, mac) in SOURCES.items() if mac])
def test_mac_covers_the_octets_as_found(tmp_path, sources, source):
    """Re-encoding inside the MAC'd octets without recomputing the MAC must fail the MAC check
    (a decoder that re-encodes to DER before verifying would wrongly accept it)."""
    path, der, legacy = sources[source]
    ber = berify.pfx(der, STYLES["indefinite"], inner=True)
    ber_path = tmp_path / "ber.p12"
    ber_path.write_bytes(ber)
    proc = openssl("pkcs12", "-in", ber_path, "-passin", "pass:" + PASSWORD, "-noout",
                   *(LEGACY_PROVIDERS if legacy else ()), check=False)
    assert proc.returncode != 0 and b"Mac verify error" in proc.stderr
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.loads(ber, PASSWORD)


# --- the re-encoder itself -----------------------------------------------------------------

@pytest.mark.parametrize("style", list(STYLES))
def test_berify_output_is_valid_ber(tmp_path, sources, style):
    """openssl asn1parse accepts every variant, and it is not DER any more."""
    _, der, _ = sources["modern"]
    for inner in (False, True):
        ber = berify.pfx(der, STYLES[style], inner=inner)
        (tmp_path / "x.ber").write_bytes(ber)
        parsed = openssl("asn1parse", "-inform", "DER", "-in", tmp_path / "x.ber", "-i").stdout
        if STYLES[style].indefinite:
            assert b"l=inf" in parsed
        assert ber != der


def test_berify_primitives():
    """Hand-checked X.690 encodings."""
    der = bytes.fromhex("3006" "0401aa" "0401bb")
    assert berify.reencode(der, Style(indefinite=True)) == bytes.fromhex("3080" "0401aa" "0401bb" "0000")
    assert berify.reencode(der, Style(long_lengths=True)) == bytes.fromhex("308108" "048101aa" "048101bb")
    assert berify.reencode(bytes.fromhex("0403010203"), Style(chunk=2)) == bytes.fromhex("2407" "04020102" "040103")
    assert berify.reencode(bytes.fromhex("0403010203"), Style(chunk=2, indefinite=True)) == bytes.fromhex(
        "2480" "04020102" "040103" "0000")
    long = bytes([0x04, 0x81, 0x80]) + bytes(128)
    assert berify.reencode(long, Style(long_lengths=True)) == bytes([0x04, 0x82, 0x00, 0x80]) + bytes(128)


def test_berify_mac_recomputation_matches_openssl(sources):
    """The test-side PKCS#12 KDF + HMAC reproduces the MAC openssl wrote (validates
    pfx_with_mac independently of pkcs12kit)."""
    import hashlib
    import hmac

    for name in ("modern", "legacy", "legacy-3des-sha1"):
        _, der, _ = sources[name]
        digest, mac, salt, iterations, octets = berify.mac_of(der)
        key = berify.pkcs12_kdf(digest, berify.bmp_password(PASSWORD), salt, 3, iterations,
                                hashlib.new(digest).digest_size)
        assert hmac.new(key, octets, digest).digest() == mac
