"""Identity pairing and chain ordering, against certificates made with `cryptography`."""

import random

import pkcs12kit
from pkcs12kit import CertEntry, KeyEntry, PKCS12

from tools import make_cert, make_key


def test_build_pairs_key_and_leaf_and_orders_chain_leaf_to_root(pki):
    leaf = pki.leaf("p256")
    shuffled = [pki.root.cert, pki.intermediate.cert]
    p12 = PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=shuffled, friendly_name="id")
    assert p12.certificate.der == leaf.cert_der
    assert p12.key.der == leaf.key_der
    assert [c.der for c in p12.chain] == pki.chain_ders  # intermediate, then root
    # OpenSSL's localKeyId: SHA-1 of the certificate DER, on the key and on the leaf.
    import hashlib

    assert p12.key.local_key_id == p12.certificate.local_key_id == hashlib.sha1(leaf.cert_der).digest()


def test_pairing_falls_back_to_the_public_key(pki):
    leaf = pki.leaf("p256")
    other = make_key("p256")
    decoy = make_cert("decoy", other.public_key(), None, other, ca=False)
    entries = [CertEntry.from_certificate(decoy), CertEntry.from_certificate(leaf.cert),
               KeyEntry.from_key(leaf.key)]
    assert PKCS12(tuple(entries)).certificate.der == leaf.cert_der


def test_key_without_its_certificate_pairs_with_nothing(pki):
    leaf = pki.leaf("p256")
    p12 = PKCS12((KeyEntry.from_key(make_key("p256")), CertEntry.from_certificate(leaf.cert)))
    assert p12.certificate is None and p12.chain == ()


def test_certificate_only_file_picks_the_end_entity(pki):
    leaf = pki.leaf("p256")
    certs = [pki.root.cert, leaf.cert, pki.intermediate.cert]
    random.Random(1).shuffle(certs)
    p12 = PKCS12(tuple(CertEntry.from_certificate(c) for c in certs))
    assert p12.certificate.der == leaf.cert_der
    assert [c.der for c in p12.chain] == pki.chain_ders


def test_issuer_cycle_terminates():
    # Two CA certificates that name each other as issuer: the walk must stop.
    key_a, key_b = make_key("p256"), make_key("p256")
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    import datetime
    from cryptography.hazmat.primitives import hashes

    def cert(subject, issuer, public, signer):
        now = datetime.datetime.now(datetime.timezone.utc)
        return (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                .public_key(public).serial_number(1)
                .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                .sign(signer, hashes.SHA256()))

    a = cert("A", "B", key_a.public_key(), key_b)
    b = cert("B", "A", key_b.public_key(), key_a)
    p12 = PKCS12((KeyEntry.from_key(key_a), CertEntry.from_certificate(a), CertEntry.from_certificate(b)))
    assert [c.certificate.subject.native["common_name"] for c in p12.chain] == ["B"]


def test_chain_survives_a_round_trip(pki):
    leaf = pki.leaf("p256")
    p12 = PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[pki.intermediate.cert, pki.root.cert])
    again = pkcs12kit.loads(pkcs12kit.dumps(p12, "pw", profile=pkcs12kit.LEGACY_3DES.with_iterations(10)), "pw")
    assert again == p12 and [c.der for c in again.chain] == pki.chain_ders
