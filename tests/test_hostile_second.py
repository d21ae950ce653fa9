"""Hostile input, second pass (issue 15): one test per reported row, each on a crafted file from
tests/vectors/crafted/second_pass.py (made by make.py), asserting the exact error class and
message and a bound on the work, counted in operations (TLV reads, public-key loads, name reads,
KDF calls, parses), never in seconds. Each ``test_scaling_*`` doubles the count of a hostile
shape and checks the counted work about doubles (linear), not quadruples.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa, x25519

import craft
import pkcs12kit
from pkcs12kit import (
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    Limits,
    MalformedError,
    PKCS12Error,
    UnsupportedAlgorithmError,
    chain,
    cisco,
    cli,
    parsed,
    targets,
    tlv,
)
from pkcs12kit.textsafe import printable, printable_lines

CRAFTED = Path(__file__).parent / "vectors" / "crafted"
sys.path.insert(0, str(CRAFTED))
import second_pass  # noqa: E402


def vector(name: str) -> bytes:
    return (CRAFTED / name).read_bytes()


def run_cli(*argv: str, stdin=None) -> tuple[int, str, str]:
    """``pkcs12kit.cli.main`` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        if stdin is not None:
            saved, sys.stdin = sys.stdin, stdin
        try:
            code = cli.main(list(argv))
        finally:
            if stdin is not None:
                sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


class Counter:
    """Counts calls of module functions (wrapping them with monkeypatch)."""

    def __init__(self, monkeypatch, module, *names: str) -> None:
        self.calls = {name: 0 for name in names}
        for name in names:
            original = getattr(module, name)

            def counting(*args, __name=name, __original=original, **kwargs):
                self.calls[__name] += 1
                return __original(*args, **kwargs)

            monkeypatch.setattr(module, name, counting)

    def __getitem__(self, name: str) -> int:
        return self.calls[name]


@pytest.fixture
def kdf_calls(monkeypatch):
    """Counts the KDFs the decoder can call (pkcs12kit.kdf's and hashlib's PBKDF2)."""
    from pkcs12kit import kdf

    counter = Counter(monkeypatch, kdf, "pkcs12_kdf", "pbkdf1", "pbkdf2", "scrypt")
    return counter


@pytest.fixture
def certificate_parses(monkeypatch):
    """Counts asn1crypto certificate parses (``x509.Certificate.load``), whoever starts them: the
    cost the old chain code paid once per same-name candidate (issue 15 row 3)."""
    from asn1crypto import x509

    calls: list[int] = []
    original = x509.Certificate.load.__func__

    def load(cls, *args, **kwargs):
        calls.append(1)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(x509.Certificate, "load", classmethod(load))
    return calls


def test_every_crafted_vector_is_current():
    """The files on disk are what second_pass.py makes (regenerate with make.py)."""
    for name, make in second_pass.VECTORS.items():
        assert (CRAFTED / name).read_bytes() == make(), f"{name}: run tests/vectors/crafted/make.py"


# --- row 1: BER nesting is read in linear time -------------------------------------------------


def _reads(monkeypatch, data: bytes) -> int:
    counter = Counter(monkeypatch, tlv, "read")
    p12 = pkcs12kit.loads(data, None)
    assert [c.der for c in p12.certificates] == [craft.identity()[1]]  # the content survives
    monkeypatch.undo()
    return counter["read"]


def test_row1_nested_indefinite_octet_strings_are_read_once(monkeypatch):
    data = vector("ber-octets-20-levels-20000-chunks.p12")
    reads = _reads(monkeypatch, data)
    # 20,000 chunks + 20 levels + a few dozen container values; before the fix, each level
    # re-read everything below it: about 20 × 20,000 reads.
    assert 20_000 <= reads <= 2 * 20_000 + 200


def test_row1_nesting_inside_an_auth_safe_read_in_place_is_read_once(monkeypatch):
    """The authSafe OCTET STRING is read in place (a memoryview, docs/development.md#decoding);
    the indefinite-length ends inside it are memoised as in a bytes buffer, so the same nesting
    one layer down is linear too."""
    reads = _reads(monkeypatch, second_pass.ber_nested_chunks_in_auth_safe(levels=20, chunks=20_000))
    assert 20_000 <= reads <= 2 * 20_000 + 200
    deeper = _reads(monkeypatch, second_pass.ber_nested_chunks_in_auth_safe(levels=40, chunks=20_000))
    assert deeper - reads < 200


def test_scaling_ber_depth_costs_nothing_and_chunks_cost_linearly(monkeypatch):
    shallow = _reads(monkeypatch, second_pass.ber_nested_chunks(levels=10, chunks=5_000))
    deep = _reads(monkeypatch, second_pass.ber_nested_chunks(levels=40, chunks=5_000))
    double = _reads(monkeypatch, second_pass.ber_nested_chunks(levels=10, chunks=10_000))
    assert deep - shallow <= 3 * 30 + 10  # four times the levels: a few reads per level more
    assert 1.8 <= double / shallow <= 2.2  # twice the chunks: twice the reads


def test_row1_too_deep_indefinite_nesting_is_still_refused():
    data = second_pass.ber_nested_chunks(levels=70, chunks=1)
    with pytest.raises(MalformedError, match="BER nesting deeper than 64 levels"):
        pkcs12kit.loads(data, None)


