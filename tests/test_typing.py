"""The package's type annotations hold: ``mypy --strict pkcs12kit`` reports no error.

mypy is the independent checker here; its configuration (what is strict, and the short list of
exceptions for asn1crypto's and oscrypto's untyped code) is the ``[mypy]`` part of setup.cfg,
explained in docs/development.md#typing. The cache goes to tmp_path, so the checkout stays clean.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_reports_no_error(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "setup.cfg",
         "--cache-dir", str(tmp_path / "mypy-cache"), "pkcs12kit"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, f"mypy --strict pkcs12kit failed:\n{report}"
    assert "Success: no issues found" in done.stdout, report


def test_public_api_types_are_precise(tmp_path):
    """What a user's mypy infers for the documented calls (``reveal_type``), so the annotations
    are the precise ones, not ``Any``: loads -> PKCS12, KeyEntry.private_key -> PrivateKeyInfo,
    CertEntry.certificate -> x509.Certificate, PKCS12.keys -> tuple[KeyEntry, ...], dumps -> bytes,
    targets.check -> list[Finding]."""
    user = tmp_path / "user_code.py"
    user.write_text(
        "import pkcs12kit\n"
        "from pkcs12kit import targets\n"
        "p12 = pkcs12kit.loads(b'', 'pw')\n"
        "reveal_type(p12)\n"
        "reveal_type(p12.keys)\n"
        "reveal_type(p12.keys[0].private_key)\n"
        "reveal_type(p12.certificates[0].certificate)\n"
        "reveal_type(pkcs12kit.dumps(p12, 'pw', profile=pkcs12kit.MODERN))\n"
        "reveal_type(targets.check(p12, 'asa'))\n"
        "reveal_type(targets.profile_for('asa'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "setup.cfg"),
         "--cache-dir", str(tmp_path / "mypy-cache"), str(user)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    # Older mypy versions print builtins with their module ("builtins.bytes").
    revealed = [line.split("Revealed type is ", 1)[1].strip('"').replace("builtins.", "")
                for line in done.stdout.splitlines() if "Revealed type is" in line]
    assert revealed == [
        "pkcs12kit.model.PKCS12",
        "tuple[pkcs12kit.entries.KeyEntry, ...]",
        "asn1crypto.keys.PrivateKeyInfo",
        "asn1crypto.x509.Certificate",
        "bytes",
        "list[pkcs12kit.targets.findings.Finding]",
        "pkcs12kit.profiles.Profile",
    ], done.stdout + done.stderr
