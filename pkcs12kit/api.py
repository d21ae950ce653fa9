"""The public entry points: `loads`/`load` and `dumps`/`dump`.

Exports: loads, load, dumps, dump.

This is the only module that wires the layers together:
decode: armor → pfx (version, MAC) → safes (data / encryptedData via pbe) → bags → model.PKCS12
encode: model.PKCS12 → bags → safes (profile's encryption) → pfx (profile's MAC) → DER
Encoding is bottom-up and each layer is serialised to bytes once, so large chains stay linear.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from .errors import LimitExceededError, MalformedError, PKCS12Error
from .limits import DEFAULT_LIMITS, Limits
from .model import PKCS12
from .profiles import MODERN, Profile, group

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
    ciphers=None,
    verify_mac: bool = True,
) -> PKCS12:
    """Decode a PKCS#12 file (RFC 7292) from bytes or text.

    ``data``: DER or BER bytes, base64 bytes, or text (PEM-style ``-----BEGIN PKCS12-----``
    armor, bare base64, or a Cisco terminal transcript).
    ``password``: ``str``, ``bytes`` (UTF-8) or ``None`` (no password). ``None`` and ``""`` both
    try the two empty encodings, as OpenSSL does.
    ``limits``: a `Limits` policy; ``ciphers``: a cipher provider name or instance.
    ``verify_mac=False`` skips MAC verification; the result then has ``mac_verified=False``.

    Raises a `PKCS12Error` subclass for every problem with the input, ``TypeError`` for
    arguments of the wrong type.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, (bytes, str)):
        raise TypeError(f"data must be bytes or str, not {type(data).__name__}")
    if password is not None and not isinstance(password, (str, bytes)):
        raise TypeError(f"password must be str, bytes or None, not {type(password).__name__}")
    if limits is None:
        limits = DEFAULT_LIMITS
    elif not isinstance(limits, Limits):
        raise TypeError(f"limits must be a pkcs12kit.Limits, not {type(limits).__name__}")

    from . import pfx  # import time (see the top)
    from .ciphers import get_provider
    from .kdf import Password

    forms = Password(password).forms()
    provider = get_provider(ciphers)
    if len(data) > limits.max_input_size:
        raise LimitExceededError(
            f"input is {len(data):,} bytes, over Limits.max_input_size ({limits.max_input_size:,})"
        )
    try:
        der = _unarmor(data)
        return pfx.decode(der, forms, limits=limits, ciphers=provider, verify_mac=verify_mac)
    except PKCS12Error:
        raise
    except _UNEXPECTED as err:
        raise MalformedError(f"malformed input: {type(err).__name__}: {err}") from err


def load(
    source: str | os.PathLike | BinaryIO,
    password: str | bytes | None = None,
    **options,
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


def _read_bounded(handle, limit: int, name: str) -> bytes:
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


def dumps(p12: PKCS12, password: str | bytes | None, *, profile=None, random=None, ciphers=None) -> bytes:
    """Encode ``p12`` as PKCS#12 DER (RFC 7292) under ``profile`` (default `profiles.MODERN`).

    ``password``: ``str``/``bytes``; ``None`` writes with no password (OpenSSL's NULL form).
    ``random``: see `pkcs8.random_source`; salts and IVs are drawn from it in a fixed order, so a
    seeded source gives byte-identical output.
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
    form = Password(password).forms()[0]
    draw = pkcs8.random_source(random)
    provider = get_provider(ciphers)

    def shroud(pkcs8_der: bytes) -> bytes:
        return pkcs8.shroud(profile.key_protection, pkcs8_der, form, draw, provider)

    key_shroud = shroud if profile.key_protection is not None else None
    content_infos = []
    for name, entries in group(p12, profile.layout):
        safe_contents = safes.encode_safe_contents([bags.encode_bag(e, key_shroud) for e in entries])
        if isinstance(name, int):
            encrypt = p12.safes[name].kind == "encryptedData" and profile.cert_protection is not None
        else:
            encrypt = name != "keys" and profile.cert_protection is not None
        if encrypt:
            content_infos.append(safes.encode_encrypted_data(
                *pkcs8.encrypt_fresh(profile.cert_protection, safe_contents, form, draw, provider)
            ))
        else:
            content_infos.append(safes.encode_data(safe_contents))
    auth_safe = safes.encode_safe_contents(content_infos)  # AuthenticatedSafe: also a SEQUENCE OF

    mac_data = None
    if profile.mac is not None:
        spec = profile.mac
        mac_data = mac.compute(
            spec.kind, spec.digest, spec.iterations, draw(spec.salt_length), auth_safe, form,
            prf=spec.prf, key_length=spec.key_length,
        )
    return pfx.encode(auth_safe, mac_data)


def encrypt_private_key(pkcs8: bytes, password: str | bytes, *, protection=None, random=None, ciphers=None) -> bytes:
    """Encrypt PKCS#8 DER into an EncryptedPrivateKeyInfo (RFC 5958 section 3; default: MODERN's
    key protection)."""
    from . import pkcs8 as _pkcs8  # import time (see the top)

    return _pkcs8.encrypt_private_key(pkcs8, password, protection=protection or MODERN.key_protection,
                                      random=random, ciphers=ciphers)


def dump(
    p12: PKCS12,
    destination: str | os.PathLike | BinaryIO,
    password: str | bytes | None,
    *,
    overwrite: bool = False,
    **options,
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
