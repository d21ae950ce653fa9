"""Decode keystores written by JDK keytool (PKCS12 store type) at test time.

The oracle is Java itself: a small program (run with the JDK's source launcher) loads the
same keystore with java.security.KeyStore and prints every entry's key encoding, secret key
bytes and certificate chain. keytool -exportcert is a second oracle for certificates.
"""

from __future__ import annotations

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

import pkcs12kit
from tools import key_pkcs8, keytool, make_cert, run

# ASCII: JDK 17's PBKDF2 (SunJCE) refuses non-ASCII passwords ("Password is not ASCII").
STOREPASS = "changeit 17"

ORACLE_JAVA = r"""
import java.io.FileInputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.HexFormat;

public class Oracle {
    public static void main(String[] args) throws Exception {
        char[] password = args[1].toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(args[0])) {
            store.load(in, password);
        }
        HexFormat hex = HexFormat.of();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                Key key = store.getKey(alias, password);
                System.out.println("key\t" + alias + "\t" + key.getAlgorithm() + "\t" + hex.formatHex(key.getEncoded()));
                Certificate[] chain = store.getCertificateChain(alias);
                if (chain != null) {
                    for (Certificate cert : chain) {
                        System.out.println("chain\t" + alias + "\t-\t" + hex.formatHex(cert.getEncoded()));
                    }
                }
            } else {
                System.out.println("cert\t" + alias + "\t-\t" + hex.formatHex(store.getCertificate(alias).getEncoded()));
            }
        }
    }
}
"""


@pytest.fixture(scope="module")
def java_oracle(tmp_path_factory, java_tool, keytool_tool):
    """Run the Java oracle on a keystore: list of (kind, alias, algorithm, bytes)."""
    source = tmp_path_factory.mktemp("oracle") / "Oracle.java"
    source.write_text(ORACLE_JAVA)

    def read(path, password=STOREPASS):
        # -Dfile.encoding keeps the non-ASCII password argument intact
        out = run(["java", "-Dfile.encoding=UTF-8", "-Dsun.jnu.encoding=UTF-8", source, path, password]).stdout
        rows = []
        for line in out.decode().splitlines():
            kind, alias, algorithm, value = line.split("\t")
            rows.append((kind, alias, algorithm, bytes.fromhex(value)))
        return rows

    return read


def _ks(*args, store, storepass=STOREPASS):
    return keytool(*args, "-keystore", store, "-storetype", "PKCS12", "-storepass", storepass)


def _exportcert(store, alias) -> bytes:
    pem = _ks("-exportcert", "-rfc", "-alias", alias, store=store).stdout
    body = b"".join(line for line in pem.splitlines() if line and not line.startswith(b"-----"))
    return base64.b64decode(body)


