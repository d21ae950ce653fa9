"""The ``"cryptography"`` cipher provider, over pyca/cryptography's hazmat ciphers.

Exports: PycaProvider.

AES comes from ``primitives.ciphers.algorithms``; 3DES, RC2 and RC4 from
``hazmat.decrepit.ciphers.algorithms``. cryptography's RC2 takes only 128-bit keys (with 128
effective bits), so other RC2 parameters fall back to pure Python in the base class; single DES
runs as 3DES with the key repeated (K||K||K), passed as 24 bytes because cryptography deprecates
8- and 16-byte 3DES keys. Camellia and SEED are decrepit in cryptography 43+ (the old location
warns and will go away), SM4 is a primitive; a cryptography build without one of them (an
OpenSSL compiled without it) raises `UnsupportedAlgorithmError` naming the cipher.
"""

from __future__ import annotations

from cryptography import exceptions as _pyca_exceptions
from cryptography.hazmat.decrepit.ciphers import algorithms as _decrepit
from cryptography.hazmat.primitives.ciphers import BlockCipherAlgorithm, Cipher, algorithms, modes

from ..errors import UnsupportedAlgorithmError
from . import Provider

__all__ = ["PycaProvider"]

# Where each of OpenSSL's other PBES2 ciphers lives in cryptography: decrepit first (its current
# home for Camellia and SEED), then the primitives (SM4; Camellia and SEED in old releases).
_NAMED = {"camellia": "Camellia", "sm4": "SM4", "seed": "SEED"}


def _named_cipher(cipher: str, key: bytes) -> BlockCipherAlgorithm:
    """The cryptography algorithm object for Camellia, SM4 or SEED."""
    class_name = _NAMED[cipher]
    for module in (_decrepit, algorithms):
        constructor = getattr(module, class_name, None)
        if constructor is not None:
            algorithm: BlockCipherAlgorithm = constructor(key)
            return algorithm
    raise UnsupportedAlgorithmError(
        f"{cipher}-cbc: this version of cryptography has no {class_name}; upgrade cryptography"
    )

_RC4_KEY_BYTES = frozenset(bits // 8 for bits in _decrepit.ARC4.key_sizes)


class PycaProvider(Provider):
    """Ciphers from pyca/cryptography; RC2 other than 128/128 is pure Python (RFC 2268)."""

    name = "cryptography"
    takes_buffers = True

    def _has_rc2(self, key_length: int, bits: int | None) -> bool:
        return key_length == 16 and bits == 128

    def _cbc(
        self, cipher: str, key: bytes, iv: bytes, data: bytes | memoryview, bits: int | None, encrypt: bool
    ) -> bytes:
        if cipher == "aes":
            algorithm: BlockCipherAlgorithm = algorithms.AES(key)
        elif cipher == "tripledes":
            algorithm = _decrepit.TripleDES(key)
        elif cipher == "des":
            algorithm = _decrepit.TripleDES(key * 3)
        elif cipher == "rc2":
            algorithm = _decrepit.RC2(key)
        else:
            algorithm = _named_cipher(cipher, key)
        try:
            cipher_ = Cipher(algorithm, modes.CBC(iv))
            context = cipher_.encryptor() if encrypt else cipher_.decryptor()
            return context.update(data) + context.finalize()
        except _pyca_exceptions.UnsupportedAlgorithm as err:
            raise UnsupportedAlgorithmError(
                f"{cipher}-cbc: not available in this build of cryptography ({err})"
            ) from err

    def _rc4(self, key: bytes, data: bytes) -> bytes:
        if len(key) not in _RC4_KEY_BYTES:
            raise UnsupportedAlgorithmError(
                f"rc4: {len(key)}-byte keys are not supported by the cryptography provider; "
                f"it takes {', '.join(str(n) for n in sorted(_RC4_KEY_BYTES))} bytes"
            )
        return Cipher(_decrepit.ARC4(key), None).encryptor().update(data)
