"""Integrity of a PFX: the classic PKCS#12 HMAC and PBMAC1.

Exports: verify, describe, compute, MAC_HASHES, MAC_PASSWORD_WRONG.

- classic (RFC 7292 section 4 and appendix B.4): the MAC key is the PKCS#12 KDF with ID 3 over
  the BMPString password, as long as the hash output; then HMAC over the authSafe content.
  ``iterations`` DEFAULTs to 1.
- PBMAC1 (RFC 8018 section 7.1, RFC 9579): the key is PBKDF2 over the UTF-8 password with the
  parameters inside the algorithm identifier; MacData's own macSalt and iterations are ignored
  (RFC 9579 section 6). keyLength is required, and a key shorter than
  ``Limits.pbmac1_min_key_length`` (20 octets, RFC 9579 section 9) is refused as MalformedError:
  a 1-octet key would let a forger guess the MAC (CVE-2026-34181). A keyLength above
  ``Limits.pbmac1_max_key_length`` is a policy limit, LimitExceededError (CVE-2025-11187).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import cast

from asn1crypto import algos, core

from . import asn1, kdf
from .errors import (
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from .kdf import PasswordForm
from .limits import Limits, WorkBudget
from .protection import MacInfo

__all__ = ["verify", "describe", "compute", "MAC_HASHES", "MAC_PASSWORD_WRONG"]

# HMAC hashes for both kinds: the ones the PKCS#12 KDF is defined over here.
MAC_HASHES = kdf.PKCS12_KDF_HASHES

# The error when a separate MAC password (`loads(..., mac_password=...)`) does not verify.
MAC_PASSWORD_WRONG = (
    "{where}: MAC verification failed (wrong MAC (integrity) password, or corrupted file)"
)

# RFC 9579 section 6 leaves macSalt unused; this is what its appendix A vectors (and OpenSSL)
# write there.
_PBMAC1_UNUSED_SALT = b"NOT USED"


def _describe(mac_data_der: bytes, where: str) -> tuple[MacInfo, bytes]:
    """Parse a MacData: (MacInfo, the expected MAC). Unknown or unusable algorithms are refused."""
    try:
        mac_data = asn1.MacData.load(mac_data_der)
        mac_data.native  # force a full parse so structural errors surface here
    except asn1.PARSE_ERRORS as err:
        raise MalformedError(f"{where}: cannot be parsed: {err}") from err
    algorithm = mac_data["mac"]["digest_algorithm"]
    name = algorithm["algorithm"].native
    if name == algorithm["algorithm"].dotted:
        raise UnsupportedAlgorithmError(f"{where}: mac algorithm {name} is unknown")
    expected = mac_data["mac"]["digest"].native
    if name != "pbmac1":
        # RFC 7292 appendix B.4: the salt and iteration count are MacData's own.
        if name not in MAC_HASHES:
            raise UnsupportedAlgorithmError(f"{where}: mac digest {name} is not supported")
        info = MacInfo("hmac", name, mac_data["iterations"].native, mac_data["mac_salt"].native)
        return info, expected
    # RFC 9579 sections 5 and 6: everything comes from PBMAC1-params; MacData's are ignored.
    params = asn1.require(algorithm["parameters"], algos.Pbmac1Params, "pbmac1", where)
    kdf_alg = params["key_derivation_func"]
    if kdf_alg["algorithm"].native != "pbkdf2":
        raise UnsupportedAlgorithmError(
            f"{where}: pbmac1 key derivation function {kdf_alg['algorithm'].native} is not supported"
        )
    kdf_params = asn1.require(kdf_alg["parameters"], algos.Pbkdf2Params, "pbkdf2", where)
    if kdf_params["salt"].name != "specified":
        raise UnsupportedAlgorithmError(f"{where}: pbkdf2 salt from otherSource is not supported")
    prf = kdf_params["prf"]["algorithm"].native
    digest = params["message_auth_scheme"]["algorithm"].native
    for what, hash_name, known in (("prf", prf, kdf.PBKDF2_PRFS), ("mac", digest, MAC_HASHES)):
        if hash_name not in known:
            raise UnsupportedAlgorithmError(f"{where}: pbmac1 {what} hmac {hash_name} is not supported")
    info = MacInfo(
        "pbmac1",
        digest,
        kdf_params["iteration_count"].native,
        kdf_params["salt"].chosen.native,
        prf,
        kdf_params["key_length"].native,
    )
    return info, expected


def describe(mac_data_der: bytes, *, where: str = "macData") -> MacInfo:
    """What a MacData says (RFC 7292 section 4; RFC 9579 section 5), without verifying it.

    Raises MalformedError when it cannot be parsed and UnsupportedAlgorithmError for an unknown
    or unusable algorithm; the PBMAC1 keyLength rules are `verify`'s.
    """
    if not isinstance(mac_data_der, (bytes, bytearray)):
        raise TypeError(f"mac_data_der must be bytes, not {type(mac_data_der).__name__}")
    return _describe(bytes(mac_data_der), where)[0]


def _check_pbmac1_key_length(key_length: int | None, budget: WorkBudget, where: str) -> None:
    """RFC 9579 section 5 requires keyLength; section 9 makes short keys invalid."""
    limits = budget.limits
    if key_length is None:
        raise MalformedError(f"{where}: pbmac1 pbkdf2 keyLength is missing (RFC 9579 section 5)")
    if key_length < limits.pbmac1_min_key_length:
        raise MalformedError(
            f"{where}: pbmac1 keyLength {key_length} is below the minimum of "
            f"{limits.pbmac1_min_key_length} (RFC 9579 section 9)"
        )
    if key_length > limits.pbmac1_max_key_length:
        raise LimitExceededError(
            f"{where}: pbmac1 keyLength {key_length} exceeds Limits.pbmac1_max_key_length "
            f"({limits.pbmac1_max_key_length}); pass limits=Limits(pbmac1_max_key_length=...) "
            "to allow it"
        )


def chains(info: MacInfo, limits: Limits | None = None) -> int:
    """Hash chains deriving the MAC key runs (`kdf.hash_chains`): one for the PKCS#12 KDF (a
    key of the digest's size), ceil(keyLength / hLen) for PBMAC1's PBKDF2. A keyLength over
    ``limits.pbmac1_max_key_length`` counts 1: `verify` refuses it before deriving anything."""
    too_long = limits is not None and (info.key_length or 0) > limits.pbmac1_max_key_length
    if info.kind == "pbmac1" and info.prf in kdf.PBKDF2_PRFS and info.key_length and not too_long:
        return kdf.hash_chains(info.prf, info.key_length)
    return 1


def _derive_key(info: MacInfo, secret: bytes) -> bytes:
    """The HMAC key: PBKDF2 for PBMAC1 (RFC 9579 section 5), else PKCS#12 KDF ID 3 (RFC 7292 B.4)."""
    if info.kind == "pbmac1":
        assert info.prf is not None and info.key_length is not None  # set for every pbmac1
        return kdf.pbkdf2(info.prf, secret, info.salt, info.iterations, info.key_length)
    size = hashlib.new(info.digest).digest_size
    return kdf.pkcs12_kdf(info.digest, secret, info.salt, 3, info.iterations, size)