# --- row 2: each public key is loaded once ------------------------------------------------------


def _spki_loads(action) -> int:
    before = chain.spki_loads
    action()
    return chain.spki_loads - before


def test_row2_unpaired_keys_load_each_public_key_once():
    p12 = pkcs12kit.loads(vector("ec-keys-60-unmatched-certs-60.p12"), None)
    assert len(p12.keys) == 60 and len(p12.certificates) == 60
    loads = _spki_loads(lambda: targets.check(p12, "asa"))
    assert loads <= 60 + 60  # K + C, not K × C (3,600)
    findings = targets.check(p12, "asa")
    assert sum(f.code == "key-certificate-mismatch" for f in findings) == 1
    mismatch = next(f for f in findings if f.code == "key-certificate-mismatch")
    assert "no certificate in the file certifies key[0]" in mismatch.message
    # The CLI's info pairs through the same cache: a fresh decode, again K + C loads at most.
    fresh = pkcs12kit.loads(vector("ec-keys-60-unmatched-certs-60.p12"), None)
    from pkcs12kit.cli.output import info_document

    loads = _spki_loads(lambda: info_document(fresh))
    assert loads <= 60 + 60
    assert all(key["certificate"] is None for key in info_document(fresh)["keys"])


def test_row2_pairing_matches_cryptography():
    """certificates_of agrees with cryptography's own public-key comparison."""
    p12 = pkcs12kit.loads(craft.plain_pfx(), "pw")
    key = serialization.load_der_private_key(p12.keys[0].der, None)
    from cryptography import x509

    expected = [
        i for i, c in enumerate(p12.certificates)
        if x509.load_der_x509_certificate(c.der).public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        == key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    ]
    assert chain.certificates_of(p12.keys, p12.certificates) == [expected[0]]


def test_scaling_unpaired_keys():
    def loads_for(count: int) -> int:
        p12 = pkcs12kit.loads(second_pass.unpaired_keys(count), None)
        return _spki_loads(lambda: (targets.check(p12, "asa"), p12.certificate))

    small, large = loads_for(20), loads_for(40)
    assert large == 2 * small == 2 * (20 + 20)


# --- row 3: chains stop at a repeated name and are capped ---------------------------------------


def _names_calls(monkeypatch, p12) -> tuple[int, tuple]:
    # Chains read each certificate's (issuer, subject) through chain.names_of (the TLV-level
    # fields of issue 12); counting its calls counts the name reads.
    counter = Counter(monkeypatch, chain, "names_of")
    result = p12.chain
    monkeypatch.undo()
    return counter["names_of"], result


def test_row3_name_loop_stops_at_the_repeated_name(monkeypatch):
    p12 = pkcs12kit.loads(vector("name-loop-100x2.p12"), None)
    calls, issuers = _names_calls(monkeypatch, p12)
    subjects = [c.certificate.subject.native["common_name"] for c in issuers]
    assert subjects == ["loop A", "loop B"]  # then A again: a loop, so the chain ends
    # Names are read once per certificate to find the leaf and once to index the issuers.
    assert calls <= 2 * len(p12.certificates) + 2 * len(issuers) + 4


def test_row3_many_certificates_of_one_name(monkeypatch):
    p12 = pkcs12kit.loads(vector("same-subject-200.p12"), None)
    calls, issuers = _names_calls(monkeypatch, p12)
    assert len(issuers) == 1 and issuers[0] is p12.certificates[1]  # the first of that name
    assert calls <= 2 * len(p12.certificates) + 4


def test_row3_chain_length_is_capped():
    """A real chain of MAX_CHAIN + 5 distinct names: only MAX_CHAIN issuers are returned."""
    length = chain.MAX_CHAIN + 5
    bags = [craft.cert_bag(second_pass.certificate(second_pass.name("n0"), second_pass.name("n1"),
                                                    second_pass.ed25519_spki(0)))]
    for i in range(1, length + 1):
        bags.append(craft.cert_bag(second_pass.certificate(
            second_pass.name(f"n{i}"), second_pass.name(f"n{i + 1}"), second_pass.ed25519_spki(i), serial=i)))
    p12 = pkcs12kit.loads(second_pass.plain_file(*bags), None)
    assert len(p12.chain) == chain.MAX_CHAIN
    assert [c.der for c in p12.chain] == [c.der for c in p12.certificates[1:chain.MAX_CHAIN + 1]]


def test_row3_name_loop_with_key_identifiers(monkeypatch, certificate_parses):
    """The issue's 1,500 × 2 loop, each certificate with a subjectKeyIdentifier and an
    authorityKeyIdentifier matching none: the old code walked a 3,000-entry chain, parsing every
    candidate to compare key identifiers (3,001 parses, about 3 s)."""
    p12 = pkcs12kit.loads(vector("name-loop-1500x2-key-ids.p12"), None)
    assert len(p12.certificates) == 1 + 2 * second_pass.NAME_LOOP_KEY_IDS
    issuers = p12.chain
    assert list(issuers) == [p12.certificates[1], p12.certificates[2]]  # A, B, then A again: a loop
    # The leaf's authorityKeyIdentifier, then the first MAX_SAME_NAME (64) candidates of each of
    # the two names (chain.issuers never parses more of one name).
    assert len(certificate_parses) == 1 + 2 * 64
    assert chain.MAX_SAME_NAME == 64
    calls, _ = _names_calls(monkeypatch, pkcs12kit.loads(vector("name-loop-1500x2-key-ids.p12"), None))
    assert calls <= 2 * len(p12.certificates) + 2 * len(issuers) + 4


