"""The public entry points: `loads`/`load` and `dumps`/`dump`.

Exports: loads, load, dumps, dump.

This is the only module that wires the layers together:
decode: armor → pfx (version, MAC) → safes (data / encryptedData via pbe) → bags → model.PKCS12
encode: model.PKCS12 → bags → safes (profile's encryption) → pfx (profile's MAC) → DER
Encoding is bottom-up and each layer is serialised to bytes once, so large chains stay linear.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import EncodeError, LimitExceededError, MalformedError, PKCS12Error
from .limits import DEFAULT_LIMITS, Limits
from .model import PKCS12
from .profiles import MODERN, Profile, group

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .ciphers import Provider
    from .inputs import CertificateInput
    from .parties import Recipient, Signer
    from .pkcs8 import RandomSource
    from .protection import Protection

# The codec modules (pfx, safes, bags, mac, pbe) are imported inside the functions that use them:
# they pull in asn1crypto's cms and algos (about 25 ms), which `import pkcs12kit` does not need.

__all__ = ["loads", "load", "dumps", "dump"]

# Exceptions a layer may leak on input nobody anticipated; `loads` turns them into
# MalformedError so that nothing but PKCS12Error escapes for any input (the error contract).
_UNEXPECTED = (ValueError, KeyError, IndexError, OverflowError, UnicodeError, RecursionError, TypeError)


def loads(
    data: bytes | bytearray | memoryview | str,
    password: str | bytes | None = None,
    *,
    limits: Limits | None = None,
    ciphers: str | Provider | None = None,
    verify_mac: bool = True,
    mac_password: str | bytes | None = None,
    trust: Any = None,
    recipient_key: Any = None,
    recipient_certificate: CertificateInput | None = None,
) -> PKCS12:
    """Decode a PKCS#12 file (RFC 7292) from bytes or text.

    ``data``: DER or BER bytes, base64 bytes, or text (PEM-style ``-----BEGIN PKCS12-----``
    armor, bare base64, or a Cisco terminal transcript).
    ``password``: ``str``, ``bytes`` (UTF-8) or ``None`` (no password). ``None`` and ``""`` both
    try the two empty encodings, as OpenSSL does.
    ``limits``: a `Limits` policy; ``ciphers``: a cipher provider name or instance.
    ``verify_mac=False`` skips MAC verification; the result then has ``mac_verified=False``.
    ``mac_password``: the integrity (MAC) password when it differs from ``password``, the privacy
    password (``openssl pkcs12 -twopass``); None means the same as ``password``. A wrong one is
    then a `BadPasswordError` naming the MAC (integrity) or privacy (encryption) password.
    ``trust``: for a signed file (public-key integrity mode), the certificates it must chain to
    (a list in any input form, a PEM bundle or a PKCS12), or `UNVERIFIED`; a signed file with no
    trust raises `TrustRequiredError`. ``recipient_key`` (and ``recipient_certificate``, or a
    `PKCS12` as the key) opens envelopedData safes (public-key privacy mode).
    See docs/public-key-modes.md.

    Raises a `PKCS12Error` subclass for every problem with the input, ``TypeError`` for
    arguments of the wrong type.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, (bytes, str)):
        raise TypeError(f"data must be bytes or str, not {type(data).__name__}")
    if password is not None and not isinstance(password, (str, bytes)):
        raise TypeError(f"password must be str, bytes or None, not {type(password).__name__}")
    _check_password(mac_password, "mac_password")
    if limits is None:
        limits = DEFAULT_LIMITS
    elif not isinstance(limits, Limits):
        raise TypeError(f"limits must be a pkcs12kit.Limits, not {type(limits).__name__}")

    from . import pfx  # import time (see the top)
    from .ciphers import get_provider
    from .kdf import Password

    forms = Password(password).forms()
    mac_forms = None if mac_password is None else Password(mac_password).forms()
    provider = get_provider(ciphers)
    anchors: Any = None
    recipient: tuple[bytes, bytes | None] | None = None
    if trust is not None or recipient_key is not None or recipient_certificate is not None:
        # import time: the public-key parties load only for the public-key modes
        from .parties import recipient_ders, trust_ders

        anchors = trust_ders(trust) if trust is not None else None
        recipient = recipient_ders(recipient_key, recipient_certificate)
    if len(data) > limits.max_input_size:
        raise LimitExceededError(
            f"input is {len(data):,} bytes, over Limits.max_input_size ({limits.max_input_size:,})"
        )
    try:
        der = _unarmor(data)
        return pfx.decode(der, forms, limits=limits, ciphers=provider, verify_mac=verify_mac,
                          mac_forms=mac_forms, trust=anchors, recipient=recipient)
    except PKCS12Error:
        raise
    except _UNEXPECTED as err:
        raise MalformedError(f"malformed input: {type(err).__name__}: {err}") from err


