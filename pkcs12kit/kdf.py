"""Passwords and password-based key derivation.

Exports: Password, PasswordForm, pkcs12_kdf, pbkdf1, pbkdf2, scrypt, PKCS12_KDF_HASHES,
PBKDF1_HASHES, PBKDF2_PRFS, WEAK_MAC_HASHES, hash_available.

A PKCS#12 password reaches two kinds of KDF in two encodings:

- the PKCS#12 KDF (RFC 7292 appendix B.1) takes a BMPString: big-endian UTF-16 with a two-byte
  zero terminator (OpenSSL 3 encodes characters outside the BMP as surrogate pairs, so we do too);
- PBKDF1/PBKDF2/scrypt (RFC 8018 section 3, RFC 7914) and PBMAC1 (RFC 9579 section 5) take the
  UTF-8 octets, no terminator.

`Password.forms` lists every encoding a file might have been written with, in the order to try.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from typing import TYPE_CHECKING

from .errors import EncodeError, LimitExceededError, MalformedError, UnsupportedAlgorithmError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "Password",
    "PasswordForm",
    "pkcs12_kdf",
    "pbkdf1",
    "pbkdf2",
    "scrypt",
    "scrypt_check",
    "scrypt_memory",
    "PKCS12_KDF_HASHES",
    "PBKDF1_HASHES",
    "PBKDF2_PRFS",
    "WEAK_MAC_HASHES",
    "hash_available",
]

# Hashes the PKCS#12 KDF is defined over here: RFC 7292 appendix B.2 allows any hash with a block
# size ``v`` (for SHA-3, its rate, as OpenSSL takes it: 144/136/104/72 octets; SM3 and MD5 64);
# these are the ones OpenSSL 3 accepts for `pkcs12 -macalg`. MD5 is read; writing it needs an
# explicit opt-in (`profiles.MacSpec.allow_weak`, docs/algorithms.md#weak-macs).
PKCS12_KDF_HASHES = frozenset(
    {
        "sha1", "sha224", "sha256", "sha384", "sha512", "sha512_224", "sha512_256",
        "sha3_224", "sha3_256", "sha3_384", "sha3_512", "sm3", "md5",
    }
)
# Hashes too weak to write without asking: MD5 collisions are practical (RFC 6151 section 2).
WEAK_MAC_HASHES = frozenset({"md5"})
# PBKDF1 (RFC 8018 section 5.1) is only used by PBES1; md2 is not in hashlib.
PBKDF1_HASHES = frozenset({"md5", "sha1"})
# PBKDF2 PRFs: RFC 8018 appendix B.1 (SHA-1, SHA-2 and SHA-512/t), hmacWithSHA3-* (NIST CSOR
# 2.16.840.1.101.3.4.2.13-16) and hmacWithSM3 (asn1.HmacAlgorithmId). OpenSSL 3.0 reads neither
# SHA-3 nor SM3 PRFs in PBES2 (`pkcs8 -v2prf` refuses them); later versions and Java do.
PBKDF2_PRFS = frozenset(
    {
        "sha1", "sha224", "sha256", "sha384", "sha512", "sha512_224", "sha512_256",
        "sha3_224", "sha3_256", "sha3_384", "sha3_512", "sm3",
    }
)


@functools.lru_cache(maxsize=None)
def hash_available(name: str) -> bool:
    """Whether this Python's hashlib has ``name`` (SM3 comes from the OpenSSL it is linked to)."""
    try:
        hashlib.new(name)
    except ValueError:
        return False
    return True


def _require_hash(name: str, what: str) -> None:
    if not hash_available(name):
        raise UnsupportedAlgorithmError(
            f"{what}: hash {name} is not available in this Python (its OpenSSL lacks it)"
        )


@dataclasses.dataclass(frozen=True)
class PasswordForm:
    """One candidate encoding of a password.

    - ``label``: ``"utf-16"`` (the standard encoding), ``"empty"`` (the empty string),
      ``"absent"`` (no password: OpenSSL's NULL), or ``"openssl-legacy"`` (each UTF-8 octet
      widened to 16 bits, as OpenSSL before 1.1.0 wrote non-ASCII passwords).
    - ``bmp``: the octets the PKCS#12 KDF hashes (RFC 7292 appendix B.1), terminator included;
      ``b""`` for an absent password.
    - ``utf8``: the octets PBKDF1/PBKDF2/scrypt/PBMAC1 hash (RFC 8018 section 3).

    The octets are left out of ``repr`` so a password never lands in a log or a traceback.
    """

    label: str
    bmp: bytes = dataclasses.field(repr=False)
    utf8: bytes = dataclasses.field(repr=False)


