"""The package's structure, read from its source with `ast` (nothing is imported or run).

docs/development.md#layers states the rule this file holds: every module belongs to one layer,
imports only modules of its own layer or of layers below it, no import cycle exists among the
package's modules, and no module is longer than `MAX_LINES`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pkcs12kit"
MAX_LINES = 600

# Bottom to top; a module name is its dotted path inside the package ("cisco.sessions"); a name
# ending in ".*" covers a subpackage and everything in it.
LAYERS = [
    ("base", ["errors", "limits"]),
    ("encoding", ["tlv", "asn1", "pem", "textsafe"]),
    ("crypto", ["protection", "kdf", "ciphers.*", "pbe", "mac", "pkcs8", "cms_sign", "cms_envelope"]),
    ("values", ["attributes", "inputs", "x509names", "x509fields", "x509extensions", "x509verify", "parsed", "entries", "chain", "profiles", "model",
                "parties"]),
    ("container", ["bags", "safes", "pfx"]),
    ("text forms", ["transcripts", "armor"]),
    ("entry points", ["api", "__init__"]),
    ("workflows", ["cisco.*", "targets.*", "strategies", "tls", "tls_requests", "scan_checks", "scan"]),
    ("command", ["cli.*", "__main__"]),
]


def _module_names() -> dict[str, Path]:
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if len(parts) > 1 and parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


MODULES = _module_names()


def layer_of(name: str) -> int:
    for index, (_, members) in enumerate(LAYERS):
        for member in members:
            if member == name or (member.endswith(".*") and (name == member[:-2] or name.startswith(member[:-1]))):
                return index
    raise AssertionError(f"pkcs12kit/{MODULES[name].relative_to(PACKAGE)} is in no layer: add it to LAYERS "
                         "and to the diagram in docs/development.md")


def _imports(name: str) -> set[str]:
    """The package modules ``name`` imports, at the top or inside functions alike."""
    path = MODULES[name]
    package = name.split(".") if path.name == "__init__.py" and name != "__init__" else name.split(".")[:-1]
    if name == "__init__":
        package = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
            elif node.module and (node.module == "pkcs12kit" or node.module.startswith("pkcs12kit.")):
                base = []
                node_module = node.module.split(".")[1:]
                target = ".".join(node_module)
                candidates = [target] if target else []
                for alias in node.names:
                    full = ".".join(filter(None, [target, alias.name]))
                    candidates.append(full if full in MODULES else target or "__init__")
                found.update(c for c in candidates if c)
                continue
            else:
                continue
            target = ".".join(base + (node.module.split(".") if node.module else []))
            for alias in node.names:
                full = ".".join(filter(None, [target, alias.name]))
                found.add(full if full in MODULES else (target or "__init__"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("pkcs12kit."):
                    found.add(alias.name[len("pkcs12kit."):])
                elif alias.name == "pkcs12kit":
                    found.add("__init__")
    found.discard(name)
    return {module for module in found if module in MODULES}


GRAPH = {name: _imports(name) for name in MODULES}


def test_every_module_has_a_layer():
    for name in MODULES:
        layer_of(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name):
    upward = sorted(
        f"{target} ({LAYERS[layer_of(target)][0]})" for target in GRAPH[name] if layer_of(target) > layer_of(name)
    )
    assert not upward, f"{name} ({LAYERS[layer_of(name)][0]}) imports a higher layer: {', '.join(upward)}"


def test_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(GRAPH[name]):
            # A package's __init__ importing its own submodules is how it re-exports them.
            if name != "__init__" and target.startswith(name + "."):
                continue
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"pkcs12kit/{MODULES[name].relative_to(PACKAGE)} has {lines} lines (cap {MAX_LINES})"


def test_the_check_sees_a_planted_violation(tmp_path):
    """The graph reader finds relative, absolute and function-local imports (so the tests above
    cannot pass by reading nothing)."""
    assert "errors" in GRAPH["limits"]
    assert {"entries", "errors"} <= GRAPH["chain"]
    assert "pfx" in GRAPH["api"]  # imported inside loads()