def test_row3_many_certificates_of_one_name_with_key_identifiers(monkeypatch, certificate_parses):
    """3,300 certificates named S, each with its own subjectKeyIdentifier, the leaf's
    authorityKeyIdentifier matching none: the old code parsed all of them (3,301 parses; the
    issue's 10,000: 10,001 parses, 2.8 s); without key identifiers (same-subject-200.p12) both
    old and new decide by name."""
    p12 = pkcs12kit.loads(vector("same-subject-3300-key-ids.p12"), None)
    assert len(p12.certificates) == 1 + second_pass.SAME_SUBJECT_KEY_IDS
    assert p12.chain == (p12.certificates[1],)  # no key identifier matches: the first of that name
    # The leaf, then the first MAX_SAME_NAME (64) certificates of that name, not all 3,300.
    assert len(certificate_parses) == 1 + 64
    calls, _ = _names_calls(monkeypatch, pkcs12kit.loads(vector("same-subject-3300-key-ids.p12"), None))
    assert calls <= 2 * len(p12.certificates) + 4


def test_row3_key_identifier_still_picks_the_issuer_among_the_first_candidates():
    """The bound keeps RFC 5280 4.2.1.1 matching: when the issuer whose subjectKeyIdentifier is
    the leaf's authorityKeyIdentifier is among the first MAX_SAME_NAME of its name, it is taken."""
    s, s2 = second_pass.name("same subject"), second_pass.name("absent CA")
    target = 10
    aki = hashlib.sha1(target.to_bytes(4, "big")).digest()  # key_ids' subjectKeyIdentifier of serial 10
    bags = [craft.cert_bag(second_pass.certificate(second_pass.name("leaf"), s, second_pass.ed25519_spki(0),
                                                   extensions=second_pass.key_ids(0, aki)))]
    bags += [craft.cert_bag(second_pass.certificate(s, s2, second_pass.ed25519_spki(i), serial=i,
                                                    extensions=second_pass.key_ids(i))) for i in range(1, 30)]
    p12 = pkcs12kit.loads(second_pass.plain_file(*bags), None)
    assert p12.chain == (p12.certificates[target],)


def test_scaling_name_loop(monkeypatch):
    small, _ = _names_calls(monkeypatch, pkcs12kit.loads(second_pass.name_loop(100), None))
    large, _ = _names_calls(monkeypatch, pkcs12kit.loads(second_pass.name_loop(200), None))
    assert 1.8 <= large / small <= 2.2


# --- row 4: every hash chain is charged; duplicate forms are not run -----------------------------


def test_row4_tripledes_safes_are_charged_three_chains(kdf_calls):
    with pytest.raises(LimitExceededError) as caught:
        pkcs12kit.loads(vector("tripledes-9-safes-2000000-mac.p12"), None)
    assert str(caught.value) == (
        "PFX: the file declares 56,000,000 KDF iterations in total, over Limits.max_total_iterations "
        "(10,000,000); pass limits=Limits(max_total_iterations=...) to allow it")
    assert sum(kdf_calls.calls.values()) == 0  # refused before any hashing


@pytest.mark.parametrize("password", [None, ""])
def test_row4_tripledes_safes_behind_a_mac_that_verifies_are_refused_up_front(kdf_calls, password):
    """The same 9 safes and MAC, really made under the empty password: with no password the old
    code verified the MAC and went on into the safes, 18 KDF calls and 52,000,000 iterations
    (17 s), charging each safe one chain instead of three; the crafted file above stopped it at
    the MAC. Refused from the declared cost, whatever the password."""
    with pytest.raises(LimitExceededError) as caught:
        pkcs12kit.loads(vector("tripledes-9-safes-2000000-mac-empty-password.p12"), password)
    assert str(caught.value) == (
        "PFX: the file declares 56,000,000 KDF iterations in total, over Limits.max_total_iterations "
        "(10,000,000); pass limits=Limits(max_total_iterations=...) to allow it")
    assert sum(kdf_calls.calls.values()) == 0  # refused before any hashing


def test_row4_the_empty_password_file_opens_at_small_counts(kdf_calls):
    """The vector's shape is sound: at 1,000 iterations it opens with no password, its MAC
    verifies under the empty password, and each of the 9 safes derives its key and IV once."""
    data = second_pass.tripledes_nine_safes_empty_password(1000)
    p12 = pkcs12kit.loads(data, None)
    assert p12.mac_verified and len(p12.keys) == len(p12.certificates) == 9
    # The MAC tries the absent and the empty password (2), then 9 × (key, IV) under the one that
    # verified: 20 calls, and 1,000 + 9 × 3,000 = 28,000 declared iterations.
    assert kdf_calls["pkcs12_kdf"] == 2 + 9 * 2
    assert sum(kdf_calls.calls.values()) == kdf_calls["pkcs12_kdf"]


