"""The ``pkcs12kit`` command: inspect, check, convert, re-protect and build PKCS#12 files.

Exports: main, EXIT_CODES, info_document.

Subcommands: info, show, convert, repack, create, extract, check, cisco-import, demo (docs/cli.md
has each one with examples, the exit codes, the password sources and the ``info --json`` schema).

Safety rules every subcommand follows: outputs are written with `api.write_atomically` (a
temporary file in the same directory, fsync, then a rename or link: never a partial file); an
output is never the input file (same path or inode), except ``repack --in-place``, which first
keeps a backup ``IN.bak``; an existing file is replaced only with ``--force``; ``-o -`` writes to
standard output. Passwords come from `pkcs12kit.passwords` sources and never appear in messages.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import json
import os
import sys
import warnings

from . import __version__
from .errors import (
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    PKCS12Error,
    UnsupportedAlgorithmError,
)
from .passwords import PasswordReader, PasswordSourceError

__all__ = ["main", "EXIT_CODES", "info_document"]

# --- exit codes ------------------------------------------------------------------------------

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 8
# One exit code per error class (docs/cli.md "Exit codes"); subclasses before their bases.
EXIT_CODES = {
    MalformedError: 3,
    BadPasswordError: 4,
    UnsupportedAlgorithmError: 5,
    LimitExceededError: 6,
    EncodeError: 7,
}

EXIT_EPILOG = """\
exit codes:
  0  success (check: no findings, the target accepts the file)
  1  check: findings (the target refuses or may refuse the file; see --fail-on)
  2  usage error, password source error, unreadable or missing file, output refused
     (exists without --force, or is the input file)
  3  malformed input (not PKCS#12, broken base64 or PEM: the message names the line)
  4  wrong password, or a password is needed and none could be asked for
  5  unsupported algorithm
  6  a limit was exceeded (iterations, size, nesting)
  7  cannot encode what was asked (e.g. a password the device CLI cannot take)
  8  internal error (a bug: please report it)

password sources (--passin, --passout), as openssl takes them:
  pass:TEXT  env:VAR  file:PATH (first line)  fd:N  stdin (first line)  prompt
  without one, pkcs12kit asks on the terminal (never echoed) when a password is needed;
  the same file:/fd:/stdin source for --passin and --passout gives line 1 and line 2.
"""

SAMPLE = "iosxe-trustpoint-export.txt"
SAMPLE_PASSWORD = "cisco123"

# Labels of a PEM bundle of keys and certificates (as opposed to an armored PKCS#12).
_BUNDLE_LABELS = frozenset({
    "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY",
})


class UsageError(Exception):
    """The command cannot run as asked (exit 2); the message says why and how to fix it."""


# --- inputs ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Loaded:
    """A decoded input: the PKCS12, the form it came in, its DER when it was a PKCS#12 (None for a
    PEM bundle), the password that opened it (None: none needed) and the raw input bytes."""

    name: str
    p12: object
    form: str
    der: bytes | None
    password: str | None
    raw: bytes


def _read_bytes(path: str, stdin) -> bytes:
    from .limits import DEFAULT_LIMITS

    limit = DEFAULT_LIMITS.max_input_size
    if path == "-":
        stream = getattr(stdin, "buffer", stdin)
        data = stream.read(limit + 1)
    else:
        if os.path.isdir(path):
            raise UsageError(f"{path}: is a directory, not a file")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise LimitExceededError(
            f"{_display(path)}: over Limits.max_input_size ({limit:,} bytes)"
        )
    return data


def _display(path: str) -> str:
    return "<stdin>" if path == "-" else path


def _pem_labels(text: str) -> list[str]:
    from .armor import pem_marker, split_lines

    labels = []
    if "-----" not in text:
        return labels
    for line in split_lines(text):
        marker = pem_marker(line)
        if marker is not None and marker[0] == "BEGIN":
            labels.append(marker[1].strip().upper())
    return labels


def _as_text(data: bytes) -> str | None:
    """The input as text when it is not binary DER (UTF-8, UTF-8 BOM or UTF-16 BOM), else None."""
    if data[:1] == b"\x30":
        return None
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _is_pem_bundle(text: str | None) -> bool:
    from .armor import is_pkcs12_label
    from .cisco import looks_like_transcript

    if text is None:
        return False
    labels = _pem_labels(text)
    if not labels or any(is_pkcs12_label(label) for label in labels):
        return False
    return any(label in _BUNDLE_LABELS for label in labels) and not looks_like_transcript(text)


def _named(err: PKCS12Error, name: str) -> PKCS12Error:
    """The same error class with the input's name in front of the message."""
    renamed = type(err)(f"{name}: {err}")
    renamed.__cause__ = err
    return renamed


