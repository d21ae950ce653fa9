"""The import-target table: every target, the profile to write for it, and its rules (data only).

Exports: TARGETS, FINDING_CODES.

The facts come from two research notes kept with the project: the Cisco one (docs/cisco-formats.md,
sections 6 "Algorithm compatibility", 7 "Trustpoint contents and chain handling", and
"Profiles (what pkcs12kit should emit so the device imports it)") and the peer survey
(docs/interop.md#consumers, "Interoperability constraints for consumers"). Claims marked
[unverified] there are warnings here, never errors. The small functions below only build the
rule shapes several targets share; nothing here inspects a file.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from ..profiles import JAVA, LEGACY_3DES, MODERN
from .findings import ERROR, NOTE, WARNING, Rule, Target

__all__ = ["TARGETS", "FINDING_CODES"]

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
    """Rules every Cisco trustpoint import shares (docs/cisco-formats.md#algorithms-accepted, docs/cisco-formats.md#key-types, docs/cisco-formats.md#trustpoints-and-chains)."""
    return {
        "pbmac1": Rule("pbmac1-unsupported", ERROR,
                       f"no Cisco platform, {platform} included, is known to verify PBMAC1; {_PBMAC1}"),
        "key-certificate-mismatch": _mismatch(platform),
        "key-unreadable": _UNREADABLE,
        "password-legacy-encoding": _LEGACY_ENCODING,
        "no-private-key": Rule("no-private-key", ERROR,
                               f"a PKCS#12 import on {platform} installs an identity (key pair + "
                               "certificate) into a trustpoint; without the key there is nothing to install"),
        "no-certificate": Rule("no-certificate", ERROR,
                               f"a {platform} trustpoint needs the identity certificate with its key"),
        "multiple-keys": Rule("multiple-keys", WARNING,
                              "a trustpoint holds one key pair; which key the device keeps is [unverified]"),
        "unrelated-certificates": Rule("unrelated-certificates", WARNING,
                                       "a trustpoint holds at most the identity certificate and one CA "
                                       "certificate (docs/cisco-formats.md#trustpoints-and-chains); other certificates are not imported [unverified]"),
        "no-local-key-id": Rule("no-local-key-id", WARNING,
                                "in every successful Cisco import seen, the key bag and the leaf carry the same "
                                "localKeyID (docs/cisco-formats.md#trustpoints-and-chains); pairing without it is [unverified]"),
        "chain-order": Rule("chain-order", WARNING,
                            "successful Cisco imports list leaf, then intermediates, then root (docs/cisco-formats.md#trustpoints-and-chains); "
                            "other orders are [unverified]"),
        "missing-issuer": Rule("missing-issuer", WARNING,
                               f"a {platform} trustpoint holds the issuing CA with the identity (docs/cisco-formats.md#trustpoints-and-chains); "
                               "import without it is [unverified]"),
        "incomplete-chain": Rule("incomplete-chain", WARNING,
                                 "without the root the device may not build a chain it can verify; ACME tools add "
                                 "it before `crypto pki import` (docs/cisco-formats.md#trustpoints-and-chains) [unverified]"),
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
                              f"{platform} import of RC2-64/128, RC4, DES, SEED or PBES1 is [unverified]"),
        "pbes2-other-cipher": Rule("pbes2-cipher-unsupported", WARNING,
                                   f"{platform} import of PBES2 with Camellia, ARIA, SM4 or SEED is [unverified]; "
                                   "every Cisco sample uses 3DES or AES"),
        "ec-explicit": Rule("ec-explicit-parameters", WARNING,
                            "explicit-parameter (specifiedECDSA) keys and certificates are to be avoided on "
                            "Cisco devices (CSCup44159) [unverified beyond the ASA]"),
        "key-other": Rule("key-type-unsupported", WARNING,
                          f"{platform} imports RSA and EC keys; other key types are [unverified] (ML-DSA "
                          "works on IOS-XE 26.2 only)"),
    }


def _cli_password_rules(platform: str, *, spaces: str | None = None) -> dict[str, Rule]:
    """Rules for a password typed as a CLI argument (docs/cisco-formats.md#passwords). ``spaces``: the known
    behaviour with spaces and quotes (an error), or None where it is [unverified]."""
    return {
        "password-question-mark": Rule("password-cli-unsafe", ERROR,
                                       f"'?' invokes CLI help on {platform} and cannot be typed in an argument"),
        "password-whitespace": Rule("password-cli-unsafe", ERROR, spaces) if spaces else Rule(
            "password-cli-unsafe", WARNING,
            f"whether {platform} keeps spaces and quotes in a password is [unverified] (docs/cisco-formats.md#passwords)"),
        "password-symbols": Rule("password-characters", WARNING,
                                 "automation for Cisco CLIs uses [A-Za-z0-9] passwords; other characters are "
                                 "[unverified] (docs/cisco-formats.md#passwords)"),
        "password-non-ascii": Rule("password-characters", WARNING,
                                   f"non-ASCII passwords on the CLI of {platform} are [unverified] (docs/cisco-formats.md#passwords)"),
    }


