#!/usr/bin/env python3
"""Reproduce the rows of issue 15 ("hostile input, second pass") against one pkcs12kit tree:
the evidence that each row's problem existed before the fix (docs/security.md#reproduced-first).

    git worktree add --detach /tmp/before 4e18047      # the code before the second-pass fixes
    python tests/vectors/crafted/before_after.py /tmp/before > before.md
    python tests/vectors/crafted/before_after.py .       > after.md
    python tests/vectors/crafted/before_after.py CODE_ROOT [--rows 1,2,...] [--json OUT.json] [--timeout 60]

CODE_ROOT is a directory holding the ``pkcs12kit`` package (the checkout, or a worktree of an
older commit). Every case runs in its own child process (PYTHONPATH=CODE_ROOT, a fresh session, a
wall-clock timeout after which the child's process group is killed). The parent measures wall
time and the child's peak RSS (``os.wait4`` rusage, ru_maxrss); API children also time the call
itself and count work by wrapping functions (KDF calls, TLV reads, cryptography key loads...).

Inputs are made by the project's own generators (tests/craft.py and
tests/vectors/crafted/second_pass.py of MAIN_TESTS, which never import pkcs12kit) into WORK,
so both code roots read byte-identical files. The parent never imports pkcs12kit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback

PYTHON = sys.executable
MAIN_TESTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
CRAFTED = os.path.join(MAIN_TESTS, "vectors", "crafted")
# Generated inputs, shared by the runs against both trees (so they read byte-identical files).
WORK = os.environ.get("BEFORE_AFTER_WORK", os.path.join(tempfile.gettempdir(), "pkcs12kit-before-after"))
SCRIPT = os.path.abspath(__file__)

# Control characters the CLI must never print raw (the set tests/test_hostile_second.py uses, minus "\n").
CONTROLS = [chr(c) for c in range(0x20) if c != 0x0A] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)] + ["\u2028", "\u2029"]


# ================================================================================================
# inputs
# ================================================================================================


def _generators():
    for path in (MAIN_TESTS, CRAFTED):
        if path not in sys.path:
            sys.path.insert(0, path)
    import craft  # noqa: F401
    import second_pass  # noqa: F401
    assert "pkcs12kit" not in sys.modules, "the generators must not import pkcs12kit"
    return craft, second_pass


def _deep_value(depth: int) -> bytes:
    craft, _ = _generators()
    value = b"\x30\x00"
    for _ in range(depth - 1):
        value = craft.seq(value)
    return value


def _deep_name(depth: int, attribute_type: str = "1.2.3.4") -> bytes:
    """A Name of one attribute whose value is ``depth`` nested SEQUENCEs."""
    craft, sp = _generators()
    return craft.seq(craft.set_of(craft.seq(craft.oid(attribute_type), _deep_value(depth))))


def _tripledes_nine_safes_that_open() -> bytes:
    craft, _ = _generators()
    algorithm, ciphertext = craft.pkcs12_pbe(craft.plain_safe(), "", 2_000_000)  # derived (slow, once)
    content = craft.auth_safe(*[craft.encrypted_data_ci(algorithm, ciphertext)] * 9)
    return craft.pfx(content, craft.hmac_mac_data(content, "", digest="sha1", iterations=2_000_000))


def _extension(oid: str, value: bytes) -> bytes:
    craft, _ = _generators()
    return craft.seq(craft.oid(oid), craft.octets(value))


def _big_failing_certificate() -> bytes:
    """About 146 KB: a SAN extension of 6,340 dNSNames whose last GeneralName has tag [9] (not a
    GeneralName alternative), so asn1crypto parses all the others before it fails."""
    craft, sp = _generators()
    names = b"".join(craft.tlv(0x82, f"host{i:05d}.example.com".encode()) for i in range(6_340))
    names += craft.tlv(0x89, b"x")
    extensions = craft.seq(_extension("2.5.29.17", craft.seq(names)))
    return sp.certificate(sp.name("big"), sp.name("CA"), sp.ed25519_spki(3), extensions=extensions)


def _key_ids(ski: bytes | None, aki: bytes | None) -> bytes:
    """An extensions SEQUENCE with a subjectKeyIdentifier and/or an authorityKeyIdentifier
    (RFC 5280 4.2.1.1-2)."""
    craft, _ = _generators()
    extensions = []
    if ski is not None:
        extensions.append(_extension("2.5.29.14", craft.octets(ski)))
    if aki is not None:
        extensions.append(_extension("2.5.29.35", craft.seq(craft.tlv(0x80, aki))))
    return craft.seq(*extensions)


def _name_loop_with_key_ids(count: int) -> bytes:
    """second_pass.name_loop's shape, every certificate with its own SKI and an AKI matching no SKI
    (so the old chain code compares key identifiers at every step)."""
    import hashlib
    craft, sp = _generators()
    a, b = sp.name("loop A"), sp.name("loop B")
    kid = lambda i: hashlib.sha1(i.to_bytes(4, "big")).digest()  # noqa: E731
    nomatch = b"\xff" * 20
    bags = [craft.cert_bag(sp.certificate(sp.name("leaf"), a, sp.ed25519_spki(0), extensions=_key_ids(kid(0), nomatch)))]
    for i in range(count):
        bags.append(craft.cert_bag(sp.certificate(a, b, sp.ed25519_spki(2 * i + 1), serial=2 * i + 1,
                                                  extensions=_key_ids(kid(2 * i + 1), nomatch))))
        bags.append(craft.cert_bag(sp.certificate(b, a, sp.ed25519_spki(2 * i + 2), serial=2 * i + 2,
                                                  extensions=_key_ids(kid(2 * i + 2), nomatch))))
    return sp.plain_file(*bags)


def _same_subject_with_key_ids(count: int) -> bytes:
    """second_pass.same_subject's shape, each certificate with its own SKI, the leaf's AKI matching
    none of them."""
    import hashlib
    craft, sp = _generators()
    s, s2 = sp.name("same subject"), sp.name("absent CA")
    kid = lambda i: hashlib.sha1(i.to_bytes(4, "big")).digest()  # noqa: E731
    bags = [craft.cert_bag(sp.certificate(sp.name("leaf"), s, sp.ed25519_spki(0),
                                          extensions=_key_ids(kid(0), b"\xff" * 20)))]
    bags += [craft.cert_bag(sp.certificate(s, s2, sp.ed25519_spki(i + 1), serial=i + 1,
                                           extensions=_key_ids(kid(i + 1), None))) for i in range(count)]
    return sp.plain_file(*bags)


def _lkid() -> bytes:
    """bagAttributes with localKeyId 01 (PKCS #9), so a key pairs with its certificate without
    cryptography loading the key."""
    craft, _ = _generators()
    return craft.set_of(craft.attribute("1.2.840.113549.1.9.21", craft.octets(b"\x01")))


def _injection_in_warnings() -> bytes:
    craft, sp = _generators()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import load_der_private_key
    pkcs8, _ = craft.identity()
    public = load_der_private_key(pkcs8, None).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    leaf = sp.certificate(sp.name(sp.INJECTION_CN), sp.name(sp.OSC52_CN), public)
    other = sp.certificate(sp.name(sp.INJECTION_CN + " (other)"), sp.name("other CA"), sp.ed25519_spki(8))
    return sp.plain_file(craft.key_bag(pkcs8), craft.cert_bag(leaf), craft.cert_bag(other))


def make_inputs() -> dict[str, str]:
    """Generate every input into WORK (skipping files already there); return name -> path."""
    craft, sp = _generators()
    os.makedirs(WORK, exist_ok=True)
    C = sp  # shorthand

    def ec_no_curve():
        return craft.seq(craft.integer(0), craft.seq(craft.oid(C.EC_PUBLIC_KEY)),
                         craft.octets(craft.seq(craft.integer(1), craft.octets(bytes(range(1, 33))))))

    def rsa_key(modulus: int):
        return craft.seq(craft.integer(0), craft.seq(craft.oid(C.RSA), craft.null()),
                         craft.octets(craft.seq(craft.integer(0), craft.integer(modulus), craft.integer(65537),
                                                *[craft.integer(1)] * 6)))

    def dsa_no_params():
        return craft.seq(craft.integer(0), craft.seq(craft.oid("1.2.840.10040.4.1")), craft.octets(craft.integer(5)))

    def ec_spki_no_curve_cert():
        spki = craft.seq(craft.seq(craft.oid(C.EC_PUBLIC_KEY)), C.bit_string(b"\x04" + bytes(range(64))))
        return C.certificate(C.name("no curve"), C.name("CA"), spki)

    def rsa_spki_cert(modulus: int):
        spki = craft.seq(craft.seq(craft.oid(C.RSA), craft.null()),
                         C.bit_string(craft.seq(craft.integer(modulus), craft.integer(65537))))
        return C.certificate(C.name(f"rsa modulus {modulus}"), C.name("CA"), spki)

    def ed25519_key(length: int, trailing: bytes = b""):
        return craft.seq(craft.integer(0), craft.seq(craft.oid("1.3.101.112")),
                         craft.octets(craft.octets(bytes(length)) + trailing))

    def ec_key_unsupported_curve():
        # secp112r1 (1.3.132.0.6): a named curve OpenSSL 3 / cryptography do not offer
        return craft.seq(craft.integer(0), craft.seq(craft.oid(C.EC_PUBLIC_KEY), craft.oid("1.3.132.0.6")),
                         craft.octets(craft.seq(craft.integer(1), craft.octets(bytes(range(1, 15))))))

    def pkcs8(key) -> bytes:
        from cryptography.hazmat.primitives import serialization
        return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())

    def ed25519_valid():
        from cryptography.hazmat.primitives.asymmetric import ed25519
        return pkcs8(ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32))))

    def x25519_valid():
        from cryptography.hazmat.primitives.asymmetric import x25519
        return pkcs8(x25519.X25519PrivateKey.from_private_bytes(bytes(range(32))))

    def one_pbes2_safe():
        algorithm, ciphertext = craft.pbes2_pbkdf2(craft.plain_safe(), "pw", 1000)
        return craft.pfx(craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext)))

    def tripledes_1000_with_mac():
        algorithm, ciphertext = craft.pkcs12_pbe(craft.plain_safe(), "pw", 1000)
        content = craft.auth_safe(craft.encrypted_data_ci(algorithm, ciphertext))
        return craft.pfx(content, craft.hmac_mac_data(content, "pw", iterations=1000))

    deep = _deep_name
    made = {
        # row 1
        "ber-55x450000.p12": lambda: sp.ber_nested_chunks(levels=55, chunks=450_000),
        "ber-10x450000.p12": lambda: sp.ber_nested_chunks(levels=10, chunks=450_000),
        # row 2
        "unpaired-1000.p12": lambda: sp.unpaired_keys(1000),
        # row 3
        "name-loop-1500x2.p12": lambda: sp.name_loop(1500),
        "same-subject-10000.p12": lambda: sp.same_subject(10_000),
        "name-loop-1500x2-keyids.p12": lambda: _name_loop_with_key_ids(1500),
        "same-subject-10000-keyids.p12": lambda: _same_subject_with_key_ids(10_000),
        # row 4
        "pbes2-1000.p12": one_pbes2_safe,
        "tripledes-1000-mac-1000.p12": tripledes_1000_with_mac,
        # row 5: the crafted vector nests SEQUENCEs as a CN value (a DirectoryString CHOICE, which
        # asn1crypto refuses at once); these nest them as the value of an attribute type asn1crypto
        # does not know (1.2.3.4, parsed as Any), in the subject, the issuer, a SAN directoryName,
        # a SAN otherName and a nameConstraints directoryName
        "subject-unknownattr-350.p12": lambda: sp.plain_file(craft.cert_bag(
            sp.certificate(deep(350), sp.name("CA"), sp.ed25519_spki(10)))),
        "subject-unknownattr-1000.p12": lambda: sp.plain_file(craft.cert_bag(
            sp.certificate(deep(1000), sp.name("CA"), sp.ed25519_spki(10)))),
        "issuer-unknownattr-1000.p12": lambda: sp.plain_file(craft.cert_bag(
            sp.certificate(sp.name("leaf"), deep(1000), sp.ed25519_spki(11)))),
        "san-dirname-unknownattr-1000.p12": lambda: sp.plain_file(craft.cert_bag(sp.certificate(
            sp.name("san"), sp.name("CA"), sp.ed25519_spki(12),
            extensions=craft.seq(_extension("2.5.29.17", craft.seq(craft.tlv(0xA4, deep(1000)))))))),
        "san-othername-1000.p12": lambda: sp.plain_file(craft.cert_bag(sp.certificate(
            sp.name("san"), sp.name("CA"), sp.ed25519_spki(12),
            extensions=craft.seq(_extension("2.5.29.17", craft.seq(craft.tlv(
                0xA0, craft.oid("1.2.3.4") + craft.tlv(0xA0, _deep_value(1000))))))))),
        "nameconstraints-dirname-unknownattr-1000.p12": lambda: sp.plain_file(craft.cert_bag(sp.certificate(
            sp.name("nc"), sp.name("CA"), sp.ed25519_spki(13),
            extensions=craft.seq(_extension("2.5.29.30", craft.seq(craft.tlv(
                0xA0, craft.seq(craft.tlv(0xA4, deep(1000)))))))))),
        # row 4: the crafted file's MAC never verifies, so no password stops at the MAC; this one's
        # MAC (HMAC-SHA1, 2,000,000 it.) verifies under the empty password and its 9 safes
        # (pbeWithSHAAnd3-KeyTripleDES-CBC, 2,000,000 it.) decrypt under it
        "tripledes-9-safes-2000000-mac-verifies-empty.p12": _tripledes_nine_safes_that_open,
        # row 6 / 11: one odd key per file
        "key-ec-no-curve.p12": lambda: sp.plain_file(craft.key_bag(ec_no_curve())),
        "key-rsa-modulus-0.p12": lambda: sp.plain_file(craft.key_bag(rsa_key(0))),
        "key-rsa-modulus-negative.p12": lambda: sp.plain_file(craft.key_bag(rsa_key(-65537))),
        "key-dsa-no-params.p12": lambda: sp.plain_file(craft.key_bag(dsa_no_params())),
        "cert-ec-spki-no-curve.p12": lambda: sp.plain_file(craft.cert_bag(ec_spki_no_curve_cert())),
        "cert-rsa-spki-modulus-0.p12": lambda: sp.plain_file(craft.cert_bag(rsa_spki_cert(0))),
        "cert-rsa-spki-modulus-negative.p12": lambda: sp.plain_file(craft.cert_bag(rsa_spki_cert(-65537))),
        # row 10 / 11 raw keys (PKCS#8 DER)
        "pk8-ed25519-31.der": lambda: ed25519_key(31),
        "pk8-ed25519-33.der": lambda: ed25519_key(33),
        "pk8-ed25519-trailing.der": lambda: ed25519_key(32, b"\x7e"),
        "pk8-ec-secp112r1.der": ec_key_unsupported_curve,
        "pk8-rsa-modulus-0.der": lambda: rsa_key(0),
        "pk8-ec-no-curve.der": ec_no_curve,
        "pk8-dsa-no-params.der": dsa_no_params,
        "pk8-ed25519-valid.der": ed25519_valid,
        "pk8-x25519-valid.der": x25519_valid,
        "identity-cert.der": lambda: craft.identity()[1],
        **{f"row10-{label}.p12": (lambda make: lambda: sp.plain_file(
            craft.key_bag(make(), _lkid()), craft.cert_bag(craft.identity()[1], _lkid())))(make)
           for label, make in (("ed25519-31", lambda: ed25519_key(31)), ("ed25519-33", lambda: ed25519_key(33)),
                               ("ed25519-trailing", lambda: ed25519_key(32, b"\x7e")),
                               ("ec-secp112r1", ec_key_unsupported_curve), ("rsa-modulus-0", lambda: rsa_key(0)),
                               ("ec-no-curve", ec_no_curve), ("dsa-no-params", dsa_no_params))},
        # row 7: the crafted file's names appear in no trustpoint warning; here the identity's issuer
        # (OSC 52 CN) is absent and a second certificate (injection CN) is outside the chain, so the
        # warnings printed after the session name both
        "cn-injection-warnings.p12": _injection_in_warnings,
        # row 12
        "cert-146k-unparsable.p12": lambda: sp.plain_file(craft.cert_bag(_big_failing_certificate())),
        # rows 8, 14, 16, 17, 18
        "plain-pw.p12": lambda: craft.plain_pfx(),
        "plain-abc.p12": lambda: craft.plain_pfx(password="abc"),
    }
    paths = {}
    for name, make in made.items():
        path = os.path.join(WORK, name)
        if not os.path.exists(path):
            data = make()
            with open(path + ".part", "wb") as handle:
                handle.write(data)
            os.replace(path + ".part", path)
        paths[name] = path
    for name in os.listdir(CRAFTED):
        if name.endswith(".p12"):
            paths[name] = os.path.join(CRAFTED, name)
    return paths


# ================================================================================================
# child-side helpers (run inside the child, after pkcs12kit is importable from CODE_ROOT)
# ================================================================================================


def _short(err: BaseException) -> str:
    text = str(err).replace("\n", "\\n")
    name = type(err).__name__
    module = type(err).__module__
    if module not in ("builtins", None) and not module.startswith("pkcs12kit"):
        name = f"{module}.{name}"
    return f"{name}: {text[:120]}"


def _attempt(call):
    """(outcome text, seconds, ok) of ``call()``."""
    start = time.perf_counter()
    try:
        value = call()
    except BaseException as err:  # noqa: BLE001 - we report whatever escapes
        return _short(err), time.perf_counter() - start, False, None
    return "ok", time.perf_counter() - start, True, value


class Count:
    """Count calls of attributes of a module or class (wrapping them)."""

    def __init__(self):
        self.calls: dict[str, int] = {}

    def wrap(self, owner, name: str, label: str | None = None, classmethod_=False):
        label = label or name
        self.calls.setdefault(label, 0)
        original = getattr(owner, name)

        def counting(*args, **kwargs):
            self.calls[label] += 1
            return original(*args, **kwargs)

        if classmethod_:
            func = original.__func__

            def counting_cm(cls, *args, **kwargs):
                self.calls[label] += 1
                return func(cls, *args, **kwargs)

            setattr(owner, name, classmethod(counting_cm))
        else:
            setattr(owner, name, counting)
        return self


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _code_version() -> str:
    import pkcs12kit
    return os.path.dirname(os.path.dirname(pkcs12kit.__file__))


# ---- the API cases (each returns a dict: outcome, t (seconds of the call), extra fields) -------


def case_preflight(p):
    import pkcs12kit
    return {"outcome": f"pkcs12kit from {pkcs12kit.__file__}", "t": 0.0}


def case_row1_crafted(p):
    import pkcs12kit
    from pkcs12kit import tlv
    counter = Count().wrap(tlv, "read")
    outcome, t, ok, p12 = _attempt(lambda: pkcs12kit.loads(_read(p["ber-octets-20-levels-20000-chunks.p12"]), None))
    if ok:
        outcome = f"loaded, {len(p12.certificates)} certificate(s)"
    return {"outcome": outcome, "t": t, "work": f"tlv.read calls: {counter.calls['read']:,}"}


def _row1_big(name):
    def case(p):
        import pkcs12kit
        outcome, t, ok, p12 = _attempt(lambda: pkcs12kit.loads(_read(p[name]), None))
        if ok:
            outcome = f"loaded, {len(p12.certificates)} certificate(s)"
        return {"outcome": outcome, "t": t, "work": f"input {os.path.getsize(p[name]):,} bytes"}
    return case


case_row1_55 = _row1_big("ber-55x450000.p12")
case_row1_10 = _row1_big("ber-10x450000.p12")


def _crypto_load_counter():
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    counter = Count()
    counter.wrap(x509, "load_der_x509_certificate", "cert loads")
    counter.wrap(serialization, "load_der_private_key", "key loads")
    return counter


def _row2(name):
    def case(p):
        import pkcs12kit
        from pkcs12kit import targets
        p12 = pkcs12kit.loads(_read(p[name]), None)
        counter = _crypto_load_counter()
        outcome, t, ok, findings = _attempt(lambda: targets.check(p12, "asa"))
        if ok:
            codes = sorted({f.code for f in findings})
            outcome = f"{len(findings)} findings ({', '.join(codes)[:100]})"
        c = counter.calls
        return {"outcome": outcome, "t": t,
                "work": f"cryptography loads: {c['key loads']:,} key + {c['cert loads']:,} cert "
                        f"({len(p12.keys)} keys, {len(p12.certificates)} certs)"}
    return case


case_row2_check60 = _row2("ec-keys-60-unmatched-certs-60.p12")
case_row2_check1000 = _row2("unpaired-1000.p12")


def _chain_name_counter():
    from pkcs12kit import chain
    counter = Count()
    if hasattr(chain, "names_of"):
        counter.wrap(chain, "names_of", "name reads")
    else:
        counter.wrap(chain, "names", "name reads")
    return counter


def _row3(name):
    def case(p):
        import pkcs12kit
        p12 = pkcs12kit.loads(_read(p[name]), None)
        counter = _chain_name_counter()
        from asn1crypto import x509
        counter.wrap(x509.Certificate, "load", "Certificate.load", classmethod_=True)
        outcome, t, ok, result = _attempt(lambda: p12.chain)
        parses = counter.calls["Certificate.load"]
        if ok:
            subjects = []
            for cert in result[:3]:
                try:
                    subjects.append(cert.certificate.subject.native.get("common_name"))
                except Exception as err:  # noqa: BLE001
                    subjects.append(type(err).__name__)
            outcome = f"chain of {len(result):,} entries (first: {subjects})"
        return {"outcome": outcome, "t": t,
                "work": f"name reads: {counter.calls['name reads']:,}, asn1crypto certificate parses: {parses:,} "
                        f"({len(p12.certificates):,} certs)"}
    return case


case_row3_loop100 = _row3("name-loop-100x2.p12")
case_row3_loop1500 = _row3("name-loop-1500x2.p12")
case_row3_same200 = _row3("same-subject-200.p12")
case_row3_same10000 = _row3("same-subject-10000.p12")
case_row3_loop1500_keyids = _row3("name-loop-1500x2-keyids.p12")
case_row3_same10000_keyids = _row3("same-subject-10000-keyids.p12")


def _kdf_counter():
    from pkcs12kit import kdf
    counter = Count()
    for name in ("pkcs12_kdf", "pbkdf1", "pbkdf2", "scrypt"):
        if hasattr(kdf, name):
            counter.wrap(kdf, name)
    iterations = {"n": 0}
    original = kdf.pkcs12_kdf

    def pkcs12_kdf(hash_name, password, salt, key_id, iterations_, length, *a, **k):
        import hashlib
        size = hashlib.new(hash_name).digest_size
        iterations["n"] += iterations_ * -(-length // size)
        return original(hash_name, password, salt, key_id, iterations_, length, *a, **k)

    kdf.pkcs12_kdf = pkcs12_kdf
    return counter, iterations


def case_row4_tripledes(p):
    import pkcs12kit
    counter, hashed = _kdf_counter()
    outcome, t, ok, _ = _attempt(lambda: pkcs12kit.loads(_read(p["tripledes-9-safes-2000000-mac.p12"]), None))
    calls = ", ".join(f"{k} {v}" for k, v in counter.calls.items() if v)
    return {"outcome": outcome, "t": t,
            "work": f"KDF calls: {calls or 'none'}; PKCS#12 KDF hash chains run x iterations: {hashed['n']:,}"}


def case_row4_tripledes_opens(p):
    import pkcs12kit
    counter, hashed = _kdf_counter()
    outcome, t, ok, p12 = _attempt(
        lambda: pkcs12kit.loads(_read(p["tripledes-9-safes-2000000-mac-verifies-empty.p12"]), None))
    if ok:
        outcome = f"loaded ({len(p12.keys)} keys, {len(p12.certificates)} certs)"
    calls = ", ".join(f"{k} {v}" for k, v in counter.calls.items() if v)
    return {"outcome": outcome, "t": t,
            "work": f"KDF calls: {calls or 'none'}; PKCS#12 KDF hash chains run x iterations: {hashed['n']:,}"}


def case_row4_charge(p):
    import pkcs12kit
    data = _read(p["tripledes-1000-mac-1000.p12"])
    counter, _ = _kdf_counter()
    outcome, t, ok, p12 = _attempt(
        lambda: pkcs12kit.loads(data, "pw", limits=pkcs12kit.Limits(max_total_iterations=3_999)))
    if ok:
        outcome = f"loaded under max_total_iterations=3,999 ({len(p12.keys)} key): 3DES charged < 3 chains"
    calls = ", ".join(f"{k} {v}" for k, v in counter.calls.items() if v)
    return {"outcome": outcome, "t": t, "work": f"KDF calls: {calls or 'none'} (real cost 3,000 + 1,000)"}


def case_row4_nonascii(p):
    import pkcs12kit
    counter, _ = _kdf_counter()
    outcome, t, ok, _ = _attempt(lambda: pkcs12kit.loads(_read(p["pbes2-1000.p12"]), "wrông"))
    return {"outcome": outcome, "t": t, "work": f"pbkdf2 calls: {counter.calls['pbkdf2']}"}


def _row5(name):
    def case(p):
        import pkcs12kit
        from pkcs12kit import cisco, targets
        p12 = pkcs12kit.loads(_read(p[name]), None)
        entry = p12.certificates[0]
        calls = [
            ("subject.human_friendly", lambda: entry.certificate.subject.human_friendly),
            ("issuer.human_friendly", lambda: entry.certificate.issuer.human_friendly),
            ("certificate.native", lambda: entry.certificate.native),
            ("targets.check", lambda: targets.check(p12, "asa")),
            ("CertEntry.certificate", lambda: entry.certificate),
            ("cisco.show_certificates", lambda: cisco.show_certificates(p12, "asa")),
            ("cisco.check_hostname", lambda: cisco.check_hostname(p12, "a.example")),
        ]
        results, total = [], 0.0
        for label, call in calls:
            outcome, t, ok, _ = _attempt(call)
            total += t
            results.append(f"{label}: {'ok' if ok else outcome.split(':')[0]}")
        return {"outcome": "; ".join(results), "t": total}
    return case


ROW5 = (("cert-subject-nested-1000.p12", "crafted cert-subject-nested-1000 (CN value nested 1000)"),
        ("subject-unknownattr-350.p12", "subject, attribute 1.2.3.4 nested 350"),
        ("subject-unknownattr-1000.p12", "subject, attribute 1.2.3.4 nested 1000"),
        ("issuer-unknownattr-1000.p12", "issuer, attribute 1.2.3.4 nested 1000"),
        ("san-dirname-unknownattr-1000.p12", "SAN directoryName, attribute 1.2.3.4 nested 1000"),
        ("san-othername-1000.p12", "SAN otherName value nested 1000"),
        ("nameconstraints-dirname-unknownattr-1000.p12", "nameConstraints directoryName nested 1000"),
        ("cert-subject-1000-cns.p12", "crafted cert-subject-1000-cns (fuzz find, not an issue row)"))
for _file, _label in ROW5:
    globals()["case_row5_" + _file[:-4].replace("-", "_")] = _row5(_file)


def _row6(name):
    def case(p):
        import pkcs12kit
        from pkcs12kit import targets
        p12 = pkcs12kit.loads(_read(p[name]), None)
        outcome, t, ok, findings = _attempt(lambda: targets.check(p12, "asa"))
        if ok:
            interesting = [f.code for f in findings if "unread" in f.code or "pars" in f.code or "size" in f.code]
            outcome = f"{len(findings)} findings; {sorted(set(interesting)) or sorted({f.code for f in findings})[:4]}"
        return {"outcome": outcome, "t": t}
    return case


for _name in ("odd-keys", "key-ec-no-curve", "key-rsa-modulus-0", "key-rsa-modulus-negative", "key-dsa-no-params",
              "cert-ec-spki-no-curve", "cert-rsa-spki-modulus-0", "cert-rsa-spki-modulus-negative"):
    globals()["case_row6_" + _name.replace("-", "_")] = _row6(_name + ".p12")


def _row10(label):
    def case(p):
        import pkcs12kit
        from pkcs12kit import cisco
        # key and certificate share a localKeyId, so they pair without cryptography loading the key
        p12 = pkcs12kit.loads(_read(p[f"row10-{label}.p12"]), None)
        key = _read(p[f"pk8-{label}.der"])
        cert = _read(p["identity-cert.der"])
        paired = p12.certificate is not None
        parts, total = [f"paired: {paired}"], 0.0
        for what, call in (("pem_transcript", lambda: cisco.pem_transcript(p12, "Abcdefgh12")),
                           ("pem_import_session", lambda: cisco.pem_import_session(p12, "Abcdefgh12", "TP")),
                           ("PKCS12.build", lambda: pkcs12kit.PKCS12.build(key=key, certificate=cert))):
            outcome, t, ok, _ = _attempt(call)
            total += t
            parts.append(f"{what}: {outcome[:90] if not ok else 'ok'}")
        return {"outcome": "; ".join(parts), "t": total}
    return case


for _name in ("ed25519-31", "ed25519-33", "ed25519-trailing", "ec-secp112r1", "rsa-modulus-0", "ec-no-curve",
              "dsa-no-params"):
    globals()["case_row10_" + _name.replace("-", "_")] = _row10(_name)


def case_row11_odd_keys(p):
    import pkcs12kit
    p12 = pkcs12kit.loads(_read(p["odd-keys.p12"]), None)
    parts = []
    labels = ["ec-no-curve", "rsa-mod-0", "dsa-no-params"]
    for label, key in zip(labels, p12.keys):
        for attr in ("bit_size", "curve"):
            outcome, _, ok, value = _attempt(lambda: getattr(key.private_key, attr))
            parts.append(f"{label}.private_key.{attr}: {repr(value)[:20] if ok else outcome.split(':')[0]}")
        if "key_size" in dir(type(key)):
            outcome, _, ok, value = _attempt(lambda: key.key_size)
            parts.append(f"{label}.key_size: {value if ok else outcome.split(':')[0]}")
    cert = p12.certificates[0]
    for attr in ("bit_size", "curve"):
        outcome, _, ok, value = _attempt(lambda: getattr(cert.certificate.public_key, attr))
        parts.append(f"cert-ec-no-curve.public_key.{attr}: {repr(value)[:20] if ok else outcome.split(':')[0]}")
    return {"outcome": "; ".join(parts), "t": 0.0}


def case_row11_more(p):
    import pkcs12kit
    parts = []
    for label in ("rsa-modulus-negative",):
        key = pkcs12kit.loads(_read(p[f"key-{label}.p12"]), None).keys[0]
        outcome, _, ok, value = _attempt(lambda: key.private_key.bit_size)
        parts.append(f"{label}.private_key.bit_size: {value if ok else outcome.split(':')[0]}")
    for label in ("rsa-spki-modulus-0", "rsa-spki-modulus-negative"):
        cert = pkcs12kit.loads(_read(p[f"cert-{label}.p12"]), None).certificates[0]
        outcome, _, ok, value = _attempt(lambda: cert.certificate.public_key.bit_size)
        parts.append(f"cert-{label}.public_key.bit_size: {value if ok else outcome.split(':')[0]}")
    for label in ("ed25519-valid", "x25519-valid", "ed25519-31"):
        entry = pkcs12kit.KeyEntry(_read(p[f"pk8-{label}.der"]))
        outcome, _, ok, value = _attempt(lambda: entry.private_key.bit_size)
        parts.append(f"{label}.private_key.bit_size: {value if ok else outcome.split(':')[0]}")
        if "key_size" in dir(type(entry)):
            outcome, _, ok, value = _attempt(lambda: entry.key_size)
            parts.append(f"{label}.key_size: {value if ok else outcome.split(':')[0]}")
        else:
            parts.append(f"{label}.key_size: (no such attribute)")
    return {"outcome": "; ".join(parts), "t": 0.0}


def _row12(name):
    def case(p):
        import pkcs12kit
        from asn1crypto import x509
        p12 = pkcs12kit.loads(_read(p[name]), None)
        entry = p12.certificates[0]
        counter = Count().wrap(x509.Certificate, "load", "Certificate.load", classmethod_=True)
        times, outcome = [], ""
        for _ in range(5):
            outcome, t, ok, _ = _attempt(lambda: entry.certificate)
            times.append(t)
        return {"outcome": outcome, "t": sum(times),
                "work": f"5 accesses: {counter.calls['Certificate.load']} parses; per access "
                        + ", ".join(f"{x:.3f}" for x in times) + " s; "
                        + f"certificate {len(entry.der):,} bytes"}
    return case


case_row12_small = _row12("cert-unparsable.p12")
case_row12_big = _row12("cert-146k-unparsable.p12")


def case_row13_scrypt(p):
    import resource
    import pkcs12kit
    counter, _ = _kdf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome, t, ok, _ = _attempt(lambda: pkcs12kit.loads(_read(p["scrypt-n2-r419000.p12"]), "wrong"))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"outcome": outcome, "t": t,
            "work": f"scrypt calls: {counter.calls.get('scrypt', 0)}; peak RSS before the call "
                    f"{before / 1024:.0f} MiB, after {after / 1024:.0f} MiB (limit 256 MiB)"}


def _reachable(err):
    seen, stack = set(), [("err", err)]
    while stack:
        path, item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield path, item
        if isinstance(item, BaseException):
            stack += [(path + ".__context__", item.__context__), (path + ".__cause__", item.__cause__)]
            stack += [(f"{path}.args[{i}]", a) for i, a in enumerate(item.args)]
            stack += [(path + ".object", getattr(item, "object", None))]


def case_row15_passin(p):
    from pkcs12kit.cli.passwords import PasswordReader
    directory = tempfile.mkdtemp(prefix="row15-")
    path = os.path.join(directory, "pw.txt")
    with open(path, "wb") as handle:
        handle.write(b"s3cr\xe9t-\xff\xfe\n")
    with PasswordReader() as reader:
        outcome, t, ok, _ = _attempt(lambda: reader.read(f"file:{path}"))
        try:
            reader.read(f"file:{path}") if False else None
        except Exception:  # noqa: BLE001
            pass
    leaks = []
    reader = PasswordReader()
    try:
        reader.read(f"file:{path}")
    except BaseException as err:  # noqa: BLE001
        for where, item in _reachable(err):
            if (isinstance(item, (bytes, bytearray)) and b"s3cr" in item) or \
                    (not isinstance(item, BaseException) and "s3cr" in str(item)):
                leaks.append(f"{where} = {bytes(item)!r}" if isinstance(item, (bytes, bytearray)) else where)
            elif isinstance(item, BaseException) and "s3cr" in str(item):
                leaks.append(f"str({where})")
    finally:
        reader.close()
    shutil.rmtree(directory)
    return {"outcome": outcome, "t": t,
            "work": "password bytes reachable from the error: " + ("; ".join(leaks) if leaks else "none")}


def case_row16_messages(p):
    from pkcs12kit import cisco
    parts = []
    for password, pem in (("ab?cdefgh", False), ("abc de12345", False), ("short", True)):
        outcome, _, ok, _ = _attempt(lambda: cisco.check_cli_password(password, "ios", pem=pem))
        numbers = [n for n in (len(password), password.find("?") + 1, password.find(" ") + 1) if n > 1]
        said = [n for n in numbers if str(n) in outcome]
        parts.append(f"{password!r}: {outcome[:100]!s} -> names {said or 'no number'}")
    return {"outcome": " | ".join(parts), "t": 0.0}


def case_row_trailing_api(p):
    import pkcs12kit
    outcome, t, ok, p12 = _attempt(lambda: pkcs12kit.loads(_read(p["trailing-8-zero-bytes.p12"]), "pw"))
    if ok:
        outcome = f"loaded; trailing_zeros = {getattr(p12, 'trailing_zeros', '(no such attribute)')}"
    return {"outcome": outcome, "t": t}


def case_row_trailing_garbage(p):
    import pkcs12kit
    outcome, t, ok, _ = _attempt(lambda: pkcs12kit.loads(_read(p["trailing-nonzero-byte.p12"]), "pw"))
    return {"outcome": outcome if not ok else "loaded (not refused)", "t": t}


def _only_root(root: str) -> None:
    """Drop the venv's editable-install finder (it maps pkcs12kit.* modules missing under ROOT to
    the installed checkout, which would mix new modules into the old package)."""
    sys.meta_path[:] = [f for f in sys.meta_path if "Editable" not in getattr(f, "__name__", type(f).__name__)]
    if root not in sys.path:
        sys.path.insert(0, root)


def _foreign_modules(root: str) -> list[str]:
    """pkcs12kit modules loaded from outside ROOT (must be none)."""
    base = os.path.realpath(root) + os.sep
    return sorted(name for name, module in list(sys.modules.items())
                  if (name == "pkcs12kit" or name.startswith("pkcs12kit."))
                  and getattr(module, "__file__", None) and not os.path.realpath(module.__file__).startswith(base))


CLI_WRAPPER = """
import sys, runpy
sys.meta_path[:] = [f for f in sys.meta_path if "Editable" not in getattr(f, "__name__", type(f).__name__)]
root = sys.argv[1]
sys.path.insert(0, root)
sys.argv = ["pkcs12kit", *sys.argv[2:]]
import atexit, os
def _check():
    base = os.path.realpath(root) + os.sep
    bad = [n for n, m in list(sys.modules.items()) if (n == "pkcs12kit" or n.startswith("pkcs12kit."))
           and getattr(m, "__file__", None) and not os.path.realpath(m.__file__).startswith(base)]
    if bad:
        sys.stderr.write("REPRO: pkcs12kit modules from outside the root: %s\\n" % bad)