def load(
    source: str | os.PathLike[str] | BinaryIO,
    password: str | bytes | None = None,
    **options: Any,
) -> PKCS12:
    """Read a PKCS#12 file from a path or a binary file object; see `loads` for the rest."""
    limits = options.get("limits")
    limit = (limits if isinstance(limits, Limits) else DEFAULT_LIMITS).max_input_size
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            data = _read_bounded(handle, limit, os.fspath(source))
    elif hasattr(source, "read"):
        data = _read_bounded(source, limit, "input")
    else:
        raise TypeError(f"source must be a path or a binary file object, not {type(source).__name__}")
    return loads(data, password, **options)


def _read_bounded(handle: BinaryIO, limit: int, name: str) -> bytes:
    """Read at most ``limit`` bytes (one more tells a file that is too large), whatever the file
    claims to be: /dev/zero, a FIFO or /proc report no size."""
    chunks = []
    total = 0
    while total <= limit:
        chunk = handle.read(limit + 1 - total)
        if not chunk:
            break
        if not isinstance(chunk, (bytes, bytearray)):
            raise TypeError("load() needs a binary file object (opened with 'rb')")
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise LimitExceededError(
            f"{name}: larger than {limit:,} bytes, over Limits.max_input_size ({limit:,}); "
            "pass limits=Limits(max_input_size=...) to allow it"
        )
    return b"".join(chunks)


def _unarmor(data: bytes | str) -> bytes:
    """DER/BER bytes pass through; anything else goes to `armor.unarmor`."""
    if isinstance(data, bytes) and data[:1] == b"\x30":
        return data
    from .armor import unarmor  # import time (see the top)

    return unarmor(data)[0]


def _check_password(value: object, name: str) -> None:
    if value is not None and not isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be str, bytes or None, not {type(value).__name__}")


def dumps(
    p12: PKCS12, password: str | bytes | None, *, profile: Profile | None = None, random: RandomSource = None,
    ciphers: str | Provider | None = None, mac_password: str | bytes | None = None, signer: Signer | None = None,
    recipients: Sequence[CertificateInput | Recipient] | None = None, envelope_cipher: str = "aes256_cbc",
) -> bytes:
    """Encode ``p12`` as PKCS#12 DER (RFC 7292) under ``profile`` (default `profiles.MODERN`).

    Public-key modes (RFC 7292 section 3.1, docs/public-key-modes.md): ``signer`` (a `Signer`)
    signs the authenticated safe instead of the profile's MAC; ``recipients`` (certificates or
    `Recipient` values) turns every safe into an envelopedData for them, its content encrypted
    with ``envelope_cipher`` (``"aes256_cbc"``, ``"aes192_cbc"``, ``"aes128_cbc"`` or
    ``"tripledes_3key"``); keys are still shrouded under the profile's key protection.

    ``password``: ``str``/``bytes``; ``None`` writes with no password (OpenSSL's NULL form).
    ``random``: see `pkcs8.random_source`; salts and IVs are drawn from it in a fixed order, so a
    seeded source gives byte-identical output.
    ``mac_password``: a separate integrity (MAC) password (``openssl pkcs12 -twopass``); None
    means ``password``.
    Raises `EncodeError` for what cannot be written.
    """
    from . import bags, mac, pfx, pkcs8, safes  # import time (see the top)
    from .ciphers import get_provider
    from .kdf import Password

    if not isinstance(p12, PKCS12):
        raise TypeError(f"p12 must be a PKCS12, not {type(p12).__name__}")
    if profile is None:
        profile = MODERN
    elif not isinstance(profile, Profile):
        raise TypeError(f"profile must be a pkcs12kit Profile, not {type(profile).__name__}")
    if password is not None and not isinstance(password, (str, bytes)):
        raise TypeError(f"password must be str, bytes or None, not {type(password).__name__}")
    _check_password(mac_password, "mac_password")
    form = Password(password).forms()[0]
    mac_form = form if mac_password is None else Password(mac_password).forms()[0]
    draw = pkcs8.random_source(random)
    provider = get_provider(ciphers)

    def shroud(pkcs8_der: bytes) -> bytes:
        assert profile.key_protection is not None  # used only then (key_shroud)
        return pkcs8.shroud(profile.key_protection, pkcs8_der, form, draw, provider)

    key_shroud = shroud if profile.key_protection is not None else None
    sealed_for = None
    if recipients is not None:
        from .parties import recipient_pairs

        sealed_for = recipient_pairs(recipients)
    content_infos = []
    for name, entries in group(p12, profile.layout):
        if isinstance(name, int) and p12.safes[name].nesting:  # as-decoded: nested bags stay nested
            info = p12.safes[name]
            bag_ders = bags.encode_nested(info.entries, info.nesting,
                                          lambda i: bags.encode_bag(p12.entries[i], key_shroud))
        else:
            bag_ders = [bags.encode_bag(e, key_shroud) for e in entries]
        safe_contents = safes.encode_safe_contents(bag_ders)
        if sealed_for is not None:
            content_infos.append(safes.encode_enveloped_data(
                safe_contents, sealed_for, cipher=envelope_cipher, draw=draw, ciphers=provider))
            continue
        if isinstance(name, int):
            if p12.safes[name].kind == "envelopedData":
                # Never write a decoded envelope's contents in the clear by accident.
                raise EncodeError(f"safe {name} was an envelopedData: pass recipients=[...] to seal it again, "
                                  "or a profile with another layout")
            encrypt = p12.safes[name].kind == "encryptedData" and profile.cert_protection is not None
        else:
            encrypt = name != "keys" and profile.cert_protection is not None
        if encrypt:
            assert profile.cert_protection is not None  # part of `encrypt`
            content_infos.append(safes.encode_encrypted_data(
                *pkcs8.encrypt_fresh(profile.cert_protection, safe_contents, form, draw, provider)
            ))
        else:
            content_infos.append(safes.encode_data(safe_contents))
    auth_safe = safes.encode_safe_contents(content_infos)  # AuthenticatedSafe: also a SEQUENCE OF
    if signer is not None:
        from . import cms_sign
        from .parties import Signer

        if not isinstance(signer, Signer):
            raise TypeError(f"signer must be a pkcs12kit.Signer, not {type(signer).__name__}")
        key_der, cert_der, chain_ders = signer.ders()
        return pfx.encode_signed(cms_sign.sign(auth_safe, key_der, cert_der, chain_ders,
                                               digest=signer.digest, rsa_padding=signer.rsa_padding))

    mac_data = None
    if profile.mac is not None:
        spec = profile.mac
        mac_data = mac.compute(
            spec.kind, spec.digest, spec.iterations, draw(spec.salt_length), auth_safe, mac_form,
            prf=spec.prf, key_length=spec.key_length, allow_weak=spec.allow_weak,
        )
    return pfx.encode(auth_safe, mac_data)


