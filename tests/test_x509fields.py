"""The certificate fields read at the TLV level (pkcs12kit/x509fields.py, `CertEntry.subject` ...)
against two independent parsers, on every certificate of the test corpus.

Truth: ``cryptography`` (``rfc4514_string()``, serial, ``not_valid_*_utc``, ``key_size``, curve
name, signature algorithm OID) and asn1crypto (``human_friendly``, ``self_issued``, ``ca``, public-key algorithm). The
corpus: every certificate in tests/vectors, in the ``cryptography_vectors`` x509 and pkcs12
files, and chains the ``openssl`` program makes here with awkward names and every key type.
Hostile certificates (deep nesting, bad strings, bad lengths) must raise MalformedError and
nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re
import warnings
from pathlib import Path

import cryptography_vectors
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

import craft
from tools import openssl, require_tool

from pkcs12kit.entries import CertEntry
from pkcs12kit.errors import MalformedError

VECTORS = Path(__file__).parent / "vectors"
CRYPTOGRAPHY_VECTORS = Path(cryptography_vectors.__file__).parent
_PEM = re.compile(rb"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----(.*?)-----END", re.S)
_PASSWORDS = (None, b"cryptography", b"pw", b"password", b"cisco123", b"changeit", b"")


def _certificates_in(path: Path) -> list[bytes]:
    """Every certificate DER in a file: PEM blocks, a DER certificate, or a PKCS#12 file that
    cryptography opens with one of a few well-known test passwords."""
    data = path.read_bytes()
    found = []
    for block in _PEM.findall(data):
        try:
            found.append(base64.b64decode(b"".join(block.split())))
        except ValueError:
            continue
    if found or not data.startswith(b"\x30"):
        return found
    if path.suffix.lower() in (".p12", ".pfx"):
        for password in _PASSWORDS:
            try:
                loaded = pkcs12.load_pkcs12(data, password)
            except Exception:
                continue
            certs = ([loaded.cert] if loaded.cert else []) + list(loaded.additional_certs)
            return [c.certificate.public_bytes(Encoding.DER) for c in certs]
        return []
    if "crl" in path.name.lower() or path.suffix.lower() not in (".der", ".crt", ".cer"):
        return []
    return [data]


def _corpus_files() -> list[Path]:
    # crafted/ holds hostile containers (huge iteration counts, 20,000 ContentInfos) whose only
    # certificate is the crafted identity; the hostile certificates are tested below instead.
    files = [p for p in VECTORS.rglob("*") if p.is_file() and "crafted" not in p.parts]
    files += [p for p in (CRYPTOGRAPHY_VECTORS / "x509").rglob("*") if p.is_file()]
    files += [p for p in (CRYPTOGRAPHY_VECTORS / "pkcs12").rglob("*") if p.is_file()]
    return sorted(files)


_OPENSSL_SUBJECTS = (
    # (key option, subject, extra req options)
    ("rsa:2048", "/C=CH/O=Acme, Inc./OU=R+D/CN=host.example.com", []),
    ("rsa:1031", "/CN= leading and trailing spaces /O=#hash;semi<angle>\\\"quote\\\"", []),
    ("ec -pkeyopt ec_paramgen_curve:P-256", "/DC=com/DC=example/UID=jdoe/CN=J. Doe", []),
    ("ec -pkeyopt ec_paramgen_curve:P-384", "/C=DE/ST=Bayern/L=München/O=Bücher GmbH/CN=ünïcødé", ["-utf8"]),
    ("ec -pkeyopt ec_paramgen_curve:P-521", "/CN=multi+OU=valued+O=rdn/C=US", ["-multivalue-rdn"]),
    ("ed25519", "/emailAddress=pki@example.com/serialNumber=42/title=Dr/CN=ed", []),
    ("ed448", "/street=1 Main St/postalCode=8000/businessCategory=x/CN=ed448", []),
    ("rsa:2048", "/CN=dup/OU=a/OU=b/OU=c/O=x/C=CH", []),
)


def _openssl_chain(tmp_path: Path) -> list[bytes]:
    """Root, then for each awkward subject a certificate it issues, made by the openssl program."""
    root_key, root = tmp_path / "root.key", tmp_path / "root.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", root_key, "-out", root,
            "-subj", "/CN=Diff Root/O=pkcs12kit tests", "-days", "30")
    ders = [root]
    for index, (key, subject, extra) in enumerate(_OPENSSL_SUBJECTS):
        key_path, csr, cert = tmp_path / f"{index}.key", tmp_path / f"{index}.csr", tmp_path / f"{index}.pem"
        openssl("req", "-new", "-newkey", *key.split(), "-nodes", "-keyout", key_path, "-out", csr,
                "-subj", subject, *extra)
        openssl("x509", "-req", "-in", csr, "-CA", root, "-CAkey", root_key, "-out", cert,
                "-days", str(400 + index * 9000), "-set_serial", str(-5 if index == 1 else 2 ** (8 * index + 7)))
        ders.append(cert)
    return [der for path in ders for der in _certificates_in(path)]


def _cryptography_view(der: bytes) -> dict:
    """What cryptography reads from ``der``; fields it cannot read are left out."""
    view = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cert = x509.load_der_x509_certificate(der)
        for field, read in (
            ("subject", lambda: cert.subject.rfc4514_string()),
            ("issuer", lambda: cert.issuer.rfc4514_string()),
            ("serial", lambda: cert.serial_number),
            ("not_before", lambda: cert.not_valid_before_utc),
            ("not_after", lambda: cert.not_valid_after_utc),
            ("fingerprint", lambda: cert.fingerprint(hashes.SHA256())),
            ("key_size", lambda: cert.public_key().key_size),
            ("curve", lambda: cert.public_key().curve.name.lower()),
            ("signature_oid", lambda: cert.signature_algorithm_oid.dotted_string),
        ):
            try:
                view[field] = read()
            except Exception:
                continue
    return view


def _asn1crypto_view(der: bytes) -> dict:
    view = {}
    cert = asn1_x509.Certificate.load(der)
    cert["tbs_certificate"].native  # asn1crypto parses lazily: make it read the whole certificate
    for field, read in (
        ("subject", lambda: cert.subject.human_friendly),
        ("issuer", lambda: cert.issuer.human_friendly),
        ("serial", lambda: cert.serial_number),
        ("not_before", lambda: cert.not_valid_before),
        ("not_after", lambda: cert.not_valid_after),
        ("algorithm", lambda: cert.public_key.algorithm),
        ("self_issued", lambda: cert.self_issued),
        ("ca", lambda: bool(cert.ca)),
    ):
        try:
            view[field] = read()
        except Exception:
            continue
    return view


def _compare(der: bytes, counts: dict) -> list[str]:
    """Differences between the cheap fields and both references for one certificate."""
    entry = CertEntry(der)
    problems = []

    def cheap(read):
        try:
            return read()
        except MalformedError as err:
            return err
        except Exception as err:  # anything but MalformedError is a bug
            problems.append(f"{type(err).__name__}: {err}")
            return err

    try:
        theirs = _cryptography_view(der)
    except Exception:
        theirs = {}
    key = cheap(lambda: entry.public_key_info)
    ours = {
        "subject": cheap(lambda: entry.subject.rfc4514), "issuer": cheap(lambda: entry.issuer.rfc4514),
        "serial": cheap(lambda: entry.serial_number), "not_before": cheap(lambda: entry.not_before),
        "not_after": cheap(lambda: entry.not_after), "fingerprint": entry.fingerprint("sha256"),
        "key_size": getattr(key, "bits", key), "curve": getattr(key, "curve", key),
        "signature_oid": cheap(lambda: entry.fields.signature_algorithm_oid),
    }
    if ours["curve"] is None and "curve" in theirs:
        # Explicit EC parameters (RFC 3279 2.3.5) name no curve; cryptography matches them to one.
        assert asn1_x509.Certificate.load(der).public_key.curve[0] == "specified"
        del theirs["curve"]
    for field, value in theirs.items():
        counts[f"cryptography {field}"] = counts.get(f"cryptography {field}", 0) + 1
        if ours[field] != value:
            problems.append(f"{field}: cryptography {value!r}, pkcs12kit {ours[field]!r}")
    try:
        reference = _asn1crypto_view(der)
    except Exception:
        reference = {}
    mine = {
        "subject": cheap(lambda: entry.subject.human_friendly), "issuer": cheap(lambda: entry.issuer.human_friendly),
        "serial": ours["serial"], "not_before": ours["not_before"], "not_after": ours["not_after"],
        "algorithm": getattr(key, "algorithm", key), "self_issued": cheap(lambda: entry.fields.self_issued),
        "ca": cheap(lambda: entry.fields.ca),
    }
    for field, value in reference.items():
        counts[f"asn1crypto {field}"] = counts.get(f"asn1crypto {field}", 0) + 1
        if mine[field] != value:
            problems.append(f"{field}: asn1crypto {value!r}, pkcs12kit {mine[field]!r}")
    return problems


def test_cheap_fields_equal_cryptography_and_asn1crypto_on_the_whole_corpus(tmp_path):
    require_tool("openssl")
    ders: dict[bytes, str] = {}
    for path in _corpus_files():
        for der in _certificates_in(path):
            ders.setdefault(der, str(path.relative_to(path.parents[1])))
    for der in _openssl_chain(tmp_path):
        ders.setdefault(der, "openssl chain")
    counts: dict = {}
    failures = []
    for der, where in ders.items():
        problems = _compare(der, counts)
        if problems:
            failures.append(f"{where} ({der[:24].hex()}…): " + "; ".join(p[:300] for p in problems))
    assert not failures, f"{len(failures)} of {len(ders)} certificates differ:\n" + "\n".join(failures[:30])
    # The comparison ran on the corpus, not on an empty list: hundreds of certificates, every
    # field compared with both references, key sizes and curves of several kinds.
    assert len(ders) > 500, len(ders)
    for field in ("subject", "issuer", "serial", "not_before", "not_after", "fingerprint", "signature_oid"):
        assert counts.get(f"cryptography {field}", 0) > 400, counts
    for field in ("subject", "issuer", "serial", "algorithm", "self_issued", "ca"):
        assert counts.get(f"asn1crypto {field}", 0) > 400, counts
    assert counts.get("cryptography key_size", 0) > 300 and counts.get("cryptography curve", 0) > 8, counts


def test_names_are_decoded_once_per_file():
    """In a chain every issuer is another certificate's subject: one object per distinct name."""
    from pkcs12kit.x509fields import read_certificate_fields

    der = _certificates_in(CRYPTOGRAPHY_VECTORS / "x509" / "cryptography.io.pem")[0]
    cache: dict = {}
    first, second = read_certificate_fields(der, cache), read_certificate_fields(der, cache)
    assert first.subject is second.subject and first.issuer is second.issuer
    assert set(cache) == {first.subject.der, first.issuer.der}
    assert first.subject.rfc4514 == x509.load_der_x509_certificate(der).subject.rfc4514_string()


