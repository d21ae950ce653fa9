"""How to repair each finding: the API fix (Python) and the CLI fix (a ``pkcs12kit`` command line).

Exports: api_fix, cli_fix, render_cli_fix, is_command, certificate_ref, FIELDS.

Both fixes are data, keyed by the file feature (`pkcs12kit.targets.findings.FEATURES`) or the
health code (`pkcs12kit.targets.health`). A CLI fix is either a command template or advice in
words when no command can repair the file (a new certificate or key is needed). A template holds
``{file}`` (the input), ``{out}`` (a suggested output name), ``{passin}`` (`` --passin SRC`` as the
user gave it, never a password) and ``{target}``; `render_cli_fix` fills them, so what the
command prints is a line the user can run. Fields that depend on the file itself (which
certificates to drop) are filled when the finding is made.

The advice is one shape per platform, so following one fix never raises another finding whose
fix undoes it (docs/cli.md#fixes): the ASA keeps the identity and its issuing CA (a root above is
a note: ``--drop-root``); IOS keeps the whole chain (missing CAs: ``--add-cert``).
"""

from __future__ import annotations

import hashlib
import shlex
from typing import Iterable

from ..entries import CertEntry
from ..profiles import Profile
from ..protection import Protection
from .findings import Target

__all__ = ["api_fix", "cli_fix", "render_cli_fix", "is_command", "certificate_ref", "FIELDS"]

FIELDS = ("{file}", "{out}", "{passin}", "{target}")

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
            return f"PBES2 {_CIPHER_NAMES.get(protection.cipher or '', protection.cipher)}"
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


# Features that re-encoding with the target's profile removes.
_REENCODE = frozenset({
    "pbes2", "scrypt", "rc2-40", "tripledes-2key", "legacy-cipher", "mac-sha256", "mac-other", "pbmac1",
    "pbes2-other-cipher", "mac-other-hash",
    "no-mac", "no-encryption", "keybag", "unencrypted-key", "iterations-high",
})
_PASSWORD = frozenset({"password-non-ascii", "password-question-mark", "password-whitespace",
                       "password-symbols", "password-short"})

_NEW_CERTIFICATE = "obtain a new certificate for the key (or a new key and certificate), then: " \
                   "pkcs12kit create -o {out} --key KEY --cert CERT --chain CA.pem --target {target}"

_API_FIXES = {
    "pss-certificate": "have the certificates re-issued with a PKCS#1 v1.5 signature (sha256WithRSAEncryption) "
                       "or ECDSA, and no RSASSA-PSS keys",
    "ec-explicit": "use a named curve (P-256, P-384) for keys and certificates",
    "key-ec": "use an RSA-2048 key for this target",
    "key-ec-ssh": "pin the SSH host key algorithms (`ip ssh server algorithm hostkey rsa-sha2-512 rsa-sha2-256`) "
                  "or use an RSA key",
    "key-other": "use an RSA-2048 key for this target",
    "rsa-large": "use an RSA key of at most {bits} bits",
    "key-unreadable": "check the file with `openssl pkcs12 -info`; re-export the key and certificates",
    "no-private-key": "export the identity with its private key (PKCS12.build(key=..., certificate=...))",
    "no-certificate": "add the certificate issued for the key (PKCS12.build(key=..., certificate=...))",
    "multiple-keys": "write one key and its certificate chain per file",
    "key-certificate-mismatch": "put the private key that belongs to the certificate in the file",
    "no-local-key-id": "rebuild with PKCS12.build(key=p12.key, certificate=p12.certificate, chain=p12.chain), "
                       "which gives the key and its certificate a localKeyId (SHA-1 of the certificate)",
    "missing-issuer": "add the issuing CA certificate: PKCS12.build(key=..., certificate=..., chain=[issuer, ...])",
    "incomplete-chain": "add the root CA certificate: PKCS12.build(..., chain=[*p12.chain, root])",
    "intermediate-trustpoints": "keep the chain; answer 'yes' to the hierarchy prompt and delete the old "
                                "<label>-rrrN trustpoints on renewal",
    "extra-trustpoint": "leave out the root: PKCS12.build(key=p12.key, certificate=p12.certificate, "
                        "chain=p12.chain[:1]), or expect a second trustpoint <tp>-1 and delete it on renewal",
    "unrelated-certificates": "rebuild without the certificates that are not in the identity's chain",
    "chain-order": "rebuild with PKCS12.build(...), which writes the leaf, then its issuers up to the root",
    "password-legacy-encoding": "re-encode with the same password: pkcs12kit writes the standard (BMPString) "
                                "encoding",
    "password-non-ascii": "use an ASCII password (8-64 characters from [A-Za-z0-9] suit every target)",
    "password-question-mark": "use a password of 8-64 characters from [A-Za-z0-9]",
    "password-whitespace": "use a password of 8-64 characters from [A-Za-z0-9]",
    "password-symbols": "use a password of 8-64 characters from [A-Za-z0-9]",
    "password-short": "use a password of at least 8 characters",
}

