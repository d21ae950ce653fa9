"""A requests transport adapter that connects with an `ssl.SSLContext` (from `pkcs12kit.tls`).

Exports: PKCS12Adapter.

Needs the optional ``requests`` package (``pip install pkcs12kit[tls]``); importing this module
without it raises ``ImportError``. httpx needs no adapter: ``httpx.Client(verify=context)``
takes the context directly (docs/tls.md#httpx).
"""

from __future__ import annotations

import os
import ssl
from typing import Any

from requests.adapters import HTTPAdapter

from .limits import Limits
from .model import PKCS12
from .tls import ssl_context

__all__ = ["PKCS12Adapter"]


class PKCS12Adapter(HTTPAdapter):
    """An `HTTPAdapter` whose every connection uses one client `ssl.SSLContext`.

    ``PKCS12Adapter(context=ctx)`` uses a context you made; ``PKCS12Adapter("id.p12", pw,
    cafile=...)`` makes one with `pkcs12kit.tls.ssl_context` (same keywords). Mount it with
    ``session.mount("https://", adapter)``. The context decides trust: requests' ``verify=``
    bundle and ``cert=`` are not added to it (a CA bundle loaded into a shared context would
    widen what it trusts for every later connection).
    """

    def __init__(self, source: str | os.PathLike[str] | bytes | PKCS12 | None = None,
                 password: str | bytes | None = None, *, context: ssl.SSLContext | None = None,
                 cafile: str | os.PathLike[str] | None = None, limits: Limits | None = None,
                 **adapter_options: Any) -> None:
        if (source is None) == (context is None):
            raise TypeError("give either a PKCS#12 source or context=, not both or neither")
        self.ssl_context = context if context is not None else ssl_context(
            source, password, purpose="client", cafile=cafile, limits=limits)  # type: ignore[arg-type]
        super().__init__(**adapter_options)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        pool_kwargs["ssl_context"] = self.ssl_context
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self.ssl_context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def build_connection_pool_key_attributes(self, request: Any, verify: Any, cert: Any = None
                                             ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        # The context holds the identity and the trust anchors; drop requests' file-based ones.
        for name in ("ca_certs", "ca_cert_dir", "cert_file", "key_file"):
            pool_kwargs.pop(name, None)
        pool_kwargs["ssl_context"] = self.ssl_context
        pool_kwargs["cert_reqs"] = "CERT_REQUIRED" if self.ssl_context.verify_mode != ssl.CERT_NONE else "CERT_NONE"
        return host_params, pool_kwargs

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # requests would point the connection at its CA bundle (loaded into our context by
        # urllib3); the context already says what to trust.
        return None
