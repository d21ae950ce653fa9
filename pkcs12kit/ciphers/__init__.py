"""Block-cipher providers: raw CBC for AES, 3DES, DES, RC2, Camellia, ARIA, SM4 and SEED, and RC4.

Exports: get_provider, Provider, block_size, CIPHERS, PROVIDER_NAMES, ENV_VAR.

pkcs12kit has no compiled code of its own; the ciphers that PKCS#12 (RFC 7292 appendix C),
PBES1 and PBES2 (RFC 8018 appendix B.2) name come from a *provider*:

- ``"cryptography"`` (pyca/cryptography, the default) and
- ``"oscrypto"`` (the ``pkcs12kit[oscrypto]`` extra: the operating system's crypto libraries).

Selection, in order: the explicit ``name`` argument, the ``PKCS12KIT_CIPHERS`` environment
variable, then whichever of cryptography and oscrypto imports first.

A provider does only the block cipher: CBC without padding (the caller pads and unpads, so that a
padding failure is reported by the layer that knows whether a MAC protects the data) and RC4.
What a provider lacks falls back transparently to code that gives the same answer: RC2 with other
than the provider's own key sizes runs in pure Python (`_rc2`, RFC 2268), and single DES runs as
3DES with the key repeated three times (K||K||K is DES, FIPS 46-3 / SP 800-67 keying option 3).

The *default* provider (no name given, no environment variable) borrows a native RC2 for the
parameters it lacks: cryptography has only 128-bit RC2, yet RC2-40 encrypts the certificates of
every OpenSSL 1.x, ``openssl pkcs12 -legacy`` and Windows export. Pure Python decrypts RC2-CBC at
about 32 MB/s and encrypts it at about 0.75 MB/s (CBC encryption is sequential); OpenSSL's RC2,
through oscrypto when the ``pkcs12kit[oscrypto]`` extra is installed, decrypts at about 110 MB/s
and encrypts at about 50. Importing oscrypto costs about 45 ms, so it is imported only for data
large enough to repay it (`_RC2_IMPORT_PAYS`). A provider asked for by name runs every cipher itself or in pure Python,
never in another provider (docs/ciphers.md#native-rc2).

OpenSSL 3 also writes PBES2 with Camellia (RFC 3713, OIDs of RFC 3657), ARIA (RFC 5794, OIDs of
RFC 5794 appendix), SM4 (GB/T 32907, RFC 8998) and SEED (RFC 4269). ARIA runs in pure Python
(`_aria`) because no provider has it; Camellia, SM4 and SEED come from the provider, and a
provider without them raises `UnsupportedAlgorithmError` naming the cipher.
"""

from __future__ import annotations

import importlib
import os

from ..errors import MalformedError, UnsupportedAlgorithmError

__all__ = ["get_provider", "Provider", "block_size", "CIPHERS", "PROVIDER_NAMES", "ENV_VAR"]

ENV_VAR = "PKCS12KIT_CIPHERS"

# Module (relative to this package) and class of each provider, in default preference order.
_PROVIDERS = {
    "cryptography": ("._pyca", "PycaProvider", "pip install cryptography"),
    "oscrypto": ("._oscrypto", "OscryptoProvider", "pip install pkcs12kit[oscrypto]"),
}
PROVIDER_NAMES = tuple(_PROVIDERS)

_BLOCK_SIZES = {
    "aes": 16, "tripledes": 8, "des": 8, "rc2": 8, "camellia": 16, "aria": 16, "sm4": 16, "seed": 16,
}
# Key sizes in bytes of the 128-bit-block ciphers besides AES: Camellia (RFC 3713 section 2.1)
# and ARIA (RFC 5794 section 2) take 128/192/256-bit keys, SM4 and SEED (RFC 4269) 128 only.
_KEY_SIZES = {"aes": (16, 24, 32), "camellia": (16, 24, 32), "aria": (16, 24, 32), "sm4": (16,), "seed": (16,)}
CIPHERS = tuple(_BLOCK_SIZES)