def _rules(*parts: Mapping[str, Rule | None], **extra: Rule | None) -> dict[str, Rule]:
    """Merge rule tables, later ones winning; a feature mapped to None has no rule."""
    merged: dict[str, Rule | None] = {}
    for part in parts:
        merged.update(part)
    merged.update({name.replace("_", "-"): rule for name, rule in extra.items()})
    return {feature: rule for feature, rule in merged.items() if rule is not None}


# --- the targets -----------------------------------------------------------------------------

# Rules the three IOS-XE targets share.
_IOSXE_RSA_LARGE = Rule("rsa-key-too-large", WARNING,
                        "IOS-XE exports and imports RSA-4096 keys (docs/cisco-formats.md#key-types); larger ones are [unverified]")
_IOSXE_RC2_40 = Rule("rc2-40-unsupported", WARNING,
                     "no IOS-XE release has been shown to accept RC2-40 (docs/cisco-formats.md#summary)")
_IOSXE_PASSWORD_SHORT = Rule("password-short", WARNING,
                             "IOS-XE requires 8+ characters for `crypto key export ... pem`; the same minimum "
                             "for PKCS#12 is [unverified] (docs/cisco-formats.md#passwords)")

_ASA_PBES2 = ("no evidence of the ASA importing PBES2/AES; an OpenSSL 3 default file failed and worked after "
              "`-legacy` (docs/cisco-formats.md#algorithms-accepted; docs/interop.md#consumers, xca#474)")
_ASA_MAC = ("the ASA's own export uses an HMAC-SHA-1 MAC; whether it verifies a SHA-256 MAC is [unverified] "
            "(the failing OpenSSL 3 default file had both AES and a SHA-256 MAC)")


def _asa_like(platform: str) -> dict[str, Rule | None]:
    return {
        "pbes2": Rule("pbes2-unsupported", ERROR, _ASA_PBES2.replace("the ASA", platform, 1)),
        "scrypt": Rule("scrypt-unsupported", ERROR, _ASA_PBES2.replace("the ASA", platform, 1)),
        "mac-sha256": Rule("mac-sha256-unsupported", WARNING, _ASA_MAC),
        "mac-other": Rule("mac-digest-unsupported", WARNING, _ASA_MAC),
        "pss-certificate": Rule("rsassa-pss-certificate", ERROR,
                                "ASA 9.1 fails to import RSASSA-PSS certificates ('status = 65535: failed to "
                                "process RA certificate'); support is enhancement CSCup44159 (docs/cisco-formats.md#asa-import-errors, docs/cisco-formats.md#key-types)"),
        "ec-explicit": Rule("ec-explicit-parameters", WARNING,
                            "avoid explicit-parameter (specifiedECDSA) keys and certificates on the ASA (CSCup44159)"),
        "key-ec": Rule("key-type-ec-unsupported", WARNING,
                       "the ASA handles ECDSA key pairs, but EC keys in an imported PKCS#12 are [unverified] "
                       "(docs/cisco-formats.md#key-types)"),
        "rsa-large": Rule("rsa-key-too-large", WARNING,
                          "the ASA 8.x guide caps RSA at 2048 bits for generation and 4096 for signatures; "
                          "larger imported keys on 9.x are [unverified] (docs/cisco-formats.md#key-types)"),
        # One shape is advised for the ASA: the identity and its issuing CA. A root above the
        # issuing CA is only a note (an extra trustpoint to delete on renewal), and a chain
        # that stops at the issuing CA is complete for the trustpoint, so `incomplete-chain`
        # does not apply: the two pieces of advice can never send the user in a circle.
        "extra-trustpoint": Rule("extra-trustpoint", NOTE,
                                 "the ASA puts the issuing CA into the trustpoint and creates an additional "
                                 "trustpoint (<tp>-1) for the root, to delete too on renewal; naming for deeper "
                                 "chains is [unverified] (docs/cisco-formats.md#trustpoints-and-chains, Cisco doc 215855)"),
        "incomplete-chain": None,
    }


