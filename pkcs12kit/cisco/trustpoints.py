"""What a Cisco device makes of a PKCS#12 it imports into a trustpoint.

Exports: Trustpoint, trustpoint.

Every platform rule here comes from docs/cisco-formats.md#trustpoints-and-chains (and 1.3, 1.8, 2.4): which certificate
the trustpoint keeps, which extra trustpoints the device creates, and what it will ask.
"""

from __future__ import annotations

import dataclasses

from .. import chain as _chain
from ..model import PKCS12, CertEntry, KeyEntry
from .names import issuer_text, self_signed, subject_text
from .platforms import check_trustpoint_name, platform_dialect

__all__ = ["Trustpoint", "trustpoint"]

# More certificates outside the chain than this are summarised in one warning.
_LIST_AT_MOST = 3


@dataclasses.dataclass(frozen=True)
class Trustpoint:
    """What a Cisco device makes of a PKCS#12 when it imports it into trustpoint ``name``.

    ``key``/``certificate``: the identity (`KeyEntry`/`CertEntry`, None when absent);
    ``issuer``: the CA certificate that issued it and that the trustpoint keeps (None when the
    identity is self-signed or its issuer is not in the file); ``chain``: every issuer in the
    file, leaf's issuer first, root last; ``extra``: ``(trustpoint name, CertEntry)`` for each
    CA the device puts into an additional trustpoint (IOS ``<tp>-rrrN`` when you answer "yes",
    ASA ``<tp>-1``); ``warnings``: what the device will ask or do, and what will go wrong.
    docs/cisco-formats.md#trustpoints-and-chains is the source of every platform rule here.
    """

    key: KeyEntry | None
    certificate: CertEntry | None
    issuer: CertEntry | None
    chain: tuple[CertEntry, ...]
    warnings: tuple[str, ...] = ()
    platform: str | None = None
    name: str = "TP"
    extra: tuple[tuple[str, CertEntry], ...] = ()


def trustpoint(p12: PKCS12, platform: str | None = None, *, name: str = "TP") -> Trustpoint:
    """The trustpoint view of ``p12`` on ``platform`` (``"ios"``, ``"asa"`` or None for checks
    common to both), with warnings for what the device will do (docs/cisco-formats.md#trustpoints-and-chains, docs/cisco-formats.md#asa-import, docs/cisco-formats.md#ftd, docs/cisco-formats.md#ios-import):

    - no private key, several keys, a key without a certificate, or a key that does not match
      its certificate (`chain.public_key_matches`);
    - a non-self-signed identity whose issuer is not in the file (the trustpoint cannot be
      authenticated; FMC says "Fail to configure CA certificate");
    - IOS: an issuing CA that is not self-signed makes IOS-XE ask ``% Do you also want to
      create trustpoints for CAs higher in the hierarchy? [yes/no]:``; "yes" creates
      ``<tp>-rrr1``, ``<tp>-rrr2``... for the CAs above it, re-created on every import;
    - ASA: the issuing CA goes into the trustpoint ("is a subordinate CA and holds a non
      self-signed certificate" when it is not a root) and the root into an extra trustpoint
      ``<tp>-1`` (naming beyond one extra CA unverified);
    - a trustpoint keeps two certificates (identity and issuer); other certificates in the file
      go to extra trustpoints or are not imported.
    """
    if not isinstance(p12, PKCS12):
        raise TypeError(f"trustpoint: expected a PKCS12, not {type(p12).__name__}")
    dialect = None if platform is None else platform_dialect(platform, "trustpoint")
    check_trustpoint_name(name)
    key, cert = p12.key, p12.certificate
    issuers = p12.chain
    issuer = issuers[0] if issuers else None
    warnings: list[str] = []

    if key is None:
        warnings.append(
            "no private key: the device imports a PKCS#12 as its own identity and needs the key "
            "(for CA certificates alone use 'crypto ca|pki authenticate' or the trustpool)"
        )
    else:
        if len(p12.keys) > 1:
            warnings.append(f"{len(p12.keys)} private keys: the device imports one identity key")
        if cert is None:
            warnings.append("no certificate for the private key: the trustpoint needs the identity certificate")
        elif _chain.public_key_matches(key, cert) is False:
            warnings.append(
                f"the private key does not match the public key of the identity certificate "
                f"({subject_text(cert)}): the device cannot use this identity"
            )
    if cert is not None and issuer is None and not self_signed(cert):
        warnings.append(
            f"the issuer of the identity certificate ({issuer_text(cert)}) is not in the file: "
            "the trustpoint cannot be authenticated (FMC: 'Fail to configure CA certificate'); "
            "add the issuing CA certificate"
        )

    above = issuers[1:]
    extra: list[tuple[str, CertEntry]] = []
    if issuer is not None and not self_signed(issuer):
        root_missing = not self_signed(issuers[-1])
        if dialect == "ios":
            extra = [(f"{name}-rrr{n}", ca) for n, ca in enumerate(above, 1)]
            created = ", ".join(f"{tp} ({subject_text(ca)})" for tp, ca in extra) or "none (no CA above the issuer is in the file)"
            warnings.append(
                "IOS-XE asks '% The CA cert is not self-signed.' / '% Do you also want to create "
                "trustpoints for CAs higher in the hierarchy? [yes/no]:'; answer yes so that the "
                f"device can send the full chain; it creates: {created} (the numbering order is "
                "unverified); they are re-created on every import and pile up on renewals"
            )
        elif dialect == "asa":
            warnings.append(
                f"the ASA reports \"Trustpoint '{name}' is a subordinate CA and holds a non "
                f"self-signed certificate.\": the issuing CA ({subject_text(issuer)}) goes into "
                f"'{name}'"
            )
            if above:
                extra = [(f"{name}-{n}", ca) for n, ca in enumerate(above, 1)]
                created = ", ".join(f"{tp} ({subject_text(ca)})" for tp, ca in extra)
                suffix = "" if len(extra) == 1 else " (names beyond -1 are unverified)"
                warnings.append(f"the ASA creates an additional trustpoint for the CAs above the issuer: {created}{suffix}")
        if root_missing and dialect is not None:
            warnings.append(
                f"the root CA above {subject_text(issuers[-1])} is not in the file: the device "
                "cannot build the chain to a root"
            )
    others = [c for c in p12.certificates if c is not cert and all(c is not i for i in issuers)]
    if dialect is not None and len(issuers) > 1:
        warnings.append(
            f"a trustpoint keeps two certificates (identity and issuing CA); the other "
            f"{len(issuers) - 1} CA certificate(s) go to additional trustpoints"
            + (" only if you answer yes" if dialect == "ios" else "")
        )
    if len(others) > _LIST_AT_MOST:
        # A large file (a trust store with the identity in it) is one line, not thousands.
        warnings.append(
            f"{len(others):,} certificates: same warning: {subject_text(others[0])} and {len(others) - 1:,} "
            "more are not in the identity's chain: the device does not import them into this trustpoint"
        )
    else:
        for other in others:
            warnings.append(
                f"certificate {subject_text(other)} is not in the identity's chain: the device does "
                "not import it into this trustpoint"
            )
    return Trustpoint(key, cert, issuer, issuers, tuple(warnings), dialect, name, tuple(extra))