def test_row4_charge_is_rfc7292_appendix_b_chains(kdf_calls):
    """A 3-key 3DES safe at 1,000 iterations costs 3,000 (key: ceil(24/20) = 2 SHA-1 chains, IV:
    1), its HMAC-SHA256 MAC 1,000 (one chain of a 32-octet key): 4,000 in all."""
    algorithm, ciphertext = craft.pkcs12_pbe(craft.plain_safe(), "pw", 1000)
    content = craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext))
    data = craft.pfx(content, craft.hmac_mac_data(content, "pw", iterations=1000))
    with pytest.raises(LimitExceededError, match="declares 4,000 KDF iterations in total"):
        pkcs12kit.loads(data, "pw", limits=Limits(max_total_iterations=3_999))
    assert sum(kdf_calls.calls.values()) == 0
    assert len(pkcs12kit.loads(data, "pw", limits=Limits(max_total_iterations=4_000)).keys) == 1


def test_row4_pbkdf2_longer_than_the_hash_is_charged_per_block():
    """PBES2 AES-256 with HMAC-SHA1: a 32-octet key is 2 PBKDF2 blocks (RFC 8018 section 5.2)."""
    from pkcs12kit.kdf import hash_chains

    assert hash_chains("sha1", 32) == 2 and hash_chains("sha256", 32) == 1 and hash_chains("sha1", 24) == 2
    assert hash_chains("sha1", 8) == 1 and hash_chains("sha512", 64) == 1


def test_row4_non_ascii_wrong_password_runs_pbkdf2_once(kdf_calls):
    algorithm, ciphertext = craft.pbes2_pbkdf2(craft.plain_safe(), "pw", 1000)
    data = craft.pfx(craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext)))
    with pytest.raises(BadPasswordError):
        pkcs12kit.loads(data, "wrông")
    # The standard and the OpenSSL-legacy forms hash the same UTF-8 octets under PBKDF2.
    assert kdf_calls["pbkdf2"] == 1


def test_row4_no_password_tries_each_distinct_secret_once(kdf_calls):
    """None tries the absent and the empty password; under PBES2 both are b"": one PBKDF2."""
    algorithm, ciphertext = craft.pbes2_pbkdf2(craft.plain_safe(), "pw", 1000)
    data = craft.pfx(craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext)))
    with pytest.raises(BadPasswordError):
        pkcs12kit.loads(data, None)
    assert kdf_calls["pbkdf2"] == 1


# --- row 5: deep nesting in a certificate -------------------------------------------------------


def test_row5_deep_subject_is_malformed_not_recursion(monkeypatch):
    p12 = pkcs12kit.loads(vector("cert-subject-nested-1000.p12"), None)
    entry = p12.certificates[0]
    counter = Counter(monkeypatch, parsed, "nesting_depth")
    for _ in range(3):
        with pytest.raises(MalformedError) as caught:
            entry.certificate
        assert str(caught.value) == "certificate: values nested deeper than 48 levels"
    assert counter["nesting_depth"] == 1  # the failure is cached (row 12 too)
    findings = targets.check(p12, "asa")
    assert any(f.code == "key-unreadable" for f in findings)
    for call in (lambda: cisco.show_certificates(p12, "asa"), lambda: cisco.check_hostname(p12, "a.example")):
        with pytest.raises(PKCS12Error):
            call()


@pytest.mark.parametrize("argv", [
    ["check", "--target", "asa"], ["show", "--platform", "asa"], ["convert", "-o", "-", "--to", "asa"], ["info"],
])
def test_row5_cli_never_exits_8_on_deep_nesting(tmp_path, argv):
    path = tmp_path / "deep.p12"
    path.write_bytes(vector("cert-subject-nested-1000.p12"))
    code, _, err = run_cli(argv[0], str(path), *argv[1:])
    assert code != 8, err
    assert "internal error" not in err


# Nesting under an attribute type asn1crypto does not know (parsed as Any, whose native form
# recursed once per level): the shapes that raised RecursionError on the old code, where the CN
# value of cert-subject-nested-1000.p12 was refused by asn1crypto before any recursion.
UNKNOWN_ATTRIBUTE_NESTING = [
    "cert-subject-unknown-attribute-nested-1000.p12",
    "cert-subject-unknown-attribute-nested-350.p12",
    "cert-issuer-unknown-attribute-nested-1000.p12",
    "cert-san-directoryname-nested-1000.p12",
    "cert-san-othername-nested-1000.p12",
    "cert-nameconstraints-directoryname-nested-1000.p12",
]
TOO_DEEP = "certificate: values nested deeper than 48 levels"


