"""Hypothesis strategies for PKCS#12 (RFC 7292) models, passwords and profiles, for property tests.

Exports: passwords, friendly_names, local_key_ids, attributes, private_keys, certificates,
identities, chains, Identity, key_entries, cert_entries, crl_entries, secret_entries, unknown_bags,
entries, pkcs12s, protections, profiles, encoded_files.

This module is public API for users' own tests, and the only one that imports hypothesis:
``import pkcs12kit`` never loads it; ``import pkcs12kit.strategies`` needs the ``test`` extra.

Keys, certificates and CRLs come from a small pool made once per process with ``cryptography``
on first use (3 EC P-256 keys, 1 Ed25519, 1 RSA-2048; a root and an intermediate CA that issue a
leaf for each), so drawing an example never generates a key. Profiles are drawn with low
iteration counts so that encoding and decoding stay fast.
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(
        "pkcs12kit.strategies needs hypothesis: install the test extra, pip install 'pkcs12kit[test]'"
    ) from err

import datetime
import random as _random
import threading
from typing import TYPE_CHECKING, NamedTuple, cast

from asn1crypto import core, keys, x509

from .api import dumps
from .model import PKCS12, Attribute, CertEntry, CrlEntry, KeyEntry, Protection, SecretEntry, UnknownBag
from .profiles import PROFILES, MacSpec, Profile

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cryptography.hazmat.primitives.asymmetric.types import (
        CertificateIssuerPrivateKeyTypes,
        CertificateIssuerPublicKeyTypes,
    )

    from .entries import Entry

__all__ = [
    "passwords",
    "friendly_names",
    "local_key_ids",
    "attributes",
    "private_keys",
    "certificates",
    "identities",
    "chains",
    "Identity",
    "key_entries",
    "cert_entries",
    "crl_entries",
    "secret_entries",
    "unknown_bags",
    "entries",
    "pkcs12s",
    "protections",
    "profiles",
    "encoded_files",
]

# Attribute types (RFC 2985 sections 5.5.1 and 5.5.2).
FRIENDLY_NAME_OID = "1.2.840.113549.1.9.20"
LOCAL_KEY_ID_OID = "1.2.840.113549.1.9.21"
# A private-enterprise arc nobody is assigned to interpret: drawn bag types, secret types and
# attribute types live under it, so they never collide with a type pkcs12kit knows.
PRIVATE_ARC = "1.3.6.1.4.1.99999"

# --- text -----------------------------------------------------------------------------------

# Lone surrogates (category Cs) are not text: no encoding can write them, so they are excluded.
_ANY_CHARACTER = st.characters(blacklist_categories=["Cs"])
# Characters picked to cross encoding boundaries: Latin-1 accents, Cyrillic, CJK, the last BMP
# code points before and after the surrogate block, the replacement character, and non-BMP
# characters that become surrogate pairs in a BMPString (emoji, a CJK extension B ideograph).
_TRICKY_CHARACTERS = st.sampled_from(
    "éüßçñ" "пароль" "密码鍵"
    "\u00a0\u07ff\u0800\ud7ff\ue000\ufffd\ufffe\uffff"
    "😀🔑\U00010000\U00020000\U0010ffff"
)
_TEXT_CHARACTERS = st.one_of(_TRICKY_CHARACTERS, st.characters(min_codepoint=0x20, max_codepoint=0x7E), _ANY_CHARACTER)


def passwords(*, allow_bytes: bool = False, allow_none: bool = False) -> st.SearchStrategy[str | bytes | None]:
    """Passwords: ``""``, ASCII, non-ASCII BMP text (Cyrillic, CJK, accents), non-BMP characters
    (written as surrogate pairs in the RFC 7292 appendix B.1 BMPString), a single space, U+E000,
    U+FFFD, and long ones (up to 300 characters). Never a lone surrogate.

    ``allow_bytes`` adds ``bytes`` passwords (UTF-8 or not: non-UTF-8 octets are widened as
    OpenSSL does); ``allow_none`` adds ``None`` (no password).
    """
    options: list[st.SearchStrategy[str | bytes | None]] = [
        st.sampled_from(
            ["", " ", "password", "пароль", "密码", "päßwörd", "🔑", "\ue000", "\ufffd", "a" * 300]
        ),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40),
        st.text(_TEXT_CHARACTERS, max_size=40),
        st.text(_TRICKY_CHARACTERS, min_size=100, max_size=300),
    ]
    if allow_bytes:
        options.append(st.binary(max_size=40))
    if allow_none:
        options.append(st.none())
    return st.one_of(options)


def friendly_names() -> st.SearchStrategy[str | None]:
    """Friendly names (RFC 2985 5.5.1): None, ASCII, or any text with unicode and emoji.
    Never NUL (C readers stop there) nor a lone surrogate."""
    return st.one_of(
        st.none(),
        st.sampled_from(["alias", "my key", "☺", "ä", "ключ", "証明書", "🔑 key", "x" * 200]),
        st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=40),
    )


def local_key_ids() -> st.SearchStrategy[bytes | None]:
    """localKeyId octets (RFC 2985 5.5.2): None, a SHA-1-sized value, or 1-32 arbitrary octets."""
    return st.one_of(st.none(), st.binary(min_size=20, max_size=20), st.binary(min_size=1, max_size=32))


def _private_oid(branch: int) -> st.SearchStrategy[str]:
    # Arcs up to 2**40 need several base-128 octets each, which exercises OID encoding.
    return st.integers(0, 2**40).map(lambda n: f"{PRIVATE_ARC}.{branch}.{n}")


def _der_values() -> st.SearchStrategy[bytes]:
    """Small DER values of assorted universal types."""
    return st.one_of(
        st.binary(max_size=40).map(lambda b: core.OctetString(b).dump()),
        st.text(_TEXT_CHARACTERS, max_size=20).map(lambda t: core.UTF8String(t).dump()),
        st.integers(-(2**70), 2**70).map(lambda n: core.Integer(n).dump()),
        st.booleans().map(lambda b: core.Boolean(b).dump()),
        st.just(core.Null().dump()),
    )


def _unknown_attributes() -> st.SearchStrategy[Attribute]:
    """An attribute of a type no reader interprets, with 1-3 DER values."""
    return st.builds(
        lambda oid, values: Attribute(oid, tuple(values)),
        _private_oid(2),
        st.lists(_der_values(), min_size=1, max_size=3),
    )


def attributes(
    *, friendly_name: bool = True, local_key_id: bool = True, unknown: bool = True
) -> st.SearchStrategy[tuple[Attribute, ...]]:
    """Bag attributes (RFC 7292 4.2): a tuple of `Attribute` in any order with at most one
    friendlyName (a BMPString from `friendly_names`), one localKeyId (an OCTET STRING from
    `local_key_ids`) and up to two attributes of unknown types.

    The order of attributes and of an attribute's values is arbitrary, not DER's sorted SET OF
    order, on purpose: pkcs12kit keeps them as given, and round-trip tests check that it does."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Attribute, ...]:
        items: list[Attribute] = []
        name = draw(friendly_names()) if friendly_name else None
        if name is not None:
            items.append(Attribute(FRIENDLY_NAME_OID, (core.BMPString(name).dump(),)))
        key_id = draw(local_key_ids()) if local_key_id else None
        if key_id is not None:
            items.append(Attribute(LOCAL_KEY_ID_OID, (core.OctetString(key_id).dump(),)))
        if unknown:
            items += draw(st.lists(_unknown_attributes(), max_size=2, unique_by=lambda a: a.oid))
        return tuple(draw(st.permutations(items)))

    return build()


