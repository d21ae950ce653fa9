"""Distinguished names as Cisco devices print them, for messages and previews.

Exports: RDN_NAMES, rdn_lines, subject_text, issuer_text, self_signed.

Attribute names follow the devices' ``show crypto ca|pki certificates`` output (docs/cisco-formats.md#asa-layout,
5.2), most specific first; self-issued is RFC 5280 section 3.2's end of a chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..textsafe import printable

if TYPE_CHECKING:
    from asn1crypto import x509

    from ..entries import CertEntry

__all__ = ["RDN_NAMES", "rdn_lines", "subject_text", "issuer_text", "self_signed"]


# Attribute names as the devices print them (docs/cisco-formats.md#asa-layout, docs/cisco-formats.md#ios-xe-layout: cn, ou, o, l, st, c,
# serialNumber, hostname, ipaddress); 'ea' is Cisco's subject-name keyword for e-mail.
RDN_NAMES = {
    "2.5.4.3": "cn",
    "2.5.4.11": "ou",
    "2.5.4.10": "o",
    "2.5.4.7": "l",
    "2.5.4.8": "st",
    "2.5.4.6": "c",
    "2.5.4.5": "serialNumber",
    "2.5.4.12": "title",
    "2.5.4.9": "street",
    "1.2.840.113549.1.9.1": "ea",
    "1.2.840.113549.1.9.2": "hostname",  # PKCS #9 unstructuredName
    "1.2.840.113549.1.9.8": "ipaddress",  # PKCS #9 unstructuredAddress
    "0.9.2342.19200300.100.1.25": "dc",
    "0.9.2342.19200300.100.1.1": "uid",
}


def _attribute_text(value: Any) -> str:
    """An attribute value as terminal-safe text (`textsafe.printable`: a CN holding newlines or
    ESC sequences is attacker text, issue 15 row 7): DirectoryString and PKCS #9 strings via
    asn1crypto, anything else as its DER in hex (never guessed)."""
    return printable(_attribute_value(value))


def _attribute_value(value: Any) -> str:
    # import time: asn1crypto is loaded only once a certificate is read, not by importing cisco
    from asn1crypto import core

    try:
        native = value.native
        if isinstance(native, str):
            return native
        native = core.Asn1Value.load(value.dump()).native
        if isinstance(native, str):
            return native
        if isinstance(native, bytes):
            return native.decode("utf-8")
    except Exception:
        pass
    return "#" + bytes(value.dump()).hex()


def rdn_lines(name: x509.Name) -> list[tuple[str, str]]:
    """(attribute, value) of every AVA, most specific first (the reverse of the DER order), as
    the devices list them (docs/cisco-formats.md#asa-layout)."""
    pairs = []
    for rdn in name.chosen:
        for ava in rdn:
            oid = ava["type"].dotted
            pairs.append((RDN_NAMES.get(oid, oid), _attribute_text(ava["value"])))
    return pairs[::-1]


def subject_text(entry: CertEntry) -> str:
    """The subject as one RFC 4514-style line for messages (most specific first)."""
    try:
        return ",".join(f"{name}={value}" for name, value in rdn_lines(entry.certificate.subject))
    except Exception:
        return "<unparsable certificate>"


def issuer_text(entry: CertEntry) -> str:
    """The issuer as one line, like `subject_text`."""
    try:
        return ",".join(f"{n}={v}" for n, v in rdn_lines(entry.certificate.issuer))
    except Exception:
        return "<unparsable certificate>"


def self_signed(entry: CertEntry) -> bool:
    """Self-issued (subject == issuer): the end of a chain (RFC 5280 section 3.2)."""
    try:
        return bool(entry.subject.der == entry.issuer.der)  # names read at the TLV level (x509fields)
    except Exception:
        return False

