"""Import targets: which profile to write for a system, and every reason it would refuse a file.

Exports: Target, Rule, Finding, TARGETS, FINDING_CODES, profile_for, check, accepting.

A *target* is a system that imports PKCS#12 files (a Cisco platform, an OS key store, a JDK, an
OpenSSL build). Each one names the `Profile` pkcs12kit should write for it and a table of rules:
which properties of a decoded file it refuses (severity ``"error"``) or may refuse, where the
evidence is thin (severity ``"warning"``). `check` inspects a decoded `PKCS12` the way the
target would and returns one `Finding` per problem, each with the reason and a fix.

The facts come from two research notes kept with the project: the Cisco one (cisco/FORMATS.md,
sections 6 "Algorithm compatibility", 7 "Trustpoint contents and chain handling", and
"Profiles (what pkcs12kit should emit so the device imports it)") and the peer survey
(research/peers.md section 4, "Interoperability constraints for consumers"). Claims marked
[unverified] there are warnings here, never errors. docs/targets.md has the tables.

Unknown target names are programming errors: `profile_for` and `check` raise ``ValueError``
listing the valid names (the CLI turns that into a usage error), not a `PKCS12Error`, which is
reserved for problems with a file.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Mapping

from .model import PKCS12, KeyEntry, Protection
from .profiles import JAVA, LEGACY_3DES, MODERN, Profile

__all__ = ["Target", "Rule", "Finding", "TARGETS", "FINDING_CODES", "profile_for", "check", "accepting"]

ERROR = "error"
WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class Finding:
    """One reason a target refuses (``"error"``) or may refuse (``"warning"``) a file.

    ``code`` is a stable identifier (see `FINDING_CODES`); ``message`` says what is wrong, where,
    and what the target does about it, citing the evidence; ``fix`` says how to repair it.
    Messages never contain a password, key or plaintext.
    """

    code: str
    severity: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.code}: {self.message} (fix: {self.fix})"


@dataclasses.dataclass(frozen=True)
class Rule:
    """How a target treats one property of a file: the finding ``code`` it raises, its
    ``severity`` (``"error"``: the target is known to refuse; ``"warning"``: refusal is reported
    or likely but [unverified]) and ``reason``, the observed behaviour and its source."""

    code: str
    severity: str
    reason: str

    def __post_init__(self) -> None:
        if self.severity not in (ERROR, WARNING):
            raise ValueError(f"rule {self.code}: severity must be 'error' or 'warning'")


@dataclasses.dataclass(frozen=True)
class Target:
    """A system that imports PKCS#12 files.

    - ``name``: the identifier `profile_for`/`check` take (``"asa"``, ``"iosxe-26"`` ...).
    - ``description``: the system and versions it stands for.
    - ``profile``: what to write so that it imports the file.
    - ``rules``: file property (an internal feature name, see `_FEATURES`) → `Rule`; a property
      without a rule is accepted.
    - ``rsa_max_bits``: a larger RSA key raises the ``"rsa-large"`` rule (None: no limit known).
    - ``max_iterations``: a larger KDF or MAC iteration count raises ``"iterations-high"``.
    - ``cisco``: a Cisco platform: the import fills a trustpoint (one identity and its issuing
      CA, FORMATS.md section 7); the rules say what that implies.
    """

    name: str
    description: str
    profile: Profile
    rules: Mapping[str, Rule] = dataclasses.field(default_factory=dict, repr=False)
    rsa_max_bits: int | None = None
    max_iterations: int | None = None
    cisco: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.rules) - set(_FEATURES)
        if unknown:
            raise ValueError(f"target {self.name}: unknown rule features {sorted(unknown)}")
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))


# --- features -------------------------------------------------------------------------------
# What `check` can detect in a file, independent of any target. A target's rules map some of
# these to a finding code and severity; the table documents them for docs/targets.md.
_FEATURES = {
    "pbes2": "a key or safe encrypted with PBES2 (PBKDF2 + AES or another block cipher, RFC 8018)",
    "scrypt": "PBES2 with the scrypt KDF (RFC 7914)",
    "rc2-40": "pbeWithSHAAnd40BitRC2-CBC (RFC 7292 appendix C), what `openssl -legacy` uses for certificates",
    "tripledes-2key": "pbeWithSHAAnd2-KeyTripleDES-CBC",
    "legacy-cipher": "RC2-64/128, RC4, single DES or PBES1: ciphers OpenSSL 3 keeps in its legacy provider",
    "mac-sha256": "an HMAC-SHA-256 MAC (RFC 7292 section 5, the OpenSSL 3 default)",
    "mac-other": "an HMAC MAC with a digest other than SHA-1 and SHA-256",
    "pbmac1": "a PBMAC1 MAC (RFC 9579)",
    "no-mac": "no MAC at all",
    "no-encryption": "nothing encrypted: no encryptedData safe, no shrouded key",
    "keybag": "a private key in a plain keyBag (not a pkcs8ShroudedKeyBag)",
    "unencrypted-key": "a private key stored with no encryption at all",
    "iterations-high": "a KDF or MAC iteration count above the target's cap",
    "key-ec": "an EC private key",
    "key-ec-ssh": "an EC identity key (side effects on the device's SSH host key)",
    "key-other": "a private key that is neither RSA nor EC (Ed25519, Ed448, DSA, RSASSA-PSS, ML-DSA ...)",
    "ec-explicit": "an EC key or certificate with explicit curve parameters",
    "rsa-large": "an RSA key larger than the target's limit",
    "pss-certificate": "a certificate signed with RSASSA-PSS or holding an RSASSA-PSS key",
    "key-unreadable": "a private key or certificate that cannot be parsed",
    "no-private-key": "no private key in the file",
    "no-certificate": "a private key with no certificate in the file",
    "multiple-keys": "more than one private key",
    "key-certificate-mismatch": "a key whose certificate (or every certificate) certifies another key",
    "no-local-key-id": "the key and its certificate do not share a localKeyId attribute",
    "missing-issuer": "the identity certificate's issuer is not in the file",
    "incomplete-chain": "the chain in the file stops at a CA whose issuer is not in the file",
    "intermediate-trustpoints": "CA certificates above the issuing CA (IOS-XE creates extra trustpoints)",
    "extra-trustpoint": "a root above the issuing CA (the ASA creates an extra trustpoint)",
    "unrelated-certificates": "certificates that are not in the identity's chain",
    "chain-order": "certificates not in leaf → root order",
    "password-legacy-encoding": "the file opened only with OpenSSL's pre-1.1.0 non-ASCII password encoding",
    "password-non-ascii": "a non-ASCII password",
    "password-question-mark": "a password containing '?'",
    "password-whitespace": "a password containing whitespace or quotes",
    "password-symbols": "a password with characters outside [A-Za-z0-9]",
    "password-short": "a password shorter than 8 characters",
}

# --- rules shared by several targets ---------------------------------------------------------

_CSCVZ = ("IOS-XE <= 17.9 rejects a SHA-256 MAC: E_DIGEST_ALG_NOT_SUPPORTED, %PKI-3-PKCS12_IMPORT_FAILURE "
          "(CSCvz41428; C9200L, C8000v)")
_PBMAC1 = ("PBMAC1 (RFC 9579) is read only by OpenSSL >= 3.4, JDK >= 26, BouncyCastle >= 1.80 and "
           "go-pkcs12 >= 0.6")


def _pbmac1(who: str) -> Rule:
    return Rule("pbmac1-unsupported", ERROR, f"{who} cannot verify it: {_PBMAC1}")


def _mismatch(who: str) -> Rule:
    return Rule("key-certificate-mismatch", ERROR,
                f"{who} pairs a key with its certificate by public key; an identity whose key does not "
                "match its certificate cannot sign or decrypt for it")


_UNREADABLE = Rule("key-unreadable", WARNING, "pkcs12kit cannot parse it, so neither can be checked")
_LEGACY_ENCODING = Rule("password-legacy-encoding", ERROR,
                        "only OpenSSL 3 retries the pre-1.1.0 encoding (each UTF-8 byte widened to 16 bits); "
                        "other readers report a wrong password")


def _cisco_rules(platform: str) -> dict[str, Rule]:
    """Rules every Cisco trustpoint import shares (FORMATS.md sections 6.2, 6.3, 7)."""
    return {
        "pbmac1": Rule("pbmac1-unsupported", ERROR,
                       f"no Cisco platform, {platform} included, is known to verify PBMAC1; {_PBMAC1}"),
        "key-certificate-mismatch": _mismatch(platform),
        "key-unreadable": _UNREADABLE,
        "password-legacy-encoding": _LEGACY_ENCODING,
        "no-private-key": Rule("no-private-key", ERROR,
                               f"a {platform} PKCS#12 import installs an identity (key pair + certificate) "
                               "into a trustpoint"),
        "no-certificate": Rule("no-certificate", ERROR,
                               f"a {platform} trustpoint needs the identity certificate with its key"),
        "multiple-keys": Rule("multiple-keys", WARNING,
                              "a trustpoint holds one key pair; which key the device keeps is [unverified]"),
        "unrelated-certificates": Rule("unrelated-certificates", WARNING,
                                       "a trustpoint holds at most the identity certificate and one CA "
                                       "certificate (FORMATS.md 7); other certificates are not imported [unverified]"),
        "no-local-key-id": Rule("no-local-key-id", WARNING,
                                "in every successful Cisco import seen, the key bag and the leaf carry the same "
                                "localKeyID (FORMATS.md 7); pairing without it is [unverified]"),
        "chain-order": Rule("chain-order", WARNING,
                            "successful Cisco imports list leaf, then intermediates, then root (FORMATS.md 7); "
                            "other orders are [unverified]"),
        "missing-issuer": Rule("missing-issuer", WARNING,
                               f"a {platform} trustpoint holds the issuing CA with the identity (FORMATS.md 7); "
                               "import without it is [unverified]"),
        "incomplete-chain": Rule("incomplete-chain", WARNING,
                                 "without the root the device may not build a chain it can verify; ACME tools add "
                                 "it before `crypto pki import` (FORMATS.md 7) [unverified]"),
        "no-encryption": Rule("no-encryption", WARNING,
                              f"{platform} import of an unencrypted PKCS#12 is [unverified]; every Cisco sample "
                              "is 3DES-encrypted"),
        "unencrypted-key": Rule("unencrypted-key", WARNING,
                                f"{platform} import of an unencrypted private key is [unverified]"),
        "no-mac": Rule("no-mac", WARNING,
                       f"{platform} import of a PKCS#12 without a MAC is [unverified]; every Cisco sample has one"),
        "tripledes-2key": Rule("tripledes-2key-unsupported", WARNING,
                               f"{platform} import of 2-key 3DES is [unverified]"),
        "legacy-cipher": Rule("legacy-cipher-unsupported", WARNING,
                              f"{platform} import of RC2-64/128, RC4, DES or PBES1 is [unverified]"),
        "ec-explicit": Rule("ec-explicit-parameters", WARNING,
                            "explicit-parameter (specifiedECDSA) keys and certificates are to be avoided on "
                            "Cisco devices (CSCup44159) [unverified beyond the ASA]"),
        "key-other": Rule("key-type-unsupported", WARNING,
                          f"{platform} imports RSA and EC keys; other key types are [unverified] (ML-DSA "
                          "works on IOS-XE 26.2 only)"),
    }


def _cli_password_rules(platform: str, *, spaces: str | None = None) -> dict[str, Rule]:
    """Rules for a password typed as a CLI argument (FORMATS.md 6.4). ``spaces``: the known
    behaviour with spaces and quotes (an error), or None where it is [unverified]."""
    return {
        "password-question-mark": Rule("password-cli-unsafe", ERROR,
                                       f"'?' invokes CLI help on {platform} and cannot be typed in an argument"),
        "password-whitespace": Rule("password-cli-unsafe", ERROR, spaces) if spaces else Rule(
            "password-cli-unsafe", WARNING,
            f"whether {platform} keeps spaces and quotes in a password is [unverified] (FORMATS.md 6.4)"),
        "password-symbols": Rule("password-characters", WARNING,
                                 "automation for Cisco CLIs uses [A-Za-z0-9] passwords; other characters are "
                                 "[unverified] (FORMATS.md 6.4)"),
        "password-non-ascii": Rule("password-characters", WARNING,
                                   f"non-ASCII passwords on the CLI of {platform} are [unverified] (FORMATS.md 6.4)"),
    }


def _rules(*parts: Mapping[str, Rule], **extra: Rule) -> dict[str, Rule]:
    merged: dict[str, Rule] = {}
    for part in parts:
        merged.update(part)
    merged.update({name.replace("_", "-"): rule for name, rule in extra.items()})
    return merged


# --- the targets -----------------------------------------------------------------------------

# Rules the three IOS-XE targets share.
_IOSXE_RSA_LARGE = Rule("rsa-key-too-large", WARNING,
                        "IOS-XE exports and imports RSA-4096 keys (FORMATS.md 6.3); larger ones are [unverified]")
_IOSXE_RC2_40 = Rule("rc2-40-unsupported", WARNING,
                     "no IOS-XE release has been shown to accept RC2-40 (FORMATS.md summary)")
_IOSXE_PASSWORD_SHORT = Rule("password-short", WARNING,
                             "IOS-XE requires 8+ characters for `crypto key export ... pem`; the same minimum "
                             "for PKCS#12 is [unverified] (FORMATS.md 6.4)")

_ASA_PBES2 = ("no evidence of the ASA importing PBES2/AES; an OpenSSL 3 default file failed and worked after "
              "`-legacy` (FORMATS.md 6.2; peers.md 4, xca#474)")
_ASA_MAC = ("the ASA's own export uses an HMAC-SHA-1 MAC; whether it verifies a SHA-256 MAC is [unverified] "
            "(the failing OpenSSL 3 default file had both AES and a SHA-256 MAC)")


def _asa_like(platform: str) -> dict[str, Rule]:
    return {
        "pbes2": Rule("pbes2-unsupported", ERROR, _ASA_PBES2.replace("the ASA", platform, 1)),
        "scrypt": Rule("scrypt-unsupported", ERROR, _ASA_PBES2.replace("the ASA", platform, 1)),
        "mac-sha256": Rule("mac-sha256-unsupported", WARNING, _ASA_MAC),
        "mac-other": Rule("mac-digest-unsupported", WARNING, _ASA_MAC),
        "pss-certificate": Rule("rsassa-pss-certificate", ERROR,
                                "ASA 9.1 fails to import RSASSA-PSS certificates ('status = 65535: failed to "
                                "process RA certificate'); support is enhancement CSCup44159 (FORMATS.md 1.7, 6.3)"),
        "ec-explicit": Rule("ec-explicit-parameters", WARNING,
                            "avoid explicit-parameter (specifiedECDSA) keys and certificates on the ASA (CSCup44159)"),
        "key-ec": Rule("key-type-ec-unsupported", WARNING,
                       "the ASA handles ECDSA key pairs, but EC keys in an imported PKCS#12 are [unverified] "
                       "(FORMATS.md 6.3)"),
        "rsa-large": Rule("rsa-key-too-large", WARNING,
                          "the ASA 8.x guide caps RSA at 2048 bits for generation and 4096 for signatures; "
                          "larger imported keys on 9.x are [unverified] (FORMATS.md 6.3)"),
        "extra-trustpoint": Rule("extra-trustpoint", WARNING,
                                 "the ASA puts the issuing CA into the trustpoint and creates an additional "
                                 "trustpoint (<tp>-1) for the root; naming for deeper chains is [unverified] "
                                 "(FORMATS.md 7, Cisco doc 215855)"),
    }


def _ios_like(platform: str) -> dict[str, Rule]:
    return {
        "intermediate-trustpoints": Rule(
            "intermediate-trustpoints", WARNING,
            f"{platform} says '% The CA cert is not self-signed' and asks to create trustpoints for CAs higher in "
            "the hierarchy: <label>-rrr1, -rrr2 ... are created on every import and pile up on renewal "
            "(FORMATS.md 7)"),
        "ec-explicit": Rule("ec-explicit-parameters", WARNING,
                            "explicit-parameter EC keys and certificates are [unverified] on IOS"),
    }


_JDK_NON_ASCII = Rule("password-non-ascii", ERROR,
                      "JDK 17 refuses a non-ASCII keystore password for the MAC, PBES2 and PKCS#12-PBE alike "
                      "('getSecretKey failed: Password is not ASCII', checked with keytool 17); peers.md 4 "
                      "reports later JDKs failing on PKCS#12-PBE (3DES/RC2) safes only")

_IOS_SHA256 = ("a SHA-256 MAC on classic IOS is [unverified]; IOS-XE <= 17.9 rejects one (CSCvz41428) and "
               "FORMATS.md recommends SHA-1 for IOS 15.x")

TARGETS: Mapping[str, Target] = MappingProxyType({t.name: t for t in (
    Target(
        "asa",
        "Cisco ASA 8.x-9.2x (`crypto ca import <tp> pkcs12 <pw>`, ASDM, REST API)",
        LEGACY_3DES,
        _rules(
            _cisco_rules("the ASA"), _asa_like("the ASA"),
            _cli_password_rules("the ASA", spaces="spaces end the token on the ASA and double quotes are "
                                                  "stripped (FORMATS.md 6.4)"),
        ),
        rsa_max_bits=2048, cisco=True,
    ),
    Target(
        "ftd",
        "Cisco FTD managed by FMC/FDM (file upload), including FIPS/CC mode",
        LEGACY_3DES,
        _rules(
            _cisco_rules("FTD"), _asa_like("FTD"),
            pbes2=Rule("pbes2-unsupported", ERROR,
                       "in FIPS/CC mode FTD installs only PBE-SHA1-3DES bundles (Cisco doc 216234); the ASA data "
                       "plane shows no PBES2 support either (FORMATS.md 1.8, 6.2)"),
            rc2_40=Rule("rc2-40-fips", ERROR,
                        "in FIPS/CC mode FTD installs only PBE-SHA1-3DES bundles; RC2-40 (what `openssl -legacy` "
                        "uses for certificates) fails to install (Cisco doc 216234)"),
            legacy_cipher=Rule("non-fips-pbe", ERROR,
                               "in FIPS/CC mode FTD installs only PBE-SHA1-3DES bundles (Cisco doc 216234)"),
            tripledes_2key=Rule("non-fips-pbe", ERROR,
                                "in FIPS/CC mode FTD installs only PBE-SHA1-3DES (3-key) bundles (Cisco doc 216234)"),
            pss_certificate=Rule("rsassa-pss-certificate", WARNING,
                                 "FTD runs the ASA data plane, where ASA 9.1 fails to import RSASSA-PSS "
                                 "certificates (CSCup44159); on FTD itself [unverified]"),
            missing_issuer=Rule("missing-issuer", ERROR,
                                "FMC fails with 'Fail to configure CA certificate' when the PKCS#12 lacks the "
                                "issuer (Cisco doc 215855)"),
        ),
        rsa_max_bits=2048, cisco=True,
    ),
    Target(
        "ios",
        "Cisco classic IOS 15.x (`crypto pki import <tp> pkcs12 terminal password <pw>`)",
        LEGACY_3DES,
        _rules(
            _cisco_rules("IOS"), _cli_password_rules("IOS"), _ios_like("IOS"),
            pbes2=Rule("pbes2-unsupported", ERROR,
                       "classic IOS (IOSv) reportedly cannot decode AES-256 PKCS#12 and needs `-legacy` "
                       "(FORMATS.md 6.2, third party)"),
            scrypt=Rule("scrypt-unsupported", ERROR, "classic IOS reads no PBES2 (FORMATS.md 6.2)"),
            mac_sha256=Rule("mac-sha256-unsupported", WARNING, _IOS_SHA256),
            mac_other=Rule("mac-digest-unsupported", WARNING, _IOS_SHA256),
            rc2_40=Rule("rc2-40-unsupported", WARNING,
                        "no IOS platform has been shown to accept RC2-40 (FORMATS.md summary)"),
            key_ec=Rule("key-type-ec-unsupported", WARNING, "EC keys in a PKCS#12 on classic IOS are [unverified]"),
        ),
        cisco=True,
    ),
    Target(
        "iosxe",
        "Cisco IOS-XE 16.x and 17.x up to 17.9 (Catalyst, ISR, C8000, 9800 WLC)",
        LEGACY_3DES,
        _rules(
            _cisco_rules("IOS-XE"), _cli_password_rules("IOS-XE"), _ios_like("IOS-XE"),
            pbes2=Rule("pbes2-unsupported", ERROR,
                       "IOS-XE 17.09.x creates the trustpoint, imports the key, then deletes everything "
                       "('Reason: Unknown reason') for OpenSSL 3 default files (FORMATS.md 2.6, 6.2)"),
            scrypt=Rule("scrypt-unsupported", ERROR, "IOS-XE <= 17.9 reads no PBES2 (FORMATS.md 6.2)"),
            mac_sha256=Rule("mac-sha256-unsupported", ERROR, _CSCVZ),
            mac_other=Rule("mac-digest-unsupported", ERROR, _CSCVZ + "; other SHA-2 MACs likewise [unverified]"),
            rsa_large=_IOSXE_RSA_LARGE,
            rc2_40=_IOSXE_RC2_40,
            password_short=_IOSXE_PASSWORD_SHORT,
        ),
        rsa_max_bits=4096, cisco=True,
    ),
    Target(
        "iosxe-17.10+",
        "Cisco IOS-XE 17.10-17.18 (the 17.1x trains whose own export writes a SHA-256 MAC; the 17.10 "
        "boundary is [unverified])",
        LEGACY_3DES,
        _rules(
            _cisco_rules("IOS-XE"), _cli_password_rules("IOS-XE"), _ios_like("IOS-XE"),
            pbes2=Rule("pbes2-unsupported", WARNING,
                       "IOS-XE 17.1x exports 3DES; PBES2/AES import is confirmed only on 26.2 (17.15.3a 'may well "
                       "accept it') [unverified] (FORMATS.md 6.2)"),
            scrypt=Rule("scrypt-unsupported", WARNING, "scrypt on IOS-XE 17.1x is [unverified]"),
            mac_other=Rule("mac-digest-unsupported", WARNING,
                           "IOS-XE 17.1x writes SHA-256 MACs; SHA-384/512 MACs are [unverified]"),
            rsa_large=_IOSXE_RSA_LARGE,
            rc2_40=_IOSXE_RC2_40,
            password_short=_IOSXE_PASSWORD_SHORT,
        ),
        rsa_max_bits=4096, cisco=True,
    ),
    Target(
        "iosxe-26",
        "Cisco IOS-XE 26.x (C8000, Catalyst; OpenSSL 3 defaults verified on 26.2)",
        MODERN,
        _rules(
            _cisco_rules("IOS-XE"), _cli_password_rules("IOS-XE"), _ios_like("IOS-XE"),
            scrypt=Rule("scrypt-unsupported", WARNING, "scrypt on IOS-XE 26 is [unverified]; PBKDF2 is verified"),
            mac_other=Rule("mac-digest-unsupported", WARNING,
                           "IOS-XE 26.2 verified SHA-256 MACs; SHA-384/512 MACs are [unverified]"),
            rc2_40=_IOSXE_RC2_40,
            key_ec_ssh=Rule("ec-key-ssh-hostkey", WARNING,
                            "on IOS-XE 26.2 an imported ECDSA identity made SSH advertise ecdsa-sha2-nistp256 and "
                            "broke logins, and ecdsa-sig IKEv2 auth did not complete (FORMATS.md 6.3, juliogomez/pqc)"),
            key_other=Rule("key-type-unsupported", WARNING,
                           "IOS-XE 26.2 imports RSA, EC P-256 and ML-DSA keys; other key types are [unverified]"),
            password_short=_IOSXE_PASSWORD_SHORT,
        ),
        cisco=True,
    ),
    Target(
        "nxos",
        "Cisco NX-OS 9.x/10.x (`crypto ca import <tp> pkcs12 bootflash:<file> <pw>`)",
        LEGACY_3DES,
        _rules(
            _cisco_rules("NX-OS"), _cli_password_rules(
                "NX-OS", spaces="the password is a positional argument: spaces end it (FORMATS.md 4, 6.4)"),
            pbes2=Rule("pbes2-unsupported", WARNING,
                       "NX-OS import of OpenSSL 3 default (PBES2/AES) files is [unverified] (FORMATS.md 6.2)"),
            scrypt=Rule("scrypt-unsupported", WARNING, "scrypt on NX-OS is [unverified]"),
            mac_sha256=Rule("mac-sha256-unsupported", WARNING,
                            "NX-OS import of a SHA-256 MAC is [unverified] (FORMATS.md 6.2)"),
            mac_other=Rule("mac-digest-unsupported", WARNING, "NX-OS import of SHA-2 MACs is [unverified]"),
            rc2_40=Rule("rc2-40-unsupported", WARNING, "NX-OS import of RC2-40 is [unverified]"),
            key_ec=Rule("key-type-ec-unsupported", WARNING, "EC keys in a PKCS#12 on NX-OS are [unverified]"),
        ),
        cisco=True,
    ),
    Target(
        "windows-2016",
        "Windows Server 2016 / Windows 10 before 1709 and older (CryptoAPI PFX import)",
        LEGACY_3DES,
        {
            "pbes2": Rule("pbes2-unsupported", ERROR,
                          "Windows Server 2016 and older accept only TripleDES-SHA1; AES256-SHA256 files fail as "
                          "'the password you entered is incorrect' (Server 2019+ reads them; peers.md 4, "
                          "ansible.windows#582)"),
            "scrypt": Rule("scrypt-unsupported", ERROR, "Windows reads no scrypt-protected PKCS#12 (peers.md 4)"),
            "mac-sha256": Rule("mac-sha256-unsupported", ERROR,
                               "Windows Server 2016 and older need an HMAC-SHA-1 MAC ('TripleDES-SHA1'; peers.md 4)"),
            "mac-other": Rule("mac-digest-unsupported", ERROR,
                              "Windows Server 2016 and older need an HMAC-SHA-1 MAC (peers.md 4)"),
            "pbmac1": _pbmac1("Windows"),
            "key-certificate-mismatch": _mismatch("Windows"),
            "key-unreadable": _UNREADABLE,
            "password-legacy-encoding": _LEGACY_ENCODING,
        },
    ),
    Target(
        "macos",
        "macOS Keychain (`security import`, Keychain Access) up to macOS 15, and iOS SecPKCS12Import",
        LEGACY_3DES,
        {
            "pbes2": Rule("pbes2-unsupported", ERROR,
                          "the Keychain historically needs 3DES/RC2 with a SHA-1 MAC (`openssl -legacy`); macOS "
                          "26.6.1 reads AES-256 only with an explicit `security import -f pkcs12` (peers.md 4, "
                          "openssl#19495, xca#360)"),
            "scrypt": Rule("scrypt-unsupported", ERROR, "the Keychain reads no PBES2 (peers.md 4)"),
            "mac-sha256": Rule("mac-sha256-unsupported", ERROR,
                               "the Keychain rejects a SHA-256 MAC even with 3DES bags (peers.md 4, xca#474)"),
            "mac-other": Rule("mac-digest-unsupported", ERROR, "the Keychain needs a SHA-1 MAC (peers.md 4)"),
            "pbmac1": _pbmac1("the Keychain"),
            "no-mac": Rule("no-mac", ERROR, "the Keychain refuses a PKCS#12 without a MAC (peers.md 4, forge#13)"),
            "no-encryption": Rule("no-encryption", ERROR,
                                  "macOS 15 `security import -f pkcs12` refuses an unencrypted PKCS#12 (peers.md 4)"),
            "unencrypted-key": Rule("unencrypted-key", WARNING,
                                    "macOS 15 refuses unencrypted files; an unencrypted key beside encrypted "
                                    "certificates is [unverified]"),
            "key-certificate-mismatch": _mismatch("the Keychain"),
            "key-unreadable": _UNREADABLE,
            "password-legacy-encoding": _LEGACY_ENCODING,
        },
    ),
    Target(
        "java8",
        "Java 8 before 8u301 (and 9-11 before 11.0.12): KeyStore.getInstance(\"PKCS12\"), keytool",
        LEGACY_3DES,
        {
            "pbes2": Rule("pbes2-unsupported", ERROR,
                          "JDKs before 12 (8u301) cannot read PBES2 files: Java 8 cannot read OpenSSL 3 output "
                          "(peers.md 4, openssl#14790)"),
            "scrypt": Rule("scrypt-unsupported", ERROR, "the JDK reads no scrypt (peers.md 1)"),
            "mac-sha256": Rule("mac-sha256-unsupported", ERROR,
                               "JDKs before 12 (8u301) cannot verify a SHA-256 MAC (peers.md 4)"),
            "mac-other": Rule("mac-digest-unsupported", ERROR,
                              "JDKs before 12 (8u301) verify only SHA-1 MACs (peers.md 4)"),
            "pbmac1": _pbmac1("Java 8"),
            "no-mac": Rule("no-mac", ERROR,
                           "password-less PKCS#12 (no MAC) needs 8u301 / 11.0.12 / 17 (peers.md 4)"),
            "keybag": Rule("keybag-ignored", ERROR,
                           "the JDK silently ignores plain keyBags, so the key is lost (peers.md 1 and 4, "
                           "verified with JDK 17/25)"),
            "key-other": Rule("key-type-unsupported", WARNING,
                              "Java 8 has no EdDSA (added in JDK 15) and no ML-DSA; other types [unverified]"),
            "key-certificate-mismatch": _mismatch("the JDK"),
            "key-unreadable": _UNREADABLE,
            "password-legacy-encoding": _LEGACY_ENCODING,
            "password-non-ascii": _JDK_NON_ASCII,
        },
    ),
    Target(
        "java17",
        "Java 12-25 (and 8u301+, 11.0.12+): KeyStore.getInstance(\"PKCS12\"), keytool",
        JAVA,
        {
            "scrypt": Rule("scrypt-unsupported", ERROR, "the JDK reads no scrypt (peers.md 1)"),
            "pbmac1": Rule("pbmac1-unsupported", ERROR,
                           "JDK 17 and 25 fail with 'HmacPBE1.2.840.113549.1.5.14 not available'; PBMAC1 needs "
                           "JDK 26 (peers.md 4, verified locally)"),
            "keybag": Rule("keybag-ignored", ERROR,
                           "the JDK silently ignores plain keyBags, so the key is lost (peers.md 1 and 4, "
                           "verified with JDK 17/25)"),
            "iterations-high": Rule("iterations-too-high", ERROR,
                                    "the JDK refuses MAC, certificate and key iteration counts above 5,000,000 "
                                    "(peers.md 3, verified with JDK 17/25)"),
            "key-certificate-mismatch": _mismatch("the JDK"),
            "key-unreadable": _UNREADABLE,
            "password-legacy-encoding": _LEGACY_ENCODING,
            "password-non-ascii": _JDK_NON_ASCII,
        },
        max_iterations=5_000_000,
    ),
    Target(
        "android-13",
        "Android 13 and older: the system certificate installer (Settings > Install certificate)",
        LEGACY_3DES,
        {
            "pbes2": Rule("pbes2-unsupported", ERROR,
                          "Android <= 12/13 rejects OpenSSL 3 default (AES, SHA-256 MAC) files as 'incorrect "
                          "password' (peers.md 4, strongswan-docs#5)"),
            "scrypt": Rule("scrypt-unsupported", ERROR, "Android <= 13 reads no PBES2 (peers.md 4)"),
            "mac-sha256": Rule("mac-sha256-unsupported", WARNING,
                               "Android <= 13 rejects OpenSSL 3 default files; whether the SHA-256 MAC alone is "
                               "refused is [unverified] (peers.md 4)"),
            "mac-other": Rule("mac-digest-unsupported", WARNING, "SHA-2 MACs on Android <= 13 are [unverified]"),
            "pbmac1": _pbmac1("Android"),
            "key-certificate-mismatch": _mismatch("Android"),
            "key-unreadable": _UNREADABLE,
            "password-legacy-encoding": _LEGACY_ENCODING,
        },
    ),
    Target(
        "openssl3-no-legacy",
        "OpenSSL 3.0-3.3 with only the default provider (3.4+ also reads PBMAC1)",
        MODERN,
        {
            "rc2-40": Rule("legacy-provider-required", ERROR,
                           "OpenSSL 3 moved RC2 into the legacy provider: 'unsupported' error without "
                           "`-legacy` (peers.md 4, openssl#14790)"),
            "legacy-cipher": Rule("legacy-provider-required", ERROR,
                                  "OpenSSL 3 keeps RC2, RC4 and single DES in the legacy provider (peers.md 4)"),
            "pbmac1": Rule("pbmac1-unsupported", ERROR, "OpenSSL reads PBMAC1 from 3.4 on (peers.md 4, CHANGES 3.4)"),
            "key-certificate-mismatch": Rule("key-certificate-mismatch", ERROR,
                                             "`openssl pkcs12` pairs key and certificate by public key; a mismatch "
                                             "breaks every use of the identity"),
            "key-unreadable": _UNREADABLE,
        },
    ),
)})


FINDING_CODES: Mapping[str, str] = MappingProxyType({
    # protection
    "pbes2-unsupported": "PBES2 (PBKDF2 + AES) encryption of a key or safe",
    "scrypt-unsupported": "PBES2 with the scrypt KDF",
    "rc2-40-unsupported": "pbeWithSHAAnd40BitRC2-CBC (what `openssl pkcs12 -legacy` uses for certificates)",
    "rc2-40-fips": "RC2-40 where only FIPS-approved PBE-SHA1-3DES is installed (FTD in FIPS/CC mode)",
    "tripledes-2key-unsupported": "pbeWithSHAAnd2-KeyTripleDES-CBC",
    "legacy-cipher-unsupported": "RC2-64/128, RC4, single DES or PBES1",
    "legacy-provider-required": "RC2, RC4 or DES, which OpenSSL 3 reads only with its legacy provider",
    "non-fips-pbe": "a PBE other than PBE-SHA1-3DES where FIPS mode requires it",
    "mac-sha256-unsupported": "an HMAC-SHA-256 MAC (the OpenSSL 3 default)",
    "mac-digest-unsupported": "an HMAC MAC with another SHA-2 digest",
    "pbmac1-unsupported": "a PBMAC1 MAC (RFC 9579)",
    "no-mac": "no MAC",
    "no-encryption": "nothing encrypted",
    "unencrypted-key": "a private key stored unencrypted",
    "keybag-ignored": "a private key in a plain keyBag, which the JDK drops",
    "iterations-too-high": "a KDF or MAC iteration count above the target's cap",
    # keys and certificates
    "key-type-ec-unsupported": "an EC private key",
    "key-type-unsupported": "a private key that is neither RSA nor EC",
    "ec-key-ssh-hostkey": "an EC identity key, which changes the device's SSH host key",
    "ec-explicit-parameters": "an EC key or certificate with explicit curve parameters",
    "rsa-key-too-large": "an RSA key above the target's size limit",
    "rsassa-pss-certificate": "a certificate signed with RSASSA-PSS or holding an RSASSA-PSS key",
    "key-unreadable": "a key or certificate pkcs12kit cannot parse",
    # identity and chain
    "no-private-key": "no private key",
    "no-certificate": "a private key without its certificate",
    "multiple-keys": "more than one private key",
    "key-certificate-mismatch": "a key that its certificate does not certify",
    "no-local-key-id": "key and certificate without a shared localKeyId",
    "missing-issuer": "the identity certificate's issuer is not in the file",
    "incomplete-chain": "the chain stops below a root",
    "intermediate-trustpoints": "CAs above a non-self-signed issuing CA (IOS/IOS-XE <label>-rrrN trustpoints)",
    "extra-trustpoint": "a root above the issuing CA (the ASA's extra <tp>-1 trustpoint)",
    "unrelated-certificates": "certificates outside the identity's chain",
    "chain-order": "certificates not in leaf → root order",
    # password
    "password-legacy-encoding": "a password in OpenSSL's pre-1.1.0 non-ASCII encoding",
    "password-non-ascii": "a non-ASCII password, which the JDK refuses",
    "password-cli-unsafe": "a password the device CLI cannot take ('?', spaces)",
    "password-characters": "a password outside [A-Za-z0-9]",
    "password-short": "a password shorter than 8 characters",
})
"""Every finding code any target raises → the file property behind it."""


# --- public functions ------------------------------------------------------------------------


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
    """The profile to write so that ``target`` imports the file (FORMATS.md "Profiles" table).

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
    for feature, where in _detect(p12, spec, password):
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