# --- the key pool ---------------------------------------------------------------------------

_POOL_KINDS = ("p256", "p256", "p256", "ed25519", "rsa2048")
# Fixed validity so that nothing depends on the clock (certificates need not be valid today).
_NOT_BEFORE = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
_NOT_AFTER = datetime.datetime(2050, 1, 1, tzinfo=datetime.timezone.utc)


class _PoolKey(NamedTuple):
    kind: str
    key_der: bytes  # PKCS#8 PrivateKeyInfo
    self_signed_der: bytes
    leaf_der: bytes  # issued by the pool's intermediate CA


class _Pool(NamedTuple):
    keys: tuple[_PoolKey, ...]
    root_der: bytes
    intermediate_der: bytes
    crls: tuple[bytes, ...]  # CRL DER


_pool_lock = threading.Lock()
_pool_value: _Pool | None = None
_pool_generations = 0  # how many times the pool was made (tests check it stays 1)


def _pool() -> _Pool:
    """The process-wide pool of keys, certificates and CRLs, made on first use."""
    global _pool_value, _pool_generations
    if _pool_value is None:
        with _pool_lock:
            if _pool_value is None:
                _pool_value = _make_pool()
                _pool_generations += 1
    return _pool_value


def _make_pool() -> _Pool:
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.x509.oid import NameOID

    def generate(kind: str) -> ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey:
        if kind == "p256":
            return ec.generate_private_key(ec.SECP256R1())
        if kind == "ed25519":
            return ed25519.Ed25519PrivateKey.generate()
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def der(obj: cx509.Certificate | cx509.CertificateRevocationList) -> bytes:
        return obj.public_bytes(serialization.Encoding.DER)

    def name(text: str) -> cx509.Name:
        return cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, text)])

    def issue(
        subject: cx509.Name, public_key: CertificateIssuerPublicKeyTypes, issuer_name: cx509.Name,
        issuer_key: CertificateIssuerPrivateKeyTypes, *, ca: bool, serial: int,
    ) -> cx509.Certificate:
        builder = (
            cx509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name)
            .public_key(public_key)
            .serial_number(serial)
            .not_valid_before(_NOT_BEFORE)
            .not_valid_after(_NOT_AFTER)
            .add_extension(cx509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(cx509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )
        if issuer_key is not None and issuer_key.public_key() != public_key:
            builder = builder.add_extension(
                cx509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
            )
        algorithm = None if isinstance(issuer_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
        return builder.sign(issuer_key, algorithm)

    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = name("pkcs12kit strategies root CA")
    root = issue(root_name, root_key.public_key(), root_name, root_key, ca=True, serial=1)
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter_name = name("pkcs12kit strategies intermediate CA")
    inter = issue(inter_name, inter_key.public_key(), root_name, root_key, ca=True, serial=2)

    pool_keys = []
    for index, kind in enumerate(_POOL_KINDS):
        key = generate(kind)
        own = name(f"pkcs12kit strategies key {index} ({kind})")
        self_signed = issue(own, key.public_key(), own, key, ca=False, serial=100 + index)
        leaf = issue(own, key.public_key(), inter_name, inter_key, ca=False, serial=200 + index)
        key_der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        pool_keys.append(_PoolKey(kind, key_der, der(self_signed), der(leaf)))

    crls = []
    for issuer_name, issuer_key, revoked in ((root_name, root_key, ()), (inter_name, inter_key, (200, 201, 2**70))):
        builder = (
            cx509.CertificateRevocationListBuilder()
            .issuer_name(issuer_name)
            .last_update(_NOT_BEFORE)
            .next_update(_NOT_AFTER)
        )
        for serial in revoked:
            builder = builder.add_revoked_certificate(
                cx509.RevokedCertificateBuilder().serial_number(serial).revocation_date(_NOT_BEFORE).build()
            )
        crls.append(der(builder.sign(issuer_key, hashes.SHA256())))
    return _Pool(tuple(pool_keys), der(root), der(inter), tuple(crls))


class Identity(NamedTuple):
    """A private key (asn1crypto ``PrivateKeyInfo``), its certificate (asn1crypto ``Certificate``)
    and the certificate's issuers leaf → root (empty for a self-signed certificate)."""

    key: keys.PrivateKeyInfo
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def _pool_index() -> st.SearchStrategy[int]:
    # Indexes, not pool entries, so that the pool is made on the first draw, not at import;
    # shrinking goes towards index 0, a cheap EC key.
    return st.integers(0, len(_POOL_KINDS) - 1)


def private_keys() -> st.SearchStrategy[keys.PrivateKeyInfo]:
    """Private keys from the pool as asn1crypto ``PrivateKeyInfo`` (PKCS#8, RFC 5208): EC P-256,
    Ed25519 or RSA-2048. Each draw is a freshly parsed object."""
    return _pool_index().map(lambda i: keys.PrivateKeyInfo.load(_pool().keys[i].key_der))


def identities() -> st.SearchStrategy[Identity]:
    """`Identity` values: a pool key with its self-signed certificate (no chain) or with its leaf
    certificate issued by the pool's intermediate CA and the chain (intermediate, root)."""

    def make(index: int, chained: bool) -> Identity:
        if chained:
            return _chained(index)
        entry = _pool().keys[index]
        return Identity(keys.PrivateKeyInfo.load(entry.key_der), x509.Certificate.load(entry.self_signed_der), ())

    return st.builds(make, _pool_index(), st.booleans())


def chains() -> st.SearchStrategy[Identity]:
    """`Identity` values with a full chain: leaf (a pool key's, issued by the intermediate CA),
    then (intermediate, root)."""
    return _pool_index().map(_chained)


def _chained(index: int) -> Identity:
    pool = _pool()
    entry = pool.keys[index]
    return Identity(
        keys.PrivateKeyInfo.load(entry.key_der),
        x509.Certificate.load(entry.leaf_der),
        (x509.Certificate.load(pool.intermediate_der), x509.Certificate.load(pool.root_der)),
    )


def certificates() -> st.SearchStrategy[x509.Certificate]:
    """Certificates as asn1crypto ``Certificate``: a pool key's self-signed certificate or its leaf,
    the intermediate CA or the root CA."""

    def make(choice: int) -> x509.Certificate:
        pool = _pool()
        ders = [k.self_signed_der for k in pool.keys] + [k.leaf_der for k in pool.keys]
        ders += [pool.intermediate_der, pool.root_der]
        return cast(x509.Certificate, x509.Certificate.load(ders[choice]))

    return st.integers(0, 2 * len(_POOL_KINDS) + 1).map(make)


# --- entries --------------------------------------------------------------------------------


def _or_attributes(attrs: st.SearchStrategy[tuple[Attribute, ...]] | None) -> st.SearchStrategy[tuple[Attribute, ...]]:
    return attributes() if attrs is None else attrs


def key_entries(*, attrs: st.SearchStrategy[tuple[Attribute, ...]] | None = None) -> st.SearchStrategy[KeyEntry]:
    """`KeyEntry` values (RFC 7292 4.2.1) for pool keys, with random `attributes`."""
    return st.builds(
        lambda index, a: KeyEntry(_pool().keys[index].key_der, a), _pool_index(), _or_attributes(attrs)
    )


def cert_entries(*, attrs: st.SearchStrategy[tuple[Attribute, ...]] | None = None) -> st.SearchStrategy[CertEntry]:
    """`CertEntry` values (RFC 7292 4.2.3) for `certificates`, with random `attributes`."""
    return st.builds(lambda cert, a: CertEntry(cert.dump(), a), certificates(), _or_attributes(attrs))


def crl_entries(*, attrs: st.SearchStrategy[tuple[Attribute, ...]] | None = None) -> st.SearchStrategy[CrlEntry]:
    """`CrlEntry` values (RFC 7292 4.2.4): the pool's CRLs (an empty one by the root, one by the
    intermediate CA revoking three serials), with random `attributes`."""
    return st.builds(
        lambda index, a: CrlEntry(_pool().crls[index], a), st.integers(0, 1), _or_attributes(attrs)
    )


def secret_entries(*, attrs: st.SearchStrategy[tuple[Attribute, ...]] | None = None) -> st.SearchStrategy[SecretEntry]:
    """`SecretEntry` values in the RFC 7292 4.2.5 form: a private-arc secretTypeId and 0-64
    secret octets (written as an OCTET STRING), with random `attributes`."""
    return st.builds(
        lambda type_id, value, a: SecretEntry(type_id=type_id, value=value, attributes=a),
        _private_oid(3),
        st.binary(max_size=64),
        _or_attributes(attrs),
    )


def unknown_bags(*, attrs: st.SearchStrategy[tuple[Attribute, ...]] | None = None) -> st.SearchStrategy[UnknownBag]:
    """`UnknownBag` values: a private-arc bagId (never one RFC 7292 defines) and a small DER
    value, with random `attributes`."""
    return st.builds(
        lambda bag_id, value, a: UnknownBag(bag_id, value, a), _private_oid(1), _der_values(), _or_attributes(attrs)
    )


def entries() -> st.SearchStrategy[Entry]:
    """Any entry: key, certificate, CRL, secret or unknown bag."""
    return st.one_of(key_entries(), cert_entries(), crl_entries(), secret_entries(), unknown_bags())


# --- whole files ----------------------------------------------------------------------------


@st.composite
def _identity_files(draw: st.DrawFn) -> PKCS12:
    identity = draw(identities())
    local_key_id = draw(st.one_of(st.just(True), st.none(), st.binary(min_size=1, max_size=20)))
    chain_names = draw(st.lists(friendly_names(), max_size=len(identity.chain)))
    return PKCS12.build(
        key=identity.key,
        certificate=identity.certificate,
        chain=identity.chain,
        friendly_name=draw(friendly_names()),
        local_key_id=local_key_id,
        chain_friendly_names=chain_names,
    )


@st.composite
def _trust_stores(draw: st.DrawFn) -> PKCS12:
    certs = draw(st.lists(certificates(), min_size=1, max_size=4))
    names = draw(st.lists(friendly_names(), max_size=len(certs)))
    return PKCS12.trust_store(certs, names)


@st.composite
def _several_keys(draw: st.DrawFn) -> PKCS12:
    """Several keys, each with its self-signed certificate, paired by distinct localKeyIds."""
    indexes = draw(st.lists(_pool_index(), min_size=2, max_size=len(_POOL_KINDS), unique=True))
    pool = _pool()
    items: list[CertEntry | KeyEntry] = []
    for number, index in enumerate(indexes):
        key_id = core.OctetString(b"key-%d" % number).dump()
        name = draw(friendly_names())
        common = [Attribute(LOCAL_KEY_ID_OID, (key_id,))]
        if name is not None:
            common.insert(0, Attribute(FRIENDLY_NAME_OID, (core.BMPString(name).dump(),)))
        items.append(CertEntry(pool.keys[index].self_signed_der, tuple(common)))
        items.append(KeyEntry(pool.keys[index].key_der, tuple(common)))
    return PKCS12(tuple(draw(st.permutations(items))))


def pkcs12s(*, max_entries: int = 6) -> st.SearchStrategy[PKCS12]:
    """`PKCS12` models: an identity (key, certificate, maybe chain, as ``PKCS12.build`` lays it
    out), a trust store (``PKCS12.trust_store``), several keys each with its certificate, a
    mixture of up to ``max_entries`` entries of every kind (CRLs, secrets, unknown bags with
    unknown attributes), or an empty file."""
    return st.one_of(
        st.just(PKCS12()),
        _identity_files(),
        _trust_stores(),
        _several_keys(),
        st.lists(entries(), max_size=max_entries).map(lambda items: PKCS12(tuple(items))),
    )


# --- profiles -------------------------------------------------------------------------------

_MAC_DIGESTS = ("sha1", "sha224", "sha256", "sha384", "sha512")
_DIGEST_SIZES = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}
_LAYOUTS = ("certs-then-keys", "keys-then-certs", "single")


def _macs() -> st.SearchStrategy[MacSpec | None]:
    hmac = st.builds(lambda d: MacSpec("hmac", d), st.sampled_from(_MAC_DIGESTS))
    pbmac1 = st.builds(
        lambda d, prf: MacSpec("pbmac1", d, prf=prf, key_length=_DIGEST_SIZES[d]),
        st.sampled_from(("sha256", "sha384", "sha512")),
        st.sampled_from(("sha256", "sha384", "sha512")),
    )
    return st.one_of(st.none(), hmac, pbmac1)


_PBES2_CIPHERS = ("aes128_cbc", "aes192_cbc", "aes256_cbc", "tripledes_3key", "des", "rc2")
_PBKDF2_PRFS = ("sha1", "sha224", "sha256", "sha384", "sha512", "sha512_256")
_LEGACY_SCHEMES = (
    "pkcs12_sha1_tripledes_3key", "pkcs12_sha1_tripledes_2key", "pkcs12_sha1_rc2_40", "pkcs12_sha1_rc2_128",
    "pkcs12_sha1_rc4_40", "pkcs12_sha1_rc4_128", "pbes1_md5_des", "pbes1_sha1_des", "pbes1_md5_rc2", "pbes1_sha1_rc2",
)


def protections(*, max_iterations: int = 50) -> st.SearchStrategy[Protection]:
    """`Protection` values for every scheme pkcs12kit writes, with 1-``max_iterations``
    iterations and 8-20 octet salts: PBES2 (RFC 8018 6.2) with PBKDF2 over each PRF and AES,
    3DES, DES or RC2, or with scrypt (RFC 7914, N=16); the PKCS#12 PBEs (RFC 7292 appendix C:
    3DES, 2-key 3DES, RC2-40/128, RC4-40/128); PBES1 (RFC 8018 6.1: MD5/SHA-1 with DES/RC2)."""
    iterations = st.integers(1, max_iterations)
    salt = st.integers(8, 20)
    pbkdf2 = st.builds(
        lambda cipher, prf, n, length: Protection("pbes2", cipher=cipher, kdf="pbkdf2", prf=prf, iterations=n,
                                                  salt_length=length),
        st.sampled_from(_PBES2_CIPHERS), st.sampled_from(_PBKDF2_PRFS), iterations, salt,
    )
    scrypt = st.builds(
        lambda length: Protection("pbes2", cipher="aes256_cbc", kdf="scrypt", salt_length=length,
                                  scrypt_n=16, scrypt_r=8, scrypt_p=1),
        salt,
    )
    legacy = st.builds(
        lambda scheme, n, length: Protection(scheme, iterations=n, salt_length=length),
        st.sampled_from(_LEGACY_SCHEMES), iterations, salt,
    )
    return st.one_of(pbkdf2, legacy, scrypt)


@st.composite
def _profiles(draw: st.DrawFn, names: tuple[str, ...], max_iterations: int, variants: bool) -> Profile:
    profile = PROFILES[draw(st.sampled_from(names))]
    if variants:
        if draw(st.booleans()):
            mac = draw(_macs())
            profile = profile.with_mac(mac)
        if draw(st.booleans()):
            profile = profile.with_layout(draw(st.sampled_from(_LAYOUTS)))
        if profile.key_protection is not None and draw(st.integers(0, 3)) == 0:
            profile = profile.with_key_protection(None)  # plain keyBags
        if draw(st.booleans()):
            profile = profile.with_salt_length(draw(st.integers(8, 32)))
        profile = profile.with_iterations(draw(st.integers(1, max_iterations)))
        # another scheme, after with_iterations so that its own low count stays
        if profile.key_protection is not None and draw(st.integers(0, 3)) == 0:
            profile = profile.with_key_protection(draw(protections(max_iterations=max_iterations)))
        if profile.cert_protection is not None and draw(st.integers(0, 3)) == 0:
            profile = profile.with_cert_protection(draw(protections(max_iterations=max_iterations)))
        return profile
    return profile.with_iterations(draw(st.integers(1, max_iterations)))


def profiles(
    *, names: Iterable[str] | None = None, max_iterations: int = 50, variants: bool = True
) -> st.SearchStrategy[Profile]:
    """`Profile` values: each named profile (or those in ``names``) with every iteration count
    between 1 and ``max_iterations``, and, with ``variants``, sometimes another MAC (none,
    HMAC-SHA1/224/256/384/512, PBMAC1), another layout, plain keyBags instead of shrouded keys,
    8-32 octet salts, or another encryption scheme for keys or certificates (`protections`)."""
    names = tuple(names) if names is not None else tuple(PROFILES)
    unknown = [n for n in names if n not in PROFILES]
    if unknown:
        raise ValueError(f"unknown profile names {unknown}; known: {sorted(PROFILES)}")
    return _profiles(names, max_iterations, variants)


# --- encoded files --------------------------------------------------------------------------


def encoded_files(
    *,
    model_strategy: st.SearchStrategy[PKCS12] | None = None,
    password_strategy: st.SearchStrategy[str | bytes | None] | None = None,
    profile_strategy: st.SearchStrategy[Profile] | None = None,
) -> st.SearchStrategy[tuple[bytes, str | bytes | None, PKCS12]]:
    """``(der, password, p12)`` triples: ``der`` is ``pkcs12kit.dumps(p12, password,
    profile=...)`` under a drawn profile, with salts and IVs from a seeded ``random.Random`` so
    the same example always encodes to the same bytes. Each part can be drawn from another
    strategy (``model_strategy``, ``password_strategy``, ``profile_strategy``)."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[bytes, str | bytes | None, PKCS12]:
        p12 = draw(pkcs12s() if model_strategy is None else model_strategy)
        password = draw(passwords() if password_strategy is None else password_strategy)
        profile = draw(profiles() if profile_strategy is None else profile_strategy)
        seed = draw(st.integers(0, 2**32 - 1))
        return dumps(p12, password, profile=profile, random=_random.Random(seed)), password, p12

    return build()