@pytest.mark.parametrize("name", UNKNOWN_ATTRIBUTE_NESTING)
def test_row5_unknown_attribute_nesting_is_malformed_not_recursion(name, monkeypatch, certificate_parses):
    """Each of the issue's five calls raises MalformedError (or, for targets.check, reports the
    certificate as unreadable); none raises RecursionError, and asn1crypto never sees the
    certificate: the nesting is measured (iteratively) first."""
    p12 = pkcs12kit.loads(vector(name), None)
    entry = p12.certificates[0]
    calls = {
        "subject.human_friendly": lambda: entry.certificate.subject.human_friendly,
        "CertEntry.certificate": lambda: entry.certificate,
        "cisco.show_certificates": lambda: cisco.show_certificates(p12, "asa"),
        "cisco.check_hostname": lambda: cisco.check_hostname(p12, "a.example"),
    }
    for label, call in calls.items():
        with pytest.raises(MalformedError) as caught:
            call()
        assert str(caught.value) == TOO_DEEP, label
    unreadable = [f for f in targets.check(p12, "asa") if f.code == "key-unreadable"]
    assert [f.message for f in unreadable] == [
        "certificate[0] cannot be parsed: pkcs12kit cannot parse it, so neither can be checked"]
    assert certificate_parses == []
    # The failure is cached: the nesting is measured once for all of the calls above.
    fresh = pkcs12kit.loads(vector(name), None)
    counter = Counter(monkeypatch, parsed, "nesting_depth")
    for _ in range(3):
        with pytest.raises(MalformedError, match=f"^{TOO_DEEP}$"):
            fresh.certificates[0].certificate
    targets.check(fresh, "asa")
    assert counter["nesting_depth"] == 1


@pytest.mark.parametrize("argv", [
    ["check", "--target", "asa"], ["show", "--platform", "asa"], ["convert", "-o", "-", "--to", "asa"], ["info"],
], ids=lambda argv: argv[0])
@pytest.mark.parametrize("name", UNKNOWN_ATTRIBUTE_NESTING)
def test_row5_cli_refuses_unknown_attribute_nesting_with_exit_3(tmp_path, name, argv):
    """The old code exited 8 ("internal error: RecursionError") from check, show and convert."""
    path = tmp_path / name
    path.write_bytes(vector(name))
    code, _, err = run_cli(argv[0], str(path), *argv[1:])
    assert (code, err.splitlines()[-1:]) == (3, [f"pkcs12kit: error: {TOO_DEEP}"])
    assert "internal error" not in err


def test_row5_real_certificates_are_far_below_the_nesting_limit():
    for path in (Path(__file__).parent / "vectors").rglob("*.p12"):
        if CRAFTED in path.parents:
            continue
        try:
            p12 = pkcs12kit.loads(path.read_bytes(), "pw")
        except PKCS12Error:
            continue
        for entry in p12.certificates:
            assert parsed.nesting_depth(entry.der) <= parsed.MAX_LEAF_NESTING // 2


def test_row5_repeated_attribute_types_are_malformed_not_recursion():
    p12 = pkcs12kit.loads(vector("cert-subject-1000-cns.p12"), None)
    with pytest.raises(MalformedError, match="^certificate: subject: an attribute type repeats over 64 times$"):
        p12.certificates[0].certificate
    assert second_pass.repeated_cn(64) != vector("cert-subject-1000-cns.p12")
    ok = pkcs12kit.loads(second_pass.repeated_cn(64), None).certificates[0].certificate
    assert ok.subject.human_friendly.startswith("Common Name: x, x")


# --- rows 6 and 11: keys asn1crypto cannot size ------------------------------------------------


def test_row6_row11_odd_keys_raise_malformed_on_first_access():
    p12 = pkcs12kit.loads(vector("odd-keys.p12"), None)
    messages = []
    for key in p12.keys:
        with pytest.raises(MalformedError) as caught:
            key.private_key
        messages.append(str(caught.value))
    assert messages == [
        "private key: the key size cannot be read: AttributeError",
        "private key: the RSA modulus is not a positive integer",
        "private key: the key size cannot be read: TypeError",
    ]
    with pytest.raises(MalformedError, match="^certificate: the key size cannot be read"):
        p12.certificates[0].certificate
    unreadable = next(f for f in targets.check(p12, "asa") if f.code == "key-unreadable")
    assert unreadable.message.startswith("key[0] cannot be parsed; key[1] cannot be parsed; key[2] cannot be "
                                         "parsed; certificate[0] cannot be parsed")


def _pkcs8(key) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@pytest.mark.parametrize("make, expected", [
    (lambda: rsa.generate_private_key(65537, 1024), 1024),
    (lambda: ec.generate_private_key(ec.SECP384R1()), 384),
    (lambda: dsa.generate_private_key(1024), 1024),
    (lambda: ed25519.Ed25519PrivateKey.generate(), 256),
    (lambda: x25519.X25519PrivateKey.generate(), 256),
])
def test_row11_key_size_is_safe_and_agrees_with_cryptography(make, expected):
    key = make()
    entry = pkcs12kit.KeyEntry(_pkcs8(key))
    assert entry.key_size == getattr(key, "key_size", expected) == expected
    if entry.algorithm in ("ed25519", "x25519"):
        with pytest.raises(UnboundLocalError):  # asn1crypto 1.5.1's own bit_size (documented)
            entry.private_key.bit_size


# --- row 7: terminal safety --------------------------------------------------------------------

CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)] + ["\u2028", "\u2029"]


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_row7_printable_escapes_every_control_character(char):
    escaped = printable(f"a{char}b")
    assert escaped.startswith("a\\") and escaped.endswith("b")
    assert all(0x20 <= ord(c) < 0x7F for c in escaped)  # nothing left for a terminal to act on
    if char != "\n":
        assert printable_lines(f"x{char}y\nz").split("\n") == [printable(f"x{char}y"), "z"]


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\ufeff", "\x1b", "\x9b"], ids=lambda c: f"U+{ord(c):04X}")
def test_row7_printable_lines_escapes_in_a_long_text(char):
    """The whole-text check `printable_lines` makes first still finds one character among
    thousands of safe lines, ASCII or not."""
    for filler in ("CN=server,O=Example", "CN=Grüße"):
        lines = [filler] * 2000
        lines[1234] = f"x{char}y"
        assert printable_lines("\n".join(lines)).split("\n") == [*[filler] * 1234, printable(f"x{char}y"),
                                                                 *[filler] * 765]
        assert "\\" in printable(f"x{char}y")


def test_row7_printable_lines_fast_checks_agree_with_printable_on_every_bmp_character():
    """`printable_lines` skips escaping when its whole-text checks (the translate of an ASCII text,
    the regular expression of any other) find nothing: both must find exactly the characters
    `printable` escapes, the newline aside, on either path."""
    for code in range(0x10000):
        char = chr(code)
        if char == "\n" or 0xD800 <= code <= 0xDFFF:
            continue
        for text in (f"x{char}y", f"\u00e9{char}y"):  # ASCII around it, and not
            assert printable_lines(text) == printable(text), hex(code)


def test_row7_printable_keeps_ordinary_text():
    for text in ("CN=server,O=Example", "Grüße, 東京", "a\\b"):
        assert printable(text) == text


def assert_terminal_safe(printed: str, command: str) -> None:
    """Nothing in ``printed`` a terminal acts on (every control character but the line feeds the
    CLI writes itself), and no injected config line standing alone."""
    for char in CONTROLS:
        if char != "\n":
            assert char not in printed, f"raw U+{ord(char):04X} printed by {command}"
    lines = [line.strip() for line in printed.splitlines()]
    assert "configure terminal" not in lines and "username evil privilege 15 secret 0 evil" not in lines


@pytest.mark.parametrize("argv", [
    ["info"], ["show", "--platform", "asa"], ["show", "--platform", "ios"], ["check", "--target", "asa"],
    ["cisco-import", "--platform", "ios", "--trustpoint", "TP", "--passout", "pass:Abcdefgh12"],
])
def test_row7_cli_prints_no_raw_control_characters(tmp_path, argv):
    path = tmp_path / "inject.p12"
    path.write_bytes(vector("cn-terminal-injection.p12"))
    code, out, err = run_cli(argv[0], str(path), *argv[1:])
    assert code != 8, err
    assert_terminal_safe(out + err, argv[0])
    if argv[0] == "info":
        assert "CN=\\nquit\\nconfigure terminal\\nusername evil" in out


INJECTION_ESCAPED = "CN=\\nquit\\nconfigure terminal\\nusername evil privilege 15 secret 0 evil\\n!"
OSC52_ESCAPED = "\\x1b]52;c;ZXZpbA==\\x07owned\\u2028\\x9b31m"


@pytest.mark.parametrize("argv", [
    ["cisco-import", "--platform", "ios", "--trustpoint", "TP", "--passout", "pass:Abcdefgh12"],
    ["cisco-import", "--platform", "asa", "--trustpoint", "TP", "--passout", "pass:Abcdefgh12"],
    ["check", "--target", "asa"],
    ["check", "--target", "ios"],
], ids=lambda argv: "-".join(argv[:3:2]))
def test_row7_warnings_naming_the_names_are_escaped(tmp_path, argv):
    """cn-terminal-injection-warnings.p12: the identity's issuer (the OSC 52 CN) is absent and a
    certificate outside its chain has the injection CN, so the trustpoint findings name both: the
    old cisco-import printed them raw in the warnings after the session (on
    cn-terminal-injection.p12 no warning names a CN). They are printed escaped, and named."""
    path = tmp_path / "inject.p12"
    path.write_bytes(vector("cn-terminal-injection-warnings.p12"))
    code, out, err = run_cli(argv[0], str(path), *argv[1:])
    assert code == 0, err
    assert_terminal_safe(out + err, argv[0])
    findings = err if argv[0] == "cisco-import" else out
    assert f"certificate[0] ({INJECTION_ESCAPED}) has no subjectAltName" in findings
    assert f"missing-issuer: the issuer 'Common Name: {OSC52_ESCAPED}' of the identity certificate" in findings
    if argv[0] == "cisco-import":  # the notes after the session name both certificates
        assert f"the issuer of the identity certificate (cn={OSC52_ESCAPED}) is not in the file" in err
        other = INJECTION_ESCAPED.replace("CN=", "cn=") + " (other)"
        assert f"certificate {other} is not in the identity's chain" in err


# --- row 9: year 0000 --------------------------------------------------------------------------


def test_row9_year_zero_is_malformed():
    p12 = pkcs12kit.loads(vector("validity-year-0000.p12"), None)
    with pytest.raises(MalformedError, match="^certificate: validity not_before is not a date in years 1 to 9999$"):
        p12.certificates[0].certificate