def _widened(octets: bytes) -> bytes:
    """Each octet as a 16-bit big-endian unit plus the terminator (OpenSSL ``OPENSSL_asc2uni``)."""
    out = bytearray(2 * len(octets) + 2)
    out[1 : 2 * len(octets) : 2] = octets
    return bytes(out)


_EMPTY = PasswordForm("empty", b"\x00\x00", b"")
_ABSENT = PasswordForm("absent", b"", b"")


class Password:
    """A user's password (``str``, ``bytes`` or ``None``) and the encodings to try for it.

    ``None`` means no password, ``""`` the empty one; either tries both empty forms, in that order
    of preference, as OpenSSL's ``PKCS12_parse`` does. ``bytes`` are taken as UTF-8 text when
    they decode, else each octet is widened to 16 bits as OpenSSL does for non-UTF-8 input.
    """

    __slots__ = ("_forms",)

    def __init__(self, password: str | bytes | None) -> None:
        if password is None:
            self._forms: tuple[PasswordForm, ...] = (_ABSENT, _EMPTY)
            return
        if isinstance(password, (bytes, bytearray)):
            octets = bytes(password)
            try:
                password = octets.decode("utf-8")
            except UnicodeDecodeError:
                self._forms = (PasswordForm("openssl-legacy", _widened(octets), octets),)
                return
        elif not isinstance(password, str):
            raise TypeError(
                f"password must be str, bytes or None, not {type(password).__name__}"
            )
        if password == "":
            self._forms = (_EMPTY, _ABSENT)
            return
        # A lone surrogate cannot be encoded. Checked up front rather than by catching the codec's
        # error, whose message (kept in __context__ even with "from None") quotes the password.
        if any("\ud800" <= char <= "\udfff" for char in password):
            raise EncodeError("password: contains a lone surrogate, not valid text")
        utf8 = password.encode("utf-8")
        # utf-16-be writes characters beyond U+FFFF as surrogate pairs, as OpenSSL 3 does.
        bmp = password.encode("utf-16-be") + b"\x00\x00"
        standard = PasswordForm("utf-16", bmp, utf8)
        if password.isascii():
            self._forms = (standard,)
        else:
            # OpenSSL before 1.1.0 fed the UTF-8 octets to asc2uni; OpenSSL 3's CLI retries that.
            self._forms = (standard, PasswordForm("openssl-legacy", _widened(utf8), utf8))

    def forms(self) -> tuple[PasswordForm, ...]:
        """The candidate encodings, most likely first."""
        return self._forms

    def __repr__(self) -> str:
        return f"Password(forms={[form.label for form in self._forms]})"


def _hash_factory(name: str, allowed: frozenset[str], what: str) -> Callable[..., hashlib._Hash]:
    if name not in allowed:
        raise UnsupportedAlgorithmError(f"{what}: hash {name!r} is not supported")
    _require_hash(name, what)
    # The named constructor (hashlib.sha256) skips hashlib.new's lookup on every one of the
    # thousands of calls a KDF makes; the SHA-512/t variants exist only through hashlib.new.
    constructor: Callable[..., hashlib._Hash] | None = getattr(hashlib, name, None)
    if constructor is not None:
        return constructor
    return lambda data=b"": hashlib.new(name, data)