def test_shared_rdns_are_read_once_and_the_caches_stay_bounded(monkeypatch):
    """RDNs the names of a file share (O, OU, C) are read once and give each name its own text;
    a flood of distinct RDNs does not grow the module's caches past their bound."""
    from pkcs12kit import x509names

    monkeypatch.setattr(x509names, "_RDN_CACHE", {})  # empty, whatever other tests read before
    monkeypatch.setattr(x509names, "_RDN_TEXT", {})

    shared = [_rdn((_C, craft.tlv(0x13, b"CH"))), _rdn((_O, craft.utf8("Org, Inc.")))]
    names = [x509names.X509Name(craft.seq(*shared, _rdn((_CN, craft.utf8(f"host {n}"))))) for n in range(3)]
    assert [name.rfc4514 for name in names] == [f"CN=host {n},O=Org\\, Inc.,C=CH" for n in range(3)]
    assert names[0].attributes[0] is names[2].attributes[0] and names[0].attributes[1] is names[2].attributes[1]
    for n in range(x509names._RDN_CACHE_SIZE + 100):
        assert x509names.X509Name(craft.seq(_rdn((_CN, craft.utf8(f"flood {n}"))))).rfc4514 == f"CN=flood {n}"
    assert len(x509names._RDN_CACHE) <= x509names._RDN_CACHE_SIZE
    assert len(x509names._RDN_TEXT) <= x509names._RDN_CACHE_SIZE


