"""Reading the features of a decoded PKCS12 that import targets care about, independent of any rule.

Exports: detect.

`detect` reports (feature, where) pairs (feature names as in `pkcs12kit.targets.findings.FEATURES`):
how the file is protected (RFC 7292 section 4 safes and shrouded keys, PBES2 of RFC 8018, the MAC of
RFC 7292 section 5 or PBMAC1 of RFC 9579), its keys (type, size, curve), its certificates
(signature algorithm), the identity (key and certificate pairing by RFC 7292 localKeyId, else by
public key), its chain (RFC 5280 issuer names) and the password. The target passed in supplies
only its numeric limits (``rsa_max_bits``, ``max_iterations``).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import chain as chains
from ..entries import CertEntry, KeyEntry
from ..errors import PKCS12Error
from ..model import PKCS12
from ..protection import Protection
from .findings import Target

__all__ = ["detect"]


def _family(protection: Protection) -> str | None:
    """The feature an encryption scheme raises; None for pbeWithSHAAnd3-KeyTripleDES-CBC, which
    every target reads (docs/cisco-formats.md#emit-profiles: the universal safe choice)."""
    scheme = protection.scheme
    if scheme == "pkcs12_sha1_tripledes_3key":
        return None
    if scheme == "pkcs12_sha1_rc2_40":
        return "rc2-40"
    if scheme == "pkcs12_sha1_tripledes_2key":
        return "tripledes-2key"
    if scheme == "pbes2":
        if protection.kdf == "scrypt":
            return "scrypt"
        if (protection.cipher or "").startswith(("rc2", "rc4", "des")):
            return "legacy-cipher"
        return "pbes2"
    # RC2-128, RC4-40/128, PBES1 (MD5/SHA-1 with DES or RC2) and anything unknown.
    return "legacy-cipher"


# PBES2 ciphers besides AES/3DES/DES/RC2 (OpenSSL 3's -keypbe choices, docs/algorithms.md#pbes2-parts).
_OTHER_PBES2_CIPHERS = frozenset({"camellia128_cbc", "camellia192_cbc", "camellia256_cbc", "aria128_cbc",
                                  "aria192_cbc", "aria256_cbc", "sm4_cbc", "seed_cbc"})
# MAC hashes outside SHA-1/SHA-2 (docs/algorithms.md#integrity-macdata).
_OTHER_MAC_HASHES = frozenset({"md5", "sm3", "sha3_224", "sha3_256", "sha3_384", "sha3_512"})


def _describe_protection(protection: Protection) -> str:
    if protection.scheme == "pbes2":
        return f"PBES2 ({protection.kdf}, {protection.cipher})"
    return protection.scheme


def detect(p12: PKCS12, spec: Target, password: str | bytes | None) -> list[tuple[str, str]]:
    """(feature, where) pairs for everything notable in ``p12``, in file order."""
    found: list[tuple[str, str]] = []
    found += _detect_protection(p12, spec)
    found += _detect_keys(p12, spec)
    found += _detect_certificates(p12)
    found += _detect_identity(p12, spec)
    found += _detect_password(p12, password)
    return found


def _protections(p12: PKCS12) -> list[tuple[str, Protection]]:
    """(where, protection) for every encrypted safe, shrouded key and encrypted secret."""
    protections: list[tuple[str, Protection]] = []
    for index, safe in enumerate(p12.safes):
        if safe.protection is not None:
            protections.append((f"authSafe[{index}] encryptedData", safe.protection))
    for index, key in enumerate(p12.keys):
        if key.protection is not None:
            protections.append((f"key[{index}] pkcs8ShroudedKeyBag", key.protection))
    for index, secret in enumerate(p12.secrets):
        if secret.protection is not None:
            protections.append((f"secret[{index}]", secret.protection))
    return protections


def _detect_protection(p12: PKCS12, spec: Target) -> list[tuple[str, str]]:
    if not p12.safes:
        # Built in memory, never written: how it is protected is up to the profile it is
        # dumped with, so there is nothing to check yet.
        return []
    found = []
    protections = _protections(p12)
    encrypted_entries = {i for safe in p12.safes if safe.protection is not None for i in safe.entries}
    positions = {id(entry): index for index, entry in enumerate(p12.entries)}
    for index, key in enumerate(p12.keys):
        if key.protection is None:
            found.append(("keybag", f"key[{index}] is a plain keyBag"))
            if positions.get(id(key)) not in encrypted_entries:
                found.append(("unencrypted-key", f"key[{index}] is stored unencrypted"))
    if p12.entries and not protections:
        found.append(("no-encryption", "no key or safe is encrypted"))
    for where, protection in protections:
        family = _family(protection)
        if family is not None:
            found.append((family, f"{where} uses {_describe_protection(protection)}"))
        if protection.scheme == "pbes2" and protection.cipher in _OTHER_PBES2_CIPHERS:
            found.append(("pbes2-other-cipher", f"{where} uses PBES2 with {protection.cipher}"))
            if protection.cipher == "seed_cbc":
                found.append(("legacy-cipher", f"{where} uses SEED-CBC (OpenSSL 3's legacy provider)"))
        if (spec.max_iterations is not None and protection.iterations is not None
                and protection.iterations > spec.max_iterations):
            found.append(("iterations-high", f"{where} uses {protection.iterations:,} iterations "
                                             f"(limit {spec.max_iterations:,})"))
    mac = p12.mac
    if mac is None:
        if p12.entries:
            found.append(("no-mac", "the file has no MAC"))
    else:
        if mac.kind == "pbmac1":
            found.append(("pbmac1", f"the MAC is PBMAC1 (HMAC-{mac.digest.upper()})"))
        elif mac.digest == "sha256":
            found.append(("mac-sha256", "the MAC is HMAC-SHA-256"))
        elif mac.digest != "sha1":
            found.append(("mac-other", f"the MAC is HMAC-{mac.digest.upper()}"))
        if mac.kind == "hmac" and mac.digest in _OTHER_MAC_HASHES:
            found.append(("mac-other-hash", f"the MAC is HMAC-{mac.digest.upper()}"))
        if spec.max_iterations is not None and mac.iterations > spec.max_iterations:
            found.append(("iterations-high", f"the MAC uses {mac.iterations:,} iterations "
                                             f"(limit {spec.max_iterations:,})"))
    return found


def _detect_keys(p12: PKCS12, spec: Target) -> list[tuple[str, str]]:
    found = []
    for index, key in enumerate(p12.keys):
        where = f"key[{index}]"
        try:
            info = key.private_key
            algorithm = info.algorithm
        except (PKCS12Error, ValueError, KeyError, TypeError):
            found.append(("key-unreadable", f"{where} cannot be parsed"))
            continue
        if algorithm == "rsa":
            bits = info.bit_size
            if spec.rsa_max_bits is not None and bits > spec.rsa_max_bits:
                found.append(("rsa-large", f"{where} is RSA-{bits} (limit {spec.rsa_max_bits})"))
        elif algorithm == "ec":
            try:
                kind, curve = info.curve
            except (ValueError, KeyError, TypeError):
                kind, curve = "specified", None
            if kind != "named":
                found.append(("ec-explicit", f"{where} is an EC key with explicit curve parameters"))
            found.append(("key-ec", f"{where} is an EC key ({curve or 'explicit curve'})"))
            if index == 0:
                found.append(("key-ec-ssh", f"{where} (the identity key) is an EC key"))
        else:
            found.append(("key-other", f"{where} is a {algorithm} key"))
    return found


def _detect_certificates(p12: PKCS12) -> list[tuple[str, str]]:
    found = []
    for index, entry in enumerate(p12.certificates):
        where = f"certificate[{index}]"
        try:
            cert = entry.certificate
            subject = cert.subject.human_friendly
            signature = cert["signature_algorithm"].signature_algo
            public = cert.public_key
            public_algorithm = public.algorithm
        except (PKCS12Error, ValueError, KeyError, TypeError):
            found.append(("key-unreadable", f"{where} cannot be parsed"))
            continue
        if signature == "rsassa_pss" or public_algorithm == "rsassa_pss":
            what = "is signed with RSASSA-PSS" if signature == "rsassa_pss" else "holds an RSASSA-PSS key"
            found.append(("pss-certificate", f"{where} ({subject!r}) {what}"))
        if public_algorithm == "ec":
            try:
                explicit = public.curve[0] != "named"
            except (ValueError, KeyError, TypeError):
                explicit = True
            if explicit:
                found.append(("ec-explicit", f"{where} ({subject!r}) has an EC key with explicit parameters"))
    return found


def _comparable(key: KeyEntry) -> bool:
    """True when ``cryptography`` can load the key, so a failed public-key match means a real
    mismatch rather than a key type it does not know (e.g. ML-DSA). Loaded once per key."""
    return chains.public_key_der(key) is not None


def _position(entries: Sequence[CertEntry], entry: object) -> int:
    return next(i for i, e in enumerate(entries) if e is entry)


def _self_issued(entry: CertEntry) -> bool:
    return entry.subject.der == entry.issuer.der  # names read at the TLV level (x509fields)


def _detect_identity(p12: PKCS12, spec: Target) -> list[tuple[str, str]]:
    found = []
    keys = p12.keys
    certificates = p12.certificates
    if not keys:
        if certificates:
            found.append(("no-private-key", "the file holds certificates but no private key"))
        else:
            found.append(("no-private-key", "the file holds no private key and no certificate"))
        return found
    if len(keys) > 1:
        found.append(("multiple-keys", f"the file holds {len(keys)} private keys"))

    # Pairing, as importers do it: localKeyId first (RFC 7292 4.2, PKCS #9), else public key.
    certified: set[bytes | None] | None = None
    by_key_id: dict[bytes, CertEntry] | None = None
    for index, key in enumerate(keys):
        where = f"key[{index}]"
        key_id = key.local_key_id
        partner = None
        if key_id is not None:
            if by_key_id is None:
                by_key_id = {}
                for cert in certificates:
                    if cert.local_key_id is not None:
                        by_key_id.setdefault(cert.local_key_id, cert)
            partner = by_key_id.get(key_id)
        if partner is not None:
            if _comparable(key) and not chains.public_key_matches(key, partner):
                found.append(("key-certificate-mismatch",
                              f"{where} and certificate[{_position(certificates, partner)}] share a localKeyId but "
                              "the certificate certifies another public key"))
        elif certificates and _comparable(key):
            if certified is None:  # the public keys of all certificates, each loaded once
                certified = {chains.public_key_der(cert) for cert in certificates}
            if chains.public_key_der(key) not in certified:
                found.append(("key-certificate-mismatch", f"no certificate in the file certifies {where}"))
        elif not certificates:
            found.append(("no-certificate", f"{where} has no certificate in the file"))

    leaf = p12.certificate
    if leaf is None:
        return found
    key = keys[0]  # p12.key; keys is not empty here
    if key.local_key_id is None or leaf.local_key_id != key.local_key_id:
        found.append(("no-local-key-id", "key[0] and its certificate do not share a localKeyId"))
    try:
        issuers = p12.chain
        top = issuers[-1] if issuers else leaf
        if not _self_issued(top):
            if issuers:
                found.append(("incomplete-chain",
                              f"the chain stops at {top.subject.human_friendly!r}, whose issuer "
                              f"{top.issuer.human_friendly!r} is not in the file"))
            else:
                found.append(("missing-issuer",
                              f"the issuer {leaf.issuer.human_friendly!r} of the identity "
                              "certificate is not in the file"))
        if issuers and not _self_issued(issuers[0]):
            above = len(issuers) - 1
            found.append(("intermediate-trustpoints",
                          f"the issuing CA {issuers[0].subject.human_friendly!r} is not self-signed; "
                          f"{above} CA certificate(s) above it would each become a <label>-rrrN trustpoint"))
        if len(issuers) >= 2:
            found.append(("extra-trustpoint",
                          f"the chain holds {len(issuers)} CA certificates above the identity; the root "
                          f"{issuers[-1].subject.human_friendly!r} becomes a second trustpoint"))
        members = [leaf, *issuers]
        member_ids = {id(c) for c in members}
        others = [i for i, c in enumerate(certificates) if id(c) not in member_ids]
        if others:
            found.append(("unrelated-certificates",
                          f"certificate(s) {', '.join(f'[{i}]' for i in others)} are not in the identity's chain"))
        order = [i for i, c in enumerate(certificates) if id(c) in member_ids]
        rank = {id(member): place for place, member in enumerate(members)}
        expected = sorted(order, key=lambda i: rank[id(certificates[i])])
        if order != expected:
            found.append(("chain-order", "the certificates are not in leaf → root order"))
    except (PKCS12Error, ValueError, KeyError, TypeError):
        found.append(("key-unreadable", "a certificate of the chain cannot be parsed"))
    return found


def _detect_password(p12: PKCS12, password: str | bytes | None) -> list[tuple[str, str]]:
    found = []
    if p12.password_encoding == "openssl-legacy":
        found.append(("password-legacy-encoding",
                      "the file's password is encoded the pre-1.1.0 OpenSSL way (UTF-8 bytes widened)"))
    if password is None:
        return found
    if isinstance(password, bytes):
        password = password.decode("utf-8", "replace")
    if not password.isascii():
        found.append(("password-non-ascii", "the password has non-ASCII characters"))
    if "?" in password:
        found.append(("password-question-mark", "the password contains '?'"))
    if any(c.isspace() or c in "\"'" for c in password):
        found.append(("password-whitespace", "the password contains whitespace or quotes"))
    if any(c.isascii() and not c.isalnum() and c not in "?\"'" and not c.isspace() for c in password):
        found.append(("password-symbols", "the password has characters outside [A-Za-z0-9]"))
    if len(password) < 8:
        found.append(("password-short", "the password has fewer than 8 characters"))
    return found

