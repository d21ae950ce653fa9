"""Cisco IOS / IOS-XE / ASA terminal text around PKCS#12.

Exports: Transcript, parse_transcript, looks_like_transcript, VARIANTS (reading transcripts,
from `transcripts`); export_text, import_session, check_cli_password, check_trustpoint_name,
PLATFORMS, default_profile (writing them); Trustpoint, trustpoint (what a device makes of a
PKCS#12); parse_pem_transcript, pem_transcript, pem_import_session, evp_bytes_to_key,
PEM_CIPHERS (IOS PEM transcripts); show_certificates (``show crypto ca|pki certificates``
preview); hostname_matches, check_hostname (RFC 6125 / RFC 9525 name checks).

One module per concept: `platforms` (platform names, trustpoint-name and password rules, the
default profile), `sessions` (exports and import sessions), `trustpoints` (the trustpoint
view), `show` (the certificates preview), `pem_transcripts` (IOS PEM), `hostname` (name
checks) and `names` (distinguished names as the devices print them).

The formats are described in the project's Cisco notes (docs/cisco-formats.md#grammar).
The PKCS#12 itself is RFC 7292; the armor is base64 (RFC 4648 section 4), bare or between
RFC 7468-style ``-----BEGIN PKCS12-----`` boundaries.
"""

from __future__ import annotations

from ..transcripts import VARIANTS, Transcript, looks_like_transcript, parse_transcript
from .hostname import check_hostname, hostname_matches
from .pem_transcripts import (
    PEM_CIPHERS,
    evp_bytes_to_key,
    parse_pem_transcript,
    pem_import_session,
    pem_transcript,
)
from .platforms import (
    PLATFORMS,
    check_cli_password,
    check_trustpoint_name,
    default_profile,
)
from .sessions import export_text, import_session
from .show import show_certificates
from .trustpoints import Trustpoint, trustpoint

__all__ = [
    "Transcript",
    "parse_transcript",
    "looks_like_transcript",
    "VARIANTS",
    "PLATFORMS",
    "default_profile",
    "export_text",
    "import_session",
    "check_cli_password",
    "check_trustpoint_name",
    "Trustpoint",
    "trustpoint",
    "PEM_CIPHERS",
    "evp_bytes_to_key",
    "parse_pem_transcript",
    "pem_transcript",
    "pem_import_session",
    "show_certificates",
    "hostname_matches",
    "check_hostname",
]