def _rdn(*pairs: tuple[str, bytes]) -> bytes:
    return craft.set_of(*(craft.seq(craft.oid(oid), value) for oid, value in pairs))


_CN, _O, _C = "2.5.4.3", "2.5.4.10", "2.5.4.6"
_MATCHING_PAIRS = {
    # RFC 5280 section 7.1: case and runs of white space fold; RDNs are sets; the string type
    # does not matter when the text is the same.
    "same octets": ([_rdn((_C, craft.tlv(0x13, b"CH"))), _rdn((_CN, craft.utf8("a")))],
                    [_rdn((_C, craft.tlv(0x13, b"CH"))), _rdn((_CN, craft.utf8("a")))]),
    "case in the last RDN": ([_rdn((_O, craft.utf8("Org"))), _rdn((_CN, craft.utf8("Host  A")))],
                             [_rdn((_O, craft.utf8("Org"))), _rdn((_CN, craft.utf8(" host a ")))]),
    "printable and utf8": ([_rdn((_CN, craft.tlv(0x13, b"same")))], [_rdn((_CN, craft.utf8("same")))]),
    "multi-valued, other order": ([_rdn((_C, craft.tlv(0x13, b"CH"))), _rdn((_CN, craft.utf8("a")), (_O, craft.utf8("b")))],
                                  [_rdn((_C, craft.tlv(0x13, b"CH"))), _rdn((_O, craft.utf8("B")), (_CN, craft.utf8("a")))]),
}
_DIFFERENT_PAIRS = {
    "the CN": ([_rdn((_O, craft.utf8("Org"))), _rdn((_CN, craft.utf8("CA 1")))],
               [_rdn((_O, craft.utf8("Org"))), _rdn((_CN, craft.utf8("CA 2")))]),
    "an attribute type": ([_rdn((_CN, craft.utf8("x")))], [_rdn((_O, craft.utf8("x")))]),
    "the RDN count": ([_rdn((_CN, craft.utf8("x")))], [_rdn((_C, craft.tlv(0x13, b"CH"))), _rdn((_CN, craft.utf8("x")))]),
    "same octets, other string type": ([_rdn((_CN, craft.tlv(0x1E, b"ab")))],  # BMPString U+6162
                                       [_rdn((_CN, craft.utf8("ab")))]),
    "a value of a multi-valued RDN": ([_rdn((_CN, craft.utf8("a")), (_O, craft.utf8("b")))],
                                      [_rdn((_CN, craft.utf8("a")), (_O, craft.utf8("c")))]),
}


