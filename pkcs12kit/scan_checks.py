"""What `pkcs12kit.scan` reports about one decoded file: contents, protection, certificate health.

Exports: SEVERITIES, contents_doc, protection_doc, certificate_health, protection_findings,
target_findings, worst.

Each function takes a decoded `PKCS12` and returns plain JSON values (docs/scan.md#schema), so
a report crosses process boundaries and serialises as it is. A finding is a dict
``{"code", "severity", "message"}`` with severity ``"info"`` < ``"warning"`` < ``"error"``.

`certificate_health` is deliberately small (expiry, key match, weak key, weak signature) and
isolated: a fuller certificate-health check can replace it without touching the rest.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from . import targets as target_rules
from .chain import public_key_matches
from .model import PKCS12
from .parsed import key_size

__all__ = ["SEVERITIES", "contents_doc", "protection_doc", "certificate_health", "protection_findings",
           "target_findings", "worst"]

SEVERITIES = ("info", "warning", "error")

Finding = dict[str, str]

# Ciphers that give no real protection today: RC2 (40-bit in the classic export), RC4, single
# DES; RFC 8018 section 6.1 keeps PBES1 for compatibility only. 3DES is legacy but still what
# Cisco devices and old Windows write, so it is only noted.
_WEAK_CIPHERS = ("rc2", "rc4", "des")
_LEGACY_CIPHERS = ("tripledes_3key", "tripledes_2key", "tripledes")
# NIST SP 800-132 section 5.2 asks for at least 1,000 iterations (OpenSSL writes 2048).
MIN_ITERATIONS = 1000
_WEAK_HASHES = ("md2", "md4", "md5", "sha1")


def _finding(code: str, severity: str, message: str) -> Finding:
    return {"code": code, "severity": severity, "message": message}


def worst(findings: list[Finding]) -> str:
    """The highest severity among ``findings``, or ``"none"``."""
    ranks = [SEVERITIES.index(f["severity"]) for f in findings if f["severity"] in SEVERITIES]
    return SEVERITIES[max(ranks)] if ranks else "none"


def contents_doc(p12: PKCS12) -> dict[str, Any]:
    """How many entries of each kind, and the identity's subject (RFC 7292 section 4.2 bag types)."""
    identity = p12.certificate
    subject = None
    if identity is not None:
        try:
            subject = identity.certificate.subject.human_friendly
        except Exception:  # an unparsable certificate is reported by certificate_health
            subject = None
    return {"keys": len(p12.keys), "certificates": len(p12.certificates), "crls": len(p12.crls),
            "secrets": len(p12.secrets), "unknown_bags": len(p12.unknown_bags),
            "identity": subject, "chain_length": len(p12.chain) if identity is not None else 0}


def _scheme_doc(protection: Any) -> dict[str, Any]:
    return {"scheme": protection.scheme, "cipher": protection.cipher, "kdf": protection.kdf,
            "prf": protection.prf, "iterations": protection.iterations}


def protection_doc(p12: PKCS12) -> dict[str, Any]:
    """The MAC (RFC 7292 section 4; RFC 9579) and the scheme of every encrypted safe and key."""
    mac = None
    if p12.mac is not None:
        mac = {"kind": p12.mac.kind, "digest": p12.mac.digest, "iterations": p12.mac.iterations,
               "verified": p12.mac_verified}
    safes = [{"kind": safe.kind, **(_scheme_doc(safe.protection) if safe.protection is not None else {})}
             for safe in p12.safes]
    keys = [_scheme_doc(key.protection) for key in p12.keys if key.protection is not None]
    return {"mac": mac, "safes": safes, "keys": keys}


