"""pkcs12kit: read and write PKCS#12 (RFC 7292) files in pure Python."""

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    BadPasswordError,
    EncodeError,
    LimitExceededError,
    MalformedError,
    PKCS12Error,
    UnsupportedAlgorithmError,
)
from .limits import Limits  # noqa: E402

__all__ = [
    "__version__",
    "PKCS12Error",
    "MalformedError",
    "BadPasswordError",
    "UnsupportedAlgorithmError",
    "LimitExceededError",
    "EncodeError",
    "Limits",
]