def _secret(info: MacInfo, form: PasswordForm) -> bytes:
    # RFC 9579 section 5 hashes the UTF-8 password; RFC 7292 appendix B.1 the BMPString.
    return form.utf8 if info.kind == "pbmac1" else form.bmp


def verify(
    mac_data_der: bytes,
    content: bytes | memoryview,
    forms: Sequence[PasswordForm],
    *,
    budget: WorkBudget,
    where: str = "macData",
    integrity_password: bool = False,
) -> tuple[MacInfo, PasswordForm]:
    """Verify a MacData over ``content`` (RFC 7292 section 4; RFC 9579 section 6).

    Tries each password form in order, skipping one whose octets were already tried, and returns
    the MacInfo with the first form that verifies. Each attempt's iterations are charged to
    ``budget`` before hashing. Raises BadPasswordError when none verifies; with
    ``integrity_password=True`` (a separate MAC password was given) its message says so.
    """
    if not isinstance(mac_data_der, (bytes, bytearray)):
        raise TypeError(f"mac_data_der must be bytes, not {type(mac_data_der).__name__}")
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise TypeError(f"content must be bytes, not {type(content).__name__}")
    forms = tuple(forms)
    if not all(isinstance(form, PasswordForm) for form in forms):
        raise TypeError("forms must be PasswordForm values")
    info, expected = _describe(bytes(mac_data_der), where)
    if info.kind == "pbmac1":
        _check_pbmac1_key_length(info.key_length, budget, where)
    tried = set()
    for form in forms:
        secret = _secret(info, form)
        if secret in tried:
            continue
        tried.add(secret)
        budget.spend(info.iterations, where, chains(info, budget.limits))
        # ``content`` may be a memoryview into the file (the AuthenticatedSafe): hmac reads it in place.
        actual = hmac.new(_derive_key(info, secret), content, info.digest).digest()
        if hmac.compare_digest(actual, expected):
            return info, form
    if integrity_password:
        raise BadPasswordError(MAC_PASSWORD_WRONG.format(where=where))
    raise BadPasswordError(f"{where}: MAC verification failed (wrong password or corrupted file)")