# --- detection -------------------------------------------------------------------------------


def _family(protection: Protection) -> str | None:
    """The feature an encryption scheme raises; None for pbeWithSHAAnd3-KeyTripleDES-CBC, which
    every target reads (FORMATS.md "Profiles": the universal safe choice)."""
    scheme = protection.scheme
    if scheme == "pkcs12_sha1_tripledes_3key":
        return None
    if scheme == "pkcs12_sha1_rc2_40":
        return "rc2-40"
    if scheme == "pkcs12_sha1_tripledes_2key":
        return "tripledes-2key"
    if scheme == "pbes2":
        if protection.kdf == "scrypt":
            return "scrypt"
        if (protection.cipher or "").startswith(("rc2", "rc4", "des")):
            return "legacy-cipher"
        return "pbes2"
    # RC2-128, RC4-40/128, PBES1 (MD5/SHA-1 with DES or RC2) and anything unknown.
    return "legacy-cipher"


def _describe_protection(protection: Protection) -> str:
    if protection.scheme == "pbes2":
        return f"PBES2 ({protection.kdf}, {protection.cipher})"
    return protection.scheme


def _detect(p12: PKCS12, spec: Target, password) -> list[tuple[str, str]]:
    """(feature, where) pairs for everything notable in ``p12``, in file order."""
    found: list[tuple[str, str]] = []
    found += _detect_protection(p12, spec)
    found += _detect_keys(p12, spec)
    found += _detect_certificates(p12)
    found += _detect_identity(p12, spec)
    found += _detect_password(p12, password)
    return found


