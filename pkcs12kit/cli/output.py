"""What the pkcs12kit command prints: the ``info`` document and its text form, RFC 4514 names,
and the ``check`` report.

Exports: info_document, info_text, name_text, check_text.

`info_document` is the ``info --json`` document (schema ``pkcs12kit-info/1``, docs/cli.md);
`info_text` is the human summary made from the same document.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING, Any

from ..chain import certificates_of
from ..targets.health import cert_fields, health, parse_at, validity_status
from ..textsafe import printable
from .verdict import report_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from asn1crypto import x509

    from ..model import PKCS12, CertEntry, KeyEntry
    from ..protection import Protection
    from ..targets import Finding
    from ..targets.health import CertFields

__all__ = ["info_document", "info_text", "name_text", "check_text"]

# --- info ------------------------------------------------------------------------------------

_NAME_ATTRIBUTES = {
    "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "STREET",
    "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.5": "serialNumber", "2.5.4.4": "SN", "2.5.4.42": "GN",
    "2.5.4.12": "title", "2.5.4.17": "postalCode", "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID", "1.2.840.113549.1.9.1": "emailAddress",
    "1.2.840.113549.1.9.2": "unstructuredName", "1.2.840.113549.1.9.8": "unstructuredAddress",
}


def _escape_dn(value: str) -> str:
    """RFC 4514 section 2.4 escaping of an attribute value."""
    out = []
    for index, char in enumerate(value):
        if char in ',+"\\<>;' or (char == "#" and index == 0) or (char == " " and index in (0, len(value) - 1)):
            out.append("\\" + char)
        elif char == "\x00":
            out.append("\\00")
        else:
            out.append(char)
    return "".join(out)


def name_text(name: x509.Name) -> str:
    """An asn1crypto Name as an RFC 4514 string (most specific RDN first)."""
    parts = []
    try:
        rdns = list(name.chosen)
    except Exception:
        return "<unparsable name>"
    for rdn in reversed(rdns):
        values = []
        for pair in rdn:
            oid = pair["type"].dotted
            label = _NAME_ATTRIBUTES.get(oid, oid)
            try:
                value = pair["value"].native
            except Exception:
                value = None
            if isinstance(value, str):
                values.append(f"{label}={printable(_escape_dn(value))}")
            else:
                values.append(f"{label}=#{pair['value'].dump().hex()}")
        parts.append("+".join(values))
    return ",".join(parts)


def _when(moment: datetime.datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC (a naive time is taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is not None and moment.tzinfo is not datetime.timezone.utc:
        moment = moment.astimezone(datetime.timezone.utc)
    # isoformat is a fifth of strftime's cost; it differs for fractions of a second and for
    # years before 1000 (strftime does not pad %Y), which strftime keeps.
    text = moment.isoformat()
    if len(text) in (19, 25) and moment.year >= 1000:
        return text[:19] + "Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _serial(number: int) -> str:
    text = format(abs(number), "X")
    if len(text) % 2:
        text = "0" + text
    return ("-" if number < 0 else "") + text


def _protection_doc(protection: Protection | None) -> dict[str, Any] | None:
    if protection is None:
        return None
    return dataclasses.asdict(protection)


def _key_doc(entry: KeyEntry) -> dict[str, Any]:
    doc: dict[str, Any] = {"algorithm": None, "bits": None, "curve": None}
    try:
        info = entry.private_key
        algorithm = info.algorithm
        doc["algorithm"] = algorithm
        if algorithm == "ec":
            doc["curve"] = info.curve[1]
        elif algorithm in ("ed25519", "ed448", "x25519", "x448"):
            doc["curve"] = algorithm
        # The curve's size for EC (asn1crypto's bit_size is the private scalar's length).
        doc["bits"] = entry.key_size
    except Exception:
        doc["algorithm"] = doc["algorithm"] or "unparsable"
    return doc


# Above this many certificates (a CA bundle, a trust store, a long chain), `info` shows the
# extensions (SAN, KU, EKU) of the identity only: a bundle's are seldom what its reader is after,
# and an unusual one still sends its certificate to asn1crypto (about 1 ms each, `x509extensions`).
EXTENSIONS_FOR_ALL_UP_TO = 100


# The keys of a certificate in the document, in the schema's order (docs/cli.md, `info --json`).
_CERT_KEYS = ("index", "subject", "issuer", "serial", "not_before", "not_after", "self_issued", "ca",
              "key_algorithm", "key_bits", "san", "key_usage", "extended_key_usage", "signature_algorithm",
              "validity", "friendly_name", "local_key_id", "sha256")


class _Listing:
    """What the certificates of one listing share: the time they are judged at, the
    expires-soon window, and the texts of their dates and validity lines, each made once per
    distinct date (certificates issued together share their validity, and the decoder then
    shares the datetime objects: `x509fields`' validity cache)."""

    def __init__(self, now: datetime.datetime, days: int) -> None:
        self.now, self.days = now, days
        self._dates: dict[datetime.datetime, str | None] = {}
        self._status: dict[tuple[datetime.datetime, datetime.datetime], str] = {}

    def when(self, moment: datetime.datetime) -> str | None:
        text = self._dates.get(moment)
        if text is None:
            text = self._dates[moment] = _when(moment)
        return text

    def validity(self, fields: CertFields) -> str:
        key = (fields.not_before, fields.not_after)
        text = self._status.get(key)
        if text is None:
            text = self._status[key] = validity_status(fields, self.now, self.days)
        return text


def _cert_doc(entry: CertEntry, index: int, listing: _Listing, extensions: bool) -> dict[str, Any]:
    """What `info` shows of a certificate: the fields read at the TLV level (`CertEntry.fields`,
    no asn1crypto parse, so 10,000 certificates take milliseconds), the signature algorithm and
    validity line of `targets.health.cert_fields` (the one place health reads certificates), and
    with ``extensions`` its SAN, key usage and EKU (also read at the TLV level, `x509extensions`)."""
    doc: dict[str, Any] = dict.fromkeys(_CERT_KEYS)
    doc["index"] = index
    try:
        fields = entry.fields
        # Names are attacker text (a CN can hold "\nconfigure terminal"): terminal-safe here,
        # where they are read, and in --json alike (issue 15 row 7).
        doc["subject"] = printable(fields.subject.rfc4514)
        doc["issuer"] = printable(fields.issuer.rfc4514)
        doc["serial"] = _serial(fields.serial_number)
        doc["not_before"] = listing.when(fields.not_before)
        doc["not_after"] = listing.when(fields.not_after)
        doc["self_issued"] = fields.self_issued
        doc["ca"] = fields.ca
        public = fields.public_key_info
        doc["key_algorithm"] = public.algorithm
        doc["key_bits"] = public.bits
    except Exception:
        doc["subject"] = doc["subject"] or "<unparsable certificate>"
    try:
        health_fields = cert_fields(entry)
        doc["signature_algorithm"], doc["validity"] = health_fields.signature, listing.validity(health_fields)
        if extensions:
            doc["san"], doc["key_usage"], doc["extended_key_usage"] = (
                list(health_fields.san),
                list(health_fields.key_usage) if health_fields.key_usage is not None else None,
                list(health_fields.extended_key_usage) if health_fields.extended_key_usage is not None else None)
    except Exception:  # an unparsable certificate: the subject above already says so
        pass
    doc["friendly_name"] = entry.friendly_name
    doc["local_key_id"] = entry.local_key_id.hex() if entry.local_key_id is not None else None
    doc["sha256"] = entry.fingerprint("sha256").hex()
    return doc


def info_document(p12: PKCS12, *, name: str | None = None, form: str | None = None,
                  at: datetime.datetime | None = None, days: int = 30) -> dict[str, Any]:
    """The ``info --json`` document (schema ``pkcs12kit-info/1``, docs/cli.md); ``at`` is the
    time certificates are judged at (default now), ``days`` the expires-soon window."""
    certificates = p12.certificates
    identity_cert = p12.certificate
    # Index of each certificate by identity: one dict, not a scan per chain member (a chain of
    # 10,000 would make that 50 million comparisons).
    position = {id(entry): index for index, entry in enumerate(certificates)}
    mac = None
    if p12.mac is not None:
        mac = {
            "kind": p12.mac.kind, "digest": p12.mac.digest, "iterations": p12.mac.iterations,
            "salt_length": len(p12.mac.salt), "prf": p12.mac.prf, "key_length": p12.mac.key_length,
            "verified": bool(p12.mac_verified),
        }
    profile = p12.profile
    keys = []
    paired = certificates_of(p12.keys, certificates)  # each public key loaded once (issue 15)
    for index, key in enumerate(p12.keys):
        doc = {"index": index, **_key_doc(key), "friendly_name": key.friendly_name,
               "local_key_id": key.local_key_id.hex() if key.local_key_id is not None else None,
               "protection": _protection_doc(key.protection), "certificate": paired[index]}
        keys.append(doc)
    listing = _Listing(parse_at(at), days)  # one "now" for every certificate's validity line
    every_extension = len(certificates) <= EXTENSIONS_FOR_ALL_UP_TO
    certs = [_cert_doc(cert, index, listing, every_extension or cert is identity_cert)
             for index, cert in enumerate(certificates)]
    crls = []
    for index, entry in enumerate(p12.crls):
        doc = {"index": index, "issuer": None, "this_update": None, "next_update": None,
               "friendly_name": entry.friendly_name}
        try:
            tbs = entry.crl["tbs_cert_list"]
            doc["issuer"] = name_text(tbs["issuer"])
            doc["this_update"] = _when(tbs["this_update"].native)
            doc["next_update"] = _when(tbs["next_update"].native)
        except Exception:
            doc["issuer"] = doc["issuer"] or "<unparsable crl>"
        crls.append(doc)
    secrets = [{"index": index, "type_id": entry.type_id, "algorithm": entry.algorithm,
                "length": len(entry.value), "friendly_name": entry.friendly_name}
               for index, entry in enumerate(p12.secrets)]
    unknown = [{"index": index, "bag_id": entry.bag_id, "length": len(entry.value_der)}
               for index, entry in enumerate(p12.unknown_bags)]
    return {
        "schema": "pkcs12kit-info/1",
        "file": name,
        "form": form,
        "profile": profile.name if profile is not None else None,
        "password_encoding": p12.password_encoding,
        "mac": mac,
        "trailing_zero_bytes": p12.trailing_zeros,
        "safes": [{"index": index, "kind": safe.kind, "protection": _protection_doc(safe.protection),
                   "bags": safe.bag_count} for index, safe in enumerate(p12.safes)],
        "keys": keys,
        "certificates": certs,
        "identity": {
            "key": 0 if p12.key is not None else None,
            "certificate": position.get(id(identity_cert)) if identity_cert is not None else None,
            "chain": [position.get(id(entry)) for entry in p12.chain],
        },
        "crls": crls,
        "secrets": secrets,
        "unknown_bags": unknown,
        "health": [dataclasses.asdict(finding) for finding in health(p12, at=at, days=days)],
    }


def _protection_text(protection: dict[str, Any] | None) -> str:
    if protection is None:
        return "not encrypted"
    if protection["scheme"] == "pbes2":
        kdf = protection["kdf"] or "?"
        if kdf == "pbkdf2":
            kdf = f"PBKDF2-HMAC-{(protection['prf'] or 'sha1').upper()}"
        elif kdf == "scrypt":
            kdf = f"scrypt N={protection['scrypt_n']} r={protection['scrypt_r']} p={protection['scrypt_p']}"
        text = f"PBES2 {kdf} {protection['cipher'] or '?'}"
    else:
        text = protection["scheme"]
        if protection["rc2_bits"] and "rc2" in text and str(protection["rc2_bits"]) not in text:
            text += f" ({protection['rc2_bits']}-bit)"
    if protection["iterations"] is not None:
        text += f", {protection['iterations']} iterations"
    if protection["salt_length"] is not None:
        text += f", {protection['salt_length']}-byte salt"
    return text


def info_text(doc: dict[str, Any]) -> str:
    """The human summary `info` prints, made from the same document as ``--json``."""
    lines = [f"file: {doc['file']} ({doc['form']})"]
    lines.append(f"profile: {doc['profile'] or 'none (not a PKCS#12: no protection)'}")
    if doc["password_encoding"]:
        lines.append(f"password encoding: {doc['password_encoding']}")
    if doc.get("trailing_zero_bytes"):
        lines.append(f"trailing data: {doc['trailing_zero_bytes']} zero bytes after the PFX (ignored, "
                     "as .NET, OpenSSL and cryptography do)")
    mac = doc["mac"]
    if doc["form"] == "pem-bundle":
        lines.append("MAC: none (a PEM bundle)")
    elif mac is None:
        lines.append("MAC: none (no integrity protection)")
    else:
        state = "verified" if mac["verified"] else "NOT verified"
        if mac["kind"] == "pbmac1":
            kind = f"PBMAC1 HMAC-{mac['digest'].upper()} (PBKDF2-HMAC-{(mac['prf'] or '?').upper()}, {mac['key_length']}-byte key)"
        else:
            kind = f"HMAC-{mac['digest'].upper()}"
        lines.append(f"MAC: {kind}, {mac['iterations']} iterations, {mac['salt_length']}-byte salt, {state}")
    for safe in doc["safes"]:
        what = "data, not encrypted" if safe["protection"] is None else f"encryptedData, {_protection_text(safe['protection'])}"
        lines.append(f"safe {safe['index']}: {what}; {safe['bags']} bag(s)")
    lines.append(f"keys: {len(doc['keys'])}")
    for key in doc["keys"]:
        kind = key["algorithm"] or "?"
        if key["curve"] and key["curve"] != kind:
            kind += f" {key['curve']}"
        if key["bits"]:
            kind += f" {key['bits']} bits"
        lines.append(f"  key [{key['index']}]: {kind}")
        lines.extend(_names_lines(key))
        bag = "pkcs8ShroudedKeyBag, " + _protection_text(key["protection"]) if key["protection"] else "keyBag (not encrypted)"
        lines.append(f"    stored as: {bag}")
        if key["certificate"] is not None:
            lines.append(f"    certificate: [{key['certificate']}]")
    lines.append(f"certificates: {len(doc['certificates'])}")
    for cert in doc["certificates"]:
        lines.append(f"  certificate [{cert['index']}]: {cert['subject']}")
        lines.append(f"    issuer: {cert['issuer']}")
        lines.append(f"    serial: {cert['serial']}")
        lines.append(f"    valid: {cert['not_before']} to {cert['not_after']}")
        if cert["validity"]:
            lines.append(f"    status: {cert['validity']}")
        if cert["signature_algorithm"]:
            lines.append(f"    signature: {cert['signature_algorithm']}")
        if cert["san"]:
            lines.append(f"    subjectAltName: {', '.join(cert['san'])}")
        if cert["key_usage"] is not None:
            lines.append(f"    keyUsage: {', '.join(cert['key_usage'])}")
        if cert["extended_key_usage"] is not None:
            lines.append(f"    extendedKeyUsage: {', '.join(cert['extended_key_usage'])}")
        if cert["key_algorithm"]:
            bits = f" {cert['key_bits']} bits" if cert["key_bits"] else ""
            lines.append(f"    public key: {cert['key_algorithm']}{bits}{', CA' if cert['ca'] else ''}"
                         f"{', self-issued' if cert['self_issued'] else ''}")
        lines.extend(_names_lines(cert))
        lines.append(f"    sha256: {cert['sha256']}")
    identity = doc["identity"]
    if identity["key"] is not None or identity["certificate"] is not None:
        key = "none" if identity["key"] is None else f"key [{identity['key']}]"
        cert = "no certificate" if identity["certificate"] is None else f"certificate [{identity['certificate']}]"
        chain = " -> ".join(f"[{i}]" for i in identity["chain"]) or "none in the file"
        lines.append(f"identity: {key}, {cert}; chain (leaf to root): {chain}")
    for crl in doc["crls"]:
        lines.append(f"crl [{crl['index']}]: issuer {crl['issuer']}, this update {crl['this_update']}, "
                     f"next update {crl['next_update']}")
    for secret in doc["secrets"]:
        lines.append(f"secret [{secret['index']}]: {secret['algorithm'] or secret['type_id']}, "
                     f"{secret['length']} bytes" + (f", friendly name {secret['friendly_name']!r}"
                                                     if secret["friendly_name"] is not None else ""))
    for bag in doc["unknown_bags"]:
        lines.append(f"unknown bag [{bag['index']}]: {bag['bag_id']}, {bag['length']} bytes")
    for finding in doc.get("health", ()):
        lines.append(f"{finding['severity']}: {finding['code']}: {finding['message']}")
    return "\n".join(lines) + "\n"


def _names_lines(entry: dict[str, Any]) -> list[str]:
    lines = []
    if entry["friendly_name"] is not None:
        lines.append(f"    friendly name: {entry['friendly_name']!r}")
    if entry["local_key_id"] is not None:
        lines.append(f"    localKeyId: {entry['local_key_id']}")
    return lines


# --- check -----------------------------------------------------------------------------------


def check_text(
    name: str, target: str, findings: Sequence[Finding], hostname: str | None = None,
    hostname_problems: Sequence[str] = (),
) -> str:
    """The report `check` prints (kept for callers of the old name): `verdict.report_text`
    with ``name`` as the file the fixes name."""
    return report_text(name, target, findings, file=name, passin=None, hostname=hostname,
                       hostname_problems=hostname_problems)
