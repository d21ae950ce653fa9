"""Encrypting a private key or a safe under a `Protection` with fresh salt and IV.

Exports: random_source, encrypt_fresh, shroud, encrypt_private_key.

`pbe` encrypts with the salt and IV it is given; this module draws them, in a fixed order, from
the caller's random source, so that a seeded source gives byte-identical files, and wraps a
PKCS#8 key as an ``EncryptedPrivateKeyInfo`` (RFC 5958 section 3) — the body of a
pkcs8ShroudedKeyBag (RFC 7292 section 4.2.2) and of an ``ENCRYPTED PRIVATE KEY`` PEM block.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable, Union

from . import pbe, tlv
from .ciphers import get_provider
from .kdf import Password
from .protection import Protection

if TYPE_CHECKING:
    from random import Random

    # Where salts and IVs come from: None (os.urandom), random.Random(seed), or n -> bytes.
    RandomSource = Union[Random, Callable[[int], bytes], None]

    from .ciphers import Provider
    from .kdf import PasswordForm

__all__ = ["random_source", "encrypt_fresh", "shroud", "encrypt_private_key"]


def random_source(random: RandomSource) -> Callable[[int], bytes]:
    """``random``: None (os.urandom), a callable ``n -> bytes``, or an object with ``randbytes``
    (``random.Random(seed)`` gives reproducible output for tests and reproducible builds)."""
    if random is None:
        return os.urandom
    if hasattr(random, "randbytes"):
        return random.randbytes
    if callable(random):
        return random
    raise TypeError("random must be None, a callable n -> bytes, or have a randbytes(n) method")


def encrypt_fresh(
    protection: Protection, plaintext: bytes, form: PasswordForm, draw: Callable[[int], bytes], provider: Provider
) -> tuple[bytes, bytes]:
    """(AlgorithmIdentifier DER, ciphertext) with a fresh salt, and IV for PBES2, from ``draw``."""
    salt = draw(protection.salt_length or 8)
    iv = None
    if protection.scheme == "pbes2":
        iv = draw(pbe.iv_length(protection.cipher))
    return pbe.encrypt(protection, plaintext, form, salt=salt, iv=iv, ciphers=provider)


def shroud(
    protection: Protection, pkcs8: bytes, form: PasswordForm, draw: Callable[[int], bytes], provider: Provider
) -> bytes:
    """EncryptedPrivateKeyInfo DER (RFC 5958 section 3) of a PKCS#8 key."""
    algorithm, ciphertext = encrypt_fresh(protection, pkcs8, form, draw, provider)
    return tlv.encode(tlv.SEQUENCE, algorithm + tlv.encode(tlv.OCTET_STRING, ciphertext))


def encrypt_private_key(pkcs8: bytes, password: str | bytes, *, protection: Protection,
                        random: RandomSource = None,
                        ciphers: str | Provider | None = None) -> bytes:
    """Encrypt PKCS#8 DER into an EncryptedPrivateKeyInfo under ``protection``."""
    form = Password(password).forms()[0]
    return shroud(protection, pkcs8, form, random_source(random), get_provider(ciphers))