_REPACK = "pkcs12kit repack {file} -o {out}{passin}"
_CLI_FIXES = {
    "pss-certificate": "have the certificates re-issued with sha256WithRSAEncryption or ECDSA, then: "
                       "pkcs12kit create -o {out} --key KEY --cert CERT --chain CA.pem --target {target}",
    "ec-explicit": "use a key on a named curve (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256), "
                   "then: pkcs12kit create -o {out} --key KEY --cert CERT --target {target}",
    "key-ec": "use an RSA key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) and a certificate "
              "for it, then: pkcs12kit create -o {out} --key KEY --cert CERT --target {target}",
    "key-ec-ssh": "on the device: ip ssh server algorithm hostkey rsa-sha2-512 rsa-sha2-256 (or use an RSA key)",
    "key-other": "use an RSA key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) and a certificate "
                 "for it, then: pkcs12kit create -o {out} --key KEY --cert CERT --target {target}",
    "rsa-large": "use an RSA key of at most {bits} bits and a certificate for it, then: "
                 "pkcs12kit create -o {out} --key KEY --cert CERT --target {target}",
    "key-unreadable": "re-export the key and certificates from their source (openssl pkcs12 -info -in {file} "
                      "shows what openssl reads)",
    "no-private-key": "export the identity again with its private key, or: "
                      "pkcs12kit create -o {out} --key KEY --cert CERT --target {target}",
    "no-certificate": "with CERT the certificate issued for the key: "
                      "pkcs12kit create -o {out} --key KEY --cert CERT --target {target}",
    "multiple-keys": "write one identity per file: pkcs12kit extract {file} --keys{passin} shows the keys; "
                     "pkcs12kit create -o {out} --key KEY --cert CERT --target {target}",
    "key-certificate-mismatch": "with KEY the private key the certificate was issued for: "
                                "pkcs12kit create -o {out} --key KEY --cert CERT --target {target}",
    "no-local-key-id": _REPACK + " --rebuild --target {target}",
    "chain-order": _REPACK + " --rebuild --target {target}",
    "missing-issuer": _REPACK + " --add-cert ISSUER-CA.pem --target {target}",
    "incomplete-chain": _REPACK + " --add-cert ROOT-CA.pem --target {target}",
    "intermediate-trustpoints": "keep the chain; answer 'yes' to the hierarchy prompt, and delete the old "
                                "-rrrN trustpoints on renewal (pkcs12kit show {file} --platform ios{passin} "
                                "lists them)",
    "extra-trustpoint": _REPACK + " --drop-root --target {target}",
    "unrelated-certificates": _REPACK + "{drop_unrelated} --target {target}",
    "password-legacy-encoding": _REPACK,
    "password-non-ascii": _REPACK + " --target {target} --passout env:NEWPASS   "
                                    "# NEWPASS: 8-64 letters and digits",
}
for _feature in ("password-question-mark", "password-whitespace", "password-symbols", "password-short"):
    _CLI_FIXES[_feature] = _CLI_FIXES["password-non-ascii"]
for _feature in _REENCODE:
    _CLI_FIXES[_feature] = _REPACK + " --target {target}"


def certificate_ref(entry: CertEntry) -> str:
    """How a CLI fix names one certificate for ``repack --drop-cert``: ``sha256:`` and the first
    16 hex digits of its fingerprint (unambiguous, and safe in a shell)."""
    return "sha256:" + hashlib.sha256(entry.der).hexdigest()[:16]


def _drop_args(entries: Iterable[CertEntry]) -> str:
    return "".join(f" --drop-cert {certificate_ref(entry)}" for entry in entries)


def api_fix(feature: str, spec: Target) -> str:
    """The API fix for a file ``feature`` on target ``spec`` (Python, for library users)."""
    if feature in _REENCODE:
        return (f"re-encode with targets.profile_for({spec.name!r}) ({_summary(spec.profile)}): "
                f"pkcs12kit.dumps(p12, password, profile=targets.profile_for({spec.name!r}))")
    return _API_FIXES[feature].format(bits=spec.rsa_max_bits)


def cli_fix(feature: str, spec: Target, *, unrelated: Iterable[CertEntry] = ()) -> str:
    """The CLI fix template for a file ``feature`` on target ``spec``; ``unrelated``: the
    certificates outside the identity's chain (for ``--drop-cert``)."""
    template = _CLI_FIXES[feature]
    return (template.replace("{bits}", str(spec.rsa_max_bits))
            .replace("{drop_unrelated}", _drop_args(unrelated))
            .replace("{target}", spec.name))


def is_command(fix: str) -> bool:
    """Whether a CLI fix is a command line (rather than advice in words)."""
    return fix.startswith("pkcs12kit ")


def render_cli_fix(fix: str, *, file: str, out: str | None = None, passin: str | None = None,
                   target: str | None = None, force_target: bool = False) -> str:
    """Fill a CLI fix template with the user's own names: ``file`` (the input path), ``out``
    (default: ``<stem>-fixed.p12`` next to it), ``passin`` (the --passin source as given; a
    ``pass:`` source is shown as ``env:P12PASS``, since a password is never printed) and
    ``target``. ``force_target`` appends ``--force-target`` to a command that writes for a
    target, for when other errors remain that this fix does not repair."""
    if out is None:
        stem = file[:-4] if file.lower().endswith((".p12", ".pfx", ".txt", ".pem")) else file
        out = (stem if stem not in ("-", "<stdin>") else "stdin") + "-fixed.p12"
    if passin is None:
        passin_arg = ""
    else:
        passin_arg = " --passin " + shlex.quote("env:P12PASS" if passin.startswith("pass:") else passin)
    text = (fix.replace("{file}", shlex.quote(file)).replace("{out}", shlex.quote(out))
            .replace("{passin}", passin_arg))
    if target is not None:
        text = text.replace("{target}", target)
    if force_target and is_command(text) and "--target" in text:
        command, hash_, comment = text.partition("   #")
        text = command + " --force-target" + (hash_ + comment if hash_ else "")
    return text
