"""Applying the target table to a decoded PKCS12: the profile to write, the findings, the fixes.

Exports: profile_for, accepting, check, assess.

Unknown target names are programming errors: `profile_for` and `check` raise ``ValueError``
listing the valid names (the CLI turns that into a usage error), not a `PKCS12Error`, which is
reserved for problems with a file.
"""

from __future__ import annotations

import datetime

from ..model import PKCS12, CertEntry
from ..profiles import Profile
from .detect import detect
from .findings import ERROR, NOTE, WARNING, Finding, Target
from .fixes import api_fix, cli_fix
from .health import health
from .rules import TARGETS

__all__ = ["profile_for", "accepting", "check", "assess"]


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
    errors come before warnings, warnings before notes, otherwise in the order found. Each
    finding carries an API fix (``fix``) and a CLI fix (``cli_fix``, `pkcs12kit.targets.fixes`).
    Certificate health (expiry, weak keys, the chain's signatures) is `health`; `assess` is both.
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
    unrelated = _unrelated(p12) if any(feature == "unrelated-certificates" for feature in features.values()) else ()
    for key, wheres in places.items():
        feature = features[key]
        rule = spec.rules[feature]
        findings.append(Finding(rule.code, rule.severity, f"{'; '.join(wheres)}: {rule.reason}",
                                _fix(feature, spec), cli_fix(feature, spec, unrelated=unrelated)))
    order = {ERROR: 0, WARNING: 1, NOTE: 2}
    findings.sort(key=lambda finding: order[finding.severity])
    return findings


def _unrelated(p12: PKCS12) -> tuple[CertEntry, ...]:
    """The certificates outside the identity's chain (what ``repack --drop-cert`` should drop)."""
    members = {id(entry) for entry in (p12.certificate, *p12.chain) if entry is not None}
    return tuple(entry for entry in p12.certificates if id(entry) not in members)


def _fix(feature: str, spec: Target) -> str:
    return api_fix(feature, spec)


def assess(p12: PKCS12, target: str | Target, *, password: str | bytes | None = None,
           at: datetime.datetime | datetime.date | str | None = None, days: int = 30) -> list[Finding]:
    """What every ``pkcs12kit`` command reports for ``target``: `check` (what the target
    refuses) and `health` (expiry, keys, signatures, the chain, the use the target makes of the
    identity: ``Target.use``), errors first, then warnings, then notes. A health finding whose
    code `check` already raised is not repeated. ``at`` and ``days`` as in `health`."""
    spec = _target(target)
    findings = check(p12, spec, password=password)
    codes = {finding.code for finding in findings}
    findings += [finding for finding in health(p12, at=at, days=days, use=spec.use) if finding.code not in codes]
    order = {ERROR: 0, WARNING: 1, NOTE: 2}
    findings.sort(key=lambda finding: order[finding.severity])
    return findings
