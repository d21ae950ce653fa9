"""Cisco platforms and the CLI tokens a device takes: trustpoint names and passwords.

Exports: PLATFORMS, platform_dialect, check_trustpoint_name, check_cli_password,
password_findings, default_profile.

The rules are the project's Cisco notes (docs/cisco-formats.md#asa-import, 1.4, 2.7, 5.1, 5.2, 6.4): what the
IOS / IOS-XE and ASA command lines accept as a trustpoint label or a PKCS#12 password.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import EncodeError
from ..targets import profile_for
from ..transcripts import PLATFORMS

if TYPE_CHECKING:
    from ..profiles import Profile

__all__ = [
    "PLATFORMS",
    "platform_dialect",
    "check_trustpoint_name",
    "check_cli_password",
    "password_findings",
    "default_profile",
]


# PLATFORMS (the platform names accepted by the writers, aliases mapped to the two terminal
# dialects) lives in `transcripts`, where the command's parser reads it.

# Trustpoint labels seen on devices are letters, digits, '.', '_' and '-' (docs/cisco-formats.md#asa-import, docs/cisco-formats.md#asa-layout,
# 5.2: "vpn.chuck.com-2017", "2018-10-TrustPoint", "CISCO_IDEVID_SUDI", "TP-self-signed-...").
# Anything else (spaces end the token, '?' is CLI help, quotes are parsed) is refused.
_TRUSTPOINT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_RECOMMENDED_PASSWORD = re.compile(r"[A-Za-z0-9]{8,64}")


def platform_dialect(platform: object, where: str) -> str:
    """The dialect ("asa" or "ios") of a platform name; EncodeError for an unknown one."""
    if not isinstance(platform, str):
        raise TypeError(f"{where}: platform must be str, not {type(platform).__name__}")
    dialect = PLATFORMS.get(platform.lower())
    if dialect is None:
        raise EncodeError(
            f"{where}: unknown platform {platform!r}; expected one of {', '.join(sorted(PLATFORMS))}"
        )
    return dialect


def check_trustpoint_name(name: str) -> str:
    """Return ``name`` if a Cisco CLI takes it as a trustpoint label, else raise EncodeError.

    Letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit (the labels in
    docs/cisco-formats.md#asa-import, docs/cisco-formats.md#asa-layout and docs/cisco-formats.md#ios-xe-layout). Whitespace would end the token; ``?`` opens CLI help (6.4).
    """
    if not isinstance(name, str):
        raise TypeError(f"trustpoint name must be str, not {type(name).__name__}")
    if not name:
        raise EncodeError("trustpoint name: empty")
    if _TRUSTPOINT_NAME.fullmatch(name) is None:
        bad = next((c for c in name if not (c.isascii() and (c.isalnum() or c in "._-"))), name[0])
        raise EncodeError(
            f"trustpoint name {name!r}: character {_describe(bad)} is not allowed (use letters, "
            "digits, '.', '_' and '-', starting with a letter or digit)"
        )
    return name


def _describe(char: str) -> str:
    if char == " ":
        return "' ' (space)"
    if char.isspace() or not char.isprintable() or not char.isascii():
        return f"U+{ord(char):04X}"
    return f"'{char}'"


def check_cli_password(password: str, platform: str, *, pem: bool = False) -> tuple[str, ...]:
    """Refuse a password the device CLI cannot take as typed; return advice for the rest.

    Hard rules (EncodeError; the message never contains the password), docs/cisco-formats.md#passwords:

    - empty: IOS answers ``% Incomplete command`` (2.7), and a PKCS#12 import needs a password;
    - ``?`` opens CLI help on IOS and ASA, so it can never be typed inside an argument;
    - whitespace ends the token (ASA takes the password positionally);
    - quotes (``"`` or ``'``): the ASA strips double quotes (1.3), so the device would derive
      its keys from another password than the file was written with;
    - non-ASCII or control characters: the terminal sends bytes whose encoding is unknown;
    - ASA: the word ``nointeractive`` in the password position is a keyword (1.4);
    - with ``pem=True``: fewer than 8 characters, which IOS refuses for PEM key export
      (``% Passphrase is too short, needs to be at least 8 chars``, 6.4, verified on a device).

    Advice (returned, not raised): fewer than 8 characters for a PKCS#12 on IOS (the minimum is
    verified only for PEM export), and characters outside ``[A-Za-z0-9]`` or a length over 64
    (docs/cisco-formats.md#passwords recommends 8-64 alphanumerics; other characters are not known to fail).
    """
    return tuple(text for _, text in password_findings(password, platform, pem))


def password_findings(password: str, platform: str, pem: bool) -> list[tuple[str, str]]:
    """`check_cli_password`'s checks; returns (kind, advice) pairs, kind "short" or "charset"."""
    if not isinstance(password, str):
        raise TypeError(f"password must be str, not {type(password).__name__}")
    dialect = platform_dialect(platform, "password")
    if not password:
        raise EncodeError("password: empty; Cisco imports need a password on the command line")
    # Messages name the rule a character breaks, never its position nor the password's length:
    # an error can land in a log or a CI report, and either narrows a guess (issue 15 row 16).
    for char in password:
        if char == "?":
            raise EncodeError(
                "password: it holds '?', which opens CLI help on IOS and ASA and "
                "cannot be typed inside a command"
            )
        if char.isspace():
            raise EncodeError(
                "password: it holds whitespace, which ends the password token on "
                "the command line"
            )
        if char in "\"'":
            raise EncodeError(
                "password: it holds a quote; the device CLI parses quotes (the ASA "
                "strips them) and would not use the password as written"
            )
        if not char.isascii() or not char.isprintable():
            raise EncodeError(
                "password: it holds a character that is not printable ASCII; what a terminal sends for "
                "it is unknown"
            )
    if dialect == "asa" and password.lower() == "nointeractive":
        raise EncodeError("password: 'nointeractive' is a keyword of the ASA import command")
    if pem and len(password) < 8:
        raise EncodeError(
            "password: shorter than 8 characters; IOS refuses PEM key export passphrases "
            "shorter than 8 ('% Passphrase is too short, needs to be at least 8 chars')"
        )
    advice = []
    if dialect == "ios" and not pem and len(password) < 8:
        advice.append(("short",
            "password has fewer than 8 characters; IOS requires 8 for PEM key export and may "
            "for PKCS#12 too (unverified): use at least 8"
        ))
    if _RECOMMENDED_PASSWORD.fullmatch(password) is None and len(password) >= 8:
        advice.append(("charset",
            "password has characters outside [A-Za-z0-9] or more than 64 characters; automation "
            "uses 8-64 alphanumerics, the only form known to work on every platform"
        ))
    return advice


def default_profile(platform: str) -> Profile:
    """The profile to write for ``platform`` ("asa", "ftd", "ios", "iosxe", "ios-xe" ...):
    `targets.profile_for`, i.e. LEGACY_3DES for every Cisco platform but IOS-XE 26 (docs/cisco-formats.md
    "Profiles": 3DES key and certificates, HMAC-SHA1, safe everywhere)."""
    try:
        return profile_for(platform)
    except ValueError:
        return profile_for(PLATFORMS.get(platform.lower(), platform))
