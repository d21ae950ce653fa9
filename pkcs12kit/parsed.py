"""Turning an entry's DER into an asn1crypto object once, safely: bounded nesting, cached
failures, and key sizes that never raise anything but `MalformedError`.

Exports: parse_once, nesting_depth, key_size, MAX_LEAF_NESTING.

asn1crypto parses recursively: a certificate whose subject wraps 1,000 SEQUENCEs makes
``subject.human_friendly`` (and many other accessors) raise ``RecursionError`` (issue 15 row 5).
Its key accessors raise ``TypeError``/``ValueError``/``UnboundLocalError``/``AttributeError`` on
keys they do not expect (an RSA modulus of 0, an EC key without curve parameters, an Ed25519 or
X25519 key asked for ``bit_size``; rows 6 and 11). Entries parse through `parse_once`, which
refuses over-deep DER before asn1crypto sees it, checks the key fields importers read, and keeps
a failure as well as a success, so a certificate that takes 0.2 s to fail fails once (row 12).
"""

from __future__ import annotations

from typing import Any, Callable

from . import tlv
from .x509fields import curve_bits
from .errors import PARSE_ERRORS, MalformedError

__all__ = ["parse_once", "nesting_depth", "key_size", "MAX_LEAF_NESTING"]

# Deepest nesting accepted in a certificate, key or CRL, counting values wrapped in OCTET and BIT
# STRINGs (extension values) as asn1crypto parses them. A nameConstraints directoryName, the
# deepest real shape, is about 15 levels; asn1crypto recurses a few frames per level.
MAX_LEAF_NESTING = 48

# Everything asn1crypto raises on values it does not expect (UnboundLocalError is a NameError).
_ACCESS_ERRORS = PARSE_ERRORS + (NameError, RecursionError, ArithmeticError)

# Counts the parses `parse_once` starts (tests bound re-parsing by it).
parses = 0


class _Failure:
    """A cached parse failure: its message, re-raised on every access."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def nesting_depth(der: bytes, limit: int = MAX_LEAF_NESTING) -> int:
    """How deep the values in ``der`` nest, looking inside OCTET and BIT STRINGs whose contents
    are themselves one whole DER value; stops counting at ``limit + 1``. Iterative (no
    recursion), and each byte is read at most ``limit + 1`` times. Unreadable DER counts 0
    below the point where it stops parsing: the asn1crypto parse that follows reports it."""
    deepest = 0
    stack: list[tuple[int, int, int]] = [(0, len(der), 1)]
    while stack:
        pos, end, depth = stack.pop()
        if depth > limit:
            return depth
        deepest = max(deepest, depth)
        while pos < end:
            try:
                node = tlv.read(der, pos, end, "nesting")
            except MalformedError:
                break
            inner_start = node.start
            if node.tag & tlv.CONSTRUCTED:
                stack.append((inner_start, node.end, depth + 1))
            elif node.tag in (tlv.OCTET_STRING, tlv.BIT_STRING) and node.end - inner_start > 2:
                if node.tag == tlv.BIT_STRING:
                    inner_start += 1  # the unused-bits octet
                if der[inner_start] & tlv.CONSTRUCTED:  # a SEQUENCE/SET/[n] wrapped as octets
                    try:
                        whole = tlv.read(der, inner_start, node.end, "nesting").next == node.end
                    except MalformedError:
                        whole = False
                    if whole:
                        stack.append((inner_start, node.end, depth + 1))
            pos = node.next
    return deepest


def _check_key(info: Any, what: str) -> None:
    """Read the fields targets, the CLI and Cisco output use (algorithm, size, curve) and turn
    asn1crypto's stray exceptions on malformed keys into MalformedError."""
    try:
        algorithm = info.algorithm
        if algorithm in ("rsa", "rsassa_pss", "dsa", "ec"):
            key_size(info, what)
        elif algorithm in _CURVE_KEY_OCTETS:
            _check_curve_private_key(info, algorithm, what)
    except _ACCESS_ERRORS as err:
        raise MalformedError(f"{what}: the key cannot be read: {type(err).__name__}") from None


# RFC 8410 section 7: the privateKey of an Ed25519/X25519/Ed448/X448 key is the DER of one
# CurvePrivateKey OCTET STRING of exactly this many octets.
_CURVE_KEY_OCTETS = {"ed25519": 32, "x25519": 32, "ed448": 57, "x448": 56}


def _check_curve_private_key(info: Any, algorithm: str, what: str) -> None:
    """A short key, or bytes after the CurvePrivateKey (found by differential fuzzing: OpenSSL
    reads the first 32 octets and ignores the rest, cryptography's loader refuses the key), is
    MalformedError: the key is not what it claims to be."""
    contents = info["private_key"].contents
    size = _CURVE_KEY_OCTETS[algorithm]
    if len(contents) != size + 2 or contents[:2] != tlv.header(tlv.OCTET_STRING, size):
        raise MalformedError(
            f"{what}: the {algorithm} privateKey is not one {size}-octet CurvePrivateKey (RFC 8410 section 7)"
        )


