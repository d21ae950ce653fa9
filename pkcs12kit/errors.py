"""The pkcs12kit exception hierarchy.

Exports: PKCS12Error, MalformedError, BadPasswordError, UnsupportedAlgorithmError,
LimitExceededError, EncodeError; the public-key modes' SignatureError, UntrustedSignerError,
TrustRequiredError, RecipientError, UnknownRecipientError, WrongRecipientKeyError; PARSE_ERRORS (what asn1crypto raises on bad input, which the
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
    "SignatureError",
    "UntrustedSignerError",
    "TrustRequiredError",
    "RecipientError",
    "UnknownRecipientError",
    "WrongRecipientKeyError",
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


class SignatureError(PKCS12Error):
    """Public-key integrity mode (RFC 7292 section 3.1): the SignedData over the authenticated
    safe does not verify (signature, messageDigest or contentType attribute; RFC 5652 section 5.6)."""


class UntrustedSignerError(SignatureError):
    """The signature verifies, but its signer does not chain to any of the trust anchors given."""


class TrustRequiredError(UntrustedSignerError):
    """The file is signed (public-key integrity mode) and no ``trust=`` was given: refused by
    default; pass ``trust=[certificates]``, or ``trust=pkcs12kit.UNVERIFIED`` to read it unverified."""


class RecipientError(PKCS12Error):
    """Public-key privacy mode (RFC 7292 section 3.1): an envelopedData safe cannot be opened."""


class UnknownRecipientError(RecipientError):
    """No RecipientInfo of the envelopedData is for the given key or certificate (or none was given)."""


class WrongRecipientKeyError(RecipientError):
    """A RecipientInfo names the given certificate, but the key does not decrypt it."""


# What asn1crypto raises on bad input while parsing lazily: mostly ValueError, but a wrong tag in
# an ANY (an ObjectDescriptor where an OID belongs...) surfaces as AttributeError or TypeError.
PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)