def _protections(p12: PKCS12) -> list[tuple[str, Protection]]:
    """(where, protection) for every encrypted safe, shrouded key and encrypted secret."""
    protections: list[tuple[str, Protection]] = []
    for index, safe in enumerate(p12.safes):
        if safe.protection is not None:
            protections.append((f"authSafe[{index}] encryptedData", safe.protection))
    for index, key in enumerate(p12.keys):
        if key.protection is not None:
            protections.append((f"key[{index}] pkcs8ShroudedKeyBag", key.protection))
    for index, secret in enumerate(p12.secrets):
        if secret.protection is not None:
            protections.append((f"secret[{index}]", secret.protection))
    return protections


def _detect_protection(p12: PKCS12, spec: Target) -> list[tuple[str, str]]:
    if not p12.safes:
        # Built in memory, never written: how it is protected is up to the profile it is
        # dumped with, so there is nothing to check yet.
        return []
    found = []
    protections = _protections(p12)
    encrypted_entries = {i for safe in p12.safes if safe.protection is not None for i in safe.entries}
    positions = {id(entry): index for index, entry in enumerate(p12.entries)}
    for index, key in enumerate(p12.keys):
        if key.protection is None:
            found.append(("keybag", f"key[{index}] is a plain keyBag"))
            if positions.get(id(key)) not in encrypted_entries:
                found.append(("unencrypted-key", f"key[{index}] is stored unencrypted"))
    if p12.entries and not protections:
        found.append(("no-encryption", "no key or safe is encrypted"))
    for where, protection in protections:
        family = _family(protection)
        if family is not None:
            found.append((family, f"{where} uses {_describe_protection(protection)}"))
        if (spec.max_iterations is not None and protection.iterations is not None
                and protection.iterations > spec.max_iterations):
            found.append(("iterations-high", f"{where} uses {protection.iterations:,} iterations "
                                             f"(limit {spec.max_iterations:,})"))
    mac = p12.mac
    if mac is None:
        if p12.entries:
            found.append(("no-mac", "the file has no MAC"))
    else:
        if mac.kind == "pbmac1":
            found.append(("pbmac1", f"the MAC is PBMAC1 (HMAC-{mac.digest.upper()})"))
        elif mac.digest == "sha256":
            found.append(("mac-sha256", "the MAC is HMAC-SHA-256"))
        elif mac.digest != "sha1":
            found.append(("mac-other", f"the MAC is HMAC-{mac.digest.upper()}"))
        if spec.max_iterations is not None and mac.iterations > spec.max_iterations:
            found.append(("iterations-high", f"the MAC uses {mac.iterations:,} iterations "
                                             f"(limit {spec.max_iterations:,})"))
    return found


