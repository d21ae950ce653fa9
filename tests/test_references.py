"""Every file the package, the docs and the README name exists in the repository, and every
``page.md#anchor`` they cite is a heading of that page (issue: self-contained for its users).

A user has only the clone: a citation of a file outside it (or of a section that moved) is a
dead end. This reads the text; nothing is imported.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("pkcs12kit/**/*.py"), *ROOT.glob("docs/*.md"), ROOT / "README.md"])

# A path-like token: folders and a file name with a known ending, optionally #anchor.
_PATH = re.compile(
    r"(?<![\w/.-])((?:\.\./|\./)?(?:[\w.-]+/)*[\w.-]+\.(?:md|py|txt|p12|pfx|json|png|cfg|toml|sh|b64))(#[\w-]+)?(?![\w/])"
)
# Paths that are examples of user files in prose and commands, not citations of this repository.
_EXAMPLES = re.compile(
    r"^(?:[\w-]*(?:file|bundle|out|in|router|export|backup|new|old|my|a|b|x|y|owned|m1|m|t|leaf|chain|key|cert|ca|root|"
    r"identity|trustpoint|paste|session|device|store|truststore|keystore|client|server|site|tp|asa|ios|iosxe|"
    r"cisco|java|windows|macos|id|legacy|modern|fixed|repacked|rewritten|converted|result|input|output|"
    r"demo|sample|test|example|certs|keys|crl|pem|der|p12|pfx)[\w.-]*\.(?:p12|pfx|pem|txt|der|json|csv|b64))$",
    re.IGNORECASE,
)


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lowercase, punctuation dropped, spaces → '-'."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    in_code = False
    for line in page.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        slug = _slug(line.lstrip("#"))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def _resolve(source: Path, name: str) -> Path | None:
    candidates = [ROOT / name, source.parent / name, ROOT / "docs" / name, ROOT / "pkcs12kit" / name]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return None


# The repository's own top-level folders and files, and the package's subpackages: a path that
# starts with one of them is a citation of this repository. Other paths with a folder are other
# projects' files, cited beside their repository ("SSLMate/go-pkcs12 `testdata/…`"), and a bare
# page name on a line that names another project ("OpenSSL's `CHANGES.md`") is theirs too.
_LOCAL_TOPS = {path.name for path in ROOT.iterdir()} | {path.name for path in (ROOT / "pkcs12kit").iterdir()} | {"vectors"}
_OTHER_PROJECT = re.compile(r"\b(?:[A-Za-z0-9-]+/[A-Za-z0-9_.-]+|OpenSSL's|openssl's|upstream)\b")


def _is_local(name: str, line: str) -> bool:
    if name.startswith(("../", "./")):
        return True  # outside the clone, or spelled relative to it: always checked
    others = [m.group(0) for m in _OTHER_PROJECT.finditer(line) if m.group(0).split("/", 1)[0] not in _LOCAL_TOPS]
    if others and (ROOT / name).exists() is False:
        return False  # "QB4DEVOPS/topogen `docs/MANUAL.md`": the other project's file
    if "/" in name:
        return name.split("/", 1)[0] in _LOCAL_TOPS
    return not others


def _citations(source: Path):
    for number, line in enumerate(source.read_text().splitlines(), 1):
        for match in _PATH.finditer(line):
            name, anchor = match.group(1), match.group(2)
            if _is_local(name, line):
                yield number, name, anchor


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_cited_files_and_sections_exist(source):
    dead = []
    for number, name, anchor in _citations(source):
        if "/" not in name and _EXAMPLES.match(name) and anchor is None:
            continue
        target = _resolve(source, name)
        if target is None:
            if "/" not in name and not name.endswith(".md"):
                continue  # a bare file name in prose (a user's file); only paths and pages are citations
            dead.append(f"line {number}: {name} does not exist in the repository")
        elif anchor and target.suffix == ".md" and anchor[1:] not in _anchors(target):
            dead.append(f"line {number}: {name}{anchor}: no such section in {target.relative_to(ROOT)}")
    assert not dead, f"{source.relative_to(ROOT)} cites what a user of the clone cannot open:\n" + "\n".join(dead)


def test_the_check_finds_a_dead_citation(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\nsee [notes](../shared/notes.md) and docs/cli.md#no-such-section\nFORMATS.md 6.4\n")
    found = [(name, anchor) for _, name, anchor in _citations(page)]
    assert ("../shared/notes.md", None) in found and ("docs/cli.md", "#no-such-section") in found
    assert ("FORMATS.md", None) in found
    assert _resolve(page, "../shared/notes.md") is None
    assert "no-such-section" not in _anchors(ROOT / "docs" / "cli.md")