atexit.register(_check)
runpy.run_module("pkcs12kit", run_name="__main__", alter_sys=True)
"""


def child_main(root: str, case: str) -> None:
    _only_root(root)
    import pkcs12kit
    here = os.path.realpath(os.path.dirname(os.path.dirname(pkcs12kit.__file__)))
    if here != os.path.realpath(root):
        raise SystemExit(f"pkcs12kit imported from {here}, not {root}")
    paths = json.loads(os.environ["REPRO_PATHS"])
    try:
        result = globals()["case_" + case](paths)
    except BaseException as err:  # noqa: BLE001
        result = {"outcome": "CASE ERROR " + _short(err), "t": 0.0, "work": traceback.format_exc()[-300:]}
    foreign = _foreign_modules(root)
    if foreign:
        result["outcome"] = f"INVALID: modules from outside {root}: {foreign}; " + result["outcome"]
    sys.stdout.flush()
    os.write(1, ("\nRESULT " + json.dumps(result) + "\n").encode())


# ================================================================================================
# parent: running children
# ================================================================================================


def run_child(argv, root, *, timeout, stdin=None, cwd=None, env_extra=None, stdout_tty=False, stdout_file=False):
    """Run ``argv``; return dict(rc, out, err, wall, rss_kb, timed_out). stdout and stderr are
    pipes drained by threads (``stdout_tty``: stdout is a pseudo-terminal instead)."""
    import threading

    env = dict(os.environ)
    env["PYTHONPATH"] = root
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONWARNINGS", None)
    if env_extra:
        env.update(env_extra)
    chunks = {"out": [], "err": []}

    def drain(fd, key):
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO on a pty once the child is gone
                data = b""
            if not data:
                break
            chunks[key].append(data)
        os.close(fd)

    if stdout_tty:
        import pty
        out_read, out_write = pty.openpty()
    elif stdout_file:  # a regular (unlinked) file; drained after the child exits
        spool = tempfile.TemporaryFile()
        out_write = os.dup(spool.fileno())
        out_read = None
    else:
        out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=out_write,
                            stderr=err_write, cwd=cwd, env=env, start_new_session=True)
    os.close(out_write)
    os.close(err_write)
    readers = [threading.Thread(target=drain, args=(err_read, "err"), daemon=True)]
    if out_read is not None:
        readers.append(threading.Thread(target=drain, args=(out_read, "out"), daemon=True))
    for reader in readers:
        reader.start()
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)  # the child's own group (start_new_session)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(5)
    if stdout_file:
        spool.seek(0)
        chunks["out"].append(spool.read())
        spool.close()
    return {"rc": proc.returncode, "out": b"".join(chunks["out"]), "err": b"".join(chunks["err"]), "wall": wall,
            "rss_kb": usage.ru_maxrss, "timed_out": timed_out}


def api_case(root, case, paths, timeout):
    result = run_child([PYTHON, SCRIPT, root, "--child", case], root, timeout=timeout,
                       env_extra={"REPRO_PATHS": json.dumps(paths)})
    row = {"wall": result["wall"], "rss_kb": result["rss_kb"]}
    if result["timed_out"]:
        row.update(outcome=f"timeout >{timeout:.0f} s (killed)", t=None)
        return row
    text = result["out"].decode(errors="replace")
    marker = text.rfind("\nRESULT ")
    if marker < 0:
        tail = result["err"].decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        row.update(outcome=f"child died rc={result['rc']}: {tail[0][:120]}", t=None)
        return row
    row.update(json.loads(text[marker + len("\nRESULT "):].strip()))
    return row


def _controls_in(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    return [f"U+{ord(c):04X}" for c in CONTROLS if c in text]


def _last_line(data: bytes) -> str:
    lines = [line for line in data.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1][:120] if lines else ""


def cli_case(root, args, timeout, *, stdin=None, cwd=None, check=None, stdout_tty=False, stdout_file=False):
    result = run_child([PYTHON, "-c", CLI_WRAPPER, root, *args], root, timeout=timeout, stdin=stdin, cwd=cwd,
                       stdout_tty=stdout_tty, stdout_file=stdout_file)
    if b"REPRO: pkcs12kit modules from outside the root" in result["err"]:
        return {"wall": result["wall"], "rss_kb": result["rss_kb"], "t": None,
                "outcome": "INVALID: " + _last_line(result["err"])}
    row = {"wall": result["wall"], "rss_kb": result["rss_kb"], "t": None}
    if result["timed_out"]:
        row["outcome"] = f"timeout >{timeout:.0f} s (killed)"
        return row
    parts = [f"exit {result['rc']}"]
    if check is not None:
        parts.append(check(result))
    elif result["rc"] not in (0, 1) or b"Traceback" in result["err"]:
        parts.append("stderr: " + _last_line(result["err"]))
    row["outcome"] = "; ".join(p for p in parts if p)
    return row


# ================================================================================================
# the rows
# ================================================================================================


def rows(root, paths, timeout, tmp):
    """Yield (row, action, thunk) for every case; the thunk runs the case and returns its result."""
    T = timeout

    def api(case, t=T):
        return lambda: api_case(root, case, paths, t)

    def cli(args, t=T, **kw):
        return lambda: cli_case(root, args, t, **kw)

    yield "pre", "which pkcs12kit the children import", api("preflight")

    # row 1
    yield 1, "loads(crafted ber-octets-20-levels-20000-chunks.p12, None); count tlv.read", api("row1_crafted")
    yield 1, "loads(55 levels x 450,000 empty chunks (900 KB), None)", api("row1_55")
    yield 1, "loads(10 levels x 450,000 empty chunks (900 KB), None)", api("row1_10")

    # row 2
    yield 2, "targets.check(crafted 60 keys + 60 certs, 'asa'); count cryptography loads", api("row2_check60")
    yield 2, "targets.check(1,000 EC keys + 1,000 unmatched certs, 'asa')", api("row2_check1000")
    yield 2, "CLI `info` on 1,000 EC keys + 1,000 unmatched certs (no password)", cli(["info", paths["unpaired-1000.p12"]])

    # row 3
    yield 3, "p12.chain on crafted name-loop-100x2.p12", api("row3_loop100")
    yield 3, "p12.chain on name loop, 1,500 x (A by B) + 1,500 x (B by A)", api("row3_loop1500")
    yield 3, "p12.chain on crafted same-subject-200.p12", api("row3_same200")
    yield 3, "p12.chain on 10,000 certificates of one subject", api("row3_same10000")
    yield 3, "p12.chain on the 1,500 x 2 name loop, every cert with an SKI and a non-matching AKI (my variant)", \
        api("row3_loop1500_keyids")
    yield 3, "p12.chain on 10,000 certs of one subject, each with an SKI, leaf AKI matching none (my variant)", \
        api("row3_same10000_keyids")

    # row 4
    yield 4, "loads(crafted tripledes-9-safes-2000000-mac.p12, None); count KDF calls", api("row4_tripledes")
    yield 4, "loads(9 x 3DES 2M it. + MAC 2M it. that verifies under the empty password, None) (timeout 120 s)", \
        api("row4_tripledes_opens", 120)
    yield 4, "loads(3DES safe 1,000 it. + HMAC MAC 1,000 it., 'pw', Limits(max_total_iterations=3,999))", api("row4_charge")
    yield 4, "loads(PBES2 PBKDF2 1,000 it., wrong non-ASCII password 'wrông'); count pbkdf2", api("row4_nonascii")

    # row 5
    for file, label in ROW5:
        yield 5, f"API calls on {label}", api("row5_" + file[:-4].replace("-", "_"))
    for file in ("cert-subject-nested-1000.p12", "subject-unknownattr-350.p12", "subject-unknownattr-1000.p12"):
        deep = paths[file]
        for args in (["check", deep, "--target", "asa"], ["show", deep, "--platform", "asa"],
                     ["convert", deep, "-o", "-", "--to", "asa"], ["info", deep]):
            yield 5, f"CLI `{args[0]} {file} {' '.join(args[2:])}`", cli(args)

    # row 6
    for name in ("odd-keys", "key-ec-no-curve", "key-rsa-modulus-0", "key-rsa-modulus-negative", "key-dsa-no-params",
                 "cert-ec-spki-no-curve", "cert-rsa-spki-modulus-0", "cert-rsa-spki-modulus-negative"):
        yield 6, f"targets.check({name}.p12, 'asa')", api("row6_" + name.replace("-", "_"))

    # row 7

    def injection_check(result):
        printed = result["out"] + result["err"]
        found = _controls_in(printed)
        lines = [line.strip() for line in printed.decode("utf-8", "replace").splitlines()]
        injected = [x for x in ("configure terminal", "username evil privilege 15 secret 0 evil") if x in lines]
        return (f"raw controls printed: {', '.join(found) if found else 'none'}; "
                f"injected text on lines of its own: {injected or 'none'}")

    for file in ("cn-terminal-injection.p12", "cn-injection-warnings.p12"):
        for args in (["info"], ["show", "--platform", "asa"], ["show", "--platform", "ios"],
                     ["check", "--target", "asa"],
                     ["cisco-import", "--platform", "ios", "--trustpoint", "TP", "--passout", "pass:Abcdefgh12"],
                     ["cisco-import", "--platform", "asa", "--trustpoint", "TP", "--passout", "pass:Abcdefgh12"]):
            yield 7, f"CLI `{args[0]} {file} {' '.join(args[1:])}`", \
                cli([args[0], paths[file], *args[1:]], check=injection_check)

    # row 8
    source = os.path.join(tmp, "x.p12")
    shutil.copy(paths["plain-pw.p12"], source)

    def kind(path):
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return "missing"
        if stat.S_ISLNK(mode):
            return f"symlink -> {os.readlink(path)}"
        for test, label in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "char device"), (stat.S_ISREG, "regular file")):
            if test(mode):
                return label
        return oct(mode)

    def make_fifo(path):
        os.mkfifo(path)

    def make_link(to):
        return lambda path: os.symlink(to, path)

    def make_device(path):
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null twin in tmp

    def repack_into(label, make, tty=False, to_file=False):
        def thunk():
            target = os.path.join(tmp, "out-" + label.replace(" ", "-").replace("/", "_"))
            try:
                make(target)
            except OSError as err:
                return {"outcome": f"skipped: cannot create it: {err}", "t": None, "wall": 0, "rss_kb": 0}
            before = kind(target)
            res = cli_case(root, ["repack", source, "-o", target, "--force", "--passin", "pass:pw",
                                  "--passout", "pass:pw"], T, stdout_tty=tty, stdout_file=to_file,
                           check=lambda r: "stderr: " + _last_line(r["err"]) if r["rc"] else "")
            res["outcome"] += f"; T was {before}, afterwards {kind(target)}"
            return res
        return thunk

    for label, make, tty in (("FIFO", make_fifo, False), ("symlink to /dev/null", make_link("/dev/null"), False),
                             ("symlink to /proc/self/fd/1, stdout a pipe", make_link("/proc/self/fd/1"), False),
                             ("symlink to /proc/self/fd/1, stdout a pty", make_link("/proc/self/fd/1"), True),
                             ("char device node (1,3) made in tmp", make_device, False)):
        yield 8, f"CLI `repack x.p12 -o T --force`, T = {label}", repack_into(label, make, tty)
    yield 8, "(outside the issue) CLI `repack x.p12 -o T --force`, T = symlink to /proc/self/fd/1, stdout a " \
        "regular file", repack_into("symlink to /proc/self/fd/1, stdout a file", make_link("/proc/self/fd/1"),
                                    to_file=True)

    # row 9
    y0 = paths["validity-year-0000.p12"]
    for args in (["show", y0, "--platform", "asa"], ["info", y0], ["check", y0, "--target", "asa"]):
        yield 9, f"CLI `{args[0]} validity-year-0000.p12 {' '.join(args[2:])}`", \
            cli(args, check=lambda r: "stderr: " + _last_line(r["err"]) if r["rc"] not in (0, 1) else "")

    # row 10
    for name in ("ed25519-31", "ed25519-33", "ed25519-trailing", "ec-secp112r1", "rsa-modulus-0", "ec-no-curve",
                 "dsa-no-params"):
        yield 10, f"cisco.pem_transcript / pem_import_session / PKCS12.build, key {name} (paired by localKeyId)", \
            api("row10_" + name.replace("-", "_"))

    # row 11
    yield 11, "bit_size / curve / key_size on odd-keys.p12 entries", api("row11_odd_keys")
    yield 11, "bit_size / key_size on RSA negative modulus, RSA SPKI 0/negative, Ed25519, X25519, short Ed25519", \
        api("row11_more")

    # row 12
    yield 12, "entry.certificate x5 on crafted cert-unparsable.p12; count Certificate.load", api("row12_small")
    yield 12, "entry.certificate x5 on a 146 KB certificate that fails late", api("row12_big")

    # row 13
    yield 13, "loads(crafted scrypt-n2-r419000.p12, 'wrong')", api("row13_scrypt")

    # row 14
    def row14():
        if os.geteuid() != 0:
            return {"outcome": "skipped: not root", "t": None, "wall": 0, "rss_kb": 0}
        owned = os.path.join(tmp, "owned.p12")
        shutil.copy(paths["plain-pw.p12"], owned)
        os.chown(owned, 4321, 4322)

        def owners(result):
            parts = []
            for path in (owned, owned + ".bak"):
                try:
                    info = os.stat(path)
                    parts.append(f"{os.path.basename(path)} {info.st_uid}:{info.st_gid}")
                except FileNotFoundError:
                    parts.append(f"{os.path.basename(path)} missing")
            return "owners after (before: 4321:4322): " + ", ".join(parts)

        return cli_case(root, ["repack", owned, "--in-place", "--passin", "pass:pw", "--passout", "pass:pw"], T,
                        check=owners)

    yield 14, "CLI `repack owned.p12 --in-place` as root (uid 0), owned.p12 owned by 4321:4322", row14

    # row 15
    yield 15, "PasswordReader().read('file:F'), F's line b's3cr\\xe9t-\\xff\\xfe'", api("row15_passin")
    pwfile = os.path.join(tmp, "pw.txt")
    with open(pwfile, "wb") as handle:
        handle.write(b"s3cr\xe9t-\xff\xfe\n")
    yield 15, "CLI `info x.p12 --passin file:F` (non-UTF-8 line)", cli(
        ["info", source, "--passin", f"file:{pwfile}"],
        check=lambda r: "stderr: " + _last_line(r["err"]) + ("; password bytes in output" if b"s3cr" in r["out"] + r["err"] else ""))

    # row 16
    yield 16, "cisco.check_cli_password(pw, 'ios'): do messages name length/position?", api("row16_messages")
    abc = os.path.join(tmp, "abc.p12")
    shutil.copy(paths["plain-abc.p12"], abc)

    def json_lengths(result):
        try:
            texts = [f["message"] for f in json.loads(result["out"])["findings"]]
        except Exception as err:  # noqa: BLE001
            return f"no JSON findings ({type(err).__name__})"
        said = [t for t in texts if "3 characters" in t or "3 character" in t]
        pw = [t for t in texts if "password" in t.lower()]
        return f"password findings: {[t[:70] for t in pw]}; names the length 3: {'YES' if said else 'no'}"

    yield 16, "CLI `check abc.p12 --target iosxe --json --passin pass:abc`", cli(
        ["check", abc, "--target", "iosxe", "--json", "--passin", "pass:abc"], check=json_lengths)
    for pw in ("ab?cdefgh", "abc de12345"):
        yield 16, f"CLI `cisco-import x.p12 --platform ios --trustpoint TP --passout 'pass:{pw}'`", cli(
            ["cisco-import", source, "--platform", "ios", "--trustpoint", "TP", "--passin", "pass:pw",
             "--passout", f"pass:{pw}"], check=lambda r: "stderr: " + _last_line(r["err"]))

    # row 17
    def row17():
        y = os.path.join(tmp, "y.p12")
        shutil.copy(paths["plain-pw.p12"], y)
        before = (open(y, "rb").read(), os.stat(y).st_ino)
        with open(y, "rb") as stdin:
            res = cli_case(root, ["repack", "-", "-o", y, "--force", "--passin", "pass:pw", "--passout", "pass:pw"], T,
                           stdin=stdin, check=lambda r: "stderr: " + _last_line(r["err"]) if r["rc"] else "")
        after = (open(y, "rb").read(), os.stat(y).st_ino)
        res["outcome"] += f"; y.p12 {'REPLACED (new bytes, new inode)' if after != before else 'unchanged'}"
        return res

    yield 17, "CLI `repack - -o y.p12 --force < y.p12`", row17

    # row 18
    out18 = os.path.join(tmp, "nodir", "out.p12")
    yield 18, "CLI `repack x.p12 -o nodir/out.p12`", cli(
        ["repack", source, "-o", out18, "--passin", "pass:pw", "--passout", "pass:pw"],
        check=lambda r: "stderr: " + _last_line(r["err"]) + (
            "; names the temporary file" if b".pkcs12kit-" in r["err"] else "")
        + ("; names OUT" if out18.encode() in r["err"] else "; does not name OUT"))

    # trailing zeros
    yield "tz", "loads(crafted trailing-8-zero-bytes.p12, 'pw')", api("row_trailing_api")
    yield "tz", "CLI `info trailing-8-zero-bytes.p12 --passin pass:pw`", cli(
        ["info", paths["trailing-8-zero-bytes.p12"], "--passin", "pass:pw"],
        check=lambda r: ("stderr: " + _last_line(r["err"])) if r["rc"] else
        ("reports: " + next((line.strip() for line in r["out"].decode().splitlines() if "trailing data" in line),
                            "(no line mentions trailing data)")))
    yield "tz", "loads(crafted trailing-nonzero-byte.p12, 'pw') (must still be refused)", api("row_trailing_garbage")


def fmt_time(row) -> str:
    t = row.get("t")
    call = f"{t:.2f} s" if isinstance(t, (int, float)) and t else "-"
    return f"{call} (child {row['wall']:.1f} s)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--child")
    parser.add_argument("--rows", help="comma-separated rows to run (1..18, tz, pre)")
    parser.add_argument("--json", help="also write the results as JSON here")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    if args.child:
        child_main(root, args.child)
        return
    paths = make_inputs()
    wanted = set(args.rows.split(",")) if args.rows else None
    head = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# pkcs12kit issue 15 rows against {root} (HEAD {head})\n")
    print("| row | action | outcome | time: call (child wall) | peak RSS |")
    print("|---|---|---|---|---|")
    results = []
    tmp = tempfile.mkdtemp(prefix="repro-")
    for row, action, thunk in rows(root, paths, args.timeout, tmp):
        if wanted is not None and str(row) not in wanted and row != "pre":
            continue
        result = thunk()
        outcome = str(result.get("outcome", ""))
        if result.get("work"):
            outcome += f" [{result['work']}]"
        rss = f"{result['rss_kb'] / 1024:.0f} MiB" if result.get("rss_kb") else "-"
        print(f"| {row} | {action} | {outcome.replace('|', '/')} | {fmt_time(result)} | {rss} |", flush=True)
        results.append({"row": row, "action": action, **result})
    shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()
