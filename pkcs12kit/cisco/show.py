"""Preview of ``show crypto ca|pki certificates`` after a PKCS#12 import.

Exports: show_certificates.

Layouts: ASA ``show crypto ca certificates`` (docs/cisco-formats.md#asa-layout) and IOS ``show crypto pki
certificates`` (5.2); certificate fields read per RFC 5280 (keyUsage 4.2.1.3, CRL distribution
points 4.2.1.13).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ..errors import EncodeError, PKCS12Error
from ..model import PKCS12
from ..parsed import key_size

if TYPE_CHECKING:
    from asn1crypto import x509

    from ..entries import CertEntry
from .names import rdn_lines, self_signed
from .platforms import platform_dialect
from .trustpoints import trustpoint as trustpoint_view

__all__ = ["show_certificates"]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SIGNATURE_BITS = {"digital_signature", "non_repudiation", "key_cert_sign", "crl_sign"}
_ENCRYPTION_BITS = {"key_encipherment", "data_encipherment", "key_agreement"}


def _usage(certificate: x509.Certificate) -> str:
    """Certificate Usage from keyUsage (RFC 5280 4.2.1.3): signing bits only → "Signature",
    encryption bits only → "Encryption", both or no extension → "General Purpose"
    (inferred from the docs/cisco-formats.md#asa-layout, docs/cisco-formats.md#ios-xe-layout samples: CA certificates show "Signature")."""
    value = certificate.key_usage_value
    if value is None:
        return "General Purpose"
    bits = set(value.native)
    signing, encrypting = bool(bits & _SIGNATURE_BITS), bool(bits & _ENCRYPTION_BITS)
    if signing and not encrypting:
        return "Signature"
    if encrypting and not signing:
        return "Encryption"
    return "General Purpose"


def _device_date(moment: datetime.datetime) -> str:
    """``HH:MM:SS UTC Mon D YYYY`` (docs/cisco-formats.md#asa-layout: ``00:00:00 UTC Sep 4 2020``), in UTC."""
    moment = moment.astimezone(datetime.timezone.utc)
    return f"{moment:%H:%M:%S} UTC {_MONTHS[moment.month - 1]} {moment.day} {moment.year}"


def _serial_hex(certificate: x509.Certificate) -> str:
    """The serial's magnitude as whole bytes of hex, as the devices and ``openssl x509 -serial``
    print it (``0d5071b8...`` keeps the leading zero nibble)."""
    serial: int = certificate.serial_number
    magnitude = abs(serial)
    return magnitude.to_bytes(max(1, (magnitude.bit_length() + 7) // 8), "big").hex()


def _public_key_type(certificate: x509.Certificate) -> str:
    """``RSA (2048 bits)`` as in docs/cisco-formats.md#asa-layout; other algorithms by analogy (unverified)."""
    info = certificate.public_key
    algorithm: str = info.algorithm
    label = {"rsa": "RSA", "rsassa_pss": "RSA", "ec": "ECDSA", "dsa": "DSA"}.get(algorithm, algorithm.upper())
    try:
        # parsed.key_size: a P-521 key is 521 bits (asn1crypto's bit_size says 528, from the point).
        bits = key_size(info, "certificate public key")
    except PKCS12Error:
        return label
    return f"{label} ({bits} bits)" if bits is not None else label


def _signature_algorithm(certificate: x509.Certificate) -> str:
    """``SHA256 with RSA Encryption`` as in docs/cisco-formats.md#asa-layout; ECDSA/PSS wording by analogy."""
    algorithm = certificate["signature_algorithm"]
    try:
        signature, digest = algorithm.signature_algo, algorithm.hash_algo
    except Exception:
        return str(algorithm["algorithm"].dotted)
    digest = digest.upper()
    if signature == "rsassa_pkcs1v15":
        return f"{digest} with RSA Encryption"
    if signature == "ecdsa":
        return f"{digest} with ECDSA"
    if signature == "rsassa_pss":
        return f"RSASSA-PSS ({digest})"
    return str(signature.upper())


def _crl_urls(certificate: x509.Certificate) -> list[str]:
    urls = []
    for point in certificate.crl_distribution_points or ():
        name = point["distribution_point"]
        if name.name != "full_name":
            continue
        for general in name.chosen:
            if general.name == "uniform_resource_identifier":
                urls.append(general.native)
    return urls


def _certificate_block(entry: CertEntry, dialect: str, title: str, trustpoints: str) -> list[str]:
    cert = entry.certificate
    lines = [title, "  Status: Available"]
    serial = _serial_hex(cert)
    if dialect == "asa":
        lines.append(f"  Certificate Serial Number: {serial}")
    else:
        lines.append(f"  Certificate Serial Number (hex): {serial.upper()}")
    lines.append(f"  Certificate Usage: {_usage(cert)}")
    if dialect == "asa":
        lines.append(f"  Public Key Type: {_public_key_type(cert)}")
        lines.append(f"  Signature Algorithm: {_signature_algorithm(cert)}")
    issuer, subject = rdn_lines(cert.issuer), rdn_lines(cert.subject)
    lines.append("  Issuer Name:" if dialect == "asa" else "  Issuer:")
    lines += [f"    {name}={value}" for name, value in issuer]
    lines.append("  Subject Name:" if dialect == "asa" else "  Subject:")
    if dialect == "ios":
        # IOS opens the subject with summary lines (docs/cisco-formats.md#ios-xe-layout): Name: (the hostname, which
        # is the unstructuredName or else the CN), IP Address:, Serial Number:.
        found = dict((name, value) for name, value in reversed(subject))
        summary_name = found.get("hostname", found.get("cn"))
        if summary_name is not None:
            lines.append(f"    Name: {summary_name}")
        if "ipaddress" in found:
            lines.append(f"    IP Address: {found['ipaddress']}")
        if "serialNumber" in found:
            lines.append(f"    Serial Number: {found['serialNumber']}")
    lines += [f"    {name}={value}" for name, value in subject]
    ocsp = list(cert.ocsp_urls or ())
    if dialect == "asa" and ocsp:
        lines.append("  OCSP AIA:")
        lines += [f"    URL: {url}" for url in ocsp]
    crls = _crl_urls(cert)
    if crls:
        lines.append("  CRL Distribution Points:")
        if dialect == "asa":
            lines += [f"    [{n}]  {url}" for n, url in enumerate(crls, 1)]
        else:
            lines += [f"    {url}" for url in crls]
    validity = cert["tbs_certificate"]["validity"]
    lines += [
        "  Validity Date:",
        f"    start date: {_device_date(validity['not_before'].native)}",
        f"    end   date: {_device_date(validity['not_after'].native)}",
        f"  Associated Trustpoints: {trustpoints}",
    ]
    return lines


def show_certificates(p12: PKCS12, platform: str, trustpoint: str = "TP", *, extra: bool = False) -> str:
    """Preview ``show crypto ca certificates <tp>`` (ASA, docs/cisco-formats.md#asa-layout) or ``show crypto pki
    certificates <tp>`` (IOS, 5.2) after ``p12`` is imported into ``trustpoint``.

    One block per certificate the trustpoint holds: the identity (``Certificate``) and its
    issuing CA (``CA Certificate``), separated by a blank line; ``extra=True`` adds the CAs the
    device puts into additional trustpoints (see `trustpoint`). Fields follow the device
    layouts: ``Status: Available``, the serial in hex (ASA lower case, IOS upper case with
    ``(hex)``), ``Certificate Usage``, on the ASA ``Public Key Type`` and ``Signature
    Algorithm``, issuer and subject one attribute per line most specific first, on IOS the
    subject's ``Name:`` summary line, OCSP (ASA) and CRL URLs, ``Validity Date`` in UTC, and
    ``Associated Trustpoints``. A preview, not a capture: the device prints dates in its own
    time zone and may add ``Storage:`` lines.
    """
    if not isinstance(p12, PKCS12):
        raise TypeError(f"show_certificates: expected a PKCS12, not {type(p12).__name__}")
    dialect = platform_dialect(platform, "show_certificates")
    view = trustpoint_view(p12, dialect, name=trustpoint)
    if view.certificate is None:
        raise EncodeError("show_certificates: the PKCS#12 holds no certificate")
    blocks = [_certificate_block(view.certificate, dialect, "Certificate", trustpoint)]
    if view.issuer is not None:
        blocks.append(_certificate_block(view.issuer, dialect, "CA Certificate", trustpoint))
    elif self_signed(view.certificate) and dialect == "ios":
        blocks[0][0] = "Router Self-Signed Certificate"
    if extra:
        for name, ca in view.extra:
            blocks.append(_certificate_block(ca, dialect, "CA Certificate", name))
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