_cache: dict[str, "Provider"] = {}

# The default provider's RC2 lender (see the module docstring) and when it is worth asking.
_RC2_LENDER = "oscrypto"
# Bytes of RC2 data from which importing the lender (about 45 ms) pays: native decryption saves
# ~22 ms a MB over pure Python, encryption ~1.3 s a MB.
_RC2_IMPORT_PAYS = {False: 2 << 20, True: 32 << 10}  # keyed by `encrypt`
# Once imported, the lender is used from this size on: below it, the pure-Python lanes and the
# native call (with its extra padding block, see `_oscrypto`) cost about the same.
_RC2_LOADED_PAYS = 1 << 10
# Providers whose import failed once; the lender's import is not retried on every call.
_unloadable: set[str] = set()


def block_size(cipher: str) -> int:
    """Block size in bytes of a CBC cipher: 16 for ``"aes"``, ``"camellia"``, ``"aria"``,
    ``"sm4"`` and ``"seed"``; 8 for ``"tripledes"``, ``"des"`` and ``"rc2"``."""
    if not isinstance(cipher, str):
        raise TypeError(f"cipher must be str, not {type(cipher).__name__}")
    try:
        return _BLOCK_SIZES[cipher]
    except KeyError:
        raise UnsupportedAlgorithmError(
            f"ciphers: unknown cipher {cipher!r}; expected one of {', '.join(CIPHERS)}"
        ) from None


