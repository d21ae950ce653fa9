"""The pkcs12kit commands that write a file: ``convert``, ``repack``, ``create`` and ``extract``.

Exports: cmd_convert, cmd_repack, cmd_create, cmd_extract.
"""

from __future__ import annotations

import argparse
import os

from .. import armor, cisco
from .. import chain as chains
from ..api import dumps, loads, write_atomically
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
from .chain_edit import edit_chain
from .passwords import PasswordSourceError
from .session import Loaded, Session, display, read_bytes, same_file
from .verdict import gate

__all__ = ["cmd_convert", "cmd_repack", "cmd_create", "cmd_extract"]

def _platform_target(args: argparse.Namespace, platform: str) -> str:
    """The target a device output is checked for: --target, else the platform itself."""
    return args.target or {"ios-xe": "iosxe"}.get(platform, platform)


def _device_password(session: Session, loaded: Loaded) -> str:
    password = session.passout("password for the output", fallback=loaded.password)
    if password is None:
        raise UsageError(f"--to {session.args.to}: the device needs a password; give --passout")
    return password


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
    if args.to == "ios-pem":
        # The IOS PEM import (docs/cisco-formats.md#pem-import): the key travels as PEM, so the
        # file's PKCS#12 protection does not matter; the identity, chain and password do.
        if args.profile is not None:
            raise UsageError("--profile does not apply to --to ios-pem (the key is written as PEM)")
        target = _platform_target(args, "ios")
        password = _device_password(session, loaded)
        cisco.check_cli_password(password, "ios", pem=True)
        identity = PKCS12.build(key=p12.key, certificate=p12.certificate, chain=p12.chain)
        gate(session, identity, target, password=password, output=args.output, file=args.input)
        text = cisco.pem_import_session(p12, password, args.trustpoint)
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
            der = dumps(p12, password, profile=profile)
            gate(session, loads(der, password), _platform_target(args, platform), password=password,
                 output=args.output, file=args.input)
            session.write(args.output, cisco.export_text(der, platform), inputs=[args.input], force=args.force)
            return EXIT_OK
        der = dumps(p12, password, profile=profile)
    else:
        assert loaded.der is not None  # else reencode
        der = loaded.der
        if platform:
            # The bytes are copied as they are: check them as they are.
            gate(session, p12, _platform_target(args, platform), password=loaded.password,
                 output=args.output, file=args.input)
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
    p12 = loaded.p12
    if args.drop_root or args.drop_cert or args.add_cert or args.rebuild:
        added = [der for path in args.add_cert for der in _read_certificates(path, session)]
        notes: list[str] = []
        p12 = edit_chain(p12, drop_root=args.drop_root, drop=args.drop_cert, add=added, notes=notes)
        for note in notes:
            session.note(note)
    profile = chosen_profile(args, loaded.p12.profile or MODERN)
    password = None
    if needs_password(profile):
        password = session.passout("password for the output", fallback=loaded.password)
    der = dumps(p12, password, profile=profile)
    if args.target:
        gate(session, loads(der, password), args.target, password=password, output=output, file=args.input)
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


def _read_key(path: str, session: Session) -> KeyEntry:
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
    # Sets, not scans of the lists: a chain of 10,000 certificates must not take 10^8 steps.
    seen = {leaf.der}
    others: list[CertEntry] = []
    for entry in given:
        if entry.der not in seen:
            seen.add(entry.der)
            others.append(entry)
    ordered = list(chains.issuers(leaf, others))
    placed = {id(entry) for entry in ordered}
    ordered += [entry for entry in others if id(entry) not in placed]
    p12 = PKCS12.build(key=key.der, certificate=leaf.der, chain=[entry.der for entry in ordered],
                       friendly_name=args.name)
    profile = chosen_profile(args, MODERN)
    password = None
    if needs_password(profile):
        password = session.passout("password for the new PKCS#12")
    der = dumps(p12, password, profile=profile, mac_password=session.macpass())
    if args.target:
        gate(session, loads(der, password, mac_password=session.macpass()), args.target, password=password,
             output=args.output, file=args.output)
    session.write(args.output, der, inputs=inputs, force=args.force)
    return EXIT_OK


def cmd_extract(session: Session) -> int:
    args = session.args
    session.check_output(args.output, inputs=[args.input], force=args.force)
    loaded = session.load(args.input)
    p12 = loaded.p12
    keys: tuple[KeyEntry, ...]
    certificates: tuple[CertEntry, ...]
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