class Session:
    """What one command invocation shares: arguments, the password reader, the streams."""

    def __init__(self, args, stdin=None, stdout=None, stderr=None):
        self.args = args
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self.reader = PasswordReader(stdin=self.stdin)
        self._passin = None
        self._passout = None

    def read_sources(self) -> None:
        """Read --passin then --passout now, in that order, as openssl does (so that the same
        file:/fd:/stdin source yields line 1 for the input and line 2 for the output)."""
        args = self.args
        passin = getattr(args, "passin", None)
        passout = getattr(args, "passout", None)
        inputs = [getattr(args, name, None) for name in ("input", "key", "cert")]
        if args.command == "create":
            inputs += list(args.chain)
        if "-" in inputs and "stdin" in (passin, passout):
            raise UsageError("the input is '-' (standard input), so a password cannot come from stdin too")
        if passin is not None and passin != "prompt":
            self._passin = self.reader.read(passin, option="--passin")
        if passout is not None and passout != "prompt":
            self._passout = self.reader.read(passout, option="--passout")

    def close(self) -> None:
        self.reader.close()

    # --- passwords ----------------------------------------------------------------------------

    def passin(self, what: str) -> str | None:
        """The --passin password (prompting when the source is ``prompt``), or None."""
        if self.args.passin == "prompt":
            if self._passin is None:
                self._passin = self.reader.prompt(what, option="--passin")
        return self._passin

    def need_passin(self, what: str) -> str:
        """The --passin password, else a prompt; with no terminal to ask on, BadPasswordError
        (exit 4, like a PKCS#12 that needs a password)."""
        password = self.passin(what)
        if password is not None:
            return password
        if not self.reader.can_prompt():
            raise BadPasswordError(
                f"{what} is needed and standard input is not a terminal to ask on; give --passin "
                "(pass:TEXT, env:VAR, file:PATH, fd:N or stdin)"
            )
        return self.reader.prompt(what, option="--passin")

    def passout(self, what: str, *, fallback=None, required: bool = True) -> str | None:
        """The output password: --passout; else ``fallback`` (usually the input's password);
        else, when ``required``, a confirmed prompt (an error when there is no terminal)."""
        source = getattr(self.args, "passout", None)
        if source == "prompt":
            if self._passout is None:
                self._passout = self.reader.prompt(what, option="--passout", confirm=True)
            return self._passout
        if source is not None:
            return self._passout
        if fallback is not None:
            return fallback
        if not required:
            return None
        return self.reader.prompt(what, option="--passout", confirm=True)

    # --- loading ------------------------------------------------------------------------------

    def load(self, path: str) -> Loaded:
        """Read and decode an input: PKCS#12 in any form (DER/BER, base64, PEM armor, a Cisco
        transcript) or a PEM bundle of a key and certificates."""
        from . import armor, cisco
        from .api import loads

        name = _display(path)
        raw = _read_bytes(path, self.stdin)
        text = _as_text(raw)
        try:
            if _is_pem_bundle(text):
                password = None
                if "ENCRYPTED" in text:
                    password = self.need_passin("the pass phrase of the private key")
                p12 = cisco.parse_pem_transcript(text, password)
                return Loaded(name, p12, "pem-bundle", None, password, raw)
            der, form = armor.unarmor(raw)
            password = self.passin(f"password for {name}")
            if password is not None:
                return Loaded(name, loads(der, password), form, der, password, raw)
            try:
                return Loaded(name, loads(der, None), form, der, None, raw)
            except BadPasswordError:
                if not self.reader.can_prompt():
                    raise BadPasswordError(
                        "a password is needed and standard input is not a terminal to ask on; "
                        "give --passin (pass:TEXT, env:VAR, file:PATH, fd:N or stdin)"
                    ) from None
            password = self.reader.prompt(f"password for {name}", option="--passin")
            return Loaded(name, loads(der, password), form, der, password, raw)
        except PKCS12Error as err:
            raise _named(err, name) from err

    # --- output -------------------------------------------------------------------------------

    def check_output(self, output: str | None, *, inputs=(), force: bool = False) -> None:
        """Refuse an output before any work is done (and any password asked): the input itself,
        a directory, or an existing file without ``force``. `write` checks again."""
        if output is None or output == "-":
            return
        refuse_input(output, inputs)
        if os.path.isdir(output):
            raise UsageError(f"{output}: is a directory; give a file name with -o")
        if os.path.lexists(output) and not force:
            raise UsageError(f"{output}: exists; pass --force to replace it")

    def write(self, output: str, data: bytes | str, *, inputs=(), force: bool = False) -> None:
        """Write to ``output`` (``-``: standard output) atomically, never over an input and never
        over an existing file without ``force``."""
        from .api import write_atomically

        if output == "-":
            if isinstance(data, str):
                self.stdout.write(data)
            else:  # DER: the binary stream under the text one
                self.stdout.flush()
                self.stdout.buffer.write(data)
                self.stdout.buffer.flush()
            return
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.check_output(output, inputs=inputs, force=force)
        try:
            write_atomically(output, data, overwrite=force)
        except FileExistsError:
            raise UsageError(f"{output}: exists; pass --force to replace it") from None

    def note(self, message: str) -> None:
        print(f"pkcs12kit: note: {message}", file=self.stderr)

    def warn(self, message: str) -> None:
        print(f"pkcs12kit: warning: {message}", file=self.stderr)


def _same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_input(output: str, inputs) -> None:
    """UsageError when ``output`` names one of ``inputs`` (same path after symlinks, or the same
    inode through a hard link)."""
    for path in inputs:
        if path and path != "-" and _same_file(output, path):
            raise UsageError(
                f"{output}: is the input file {path}; refusing to write over it (choose another "
                "output; repack --in-place keeps a backup)"
            )


# --- profiles and targets --------------------------------------------------------------------


def _profile_arg(value: str):
    from .profiles import PROFILES

    for name, profile in PROFILES.items():
        if name.lower() == value.lower().replace("-", "_"):
            return profile
    raise argparse.ArgumentTypeError(f"unknown profile {value!r}; choose from {', '.join(PROFILES)}")


def _target_names() -> list[str]:
    from .targets import TARGETS

    return list(TARGETS)


def _target_arg(value: str) -> str:
    names = _target_names()
    if value in names:
        return value
    lowered = {name.lower(): name for name in names}
    if value.lower() in lowered:
        return lowered[value.lower()]
    raise argparse.ArgumentTypeError(f"unknown target {value!r}; choose from {', '.join(names)}")


def chosen_profile(args, default):
    """--profile, else --target's profile, else ``default``."""
    from .targets import profile_for

    if getattr(args, "profile", None) is not None:
        return args.profile
    if getattr(args, "target", None) is not None:
        return profile_for(args.target)
    return default


def _profile_requested(args) -> bool:
    return getattr(args, "profile", None) is not None or getattr(args, "target", None) is not None


def _needs_password(profile) -> bool:
    return not (profile.key_protection is None and profile.cert_protection is None and profile.mac is None)


# --- info ------------------------------------------------------------------------------------

_NAME_ATTRIBUTES = {
    "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "STREET",
    "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.5": "serialNumber", "2.5.4.4": "SN", "2.5.4.42": "GN",
    "2.5.4.12": "title", "2.5.4.17": "postalCode", "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID", "1.2.840.113549.1.9.1": "emailAddress",
    "1.2.840.113549.1.9.2": "unstructuredName", "1.2.840.113549.1.9.8": "unstructuredAddress",
}


def _escape_dn(value: str) -> str:
    """RFC 4514 section 2.4 escaping of an attribute value."""
    out = []
    for index, char in enumerate(value):
        if char in ',+"\\<>;' or (char == "#" and index == 0) or (char == " " and index in (0, len(value) - 1)):
            out.append("\\" + char)
        elif char == "\x00":
            out.append("\\00")
        else:
            out.append(char)
    return "".join(out)


