"""Import targets: which profile to write for a system, and every reason it would refuse a file.

Exports: Target, Rule, Finding, TARGETS, FINDING_CODES, profile_for, check, accepting, assess,
health, HEALTH_RULES, validity_status, render_cli_fix, NOTE, SEVERITIES.

Severities, the same in every command (docs/cli.md#severities): ``error`` = the target refuses
the file or the data is unusable; ``warning`` = it may fail, or it is [unverified]; ``note`` =
for your information.

`health(p12, *, at=None, days=30, use=None) -> list[Finding]` is the certificate health engine
(`pkcs12kit.targets.health`): expiry against ``at`` (default now), weak keys and signatures, the
chain's issuer signatures, extendedKeyUsage for a ``use`` ("server"/"client"), host-name notes.
`assess(p12, target, ...)` is `check` plus `health` for the target's use: what the CLI reports.

A *target* is a system that imports PKCS#12 files (a Cisco platform, an OS key store, a JDK, an
OpenSSL build). Each one names the `Profile` pkcs12kit should write for it and a table of rules:
which properties of a decoded file it refuses (severity ``"error"``) or may refuse, where the
evidence is thin (severity ``"warning"``). `check` inspects a decoded `PKCS12` the way the
target would and returns one `Finding` per problem, each with the reason and a fix.

The facts come from two research notes kept with the project: the Cisco one (docs/cisco-formats.md,
sections 6 "Algorithm compatibility", 7 "Trustpoint contents and chain handling", and
"Profiles (what pkcs12kit should emit so the device imports it)") and the peer survey
(docs/interop.md#consumers, "Interoperability constraints for consumers"). Claims marked
[unverified] there are warnings here, never errors. docs/targets.md has the tables.

Unknown target names are programming errors: `profile_for` and `check` raise ``ValueError``
listing the valid names (the CLI turns that into a usage error), not a `PKCS12Error`, which is
reserved for problems with a file.

The package keeps the table apart from the code that applies it:

- `findings`: the types (`Finding`, `Rule`, `Target`), the severities and the file features;
- `rules`: the table, `TARGETS` and `FINDING_CODES` (data only);
- `detect`: reading the features of a decoded file (protection, keys, certificates, identity,
  password);
- `engine`: `profile_for`, `check`, `accepting`, `assess`;
- `fixes`: the API and CLI fix of every finding (data);
- `health`: certificate health (data-driven, like `rules`).
"""

from __future__ import annotations

from .engine import accepting, assess, check, profile_for

# The severity strings were attributes of the old single module (not in __all__); they still are.
from .findings import ERROR as ERROR
from .findings import WARNING as WARNING
from .findings import NOTE, SEVERITIES, Finding, Rule, Target
from .fixes import render_cli_fix
from .health import HEALTH_RULES, health, validity_status
from .rules import FINDING_CODES, TARGETS

__all__ = ["Target", "Rule", "Finding", "TARGETS", "FINDING_CODES", "profile_for", "check", "accepting",
           "assess", "health", "HEALTH_RULES", "validity_status", "render_cli_fix", "NOTE", "SEVERITIES"]
