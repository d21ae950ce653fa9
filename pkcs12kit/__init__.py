"""pkcs12kit: read and write PKCS#12 (RFC 7292) files in pure Python.

    >>> import pkcs12kit
    >>> p12 = pkcs12kit.load("identity.p12", "password")      # doctest: +SKIP
    >>> p12.key, p12.certificate, p12.chain                    # doctest: +SKIP
"""

from typing import TYPE_CHECKING

__version__ = "0.1.0"

from .api import dump, dumps, load, loads  # noqa: E402
from .errors import (  # noqa: E402
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    PKCS12Error,
    RecipientError,
    SignatureError,
    TrustRequiredError,
    UnknownRecipientError,
    UnsupportedAlgorithmError,
    UntrustedSignerError,
    WrongRecipientKeyError,
)
from .limits import Limits  # noqa: E402
from .protection import UNVERIFIED, EnvelopeInfo, SignatureInfo  # noqa: E402
from .profiles import (  # noqa: E402
    JAVA,
    LEGACY_3DES,
    LEGACY_RC2,
    MODERN,
    MODERN_PBMAC1,
    PASSWORDLESS,
    MacSpec,
    Profile,
)
from .model import (  # noqa: E402
    PKCS12,
    Attribute,
    CertEntry,
    CrlEntry,
    KeyEntry,
    MacInfo,
    Protection,
    SafeInfo,
    SecretEntry,
    UnknownBag,
)

if TYPE_CHECKING:
    from .parties import Recipient, Signer


def __getattr__(name: str) -> object:
    """``Recipient`` and ``Signer`` (the public-key modes' parties), imported when first named."""
    if name in ("Recipient", "Signer"):
        # import time: two frozen dataclasses (about 1 ms) that only the public-key modes use
        from . import parties

        return getattr(parties, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "__version__",
    "loads",
    "load",
    "dumps",
    "dump",
    "Profile",
    "MacSpec",
    "MODERN",
    "MODERN_PBMAC1",
    "LEGACY_3DES",
    "LEGACY_RC2",
    "JAVA",
    "PASSWORDLESS",
    "PKCS12",
    "KeyEntry",
    "CertEntry",
    "CrlEntry",
    "SecretEntry",
    "UnknownBag",
    "Attribute",
    "SafeInfo",
    "MacInfo",
    "Protection",
    "Limits",
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
    "Signer",
    "Recipient",
    "UNVERIFIED",
    "SignatureInfo",
    "EnvelopeInfo",
]