def _detect_keys(p12: PKCS12, spec: Target) -> list[tuple[str, str]]:
    from .errors import PKCS12Error

    found = []
    for index, key in enumerate(p12.keys):
        where = f"key[{index}]"
        try:
            info = key.private_key
            algorithm = info.algorithm
        except (PKCS12Error, ValueError, KeyError, TypeError):
            found.append(("key-unreadable", f"{where} cannot be parsed"))
            continue
        if algorithm == "rsa":
            bits = info.bit_size
            if spec.rsa_max_bits is not None and bits > spec.rsa_max_bits:
                found.append(("rsa-large", f"{where} is RSA-{bits} (limit {spec.rsa_max_bits})"))
        elif algorithm == "ec":
            try:
                kind, curve = info.curve
            except (ValueError, KeyError, TypeError):
                kind, curve = "specified", None
            if kind != "named":
                found.append(("ec-explicit", f"{where} is an EC key with explicit curve parameters"))
            found.append(("key-ec", f"{where} is an EC key ({curve or 'explicit curve'})"))
            if index == 0:
                found.append(("key-ec-ssh", f"{where} (the identity key) is an EC key"))
        else:
            found.append(("key-other", f"{where} is a {algorithm} key"))
    return found


def _detect_certificates(p12: PKCS12) -> list[tuple[str, str]]:
    from .errors import PKCS12Error

    found = []
    for index, entry in enumerate(p12.certificates):
        where = f"certificate[{index}]"
        try:
            cert = entry.certificate
            subject = cert.subject.human_friendly
            signature = cert["signature_algorithm"].signature_algo
            public = cert.public_key
            public_algorithm = public.algorithm
        except (PKCS12Error, ValueError, KeyError, TypeError):
            found.append(("key-unreadable", f"{where} cannot be parsed"))
            continue
        if signature == "rsassa_pss" or public_algorithm == "rsassa_pss":
            what = "is signed with RSASSA-PSS" if signature == "rsassa_pss" else "holds an RSASSA-PSS key"
            found.append(("pss-certificate", f"{where} ({subject!r}) {what}"))
        if public_algorithm == "ec":
            try:
                explicit = public.curve[0] != "named"
            except (ValueError, KeyError, TypeError):
                explicit = True
            if explicit:
                found.append(("ec-explicit", f"{where} ({subject!r}) has an EC key with explicit parameters"))
    return found