def name_text(name) -> str:
    """An asn1crypto Name as an RFC 4514 string (most specific RDN first)."""
    parts = []
    try:
        rdns = list(name.chosen)
    except Exception:
        return "<unparsable name>"
    for rdn in reversed(rdns):
        values = []
        for pair in rdn:
            oid = pair["type"].dotted
            label = _NAME_ATTRIBUTES.get(oid, oid)
            try:
                value = pair["value"].native
            except Exception:
                value = None
            if isinstance(value, str):
                values.append(f"{label}={_escape_dn(value)}")
            else:
                values.append(f"{label}=#{pair['value'].dump().hex()}")
        parts.append("+".join(values))
    return ",".join(parts)


def _when(moment) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _serial(number: int) -> str:
    text = format(abs(number), "X")
    if len(text) % 2:
        text = "0" + text
    return ("-" if number < 0 else "") + text


def _protection_doc(protection) -> dict | None:
    if protection is None:
        return None
    return dataclasses.asdict(protection)


def _key_doc(entry) -> dict:
    doc = {"algorithm": None, "bits": None, "curve": None}
    try:
        info = entry.private_key
        algorithm = info.algorithm
        doc["algorithm"] = algorithm
        if algorithm == "ec":
            doc["curve"] = info.curve[1]
        if algorithm in ("rsa", "rsassa_pss", "dsa", "ec"):
            doc["bits"] = info.bit_size
        elif algorithm in ("ed25519", "ed448", "x25519", "x448"):
            doc["curve"] = algorithm
            doc["bits"] = {"ed25519": 256, "x25519": 256, "ed448": 456, "x448": 448}[algorithm]
    except Exception:
        doc["algorithm"] = doc["algorithm"] or "unparsable"
    return doc


def _cert_doc(entry) -> dict:
    doc = {"subject": None, "issuer": None, "serial": None, "not_before": None, "not_after": None,
           "self_issued": None, "ca": None, "key_algorithm": None, "key_bits": None}
    try:
        cert = entry.certificate
        doc["subject"] = name_text(cert.subject)
        doc["issuer"] = name_text(cert.issuer)
        doc["serial"] = _serial(cert.serial_number)
        doc["not_before"] = _when(cert.not_valid_before)
        doc["not_after"] = _when(cert.not_valid_after)
        doc["self_issued"] = cert.self_issued
        doc["ca"] = bool(cert.ca)
        public = cert.public_key
        doc["key_algorithm"] = public.algorithm
        try:
            doc["key_bits"] = public.bit_size
        except Exception:
            doc["key_bits"] = None
    except Exception:
        doc["subject"] = doc["subject"] or "<unparsable certificate>"
    return doc


def _index_of(entry, entries) -> int | None:
    for index, candidate in enumerate(entries):
        if candidate is entry:
            return index
    return None


def _key_certificate(key, p12) -> int | None:
    from .chain import public_key_matches

    certificates = p12.certificates
    if key.local_key_id is not None:
        for index, cert in enumerate(certificates):
            if cert.local_key_id == key.local_key_id:
                return index
    for index, cert in enumerate(certificates):
        if public_key_matches(key, cert):
            return index
    return None


def info_document(p12, *, name: str | None = None, form: str | None = None) -> dict:
    """The ``info --json`` document (schema ``pkcs12kit-info/1``, docs/cli.md)."""
    certificates = p12.certificates
    identity_cert = p12.certificate
    mac = None
    if p12.mac is not None:
        mac = {
            "kind": p12.mac.kind, "digest": p12.mac.digest, "iterations": p12.mac.iterations,
            "salt_length": len(p12.mac.salt), "prf": p12.mac.prf, "key_length": p12.mac.key_length,
            "verified": bool(p12.mac_verified),
        }
    profile = p12.profile
    keys = []
    for index, key in enumerate(p12.keys):
        doc = {"index": index, **_key_doc(key), "friendly_name": key.friendly_name,
               "local_key_id": key.local_key_id.hex() if key.local_key_id is not None else None,
               "protection": _protection_doc(key.protection), "certificate": _key_certificate(key, p12)}
        keys.append(doc)
    certs = []
    for index, cert in enumerate(certificates):
        certs.append({
            "index": index, **_cert_doc(cert), "friendly_name": cert.friendly_name,
            "local_key_id": cert.local_key_id.hex() if cert.local_key_id is not None else None,
            "sha256": hashlib.sha256(cert.der).hexdigest(),
        })
    crls = []
    for index, entry in enumerate(p12.crls):
        doc = {"index": index, "issuer": None, "this_update": None, "next_update": None,
               "friendly_name": entry.friendly_name}
        try:
            tbs = entry.crl["tbs_cert_list"]
            doc["issuer"] = name_text(tbs["issuer"])
            doc["this_update"] = _when(tbs["this_update"].native)
            doc["next_update"] = _when(tbs["next_update"].native)
        except Exception:
            doc["issuer"] = doc["issuer"] or "<unparsable crl>"
        crls.append(doc)
    secrets = [{"index": index, "type_id": entry.type_id, "algorithm": entry.algorithm,
                "length": len(entry.value), "friendly_name": entry.friendly_name}
               for index, entry in enumerate(p12.secrets)]
    unknown = [{"index": index, "bag_id": entry.bag_id, "length": len(entry.value_der)}
               for index, entry in enumerate(p12.unknown_bags)]
    return {
        "schema": "pkcs12kit-info/1",
        "file": name,
        "form": form,
        "profile": profile.name if profile is not None else None,
        "password_encoding": p12.password_encoding,
        "mac": mac,
        "safes": [{"index": index, "kind": safe.kind, "protection": _protection_doc(safe.protection),
                   "bags": safe.bag_count} for index, safe in enumerate(p12.safes)],
        "keys": keys,
        "certificates": certs,
        "identity": {
            "key": 0 if p12.key is not None else None,
            "certificate": _index_of(identity_cert, certificates) if identity_cert is not None else None,
            "chain": [_index_of(entry, certificates) for entry in p12.chain],
        },
        "crls": crls,
        "secrets": secrets,
        "unknown_bags": unknown,
    }