@pytest.fixture(scope="module")
def key_store(tmp_path_factory, pki, keytool_tool):
    """A key entry "MyKey" (EC P-256) whose certificate is signed by the test intermediate CA,
    installed with its chain (keytool -importcert of the CA reply), plus the trusted root."""
    directory = tmp_path_factory.mktemp("keytool-key")
    store = directory / "key.p12"
    _ks("-genkeypair", "-alias", "MyKey", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=keytool leaf", "-validity", "30", store=store)
    csr_path = directory / "req.csr"
    _ks("-certreq", "-alias", "mykey", "-file", csr_path, store=store)
    csr = x509.load_pem_x509_csr(csr_path.read_bytes())
    leaf = make_cert("keytool leaf", csr.public_key(), pki.intermediate, pki.intermediate.key, ca=False)
    leaf_der = leaf.public_bytes(serialization.Encoding.DER)
    reply = directory / "reply.pem"
    reply.write_bytes(leaf.public_bytes(serialization.Encoding.PEM) + pki.chain_path.read_bytes())
    _ks("-importcert", "-noprompt", "-alias", "TheRoot", "-file", pki.root.cert_path, store=store)
    _ks("-importcert", "-noprompt", "-trustcacerts", "-alias", "mykey", "-file", reply, store=store)
    return store, [leaf_der] + pki.chain_ders


def test_key_entry_with_chain(key_store, java_oracle, pki):
    store, chain_der = key_store
    p12 = pkcs12kit.load(store, STOREPASS)
    oracle = java_oracle(store)
    (_, alias, _, key_der), = [row for row in oracle if row[0] == "key"]
    assert alias == "mykey"  # Java lowercases aliases; keytool stores key entries' names lowercased
    assert [k.der for k in p12.keys] == [key_der]
    assert p12.keys[0].friendly_name == "mykey"
    # Java's view of the chain is leaf → intermediate → root, exactly the certificates we made
    assert [row[3] for row in oracle if row[0] == "chain"] == chain_der
    assert p12.key.der == key_der
    assert p12.certificate.der == chain_der[0] == _exportcert(store, "mykey")
    assert [c.der for c in p12.chain] == chain_der[1:]
    assert p12.certificate.friendly_name == "mykey"
    assert p12.certificate.local_key_id == p12.keys[0].local_key_id is not None
    # the trusted root is its own entry (its DER also appears in the chain); keytool stores a
    # trusted certificate's alias with its case, Java's KeyStore lowercases it on load
    assert ("cert", "theroot", "-", pki.root.cert_der) in oracle
    trusted = [c for c in p12.certificates if c.friendly_name == "TheRoot"]
    assert [c.der for c in trusted] == [pki.root.cert_der] == [_exportcert(store, "theroot")]
    assert trusted[0].attribute("trusted_key_usage").values == (bytes.fromhex("0604551d2500"),)
    # every certificate in the file is one Java knows about
    assert {c.der for c in p12.certificates} == set(chain_der)
    # JDK 17 defaults: PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC, 10000 iterations, HMAC-SHA256 MAC
    protection = p12.keys[0].protection
    assert (protection.scheme, protection.cipher, protection.kdf, protection.prf, protection.iterations) == (
        "pbes2", "aes256_cbc", "pbkdf2", "sha256", 10000)
    assert (p12.mac.kind, p12.mac.digest, p12.mac.iterations) == ("hmac", "sha256", 10000)
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.load(store, "changeit")


def test_key_entry_matches_cryptography(key_store):
    """Second oracle: cryptography (OpenSSL) reads the same key and certificate."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    from cryptography.hazmat.primitives.serialization import load_der_private_key

    store, chain_der = key_store
    oracle = pkcs12.load_pkcs12(store.read_bytes(), STOREPASS.encode())
    p12 = pkcs12kit.load(store, STOREPASS)
    # cryptography re-serializes (adding the EC public key Java omits): compare key material
    assert key_pkcs8(load_der_private_key(p12.key.der, None)) == key_pkcs8(oracle.key)
    assert p12.certificate.der == oracle.cert.certificate.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def trust_store(tmp_path_factory, pki, keytool_tool):
    store = tmp_path_factory.mktemp("keytool-trust") / "trust.p12"
    _ks("-importcert", "-noprompt", "-alias", "RootCA", "-file", pki.root.cert_path, store=store)
    _ks("-importcert", "-noprompt", "-alias", "Inter CA", "-file", pki.intermediate.cert_path, store=store)
    return store


def test_trust_store(trust_store, java_oracle, pki):
    p12 = pkcs12kit.load(trust_store, STOREPASS)
    assert p12.keys == () and p12.secrets == ()
    by_name = {c.friendly_name: c for c in p12.certificates}
    assert set(by_name) == {"RootCA", "Inter CA"}  # trusted entries keep the alias's case
    assert by_name["RootCA"].der == pki.root.cert_der == _exportcert(trust_store, "rootca")
    assert by_name["Inter CA"].der == pki.intermediate.cert_der == _exportcert(trust_store, "inter ca")
    oracle = {alias: der for kind, alias, _, der in java_oracle(trust_store) if kind == "cert"}
    assert {c.friendly_name.lower(): c.der for c in p12.certificates} == oracle
    for cert in p12.certificates:
        usage = cert.attribute("trusted_key_usage")
        assert usage.type == "trusted_key_usage"
        assert usage.oid == "2.16.840.1.113894.746875.1.1"
        assert usage.values == (bytes.fromhex("0604551d2500"),)  # anyExtendedKeyUsage 2.5.29.37.0
        assert cert.local_key_id is None  # not paired with a key
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.load(trust_store, "wrong")


@pytest.fixture(scope="module")
def secret_store(tmp_path_factory, keytool_tool):
    store = tmp_path_factory.mktemp("keytool-secret") / "secret.p12"
    _ks("-genseckey", "-alias", "MySecret", "-keyalg", "AES", "-keysize", "128", store=store)
    _ks("-genseckey", "-alias", "Big", "-keyalg", "AES", "-keysize", "256", store=store)
    return store


def test_secret_keys(secret_store, java_oracle):
    p12 = pkcs12kit.load(secret_store, STOREPASS)
    oracle = {alias: (algorithm, value) for kind, alias, algorithm, value in java_oracle(secret_store)
              if kind == "key"}
    assert {alias: algorithm for alias, (algorithm, _) in oracle.items()} == {"mysecret": "AES", "big": "AES"}
    assert p12.keys == () and p12.certificates == ()
    secrets = {s.friendly_name: s for s in p12.secrets}
    assert set(secrets) == {"mysecret", "big"}
    for alias, (_, value) in oracle.items():
        assert secrets[alias].value == value
        assert secrets[alias].algorithm == "aes"
    assert len(secrets["mysecret"].value) == 16 and len(secrets["big"].value) == 32
    with pytest.raises(pkcs12kit.BadPasswordError):
        pkcs12kit.load(secret_store, "wrong")


def test_two_key_entries(tmp_path, java_oracle, keytool_tool):
    store = tmp_path / "two.p12"
    _ks("-genkeypair", "-alias", "First", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=first",
        "-validity", "30", store=store)
    _ks("-genkeypair", "-alias", "second", "-keyalg", "EC", "-groupname", "secp384r1", "-dname", "CN=second",
        "-validity", "30", store=store)
    p12 = pkcs12kit.load(store, STOREPASS)
    oracle = java_oracle(store)
    keys = {alias: der for kind, alias, _, der in oracle if kind == "key"}
    chains = {alias: der for kind, alias, _, der in oracle if kind == "chain"}
    assert {k.friendly_name: k.der for k in p12.keys} == keys
    assert {c.friendly_name: c.der for c in p12.certificates} == chains
    assert chains["first"] == _exportcert(store, "first")
    # each key is paired with its own certificate through localKeyId
    for key in p12.keys:
        (cert,) = [c for c in p12.certificates if c.local_key_id == key.local_key_id]
        assert cert.friendly_name == key.friendly_name
        public = x509.load_der_x509_certificate(cert.der).public_key()
        from cryptography.hazmat.primitives.serialization import load_der_private_key

        assert load_der_private_key(key.der, None).public_key() == public


def test_legacy_keystore_settings(tmp_path, java_oracle, keytool_tool):
    """-J-Dkeystore.pkcs12.legacy: JDK 8-style pbeWithSHA1AndDESede keys, RC2-40 certificates,
    HMAC-SHA1 MAC (the algorithms older Java and most devices expect)."""
    store = tmp_path / "legacy.p12"
    keytool("-J-Dkeystore.pkcs12.legacy", "-genkeypair", "-alias", "old", "-keyalg", "EC",
            "-groupname", "secp256r1", "-dname", "CN=old", "-validity", "30", "-keystore", store,
            "-storetype", "PKCS12", "-storepass", STOREPASS)
    p12 = pkcs12kit.load(store, STOREPASS)
    oracle = java_oracle(store)
    assert [k.der for k in p12.keys] == [der for kind, _, _, der in oracle if kind == "key"]
    assert [c.der for c in p12.certificates] == [der for kind, _, _, der in oracle if kind == "chain"]
    assert p12.keys[0].protection.scheme == "pkcs12_sha1_tripledes_3key"
    assert [s.protection.scheme for s in p12.safes if s.kind == "encryptedData"] == ["pkcs12_sha1_rc2_40"]
    assert (p12.mac.digest, p12.mac.iterations) == ("sha1", 100000)