def encrypt_private_key(
    pkcs8: bytes, password: str | bytes, *, protection: Protection | None = None, random: RandomSource = None,
    ciphers: str | Provider | None = None,
) -> bytes:
    """Encrypt PKCS#8 DER into an EncryptedPrivateKeyInfo (RFC 5958 section 3; default: MODERN's
    key protection)."""
    from . import pkcs8 as _pkcs8  # import time (see the top)

    assert MODERN.key_protection is not None  # MODERN encrypts its keys
    return _pkcs8.encrypt_private_key(pkcs8, password, protection=protection or MODERN.key_protection,
                                      random=random, ciphers=ciphers)


def dump(
    p12: PKCS12,
    destination: str | os.PathLike[str] | BinaryIO,
    password: str | bytes | None,
    *,
    overwrite: bool = False,
    **options: Any,
) -> None:
    """Encode ``p12`` (see `dumps`) to a path or a binary file object.

    A path is written atomically: to a temporary file in the same directory, flushed to disk,
    then renamed over the destination, so a crash leaves either the old file or the new one.
    An existing file is replaced only with ``overwrite=True`` (``FileExistsError`` otherwise).
    """
    data = dumps(p12, password, **options)
    if hasattr(destination, "write"):
        destination.write(data)
        return
    if not isinstance(destination, (str, os.PathLike)):
        raise TypeError(f"destination must be a path or a binary file object, not {type(destination).__name__}")
    write_atomically(os.fspath(destination), data, overwrite=overwrite)


def _owner_of(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def write_atomically(path: str, data: bytes, *, overwrite: bool = False, like: str | None = None) -> None:
    """Write ``data`` to ``path`` via a temporary file, fsync and rename (never a partial file).

    Only regular files are written: an existing FIFO, device node or socket at ``path`` (or a
    symbolic link to one, such as /proc/self/fd/1) is refused with ``OSError(EINVAL)`` even with
    ``overwrite``, since renaming over it would replace the node. The new file takes the owner
    and group of the file it replaces, or of ``like`` (so root rewriting a user's file leaves it
    the user's). Errors name ``path``, never the temporary file.
    """
    import errno
    import stat
    import tempfile  # not at module level: it costs ~15 ms of `import pkcs12kit`

    try:
        existing = os.stat(path)
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a FIFO, device or socket); refusing to replace it", path)
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    owner = existing
    if like is not None:
        owner = os.stat(like)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".pkcs12kit-", suffix=".tmp", dir=directory)
    except OSError as err:
        raise type(err)(err.errno, err.strerror, path) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if owner is not None and (owner.st_uid, owner.st_gid) != _owner_of(temporary):
            try:
                os.chown(temporary, owner.st_uid, owner.st_gid)
            except PermissionError:
                pass  # not root: the file stays the writer's, as any new file would
        if overwrite:
            os.replace(temporary, path)
        else:
            # link() fails if the path appeared meanwhile, so an existing file is never clobbered.
            os.link(temporary, path)
            os.unlink(temporary)
    except OSError as err:
        if os.path.exists(temporary):
            os.unlink(temporary)
        if err.filename == temporary:
            raise type(err)(err.errno, err.strerror, path) from None
        raise
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    try:
        directory_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)
