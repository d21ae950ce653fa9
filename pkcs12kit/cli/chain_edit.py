"""``repack``'s chain options: drop the root, drop named certificates, add certificates, rebuild.

Exports: edit_chain, matches.

The result is rebuilt the way ``openssl pkcs12 -export`` lays a file out (`PKCS12.build`): the
key and its certificate with a shared localKeyId (SHA-1 of the certificate, RFC 7292 section
4.2 / PKCS #9) and the key's friendly name, then the chain leaf to root (RFC 5280 section 6.1
order), then any other certificates. These are the fixes `check` prints for ``extra-trustpoint``,
``unrelated-certificates``, ``missing-issuer``, ``incomplete-chain``, ``chain-order`` and
``no-local-key-id`` (docs/cli.md#fixes).
"""

from __future__ import annotations

import hashlib
from typing import Any, Sequence

from .. import chain as chains
from ..entries import CertEntry
from ..errors import MalformedError, PKCS12Error
from ..model import PKCS12
from .exits import UsageError
from .output import name_text

__all__ = ["edit_chain", "matches"]


def matches(entry: CertEntry, ref: str) -> bool:
    """Whether ``ref`` names ``entry``: ``sha256:HEX`` (a prefix of its SHA-256 fingerprint, at
    least 8 hex digits), its subject as ``info`` prints it (RFC 4514), or its CN alone."""
    if ref.lower().startswith("sha256:"):
        prefix = ref[len("sha256:"):].lower().replace(":", "")
        if len(prefix) < 8:
            raise UsageError(f"--drop-cert {ref}: give at least 8 hex digits of the SHA-256 fingerprint")
        return hashlib.sha256(entry.der).hexdigest().startswith(prefix)
    try:
        subject = entry.certificate.subject
    except PKCS12Error:
        return False
    if name_text(subject) == ref:
        return True
    common_names = [value for label, value in _pairs(subject) if label == "2.5.4.3"]
    return common_names == [ref]


def _pairs(name: Any) -> list[tuple[str, str]]:
    out = []
    for rdn in name.chosen:
        for pair in rdn:
            try:
                out.append((pair["type"].dotted, str(pair["value"].native)))
            except ValueError:
                continue
    return out


def _self_issued(entry: CertEntry) -> bool:
    pair = chains.names_of(entry)
    return pair is not None and pair[0] == pair[1]


def edit_chain(p12: PKCS12, *, drop_root: bool = False, drop: Sequence[str] = (),
               add: Sequence[bytes] = (), notes: list[str] | None = None) -> PKCS12:
    """``p12`` rebuilt with the chain changed: CA certificates named by ``drop`` (see
    `matches`) and, with ``drop_root``, the self-issued root left out; the certificates in
    ``add`` (DER) added unless already present. The identity certificate cannot be dropped.
    ``notes`` collects what the user should know (nothing to drop, what was left out)."""
    notes = notes if notes is not None else []
    key, leaf = p12.key, p12.certificate
    kept = [entry for entry in p12.certificates if entry is not leaf]
    for ref in drop:
        hits = [entry for entry in p12.certificates if matches(entry, ref)]
        if not hits:
            raise UsageError(f"--drop-cert {ref}: no certificate in the file has that subject or fingerprint "
                             "(pkcs12kit info lists them)")
        if any(entry is leaf for entry in hits):
            raise UsageError(f"--drop-cert {ref}: names the identity certificate, which the file needs")
        kept = [entry for entry in kept if all(entry is not hit for hit in hits)]
    if drop_root:
        roots = [entry for entry in kept if _self_issued(entry)]
        if not roots:
            notes.append("--drop-root: the file holds no self-signed root CA; nothing dropped")
        kept = [entry for entry in kept if not _self_issued(entry)]
    for der in add:
        if der[:1] != b"\x30":
            raise MalformedError("--add-cert: not a certificate")
        entry = CertEntry(der)
        try:
            entry.certificate
        except PKCS12Error as err:
            raise MalformedError(f"--add-cert: {err}") from err
        if all(entry.der != other.der for other in (*kept, *(e for e in (leaf,) if e is not None))):
            kept.append(entry)
    if p12.unknown_bags:
        notes.append(f"{len(p12.unknown_bags)} unknown bag(s) left out of the rebuilt file")
    if leaf is None:
        return PKCS12.build(key=key.der if key is not None else None, chain=kept, crls=p12.crls, secrets=p12.secrets)
    ordered = list(chains.issuers(leaf, kept))
    ordered += [entry for entry in kept if all(entry is not other for other in ordered)]
    name = (key.friendly_name if key is not None else None) or leaf.friendly_name
    return PKCS12.build(key=key.der if key is not None else None, certificate=leaf.der, chain=ordered,
                        friendly_name=name, crls=p12.crls, secrets=p12.secrets)
