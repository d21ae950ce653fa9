"""The public entry points: `loads`/`load` (and, with the encoder, `dumps`/`dump`).

Exports: loads, load.

This is the only module that wires the layers together:
armor → pfx (version, MAC) → safes (data / encryptedData via pbe) → bags → model.PKCS12.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from .errors import LimitExceededError, MalformedError, PKCS12Error
from .limits import DEFAULT_LIMITS, Limits
from .model import PKCS12

__all__ = ["loads", "load"]

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

    from . import pfx
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
    if isinstance(source, (str, os.PathLike)):
        limits = options.get("limits") or DEFAULT_LIMITS
        try:
            size = os.path.getsize(source)
        except OSError:
            size = 0
        if size > limits.max_input_size:
            raise LimitExceededError(
                f"{os.fspath(source)}: {size:,} bytes, over Limits.max_input_size ({limits.max_input_size:,})"
            )
        with open(source, "rb") as handle:
            data = handle.read()
    elif hasattr(source, "read"):
        data = source.read()
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("load() needs a binary file object (opened with 'rb')")
    else:
        raise TypeError(f"source must be a path or a binary file object, not {type(source).__name__}")
    return loads(data, password, **options)


def _unarmor(data: bytes | str) -> bytes:
    """DER/BER bytes pass through; anything else goes to `armor.unarmor`."""
    if isinstance(data, bytes) and data[:1] == b"\x30":
        return data
    from .armor import unarmor

    return unarmor(data)[0]