@pytest.mark.parametrize("case", sorted(_MATCHING_PAIRS) + sorted(_DIFFERENT_PAIRS))
def test_name_matching_agrees_with_asn1crypto(case):
    """`X509Name.matches` (what self-issued is) against asn1crypto's RFC 5280 comparison of Names."""
    from pkcs12kit.x509fields import X509Name

    first, second = (craft.seq(*rdns) for rdns in {**_MATCHING_PAIRS, **_DIFFERENT_PAIRS}[case])
    expected = case in _MATCHING_PAIRS
    assert (asn1_x509.Name.load(first) == asn1_x509.Name.load(second)) is expected
    assert X509Name(first).matches(X509Name(second)) is expected
    assert X509Name(second).matches(X509Name(first)) is expected


# --- hostile certificates --------------------------------------------------------------------


def _name(*attributes: bytes) -> bytes:
    return craft.seq(*(craft.set_of(attribute) for attribute in attributes))


def _cn(value: bytes) -> bytes:
    return craft.seq(craft.oid("2.5.4.3"), value)


def _certificate(*, serial=None, issuer=None, validity=None, subject=None, spki=None, raw_tbs=None) -> bytes:
    good_name = _name(_cn(craft.utf8("ok")))
    time = craft.tlv(0x17, b"240101000000Z")
    tbs = raw_tbs if raw_tbs is not None else craft.seq(
        craft.tlv(0xA0, craft.integer(2)),
        craft.integer(7) if serial is None else serial,
        craft.seq(craft.oid("1.2.840.113549.1.1.11"), craft.null()),
        good_name if issuer is None else issuer,
        craft.seq(time, time) if validity is None else validity,
        good_name if subject is None else subject,
        craft.seq(craft.seq(craft.oid("1.3.101.112")), craft.tlv(0x03, b"\x00" + b"\x01" * 32)) if spki is None else spki,
    )
    return craft.seq(tbs, craft.seq(craft.oid("1.2.840.113549.1.1.11"), craft.null()), craft.tlv(0x03, b"\x00\x00"))


