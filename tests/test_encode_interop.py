"""What pkcs12kit writes is read by the real consumers: OpenSSL 3.0, pyca/cryptography, JDK keytool.

Every profile (MODERN, MODERN_PBMAC1, LEGACY_3DES, LEGACY_RC2, JAVA, PASSWORDLESS) × key type
(RSA-2048, EC P-256, Ed25519) × password (ASCII, empty, Cyrillic) × content:

- ``identity``: key + leaf + intermediate + root via `PKCS12.build`, with friendly names;
- ``two-keys``: two keys, each with its own certificate, friendly name and explicit localKeyId,
  built from `KeyEntry.from_key` / `CertEntry.from_certificate`;
- ``truststore``: `PKCS12.trust_store` of two CA certificates (no key, so no key type).

Expected values are what was fed in (keys and certificates made with ``cryptography``,
``tests/tools.py``) and values computed here independently (localKeyId = SHA-1 of the leaf DER;
SHA-256 fingerprints with hashlib). Nothing expected is computed by pkcs12kit.

The external programs run in a thread pool, all queued on first use (openssl first), so the
tests assert on finished runs while the keytool JVMs are still starting.

Documented limitations, each asserted rather than skipped:

- OpenSSL 3.0 predates PBMAC1 (RFC 9579, OpenSSL 3.4): it reports a MAC verify error, and reads
  the (PBES2) contents with ``-nomacver``.
- OpenSSL 3.0 reads RC2-40 only with ``-legacy`` (the legacy provider).
- OpenSSL 3.0 reads a PASSWORDLESS file with plain ``-info -nodes -passin pass:<any>``: it warns
  "MAC is absent" and goes on; ``-nomacver`` is not needed.
- OpenSSL 3.0 prints a BMPString friendlyName as the low byte of each UTF-16 unit
  (``OPENSSL_uni2asc``); names are compared in that form or as UTF-8.
- JDK 17 cannot verify PBMAC1 (``HmacPBE1.2.840.113549.1.5.14 not available``; JDK 26 can).
- JDK 17 refuses non-ASCII passwords for PBE decryption ("Password is not ASCII") — after the MAC,
  keyed from the BMPString password, verified.
- JDK 17 ignores plain keyBags (PASSWORDLESS keys) and certificates without the trusted-key-usage
  attribute that belong to no key, so a PASSWORDLESS identity lists as 0 entries.
- keytool lowercases aliases (``String.toLowerCase(Locale.ENGLISH)``).
- keytool: an empty password must be given as ``-storepass ""``; an empty answer at its prompt
  means *no* password, so the MAC is not checked and encrypted safes are skipped.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import os
import re
import warnings
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12 as pyca_pkcs12

import pkcs12kit
from pkcs12kit import PKCS12, CertEntry, KeyEntry

from tools import key_pkcs8, make_cert, make_key, run, sha1

PROFILES = {
    "MODERN": pkcs12kit.MODERN,
    "MODERN_PBMAC1": pkcs12kit.MODERN_PBMAC1,
    "LEGACY_3DES": pkcs12kit.LEGACY_3DES,
    "LEGACY_RC2": pkcs12kit.LEGACY_RC2,
    "JAVA": pkcs12kit.JAVA,
    "PASSWORDLESS": pkcs12kit.PASSWORDLESS,
}
KEY_KINDS = ("rsa2048", "p256", "ed25519")
PASSWORDS = {"ascii": "Secret-123", "empty": "", "cyrillic": "пароль"}
# Profiles keytool (JDK 17) can read; PBMAC1 and PASSWORDLESS are checked as limitations.
KEYTOOL_PROFILES = ("MODERN", "LEGACY_3DES", "LEGACY_RC2", "JAVA")

# Names with non-ASCII characters, so the BMPString encoding is checked by every reader.
LEAF_NAME = "Server Key ключ"
CHAIN_NAMES = ("Intermediate CA", "корень")
ALICE, BOB = "alice", "Боб"
ALICE_ID, BOB_ID = bytes.fromhex("01020304"), bytes.fromhex("a0b0c0d0e0")
TRUSTED_KEY_USAGE = "2.16.840.1.113894.746875.1.1"

# Keytool in one short-lived JVM: the C1 compiler and serial GC start about twice as fast.
# LC_ALL and the stdout encoding make non-ASCII aliases and passwords reach Java as UTF-8.
KEYTOOL = ("keytool", "-J-Duser.language=en", "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData",
           "-J-Dsun.stdout.encoding=UTF-8", "-J-Dstdout.encoding=UTF-8", "-J-Dfile.encoding=UTF-8")
UTF8_ENV = {**os.environ, "LC_ALL": "C.UTF-8"}


# --- what was fed in -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Bag:
    """One bag as fed in: DER (PKCS#8 for keys), friendlyName, localKeyId, trust-anchor mark."""

    der: bytes
    name: str | None
    local_key_id: bytes | None = None
    trusted: bool = False


@dataclasses.dataclass(frozen=True)
class Case:
    profile: str
    kind: str | None  # None for the trust store
    password_label: str
    content: str

    @property
    def id(self) -> str:
        return "-".join(p for p in (self.content, self.kind, self.profile, self.password_label) if p)

    @property
    def password(self) -> str:
        return PASSWORDS[self.password_label]


def _cases(contents, kinds, profiles=tuple(PROFILES), passwords=tuple(PASSWORDS)):
    return [Case(p, k, w, c) for c in contents for k in kinds for p in profiles for w in passwords]


ALL_CASES = _cases(("identity", "two-keys"), KEY_KINDS) + _cases(("truststore",), (None,))


def _ids(cases):
    return [case.id for case in cases]


# Which runs each external-program test needs (and so which the pool queues).
RC2_WITHOUT_LEGACY = [c for c in ALL_CASES if c.profile == "LEGACY_RC2" and c.password_label == "ascii"]
KEYTOOL_CASES = [c for c in ALL_CASES if c.profile in KEYTOOL_PROFILES and c.password_label in ("ascii", "empty")]
# JDK 17 refuses every non-ASCII password alike: the identity and the trust store show it.
KEYTOOL_NON_ASCII = [c for c in ALL_CASES if c.profile in KEYTOOL_PROFILES and c.password_label == "cyrillic"
                     and c.content in ("identity", "truststore")]
PBMAC1_KEYTOOL = [c for c in ALL_CASES if c.profile == "MODERN_PBMAC1" and c.password_label == "ascii"
                  and c.kind in (None, KEY_KINDS[0]) and c.content != "two-keys"]
PASSWORDLESS_KEYTOOL = [c for c in ALL_CASES if c.profile == "PASSWORDLESS" and c.password_label == "ascii"]
PROMPT_CASE = Case("MODERN", None, "empty", "truststore")
KEYTOOL_RUNS = {c.id for c in KEYTOOL_CASES + KEYTOOL_NON_ASCII + PBMAC1_KEYTOOL + PASSWORDLESS_KEYTOOL}


@dataclasses.dataclass
class Written:
    """A file pkcs12kit wrote for a case, and the keys/certificates it must contain."""

    path: Path
    data: bytes
    keys: list[Bag]
    certs: list[Bag]


class Interop:
    """Builds the files and runs the external readers, one key type at a time, in a pool."""

    def __init__(self, pki, directory: Path, pool: concurrent.futures.Executor):
        self.pki = pki
        self.directory = directory
        self.pool = pool
        self.written: dict[str, Written] = {}
        self.jobs: dict[tuple[str, str], concurrent.futures.Future] = {}
        self._started = False
        self._second: dict[str, object] = {}

    # contents

    def second_party(self, kind: str):
        """A second leaf of the same key type, issued by the intermediate CA."""
        if kind not in self._second:
            key = make_key(kind)
            cert = make_cert(f"pkcs12kit interop second {kind}", key.public_key(), self.pki.intermediate,
                             self.pki.intermediate.key, ca=False)
            self._second[kind] = (key, cert, cert.public_bytes(serialization.Encoding.DER))
        return self._second[kind]

    def content(self, case: Case) -> tuple[PKCS12, list[Bag], list[Bag]]:
        inter, root = self.pki.intermediate, self.pki.root
        if case.content == "truststore":
            p12 = PKCS12.trust_store([inter.cert, root.cert], list(CHAIN_NAMES))
            certs = [Bag(inter.cert_der, CHAIN_NAMES[0], trusted=True), Bag(root.cert_der, CHAIN_NAMES[1], trusted=True)]
            return p12, [], certs
        leaf = self.pki.leaf(case.kind)
        if case.content == "identity":
            p12 = PKCS12.build(key=leaf.key, certificate=leaf.cert, chain=[inter.cert, root.cert],
                               friendly_name=LEAF_NAME, chain_friendly_names=list(CHAIN_NAMES))
            key_id = sha1(leaf.cert_der)  # OpenSSL's choice, what PKCS12.build documents
            keys = [Bag(key_pkcs8(leaf.key), LEAF_NAME, key_id)]
            certs = [Bag(leaf.cert_der, LEAF_NAME, key_id), Bag(inter.cert_der, CHAIN_NAMES[0]),
                     Bag(root.cert_der, CHAIN_NAMES[1])]
            return p12, keys, certs
        other_key, other_cert, other_der = self.second_party(case.kind)
        p12 = PKCS12(entries=(
            KeyEntry.from_key(leaf.key, friendly_name=ALICE, local_key_id=ALICE_ID),
            CertEntry.from_certificate(leaf.cert, friendly_name=ALICE, local_key_id=ALICE_ID),
            KeyEntry.from_key(other_key, friendly_name=BOB, local_key_id=BOB_ID),
            CertEntry.from_certificate(other_cert, friendly_name=BOB, local_key_id=BOB_ID),
        ))
        keys = [Bag(key_pkcs8(leaf.key), ALICE, ALICE_ID), Bag(key_pkcs8(other_key), BOB, BOB_ID)]
        certs = [Bag(leaf.cert_der, ALICE, ALICE_ID), Bag(other_der, BOB, BOB_ID)]
        return p12, keys, certs

    def write(self, case: Case) -> Written:
        if case.id not in self.written:
            p12, keys, certs = self.content(case)
            data = pkcs12kit.dumps(p12, case.password, profile=PROFILES[case.profile])
            path = self.directory / f"{case.id}.p12"
            path.write_bytes(data)
            self.written[case.id] = Written(path, data, keys, certs)
        return self.written[case.id]

    # external programs

    def start(self) -> None:
        """Write every file and queue every external reader, all key types at once.

        openssl runs take milliseconds and keytool runs half a second of JVM start-up each, so
        all openssl runs are queued first: their tests assert while the JVMs run.
        """
        if self._started:
            return
        self._started = True
        commands = []
        for case in ALL_CASES:
            written = self.write(case)
            commands += [(case, *command) for command in self._commands(case, written.path)]
        commands.sort(key=lambda command: command[1].startswith("keytool"))
        for case, name, args, env in commands:
            # stdin is a newline: the empty answer to a prompt, never the terminal.
            self.jobs[(case.id, name)] = self.pool.submit(run, args, input=b"\n", check=False, env=env)

    def _commands(self, case: Case, path: Path):
        info = ["openssl", "pkcs12", "-info", "-nodes", "-in", path, "-passin", "pass:" + case.password]
        if case in RC2_WITHOUT_LEGACY:
            yield "openssl-nolegacy", info, None
        if case.profile == "LEGACY_RC2":
            info = info + ["-legacy"]
        yield "openssl", info, None
        if case.profile == "MODERN_PBMAC1":
            yield "openssl-nomacver", info + ["-nomacver"], None
        if case.id in KEYTOOL_RUNS:
            keytool = [*KEYTOOL, "-list", "-v", "-storetype", "PKCS12", "-keystore", path, "-storepass", case.password]
            yield "keytool", keytool, UTF8_ENV
        if case == PROMPT_CASE:
            yield "keytool-prompt", [*KEYTOOL, "-list", "-storetype", "PKCS12", "-keystore", path], UTF8_ENV

    def result(self, case: Case, name: str):
        self.start()
        return self.jobs[(case.id, name)].result()


@pytest.fixture(scope="session")
def interop(pki, tmp_path_factory):
    workers = max(2, min(4, (os.cpu_count() or 2) + 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        state = Interop(pki, tmp_path_factory.mktemp("encode-interop"), pool)
        yield state
        for future in state.jobs.values():
            future.cancel()


# --- reading openssl's output --------------------------------------------------------------


@dataclasses.dataclass
class SeenBag:
    label: str  # "PRIVATE KEY" or "CERTIFICATE"
    der: bytes
    attributes: dict[bytes, bytes]


_OPENSSL_BAG = re.compile(
    rb"Bag Attributes(?P<head>.*?)-----BEGIN (?P<label>[A-Z ]+)-----\n(?P<body>.*?)-----END (?P=label)-----",
    re.S,
)


def parse_openssl_info(stdout: bytes) -> list[SeenBag]:
    """Bags of ``openssl pkcs12 -info -nodes`` output: attribute lines, then a PEM block.

    Attribute lines are indented four spaces under ``Bag Attributes``, e.g.
    ``    friendlyName: name`` and ``    localKeyID: 01 02 03``.
    """
    import base64

    bags = []
    for match in _OPENSSL_BAG.finditer(stdout):
        head = match.group("head").split(b"Key Attributes")[0].split(b"\nsubject=")[0]
        attributes = dict(re.findall(rb"^    ([^:\n]+): ?(.*)$", head, re.M))
        bags.append(SeenBag(match.group("label").decode(), base64.b64decode(match.group("body")), attributes))
    return bags


def openssl_name_forms(name: str) -> set[bytes]:
    """How OpenSSL may print a BMPString friendlyName: UTF-8, or (3.0) each UTF-16 unit's low byte."""
    return {name.encode("utf-8"), bytes(ord(c) & 0xFF for c in name)}


def _pkcs8_of_pem_key(der: bytes) -> bytes:
    return key_pkcs8(serialization.load_der_private_key(der, None))


def assert_openssl_saw(stdout: bytes, written: Written) -> None:
    bags = parse_openssl_info(stdout)
    keys = [b for b in bags if b.label == "PRIVATE KEY"]
    certs = [b for b in bags if b.label == "CERTIFICATE"]
    assert len(keys) + len(certs) == len(bags), [b.label for b in bags]
    assert [_pkcs8_of_pem_key(k.der) for k in keys] == [k.der for k in written.keys]
    assert [c.der for c in certs] == [c.der for c in written.certs]
    for seen, fed in zip(keys + certs, written.keys + written.certs):
        if fed.name is None:
            assert b"friendlyName" not in seen.attributes
        else:
            assert seen.attributes.get(b"friendlyName") in openssl_name_forms(fed.name)
        if fed.local_key_id is None:
            assert b"localKeyID" not in seen.attributes
        else:
            assert bytes.fromhex(seen.attributes[b"localKeyID"].decode()) == fed.local_key_id
        # OpenSSL 3.0 names no Oracle attribute; it prints the OID and "<Unsupported tag 6>"
        # (an OBJECT IDENTIFIER value).
        assert (TRUSTED_KEY_USAGE.encode() in seen.attributes) == fed.trusted


# --- openssl -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ALL_CASES, ids=_ids(ALL_CASES))
def test_openssl_reads(case, interop, openssl_tool):
    """``openssl pkcs12 -info -nodes`` (3.0) returns exactly the keys, certificates and names fed in."""
    written = interop.write(case)
    proc = interop.result(case, "openssl")
    if case.profile == "MODERN_PBMAC1":
        # OpenSSL 3.0 predates PBMAC1 (3.4): it names the algorithm and cannot verify it.
        assert proc.returncode != 0
        assert b"MAC: PBMAC1" in proc.stderr
        assert b"Mac verify error" in proc.stderr
        proc = interop.result(case, "openssl-nomacver")  # the PBES2 contents are readable
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    if case.profile == "PASSWORDLESS":
        assert b"MAC is absent" in proc.stderr
    assert_openssl_saw(proc.stdout, written)


@pytest.mark.parametrize("case", RC2_WITHOUT_LEGACY, ids=_ids(RC2_WITHOUT_LEGACY))
def test_openssl_needs_legacy_for_rc2_40(case, interop, openssl_tool):
    """Without -legacy, OpenSSL 3.0 has no RC2 and fails on the RC2-40 certificate safe."""
    proc = interop.result(case, "openssl-nolegacy")
    assert proc.returncode != 0
    assert b"PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC" in proc.stderr  # the MAC verified
    assert b"unsupported" in proc.stderr and b"RC2-40-CBC" in proc.stderr


# --- pyca/cryptography ---------------------------------------------------------------------


def _fed_name(bag: Bag) -> bytes | None:
    return None if bag.name is None else bag.name.encode("utf-8")


@pytest.mark.parametrize("case", ALL_CASES, ids=_ids(ALL_CASES))
def test_cryptography_reads(case, interop):
    """``cryptography.load_pkcs12`` (bundling OpenSSL 4.0: PBMAC1 and RC2) returns what was fed in.

    It returns one key (the first) and the certificate paired with it; every other certificate
    comes back in ``additional_certs``, in file order, so the second key of ``two-keys`` is not
    returned but its certificate is.
    """
    written = interop.write(case)
    with warnings.catch_warnings():
        # cryptography warns on BER and on PBMAC1 MacData that spells out its DEFAULTs
        # (pyca/cryptography#12936); pkcs12kit's DER must not trigger either.
        warnings.simplefilter("error")
        loaded = pyca_pkcs12.load_pkcs12(written.data, case.password.encode("utf-8"))
    if not written.keys:
        assert loaded.key is None and loaded.cert is None
        additional = written.certs
    else:
        assert key_pkcs8(loaded.key) == written.keys[0].der
        leaf = written.certs[0]
        assert loaded.cert.certificate.public_bytes(serialization.Encoding.DER) == leaf.der
        assert loaded.cert.friendly_name == _fed_name(leaf)
        additional = written.certs[1:]
    seen = [(c.certificate.public_bytes(serialization.Encoding.DER), c.friendly_name) for c in loaded.additional_certs]
    assert seen == [(c.der, _fed_name(c)) for c in additional]


# --- keytool -------------------------------------------------------------------------------


def parse_keytool_list(stdout: str) -> dict[str, tuple[str, list[str]]]:
    """``keytool -list -v``: alias → (entry type, SHA-256 fingerprints of its certificates in order)."""
    entries = {}
    for block in stdout.split("Alias name: ")[1:]:
        alias = block.split("\n", 1)[0].strip()
        kind = re.search(r"^Entry type: (\S+)", block, re.M).group(1)
        prints = re.findall(r"^\s*SHA256: ([0-9A-F:]+)\s*$", block, re.M)
        entries[alias] = (kind, prints)
    return entries


def fingerprint(der: bytes) -> str:
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def expected_keytool(written: Written) -> dict[str, tuple[str, list[str]]]:
    if not written.keys:
        return {c.name.lower(): ("trustedCertEntry", [fingerprint(c.der)]) for c in written.certs}
    entries = {}
    for key in written.keys:
        # The chain is the key's certificate then its issuers found in the file (leaf → root).
        own = [c for c in written.certs if c.local_key_id == key.local_key_id]
        issuers = [c for c in written.certs if c.local_key_id is None]
        entries[key.name.lower()] = ("PrivateKeyEntry", [fingerprint(c.der) for c in own + issuers])
    return entries


@pytest.mark.parametrize("case", KEYTOOL_CASES, ids=_ids(KEYTOOL_CASES))
def test_keytool_reads(case, interop, keytool_tool):
    """JDK 17 keytool: aliases are the friendly names (lowercased), entry types and the SHA-256
    fingerprints of each entry's certificates match what was fed in. The empty password works
    when passed as ``-storepass ""``."""
    written = interop.write(case)
    proc = interop.result(case, "keytool")
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0, out + proc.stderr.decode("utf-8", "replace")
    assert parse_keytool_list(out) == expected_keytool(written)


@pytest.mark.parametrize("case", KEYTOOL_NON_ASCII, ids=_ids(KEYTOOL_NON_ASCII))
def test_keytool_refuses_non_ascii_passwords(case, interop, keytool_tool):
    """Documented JDK 17 limitation: PBE decryption needs an ASCII password. The MAC (keyed from
    the BMPString password) verifies first: the failure is in decryption, not the integrity check."""
    proc = interop.result(case, "keytool")
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    assert proc.returncode != 0
    assert "Password is not ASCII" in out
    assert "failed to decrypt safe contents entry" in out
    assert "Integrity check failed" not in out


@pytest.mark.parametrize("case", PBMAC1_KEYTOOL, ids=_ids(PBMAC1_KEYTOOL))
def test_keytool_cannot_verify_pbmac1(case, interop, keytool_tool):
    """Documented limitation: JDK 17 has no PBMAC1 (RFC 9579; JDK 26 adds it)."""
    proc = interop.result(case, "keytool")
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    assert proc.returncode != 0
    assert "HmacPBE1.2.840.113549.1.5.14 not available" in out


@pytest.mark.parametrize("case", PASSWORDLESS_KEYTOOL, ids=_ids(PASSWORDLESS_KEYTOOL))
def test_keytool_on_passwordless_files(case, interop, keytool_tool):
    """JDK 17 reads an unencrypted, MAC-less trust store, but ignores plain keyBags and
    certificates that belong to no key and carry no trusted-key-usage: a PASSWORDLESS identity
    is an empty keystore to Java."""
    written = interop.write(case)
    proc = interop.result(case, "keytool")
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0, out + proc.stderr.decode("utf-8", "replace")
    if case.content == "truststore":
        assert parse_keytool_list(out) == expected_keytool(written)
    else:
        assert "Your keystore contains 0 entries" in out
        assert parse_keytool_list(out) == {}


def test_keytool_prompt_empty_answer_is_no_password(interop, keytool_tool):
    """keytool's prompt turns an empty answer into *no* password: the MAC is not verified and the
    encrypted certificate safe is skipped, so a trust store written with the empty password lists
    as empty. ``-storepass ""`` (test_keytool_reads) is the way to give the empty password."""
    proc = interop.result(PROMPT_CASE, "keytool-prompt")
    out = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8", "replace")
    assert "has NOT been verified" in out
    assert "Your keystore contains 0 entries" in out