def protection_findings(p12: PKCS12) -> list[Finding]:
    """Weak schemes: no MAC, a SHA-1/MD5 MAC, RC2/RC4/DES, low iteration counts."""
    findings: list[Finding] = []
    if p12.mac is None:
        findings.append(_finding("no-mac", "warning", "the file has no MAC: its integrity is not protected"))
    elif p12.mac.digest in _WEAK_HASHES:
        findings.append(_finding("weak-mac", "warning", f"the MAC uses {p12.mac.digest.upper()}"))
    if p12.mac is not None and p12.mac.iterations < MIN_ITERATIONS:
        findings.append(_finding("low-iterations", "warning",
                                 f"the MAC key is derived with {p12.mac.iterations} iterations"))
    places = [(f"safe {index}", safe.protection) for index, safe in enumerate(p12.safes)]
    places += [(f"key {index}", key.protection) for index, key in enumerate(p12.keys)]
    for where, protection in places:
        if protection is None:
            continue
        cipher = (protection.cipher or "").lower()
        if cipher in _WEAK_CIPHERS or cipher.startswith("rc2"):
            bits = f"-{protection.rc2_bits}" if protection.rc2_bits else ""
            findings.append(_finding("weak-encryption", "warning", f"{where}: {cipher.upper()}{bits} ({protection.scheme})"))
        elif cipher in _LEGACY_CIPHERS:
            findings.append(_finding("legacy-encryption", "info", f"{where}: 3DES ({protection.scheme})"))
        if protection.iterations is not None and protection.iterations < MIN_ITERATIONS:
            findings.append(_finding("low-iterations", "warning",
                                     f"{where}: key derived with {protection.iterations} iterations"))
    return findings


def _or_none(read: Any) -> Any:
    # asn1crypto answers some questions only for some algorithms (an Ed25519 signature has no
    # separate hash; bit_size needs a known key type).
    try:
        return read()
    except Exception:
        return None


def certificate_health(p12: PKCS12, now: datetime.datetime, expiring_days: int = 30
                       ) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The identity certificate's validity (RFC 5280 section 4.1.2.5), key match, key size and
    signature hash. Returns ``(doc, findings)``; ``(None, [])`` for a file with no certificate."""
    entry = p12.certificate
    if entry is None:
        return None, []
    findings: list[Finding] = []
    try:
        cert = entry.certificate
        not_after = cert["tbs_certificate"]["validity"]["not_after"].native
        public = cert.public_key
        doc: dict[str, Any] = {
            "subject": cert.subject.human_friendly, "issuer": cert.issuer.human_friendly,
            "not_after": not_after.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "days_left": math.floor((not_after - now).total_seconds() / 86400),
            "key_algorithm": public.algorithm, "key_bits": _or_none(lambda: key_size(public, "certificate public key")),
            "signature_hash": _or_none(lambda: cert.hash_algo), "self_signed": cert.self_signed != "no",
            "key_match": None,
        }
    except Exception as err:  # asn1crypto raises plain ValueError/TypeError on a broken certificate
        return ({"error": f"unparsable certificate ({type(err).__name__})"},
                [_finding("bad-certificate", "error", "the identity certificate cannot be parsed")])
    if p12.key is not None:
        doc["key_match"] = public_key_matches(p12.key, entry)
        if doc["key_match"] is False:
            findings.append(_finding("key-mismatch", "error", "the private key does not match the certificate"))
    if doc["days_left"] < 0:
        findings.append(_finding("expired", "error", f"the certificate expired on {doc['not_after']}"))
    elif doc["days_left"] < expiring_days:
        findings.append(_finding("expiring", "warning", f"the certificate expires in {doc['days_left']} days"))
    minimum = {"rsa": 2048, "rsassa_pss": 2048, "dsa": 2048, "ec": 224}.get(doc["key_algorithm"])
    if minimum is not None and doc["key_bits"] is not None and doc["key_bits"] < minimum:
        findings.append(_finding("weak-key", "warning", f"{doc['key_algorithm'].upper()}-{doc['key_bits']} key"))
    # A self-signed root's own signature is never checked by a relying party (RFC 5280 6.1).
    if doc["signature_hash"] in _WEAK_HASHES and not doc["self_signed"]:
        findings.append(_finding("weak-signature", "warning", f"signed with {doc['signature_hash'].upper()}"))
    return doc, findings


def target_findings(p12: PKCS12, names: tuple[str, ...], password: str | None
                    ) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    """`pkcs12kit.targets.check` for each target: ``{name: {"ready", "codes"}}`` and the findings,
    coded ``target:NAME:CODE``. The password is checked against the targets' rules, never copied."""
    per_target: dict[str, dict[str, Any]] = {}
    flat: list[Finding] = []
    for name in names:
        found = target_rules.check(p12, name, password=password)
        per_target[name] = {"ready": not any(f.severity == "error" for f in found),
                            "codes": [f.code for f in found]}
        flat.extend(_finding(f"target:{name}:{f.code}", f.severity, f.message) for f in found)
    return per_target, flat