def test_row9_show_does_not_exit_8(tmp_path):
    path = tmp_path / "y0.p12"
    path.write_bytes(vector("validity-year-0000.p12"))
    code, _, err = run_cli("show", str(path), "--platform", "asa")
    assert code not in (0, 8) and "not a date" in err


# --- row 10: keys cryptography cannot load, in the Cisco PEM writers ---------------------------


SHORT_ED25519 = craft.seq(craft.integer(0), craft.seq(craft.oid("1.3.101.112")), craft.octets(craft.octets(bytes(31))))


def test_row10_pem_transcript_with_a_key_cryptography_refuses():
    """An Ed25519 PrivateKeyInfo with a 31-octet key: cryptography cannot load it."""
    from pkcs12kit.cisco import pem_transcripts

    with pytest.raises(MalformedError, match="^private key: cannot load it"):
        pkcs12kit.PKCS12.build(key=SHORT_ED25519, certificate=craft.identity()[1])
    with pytest.raises(EncodeError, match="^here: the private key cannot be loaded"):
        pem_transcripts._load_private_key(pkcs12kit.KeyEntry(SHORT_ED25519), "here")
    p12 = pkcs12kit.PKCS12((pkcs12kit.KeyEntry(SHORT_ED25519), pkcs12kit.CertEntry(craft.identity()[1])))
    for call in (lambda: cisco.pem_transcript(p12, "Abcdefgh12"),
                 lambda: cisco.pem_import_session(p12, "Abcdefgh12", "TP")):
        with pytest.raises((EncodeError, UnsupportedAlgorithmError, MalformedError)):
            call()


@pytest.mark.parametrize("private_key", [bytes(31), bytes(32) + b"\x7e", bytes(33)])
def test_row11_curve_keys_of_the_wrong_shape_are_malformed(private_key):
    """RFC 8410 section 7: one 32-octet CurvePrivateKey. Bytes after it were found by the
    differential fuzzer: OpenSSL ignores them, cryptography's own loader refuses the key."""
    inner = craft.octets(private_key[:32]) + private_key[32:] if len(private_key) == 33 and private_key[32:] == b"\x7e" \
        else craft.octets(private_key)
    pkcs8 = craft.seq(craft.integer(0), craft.seq(craft.oid("1.3.101.112")), craft.octets(inner))
    with pytest.raises(MalformedError, match="^private key: the ed25519 privateKey is not one 32-octet"):
        pkcs12kit.KeyEntry(pkcs8).private_key


# --- row 12: a failed parse is cached ------------------------------------------------------------


def test_row12_failed_parse_is_cached(monkeypatch):
    p12 = pkcs12kit.loads(vector("cert-unparsable.p12"), None)
    entry = p12.certificates[0]
    before = parsed.parses
    for _ in range(5):
        with pytest.raises(MalformedError, match="^certificate: cannot parse"):
            entry.certificate
    assert parsed.parses - before == 1


# --- row 13: scrypt memory is counted as OpenSSL counts it ---------------------------------------


def test_row13_scrypt_peak_memory_is_charged(kdf_calls):
    with pytest.raises(LimitExceededError) as caught:
        pkcs12kit.loads(vector("scrypt-n2-r419000.p12"), "wrong")
    assert str(caught.value) == (
        "authSafe[0] encryptedData: scrypt needs 321,792,000 bytes of memory, over Limits.max_scrypt_memory "
        "(268,435,456); pass limits=Limits(max_scrypt_memory=...) to allow it")
    assert kdf_calls["scrypt"] == 0


def test_row13_scrypt_memory_estimate_is_openssls():
    """hashlib's scrypt (OpenSSL) refuses one byte under `kdf.scrypt_memory` and runs at it: the
    limit bounds scrypt's real allocation (what the process had before comes on top)."""
    from pkcs12kit.kdf import scrypt_memory

    for n, r, p in ((2, 4_096, 1), (16, 64, 2)):
        need = scrypt_memory(n, r, p)
        hashlib.scrypt(b"pw", salt=b"salt", n=n, r=r, p=p, maxmem=need, dklen=32)
        with pytest.raises(ValueError):
            hashlib.scrypt(b"pw", salt=b"salt", n=n, r=r, p=p, maxmem=need - 1, dklen=32)


# --- rows 8, 14, 17, 18: the CLI's outputs -------------------------------------------------------


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "in.p12"
    path.write_bytes(craft.plain_pfx())
    return path


