"""Writing the PKCS#12 a device exports and the session that imports one.

Exports: export_text, import_session.

The formats are described in the project's Cisco notes (docs/cisco-formats.md#grammar).
The PKCS#12 itself is RFC 7292; the armor is base64 (RFC 4648 section 4), bare or between
RFC 7468-style ``-----BEGIN PKCS12-----`` boundaries. Reading them back is
`transcripts.parse_transcript`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .. import pem
from ..api import dumps, loads
from ..errors import BadPasswordError, EncodeError, MalformedError
from ..model import PKCS12

if TYPE_CHECKING:
    from ..pkcs8 import RandomSource
    from ..profiles import Profile
from .platforms import (
    check_cli_password,
    check_trustpoint_name,
    default_profile,
    password_findings,
    platform_dialect,
)

__all__ = ["export_text", "import_session"]


def _pkcs12_der(
    p12_or_der: PKCS12 | bytes | bytearray | memoryview, password: str | bytes | None, platform: str,
    profile: Profile | None, random: RandomSource, where: str,
) -> bytes:
    """DER to put on the terminal: DER as given (checked against ``password`` when one is given),
    or a PKCS12 encoded with ``password`` under ``profile``."""
    if isinstance(p12_or_der, PKCS12):
        if password is None:
            raise TypeError(f"{where}: a PKCS12 needs password= to be encoded")
        if profile is None:
            profile = default_profile(platform)
        return dumps(p12_or_der, password, profile=profile, random=random)
    if isinstance(p12_or_der, (bytearray, memoryview)):
        p12_or_der = bytes(p12_or_der)
    if not isinstance(p12_or_der, bytes):
        raise TypeError(f"{where}: expected PKCS#12 DER bytes or a PKCS12, not {type(p12_or_der).__name__}")
    if profile is not None:
        raise TypeError(f"{where}: profile= applies to a PKCS12, not to DER that is already encoded")
    if p12_or_der[:1] != b"\x30":
        raise MalformedError(f"{where}: not PKCS#12 DER (first byte is not 0x30, a SEQUENCE)")
    if password is not None:
        try:
            loads(p12_or_der, password)
        except BadPasswordError as err:
            raise EncodeError(
                f"{where}: the password does not open this PKCS#12 (the device would refuse it "
                "with 'bad HMAC')"
            ) from err
    return p12_or_der


_ASA_BEGIN = "-----BEGIN PKCS12-----"
_ASA_END = "-----END PKCS12-----"
_IOS_TRAILER = "---End - This line not part of the pkcs12---"
_IOS_EXPORTED = "CRYPTO_PKI: Exported PKCS12 file successfully."


def export_text(
    p12_or_der: PKCS12 | bytes | bytearray | memoryview, platform: str, *, password: str | None = None,
    profile: Profile | None = None, random: RandomSource = None,
) -> str:
    """The text a device prints when it exports a trustpoint as PKCS#12 to the terminal.

    ``platform`` ``"asa"`` (docs/cisco-formats.md#asa-export: ``Exported pkcs12 follows:``, ``-----BEGIN
    PKCS12-----``, 64-column base64, ``-----END PKCS12-----``) or ``"ios"`` (2.1: the banner,
    bare 64-column base64, a blank line, ``---End - This line not part of the pkcs12---``, a
    blank line, ``CRYPTO_PKI: Exported PKCS12 file successfully.``). ``parse_transcript`` reads
    it back as variant ``"asa-export"`` / ``"ios-export"``.

    ``p12_or_der``: DER bytes, written as they are (a ``password=`` given with them is checked
    to open the file), or a `PKCS12`, which needs ``password=`` and is encoded under
    ``profile`` (default ``targets.profile_for(platform)``, else ``LEGACY_3DES``); the password
    must pass `check_cli_password`, since the device took it on its command line.
    """
    dialect = platform_dialect(platform, "export_text")
    if isinstance(p12_or_der, PKCS12) and password is not None:
        check_cli_password(password, platform)
    der = _pkcs12_der(p12_or_der, password, platform, profile, random, "export_text")
    lines = pem.base64_lines(der, 64)
    if dialect == "asa":
        return "\n".join(["Exported pkcs12 follows:", _ASA_BEGIN, *lines, _ASA_END]) + "\n"
    return "\n".join(["Exported pkcs12 follows:", *lines, "", _IOS_TRAILER, "", _IOS_EXPORTED]) + "\n"


def import_session(
    p12_or_der: PKCS12 | bytes | bytearray | memoryview, password: str, platform: str, trustpoint: str, *,
    profile: Profile | None = None, random: RandomSource = None,
) -> str:
    """The complete text to paste in configuration mode to import a PKCS#12 into a trustpoint.

    ASA (docs/cisco-formats.md#asa-import, docs/cisco-formats.md#asa-rest-api; docs/cisco-formats.md#grammar ``asa_import_in``)::

        crypto ca import <tp> pkcs12 <pw>
        -----BEGIN PKCS12-----
        <64-column base64>
        -----END PKCS12-----
        quit

    IOS / IOS-XE (2.4; grammar ``ios_import_in``)::

        crypto pki import <tp> pkcs12 terminal password <pw>
        <64-column base64>
        quit

    The armor lines are kept for the ASA because its own export and every REST API client send
    them; ``quit`` is always sent, since the ASA prompt names only ``quit`` (1.3). 64 columns:
    IOS corrupts long pasted lines (2.4). The device then asks the questions listed in
    `trustpoint` warnings; they are not pre-answered here.

    ``password`` must pass `check_cli_password` (EncodeError otherwise; its advice is issued as a
    `UserWarning`); ``trustpoint`` must pass `check_trustpoint_name`. ``p12_or_der`` is DER (the
    password must open it) or a `PKCS12` (encoded with ``password`` under ``profile``, as in
    `export_text`).
    """
    dialect = platform_dialect(platform, "import_session")
    check_trustpoint_name(trustpoint)
    for kind, advice in password_findings(password, platform, pem=False):
        if kind == "short":  # the charset note is general advice, not worth a warning
            warnings.warn(advice, UserWarning, stacklevel=2)
    der = _pkcs12_der(p12_or_der, password, platform, profile, random, "import_session")
    lines = pem.base64_lines(der, 64)
    if dialect == "asa":
        head = [f"crypto ca import {trustpoint} pkcs12 {password}", _ASA_BEGIN, *lines, _ASA_END]
    else:
        head = [f"crypto pki import {trustpoint} pkcs12 terminal password {password}", *lines]
    return "\n".join([*head, "quit"]) + "\n"