def _protection_text(protection: dict | None) -> str:
    if protection is None:
        return "not encrypted"
    if protection["scheme"] == "pbes2":
        kdf = protection["kdf"] or "?"
        if kdf == "pbkdf2":
            kdf = f"PBKDF2-HMAC-{(protection['prf'] or 'sha1').upper()}"
        elif kdf == "scrypt":
            kdf = f"scrypt N={protection['scrypt_n']} r={protection['scrypt_r']} p={protection['scrypt_p']}"
        text = f"PBES2 {kdf} {protection['cipher'] or '?'}"
    else:
        text = protection["scheme"]
        if protection["rc2_bits"] and "rc2" in text and str(protection["rc2_bits"]) not in text:
            text += f" ({protection['rc2_bits']}-bit)"
    if protection["iterations"] is not None:
        text += f", {protection['iterations']} iterations"
    if protection["salt_length"] is not None:
        text += f", {protection['salt_length']}-byte salt"
    return text


def info_text(doc: dict) -> str:
    """The human summary `info` prints, made from the same document as ``--json``."""
    lines = [f"file: {doc['file']} ({doc['form']})"]
    lines.append(f"profile: {doc['profile'] or 'none (not a PKCS#12: no protection)'}")
    if doc["password_encoding"]:
        lines.append(f"password encoding: {doc['password_encoding']}")
    mac = doc["mac"]
    if doc["form"] == "pem-bundle":
        lines.append("MAC: none (a PEM bundle)")
    elif mac is None:
        lines.append("MAC: none (no integrity protection)")
    else:
        state = "verified" if mac["verified"] else "NOT verified"
        if mac["kind"] == "pbmac1":
            kind = f"PBMAC1 HMAC-{mac['digest'].upper()} (PBKDF2-HMAC-{(mac['prf'] or '?').upper()}, {mac['key_length']}-byte key)"
        else:
            kind = f"HMAC-{mac['digest'].upper()}"
        lines.append(f"MAC: {kind}, {mac['iterations']} iterations, {mac['salt_length']}-byte salt, {state}")
    for safe in doc["safes"]:
        what = "data, not encrypted" if safe["protection"] is None else f"encryptedData, {_protection_text(safe['protection'])}"
        lines.append(f"safe {safe['index']}: {what}; {safe['bags']} bag(s)")
    lines.append(f"keys: {len(doc['keys'])}")
    for key in doc["keys"]:
        kind = key["algorithm"] or "?"
        if key["curve"] and key["curve"] != kind:
            kind += f" {key['curve']}"
        if key["bits"]:
            kind += f" {key['bits']} bits"
        lines.append(f"  key [{key['index']}]: {kind}")
        lines.extend(_names_lines(key))
        bag = "pkcs8ShroudedKeyBag, " + _protection_text(key["protection"]) if key["protection"] else "keyBag (not encrypted)"
        lines.append(f"    stored as: {bag}")
        if key["certificate"] is not None:
            lines.append(f"    certificate: [{key['certificate']}]")
    lines.append(f"certificates: {len(doc['certificates'])}")
    for cert in doc["certificates"]:
        lines.append(f"  certificate [{cert['index']}]: {cert['subject']}")
        lines.append(f"    issuer: {cert['issuer']}")
        lines.append(f"    serial: {cert['serial']}")
        lines.append(f"    valid: {cert['not_before']} to {cert['not_after']}")
        if cert["key_algorithm"]:
            bits = f" {cert['key_bits']} bits" if cert["key_bits"] else ""
            lines.append(f"    public key: {cert['key_algorithm']}{bits}{', CA' if cert['ca'] else ''}"
                         f"{', self-issued' if cert['self_issued'] else ''}")
        lines.extend(_names_lines(cert))
        lines.append(f"    sha256: {cert['sha256']}")
    identity = doc["identity"]
    if identity["key"] is not None or identity["certificate"] is not None:
        key = "none" if identity["key"] is None else f"key [{identity['key']}]"
        cert = "no certificate" if identity["certificate"] is None else f"certificate [{identity['certificate']}]"
        chain = " -> ".join(f"[{i}]" for i in identity["chain"]) or "none in the file"
        lines.append(f"identity: {key}, {cert}; chain (leaf to root): {chain}")
    for crl in doc["crls"]:
        lines.append(f"crl [{crl['index']}]: issuer {crl['issuer']}, this update {crl['this_update']}, "
                     f"next update {crl['next_update']}")
    for secret in doc["secrets"]:
        lines.append(f"secret [{secret['index']}]: {secret['algorithm'] or secret['type_id']}, "
                     f"{secret['length']} bytes" + (f", friendly name {secret['friendly_name']!r}"
                                                     if secret["friendly_name"] is not None else ""))
    for bag in doc["unknown_bags"]:
        lines.append(f"unknown bag [{bag['index']}]: {bag['bag_id']}, {bag['length']} bytes")
    return "\n".join(lines) + "\n"


def _names_lines(entry: dict) -> list[str]:
    lines = []
    if entry["friendly_name"] is not None:
        lines.append(f"    friendly name: {entry['friendly_name']!r}")
    if entry["local_key_id"] is not None:
        lines.append(f"    localKeyId: {entry['local_key_id']}")
    return lines


# --- subcommands -----------------------------------------------------------------------------


def cmd_info(session: Session) -> int:
    args = session.args
    loaded = session.load(args.input)
    doc = info_document(loaded.p12, name=loaded.name, form=loaded.form)
    if args.json:
        session.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        session.stdout.write(info_text(doc))
    return EXIT_OK


def cmd_show(session: Session) -> int:
    from . import cisco

    args = session.args
    loaded = session.load(args.input)
    view = cisco.trustpoint(loaded.p12, args.platform, name=args.trustpoint)
    session.stdout.write(cisco.show_certificates(loaded.p12, args.platform, args.trustpoint))
    for warning in view.warnings:
        session.warn(warning)
    return EXIT_OK


def _check_platform(session: Session, p12, platform: str, password) -> None:
    """Notes on stderr for what ``platform`` would refuse in a file written as it is."""
    from .targets import check

    target = {"ios-xe": "iosxe"}.get(platform.lower(), platform.lower())
    try:
        findings = check(p12, target, password=password)
    except ValueError:
        return
    for finding in findings:
        session.warn(f"{target}: {finding.severity}: {finding.message} (fix: re-encode with --target {target})")