def compute(
    kind: str,
    digest: str,
    iterations: int,
    salt: bytes,
    content: bytes,
    form: PasswordForm,
    *,
    prf: str | None = None,
    key_length: int | None = None,
    allow_weak: bool = False,
) -> bytes:
    """The MacData DER over ``content`` (RFC 7292 section 4; RFC 9579 sections 5 and 6).

    ``kind`` is ``"hmac"`` or ``"pbmac1"``. For PBMAC1, ``iterations`` and ``salt`` are PBKDF2's,
    ``prf`` defaults to ``digest`` and ``key_length`` to the digest size; MacData's macSalt is
    written as ``"NOT USED"`` and its iterations as the DEFAULT 1, as RFC 9579's vectors do.
    A weak ``digest`` (`kdf.WEAK_MAC_HASHES`: MD5) is written only with ``allow_weak=True``.
    """
    if not isinstance(salt, (bytes, bytearray)) or not isinstance(content, (bytes, bytearray)):
        raise TypeError("salt and content must be bytes")
    if not isinstance(form, PasswordForm):
        raise TypeError(f"form must be a PasswordForm, not {type(form).__name__}")
    if not isinstance(iterations, int) or isinstance(iterations, bool):
        raise TypeError(f"iterations must be int, not {type(iterations).__name__}")
    if iterations < 1:
        raise EncodeError(f"macData: iterations must be at least 1, not {iterations}")
    if digest not in MAC_HASHES:
        raise EncodeError(f"macData: cannot write a mac with hash {digest!r}")
    if digest in kdf.WEAK_MAC_HASHES and not allow_weak:
        # RFC 6151 section 2: MD5's collision resistance is broken; ask before writing it.
        raise EncodeError(
            f"macData: {digest} is a weak MAC hash; pass MacSpec(..., allow_weak=True) to write "
            "it anyway (docs/algorithms.md#weak-macs)"
        )
    salt, content = bytes(salt), bytes(content)
    if kind == "hmac":
        info = MacInfo("hmac", digest, iterations, salt)
        algorithm = {"algorithm": digest, "parameters": core.Null()}
        mac_salt, mac_iterations = salt, iterations
    elif kind == "pbmac1":
        prf = prf or digest
        if prf not in kdf.PBKDF2_PRFS:
            raise EncodeError(f"macData: cannot write pbmac1 with prf hmac {prf!r}")
        if key_length is None:
            key_length = hashlib.new(digest).digest_size
        if not isinstance(key_length, int) or key_length < 20:
            # RFC 9579 section 9: shorter keys are invalid and readers refuse them.
            raise EncodeError(f"macData: pbmac1 key_length {key_length} is below 20 octets")
        info = MacInfo("pbmac1", digest, iterations, salt, prf, key_length)
        pbkdf2_params = {
            "salt": {"specified": salt},
            "iteration_count": iterations,
            "key_length": key_length,
        }
        if prf != "sha1":  # DER omits the DEFAULT hmacWithSHA1 (RFC 8018 appendix A.2)
            pbkdf2_params["prf"] = {"algorithm": prf, "parameters": core.Null()}
        algorithm = {
            "algorithm": "pbmac1",
            "parameters": algos.Pbmac1Params(
                {
                    "key_derivation_func": {"algorithm": "pbkdf2", "parameters": pbkdf2_params},
                    "message_auth_scheme": {"algorithm": digest, "parameters": core.Null()},
                }
            ),
        }
        mac_salt, mac_iterations = _PBMAC1_UNUSED_SALT, 1
    else:
        raise EncodeError(f"macData: unknown mac kind {kind!r}; expected 'hmac' or 'pbmac1'")
    mac = hmac.new(_derive_key(info, _secret(info, form)), content, digest).digest()
    mac_data = asn1.MacData(
        {
            "mac": {"digest_algorithm": algorithm, "digest": mac},
            "mac_salt": mac_salt,
            "iterations": mac_iterations,
        }
    )
    return cast(bytes, mac_data.dump())