def test_row8_fifo_output_is_refused_without_suggesting_force(tmp_path, source):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = run_cli("repack", str(source), "-o", str(fifo), "--force", "--passin", "pass:pw",
                           "--passout", "pass:pw")
    assert code == 2
    assert "is not a regular file (a FIFO, device or socket)" in err and "--force" not in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_row8_symlink_to_a_device_is_refused(tmp_path, source):
    link = tmp_path / "null-link"
    link.symlink_to("/dev/null")
    code, _, err = run_cli("repack", str(source), "-o", str(link), "--force", "--passin", "pass:pw",
                           "--passout", "pass:pw")
    assert code == 2 and "is not a regular file" in err
    assert os.path.islink(link) and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_row8_library_refuses_to_replace_a_fifo(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        pkcs12kit.api.write_atomically(str(fifo), b"x", overwrite=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_row14_in_place_keeps_owner_and_group(tmp_path, source, monkeypatch):
    chowned = []
    if os.geteuid() == 0:
        os.chown(source, 4321, 4322)
    else:  # not root: record the chown the writer asks for instead of doing it
        real_stat = os.stat

        def fake_stat(path, *args, **kwargs):
            result = real_stat(path, *args, **kwargs)
            if os.fspath(path) == str(source):
                values = list(result)
                values[4], values[5] = 4321, 4322
                return os.stat_result(values)
            return result

        monkeypatch.setattr(os, "stat", fake_stat)
        monkeypatch.setattr(os, "chown", lambda path, uid, gid: chowned.append((uid, gid)))
    code, _, err = run_cli("repack", str(source), "--in-place", "--passin", "pass:pw", "--passout", "pass:pw")
    assert code == 0, err
    if os.geteuid() == 0:
        for path in (source, Path(str(source) + ".bak")):
            info = os.stat(path)
            assert (info.st_uid, info.st_gid) == (4321, 4322)
    else:
        assert chowned == [(4321, 4322), (4321, 4322)]


def test_row17_stdin_file_is_not_overwritten(source):
    before = source.read_bytes()
    with open(source, "rb") as handle:
        stdin = io.TextIOWrapper(handle)
        code, _, err = run_cli("repack", "-", "-o", str(source), "--force", "--passin", "pass:pw",
                               "--passout", "pass:pw", stdin=stdin)
    assert code == 2 and "is the file standard input reads" in err
    assert source.read_bytes() == before


def test_row18_missing_directory_names_out(tmp_path, source):
    out = tmp_path / "nodir" / "out.p12"
    code, _, err = run_cli("repack", str(source), "-o", str(out), "--passin", "pass:pw", "--passout", "pass:pw")
    assert code == 2
    assert str(out) in err and ".pkcs12kit-" not in err


# --- rows 15, 16: nothing of the password in errors ----------------------------------------------


def _reachable(err: BaseException):
    seen = set()
    stack = [err]
    while stack:
        item = stack.pop()
        if id(item) in seen or item is None:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, BaseException):
            stack += [item.__context__, item.__cause__, *item.args]
            stack += [getattr(item, "object", None)]


def test_row15_non_utf8_password_line_is_not_reachable(tmp_path):
    from pkcs12kit.cli.passwords import PasswordReader, PasswordSourceError

    secret = b"s3cr\xe9t-\xff\xfe"
    path = tmp_path / "pw.txt"
    path.write_bytes(secret + b"\n")
    with PasswordReader() as reader, pytest.raises(PasswordSourceError) as caught:
        reader.read(f"file:{path}")
    for item in _reachable(caught.value):
        assert not (isinstance(item, (bytes, bytearray)) and b"s3cr" in item)
        assert "s3cr" not in str(item)


def test_row16_messages_hold_no_password_length_or_position(tmp_path):
    for password, pem in (("ab?cdefgh", False), ("abc de12345", False), ("short", True)):
        with pytest.raises(EncodeError) as caught:
            cisco.check_cli_password(password, "ios", pem=pem)
        message = str(caught.value)
        assert not any(str(n) in message for n in (len(password), password.find("?") + 1,
                                                   password.find(" ") + 1) if n > 1), message
    path = tmp_path / "in.p12"
    path.write_bytes(craft.plain_pfx(password="abc"))
    code, out, _ = run_cli("check", str(path), "--target", "iosxe", "--json", "--passin", "pass:abc")
    texts = [f["message"] for f in json.loads(out)["findings"]]
    assert any(t.startswith("the password has fewer than 8 characters") for t in texts)
    assert not any("3 characters" in t for t in texts)


# --- trailing zeros -------------------------------------------------------------------------------


def test_trailing_zero_bytes_are_accepted_and_reported(tmp_path):
    data = vector("trailing-8-zero-bytes.p12")
    from cryptography.hazmat.primitives.serialization import pkcs12 as pyca

    with pytest.warns(UserWarning, match="extra data"):  # cryptography notes the padding, and loads
        theirs = pyca.load_pkcs12(data, b"pw")  # the oracle: cryptography (OpenSSL) loads it
    p12 = pkcs12kit.loads(data, "pw")
    assert p12.trailing_zeros == 8 and p12.mac_verified
    assert [c.der for c in p12.certificates] == [theirs.cert.certificate.public_bytes(serialization.Encoding.DER)]
    path = tmp_path / "t.p12"
    path.write_bytes(data)
    code, out, _ = run_cli("info", str(path), "--passin", "pass:pw")
    assert code == 0 and "trailing data: 8 zero bytes after the PFX" in out
    code, out, _ = run_cli("info", str(path), "--passin", "pass:pw", "--json")
    assert json.loads(out)["trailing_zero_bytes"] == 8
    assert pkcs12kit.loads(craft.plain_pfx(), "pw").trailing_zeros == 0


def test_other_trailing_data_is_refused():
    with pytest.raises(MalformedError, match=r"^PFX: 8 unexpected bytes after the value$"):
        pkcs12kit.loads(vector("trailing-nonzero-byte.p12"), "pw")
