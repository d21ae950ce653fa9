"""Applying the target table to a decoded PKCS12: the profile to write, the findings, the fixes.

Exports: profile_for, accepting, check.

Unknown target names are programming errors: `profile_for` and `check` raise ``ValueError``
listing the valid names (the CLI turns that into a usage error), not a `PKCS12Error`, which is
reserved for problems with a file.
"""

from __future__ import annotations

from ..model import PKCS12
from ..profiles import Profile
from ..protection import Protection
from .detect import detect
from .findings import ERROR, Finding, Target
from .rules import TARGETS

__all__ = ["profile_for", "accepting", "check"]


def _target(target: str | Target) -> Target:
    if isinstance(target, Target):
        return target
    if not isinstance(target, str):
        raise TypeError(f"target must be a target name or a Target, not {type(target).__name__}")
    name = _ALIASES.get(target.lower(), target.lower())
    try:
        return TARGETS[name]
    except KeyError:
        raise ValueError(f"unknown target {target!r}; valid targets: {', '.join(TARGETS)}") from None


# Other spellings people use for a target (the device CLI's own "IOS-XE", "Cisco ASA" ...).
_ALIASES = {"ios-xe": "iosxe", "ios_xe": "iosxe", "iosxe-17.9": "iosxe", "ios-xe-26": "iosxe-26"}


def profile_for(target: str | Target) -> Profile:
    """The profile to write so that ``target`` imports the file (docs/cisco-formats.md#emit-profiles).

    Raises ``ValueError`` (listing the valid names) for an unknown target name.
    """
    return _target(target).profile


def accepting(p12: PKCS12, password: str | bytes | None = None) -> tuple[str, ...]:
    """The names of the targets for which `check` finds no error (warnings allowed)."""
    return tuple(name for name in TARGETS
                 if not any(f.severity == ERROR for f in check(p12, name, password=password)))


def check(p12: PKCS12, target: str | Target, *, password: str | bytes | None = None) -> list[Finding]:
    """Every reason ``target`` would refuse (error) or might refuse (warning) the decoded ``p12``.

    Inspects how the file is protected (``p12.safes``, each key's ``protection``, ``p12.mac``),
    its keys (type, size, curve), its certificates (signature algorithm), the identity (key and
    certificate pairing, RFC 7292 localKeyId) and its chain (RFC 5280 issuer names), then applies
    the target's rules. ``password``, when given, is checked against the target's CLI rules; it
    never appears in a message. Returns an empty list when the target will accept the file;
    errors come before warnings, otherwise in the order found.
    """
    if not isinstance(p12, PKCS12):
        raise TypeError(f"p12 must be a PKCS12, not {type(p12).__name__}")
    spec = _target(target)
    # One finding per rule, listing every place it applies to (a PBES2 file has the same
    # problem in its certificate safe and its key).
    places: dict[tuple[str, str], list[str]] = {}
    features: dict[tuple[str, str], str] = {}
    for feature, where in detect(p12, spec, password):
        rule = spec.rules.get(feature)
        if rule is None:
            continue
        key = (rule.code, rule.reason)
        features.setdefault(key, feature)
        if where not in places.setdefault(key, []):
            places[key].append(where)
    findings = []
    for key, wheres in places.items():
        rule = spec.rules[features[key]]
        findings.append(Finding(rule.code, rule.severity, f"{'; '.join(wheres)}: {rule.reason}",
                                _fix(features[key], spec)))
    findings.sort(key=lambda f: f.severity != ERROR)
    return findings


# --- fixes -----------------------------------------------------------------------------------

_CIPHER_NAMES: dict[str | None, str] = {
    "pkcs12_sha1_tripledes_3key": "3DES",
    "pkcs12_sha1_rc2_40": "RC2-40",
    "aes256_cbc": "AES-256-CBC",
}