def _deep(levels: int) -> bytes:
    return b"\x30\x80" * levels + b"\x00\x00" * levels


def _deep_definite(levels: int) -> bytes:
    value = craft.utf8("x")
    for _ in range(levels):
        value = craft.seq(value)
    return value


HOSTILE = {
    "deep-indefinite-value": _certificate(subject=_name(craft.seq(craft.oid("2.5.4.3"), _deep(5000)))),
    "deep-definite-value": _certificate(subject=_name(craft.seq(craft.oid("2.5.4.3"), _deep_definite(2000)))),
    "deep-nested-tbs": craft.seq(_deep(3000)),
    "invalid-utf8": _certificate(subject=_name(_cn(craft.tlv(0x0C, b"\xff\xfe\xc3")))),
    "odd-bmpstring": _certificate(subject=_name(_cn(craft.tlv(0x1E, b"\x00a\x00")))),
    "teletex-latin1": _certificate(issuer=_name(_cn(craft.tlv(0x14, b"M\xfcller")))),
    "high-tag-value": _certificate(subject=_name(_cn(b"\x1f\x81\x01\x01a"))),
    "unknown-attribute": _certificate(subject=_name(craft.seq(craft.oid("1.2.3.4"), craft.integer(5)))),
    "empty-rdn": _certificate(subject=craft.seq(craft.set_of())),
    "empty-oid": _certificate(subject=_name(craft.seq(craft.tlv(0x06, b""), craft.utf8("x")))),
    "huge-oid-arc": _certificate(subject=_name(craft.seq(craft.tlv(0x06, b"\x2a" + b"\xff" * 200 + b"\x01"),
                                                         craft.utf8("x")))),
    "attribute-extra-field": _certificate(subject=_name(craft.seq(craft.oid("2.5.4.3"), craft.utf8("a"), craft.utf8("b")))),
    "length-overflow": _certificate(subject=b"\x30\x84\xff\xff\xff\xff"),
    "truncated": _certificate()[:-40],
    "bad-month": _certificate(validity=craft.seq(craft.tlv(0x17, b"241301000000Z"), craft.tlv(0x17, b"240101000000Z"))),
    "odd-time": _certificate(validity=craft.seq(craft.tlv(0x18, b"20240101000000.5+0130"), craft.tlv(0x17, b"x"))),
    "time-not-a-time": _certificate(validity=craft.seq(craft.integer(1), craft.integer(2))),
    "empty-serial": _certificate(serial=craft.tlv(0x02, b"")),
    "no-tbs": craft.seq(),
    "rsa-key-not-a-sequence": _certificate(spki=craft.seq(craft.seq(craft.oid("1.2.840.113549.1.1.1"), craft.null()),
                                                          craft.tlv(0x03, b"\x00\x02\x01\x05"))),
    "ec-unknown-curve": _certificate(spki=craft.seq(craft.seq(craft.oid("1.2.840.10045.2.1"), craft.oid("1.2.3.4.5")),
                                                     craft.tlv(0x03, b"\x00\x04"))),
    "garbage": b"\x30\x03\x02\x01",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_certificates_raise_malformed_error_only(name):
    entry = CertEntry(HOSTILE[name])
    readers = {
        "subject": lambda: entry.subject.rfc4514, "subject human": lambda: entry.subject.human_friendly,
        "issuer": lambda: entry.issuer.rfc4514, "issuer human": lambda: entry.issuer.human_friendly,
        "serial": lambda: entry.serial_number, "not_before": lambda: entry.not_before,
        "not_after": lambda: entry.not_after, "key": lambda: entry.public_key_info,
        "self_issued": lambda: entry.fields.self_issued, "ca": lambda: entry.fields.ca,
        "signature algorithm": lambda: entry.fields.signature_algorithm_oid,
    }
    outcomes = {}
    for field, read in readers.items():
        try:
            outcomes[field] = read()
        except MalformedError as err:
            assert str(err), field
            outcomes[field] = err
    assert entry.fingerprint() == hashlib.sha256(HOSTILE[name]).digest()
    if name in ("deep-indefinite-value", "deep-nested-tbs", "length-overflow", "truncated", "no-tbs", "garbage",
                "empty-rdn", "empty-oid", "huge-oid-arc", "attribute-extra-field", "bad-month", "time-not-a-time",
                "empty-serial", "rsa-key-not-a-sequence"):
        assert any(isinstance(value, MalformedError) for value in outcomes.values()), outcomes


# --- curve sizes: the curve's, never a scalar's (KeyEntry.key_size, PublicKeyInfo.bits) ----------

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from pkcs12kit.entries import KeyEntry  # noqa: E402
from pkcs12kit.x509fields import curve_bits  # noqa: E402


def test_curve_bits_is_cryptographys_key_size_for_every_curve_it_knows():
    from asn1crypto import keys

    named = set(keys.NamedCurve._map.values())
    checked = 0
    for value in ec._CURVE_TYPES.values():
        curve = value() if isinstance(value, type) else value  # classes or instances, by version
        if curve.name in named:  # asn1crypto's name of the curve, as certificates are read
            assert curve_bits(curve.name) == curve.key_size, curve.name
            checked += 1
    assert checked >= 8, checked  # the secp and brainpool curves asn1crypto names


@pytest.mark.parametrize("curve", [ec.SECP256R1(), ec.SECP384R1(), ec.SECP521R1(), ec.BrainpoolP256R1()],
                         ids=lambda c: c.name)
def test_ec_key_size_is_the_curves_even_for_a_short_scalar(curve):
    """Found by the issue-15 reproduction run: the size came from the private scalar, so a P-384
    key whose scalar has leading zero bits (one key in 256) was "376 bits", and scalar 1 failed."""
    for scalar in (1, 2**100 + 1, 2**(curve.key_size - 9) + 7):
        key = ec.derive_private_key(scalar, curve)
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        assert KeyEntry(der).key_size == key.key_size == curve.key_size


def test_ec_key_size_with_explicit_parameters_is_the_prime_size(tmp_path):
    require_tool("openssl")
    pem = tmp_path / "k.pem"
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-pkeyopt",
            "ec_param_enc:explicit", "-out", str(pem))
    der = openssl("pkcs8", "-topk8", "-nocrypt", "-in", str(pem), "-outform", "DER").stdout
    assert KeyEntry(der).key_size == 256


def test_info_and_show_give_the_curve_size_of_a_p521_key():
    """`info` read the private scalar's length and `show` asn1crypto's point-based size (528 for
    P-521); both now give the curve's, as cryptography and OpenSSL do."""
    import pkcs12kit
    from pkcs12kit import cisco
    from pkcs12kit.cli import info_document
    from tools import make_cert

    key = ec.derive_private_key(2**300 + 1, ec.SECP521R1())  # a short scalar as well
    cert = make_cert("p521", key.public_key(), None, key, ca=False)
    p12 = pkcs12kit.PKCS12.build(key=key, certificate=cert)
    assert info_document(p12)["keys"][0]["bits"] == 521
    assert "Public Key Type: ECDSA (521 bits)" in cisco.show_certificates(p12, "asa")
