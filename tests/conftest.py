"""Shared fixtures: tool checks and one session-wide PKI made with ``cryptography``."""

from __future__ import annotations

import pytest

from tools import Pki, require_tool


@pytest.fixture(scope="session")
def openssl_tool() -> str:
    return require_tool("openssl")


@pytest.fixture(scope="session")
def keytool_tool() -> str:
    return require_tool("keytool")


@pytest.fixture(scope="session")
def java_tool() -> str:
    return require_tool("java")


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> Pki:
    """Root CA → intermediate CA → leaves (one per key kind, made on first use), as PEM files."""
    return Pki(tmp_path_factory.mktemp("pki"))