def _ios_like(platform: str) -> dict[str, Rule]:
    return {
        # IOS wants the whole chain (so the device can send it): the extra trustpoints are a
        # note, and the advice is to keep them, never to drop the CAs (docs/cisco-formats.md#trustpoints-and-chains).
        "intermediate-trustpoints": Rule(
            "intermediate-trustpoints", NOTE,
            f"{platform} says '% The CA cert is not self-signed' and asks to create trustpoints for CAs higher in "
            "the hierarchy: <label>-rrr1, -rrr2 ... are created on every import and pile up on renewal "
            "(docs/cisco-formats.md#trustpoints-and-chains)"),
        "ec-explicit": Rule("ec-explicit-parameters", WARNING,
                            "explicit-parameter EC keys and certificates are [unverified] on IOS"),
    }


_JDK_NON_ASCII = Rule("password-non-ascii", ERROR,
                      "JDK 17 refuses a non-ASCII keystore password for the MAC, PBES2 and PKCS#12-PBE alike "
                      "('getSecretKey failed: Password is not ASCII', checked with keytool 17); docs/interop.md#consumers "
                      "reports later JDKs failing on PKCS#12-PBE (3DES/RC2) safes only")

_IOS_SHA256 = ("a SHA-256 MAC on classic IOS is [unverified]; IOS-XE <= 17.9 rejects one (CSCvz41428) and "
               "docs/cisco-formats.md#emit-profiles recommends SHA-1 for IOS 15.x")