def _summary(profile: Profile) -> str:
    """A short account of a profile: ``"LEGACY_3DES: 3DES key and certificates, HMAC-SHA1 MAC"``."""

    def cipher(protection: Protection | None) -> str:
        if protection is None:
            return "unencrypted"
        if protection.scheme == "pbes2":
            return f"PBES2 {_CIPHER_NAMES.get(protection.cipher, protection.cipher)}"
        return _CIPHER_NAMES.get(protection.scheme, protection.scheme)

    key, certs = cipher(profile.key_protection), cipher(profile.cert_protection)
    parts = [f"{key} key and certificates" if key == certs else f"{key} key, {certs} certificates"]
    if profile.mac is None:
        parts.append("no MAC")
    elif profile.mac.kind == "pbmac1":
        parts.append(f"PBMAC1 HMAC-{profile.mac.digest.upper()} MAC")
    else:
        parts.append(f"HMAC-{profile.mac.digest.upper()} MAC")
    return f"{profile.name}: {', '.join(parts)}"


_REENCODE = {"pbes2", "scrypt", "rc2-40", "tripledes-2key", "legacy-cipher", "mac-sha256", "mac-other",
             "pbmac1", "no-mac", "no-encryption", "keybag", "unencrypted-key", "iterations-high"}

_FIXES = {
    "pss-certificate": "have the certificates re-issued with a PKCS#1 v1.5 signature (sha256WithRSAEncryption) "
                       "or ECDSA, and no RSASSA-PSS keys",
    "ec-explicit": "use a named curve (P-256, P-384) for keys and certificates",
    "key-ec": "use an RSA-2048 key for this target",
    "key-ec-ssh": "pin the SSH host key algorithms (`ip ssh server algorithm hostkey rsa-sha2-512 rsa-sha2-256`) "
                  "or use an RSA key",
    "key-other": "use an RSA-2048 key for this target",
    "rsa-large": "use an RSA key of at most {bits} bits",
    "key-unreadable": "check the file with `openssl pkcs12 -info`; re-export the key and certificates",
    "no-private-key": "export the identity with its private key (`openssl pkcs12 -export -inkey ...`)",
    "no-certificate": "add the certificate issued for the key (PKCS12.build(key=..., certificate=...))",
    "multiple-keys": "write one key and its certificate chain per file",
    "key-certificate-mismatch": "put the private key that belongs to the certificate in the file (compare "
                                "`openssl x509 -pubkey` with `openssl pkey -pubout`)",
    "no-local-key-id": "rebuild with PKCS12.build(key=p12.key.der, certificate=p12.certificate.der, "
                       "chain=[c.der for c in p12.chain]), which gives the key and its certificate a "
                       "localKeyId (SHA-1 of the certificate)",
    "missing-issuer": "add the issuing CA certificate (and its issuers up to the root) to the file",
    "incomplete-chain": "add the root CA certificate to the file",
    "intermediate-trustpoints": "answer 'yes' to the hierarchy prompt and delete the old <label>-rrrN trustpoints "
                                "on renewal, or include only the issuing CA",
    "extra-trustpoint": "expect a second trustpoint (<tp>-1) for the root and delete it too before re-importing, "
                        "or include only the issuing CA",
    "unrelated-certificates": "remove the certificates that are not in the identity's chain",
    "chain-order": "rebuild with PKCS12.build(...), which writes leaf, then issuers up to the root",
    "password-legacy-encoding": "re-encode with the same password: pkcs12kit writes the standard (BMPString) "
                                "encoding",
    "password-non-ascii": "use an ASCII password (8-64 characters from [A-Za-z0-9] suit every target)",
    "password-question-mark": "use a password of 8-64 characters from [A-Za-z0-9]",
    "password-whitespace": "use a password of 8-64 characters from [A-Za-z0-9]",
    "password-symbols": "use a password of 8-64 characters from [A-Za-z0-9]",
    "password-short": "use a password of at least 8 characters",
}


def _fix(feature: str, spec: Target) -> str:
    if feature in _REENCODE:
        return (f"re-encode with targets.profile_for({spec.name!r}) ({_summary(spec.profile)}): "
                f"pkcs12kit.dumps(p12, password, profile=targets.profile_for({spec.name!r}))")
    return _FIXES[feature].format(bits=spec.rsa_max_bits)
