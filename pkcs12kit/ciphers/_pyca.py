"""The ``"cryptography"`` cipher provider, over pyca/cryptography's hazmat ciphers.

Exports: PycaProvider.

AES comes from ``primitives.ciphers.algorithms``; 3DES, RC2 and RC4 from
``hazmat.decrepit.ciphers.algorithms``. cryptography's RC2 takes only 128-bit keys (with 128
effective bits), so other RC2 parameters fall back to pure Python in the base class; single DES
runs as 3DES with the key repeated (K||K||K), passed as 24 bytes because cryptography deprecates
8- and 16-byte 3DES keys.
"""

from __future__ import annotations

from cryptography.hazmat.decrepit.ciphers import algorithms as _decrepit
from cryptography.hazmat.primitives.ciphers import BlockCipherAlgorithm, Cipher, algorithms, modes

from . import Provider

__all__ = ["PycaProvider"]

_RC4_KEY_BYTES = frozenset(bits // 8 for bits in _decrepit.ARC4.key_sizes)


class PycaProvider(Provider):
    """Ciphers from pyca/cryptography; RC2 other than 128/128 is pure Python (RFC 2268)."""

    name = "cryptography"

    def _has_rc2(self, key_length: int, bits: int | None) -> bool:
        return key_length == 16 and bits == 128

    def _cbc(
        self, cipher: str, key: bytes, iv: bytes, data: bytes, bits: int | None, encrypt: bool
    ) -> bytes:
        if cipher == "aes":
            algorithm: BlockCipherAlgorithm = algorithms.AES(key)
        elif cipher == "tripledes":
            algorithm = _decrepit.TripleDES(key)
        elif cipher == "des":
            algorithm = _decrepit.TripleDES(key * 3)
        else:
            algorithm = _decrepit.RC2(key)
        cipher_ = Cipher(algorithm, modes.CBC(iv))
        context = cipher_.encryptor() if encrypt else cipher_.decryptor()
        return context.update(data) + context.finalize()

    def _rc4(self, key: bytes, data: bytes) -> bytes:
        if len(key) not in _RC4_KEY_BYTES:
            from ..errors import UnsupportedAlgorithmError

            raise UnsupportedAlgorithmError(
                f"rc4: {len(key)}-byte keys are not supported by the cryptography provider; "
                f"it takes {', '.join(str(n) for n in sorted(_RC4_KEY_BYTES))} bytes"
            )
        return Cipher(_decrepit.ARC4(key), None).encryptor().update(data)
