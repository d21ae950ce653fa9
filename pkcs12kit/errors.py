"""The pkcs12kit exception hierarchy.

Exports: PKCS12Error, MalformedError, BadPasswordError, UnsupportedAlgorithmError,
LimitExceededError, EncodeError; PARSE_ERRORS (what asn1crypto raises on bad input, which the
layers above turn into `MalformedError`).

Messages start lowercase, name the failing place (``authSafe[1] encryptedData: ...``) and never
contain a password, a key or plaintext.
"""

__all__ = [
    "PKCS12Error",
    "MalformedError",
    "BadPasswordError",
    "UnsupportedAlgorithmError",
    "LimitExceededError",
    "EncodeError",
    "PARSE_ERRORS",
]


class PKCS12Error(Exception):
    """Base class of every error pkcs12kit raises for bad input or an impossible request."""


class MalformedError(PKCS12Error):
    """The input is not a well-formed PKCS#12: ASN.1, armor, structure, or padding without a MAC."""


class BadPasswordError(PKCS12Error):
    """The MAC does not verify, or decryption failed where no MAC exists to tell corruption apart."""


class UnsupportedAlgorithmError(PKCS12Error):
    """A known-but-unimplemented or unknown algorithm OID, or a cipher provider that is missing."""


class LimitExceededError(PKCS12Error):
    """The input asks for more work or memory than the active `Limits` allow."""


class EncodeError(PKCS12Error):
    """What was asked cannot be encoded (e.g. a non-BMP password for the PKCS#12 KDF)."""


# What asn1crypto raises on bad input while parsing lazily: mostly ValueError, but a wrong tag in
# an ANY (an ObjectDescriptor where an OID belongs...) surfaces as AttributeError or TypeError.
PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)
