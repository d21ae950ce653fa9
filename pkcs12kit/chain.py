"""Pair the identity key with its certificate and order its issuers leaf → root.

Exports: identity_certificate, issuers, public_key_matches, names.

Pairing follows what importers do: the localKeyId attribute shared by a key and its certificate
(RFC 7292 section 4.2; PKCS #9 localKeyId), else the public key. Issuers are found by name
(subject == issuer, RFC 5280 section 4.1.2.4) preferring the authorityKeyIdentifier /
subjectKeyIdentifier match (RFC 5280 4.2.1.1-2) when several certificates share a name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence, cast

from . import x509verify
from .entries import CertEntry, KeyEntry
from .errors import MalformedError
from .x509fields import read_certificate_fields

if TYPE_CHECKING:
    from typing import Protocol

    class _Identity(Protocol):
        """What `identity_certificate` reads of a `PKCS12` (model sits above this module)."""

        @property
        def certificates(self) -> tuple[CertEntry, ...]: ...

        @property
        def key(self) -> KeyEntry | None: ...

__all__ = [
    "identity_certificate", "issuers", "public_key_matches", "public_key_der", "certificates_of", "names_of",
    "MAX_CHAIN",
]


def _load_spki(der: bytes, kind: str) -> bytes | None:
    """SubjectPublicKeyInfo DER of a certificate or of a PKCS#8 private key, as cryptography
    encodes it. A certificate's key is read at the TLV level (RFC 5280 section 4.1.2.7) and
    loaded alone, so cryptography's x509 module (about 20 ms to import) is not needed."""
    if kind == "cert":
        try:
            spki = read_certificate_fields(der).public_key_der
        except MalformedError:
            return None
        return x509verify.public_key_der(spki)
    return x509verify.private_key_spki(der)


# Counts `_load_spki` calls: tests bound the key and certificate loads a file can cause.
spki_loads = 0


def public_key_der(entry: KeyEntry | CertEntry) -> bytes | None:
    """The SubjectPublicKeyInfo DER of a KeyEntry's public half or of a CertEntry's key; None when
    ``cryptography`` cannot load it. Computed once per entry and kept on it (entries are frozen
    values; the cache lives in ``__dict__`` like the parsed objects), so pairing K keys with C
    certificates loads K + C objects, never K·C (issue 15 row 2)."""
    cached = entry.__dict__.get("_public_key_der", _UNSET)
    if cached is _UNSET:
        global spki_loads
        spki_loads += 1
        cached = _load_spki(entry.der, "key" if isinstance(entry, KeyEntry) else "cert")
        entry.__dict__["_public_key_der"] = cached
    return cached if isinstance(cached, bytes) else None


_UNSET = object()


def public_key_matches(key: KeyEntry, cert: CertEntry) -> bool | None:
    """True when ``cert`` (CertEntry) certifies the public half of ``key`` (KeyEntry), False when
    it certifies another key, None when either side cannot be loaded (e.g. a key type
    ``cryptography`` does not know), so callers can tell "mismatch" from "cannot tell"."""
    key_spki = public_key_der(key)
    cert_spki = public_key_der(cert)
    if key_spki is None or cert_spki is None:
        return None
    return key_spki == cert_spki


def certificates_of(keys: Sequence[KeyEntry], certificates: Sequence[CertEntry]) -> list[int | None]:
    """For each key, the index in ``certificates`` of its certificate, or None.

    localKeyId first (RFC 7292 section 4.2), else the public key; both through dictionaries
    built once, so the cost is one public-key load per key and certificate (issue 15 row 2).
    The first certificate wins when several match, as a linear scan would.
    """
    by_key_id: dict[bytes, int] = {}
    for index, cert in enumerate(certificates):
        key_id = cert.local_key_id
        if key_id is not None:
            by_key_id.setdefault(key_id, index)
    by_public_key: dict[bytes, int] | None = None
    found: list[int | None] = []
    for key in keys:
        key_id = key.local_key_id
        if key_id is not None and key_id in by_key_id:
            found.append(by_key_id[key_id])
            continue
        spki = public_key_der(key)
        if spki is None:
            found.append(None)
            continue
        if by_public_key is None:  # only files that need it pay for loading the certificates
            by_public_key = {}
            for index, cert in enumerate(certificates):
                cert_spki = public_key_der(cert)
                if cert_spki is not None:
                    by_public_key.setdefault(cert_spki, index)
        found.append(by_public_key.get(spki))
    return found


