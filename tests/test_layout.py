"""The package's layout keeps its promises: rooms by stage, faces, no private name across rooms,
imports that only go down, short chains, small modules."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "socanalysis"

# the stages, lowest first: a module may import its own stage and the ones below
ORDER = {
    "vocabulary": 0,
    "errors": 0,
    "limits": 0,
    "_kernels": 1,
    "load": 2,
    "classifier": 3,
    "portfolio": 4,
    "present": 5,
    "leads": 6,
    "review": 7,
    "pipeline": 8,
    "_testing": 9,
    "dashboards": 9,
    "cli": 9,
    "cli_review": 9,
    "": 10,  # the package's face, socanalysis/__init__.py
}
KERNEL_USERS = {"_kernels", "classifier", "leads"}
MAX_LINES = 700
MAX_DEPTH = 10


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:  # Alembic's scripts, run by Alembic
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _package(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


@lru_cache(maxsize=1)
def faces() -> dict[str, dict[str, str]]:
    """Per package with a lazy face: public name -> the submodule that defines it."""
    out = {}
    for module, path in modules().items():
        if path.name != "__init__.py":
            continue
        names = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "submod_attrs":
                for sub, attrs in ast.literal_eval(node.value).items():
                    names.update(dict.fromkeys(attrs, f"{module}.{sub}"))
            if isinstance(node, ast.keyword) and node.arg == "submodules":
                names.update({s: f"{module}.{s}" for s in ast.literal_eval(node.value)})
        out[module] = names
    return out


def _for_type_checkers(tree: ast.AST) -> set[ast.AST]:
    """The import statements under ``if TYPE_CHECKING:``: read by type checkers, never run."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            out.update(n for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Import | ast.ImportFrom))
    return out


@lru_cache(maxsize=2)
def imports(run: bool = False) -> list[tuple[str, str, str]]:
    """(importer, imported module, name) for every import of the package's own modules, wherever it
    stands (at the top or inside a function); with ``run``, only those Python runs, leaving out the
    ones under ``if TYPE_CHECKING:``."""
    known = modules()
    out = []
    for module, path in known.items():
        package = _package(module, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = _for_type_checkers(tree) if run else set()
        for node in ast.walk(tree):
            if node in typing_only:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if not target.startswith("socanalysis"):
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in known:
                        out.append((module, sub, alias.name))
                    else:
                        defined = faces().get(target, {}).get(alias.name, target)
                        out.append((module, defined, alias.name))
            elif isinstance(node, ast.Import):
                out += [(module, a.name, "") for a in node.names if a.name.startswith("socanalysis")]
    return out


def test_no_module_is_longer_than_the_limit():
    long = {m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_no_private_name_crosses_a_room():
    crossing = [
        (a, b, name)
        for a, b, name in imports()
        if room(a) != room(b) and (name.startswith("_") or any(p.startswith("_") for p in b.split(".")[2:]))
    ]
    assert not crossing, crossing


def test_imports_go_down_the_stages_only():
    upward = [(a, b) for a, b, _ in imports() if ORDER[room(b)] > ORDER[room(a)]]
    assert not upward, upward


def test_only_the_classifier_and_the_lead_engines_call_the_compiled_kernels():
    callers = {(a, b) for a, b, _ in imports() if room(b) == "_kernels" and room(a) not in KERNEL_USERS}
    assert not callers, callers


def graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports when it runs (an import under ``if TYPE_CHECKING:``
    names a type for the checkers and joins no chain; it still goes down the stages and keeps off
    private names, as the tests above check)."""
    edges: dict[str, set[str]] = {m: set() for m in modules()}
    for a, b, _ in imports(run=True):
        if b in edges and b != a:
            edges[a].add(b)
    return edges


def test_there_is_no_import_cycle_and_no_chain_longer_than_the_limit():
    edges = graph()
    depth: dict[str, int] = {}
    visiting: list[str] = []

    def walk(module: str) -> int:
        if module in depth:
            return depth[module]
        assert module not in visiting, "import cycle: " + " -> ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        depth[module] = 1 + max((walk(m) for m in edges[module]), default=0)
        visiting.pop()
        return depth[module]

    deepest = max(modules(), key=walk)
    assert depth[deepest] <= MAX_DEPTH, (deepest, depth[deepest])


ROOMS = sorted(
    m for m, p in modules().items() if p.name == "__init__.py" and m.count(".") == 1 and m != "socanalysis.data"
)
"""The rooms' faces (``socanalysis.data`` holds the sample files, no code)."""


@pytest.mark.parametrize("face", ROOMS)
def test_every_room_lists_what_it_offers_and_each_name_is_there(face):
    import importlib

    package = importlib.import_module(face)
    assert package.__all__, face
    for name in package.__all__:
        assert getattr(package, name) is not None, (face, name)


def test_an_import_for_type_checkers_joins_no_chain_but_keeps_the_rules():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\nfrom .a import A\nif TYPE_CHECKING:\n    from .b import B\n"
        "def f():\n    from .c import C\nif not TYPE_CHECKING:\n    from .d import D\n"
    )
    assert [n.module for n in _for_type_checkers(tree)] == ["b"]
    runs = {b for a, b, _ in imports(run=True) if a == "socanalysis.present.chart_parts"}
    read = {b for a, b, _ in imports() if a == "socanalysis.present.chart_parts"}
    assert "socanalysis.present.assessment" in read - runs
