"""The pkcs12kit commands that write a file: ``convert``, ``repack``, ``create`` and ``extract``.

Exports: cmd_convert, cmd_repack, cmd_create, cmd_extract.
"""

from __future__ import annotations

import os

from .. import armor, cisco, targets
from .. import chain as chains
from ..api import dumps, write_atomically
from ..errors import (
    BadPasswordError,
    EncodeError,
    MalformedError,
    PKCS12Error,
    UnsupportedAlgorithmError,
)
from ..inputs import pem_blocks
from ..model import PKCS12, CertEntry, KeyEntry
from ..profiles import MODERN
from .exits import EXIT_OK, UsageError
from .parser import chosen_profile, needs_password, profile_requested
from .passwords import PasswordSourceError
from .session import Session, display, read_bytes, same_file

__all__ = ["cmd_convert", "cmd_repack", "cmd_create", "cmd_extract"]

def _check_platform(session: Session, p12, platform: str, password) -> None:
    """Notes on stderr for what ``platform`` would refuse in a file written as it is."""
    target = {"ios-xe": "iosxe"}.get(platform.lower(), platform.lower())
    try:
        findings = targets.check(p12, target, password=password)
    except ValueError:
        return
    for finding in findings:
        session.warn(f"{target}: {finding.severity}: {finding.message} (fix: re-encode with --target {target})")


def cmd_convert(session: Session) -> int:
    args = session.args
    session.check_output(args.output, inputs=[args.input], force=args.force)
    loaded = session.load(args.input)
    p12 = loaded.p12
    if args.to == "pem-bundle":
        if profile_requested(args):
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
    reencode = loaded.der is None or args.passout is not None or profile_requested(args)
    if reencode:
        default = cisco.default_profile(platform) if platform else (p12.profile or MODERN)
        profile = chosen_profile(args, default)
        password = None
        if needs_password(profile):
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
    args = session.args
    output = args.output
    if args.in_place:
        if args.input == "-":
            raise UsageError("--in-place needs an input file, not standard input")
        if output is not None and not same_file(output, args.input):
            raise UsageError("--in-place writes over the input; do not give -o with another file")
        output = args.input
    elif output is None:
        raise UsageError("give -o OUT (or --in-place to replace the input, keeping IN.bak)")
    elif args.input != "-" and output != "-" and same_file(output, args.input):
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
    if needs_password(profile):
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
        # Both keep the owner and group of the file they replace or back up (as root too).
        write_atomically(backup, loaded.raw, overwrite=args.force, like=target)
        write_atomically(target, der, overwrite=True)
        os.chmod(target, mode)
        session.note(f"{target} replaced; the original is in {backup}")
        return EXIT_OK
    session.write(output, der, inputs=[args.input], force=args.force)
    return EXIT_OK


def _read_certificates(path: str, session: Session) -> list[bytes]:
    data = read_bytes(path, session.stdin)
    if data[:1] == b"\x30":
        return [data]
    certificates = [der for label, der in pem_blocks(data) if label in ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")]
    if not certificates:
        raise MalformedError(f"{display(path)}: no -----BEGIN CERTIFICATE----- block and not DER")
    return certificates


def _read_key(path: str, session: Session):
    """The private key of a PEM or DER file (PKCS#8, PKCS#1, SEC 1; encrypted ones with
    --passin), as a KeyEntry."""
    # import time: cryptography loads its Rust bindings (~3 ms); only `create` reads a key file.
    from cryptography.exceptions import UnsupportedAlgorithm as UnsupportedAlgorithmErrorPyca
    from cryptography.hazmat.primitives import serialization

    data = read_bytes(path, session.stdin)
    name = display(path)
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


def cmd_create(session: Session) -> int:
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
    if needs_password(profile):
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