def _as_bytes(value: object, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, not {type(value).__name__}")


def _check_rc2_bits(rc2_bits: object, key: bytes) -> int:
    # RFC 2268 section 2: effective key bits T1 is 1..1024; no value means "as many as the key has",
    # which is also what OpenSSL and pyca/cryptography use.
    if rc2_bits is None:
        return len(key) * 8
    if isinstance(rc2_bits, bool) or not isinstance(rc2_bits, int):
        raise TypeError(f"rc2_bits must be int or None, not {type(rc2_bits).__name__}")
    if not 1 <= rc2_bits <= 1024:
        raise MalformedError(f"rc2-cbc: effective key bits {rc2_bits} outside 1..1024 (RFC 2268)")
    return rc2_bits


def _check_cbc(
    cipher: str, key: bytes, iv: bytes, data: bytes | memoryview, rc2_bits: int | None
) -> tuple[bytes, bytes, bytes | memoryview, int | None]:
    """Validate CBC arguments; return (key, iv, data, bits), two-key 3DES expanded to 24 bytes."""
    size = block_size(cipher)
    key = _as_bytes(key, "key")
    iv = _as_bytes(iv, "iv")
    # A memoryview (the ciphertext inside the file) is passed on uncopied; the pure-Python
    # ciphers and oscrypto take bytes (see `_dispatch` and the oscrypto provider).
    if not isinstance(data, memoryview):
        data = _as_bytes(data, "data")
    if cipher != "rc2" and rc2_bits is not None:
        raise TypeError(f"rc2_bits applies only to rc2, not {cipher}")
    n = len(key)
    if cipher in _KEY_SIZES:
        if n not in _KEY_SIZES[cipher]:
            sizes = " or ".join(str(size) for size in _KEY_SIZES[cipher])
            raise MalformedError(f"{cipher}-cbc: key is {n} bytes; {cipher} needs {sizes}")
    elif cipher == "tripledes":
        if n == 16:
            # Two-key 3DES is K1||K2||K1 (SP 800-67 keying option 2).
            key = key + key[:8]
        elif n != 24:
            raise MalformedError(f"tripledes-cbc: key is {n} bytes; tripledes needs 16 or 24")
    elif cipher == "des":
        if n != 8:
            raise MalformedError(f"des-cbc: key is {n} bytes; des needs 8")
    elif not 1 <= n <= 128:
        raise MalformedError(f"rc2-cbc: key is {n} bytes; rc2 needs 1 to 128 (RFC 2268)")
    if len(iv) != size:
        raise MalformedError(f"{cipher}-cbc: iv is {len(iv)} bytes; {cipher} needs {size}")
    if len(data) % size:
        raise MalformedError(
            f"{cipher}-cbc: data length {len(data)} is not a multiple of the {size}-byte block"
        )
    bits = _check_rc2_bits(rc2_bits, key) if cipher == "rc2" else None
    return key, iv, data, bits


class Provider:
    """One source of block ciphers. Get instances from `get_provider`, not by constructing them.

    Subclasses implement ``_cbc(cipher, key, iv, data, bits, encrypt)`` for the ciphers they do
    natively (``key`` already validated, two-key 3DES already expanded to 24 bytes), say which RC2
    parameters they do natively in ``_has_rc2``, and implement ``_rc4``.
    """

    name = "abstract"
    # Whether `_cbc` reads a memoryview as it is (cryptography does); others are given bytes.
    takes_buffers = False
    # Set on the default provider only: RC2 parameters it lacks go to the native lender when
    # that is installed and the data repays its import (`_rc2_lender`).
    borrows_rc2 = False

    def cbc_decrypt(
        self, cipher: str, key: bytes, iv: bytes, data: bytes | memoryview, *, rc2_bits: int | None = None
    ) -> bytes:
        """Decrypt raw CBC (RFC 8018 appendix B.2), removing no padding; data is whole blocks.

        ``rc2_bits`` is RC2's effective key bits (RFC 2268 section 2); None means ``8 * len(key)``.
        """
        key, iv, data, bits = _check_cbc(cipher, key, iv, data, rc2_bits)
        return self._dispatch(cipher, key, iv, data, bits, False)

    def cbc_encrypt(
        self, cipher: str, key: bytes, iv: bytes, data: bytes | memoryview, *, rc2_bits: int | None = None
    ) -> bytes:
        """Encrypt raw CBC (RFC 8018 appendix B.2); ``data`` is already padded by the caller."""
        key, iv, data, bits = _check_cbc(cipher, key, iv, data, rc2_bits)
        return self._dispatch(cipher, key, iv, data, bits, True)

    def rc4(self, key: bytes, data: bytes | memoryview) -> bytes:
        """RC4 keystream XOR ``data`` (encryption and decryption are the same operation).

        PKCS#12 (RFC 7292 appendix C) uses 5-byte (RC4-40) and 16-byte (RC4-128) keys; both
        providers do those, and raise `UnsupportedAlgorithmError` for key sizes they lack.
        """
        key = _as_bytes(key, "key")
        data = _as_bytes(data, "data")
        if not key:
            raise MalformedError("rc4: key is empty")
        if len(key) > 256:
            raise MalformedError(f"rc4: key is {len(key)} bytes; rc4 takes at most 256")
        return self._rc4(key, data)

    def _dispatch(
        self, cipher: str, key: bytes, iv: bytes, data: bytes | memoryview, bits: int | None, encrypt: bool
    ) -> bytes:
        if not data:
            return b""
        if cipher == "aria":
            # No provider has ARIA (RFC 5794): always the pure-Python module.
            from . import _aria

            aria_key = _aria.expand_key(key)
            plain = bytes(data)
            return _aria.cbc_encrypt(aria_key, iv, plain) if encrypt else _aria.cbc_decrypt(aria_key, iv, plain)
        if cipher == "rc2" and not self._has_rc2(len(key), bits):
            lender = _rc2_lender(len(key), bits, len(data), encrypt) if self.borrows_rc2 else None
            if lender is not None:
                # Arguments are validated already; the lender falls back to pure Python itself
                # if its library turns out to lack RC2 (OpenSSL 3 without the legacy provider).
                return lender._dispatch(cipher, key, iv, data, bits, encrypt)
            from . import _rc2

            assert bits is not None  # _check_cbc sets it for rc2
            xk = _rc2.expand_key(key, bits)
            plain = bytes(data)
            return _rc2.cbc_encrypt(xk, iv, plain) if encrypt else _rc2.cbc_decrypt(xk, iv, plain)
        return self._cbc(cipher, key, iv, data if self.takes_buffers else bytes(data), bits, encrypt)

    def _has_rc2(self, key_length: int, bits: int | None) -> bool:
        return False

    def _cbc(  # pragma: no cover - abstract
        self, cipher: str, key: bytes, iv: bytes, data: bytes | memoryview, bits: int | None, encrypt: bool
    ) -> bytes:
        raise NotImplementedError

    def _rc4(self, key: bytes, data: bytes) -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<pkcs12kit cipher provider {self.name!r}>"


def _rc2_lender(key_length: int, bits: int | None, size: int, encrypt: bool) -> Provider | None:
    """The provider that does these RC2 parameters natively, if installed and worth it for
    ``size`` bytes; None means pure Python."""
    lender = _cache.get(_RC2_LENDER)
    if lender is None:
        if size < _RC2_IMPORT_PAYS[encrypt] or _RC2_LENDER in _unloadable:
            return None
        try:
            lender = _load(_RC2_LENDER, "native RC2 for the default provider")
        except UnsupportedAlgorithmError:
            _unloadable.add(_RC2_LENDER)  # not installed, or its library did not load
            return None
    elif size < _RC2_LOADED_PAYS:
        return None
    return lender if lender._has_rc2(key_length, bits) else None


def _load(name: str, why: str, *, default: bool = False) -> Provider:
    """Import and instantiate provider ``name`` once; UnsupportedAlgorithmError if it can't load.

    ``default`` gives the separate instance that `get_provider` returns when no provider is named:
    the same class, but it borrows native RC2 (the module docstring says why).
    """
    key = f"{name} (default)" if default else name
    if key in _cache:
        return _cache[key]
    module_name, class_name, install = _PROVIDERS[name]
    try:
        module = importlib.import_module(module_name, __name__)
        provider: Provider = getattr(module, class_name)()
    except Exception as err:  # any import-time failure (oscrypto raises LibraryNotFoundError...)
        raise UnsupportedAlgorithmError(
            f"ciphers: provider {name!r} ({why}) cannot be loaded: {err}; "
            f"install it with `{install}`"
        ) from err
    provider.borrows_rc2 = default
    _cache[key] = provider
    return provider


def get_provider(name: "str | Provider | None" = None) -> Provider:
    """Return the cipher provider to use (cached; one instance per name).

    ``name``: a `Provider` (returned as is), ``"cryptography"``, ``"oscrypto"``, or None to use
    ``$PKCS12KIT_CIPHERS`` if set and non-empty, else the first of cryptography and oscrypto that
    imports. A named provider that cannot be imported raises `UnsupportedAlgorithmError` with the
    import error; so does having neither.

    The provider chosen without a name borrows oscrypto's native RC2 for the RC2 parameters it
    lacks (RC2-40), when oscrypto is installed and the data is large enough to repay importing
    it; a named provider (argument or variable) never borrows. Both give the same bytes.
    """
    if isinstance(name, Provider):
        return name
    why = "requested"
    if name is None:
        env = os.environ.get(ENV_VAR, "").strip()
        if env:
            name, why = env.lower(), f"from ${ENV_VAR}"
    elif not isinstance(name, str):
        raise TypeError(f"provider must be None, str or Provider, not {type(name).__name__}")
    if name is not None:
        if name not in _PROVIDERS:
            raise UnsupportedAlgorithmError(
                f"ciphers: unknown provider {name!r} ({why}); expected one of "
                f"{', '.join(PROVIDER_NAMES)}"
            )
        return _load(name, why)
    reasons = []
    for candidate in PROVIDER_NAMES:
        try:
            return _load(candidate, "default", default=True)
        except UnsupportedAlgorithmError as err:
            reasons.append(str(err.__cause__))
    raise UnsupportedAlgorithmError(
        "ciphers: no cipher provider available; install one with `pip install cryptography` "
        f"or `pip install pkcs12kit[oscrypto]` ({'; '.join(reasons)})"
    )