def cmd_convert(session: Session) -> int:
    from . import armor, cisco
    from .api import dumps
    from .profiles import MODERN

    args = session.args
    session.check_output(args.output, inputs=[args.input], force=args.force)
    loaded = session.load(args.input)
    p12 = loaded.p12
    if args.to == "pem-bundle":
        if _profile_requested(args):
            raise UsageError("--profile/--target do not apply to --to pem-bundle")
        password = session.passout("pass phrase for the PEM private key", required=False)
        if p12.keys and password is None:
            session.note("the private key is written unencrypted; give --passout to encrypt it")
        text = p12.to_pem(password)
        if not text:
            raise UsageError(f"{loaded.name}: holds no key, certificate or CRL to write")
        session.write(args.output, text, inputs=[args.input], force=args.force)
        return EXIT_OK
    platform = args.to if args.to in ("asa", "ios") else None
    reencode = loaded.der is None or args.passout is not None or _profile_requested(args)
    if reencode:
        default = cisco.default_profile(platform) if platform else (p12.profile or MODERN)
        profile = chosen_profile(args, default)
        password = None
        if _needs_password(profile):
            password = session.passout("password for the output", fallback=loaded.password)
        if platform:
            if password is None:
                raise UsageError(f"--to {platform}: the device needs a password; give --passout")
            text = cisco.export_text(p12, platform, password=password, profile=profile)
            session.write(args.output, text, inputs=[args.input], force=args.force)
            return EXIT_OK
        der = dumps(p12, password, profile=profile)
    else:
        der = loaded.der
        if platform:
            _check_platform(session, p12, platform, loaded.password)
            session.write(args.output, cisco.export_text(der, platform), inputs=[args.input], force=args.force)
            return EXIT_OK
    if args.to == "der":
        data: bytes | str = der
    elif args.to == "pem":
        data = armor.armor(der)
    else:  # base64
        data = "\n".join(armor.base64_lines(der, 64)) + "\n"
    session.write(args.output, data, inputs=[args.input], force=args.force)
    return EXIT_OK


def cmd_repack(session: Session) -> int:
    from .api import dumps, write_atomically
    from .profiles import MODERN

    args = session.args
    output = args.output
    if args.in_place:
        if args.input == "-":
            raise UsageError("--in-place needs an input file, not standard input")
        if output is not None and not _same_file(output, args.input):
            raise UsageError("--in-place writes over the input; do not give -o with another file")
        output = args.input
    elif output is None:
        raise UsageError("give -o OUT (or --in-place to replace the input, keeping IN.bak)")
    elif args.input != "-" and output != "-" and _same_file(output, args.input):
        raise UsageError(
            f"{output}: is the input file; refusing to write over it, even with --force (use "
            "--in-place, which keeps a backup IN.bak)"
        )
    if not args.in_place:
        session.check_output(output, inputs=[args.input], force=args.force)
    elif os.path.lexists(os.path.realpath(args.input) + ".bak") and not args.force:
        raise UsageError(f"{os.path.realpath(args.input)}.bak: exists; pass --force to replace the backup")
    loaded = session.load(args.input)
    profile = chosen_profile(args, loaded.p12.profile or MODERN)
    password = None
    if _needs_password(profile):
        password = session.passout("password for the output", fallback=loaded.password)
    der = dumps(loaded.p12, password, profile=profile)
    if args.in_place:
        # Through a symbolic link, replace the file it points to (the link stays a link), and
        # keep that file's permission bits (a new file would be 0600).
        target = os.path.realpath(args.input)
        mode = os.stat(target).st_mode & 0o7777
        backup = target + ".bak"
        if os.path.lexists(backup) and not args.force:
            raise UsageError(f"{backup}: exists; pass --force to replace the backup")
        write_atomically(backup, loaded.raw, overwrite=args.force)
        write_atomically(target, der, overwrite=True)
        os.chmod(target, mode)
        session.note(f"{target} replaced; the original is in {backup}")
        return EXIT_OK
    session.write(output, der, inputs=[args.input], force=args.force)
    return EXIT_OK


