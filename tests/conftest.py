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


# --- the suite leaves the checkout as it found it -------------------------------------------------
# Tests write under tmp_path; a test that writes into the working tree (as one once wrote four
# .p12 files into the repository root) fails the run here. Untracked-and-not-ignored files and
# modifications are compared before and after the session.

_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def _tree_state() -> set[str] | None:
    import subprocess

    try:
        done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=_ROOT,
                              capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(done.stdout.splitlines())


def pytest_sessionstart(session):
    session.config._tree_before = _tree_state()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_tree_before", None)
    after = _tree_state()
    if before is None or after is None:
        import os

        if os.environ.get("CI") == "true":
            session.config._tree_message = "the checkout is not a git work tree: cannot check that the suite leaves it clean"
            session.exitstatus = 1
        return
    new = sorted(after - before)
    if new:
        session.config._tree_message = "the test suite changed the checkout:\n  " + "\n  ".join(new)
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    message = getattr(config, "_tree_message", None)
    if message:
        terminalreporter.write_line(message, red=True)