# Sizes of the keys asn1crypto's bit_size does not know (it raises UnboundLocalError for them).
_FIXED_SIZES = {"ed25519": 256, "x25519": 256, "ed448": 456, "x448": 448}


def key_size(info: Any, what: str = "key") -> int | None:
    """The key size in bits of an asn1crypto ``PrivateKeyInfo`` or ``PublicKeyInfo``: the RSA
    modulus or DSA prime length, the EC curve's order size, the fixed size of the Edwards and
    Montgomery curves; None for an algorithm pkcs12kit does not size. Raises MalformedError (never
    another exception) for a key asn1crypto cannot size: an RSA modulus that is not positive, an
    EC key without curve parameters, DSA without parameters."""
    try:
        algorithm = info.algorithm
        if algorithm in _FIXED_SIZES:
            return _FIXED_SIZES[algorithm]
        if algorithm in ("rsa", "rsassa_pss"):
            field = "private_key" if type(info).__name__ == "PrivateKeyInfo" else "public_key"
            modulus = info[field].parsed["modulus"].native
            if not isinstance(modulus, int) or modulus <= 0:
                raise MalformedError(f"{what}: the RSA modulus is not a positive integer")
            return modulus.bit_length()
        if algorithm == "ec":
            # The curve's size, as cryptography's key_size: asn1crypto's bit_size of a private
            # key is its scalar's bit length (a P-384 key is "376 bits" once in 256 keys).
            kind, curve = info.curve  # raises on missing or unreadable parameters
            if kind == "named":
                return curve_bits(str(curve))
            if kind == "specified" and curve["field_id"]["field_type"] == "prime_field":
                size = int(curve["field_id"]["parameters"]).bit_length()  # the prime p (RFC 3279 2.3.5)
            elif kind == "specified":
                return None  # a characteristic-two field: not sized here
            else:
                raise MalformedError(f"{what}: the EC key names no curve (implicitCA)")
        elif algorithm == "dsa":
            size = info.bit_size
        else:
            return None
    except MalformedError:
        raise
    except _ACCESS_ERRORS as err:
        raise MalformedError(f"{what}: the key size cannot be read: {type(err).__name__}") from None
    if not isinstance(size, int) or size <= 0:
        raise MalformedError(f"{what}: the key size cannot be read")
    return size


# How often one attribute type may repeat in a Name. asn1crypto's ``human_friendly`` nests a
# list one level deeper per repetition and walks it recursively: a subject of 1,000 CNs raised
# RecursionError (found by the touch-everything fuzz step). Real names repeat OU or DC a few times.
MAX_NAME_REPEATS = 64


def _check_name(name: Any, what: str) -> None:
    counts: dict[str, int] = {}
    for rdn in name.chosen:
        for pair in rdn:
            kind = pair["type"].dotted
            counts[kind] = counts.get(kind, 0) + 1
            if counts[kind] > MAX_NAME_REPEATS:
                raise MalformedError(f"{what}: an attribute type repeats over {MAX_NAME_REPEATS} times")


def _check_certificate(cert: Any, what: str) -> None:
    """A certificate's public key must be sizable, its validity dates real dates (asn1crypto
    returns an ``extended_datetime`` for year 0, which nothing downstream can compare)."""
    import datetime

    try:
        for field in ("subject", "issuer"):
            _check_name(getattr(cert, field), f"{what}: {field}")
        public = cert.public_key
        if public.algorithm in ("rsa", "rsassa_pss", "dsa", "ec"):
            key_size(public, what)
        validity = cert["tbs_certificate"]["validity"]
        for field in ("not_before", "not_after"):
            moment = validity[field].native
            if not isinstance(moment, datetime.datetime):
                raise MalformedError(f"{what}: validity {field} is not a date in years 1 to 9999")
    except MalformedError:
        raise
    except _ACCESS_ERRORS as err:
        raise MalformedError(f"{what}: cannot be read: {type(err).__name__}") from None


CHECKS: dict[str, Callable[[Any, str], None]] = {"key": _check_key, "certificate": _check_certificate}


def parse_once(entry: Any, attr: str, loader: Callable[[bytes], Any], what: str, check: str | None = None) -> Any:
    """Parse ``entry.der`` with ``loader`` on first access and cache the object in the frozen
    entry's ``__dict__`` — or the failure, re-raised as the same MalformedError on every later
    access. ``check`` names a validation of `CHECKS` run once after the parse."""
    cached = entry.__dict__.get(attr)
    if cached is None:
        global parses
        parses += 1
        try:
            if nesting_depth(entry.der) > MAX_LEAF_NESTING:
                raise MalformedError(f"{what}: values nested deeper than {MAX_LEAF_NESTING} levels")
            try:
                cached = loader(entry.der)
                cached.native  # force a full parse so bad DER fails here, not later in user code
            except _ACCESS_ERRORS as err:
                raise MalformedError(f"{what}: cannot parse: {err}") from None
            if check is not None:
                CHECKS[check](cached, what)
        except MalformedError as err:
            cached = _Failure(str(err))
        entry.__dict__[attr] = cached
    if isinstance(cached, _Failure):
        raise MalformedError(cached.message)
    return cached