def _read_certificates(path: str, session: Session) -> list[bytes]:
    from .inputs import pem_blocks

    data = _read_bytes(path, session.stdin)
    if data[:1] == b"\x30":
        return [data]
    certificates = [der for label, der in pem_blocks(data) if label in ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")]
    if not certificates:
        raise MalformedError(f"{_display(path)}: no -----BEGIN CERTIFICATE----- block and not DER")
    return certificates


def _read_key(path: str, session: Session):
    """The private key of a PEM or DER file (PKCS#8, PKCS#1, SEC 1; encrypted ones with
    --passin), as a KeyEntry."""
    from cryptography.hazmat.primitives import serialization

    from .model import KeyEntry

    data = _read_bytes(path, session.stdin)
    name = _display(path)
    pem = b"-----BEGIN" in data
    loader = serialization.load_pem_private_key if pem else serialization.load_der_private_key
    try:
        key = loader(data, None, unsafe_skip_rsa_key_validation=True)
    except TypeError:  # encrypted: cryptography wants a password
        password = session.need_passin(f"the pass phrase of {name}")
        try:
            key = loader(data, password.encode("utf-8"), unsafe_skip_rsa_key_validation=True)
        except ValueError:
            raise BadPasswordError(f"{name}: cannot decrypt the private key (wrong pass phrase?)") from None
        except (TypeError, UnsupportedAlgorithmErrorPyca) as err:
            raise UnsupportedAlgorithmError(f"{name}: cannot decrypt the private key: {type(err).__name__}") from None
    except ValueError:
        raise MalformedError(f"{name}: not a private key (PEM or DER PKCS#8, PKCS#1 or SEC 1)") from None
    except UnsupportedAlgorithmErrorPyca:
        raise UnsupportedAlgorithmError(f"{name}: unsupported private key type") from None
    return KeyEntry.from_key(key)


try:  # cryptography's own exception, mapped to ours
    from cryptography.exceptions import UnsupportedAlgorithm as UnsupportedAlgorithmErrorPyca
except ImportError:  # pragma: no cover - cryptography is a dependency
    class UnsupportedAlgorithmErrorPyca(Exception):
        pass


def cmd_create(session: Session) -> int:
    from . import chain as chains
    from .api import dumps
    from .model import PKCS12, CertEntry
    from .profiles import MODERN

    args = session.args
    inputs = [args.key, args.cert, *args.chain]
    if sum(path == "-" for path in inputs) > 1:
        raise UsageError("only one of --key, --cert and --chain can be '-' (standard input)")
    session.check_output(args.output, inputs=inputs, force=args.force)
    key = _read_key(args.key, session)
    given = [CertEntry(der) for der in _read_certificates(args.cert, session)]
    for path in args.chain:
        given.extend(CertEntry(der) for der in _read_certificates(path, session))
    for entry in given:
        try:
            entry.certificate
        except PKCS12Error as err:
            raise MalformedError(f"certificate: {err}") from err
    leaf = next((entry for entry in given if chains.public_key_matches(key, entry)), None)
    if leaf is None:
        raise EncodeError(f"{args.cert}: no certificate matches the private key in {args.key}")
    others = []
    for entry in given:
        if entry is not leaf and all(entry.der != other.der for other in others) and entry.der != leaf.der:
            others.append(entry)
    ordered = list(chains.issuers(leaf, others))
    ordered += [entry for entry in others if all(entry is not o for o in ordered)]
    p12 = PKCS12.build(key=key.der, certificate=leaf.der, chain=[entry.der for entry in ordered],
                       friendly_name=args.name)
    profile = chosen_profile(args, MODERN)
    password = None
    if _needs_password(profile):
        password = session.passout("password for the new PKCS#12")
    session.write(args.output, dumps(p12, password, profile=profile), inputs=inputs, force=args.force)
    return EXIT_OK


def cmd_extract(session: Session) -> int:
    args = session.args
    session.check_output(args.output, inputs=[args.input], force=args.force)
    loaded = session.load(args.input)
    p12 = loaded.p12
    if args.keys:
        keys, certificates = p12.keys, ()
    elif args.certs:
        keys, certificates = (), p12.certificates
    elif args.chain:
        leaf = p12.certificate
        keys, certificates = (), ((leaf, *p12.chain) if leaf is not None else ())
    else:
        keys, certificates = p12.keys, p12.certificates
    password = None
    if keys and not args.nodes:
        try:
            password = session.passout("pass phrase for the extracted private key")
        except PasswordSourceError as err:
            raise PasswordSourceError(f"{err}; or --nodes to write the key unencrypted") from None
    parts = [key.to_pem(password) for key in keys] + [cert.to_pem() for cert in certificates]
    if not args.keys and not args.certs and not args.chain:
        parts += [crl.to_pem() for crl in p12.crls]
    if not parts:
        what = "private key" if args.keys else "certificate"
        raise UsageError(f"{loaded.name}: holds no {what} to extract")
    session.write(args.output, "".join(parts), inputs=[args.input], force=args.force)
    return EXIT_OK


def cmd_check(session: Session) -> int:
    from . import cisco
    from .targets import check

    args = session.args
    loaded = session.load(args.input)
    findings = check(loaded.p12, args.target, password=loaded.password)
    hostname_problems = cisco.check_hostname(loaded.p12, args.hostname) if args.hostname else []
    clean = not findings and not hostname_problems
    if args.fail_on == "error":
        failing = bool(hostname_problems) or any(finding.severity == "error" for finding in findings)
    else:
        failing = not clean
    if args.json:
        doc = {
            "schema": "pkcs12kit-check/1",
            "file": loaded.name,
            "target": args.target,
            "clean": clean,
            "findings": [dataclasses.asdict(finding) for finding in findings],
            "hostname": None if not args.hostname else {"name": args.hostname, "problems": hostname_problems},
        }
        session.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        session.stdout.write(check_text(loaded.name, args.target, findings, args.hostname, hostname_problems))
    return EXIT_FINDINGS if failing else EXIT_OK


def check_text(name, target, findings, hostname=None, hostname_problems=()) -> str:
    lines = []
    for finding in findings:
        lines.append(f"{finding.severity}: {finding.code}: {finding.message}")
        lines.append(f"  fix: {finding.fix}")
    for problem in hostname_problems:
        lines.append(f"error: hostname: {problem}")
    count = len(findings) + len(hostname_problems)
    if any("re-encode" in finding.fix for finding in findings):
        lines.append(f"hint: pkcs12kit repack {name} -o OUT --target {target} writes the protection {target} imports")
    if count:
        errors = sum(f.severity == "error" for f in findings) + len(hostname_problems)
        lines.append(f"{name}: {target}: {count} finding(s), {errors} error(s)")
    else:
        extra = f", and {hostname} matches its certificate" if hostname else ""
        lines.append(f"{name}: {target}: no findings: the target accepts this file{extra}")
    return "\n".join(lines) + "\n"


def cmd_cisco_import(session: Session) -> int:
    from . import cisco

    args = session.args
    session.check_output(args.output, inputs=[args.input], force=args.force)
    loaded = session.load(args.input)
    profile = chosen_profile(args, cisco.default_profile(args.platform))
    password = session.passout("password for the device import", fallback=loaded.password or None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = cisco.import_session(loaded.p12, password, args.platform, args.trustpoint, profile=profile)
    view = cisco.trustpoint(loaded.p12, args.platform, name=args.trustpoint)
    if args.output:
        session.write(args.output, text, inputs=[args.input], force=args.force)
    else:
        session.stdout.write(text)
    for warning in caught:
        session.warn(str(warning.message))
    for warning in view.warnings:
        session.warn(warning)
    return EXIT_OK


def cmd_demo(session: Session) -> int:
    from importlib import resources

    from . import cisco
    from .api import dumps, loads
    from .targets import check, profile_for

    out = session.stdout
    text = resources.files("pkcs12kit").joinpath("samples", SAMPLE).read_text(encoding="utf-8")
    transcript = cisco.parse_transcript(text)
    out.write(f"== 1. an IOS-XE 'crypto pki export TP pkcs12 terminal password {SAMPLE_PASSWORD}' "
              f"transcript ({SAMPLE})\n")
    out.write(f"found {len(transcript.der)} bytes of PKCS#12 ({transcript.variant}) at line {transcript.line}; "
              + "; ".join(transcript.notes) + "\n\n")
    p12 = loads(transcript.der, SAMPLE_PASSWORD)
    out.write("== 2. pkcs12kit info\n")
    out.write(info_text(info_document(p12, name=SAMPLE, form=transcript.variant)) + "\n")
    out.write("== 3. pkcs12kit check --target asa: would the ASA import it?\n")
    findings = check(p12, "asa", password=SAMPLE_PASSWORD)
    out.write(check_text(SAMPLE, "asa", findings) + "\n")
    profile = profile_for("asa")
    out.write(f"== 4. pkcs12kit repack --target asa (profile {profile.name}), in memory\n")
    der = dumps(p12, SAMPLE_PASSWORD, profile=profile)
    repacked = loads(der, SAMPLE_PASSWORD)
    out.write(f"{len(der)} bytes; MAC HMAC-{repacked.mac.digest.upper()}, profile {repacked.profile.name}; "
              f"same keys and certificates: {repacked == p12}\n\n")
    out.write("== 5. pkcs12kit check --target asa, again\n")
    out.write(check_text("repacked", "asa", check(repacked, "asa", password=SAMPLE_PASSWORD)) + "\n")
    out.write("== 6. pkcs12kit cisco-import --platform asa --trustpoint IOSXE-TP: paste this on the ASA\n")
    out.write(cisco.import_session(der, SAMPLE_PASSWORD, "asa", "IOSXE-TP"))
    for warning in cisco.trustpoint(repacked, "asa", name="IOSXE-TP").warnings:
        out.write(f"note: {warning}\n")
    return EXIT_OK


# --- argument parsing ------------------------------------------------------------------------

_EXAMPLES = {
    "info": """\
examples:
  pkcs12kit info server.p12 --passin env:P12PASS
  pkcs12kit info asa-export.txt --passin file:pw.txt --json
  ssh asa 'show run' | pkcs12kit info - --passin pass:cisco123
""",
    "show": """\
examples:
  pkcs12kit show server.p12 --platform asa --trustpoint VPN-TP --passin env:P12PASS
  pkcs12kit show iosxe-export.txt --platform ios --passin pass:cisco123
""",
    "convert": """\
examples:
  pkcs12kit convert server.p12 -o asa.txt --to asa --target asa --passin env:P12PASS
  pkcs12kit convert asa-export.txt -o server.p12 --to der --passin file:pw.txt
  pkcs12kit convert server.p12 -o bundle.pem --to pem-bundle --passin env:P12PASS --passout env:KEYPASS
  pkcs12kit convert bundle.pem -o server.p12 --to der --passout env:P12PASS
""",
    "repack": """\
examples:
  pkcs12kit repack openssl3.p12 -o asa.p12 --target asa --passin env:P12PASS
  pkcs12kit repack old.p12 -o new.p12 --passin file:pw.txt --passout file:pw.txt   # line 1, line 2
  pkcs12kit repack server.p12 --in-place --profile MODERN --passin env:P12PASS      # keeps server.p12.bak
""",
    "create": """\
examples:
  pkcs12kit create -o server.p12 --key server.key --cert server.crt --chain ca.pem --name server \\
      --target asa --passout env:P12PASS
  pkcs12kit create -o id.p12 --key enc.key --passin file:keypass.txt --cert id.crt --passout prompt
""",
    "extract": """\
examples:
  pkcs12kit extract server.p12 -o server.key --keys --passin env:P12PASS --passout env:KEYPASS
  pkcs12kit extract server.p12 -o fullchain.pem --chain --passin env:P12PASS
  pkcs12kit extract server.p12 --nodes --passin pass:secret | openssl pkey -noout -text
""",
    "check": """\
examples:
  pkcs12kit check openssl3.p12 --target asa --passin env:P12PASS
  pkcs12kit check server.p12 --target iosxe --hostname vpn.example.com --passin env:P12PASS --json
  pkcs12kit check server.p12 --target asa --passin env:P12PASS || pkcs12kit repack ...
""",
    "cisco-import": """\
examples:
  pkcs12kit cisco-import server.p12 --platform asa --trustpoint VPN-TP --passin env:P12PASS
  pkcs12kit cisco-import server.p12 --platform ios --trustpoint TP --passin env:P12PASS --passout pass:NewPass123
""",
    "demo": """\
examples:
  pkcs12kit demo
""",
}


def _epilog(command: str) -> str:
    return _EXAMPLES[command] + "\n" + EXIT_EPILOG


def _add_passin(parser, help_text="password source for the input (default: none, else a prompt)") -> None:
    parser.add_argument("--passin", metavar="SRC", help=help_text)


def _add_passout(parser, help_text) -> None:
    parser.add_argument("--passout", metavar="SRC", help=help_text)


def _add_profile(parser) -> None:
    from .profiles import PROFILES

    group = parser.add_mutually_exclusive_group()
    group.add_argument("--profile", metavar="P", type=_profile_arg,
                       help=f"encode profile: {', '.join(PROFILES)}")
    group.add_argument("--target", metavar="T", type=_target_arg,
                       help=f"write what this target imports: {', '.join(_target_names())}")


def build_parser() -> argparse.ArgumentParser:
    from .cisco import PLATFORMS

    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="pkcs12kit", formatter_class=formatter,
        description="Read, check, convert and write PKCS#12 (.p12/.pfx) files, and Cisco IOS/ASA "
                    "terminal exports and imports.",
        epilog="examples:\n  pkcs12kit demo\n  pkcs12kit info server.p12 --passin env:P12PASS\n"
               "  pkcs12kit check server.p12 --target asa --passin env:P12PASS\n\n" + EXIT_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"pkcs12kit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, help_text):
        return commands.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".",
                                   epilog=_epilog(name), formatter_class=formatter)

    platforms = sorted(PLATFORMS)

    info = command("info", "print what a PKCS#12 file holds and how it is protected")
    info.add_argument("input", metavar="FILE", help="DER, base64, PEM armor, a Cisco transcript or a PEM bundle; - for stdin")
    _add_passin(info)
    info.add_argument("--json", action="store_true", help="a machine-readable document (schema: docs/cli.md)")

    show = command("show", "preview the device's 'show crypto ca|pki certificates' after importing the file")
    show.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
    show.add_argument("--platform", required=True, choices=platforms, help="the Cisco platform")
    show.add_argument("--trustpoint", default="TP", metavar="NAME", help="trustpoint name (default TP)")
    _add_passin(show)

    convert = command("convert", "convert between DER, Cisco ASA/IOS export text, PEM armor and a PEM bundle")
    convert.add_argument("input", metavar="IN", help="the input (any form, or a PEM bundle); - for stdin")
    convert.add_argument("-o", "--output", required=True, metavar="OUT", help="output file; - for stdout")
    convert.add_argument("--to", required=True, choices=("der", "asa", "ios", "pem", "base64", "pem-bundle"),
                         help="der: binary PKCS#12; asa/ios: the device's export text; pem: -----BEGIN PKCS12----- "
                              "armor; base64: bare base64; pem-bundle: keys and certificates as PEM")
    _add_passin(convert)
    _add_passout(convert, "output password (default: the input's); for pem-bundle, encrypts the key")
    _add_profile(convert)
    convert.add_argument("--force", action="store_true", help="replace an existing output file")

    repack = command("repack", "re-protect a PKCS#12: new password, profile or target")
    repack.add_argument("input", metavar="IN", help="the PKCS#12 (any form); - for stdin")
    repack.add_argument("-o", "--output", metavar="OUT", help="output file (DER); - for stdout")
    _add_passin(repack)
    _add_passout(repack, "new password (default: keep the input's)")
    _add_profile(repack)
    repack.add_argument("--force", action="store_true", help="replace an existing output file (never the input)")
    repack.add_argument("--in-place", action="store_true", help="replace IN itself, keeping the original as IN.bak")

    create = command("create", "build a PKCS#12 from a private key and certificates")
    create.add_argument("-o", "--output", required=True, metavar="OUT", help="output file (DER); - for stdout")
    create.add_argument("--key", required=True, metavar="KEY", help="private key, PEM or DER (PKCS#8, PKCS#1, SEC 1)")
    create.add_argument("--cert", required=True, metavar="CERT", help="its certificate, PEM or DER")
    create.add_argument("--chain", action="append", default=[], metavar="CHAIN",
                        help="CA certificates (PEM bundle or DER); repeatable")
    create.add_argument("--name", metavar="NAME", help="friendly name (alias) of the key and certificate")
    _add_profile(create)
    _add_passout(create, "password of the new file (default: a prompt)")
    _add_passin(create, "pass phrase of an encrypted KEY")
    create.add_argument("--force", action="store_true", help="replace an existing output file")

    extract = command("extract", "write keys and certificates as PEM")
    extract.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
    extract.add_argument("-o", "--output", default="-", metavar="OUT", help="output file (default: stdout)")
    what = extract.add_mutually_exclusive_group()
    what.add_argument("--keys", action="store_true", help="private keys only")
    what.add_argument("--certs", action="store_true", help="every certificate, no keys")
    what.add_argument("--chain", action="store_true", help="the identity certificate then its issuers, leaf to root")
    _add_passin(extract)
    protect = extract.add_mutually_exclusive_group()
    protect.add_argument("--passout", metavar="SRC", help="pass phrase to encrypt the keys (default: a prompt)")
    protect.add_argument("--nodes", action="store_true", help="write keys unencrypted")
    extract.add_argument("--force", action="store_true", help="replace an existing output file")

    check = command("check", "would a target (Cisco ASA/IOS, Windows, Java...) import this file?")
    check.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
    check.add_argument("--target", required=True, metavar="T", type=_target_arg,
                       help=f"one of: {', '.join(_target_names())}")
    check.add_argument("--hostname", metavar="H", help="also check that the certificate names this host")
    _add_passin(check)
    check.add_argument("--json", action="store_true", help="a machine-readable report")
    check.add_argument("--fail-on", choices=("warning", "error"), default="warning",
                       help="exit 1 on any finding (warning, the default) or only on errors")

    cisco_import = command("cisco-import", "print the paste-ready device session that imports the file")
    cisco_import.add_argument("input", metavar="FILE", help="the PKCS#12 (any form); - for stdin")
    cisco_import.add_argument("--platform", required=True, choices=platforms, help="the Cisco platform")
    cisco_import.add_argument("--trustpoint", required=True, metavar="NAME", help="trustpoint name")
    _add_passin(cisco_import)
    _add_passout(cisco_import, "password typed on the device (default: the input's)")
    _add_profile(cisco_import)
    cisco_import.add_argument("-o", "--output", metavar="OUT", help="write the session to a file (default: stdout)")
    cisco_import.add_argument("--force", action="store_true", help="replace an existing output file")

    command("demo", "run the whole workflow on an embedded IOS-XE export (no files written)")
    return parser


_COMMANDS = {
    "info": cmd_info,
    "show": cmd_show,
    "convert": cmd_convert,
    "repack": cmd_repack,
    "create": cmd_create,
    "extract": cmd_extract,
    "check": cmd_check,
    "cisco-import": cmd_cisco_import,
    "demo": cmd_demo,
}


def exit_code(err: BaseException) -> int:
    """The documented exit code of an error (see `EXIT_CODES`)."""
    for kind, code in EXIT_CODES.items():
        if isinstance(err, kind):
            return code
    if isinstance(err, (UsageError, PasswordSourceError, OSError)):
        return EXIT_USAGE
    if isinstance(err, PKCS12Error):
        return 3
    return EXIT_INTERNAL


def _os_message(err: OSError) -> str:
    reason = (err.strerror or str(err) or type(err).__name__)
    reason = reason[:1].lower() + reason[1:]
    if err.filename is not None:
        return f"{err.filename}: {reason}"
    return reason


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    session = None
    try:
        session = Session(args)
        session.read_sources()
        return _COMMANDS[args.command](session)
    except KeyboardInterrupt:
        print("pkcs12kit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`); stop quietly without a second error at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_USAGE
    except (PKCS12Error, UsageError, PasswordSourceError) as err:
        print(f"pkcs12kit: error: {err}", file=sys.stderr)
        return exit_code(err)
    except OSError as err:
        print(f"pkcs12kit: error: {_os_message(err)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: say so without a traceback (and without any secret)
        print(f"pkcs12kit: internal error: {type(err).__name__} (please report it; "
              "set PKCS12KIT_DEBUG=1 for a traceback)", file=sys.stderr)
        if os.environ.get("PKCS12KIT_DEBUG"):
            raise
        return EXIT_INTERNAL
    finally:
        if session is not None:
            session.close()
