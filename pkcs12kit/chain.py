"""Pair the identity key with its certificate and order its issuers leaf → root.

Exports: identity_certificate, issuers, public_key_matches, names.

Pairing follows what importers do: the localKeyId attribute shared by a key and its certificate
(RFC 7292 section 4.2; PKCS #9 localKeyId), else the public key. Issuers are found by name
(subject == issuer, RFC 5280 section 4.1.2.4) preferring the authorityKeyIdentifier /
subjectKeyIdentifier match (RFC 5280 4.2.1.1-2) when several certificates share a name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence, cast

from . import tlv
from .errors import MalformedError

if TYPE_CHECKING:
    from typing import Protocol

    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

    from .entries import CertEntry, KeyEntry

    class _Identity(Protocol):
        """What `identity_certificate` reads of a `PKCS12` (model sits above this module)."""

        @property
        def certificates(self) -> tuple[CertEntry, ...]: ...

        @property
        def key(self) -> KeyEntry | None: ...

__all__ = ["identity_certificate", "issuers", "public_key_matches", "names"]


def _spki(der: bytes, kind: str) -> bytes | None:
    """SubjectPublicKeyInfo DER of a certificate or of a PKCS#8 private key, via cryptography."""
    import warnings

    # import time: cryptography (about 30 ms) loads only when keys are paired by public key
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        # cryptography warns about certificates it will refuse in later versions (e.g. serial 0);
        # pairing only needs the public key, and a refusal is handled like any unreadable input.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "cert":
                public: PublicKeyTypes = x509.load_der_x509_certificate(der).public_key()
            else:
                private = serialization.load_der_private_key(der, None, unsafe_skip_rsa_key_validation=True)
                public = private.public_key()
        return public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except Exception:  # unparsable or unsupported key types simply do not pair
        return None


def public_key_matches(key: KeyEntry, cert: CertEntry) -> bool | None:
    """True when ``cert`` (CertEntry) certifies the public half of ``key`` (KeyEntry), False when
    it certifies another key, None when either side cannot be loaded (e.g. a key type
    ``cryptography`` does not know), so callers can tell "mismatch" from "cannot tell"."""
    key_spki = _spki(key.der, "key")
    cert_spki = _spki(cert.der, "cert")
    if key_spki is None or cert_spki is None:
        return None
    return key_spki == cert_spki


def names(der: bytes) -> tuple[bytes, bytes] | None:
    """(issuer, subject) Name DER of a certificate, read at the TLV level (RFC 5280 section 4.1:
    tbsCertificate = [0] version?, serialNumber, signature, issuer, validity, subject, ...);
    None when the certificate does not have that shape.

    Chains are built for files of thousands of certificates; a full asn1crypto parse of each
    (about 300 µs) would cost seconds where reading two names costs microseconds.
    """
    try:
        certificate = tlv.read_all(der, "certificate")
        tbs = next(tlv.children(der, certificate, "certificate"))
        fields = list(tlv.children(der, tbs, "tbsCertificate"))
        first = 1 if fields[0].tag == tlv.CONTEXT_0 else 0  # skip the explicit [0] version
        issuer, subject = fields[first + 2], fields[first + 4]
    except (MalformedError, StopIteration, IndexError):
        return None
    if issuer.tag != tlv.SEQUENCE or subject.tag != tlv.SEQUENCE:
        return None
    return der[issuer.offset:issuer.next], der[subject.offset:subject.next]


def _names_of(cert: CertEntry) -> tuple[bytes, bytes] | None:
    """(issuer, subject) Name DER of a CertEntry from its cached TLV-level fields (shared with
    everything else that reads them, e.g. `info`); None when it is not a certificate."""
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
        key_id = key.local_key_id
        if key_id is not None:
            for cert in certificates:
                if cert.local_key_id == key_id:
                    return cert
        for cert in certificates:
            if public_key_matches(key, cert):
                return cert
        return None
    # No key (a certificate-only file): the first certificate that issued none of the others.
    pairs = [_names_of(cert) for cert in certificates]
    issuers_of_others = {pair[0] for pair in pairs if pair is not None and pair[0] != pair[1]}
    for cert, pair in zip(certificates, pairs):
        if pair is not None and pair[1] not in issuers_of_others:
            return cert
    return certificates[0]


def issuers(leaf: CertEntry, certificates: Sequence[CertEntry]) -> tuple[CertEntry, ...]:
    """The chain above ``leaf`` among ``certificates``, leaf's issuer first, root last.

    Stops at a self-issued certificate, at a missing issuer, or at a certificate already in the
    chain (a cycle), so hostile inputs terminate. Names are compared as DER, as RFC 5280 section
    7.1 allows for names encoded the same way (every real chain); when several certificates
    share the issuer's name, the one whose subjectKeyIdentifier matches the authorityKeyIdentifier
    is taken.
    """
    by_subject: dict[bytes, list[CertEntry]] = {}
    for cert in certificates:
        pair = _names_of(cert)
        if pair is not None:
            by_subject.setdefault(pair[1], []).append(cert)
    chain: list[CertEntry] = []
    seen = {id(leaf)}
    current = leaf
    while True:
        pair = _names_of(current)
        if pair is None or pair[0] == pair[1]:
            break  # unreadable, or self-issued: the root
        candidates = [c for c in by_subject.get(pair[0], ()) if id(c) not in seen]
        if not candidates:
            break
        if len(candidates) > 1:
            aki = _authority_key_id(current)
            matching = [c for c in candidates if aki is not None and _ski(c) == aki]
            candidates = matching or candidates
        current = candidates[0]
        seen.add(id(current))
        chain.append(current)
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