def names_of(cert: CertEntry) -> tuple[bytes, bytes] | None:
    """(issuer, subject) Name DER of a CertEntry (RFC 5280 section 4.1), from its TLV-level
    fields, read once per entry and shared with everything else that reads them (`info`,
    targets); None when it is not a certificate."""
    try:
        fields = cert.fields
        return fields.issuer_der, fields.subject_der
    except MalformedError:
        return None


def identity_certificate(p12: _Identity) -> CertEntry | None:
    """The certificate of ``p12.key`` (see `PKCS12.certificate`)."""
    certificates = p12.certificates
    if not certificates:
        return None
    key = p12.key
    if key is not None:
        index = certificates_of([key], certificates)[0]
        return None if index is None else certificates[index]
    # No key (a certificate-only file): the first certificate that issued none of the others.
    pairs = [names_of(cert) for cert in certificates]
    issuers_of_others = {pair[0] for pair in pairs if pair is not None and pair[0] != pair[1]}
    for cert, pair in zip(certificates, pairs):
        if pair is not None and pair[1] not in issuers_of_others:
            return cert
    return certificates[0]


# Longest chain `issuers` returns. Real chains are 1 to 4 CA certificates (RFC 5280 section
# 6.1 sets no limit; browsers cap paths around 8 to 16); a longer one is a hostile file.
MAX_CHAIN = 32
# How many certificates sharing the issuer's name are compared by key identifier.
MAX_SAME_NAME = 64


def issuers(leaf: CertEntry, certificates: Sequence[CertEntry]) -> tuple[CertEntry, ...]:
    """The chain above ``leaf`` among ``certificates``, leaf's issuer first, root last.

    Stops at a self-issued certificate, at a missing issuer, at a name already in the chain (a
    name loop: A issued by B issued by A), or after `MAX_CHAIN` certificates, so hostile inputs
    terminate in time linear in the number of certificates (issue 15 row 3). Names are compared
    as DER, as RFC 5280 section 7.1 allows for names encoded the same way (every real chain);
    when several certificates share the issuer's name, the one whose subjectKeyIdentifier
    matches the authorityKeyIdentifier is taken, else the first.
    """
    by_subject: dict[bytes, list[CertEntry]] = {}
    for cert in certificates:
        if cert is leaf:
            continue
        pair = names_of(cert)
        if pair is not None:
            by_subject.setdefault(pair[1], []).append(cert)
    chain: list[CertEntry] = []
    pair = names_of(leaf)
    visited = {pair[1]} if pair is not None else set()
    current = leaf
    while pair is not None and pair[0] != pair[1] and len(chain) < MAX_CHAIN:
        issuer_name = pair[0]
        if issuer_name in visited:
            break  # a name loop: the certificate with that name is already in the chain
        candidates = by_subject.get(issuer_name)
        if not candidates:
            break
        visited.add(issuer_name)
        if len(candidates) > 1:
            aki = _authority_key_id(current)
            if aki is not None:
                # Each name is visited once, so each candidate list is scanned at most once, and
                # only its first MAX_SAME_NAME certificates are parsed for their key identifier:
                # 10,000 certificates sharing a name would otherwise all be parsed (232 MB).
                head = candidates[:MAX_SAME_NAME]
                candidates = [c for c in head if _ski(c) == aki] or candidates
        current = candidates[0]
        chain.append(current)
        pair = names_of(current)
    return tuple(chain)


def _authority_key_id(cert: CertEntry) -> bytes | None:
    try:
        return cast("bytes | None", cert.certificate.authority_key_identifier)
    except Exception:
        return None


def _ski(cert: CertEntry) -> bytes | None:
    try:
        return cast("bytes | None", cert.certificate.key_identifier)
    except Exception:
        return None
