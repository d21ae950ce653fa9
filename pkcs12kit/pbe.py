"""Password-based encryption: the PKCS#12 PBE schemes, PBES1 and PBES2, with their padding.

Exports: decrypt, encrypt, scheme_names, pbes2_cipher_names, iv_length.

One table (`_SCHEMES`) lists every outer scheme; PBES2's inner encryption schemes are in
`_PBES2_CIPHERS`. Both decode and encode read the same tables:

- PKCS#12 PBE (RFC 7292 appendix C): key from the PKCS#12 KDF with ID 1, IV with ID 2
  (appendix B.3), password as a BMPString;
- PBES1 (RFC 8018 section 6.1): PBKDF1 gives 16 octets: DES/RC2 key then IV;
- PBES2 (RFC 8018 section 6.2): PBKDF2 (appendix A.2) or scrypt (RFC 7914 section 7), then a
  CBC cipher with an explicit IV (appendix B.2).

Padding is PKCS#5 (RFC 8018 section 6.1.1 step 4, RFC 5652 section 6.3), checked strictly; RC4
is a stream cipher and has none.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Callable

from asn1crypto import algos, core

from . import asn1, kdf
from .ciphers import block_size, get_provider
from .errors import (
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    PKCS12Error,
    UnsupportedAlgorithmError,
)
from .kdf import PasswordForm
from .limits import WorkBudget
from .protection import Protection

if TYPE_CHECKING:
    from .ciphers import Provider
    from .limits import Limits

# A planned derivation: (key, IV) once called; the IV is None for RC4.
_Derive = Callable[[], "tuple[bytes, bytes | None]"]

__all__ = [
    "decrypt", "encrypt", "declared_iterations", "declared_work", "secret_of", "scrypt_cost", "scheme_names",
    "pbes2_cipher_names", "iv_length",
]


@dataclasses.dataclass(frozen=True)
class _Scheme:
    kdf: str  # "pkcs12", "pbkdf1" or "pbes2" (the KDF is then in the parameters)
    hash: str | None = None  # the PKCS#12 KDF / PBKDF1 hash
    cipher: str | None = None  # Protection.cipher
    key_length: int | None = None
    rc2_bits: int | None = None
    unsupported: str | None = None  # why a known scheme cannot be used


_SCHEMES = {
    # RFC 7292 appendix C
    "pkcs12_sha1_rc4_128": _Scheme("pkcs12", "sha1", "rc4", 16),
    "pkcs12_sha1_rc4_40": _Scheme("pkcs12", "sha1", "rc4", 5),
    "pkcs12_sha1_tripledes_3key": _Scheme("pkcs12", "sha1", "tripledes_3key", 24),
    "pkcs12_sha1_tripledes_2key": _Scheme("pkcs12", "sha1", "tripledes_2key", 16),
    "pkcs12_sha1_rc2_128": _Scheme("pkcs12", "sha1", "rc2", 16, 128),
    "pkcs12_sha1_rc2_40": _Scheme("pkcs12", "sha1", "rc2", 5, 40),
    # RFC 8018 section 6.1 (PBES1: RC2 keys are 64 bits, appendix B.2.2)
    "pbes1_md5_des": _Scheme("pbkdf1", "md5", "des", 8),
    "pbes1_sha1_des": _Scheme("pbkdf1", "sha1", "des", 8),
    "pbes1_md5_rc2": _Scheme("pbkdf1", "md5", "rc2", 8, 64),
    "pbes1_sha1_rc2": _Scheme("pbkdf1", "sha1", "rc2", 8, 64),
    "pbes1_md2_des": _Scheme("pbkdf1", "md2", "des", 8, unsupported="md2 is not available"),
    "pbes1_md2_rc2": _Scheme("pbkdf1", "md2", "rc2", 8, 64, unsupported="md2 is not available"),
    # RFC 8018 section 6.2
    "pbes2": _Scheme("pbes2"),
}

# PBES2 encryption schemes (RFC 8018 appendix B.2): default key length in octets. RC2-CBC has a
# variable key; OpenSSL's default of 16 octets applies when no keyLength is given.
_PBES2_CIPHERS = {
    "aes128_cbc": 16,
    "aes192_cbc": 24,
    "aes256_cbc": 32,
    "tripledes_3key": 24,
    "des": 8,
    "rc2": 16,
    # OpenSSL 3 `pkcs12 -keypbe/-certpbe` also takes these (asn1._OTHER_CBC has their OIDs).
    "camellia128_cbc": 16,
    "camellia192_cbc": 24,
    "camellia256_cbc": 32,
    "aria128_cbc": 16,
    "aria192_cbc": 24,
    "aria256_cbc": 32,
    "sm4_cbc": 16,
    "seed_cbc": 16,
}

# Protection.cipher -> the provider's cipher name.
_PROVIDER_CIPHER = {
    "aes128_cbc": "aes",
    "aes192_cbc": "aes",
    "aes256_cbc": "aes",
    "tripledes_3key": "tripledes",
    "tripledes_2key": "tripledes",
    "des": "des",
    "rc2": "rc2",
    "camellia128_cbc": "camellia",
    "camellia192_cbc": "camellia",
    "camellia256_cbc": "camellia",
    "aria128_cbc": "aria",
    "aria192_cbc": "aria",
    "aria256_cbc": "aria",
    "sm4_cbc": "sm4",
    "seed_cbc": "seed",
}

# RC2 effective key bits <-> rc2ParameterVersion (RFC 8018 appendix B.2.3; RFC 2268 section 6).
# Versions of 256 and above are the bit count itself; the bare-IV form means 32 bits.
_RC2_VERSION_BITS = {160: 40, 120: 64, 58: 128}
_RC2_BITS_VERSION = {bits: version for version, bits in _RC2_VERSION_BITS.items()}


def iv_length(cipher: str | None) -> int:
    """The IV length PBES2 needs for ``cipher`` (one block, RFC 8018 appendix B.2); 8 for a
    cipher pbes2 does not know (`encrypt` then refuses it by name)."""
    provider_cipher = _PROVIDER_CIPHER.get(cipher or "")
    return block_size(provider_cipher) if provider_cipher else 8


def scheme_names() -> tuple[str, ...]:
    """Every outer scheme name in the table, supported or not (asn1crypto's naming)."""
    return tuple(_SCHEMES)


def pbes2_cipher_names() -> tuple[str, ...]:
    """Every PBES2 encryption scheme (asn1crypto's naming)."""
    return tuple(_PBES2_CIPHERS)


# --- decode ----------------------------------------------------------------------------------


def _rc2_bits_from_params(params: Any, where: str) -> tuple[int, bytes]:
    """(effective bits, IV) from an RC2-CBC-Parameter in either shape (RFC 8018 appendix B.2.3)."""
    if params.name == "iv":
        return 32, params.chosen.native
    version = params.chosen["rc2_parameter_version"].native
    iv = params.chosen["iv"].native
    if version is None:
        return 32, iv
    if 256 <= version <= 1024:
        return version, iv
    if version > 1024:
        # RFC 2268 section 2: effective key bits are at most 1024.
        raise MalformedError(f"{where}: rc2 parameter version {version} is over 1024 bits")
    if version in _RC2_VERSION_BITS:
        return _RC2_VERSION_BITS[version], iv
    raise UnsupportedAlgorithmError(f"{where}: rc2 parameter version {version} is not supported")


def _parse(algorithm_der: bytes, where: str) -> tuple[str, _Scheme, asn1.EncryptionAlgorithm]:
    """Load and fully parse a PBE AlgorithmIdentifier; return (name, table entry, asn1 object)."""
    try:
        algorithm = asn1.EncryptionAlgorithm.load(algorithm_der)
        name = algorithm["algorithm"].native
        dotted = algorithm["algorithm"].dotted
        algorithm.native  # force a full parse so structural errors surface here
    except asn1.PARSE_ERRORS as err:
        raise MalformedError(f"{where}: encryption algorithm cannot be parsed: {err}") from err
    if name == dotted:
        raise UnsupportedAlgorithmError(
            f"{where}: encryption algorithm {dotted} is unknown (not a PBE scheme pkcs12kit knows)"
        )
    scheme = _SCHEMES.get(name)
    if scheme is None:
        raise UnsupportedAlgorithmError(f"{where}: {name} is not a password-based encryption scheme")
    if scheme.unsupported:
        raise UnsupportedAlgorithmError(f"{where}: {name} is not supported: {scheme.unsupported}")
    return name, scheme, algorithm


def _plan_pbes2(params: Any, form: PasswordForm, budget: WorkBudget, where: str) -> tuple[Protection, _Derive]:
    """Check PBES2 parameters (RFC 8018 appendix A.4) and costs; return (Protection, derive).

    ``derive()`` returns (key, IV).
    """
    params = asn1.require(params, asn1.Pbes2Params, "pbes2", where)
    kdf_alg = params["key_derivation_func"]
    kdf_name = kdf_alg["algorithm"].native
    enc = params["encryption_scheme"]
    cipher = enc["algorithm"].native
    if cipher not in _PBES2_CIPHERS:
        what = "unknown" if cipher == enc["algorithm"].dotted else "not supported in pbes2"
        raise UnsupportedAlgorithmError(f"{where}: pbes2 encryption scheme {cipher} is {what}")
    rc2_bits = None
    if cipher == "rc2":
        rc2_params = asn1.require(enc["parameters"], asn1.Rc2CbcParameter, "rc2-cbc", where)
        rc2_bits, iv = _rc2_bits_from_params(rc2_params, where)
    else:
        iv = enc["parameters"].native
    if not isinstance(iv, bytes) or len(iv) != block_size(_PROVIDER_CIPHER[cipher]):
        raise MalformedError(f"{where}: pbes2 {cipher} iv is not one block long")

    kdf_params = kdf_alg["parameters"]
    if kdf_name == "pbkdf2":
        asn1.require(kdf_params, asn1.Pbkdf2Params, "pbkdf2", where)
        if kdf_params["salt"].name != "specified":
            raise UnsupportedAlgorithmError(f"{where}: pbkdf2 salt from otherSource is not supported")
        salt = kdf_params["salt"].chosen.native
        prf = kdf_params["prf"]["algorithm"].native
        if prf not in kdf.PBKDF2_PRFS:
            raise UnsupportedAlgorithmError(f"{where}: pbkdf2 prf hmac {prf} is not supported")
    elif kdf_name == "scrypt":
        salt = asn1.require(kdf_params, asn1.ScryptParams, "scrypt", where)["salt"].native
    else:
        what = "unknown" if kdf_name == kdf_alg["algorithm"].dotted else "not supported"
        raise UnsupportedAlgorithmError(f"{where}: pbes2 key derivation function {kdf_name} is {what}")

    explicit_length = kdf_params["key_length"].native
    key_length = _PBES2_CIPHERS[cipher]
    if explicit_length is not None:
        if cipher == "rc2" and 1 <= explicit_length <= 128:
            key_length = explicit_length
        elif explicit_length != key_length:
            raise MalformedError(f"{where}: pbes2 keyLength {explicit_length} does not fit {cipher}")

    # Costs are checked here, before any hashing.
    if kdf_name == "pbkdf2":
        iterations = kdf_params["iteration_count"].native
        budget.spend(iterations, where, kdf.hash_chains(prf, key_length))
        protection = Protection(
            "pbes2", cipher, "pbkdf2", prf, iterations, len(salt), explicit_length, rc2_bits
        )

        def derive() -> tuple[bytes, bytes]:
            return kdf.pbkdf2(prf, form.utf8, salt, iterations, key_length), iv

    else:
        n = kdf_params["cost_parameter"].native
        r = kdf_params["block_size"].native
        p = kdf_params["parallelization_parameter"].native
        max_memory = budget.limits.max_scrypt_memory
        kdf.scrypt_check(n, r, p, max_memory=max_memory, where=where)
        budget.spend(scrypt_cost(n, r, p), where)
        protection = Protection(
            "pbes2", cipher, "scrypt", None, None, len(salt), explicit_length, rc2_bits, n, r, p
        )

        def derive() -> tuple[bytes, bytes]:
            key = kdf.scrypt(form.utf8, salt, n, r, p, key_length, max_memory=max_memory, where=where)
            return key, iv

    return protection, derive


def scrypt_cost(n: int, r: int, p: int) -> int:
    """scrypt's work in PBKDF2-iteration equivalents, for the iteration budget.

    Measured here: scrypt(N=2^16, r=8, p=1) takes about as long as 1.2 million
    PBKDF2-HMAC-SHA256 iterations, i.e. about 2·N·r·p; charging that keeps a large ``p`` (which
    costs time but no memory) from buying unbounded work within the memory limit.
    """
    return max(1, 2 * n * r * p)


def declared_iterations(algorithm_der: bytes, limits: Limits, where: str) -> int:
    """The iteration count of `declared_work` alone."""
    return declared_work(algorithm_der, limits, where)[0]


def declared_work(algorithm_der: bytes, limits: Limits, where: str) -> tuple[int, int]:
    """The KDF work an AlgorithmIdentifier asks for (PBKDF1/PBKDF2/PKCS#12 KDF iterations, or
    `scrypt_cost`) and the hash chains it runs, read without deriving anything; 0 when it cannot be read (the decryption itself
    then reports why). scrypt's memory is checked here against ``limits`` (LimitExceededError).

    Lets the decoder refuse a file whose declared work is over the limits before it hashes.
    """
    try:
        name, scheme, algorithm = _parse(algorithm_der, where)
        params = algorithm["parameters"]
        if scheme.kdf != "pbes2":
            return int(params["iterations"].native), _legacy_chains(scheme)
        kdf_alg = params["key_derivation_func"]
        kdf_params = kdf_alg["parameters"]
        if kdf_alg["algorithm"].native == "scrypt":
            n = kdf_params["cost_parameter"].native
            r = kdf_params["block_size"].native
            p = kdf_params["parallelization_parameter"].native
            kdf.scrypt_check(n, r, p, max_memory=limits.max_scrypt_memory, where=where)
            return scrypt_cost(n, r, p), 1
        prf = kdf_params["prf"]["algorithm"].native
        cipher = params["encryption_scheme"]["algorithm"].native
        length = kdf_params["key_length"].native or _PBES2_CIPHERS.get(cipher, 32)
        chains = kdf.hash_chains(prf, length) if prf in kdf.PBKDF2_PRFS else 1
        return int(kdf_params["iteration_count"].native), chains
    except LimitExceededError:
        raise
    except (PKCS12Error, TypeError) + asn1.PARSE_ERRORS:
        return 0, 1


def _legacy_chains(scheme: _Scheme) -> int:
    """Hash chains of a PKCS#12 PBE derivation (RFC 7292 appendix B.3: the key with ID 1, then
    the IV with ID 2 unless the cipher is RC4, each ceil(n/u) chains) or of PBES1 (one)."""
    if scheme.kdf != "pkcs12":
        return 1
    assert scheme.hash is not None and scheme.key_length is not None  # every PKCS#12 PBE row names both
    chains = kdf.hash_chains(scheme.hash, scheme.key_length)
    if scheme.cipher != "rc4":
        chains += kdf.hash_chains(scheme.hash, 8)
    return chains


def secret_of(algorithm_der: bytes, form: PasswordForm, where: str) -> bytes:
    """The octets of ``form`` the scheme hashes: the BMPString for the PKCS#12 KDF (RFC 7292
    appendix B.1), UTF-8 for PBES1/PBES2 (RFC 8018 section 3). Two forms with the same octets
    derive the same key, so `safes.Keyring` tries only one of them."""
    _, scheme, _ = _parse(bytes(algorithm_der), where)
    return form.bmp if scheme.kdf == "pkcs12" else form.utf8


def _plan_legacy(
    name: str, scheme: _Scheme, params: Any, form: PasswordForm, budget: WorkBudget, where: str
) -> tuple[Protection, _Derive]:
    """Check PKCS#12 PBE / PBES1 parameters (Pbes1Params) and costs; return (Protection, derive)."""
    salt = asn1.require(params, algos.Pbes1Params, name, where)["salt"].native
    iterations = params["iterations"].native
    budget.spend(iterations, where, _legacy_chains(scheme))
    protection = Protection(
        name, scheme.cipher, scheme.kdf, scheme.hash, iterations, len(salt), None, scheme.rc2_bits
    )
    return protection, lambda: _derive_legacy(scheme, form, salt, iterations)


def decrypt(
    algorithm_der: bytes,
    ciphertext: bytes | memoryview,
    form: PasswordForm,
    *,
    budget: WorkBudget,
    ciphers: str | Provider | None = None,
    where: str,
) -> tuple[bytes, Protection]:
    """Decrypt with a PBE scheme (RFC 7292 appendix C, RFC 8018 sections 6.1.2 and 6.2.2).

    Returns the plaintext without padding and the `Protection` that describes the scheme.
    Raises MalformedError (bad parameters, ciphertext not whole blocks), UnsupportedAlgorithmError
    (unknown or unimplemented scheme, named), LimitExceededError (checked before deriving), and
    BadPasswordError when the padding is wrong.
    """
    if not isinstance(algorithm_der, (bytes, bytearray)):
        raise TypeError(f"algorithm_der must be bytes, not {type(algorithm_der).__name__}")
    if not isinstance(ciphertext, (bytes, bytearray, memoryview)):
        raise TypeError(f"ciphertext must be bytes, not {type(ciphertext).__name__}")
    if not isinstance(form, PasswordForm):
        raise TypeError(f"form must be a PasswordForm, not {type(form).__name__}")
    if isinstance(ciphertext, bytearray):
        ciphertext = bytes(ciphertext)  # a memoryview goes on to the provider uncopied
    name, scheme, algorithm = _parse(bytes(algorithm_der), where)
    provider = get_provider(ciphers)
    if scheme.kdf == "pbes2":
        protection, derive = _plan_pbes2(algorithm["parameters"], form, budget, where)
    else:
        protection, derive = _plan_legacy(name, scheme, algorithm["parameters"], form, budget, where)

    cipher = protection.cipher
    if cipher == "rc4":  # a stream cipher: no blocks, no padding
        key, _ = derive()
        return provider.rc4(key, ciphertext), protection
    assert cipher is not None  # every scheme names its cipher
    size = block_size(_PROVIDER_CIPHER[cipher])
    if not ciphertext or len(ciphertext) % size:
        raise MalformedError(
            f"{where}: ciphertext length {len(ciphertext)} is not a positive multiple of "
            f"the {size}-byte {cipher} block"
        )
    key, iv = derive()
    assert iv is not None  # only rc4 has none
    plain = provider.cbc_decrypt(
        _PROVIDER_CIPHER[cipher], key, iv, ciphertext, rc2_bits=protection.rc2_bits
    )
    return _unpad(plain, size, where), protection


def _derive_legacy(scheme: _Scheme, form: PasswordForm, salt: bytes, iterations: int) -> tuple[bytes, bytes | None]:
    """(key, IV) for PKCS#12 PBE (RFC 7292 appendix B.3) or PBES1 (RFC 8018 section 6.1.1)."""
    assert scheme.hash is not None and scheme.key_length is not None  # set in every legacy row
    if scheme.kdf == "pkcs12":
        key = kdf.pkcs12_kdf(scheme.hash, form.bmp, salt, 1, iterations, scheme.key_length)
        if scheme.cipher == "rc4":
            return key, None
        return key, kdf.pkcs12_kdf(scheme.hash, form.bmp, salt, 2, iterations, 8)
    derived = kdf.pbkdf1(scheme.hash, form.utf8, salt, iterations, 16)
    return derived[:8], derived[8:]


def _unpad(plain: bytes, size: int, where: str) -> bytes:
    """Remove PKCS#5 padding (RFC 8018 section 6.1.2 step 5): 1..size octets each equal to the count."""
    count = plain[-1]
    if not 1 <= count <= size or plain[-count:] != bytes([count]) * count:
        raise BadPasswordError(f"{where}: decryption failed (wrong password or corrupted data)")
    return plain[:-count]


# --- encode ----------------------------------------------------------------------------------


def encrypt(
    protection: Protection,
    plaintext: bytes,
    form: PasswordForm,
    *,
    salt: bytes,
    iv: bytes | None,
    ciphers: str | Provider | None = None,
) -> tuple[bytes, bytes]:
    """Encrypt with the scheme ``protection`` names; return (AlgorithmIdentifier DER, ciphertext).

    ``iv`` is required for PBES2 (one block) and must be None for PKCS#12 PBE and PBES1, whose IV
    is derived. The output depends only on the arguments. Raises EncodeError for what cannot be
    written (unknown or unsupported scheme, missing iterations, wrong IV, RC2 bits without a
    version number).
    """
    if not isinstance(protection, Protection):
        raise TypeError(f"protection must be a Protection, not {type(protection).__name__}")
    if not isinstance(plaintext, (bytes, bytearray)):
        raise TypeError(f"plaintext must be bytes, not {type(plaintext).__name__}")
    if not isinstance(form, PasswordForm):
        raise TypeError(f"form must be a PasswordForm, not {type(form).__name__}")
    if not isinstance(salt, (bytes, bytearray)) or not (iv is None or isinstance(iv, (bytes, bytearray))):
        raise TypeError("salt must be bytes and iv bytes or None")
    salt = bytes(salt)
    provider = get_provider(ciphers)
    name = protection.scheme
    scheme = _SCHEMES.get(name)
    if scheme is None or scheme.unsupported:
        raise EncodeError(f"pbe: cannot encrypt with scheme {name!r}")
    where = f"pbe {name}"

    if scheme.kdf == "pbes2":
        algorithm_der, cipher, key, rc2_bits = _pbes2_encode(protection, form, salt, iv, where)
    else:
        if iv is not None:
            raise EncodeError(f"{where}: the iv is derived from the password; pass iv=None")
        iterations = _positive(protection.iterations, "iterations", where)
        key, iv = _derive_legacy(scheme, form, salt, iterations)
        assert scheme.cipher is not None  # set in every legacy row
        cipher, rc2_bits = scheme.cipher, scheme.rc2_bits
        algorithm_der = asn1.legacy_pbe_algorithm(name, salt, iterations)

    if cipher == "rc4":
        return algorithm_der, provider.rc4(key, bytes(plaintext))
    size = block_size(_PROVIDER_CIPHER[cipher])
    count = size - len(plaintext) % size
    padded = bytes(plaintext) + bytes([count]) * count
    assert iv is not None  # only rc4 has none
    ciphertext = provider.cbc_encrypt(_PROVIDER_CIPHER[cipher], key, iv, padded, rc2_bits=rc2_bits)
    return algorithm_der, ciphertext


def _positive(value: object, what: str, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise EncodeError(f"{where}: {what} must be a positive integer")
    return value


def _pbes2_encode(
    protection: Protection, form: PasswordForm, salt: bytes, iv: bytes | None, where: str
) -> tuple[bytes, str, bytes, int | None]:
    """The PBES2 AlgorithmIdentifier (RFC 8018 appendix A.4) and the derived key for ``protection``."""
    cipher = protection.cipher
    if cipher not in _PBES2_CIPHERS:
        raise EncodeError(f"{where}: cannot encrypt pbes2 with cipher {cipher!r}")
    size = block_size(_PROVIDER_CIPHER[cipher])
    if iv is None or len(iv) != size:
        raise EncodeError(f"{where}: pbes2 {cipher} needs an iv of {size} bytes")
    iv = bytes(iv)
    key_length = _PBES2_CIPHERS[cipher]
    explicit_length = protection.key_length
    rc2_bits = None
    if cipher == "rc2":
        # Written always: RC2's key length is variable, so a reader must not have to guess.
        key_length = explicit_length = _positive(explicit_length or key_length, "key_length", where)
        if key_length > 128:
            raise EncodeError(f"{where}: rc2 keys are at most 128 octets (RFC 2268)")
        rc2_bits = protection.rc2_bits or 8 * key_length
        if rc2_bits in _RC2_BITS_VERSION:
            version = _RC2_BITS_VERSION[rc2_bits]
        elif 256 <= rc2_bits <= 1024:
            version = rc2_bits
        else:
            raise EncodeError(f"{where}: rc2 with {rc2_bits} effective bits has no version number")
        enc_params: core.Asn1Value | None = asn1.Rc2CbcParameter(
            name="params", value={"rc2_parameter_version": version, "iv": iv}
        )
    else:
        if explicit_length is not None and explicit_length != key_length:
            raise EncodeError(f"{where}: key_length {explicit_length} does not fit {cipher}")
        enc_params = None  # the IV alone, as an OCTET STRING

    if protection.kdf == "pbkdf2":
        iterations = _positive(protection.iterations, "iterations", where)
        prf = protection.prf or "sha1"
        if prf not in kdf.PBKDF2_PRFS:
            raise EncodeError(f"{where}: cannot write pbkdf2 with prf hmac {prf!r}")
        key = kdf.pbkdf2(prf, form.utf8, salt, iterations, key_length)
        if enc_params is None:
            # What nearly every file uses, written directly (`asn1.pbes2_pbkdf2_algorithm`).
            return asn1.pbes2_pbkdf2_algorithm(salt, iterations, explicit_length, prf, cipher, iv), cipher, key, None
        kdf_params: dict[str, object] | asn1.ScryptParams = {"salt": {"specified": salt}, "iteration_count": iterations}
        if explicit_length is not None:
            kdf_params["key_length"] = explicit_length
        if prf != "sha1":  # DER omits the DEFAULT hmacWithSHA1 (RFC 8018 appendix A.2)
            # NULL parameters, as RFC 8018 appendix B.1 and OpenSSL write them.
            kdf_params["prf"] = {"algorithm": prf, "parameters": core.Null()}
    elif protection.kdf == "scrypt":
        n = _positive(protection.scrypt_n, "scrypt_n", where)
        r = _positive(protection.scrypt_r, "scrypt_r", where)
        p = _positive(protection.scrypt_p, "scrypt_p", where)
        kdf_params = asn1.ScryptParams(
            {"salt": salt, "cost_parameter": n, "block_size": r, "parallelization_parameter": p}
        )
        if explicit_length is not None:
            kdf_params["key_length"] = explicit_length
        try:
            key = kdf.scrypt(form.utf8, salt, n, r, p, key_length, max_memory=2**31 - 1, where=where)
        except (MalformedError, LimitExceededError) as err:
            raise EncodeError(f"{where}: cannot encrypt with these scrypt parameters") from err
    else:
        raise EncodeError(f"{where}: cannot write pbes2 with kdf {protection.kdf!r}")

    algorithm = {
        "algorithm": "pbes2",
        "parameters": {
            "key_derivation_func": {"algorithm": protection.kdf, "parameters": kdf_params},
            "encryption_scheme": {"algorithm": cipher,
                                  "parameters": enc_params if enc_params is not None else core.OctetString(iv)},
        },
    }
    return asn1.EncryptionAlgorithm(algorithm).dump(), cipher, key, rc2_bits