def hash_chains(hash_name: str, length: int) -> int:
    """How many iterated hash chains deriving ``length`` octets runs: ceil(length / u), u the
    digest size (RFC 7292 appendix B.2 step 5 (c = ceil(n/u)); RFC 8018 section 5.2 step 2, one
    PRF chain per block). Each chain costs the full iteration count, so the work budget charges
    iterations × chains (issue 15 row 4: a 3-key 3DES PBE runs 2 key chains and 1 IV chain)."""
    size = hashlib.new(hash_name).digest_size
    return max(1, -(-length // size))


def pkcs12_kdf(
    hash_name: str, password_bmp: bytes, salt: bytes, key_id: int, iterations: int, length: int
) -> bytes:
    """The PKCS#12 key derivation function (RFC 7292 appendix B.2).

    ``key_id`` is 1 for a key, 2 for an IV, 3 for a MAC key (appendix B.3). ``password_bmp`` is
    `PasswordForm.bmp`. ``iterations`` must be at least 1 (callers check `Limits` first).
    """
    new = _hash_factory(hash_name, PKCS12_KDF_HASHES, "pkcs12 kdf")
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    v = new().block_size
    u = new().digest_size

    def stretch(data: bytes) -> bytes:
        # Steps 2-3: concatenate copies to the next multiple of v (empty stays empty).
        if not data:
            return b""
        total = v * -(-len(data) // v)
        return (data * -(-total // len(data)))[:total]

    i_value = stretch(salt) + stretch(password_bmp)  # step 4
    # D || ... is the same prefix for every block: hash it once and copy the state.
    d_state = new(bytes([key_id]) * v)
    blocks = len(i_value) // v
    modulus = 1 << (8 * v)
    out = bytearray()
    count = -(-length // u)  # step 5: c = ceil(n / u)
    for i in range(count):
        h = d_state.copy()
        h.update(i_value)
        a = h.digest()
        for _ in range(iterations - 1):
            a = new(a).digest()
        out += a
        if i + 1 == count:
            break
        # Step 6C: I_j = (I_j + B + 1) mod 2^(8v), B = A repeated to v octets.
        b_plus_one = int.from_bytes((a * -(-v // u))[:v], "big") + 1
        i_value = b"".join(
            ((int.from_bytes(i_value[j * v : (j + 1) * v], "big") + b_plus_one) % modulus).to_bytes(
                v, "big"
            )
            for j in range(blocks)
        )
    return bytes(out[:length])


def pbkdf1(hash_name: str, password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
    """PBKDF1 (RFC 8018 section 5.1): T_1 = Hash(P || S), T_i = Hash(T_{i-1}); DK = T_c[:dkLen]."""
    new = _hash_factory(hash_name, PBKDF1_HASHES, "pbkdf1")
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    t = new(password + salt).digest()
    if length > len(t):
        # Step 1 of section 5.1: "derived key too long".
        raise ValueError(f"pbkdf1: derived key of {length} octets is longer than the hash")
    for _ in range(iterations - 1):
        t = new(t).digest()
    return t[:length]


def pbkdf2(prf_hash: str, password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
    """PBKDF2 with HMAC-``prf_hash`` (RFC 8018 section 5.2)."""
    if prf_hash not in PBKDF2_PRFS:
        raise UnsupportedAlgorithmError(f"pbkdf2: prf hmac-{prf_hash} is not supported")
    _require_hash(prf_hash, "pbkdf2")
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    return hashlib.pbkdf2_hmac(prf_hash, password, salt, iterations, length)


def scrypt_memory(n: int, r: int, p: int) -> int:
    """Bytes scrypt (RFC 7914 section 6) allocates: B is 128·r·p, V is 128·r·N, XY 256·r."""
    return 128 * r * (n + p + 2)


def scrypt_peak_memory(n: int, r: int, p: int) -> int:
    """Bytes a scrypt derivation holds at its peak: `scrypt_memory` (what OpenSSL's ``maxmem``
    counts) plus one more copy of B (128·r·p), measured with benchmarks/worst_case.py: N=2,
    r=419,000 grew the process by 317 MB where `scrypt_memory` says 268 (issue 15 row 13)."""
    return scrypt_memory(n, r, p) + 128 * r * p


def scrypt_check(n: int, r: int, p: int, *, max_memory: int, where: str = "scrypt") -> None:
    """Refuse scrypt parameters RFC 7914 forbids (MalformedError) or that need more than
    ``max_memory`` bytes (LimitExceededError), before any work is done."""
    if n < 2 or n & (n - 1):
        raise MalformedError(f"{where}: scrypt cost parameter N={n} is not a power of two above 1")
    if r < 1 or p < 1 or p * r >= 1 << 30:
        # RFC 7914 section 6: p <= ((2^32-1) * hLen) / MFLen.
        raise MalformedError(f"{where}: scrypt parameters r={r}, p={p} are out of range")
    if n.bit_length() > 16 * r:
        # RFC 7914 section 2: N must be less than 2^(128·r/8).
        raise MalformedError(f"{where}: scrypt N={n} is too large for r={r}")
    memory = scrypt_peak_memory(n, r, p)
    if memory > max_memory:
        raise LimitExceededError(
            f"{where}: scrypt needs {memory:,} bytes of memory, over Limits.max_scrypt_memory "
            f"({max_memory:,}); pass limits=Limits(max_scrypt_memory=...) to allow it"
        )


def scrypt(
    password: bytes,
    salt: bytes,
    n: int,
    r: int,
    p: int,
    length: int,
    *,
    max_memory: int,
    where: str = "scrypt",
) -> bytes:
    """scrypt (RFC 7914 section 6), after `scrypt_check`."""
    scrypt_check(n, r, p, max_memory=max_memory, where=where)
    try:
        # hashlib caps maxmem below 2 GiB; a little slack over our own count covers OpenSSL's.
        return hashlib.scrypt(
            password,
            salt=salt,
            n=n,
            r=r,
            p=p,
            dklen=length,
            maxmem=min(scrypt_memory(n, r, p) + 65536, 2**31 - 1),
        )
    except (ValueError, MemoryError) as err:
        raise LimitExceededError(f"{where}: scrypt could not run with N={n}, r={r}, p={p}") from err
