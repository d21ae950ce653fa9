"""Shared fixtures: tool checks and one session-wide PKI made with ``cryptography``."""

from __future__ import annotations

import os

import pytest

from tools import Pki, find_tool


def require_tool(name: str) -> str:
    """Path of program ``name``; skip when missing, or fail when CI=true (CI must run everything)."""
    path = find_tool(name)
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: a missing tool is a failure)", pytrace=False)
        pytest.skip(message)
    return path


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
