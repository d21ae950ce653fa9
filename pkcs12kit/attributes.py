"""Bag attributes (RFC 7292 section 4.2 ``PKCS12Attribute``): kept losslessly, read by name.

Exports: Attribute, ATTRIBUTE_NAMES, ATTRIBUTE_OIDS, make_attributes, Attributed (the accessors
every entry shares: ``friendly_name``, ``local_key_id``, ``attribute(name)``).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from . import tlv

if TYPE_CHECKING:
    from collections.abc import Iterable

    from asn1crypto import core

__all__ = ["Attribute", "ATTRIBUTE_NAMES", "ATTRIBUTE_OIDS", "make_attributes", "Attributed"]

# Attribute names (RFC 2985 section 5.5.1 friendlyName, localKeyId; Microsoft; Oracle JDK).
# asn1crypto 1.5.1 names 1.3.6.1.4.1.311.17.1 "microsoft_local_machine_keyset", but that OID is
# Microsoft's CSP name (a BMPString); 311.17.2 is the local-machine key set flag.
ATTRIBUTE_NAMES = {
    "1.2.840.113549.1.9.20": "friendly_name",
    "1.2.840.113549.1.9.21": "local_key_id",
    "1.3.6.1.4.1.311.17.1": "microsoft_csp_name",
    "1.3.6.1.4.1.311.17.2": "microsoft_local_machine_keyset",
    "2.16.840.1.113894.746875.1.1": "trusted_key_usage",
}
ATTRIBUTE_OIDS = {name: oid for oid, name in ATTRIBUTE_NAMES.items()}


@dataclasses.dataclass(frozen=True)
class Attribute:
    """One PKCS#12 bag attribute (RFC 7292 section 4.2, ``PKCS12Attribute``), kept losslessly.

    ``oid`` is the dotted attribute type; ``values`` the DER of each value in file order.
    ``type`` is a readable name for known types, else the dotted OID.
    """

    oid: str
    values: tuple[bytes, ...]

    @property
    def type(self) -> str:
        return ATTRIBUTE_NAMES.get(self.oid, self.oid)

    @property
    def parsed(self) -> tuple[core.Asn1Value, ...]:
        """The values as asn1crypto objects (``asn1crypto.core.Asn1Value.load`` of each)."""
        from asn1crypto import core  # import time: asn1crypto is loaded only when a value is parsed

        return tuple(core.Asn1Value.load(value) for value in self.values)

    def __repr__(self) -> str:
        return f"Attribute({self.type!r}, {len(self.values)} value(s))"


def _bmp_text(value: bytes) -> str | None:
    """Decode one friendlyName value: BMPString (UTF-16-BE; OpenSSL 3 writes surrogate pairs for
    characters outside the BMP) or, as a few producers write, UTF8String."""
    try:
        node = tlv.read_all(value, "friendlyName")
    except Exception:
        return None
    contents = value[node.start:node.end]
    try:
        if node.tag == tlv.BMP_STRING:
            return contents.decode("utf-16-be")
        if node.tag == tlv.UTF8_STRING:
            return contents.decode("utf-8")
    except UnicodeDecodeError:
        return contents.decode("utf-16-be" if node.tag == tlv.BMP_STRING else "utf-8", "replace")
    return None


class Attributed:
    """Accessors shared by every entry: friendly name, local key id, attributes by name."""

    attributes: tuple[Attribute, ...]

    def attribute(self, name_or_oid: str) -> Attribute | None:
        """The first attribute with this name (``"friendly_name"``) or dotted OID, else None."""
        oid = ATTRIBUTE_OIDS.get(name_or_oid, name_or_oid)
        for attribute in self.attributes:
            if attribute.oid == oid:
                return attribute
        return None

    @property
    def friendly_name(self) -> str | None:
        """The friendlyName attribute (RFC 2985 5.5.1) as text, or None."""
        attribute = self.attribute("friendly_name")
        if attribute is None or not attribute.values:
            return None
        return _bmp_text(attribute.values[0])

    @property
    def local_key_id(self) -> bytes | None:
        """The localKeyId attribute (RFC 2985 5.5.2) octets, or None."""
        attribute = self.attribute("local_key_id")
        if attribute is None or not attribute.values:
            return None
        value = attribute.values[0]
        try:
            node = tlv.read_all(value, "localKeyId")
        except Exception:
            return None
        if node.tag != tlv.OCTET_STRING:
            return None
        return value[node.start:node.end]

    def _names_repr(self) -> str:
        parts = []
        if self.friendly_name is not None:
            parts.append(f"friendly_name={self.friendly_name!r}")
        if self.local_key_id is not None:
            parts.append(f"local_key_id={self.local_key_id.hex()}")
        return ", ".join(parts)


def make_attributes(
    friendly_name: str | None = None, local_key_id: bytes | None = None, extra: Iterable[Attribute] = ()
) -> tuple[Attribute, ...]:
    """Bag attributes: friendlyName (a BMPString, RFC 2985 5.5.1), localKeyId (an OCTET STRING,
    RFC 2985 5.5.2), then the ``extra`` `Attribute` values as given."""
    attributes = []
    if friendly_name is not None:
        if not isinstance(friendly_name, str):
            raise TypeError(f"friendly_name must be str, not {type(friendly_name).__name__}")
        value = tlv.encode(tlv.BMP_STRING, friendly_name.encode("utf-16-be"))
        attributes.append(Attribute(ATTRIBUTE_OIDS["friendly_name"], (value,)))
    if local_key_id is not None:
        if not isinstance(local_key_id, (bytes, bytearray)):
            raise TypeError(f"local_key_id must be bytes, not {type(local_key_id).__name__}")
        value = tlv.encode(tlv.OCTET_STRING, bytes(local_key_id))
        attributes.append(Attribute(ATTRIBUTE_OIDS["local_key_id"], (value,)))
    return tuple(attributes) + tuple(extra)