TARGETS: Mapping[str, Target] = MappingProxyType({t.name: t for t in (
    Target(
        "asa",
        "Cisco ASA 8.x-9.2x (`crypto ca import <tp> pkcs12 <pw>`, ASDM, REST API)",
        LEGACY_3DES,
        _rules(
            _cisco_rules("the ASA"), _asa_like("the ASA"),
            _cli_password_rules("the ASA", spaces="spaces end the token on the ASA and double quotes are "
                                                  "stripped (docs/cisco-formats.md#passwords)"),
        ),
        rsa_max_bits=2048, cisco=True, use="server",
    ),
    Target(
        "ftd",
        "Cisco FTD managed by FMC/FDM (file upload), including FIPS/CC mode",
        LEGACY_3DES,
        _rules(
            _cisco_rules("FTD"), _asa_like("FTD"),
            pbes2=Rule("pbes2-unsupported", ERROR,
                       "in FIPS/CC mode FTD installs only PBE-SHA1-3DES bundles (Cisco doc 216234); the ASA data "
                       "plane shows no PBES2 support either (docs/cisco-formats.md#ftd, docs/cisco-formats.md#algorithms-accepted)"),
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
        rsa_max_bits=2048, cisco=True, use="server",
    ),
    Target(
        "ios",
        "Cisco classic IOS 15.x (`crypto pki import <tp> pkcs12 terminal password <pw>`)",
        LEGACY_3DES,
        _rules(
            _cisco_rules("IOS"), _cli_password_rules("IOS"), _ios_like("IOS"),
            pbes2=Rule("pbes2-unsupported", ERROR,
                       "classic IOS (IOSv) reportedly cannot decode AES-256 PKCS#12 and needs `-legacy` "
                       "(docs/cisco-formats.md#algorithms-accepted, third party)"),
            scrypt=Rule("scrypt-unsupported", ERROR, "classic IOS reads no PBES2 (docs/cisco-formats.md#algorithms-accepted)"),
            mac_sha256=Rule("mac-sha256-unsupported", WARNING, _IOS_SHA256),
            mac_other=Rule("mac-digest-unsupported", WARNING, _IOS_SHA256),
            rc2_40=Rule("rc2-40-unsupported", WARNING,
                        "no IOS platform has been shown to accept RC2-40 (docs/cisco-formats.md#summary)"),
            key_ec=Rule("key-type-ec-unsupported", WARNING, "EC keys in a PKCS#12 on classic IOS are [unverified]"),
        ),
        cisco=True, use="server",
    ),
    Target(
        "iosxe",
        "Cisco IOS-XE 16.x and 17.x up to 17.9 (Catalyst, ISR, C8000, 9800 WLC)",
        LEGACY_3DES,
        _rules(
            _cisco_rules("IOS-XE"), _cli_password_rules("IOS-XE"), _ios_like("IOS-XE"),
            pbes2=Rule("pbes2-unsupported", ERROR,
                       "IOS-XE 17.09.x creates the trustpoint, imports the key, then deletes everything "
                       "('Reason: Unknown reason') for OpenSSL 3 default files (docs/cisco-formats.md#ios-import-errors, docs/cisco-formats.md#algorithms-accepted)"),
            scrypt=Rule("scrypt-unsupported", ERROR, "IOS-XE <= 17.9 reads no PBES2 (docs/cisco-formats.md#algorithms-accepted)"),
            mac_sha256=Rule("mac-sha256-unsupported", ERROR, _CSCVZ),
            mac_other=Rule("mac-digest-unsupported", ERROR, _CSCVZ + "; other SHA-2 MACs likewise [unverified]"),
            rsa_large=_IOSXE_RSA_LARGE,
            rc2_40=_IOSXE_RC2_40,
            password_short=_IOSXE_PASSWORD_SHORT,
        ),
        rsa_max_bits=4096, cisco=True, use="server",
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
                       "accept it') [unverified] (docs/cisco-formats.md#algorithms-accepted)"),
            scrypt=Rule("scrypt-unsupported", WARNING, "scrypt on IOS-XE 17.1x is [unverified]"),
            mac_other=Rule("mac-digest-unsupported", WARNING,
                           "IOS-XE 17.1x writes SHA-256 MACs; SHA-384/512 MACs are [unverified]"),
            rsa_large=_IOSXE_RSA_LARGE,
            rc2_40=_IOSXE_RC2_40,
            password_short=_IOSXE_PASSWORD_SHORT,
        ),
        rsa_max_bits=4096, cisco=True, use="server",
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
                            "broke logins, and ecdsa-sig IKEv2 auth did not complete (docs/cisco-formats.md#key-types, juliogomez/pqc)"),
            key_other=Rule("key-type-unsupported", WARNING,
                           "IOS-XE 26.2 imports RSA, EC P-256 and ML-DSA keys; other key types are [unverified]"),
            password_short=_IOSXE_PASSWORD_SHORT,
        ),
        cisco=True, use="server",
    ),
    Target(
        "nxos",
        "Cisco NX-OS 9.x/10.x (`crypto ca import <tp> pkcs12 bootflash:<file> <pw>`)",
        LEGACY_3DES,
        _rules(
            _cisco_rules("NX-OS"), _cli_password_rules(
                "NX-OS", spaces="the password is a positional argument: spaces end it (docs/cisco-formats.md#other-platforms, docs/cisco-formats.md#passwords)"),
            pbes2=Rule("pbes2-unsupported", WARNING,
                       "NX-OS import of OpenSSL 3 default (PBES2/AES) files is [unverified] (docs/cisco-formats.md#algorithms-accepted)"),
            scrypt=Rule("scrypt-unsupported", WARNING, "scrypt on NX-OS is [unverified]"),
            mac_sha256=Rule("mac-sha256-unsupported", WARNING,
                            "NX-OS import of a SHA-256 MAC is [unverified] (docs/cisco-formats.md#algorithms-accepted)"),
            mac_other=Rule("mac-digest-unsupported", WARNING, "NX-OS import of SHA-2 MACs is [unverified]"),
            rc2_40=Rule("rc2-40-unsupported", WARNING, "NX-OS import of RC2-40 is [unverified]"),
            key_ec=Rule("key-type-ec-unsupported", WARNING, "EC keys in a PKCS#12 on NX-OS are [unverified]"),
        ),
        cisco=True, use="server",
    ),
    Target(
        "windows-2016",
        "Windows Server 2016 / Windows 10 before 1709 and older (CryptoAPI PFX import)",
        LEGACY_3DES,
        {
            "pbes2": Rule("pbes2-unsupported", ERROR,
                          "Windows Server 2016 and older accept only TripleDES-SHA1; AES256-SHA256 files fail as "
                          "'the password you entered is incorrect' (Server 2019+ reads them; docs/interop.md#consumers, "
                          "ansible.windows#582)"),
            "scrypt": Rule("scrypt-unsupported", ERROR, "Windows reads no scrypt-protected PKCS#12 (docs/interop.md#consumers)"),
            "mac-sha256": Rule("mac-sha256-unsupported", ERROR,
                               "Windows Server 2016 and older need an HMAC-SHA-1 MAC ('TripleDES-SHA1'; docs/interop.md#consumers)"),
            "mac-other": Rule("mac-digest-unsupported", ERROR,
                              "Windows Server 2016 and older need an HMAC-SHA-1 MAC (docs/interop.md#consumers)"),
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
                          "26.6.1 reads AES-256 only with an explicit `security import -f pkcs12` (docs/interop.md#consumers, "
                          "openssl#19495, xca#360)"),
            "scrypt": Rule("scrypt-unsupported", ERROR, "the Keychain reads no PBES2 (docs/interop.md#consumers)"),
            "mac-sha256": Rule("mac-sha256-unsupported", ERROR,
                               "the Keychain rejects a SHA-256 MAC even with 3DES bags (docs/interop.md#consumers, xca#474)"),
            "mac-other": Rule("mac-digest-unsupported", ERROR, "the Keychain needs a SHA-1 MAC (docs/interop.md#consumers)"),
            "pbmac1": _pbmac1("the Keychain"),
            "no-mac": Rule("no-mac", ERROR, "the Keychain refuses a PKCS#12 without a MAC (docs/interop.md#consumers, forge#13)"),
            "no-encryption": Rule("no-encryption", ERROR,
                                  "macOS 15 `security import -f pkcs12` refuses an unencrypted PKCS#12 (docs/interop.md#consumers)"),
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
                          "(docs/interop.md#consumers, openssl#14790)"),
            "scrypt": Rule("scrypt-unsupported", ERROR, "the JDK reads no scrypt (docs/interop.md#feature-matrix)"),
            "mac-sha256": Rule("mac-sha256-unsupported", ERROR,
                               "JDKs before 12 (8u301) cannot verify a SHA-256 MAC (docs/interop.md#consumers)"),
            "mac-other": Rule("mac-digest-unsupported", ERROR,
                              "JDKs before 12 (8u301) verify only SHA-1 MACs (docs/interop.md#consumers)"),
            "pbmac1": _pbmac1("Java 8"),
            "no-mac": Rule("no-mac", ERROR,
                           "password-less PKCS#12 (no MAC) needs 8u301 / 11.0.12 / 17 (docs/interop.md#consumers)"),
            "keybag": Rule("keybag-ignored", ERROR,
                           "the JDK silently ignores plain keyBags, so the key is lost (docs/interop.md#feature-matrix and docs/interop.md#consumers, "
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
            "scrypt": Rule("scrypt-unsupported", ERROR, "the JDK reads no scrypt (docs/interop.md#feature-matrix)"),
            "pbes2-other-cipher": Rule("pbes2-cipher-unsupported", ERROR,
                                       "JDK 17 reads PBES2 with AES only: 'PBE parameter parsing error: expecting the "
                                       "object identifier for AES cipher' (docs/algorithms.md#who-reads-what, "
                                       "verified with JDK 17)"),
            "mac-other-hash": Rule("mac-hash-unsupported", ERROR,
                                   "JDK 17 has no HmacPBE for MD5, SM3 or SHA-3: 'Algorithm HmacPBESHA3256 not "
                                   "available' (docs/algorithms.md#who-reads-what, verified with JDK 17)"),
            "pbmac1": Rule("pbmac1-unsupported", ERROR,
                           "JDK 17 and 25 fail with 'HmacPBE1.2.840.113549.1.5.14 not available'; PBMAC1 needs "
                           "JDK 26 (docs/interop.md#consumers, verified locally)"),
            "keybag": Rule("keybag-ignored", ERROR,
                           "the JDK silently ignores plain keyBags, so the key is lost (docs/interop.md#feature-matrix and docs/interop.md#consumers, "
                           "verified with JDK 17/25)"),
            "iterations-high": Rule("iterations-too-high", ERROR,
                                    "the JDK refuses MAC, certificate and key iteration counts above 5,000,000 "
                                    "(docs/interop.md#limits-and-cves, verified with JDK 17/25)"),
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
                          "password' (docs/interop.md#consumers, strongswan-docs#5)"),
            "scrypt": Rule("scrypt-unsupported", ERROR, "Android <= 13 reads no PBES2 (docs/interop.md#consumers)"),
            "mac-sha256": Rule("mac-sha256-unsupported", WARNING,
                               "Android <= 13 rejects OpenSSL 3 default files; whether the SHA-256 MAC alone is "
                               "refused is [unverified] (docs/interop.md#consumers)"),
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
                           "`-legacy` (docs/interop.md#consumers, openssl#14790)"),
            "legacy-cipher": Rule("legacy-provider-required", ERROR,
                                  "OpenSSL 3 keeps RC2, RC4, single DES and SEED in the legacy provider "
                                  "(docs/interop.md#consumers, docs/algorithms.md#who-reads-what)"),
            "pbmac1": Rule("pbmac1-unsupported", ERROR, "OpenSSL reads PBMAC1 from 3.4 on (docs/interop.md#consumers, CHANGES 3.4)"),
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
    "legacy-cipher-unsupported": "RC2-64/128, RC4, single DES, SEED or PBES1",
    "pbes2-cipher-unsupported": "PBES2 with Camellia, ARIA, SM4 or SEED (not AES)",
    "mac-hash-unsupported": "an HMAC MAC over MD5, SM3 or SHA-3",
    "legacy-provider-required": "RC2, RC4, DES or SEED, which OpenSSL 3 reads only with its legacy provider",
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

