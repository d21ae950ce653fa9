"""Does a certificate carry the host name clients connect to? RFC 6125 as RFC 9525 tightens it.

Exports: hostname_matches, check_hostname.

Reference identifiers (RFC 6125 section 6.4, RFC 9525 section 6.3) are compared with the
subjectAltName dNSName / iPAddress entries (RFC 5280 4.2.1.6), the subject CN only as the
RFC 6125 section 6.4.4 fallback.
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Any

from ..errors import MalformedError
from ..inputs import certificate_der
from ..model import PKCS12, CertEntry
from .names import rdn_lines

if TYPE_CHECKING:
    from asn1crypto import x509

    from ..inputs import CertificateInput

__all__ = ["hostname_matches", "check_hostname"]


def _certificate_of(value: PKCS12 | CertEntry | CertificateInput) -> x509.Certificate | None:
    """An asn1crypto Certificate from a CertEntry, asn1crypto/cryptography certificate, or
    PEM/DER; a PKCS12 gives its identity certificate."""
    # import time: asn1crypto.x509 (which pulls in socket and urllib) loads only for a check
    from asn1crypto import x509

    if isinstance(value, PKCS12):
        identity = value.certificate
        if identity is None:
            return None
        value = identity
    if isinstance(value, CertEntry):
        return value.certificate
    if isinstance(value, x509.Certificate):
        return value
    der = certificate_der(value)
    try:
        parsed: x509.Certificate = x509.Certificate.load(der)
        parsed.native
    except (ValueError, TypeError) as err:
        raise MalformedError(f"certificate: cannot parse: {err}") from err
    return parsed


def _reference(hostname: str) -> tuple[str, Any]:
    """(kind, value): ("ip", ip_address) or ("dns", lower-case A-label name without the root
    dot), or ("invalid", reason). Internationalized names become A-labels (RFC 5890)."""
    text = hostname.strip()
    candidate = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        return "ip", ipaddress.ip_address(candidate)
    except ValueError:
        pass
    if text.endswith("."):
        text = text[:-1]
    if not text:
        return "invalid", "the hostname is empty"
    if not text.isascii():
        try:
            text = text.encode("idna").decode("ascii")
        except UnicodeError:
            return "invalid", "the hostname is not a valid internationalized domain name"
    text = text.lower()
    if any(not label for label in text.split(".")):
        return "invalid", "the hostname has an empty label"
    if re.fullmatch(r"[a-z0-9_.-]+", text) is None:
        return "invalid", "the hostname holds characters a DNS name cannot (only letters, digits, '-', '.')"
    return "dns", text


def _match_dns_id(pattern: str, host: str) -> tuple[bool, str | None]:
    """Match a presented DNS identifier against the reference ``host`` (RFC 6125 section 6.4,
    with RFC 9525 section 6.3's stricter wildcard rule). Returns (matched, why not)."""
    pattern = pattern.lower()
    if pattern.endswith("."):
        pattern = pattern[:-1]
    if "*" not in pattern:
        return pattern == host, None
    labels = pattern.split(".")
    if any("*" in label for label in labels[1:]):
        return False, f"'{pattern}': a wildcard is allowed only in the left-most label"
    if labels[0] != "*":
        return False, (
            f"'{pattern}': a partial wildcard (a '*' with other characters in the label) is not "
            "accepted (RFC 9525 section 6.3)"
        )
    if len(labels) < 3:
        return False, f"'{pattern}': a wildcard over a top-level domain matches nothing"
    host_labels = host.split(".")
    suffix = labels[1:]
    if host_labels == suffix:
        return False, f"'{pattern}' stands for one more label, not '{host}' itself"
    if host_labels[-len(suffix):] != suffix:
        return False, None
    if len(host_labels) != len(labels):
        return False, f"'{pattern}' covers exactly one label, not '{host}'"
    return True, None


def _san(certificate: x509.Certificate) -> tuple[list[str], list[ipaddress.IPv4Address | ipaddress.IPv6Address]]:
    """(dNSName values, iPAddress values as ipaddress objects) of subjectAltName (RFC 5280
    4.2.1.6); an iPAddress is 4 or 16 octets."""
    names, addresses = [], []
    value = certificate.subject_alt_name_value
    for general in value or ():
        if general.name == "dns_name":
            # The raw IA5String: asn1crypto's .native turns A-labels into Unicode, and names
            # are compared as A-labels (RFC 6125 section 6.4.2).
            names.append(general.chosen.contents.decode("ascii", "replace"))
        elif general.name == "ip_address":
            octets = general.chosen.contents
            if len(octets) in (4, 16):
                addresses.append(ipaddress.ip_address(octets))
    return names, addresses


def _hostname_verdict(certificate: x509.Certificate, hostname: str) -> tuple[bool, list[str]]:
    """(matches, notes) for `hostname_matches` and `check_hostname`."""
    if not isinstance(hostname, str):
        raise TypeError(f"hostname must be str, not {type(hostname).__name__}")
    kind, reference = _reference(hostname)
    if kind == "invalid":
        return False, [reference]
    dns_names, addresses = _san(certificate)
    if kind == "ip":
        if reference in addresses:
            return True, []
        listed = ", ".join(str(a) for a in addresses) or "none"
        return False, [
            f"no SAN iPAddress equals {reference} (SAN iPAddress entries: {listed}); an IP address "
            "is never matched against a DNS name or the subject CN (RFC 6125 section 1.7.2): "
            "add it as an iPAddress SAN"
        ]
    if dns_names:
        notes = []
        for pattern in dns_names:
            matched, why = _match_dns_id(pattern, reference)
            if matched:
                return True, []
            if why:
                notes.append(why)
        return False, [
            f"no SAN dNSName matches '{reference}' (SAN dNSNames: {', '.join(dns_names)})", *notes
        ]
    common = [value for name, value in rdn_lines(certificate.subject) if name == "cn"]
    for value in common:
        pattern = value
        if not pattern.isascii():  # a Unicode CN (UTF8String) compares as A-labels too
            try:
                pattern = pattern.encode("idna").decode("ascii")
            except UnicodeError:
                continue
        matched, why = _match_dns_id(pattern, reference)
        if matched:
            return True, [
                f"'{reference}' matches only the subject CN '{value}', used because the "
                "certificate has no SAN dNSName (RFC 6125 section 6.4.4); clients following "
                "RFC 9525 and public CAs ignore the CN: add a dNSName SAN"
            ]
    listed = ", ".join(f"'{v}'" for v in common) or "none"
    return False, [
        f"the certificate has no SAN dNSName and no subject CN matches '{reference}' (CN: {listed})"
    ]


def hostname_matches(cert_or_entry: PKCS12 | CertEntry | CertificateInput, hostname: str) -> bool:
    """Does the certificate (CertEntry, asn1crypto or cryptography certificate, PEM/DER, or a
    PKCS12's identity certificate) carry ``hostname``? RFC 6125 section 6.4 as RFC 9525 section
    6.3 tightens it:

    - an IP address (IPv4 or IPv6, brackets allowed) matches only an equal SAN iPAddress;
    - a DNS name matches SAN dNSNames case-insensitively, a trailing dot ignored, IDNs as
      A-labels; a wildcard only as the whole left-most label (``*.example.com``), standing for
      exactly one non-empty label, never over a top-level domain, never partial (``f*o``);
    - the subject CN is used only when the certificate has no SAN dNSName at all.
    """
    certificate = _certificate_of(cert_or_entry)
    if certificate is None:
        return False
    return _hostname_verdict(certificate, hostname)[0]


def check_hostname(p12: PKCS12 | CertEntry | CertificateInput, hostname: str) -> list[str]:
    """Why clients connecting to ``hostname`` would not accept ``p12``'s identity certificate
    (or a certificate given directly): an empty list when the name is in a SAN, else one
    explanation per problem (rules in `hostname_matches`). A name that matches only through
    the CN fallback yields a note too, since strict clients refuse it (docs/cisco-formats.md#trustpoints-and-chains: public
    CAs need a dNSName SAN; IKEv2 peers an iPAddress SAN)."""
    certificate = _certificate_of(p12)
    if certificate is None:
        return ["the PKCS#12 holds no certificate"]
    return _hostname_verdict(certificate, hostname)[1]
