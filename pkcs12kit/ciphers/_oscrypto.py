"""The ``"oscrypto"`` cipher provider, over ``oscrypto.symmetric`` (the OS crypto libraries).

Exports: OscryptoProvider.

oscrypto offers raw (no-padding) CBC only for AES. For 3DES, DES and RC2 it offers only CBC with
PKCS#5 padding (RFC 8018 section 6.1.1), so raw CBC is built from those without knowing the key
schedule:

- encrypt: CBC ciphertext blocks depend only on the plaintext before them, so encrypting with
  padding and dropping the final (padding) block leaves exactly the raw CBC ciphertext;
- decrypt: append one block X = E_k(PAD XOR C_n), where PAD is a full block of padding bytes
  (0x08 x 8). CBC-decrypting C_1..C_n X yields P_1..P_n PAD, whose padding the library strips,
  leaving P_1..P_n. X itself is the first ciphertext block of a padded CBC encryption of PAD
  with IV C_n.

oscrypto does RC2 only with 5- to 16-byte keys and as many effective bits as key bits, and RC4
only with 5- to 16-byte keys; other RC2 parameters run in pure Python (`_rc2`). If the OS library
lacks RC2 or DES altogether (OpenSSL 3 without its legacy provider raises ``OSError``), RC2 falls
back to pure Python and DES to 3DES with the key repeated (K||K||K).
"""

from __future__ import annotations

from oscrypto import symmetric as _sym

from . import Provider
from ..errors import UnsupportedAlgorithmError

__all__ = ["OscryptoProvider"]

_PAD_BLOCK = b"\x08" * 8  # a full PKCS#5 padding block for the 8-byte-block ciphers

# cipher -> (padded encrypt, padded decrypt)
_PADDED = {
    "tripledes": (_sym.tripledes_cbc_pkcs5_encrypt, _sym.tripledes_cbc_pkcs5_decrypt),
    "des": (_sym.des_cbc_pkcs5_encrypt, _sym.des_cbc_pkcs5_decrypt),
    "rc2": (_sym.rc2_cbc_pkcs5_encrypt, _sym.rc2_cbc_pkcs5_decrypt),
}


def _raw_cbc(cipher: str, key: bytes, iv: bytes, data: bytes, encrypt: bool) -> bytes:
    """Raw CBC over oscrypto's padded CBC functions (see the module docstring for why it works)."""
    padded_encrypt, padded_decrypt = _PADDED[cipher]
    if encrypt:
        return padded_encrypt(key, data, iv)[1][: len(data)]
    extra = padded_encrypt(key, _PAD_BLOCK, data[-8:])[1][:8]
    return padded_decrypt(key, data + extra, iv)


class OscryptoProvider(Provider):
    """Ciphers from oscrypto; RC2 outside its key sizes is pure Python (RFC 2268)."""

    name = "oscrypto"

    def __init__(self) -> None:
        # Set when the OS library turns out to lack a legacy cipher, so we stop asking it.
        self._lacks: set[str] = set()

    def _has_rc2(self, key_length: int, bits: int | None) -> bool:
        return "rc2" not in self._lacks and 5 <= key_length <= 16 and bits == key_length * 8

    def _cbc(
        self, cipher: str, key: bytes, iv: bytes, data: bytes | memoryview, bits: int | None, encrypt: bool
    ) -> bytes:
        data = bytes(data)  # takes_buffers is False: `_dispatch` already gives bytes
        if cipher in ("camellia", "sm4", "seed"):
            # oscrypto exposes AES, 3DES, DES and RC2 only.
            raise UnsupportedAlgorithmError(
                f"{cipher}-cbc: the oscrypto provider does not have {cipher}; use the "
                "cryptography provider (PKCS12KIT_CIPHERS=cryptography)"
            )
        if cipher == "aes":
            if encrypt:
                return _sym.aes_cbc_no_padding_encrypt(key, data, iv)[1]
            return _sym.aes_cbc_no_padding_decrypt(key, data, iv)
        if cipher == "des" and "des" in self._lacks:
            return _raw_cbc("tripledes", key * 3, iv, data, encrypt)
        try:
            return _raw_cbc(cipher, key, iv, data, encrypt)
        except OSError:
            # OpenSSL 3 keeps DES and RC2 in the legacy provider, which may be missing; the
            # fallbacks give identical results.
            if cipher == "rc2":
                self._lacks.add("rc2")
                return self._dispatch(cipher, key, iv, data, bits, encrypt)
            if cipher == "des":
                self._lacks.add("des")
                return _raw_cbc("tripledes", key * 3, iv, data, encrypt)
            raise

    def _rc4(self, key: bytes, data: bytes) -> bytes:
        if not 5 <= len(key) <= 16:
            raise UnsupportedAlgorithmError(
                f"rc4: {len(key)}-byte keys are not supported by the oscrypto provider; "
                "it takes 5 to 16 bytes"
            )
        try:
            return _sym.rc4_encrypt(key, data)
        except OSError as err:
            raise UnsupportedAlgorithmError(
                "rc4: the oscrypto provider's crypto library lacks rc4"
            ) from err
