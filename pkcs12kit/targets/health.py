"""Certificate health: what an engineer checks first, whatever system imports the file.

Exports: health, HEALTH_RULES, HealthRule, CertFields, cert_fields, validity_status, parse_at.

`health(p12, *, at=None, days=30, use=None)` returns `Finding` values (the same type and
severities as `pkcs12kit.targets.check`) for: a certificate expired or not yet valid (RFC 5280
section 4.1.2.5), one that expires within ``days``, an identity key that its certificate does not
certify, RSA keys under 2048 bits and SHA-1/MD5 signatures (NIST SP 800-131A), an identity that
is a CA certificate (RFC 5280 section 4.2.1.9), a chain whose issuer signatures do not verify
(`pkcs12kit.x509verify.verify_issued_by`, cryptography's ``verify_directly_issued_by`` verdicts
without its x509 module), an extendedKeyUsage that does not allow the
``use`` (RFC 5280 section 4.2.1.12: ``"server"`` needs serverAuth, ``"client"`` clientAuth), and
notes on host names (RFC 9525: clients match subjectAltName, not the CN).

``at`` is "now" (a `datetime`, a `date` or an ISO 8601 string; default the current time), so a
report can be reproduced. The table `HEALTH_RULES` holds each code's severity, reason and fixes;
the code below only measures. A finding that applies to many certificates is one finding whose
message counts them ("4,998 certificates: same warning ..."), never thousands of lines.

Certificate fields are read in one helper, `cert_fields`: at the TLV level (`CertEntry.fields`,
`x509extensions`) where that gives asn1crypto's values exactly, through ``entry.certificate``
(asn1crypto) otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from typing import Any

from .. import chain as chains
from ..entries import CertEntry
from ..errors import MalformedError, PKCS12Error
from ..model import PKCS12
from ..textsafe import printable
from ..x509extensions import ListedExtensions, read_listed_extensions
from ..x509verify import verify_issued_by
from .findings import ERROR, NOTE, WARNING, Finding

__all__ = ["health", "HEALTH_RULES", "HealthRule", "CertFields", "cert_fields", "validity_status", "parse_at"]


@dataclasses.dataclass(frozen=True)
class HealthRule:
    """One health code: its severity, the reason (appended to each place), the API fix and the
    CLI fix (a command template, or advice in words; see `pkcs12kit.targets.fixes`)."""

    severity: str
    reason: str
    fix: str
    cli_fix: str


_RENEW = ("renew it (the CA issues a new certificate for the same key), then: pkcs12kit create -o {out} "
          "--key KEY --cert NEW.crt --chain CA.pem")
HEALTH_RULES = {
    "certificate-expired": HealthRule(
        ERROR, "an expired certificate is refused by every TLS peer and IKE gateway (RFC 5280 section 4.1.2.5)",
        "renew the certificate and build the file again", _RENEW),
    "certificate-not-yet-valid": HealthRule(
        ERROR, "a certificate is refused before its notBefore date; check the device clock (NTP) too",
        "wait for its start date or have it re-issued", "check the device clock (show clock), or " + _RENEW),
    "certificate-expires-soon": HealthRule(
        WARNING, "renew it before it expires", "renew the certificate", _RENEW),
    "key-certificate-mismatch": HealthRule(
        ERROR, "the identity key is not the key its certificate certifies: the identity cannot sign or decrypt",
        "put the private key that belongs to the certificate in the file",
        "with KEY the private key the certificate was issued for: pkcs12kit create -o {out} --key KEY --cert CERT"),
    "rsa-key-weak": HealthRule(
        WARNING, "RSA keys under 2048 bits are disallowed (NIST SP 800-131A) and refused by OpenSSL 3 "
                 "at its default security level",
        "use an RSA key of at least 2048 bits",
        "use a new key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) and a certificate for it"),
    "weak-signature": HealthRule(
        WARNING, "SHA-1 and MD5 signatures are refused by current TLS stacks (RFC 9155; OpenSSL 3 security "
                 "level 1 and up)",
        "have the certificate re-issued with a SHA-256 signature",
        "have the certificate re-issued with a SHA-256 signature, then: pkcs12kit create -o {out} --key KEY "
        "--cert NEW.crt --chain CA.pem"),
    "identity-is-ca": HealthRule(
        WARNING, "the identity certificate is a CA certificate (basicConstraints cA=TRUE); devices and TLS "
                 "peers expect an end-entity certificate (RFC 5280 section 4.2.1.9)",
        "use an end-entity certificate for the identity",
        "have an end-entity certificate issued for the key, then: pkcs12kit create -o {out} --key KEY --cert NEW.crt"),
    "chain-signature-invalid": HealthRule(
        ERROR, "the issuer's signature does not verify, so no peer can build this chain",
        "put the CA certificate that really issued it in the file",
        "get the CA certificate that issued it (CA.pem), then: pkcs12kit repack {file} -o {out}{passin} "
        "--drop-cert WRONG --add-cert CA.pem"),
    "eku-missing": HealthRule(
        WARNING, "the certificate's extendedKeyUsage does not allow this use, and peers check it (RFC 5280 "
                 "section 4.2.1.12)",
        "have the certificate re-issued with the extendedKeyUsage the use needs",
        "have the certificate re-issued with the extendedKeyUsage this use needs, then: pkcs12kit create "
        "-o {out} --key KEY --cert NEW.crt --chain CA.pem"),
    "no-subject-alt-name": HealthRule(
        NOTE, "clients that follow RFC 9525 match a host name only in subjectAltName, never the CN",
        "have the certificate issued with a subjectAltName dNSName",
        "if clients connect by name, have the certificate re-issued with a subjectAltName dNSName"),
    "cn-not-in-san": HealthRule(
        NOTE, "the CN is not among the subjectAltName DNS names; clients use only the subjectAltName (RFC 9525)",
        "add the name to the subjectAltName", "if clients connect by that name, have it added to the subjectAltName"),
}

_WEAK_DIGESTS = {"md2", "md5", "sha1"}
# How many links of the identity's chain `health` verifies by signature (see `health`).
MAX_VERIFIED_LINKS = 16
_EKU = {"server": ("server_auth", "serverAuth", "a TLS/VPN server (AnyConnect, ASDM, HTTPS)"),
        "client": ("client_auth", "clientAuth", "a TLS client")}


# --- one helper reads the certificate fields ---------------------------------------------------


# Signature algorithms by OID (RFC 3279, RFC 4055, RFC 5758, RFC 8410): the name `info` shows
# and the digest the weak-signature check needs. RSASSA-PSS carries its digest in parameters.
_SIGNATURES = {
    "1.2.840.113549.1.1.2": ("md2WithRSAEncryption", "md2"),
    "1.2.840.113549.1.1.4": ("md5WithRSAEncryption", "md5"),
    "1.2.840.113549.1.1.5": ("sha1WithRSAEncryption", "sha1"),
    "1.3.14.3.2.29": ("sha1WithRSAEncryption", "sha1"),
    "1.2.840.113549.1.1.14": ("sha224WithRSAEncryption", "sha224"),
    "1.2.840.113549.1.1.11": ("sha256WithRSAEncryption", "sha256"),
    "1.2.840.113549.1.1.12": ("sha384WithRSAEncryption", "sha384"),
    "1.2.840.113549.1.1.13": ("sha512WithRSAEncryption", "sha512"),
    "1.2.840.10045.4.1": ("ecdsa-with-SHA1", "sha1"),
    "1.2.840.10045.4.3.1": ("ecdsa-with-SHA224", "sha224"),
    "1.2.840.10045.4.3.2": ("ecdsa-with-SHA256", "sha256"),
    "1.2.840.10045.4.3.3": ("ecdsa-with-SHA384", "sha384"),
    "1.2.840.10045.4.3.4": ("ecdsa-with-SHA512", "sha512"),
    "1.2.840.10040.4.3": ("dsa-with-SHA1", "sha1"),
    "2.16.840.1.101.3.4.3.2": ("dsa-with-SHA256", "sha256"),
    "1.3.101.112": ("Ed25519", None),
    "1.3.101.113": ("Ed448", None),
}


class CertFields:
    """The fields health and ``info`` read from one certificate (RFC 5280 section 4.1).

    Validity, the public key, cA and self-issued come from the TLV-level `CertEntry.fields`, so
    a file of 10,000 certificates is judged without a full parse of each; so are the extensions
    ``info`` lists (subjectAltName, keyUsage, extendedKeyUsage: `x509extensions`) in their usual
    forms. The subject text and the common name parse the certificate with asn1crypto on first
    use, which only the identity and the findings need.
    """

    def __init__(self, entry: CertEntry) -> None:
        fields = entry.fields
        self._entry = entry
        self.not_before: datetime.datetime = fields.not_before
        self.not_after: datetime.datetime = fields.not_after
        public = fields.public_key_info
        self.key_algorithm: str = public.algorithm
        self.key_bits: int | None = public.bits
        self.ca: bool = fields.ca
        self.self_issued: bool = fields.self_issued
        try:
            oid = fields.signature_algorithm_oid
        except MalformedError:  # not the RFC 5280 shape after tbsCertificate: asn1crypto says why
            oid = ""
        known = _SIGNATURES.get(oid)
        self.signature: str            # e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", "RSASSA-PSS"
        self.signature_digest: str | None
        if known is not None:
            self.signature, self.signature_digest = known
        else:  # RSASSA-PSS and the rest: asn1crypto reads the parameters
            algorithm = entry.certificate["signature_algorithm"]
            self.signature = _signature_name(algorithm)
            try:
                self.signature_digest = algorithm.hash_algo
            except ValueError:
                self.signature_digest = None

    @functools.cached_property
    def subject(self) -> str:
        try:
            return _name(self._entry.certificate.subject)
        except PKCS12Error:  # the TLV-level name still reads where asn1crypto refuses the whole
            return self._entry.subject.rfc4514

    @functools.cached_property
    def _listed(self) -> ListedExtensions | None:
        """The three extensions read at the TLV level (`x509extensions`); None when asn1crypto
        has to read them: an unusual form, or extensions that are not well-formed, where the
        full parse below gives the caller the same values or error as it always has."""
        try:
            return read_listed_extensions(self._entry.fields)
        except MalformedError:
            return None

    @functools.cached_property
    def key_usage(self) -> tuple[str, ...] | None:
        if self._listed is not None:
            return self._listed.key_usage
        value = self._entry.certificate.key_usage_value
        return tuple(sorted(value.native)) if value is not None else None

    @functools.cached_property
    def extended_key_usage(self) -> tuple[str, ...] | None:
        if self._listed is not None:
            return self._listed.extended_key_usage
        value = self._entry.certificate.extended_key_usage_value
        return tuple(str(usage) for usage in value.native) if value is not None else None

    @functools.cached_property
    def san(self) -> tuple[str, ...]:
        """``"DNS:host"``, ``"IP:192.0.2.1"``, ``"email:..."``."""
        if self._listed is not None:
            return self._listed.san
        san = []
        for general in self._entry.certificate.subject_alt_name_value or ():
            label = {"dns_name": "DNS", "ip_address": "IP", "rfc822_name": "email",
                     "uniform_resource_identifier": "URI"}.get(general.name, general.name)
            san.append(f"{label}:{general.native}")
        return tuple(san)

    @functools.cached_property
    def common_name(self) -> str | None:
        cn = None
        for rdn in self._entry.certificate.subject.chosen:
            for pair in rdn:
                if pair["type"].dotted == "2.5.4.3":
                    cn = str(pair["value"].native)
        return cn


def cert_fields(entry: CertEntry) -> CertFields:
    """The `CertFields` of a CertEntry, made once per entry (`info` and `health` both read them);
    raises PKCS12Error/ValueError when the certificate cannot be read."""
    # Cached in the frozen entry's __dict__, as the entries cache their own parses.
    fields: CertFields | None = entry.__dict__.get("_health_fields")
    if fields is None:
        fields = entry.__dict__["_health_fields"] = CertFields(entry)
    return fields


_LABELS = {"2.5.4.3": "CN", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C", "2.5.4.7": "L",
           "2.5.4.8": "ST", "2.5.4.5": "serialNumber", "0.9.2342.19200300.100.1.25": "DC",
           "1.2.840.113549.1.9.1": "emailAddress", "1.2.840.113549.1.9.2": "unstructuredName"}


def _name(name: Any) -> str:
    """A Name for messages, most specific attribute first (RFC 4514 order, without escaping)."""
    parts = []
    for rdn in reversed(list(name.chosen)):
        for pair in rdn:
            oid = pair["type"].dotted
            try:
                value = pair["value"].native
            except ValueError:
                value = "#" + pair["value"].dump().hex()
            parts.append(f"{_LABELS.get(oid, oid)}={printable(str(value))}")  # attacker text (textsafe)
    return ",".join(parts) or "(empty name)"


def _signature_name(algorithm: Any) -> str:
    oid = algorithm["algorithm"]
    names = {"sha1_rsa": "sha1WithRSAEncryption", "sha256_rsa": "sha256WithRSAEncryption",
             "sha384_rsa": "sha384WithRSAEncryption", "sha512_rsa": "sha512WithRSAEncryption",
             "md5_rsa": "md5WithRSAEncryption", "md2_rsa": "md2WithRSAEncryption",
             "sha1_ecdsa": "ecdsa-with-SHA1", "sha256_ecdsa": "ecdsa-with-SHA256",
             "sha384_ecdsa": "ecdsa-with-SHA384", "sha512_ecdsa": "ecdsa-with-SHA512",
             "rsassa_pss": "RSASSA-PSS", "ed25519": "Ed25519", "ed448": "Ed448"}
    return str(names.get(oid.native, oid.native))


# --- time --------------------------------------------------------------------------------------


def parse_at(at: object) -> datetime.datetime:
    """"Now" for a report: None (the current time), a `datetime` (naive means UTC), a `date`
    (its midnight UTC) or an ISO 8601 string (``2026-12-01`` or ``2026-12-01T12:00:00Z``)."""
    if at is None:
        return datetime.datetime.now(datetime.timezone.utc)
    if isinstance(at, str):
        text = at.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            at = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a date: {at!r} (expected YYYY-MM-DD or an ISO 8601 time)") from None
    if isinstance(at, datetime.datetime):
        return at if at.tzinfo is not None else at.replace(tzinfo=datetime.timezone.utc)
    if isinstance(at, datetime.date):
        return datetime.datetime(at.year, at.month, at.day, tzinfo=datetime.timezone.utc)
    raise TypeError(f"at must be None, a datetime, a date or an ISO 8601 string, not {type(at).__name__}")


def _days(delta: datetime.timedelta) -> str:
    days = abs(delta).days
    return "1 day" if days == 1 else f"{days:,} days"


def validity_status(fields: CertFields, at: object = None, days: int = 30) -> str:
    """One line: ``valid, 301 days left``, ``EXPIRES SOON 2026-12-20 (17 days left)``,
    ``EXPIRED 2026-10-07 (56 days ago)`` or ``NOT YET VALID until 2027-01-01 (in 29 days)``."""
    now = parse_at(at)
    if now > fields.not_after:
        return f"EXPIRED {fields.not_after:%Y-%m-%d} ({_days(now - fields.not_after)} ago)"
    if now < fields.not_before:
        return f"NOT YET VALID until {fields.not_before:%Y-%m-%d} (in {_days(fields.not_before - now)})"
    left = _days(fields.not_after - now)
    if fields.not_after - now <= datetime.timedelta(days=days):
        return f"EXPIRES SOON {fields.not_after:%Y-%m-%d} ({left} left)"
    return f"valid, {left} left"


# --- the checks --------------------------------------------------------------------------------


class _Label:
    """``certificate[3] (CN=vpn)``, formatted when a message is built, not before."""

    def __init__(self, index: int, fields: CertFields) -> None:
        self.index, self.fields = index, fields

    def __format__(self, spec: str) -> str:
        return format(f"certificate[{self.index}] ({self.fields.subject})", spec)


def health(p12: PKCS12, *, at: object = None, days: int = 30, use: str | None = None) -> list[Finding]:
    """Certificate health findings for ``p12`` (see the module docstring), errors first.

    ``at``: "now" (see `parse_at`); ``days``: warn when a certificate expires within that many
    days; ``use``: ``"server"`` or ``"client"`` to check the identity's extendedKeyUsage for it
    (None: not checked). Messages name each certificate (``certificate[0] (CN=vpn)``) and the
    dates; they never contain a key.
    """
    if not isinstance(p12, PKCS12):
        raise TypeError(f"p12 must be a PKCS12, not {type(p12).__name__}")
    if use not in (None, "server", "client"):
        raise ValueError(f"use must be None, 'server' or 'client', not {use!r}")
    now = parse_at(at)
    places: dict[str, list[str]] = {}

    def add(code: str, where: str) -> None:
        places.setdefault(code, []).append(where)

    certificates = p12.certificates
    position = {id(entry): index for index, entry in enumerate(certificates)}
    identity = p12.certificate
    fields_of: dict[int, CertFields] = {}
    for index, entry in enumerate(certificates):
        try:
            fields = cert_fields(entry)
        except (PKCS12Error, ValueError, KeyError, TypeError):
            continue  # unreadable certificates are the targets' key-unreadable finding
        fields_of[id(entry)] = fields
        # The subject text parses the certificate: built only for a certificate with a finding.
        place = _Label(index, fields)
        if now > fields.not_after:
            add("certificate-expired", f"{place} expired on {fields.not_after:%Y-%m-%d} "
                                       f"({_days(now - fields.not_after)} ago)")
        elif now < fields.not_before:
            add("certificate-not-yet-valid", f"{place} is valid from {fields.not_before:%Y-%m-%d} "
                                             f"(in {_days(fields.not_before - now)})")
        elif fields.not_after - now <= datetime.timedelta(days=days):
            add("certificate-expires-soon", f"{place} expires on {fields.not_after:%Y-%m-%d} "
                                            f"(in {_days(fields.not_after - now)})")
        if fields.key_algorithm in ("rsa", "rsassa_pss") and fields.key_bits is not None and fields.key_bits < 2048:
            add("rsa-key-weak", f"{place} has an RSA-{fields.key_bits} key")
        if fields.signature_digest in _WEAK_DIGESTS and not fields.self_issued:
            # A trust anchor's own signature is never checked, so only issued certificates count.
            add("weak-signature", f"{place} is signed with {fields.signature}")

    if identity is not None and id(identity) in fields_of:
        fields = fields_of[id(identity)]
        name = f"certificate[{position[id(identity)]}] ({fields.subject})"
        key = p12.key
        if key is not None and chains.public_key_matches(key, identity) is False:
            add("key-certificate-mismatch", f"key[0] and {name}")
        if fields.ca and not fields.self_issued:
            add("identity-is-ca", f"{name} is a CA certificate")
        if use is not None and fields.extended_key_usage is not None:
            usage, label, what = _EKU[use]
            if usage not in fields.extended_key_usage and "any_extended_key_usage" not in fields.extended_key_usage:
                add("eku-missing", f"{name} is used as {what}, which needs {label}; its extendedKeyUsage is "
                                   f"{', '.join(fields.extended_key_usage) or 'empty'}")
        if not fields.san and not fields.ca:
            cn = f"its CN is {fields.common_name!r}" if fields.common_name else "it has no CN either"
            add("no-subject-alt-name", f"{name} has no subjectAltName; {cn}")
        elif fields.common_name and "." in fields.common_name:
            dns = {value[4:].lower() for value in fields.san if value.startswith("DNS:")}
            if dns and fields.common_name.lower() not in dns:
                add("cn-not-in-san", f"{name}: CN {fields.common_name!r} is not in {', '.join(sorted(dns))}")
        # Real chains are a few links long; a file that chains thousands of certificates gets its
        # first links verified (each is a public-key operation), not all of them.
        path = [identity, *p12.chain][:MAX_VERIFIED_LINKS + 1]
        for subject, issuer in zip(path, path[1:]):
            if verify_issued_by(issuer.der, subject.der) is False:
                add("chain-signature-invalid", f"certificate[{position[id(subject)]}] is not signed by "
                                               f"certificate[{position[id(issuer)]}], its named issuer")
    findings = [_finding(code, wheres) for code, wheres in places.items()]
    order = {ERROR: 0, WARNING: 1, NOTE: 2}
    findings.sort(key=lambda finding: order[finding.severity])
    return findings


# More places than this are summarised as a count, the first place and the range of indexes.
_LIST_AT_MOST = 3


def _finding(code: str, wheres: list[str]) -> Finding:
    rule = HEALTH_RULES[code]
    if len(wheres) <= _LIST_AT_MOST:
        message = f"{'; '.join(wheres)}: {rule.reason}"
    else:
        message = (f"{len(wheres):,} certificates: same {rule.severity}: {wheres[0]}, and "
                   f"{len(wheres) - 1:,} more up to {wheres[-1].split(' ', 1)[0]}: {rule.reason}")
    return Finding(code, rule.severity, message, rule.fix, rule.cli_fix)

