"""Every ```python block in README.md and docs/*.md runs, in a fresh namespace per file, from a
scratch directory that holds the repository's test vectors (so docs can load real files)."""

import pathlib
import re
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_python_blocks_run(page, tmp_path, monkeypatch):
    blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
    assert blocks or page.name not in ("README.md", "loading.md", "errors.md"), "examples expected"
    shutil.copytree(ROOT / "tests" / "vectors", tmp_path / "tests" / "vectors")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    for index, code in enumerate(blocks):
        exec(compile(code, f"{page.name}[block {index}]", "exec"), namespace)