def _comparable(key: KeyEntry) -> bool:
    """True when ``cryptography`` can load the key, so a failed public-key match means a real
    mismatch rather than a key type it does not know (e.g. ML-DSA)."""
    from cryptography.hazmat.primitives import serialization

    try:
        serialization.load_der_private_key(key.der, None, unsafe_skip_rsa_key_validation=True)
    except Exception:  # any failure only means the pair cannot be compared
        return False
    return True


def _self_issued(entry) -> bool:
    cert = entry.certificate
    return cert.subject.dump() == cert.issuer.dump()


def _detect_identity(p12: PKCS12, spec: Target) -> list[tuple[str, str]]:
    from . import chain as chains
    from .errors import PKCS12Error

    found = []
    keys = p12.keys
    certificates = p12.certificates
    if not keys:
        if certificates:
            found.append(("no-private-key", "the file holds certificates but no private key"))
        else:
            found.append(("no-private-key", "the file holds no private key and no certificate"))
        return found
    if len(keys) > 1:
        found.append(("multiple-keys", f"the file holds {len(keys)} private keys"))

    # Pairing, as importers do it: localKeyId first (RFC 7292 4.2, PKCS #9), else public key.
    for index, key in enumerate(keys):
        where = f"key[{index}]"
        key_id = key.local_key_id
        partner = None
        if key_id is not None:
            partner = next((c for c in certificates if c.local_key_id == key_id), None)
        if partner is not None:
            if _comparable(key) and not chains.public_key_matches(key, partner):
                found.append(("key-certificate-mismatch",
                              f"{where} and certificate[{certificates.index(partner)}] share a localKeyId but "
                              "the certificate certifies another public key"))
        elif certificates and _comparable(key):
            if not any(chains.public_key_matches(key, cert) for cert in certificates):
                found.append(("key-certificate-mismatch", f"no certificate in the file certifies {where}"))
        elif not certificates:
            found.append(("no-certificate", f"{where} has no certificate in the file"))

    leaf = p12.certificate
    if leaf is None:
        return found
    key = p12.key
    if key.local_key_id is None or leaf.local_key_id != key.local_key_id:
        found.append(("no-local-key-id", "key[0] and its certificate do not share a localKeyId"))
    try:
        issuers = p12.chain
        top = issuers[-1] if issuers else leaf
        if not _self_issued(top):
            if issuers:
                found.append(("incomplete-chain",
                              f"the chain stops at {top.certificate.subject.human_friendly!r}, whose issuer "
                              f"{top.certificate.issuer.human_friendly!r} is not in the file"))
            else:
                found.append(("missing-issuer",
                              f"the issuer {leaf.certificate.issuer.human_friendly!r} of the identity "
                              "certificate is not in the file"))
        if issuers and not _self_issued(issuers[0]):
            above = len(issuers) - 1
            found.append(("intermediate-trustpoints",
                          f"the issuing CA {issuers[0].certificate.subject.human_friendly!r} is not self-signed; "
                          f"{above} CA certificate(s) above it would each become a <label>-rrrN trustpoint"))
        if len(issuers) >= 2:
            found.append(("extra-trustpoint",
                          f"the chain holds {len(issuers)} CA certificates above the identity; the root "
                          f"{issuers[-1].certificate.subject.human_friendly!r} becomes a second trustpoint"))
        members = [leaf, *issuers]
        member_ids = {id(c) for c in members}
        others = [i for i, c in enumerate(certificates) if id(c) not in member_ids]
        if others:
            found.append(("unrelated-certificates",
                          f"certificate(s) {', '.join(f'[{i}]' for i in others)} are not in the identity's chain"))
        order = [i for i, c in enumerate(certificates) if id(c) in member_ids]
        expected = sorted(order, key=lambda i: [id(m) for m in members].index(id(certificates[i])))
        if order != expected:
            found.append(("chain-order", "the certificates are not in leaf → root order"))
    except (PKCS12Error, ValueError, KeyError, TypeError):
        found.append(("key-unreadable", "a certificate of the chain cannot be parsed"))
    return found


def _detect_password(p12: PKCS12, password) -> list[tuple[str, str]]:
    found = []
    if p12.password_encoding == "openssl-legacy":
        found.append(("password-legacy-encoding",
                      "the file's password is encoded the pre-1.1.0 OpenSSL way (UTF-8 bytes widened)"))
    if password is None:
        return found
    if isinstance(password, bytes):
        password = password.decode("utf-8", "replace")
    if not password.isascii():
        found.append(("password-non-ascii", "the password has non-ASCII characters"))
    if "?" in password:
        found.append(("password-question-mark", "the password contains '?'"))
    if any(c.isspace() or c in "\"'" for c in password):
        found.append(("password-whitespace", "the password contains whitespace or quotes"))
    if any(c.isascii() and not c.isalnum() and c not in "?\"'" and not c.isspace() for c in password):
        found.append(("password-symbols", "the password has characters outside [A-Za-z0-9]"))
    if len(password) < 8:
        found.append(("password-short", f"the password has {len(password)} characters"))
    return found


# --- fixes -----------------------------------------------------------------------------------

_CIPHER_NAMES = {
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
