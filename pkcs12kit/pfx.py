"""PFX ⇄ AuthenticatedSafe octets (RFC 7292 section 4): version, authSafe, MAC or signature.

Exports: decode, encode, encode_signed.

PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }

The MAC covers the contents octets of authSafe's OCTET STRING (RFC 7292 section 4, "the
contents octets of the authSafe ... not the tag or length"), so BER chunking of that OCTET
STRING does not change what is verified. The MAC is verified before anything is decrypted.

In public-key integrity mode (RFC 7292 section 3.1) authSafe is a SignedData whose eContent is
the AuthenticatedSafe; `cms_sign.verify` checks it against the caller's trust anchors, also
before anything is decrypted, and such a file has no macData.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from . import mac, tlv
from .asn1 import CONTENT_TYPES
from .bags import BagCounter
from .errors import MalformedError, TrustRequiredError
from .limits import Limits, WorkBudget
from .model import PKCS12
from .safes import Keyring, declared_iterations, decode_authenticated_safe

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .ciphers import Provider
    from .kdf import PasswordForm

__all__ = ["decode", "encode", "encode_signed"]

DATA = tlv.oid_contents(CONTENT_TYPES["data"])
SIGNED_DATA = tlv.oid_contents(CONTENT_TYPES["signed_data"])


def decode(
    der: bytes, forms: Iterable[PasswordForm], *, limits: Limits, ciphers: str | Provider | None = None,
    verify_mac: bool = True, mac_forms: Iterable[PasswordForm] | None = None, trust: Any = None,
    recipient: tuple[bytes, bytes | None] | None = None,
) -> PKCS12:
    """Decode PFX bytes (DER or BER) with candidate password ``forms`` into a `PKCS12`.

    ``verify_mac=False`` skips MAC verification (the result then says ``mac_verified=False``);
    without it a MAC that does not verify raises `BadPasswordError` before any decryption.
    ``mac_forms``: the integrity password's forms when it differs from the privacy password
    (RFC 7292 section 3: the two modes are independent; `openssl pkcs12 -twopass`); each error
    then names which of the two passwords is wrong.
    ``trust``: trust-anchor certificate DERs or `UNVERIFIED` for a signed file (None refuses it
    with `TrustRequiredError`); ``recipient``: (PKCS#8 DER, certificate DER or None) for
    envelopedData safes.
    """
    where = "PFX"
    root = tlv.read(der, 0, len(der), where)
    trailing = der[root.next:]
    if trailing.strip(b"\x00"):  # only zero padding is accepted after the value
        raise MalformedError(f"{where}: {len(trailing)} unexpected bytes after the value")
    tlv.expect(root, tlv.SEQUENCE, where, "a PFX SEQUENCE")
    # At most four fields are read: a SEQUENCE of 500,000 empty values (a 1 MB fuzzed file) was
    # read whole, 0.5 s and 80 MB, to say it had too many.
    fields = list(itertools.islice(tlv.children(der, root, where), 4))
    if len(fields) not in (2, 3):
        found = "more than 3" if len(fields) == 4 else str(len(fields))
        raise MalformedError(f"{where}: expected version, authSafe and an optional macData; found {found} fields")
    if fields[0].tag != tlv.INTEGER or len(fields) == 3 and fields[2].tag == tlv.BIT_STRING:
        _refuse_other_der(der, fields)
    version = tlv.expect(fields[0], tlv.INTEGER, where, "the version INTEGER")
    version_value = int.from_bytes(der[version.start:version.end], "big", signed=True)
    if version_value != 3:
        raise MalformedError(f"{where}: version is {version_value}; RFC 7292 defines only v3")
    signature = None
    if _is_signed(der, fields[1]):
        if len(fields) == 3:
            raise MalformedError(f"{where}: a signed authSafe (public-key integrity mode) takes no macData")
        if trust is None:
            raise TrustRequiredError(
                "authSafe: the file is signed (public-key integrity mode, RFC 7292 section 3.1) and no trust "
                "anchors were given; pass trust=[certificates], or trust=pkcs12kit.UNVERIFIED to read it unverified"
            )
        # import time: cms_sign loads cryptography's x509 (about 20 ms); only signed files need it
        from . import cms_sign

        auth_safe: tlv.Buffer
        auth_safe, signature = cms_sign.verify(der[fields[1].offset:fields[1].next], trust, limits=limits)
    else:
        auth_safe = _auth_safe_octets(der, fields[1])

    budget = WorkBudget(limits)
    forms = tuple(forms)
    mac_info = None
    mac_verified = False
    matched = None
    mac_der = None
    if len(fields) == 3:
        mac_node = tlv.expect(fields[2], tlv.SEQUENCE, "macData", "a MacData SEQUENCE")
        mac_der = der[mac_node.offset:mac_node.next]
        mac_info = mac.describe(mac_der, where="macData")
    # Refuse before any hashing a file whose declared work (MAC + encrypted safes) is over a limit.
    declared = declared_iterations(auth_safe, limits)
    if mac_info is not None:
        declared.insert(0, (mac_info.iterations, "macData", mac.chains(mac_info, limits)))
    budget.check_declared(declared)
    two_passwords = mac_forms is not None
    if mac_der is not None and verify_mac:
        mac_info, matched = mac.verify(
            mac_der, auth_safe, tuple(mac_forms) if mac_forms is not None else forms, budget=budget,
            where="macData", integrity_password=two_passwords,
        )
        mac_verified = True

    keyring = Keyring(forms, budget=budget, ciphers=ciphers, mac_verified=mac_verified,
                      two_passwords=two_passwords, recipient=recipient)
    if matched is not None and not two_passwords:
        keyring.prefer(matched)
    else:
        matched = None  # the MAC's form says nothing about the privacy password's encoding
    entries, safes = decode_authenticated_safe(auth_safe, keyring, BagCounter(limits.max_bags))

    if matched is not None:
        encoding = matched.label
    elif keyring.used_labels:
        encoding = keyring.forms[0].label
    else:
        encoding = None
    return PKCS12(tuple(entries), mac_info, mac_verified, safes, encoding, decoded=True, signature=signature,
                  trailing_zeros=len(trailing))


def _is_signed(der: bytes, node: tlv.Tlv) -> bool:
    """Is the authSafe ContentInfo a signedData (its shape is checked by `_auth_safe_octets` else)?"""
    if node.tag != tlv.SEQUENCE:
        return False
    fields = list(tlv.children(der, node, "authSafe"))
    return bool(fields) and fields[0].tag == tlv.OID and der[fields[0].start:fields[0].end] == SIGNED_DATA


def _auth_safe_octets(der: bytes, node: tlv.Tlv) -> tlv.Buffer:
    """authSafe ContentInfo (RFC 5652 section 3) of type data → the AuthenticatedSafe octets."""
    where = "authSafe"
    tlv.expect(node, tlv.SEQUENCE, where, "a ContentInfo SEQUENCE")
    fields = list(tlv.children(der, node, where))
    if not fields or fields[0].tag != tlv.OID:
        raise MalformedError(f"{where}: ContentInfo must start with its contentType OID")
    kind = der[fields[0].start:fields[0].end]
    if kind != DATA:
        raise MalformedError(f"{where}: contentType is {tlv.oid_dotted(kind)}, expected data")
    if len(fields) != 2:
        raise MalformedError(f"{where}: the data ContentInfo has no content")
    wrapper = tlv.expect(fields[1], tlv.CONTEXT_0, where, "the [0] content")
    inner = list(tlv.children(der, wrapper, where))
    if len(inner) != 1 or inner[0].tag & ~tlv.CONSTRUCTED != tlv.OCTET_STRING:
        raise MalformedError(f"{where}: the content must be one OCTET STRING")
    return tlv.octets_view(der, inner[0], where)  # as large as the file: not copied


def encode(auth_safe: bytes, mac_data: bytes | None) -> bytes:
    """PFX DER: version 3, authSafe as a data ContentInfo over ``auth_safe``, optional MacData."""
    return tlv.nest(
        [
            (tlv.SEQUENCE, tlv.encode(tlv.INTEGER, b"\x03"), mac_data or b""),
            (tlv.SEQUENCE, tlv.encode(tlv.OID, DATA), b""),
            (tlv.CONTEXT_0, b"", b""),
            (tlv.OCTET_STRING, b"", b""),
        ],
        auth_safe,
    )


def encode_signed(signed_content_info: bytes) -> bytes:
    """PFX DER in public-key integrity mode: version 3 and the SignedData ContentInfo, no macData."""
    return tlv.encode(tlv.SEQUENCE, tlv.encode(tlv.INTEGER, b"\x03") + signed_content_info)


def _refuse_other_der(der: bytes, fields: list[tlv.Tlv]) -> None:
    """Name the DER structures people hand over instead of a PFX, read from their shape:
    an X.509 certificate or CRL is SEQUENCE { tbs SEQUENCE, AlgorithmIdentifier, BIT STRING }
    (RFC 5280 sections 4.1 and 5.1); a CRL's tbsCertList holds a Time where a certificate's
    holds a Validity SEQUENCE. Returns quietly when the shape is none of these."""
    if len(fields) != 3 or fields[0].tag != tlv.SEQUENCE or fields[2].tag != tlv.BIT_STRING:
        return
    try:
        tbs = list(tlv.children(der, fields[0], "tbs"))
    except MalformedError:
        return
    times = (tlv.UTC_TIME, tlv.GENERALIZED_TIME)
    kind = "an X.509 CRL" if any(node.tag in times for node in tbs) else "an X.509 certificate"
    raise MalformedError(
        f"PFX: this is {kind} (DER), not a PKCS#12 file; to bundle certificates and a key into "
        "one use pkcs12kit.PKCS12.build(...) and pkcs12kit.dumps, or `pkcs12kit create`"
    )
