"""The import rules of docs/architecture.md, read from the source (``ast``), not from a running
process:

* the scoring engine (``assessments/engine/``) imports nothing of Django, Wagtail, the portal,
  the CMS or the rest of ``assessments``;
* ``portal/`` imports nothing from ``assessments`` or ``cms`` (they plug in through hooks);
* no import circle between the modules of the apps at module level;
* an app module imported inside a function says why in a comment (otherwise hoist it).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("portal", "assessments", "cms")

# Imports that are waiting for work in progress elsewhere. Each entry must still exist (a stale
# entry fails too), so the list empties as the work lands.
# Known exceptions still to be mended (each entry must still apply, or the test says so).
PENDING_UPWARD: set[tuple[str, str]] = set()
PENDING_FUNCTION_IMPORTS: set[str] = set()


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "assessments.review.views"
    path: str  # its file, relative to the repository
    target: str  # the imported module or name, absolute, e.g. "assessments.review.models"
    line: int
    top_level: bool  # executed when the module is imported (not inside a function)
    commented: bool  # a comment on the line or the line before


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _source_files() -> list[Path]:
    files = []
    for app in APPS:
        files += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: Path) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    module = _module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: list[Import] = []

    def visit(node: ast.AST, top_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # for type checkers only: never executed
            inside = top_level and not isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            )
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                line = lines[child.lineno - 1]
                before = lines[child.lineno - 2].strip() if child.lineno > 1 else ""
                commented = "#" in line or before.startswith("#")
                if isinstance(child, ast.Import):
                    targets = [alias.name for alias in child.names]
                else:
                    base = child.module or ""
                    if child.level:
                        anchor = package[: len(package) - (child.level - 1)]
                        base = ".".join([*anchor, base] if base else anchor)
                    # ``from pkg import sub`` imports the module pkg.sub (with pkg itself already
                    # loading, which is no circle); ``from mod import name`` imports mod.
                    targets = []
                    for alias in child.names:
                        full = f"{base}.{alias.name}"
                        target = full if full in MODULES else base
                        if target not in targets:
                            targets.append(target)
                for target in targets:
                    found.append(
                        Import(
                            module,
                            str(path.relative_to(ROOT)),
                            target,
                            child.lineno,
                            top_level,
                            commented,
                        )
                    )
            visit(child, inside)

    visit(tree, True)
    return found


MODULES = {_module_name(p): p for p in _source_files()}
IMPORTS = [i for p in _source_files() for i in _imports(p)]


def _top(name: str) -> str:
    return name.split(".")[0]


def test_the_engine_imports_nothing_of_django_or_the_portal():
    forbidden = {"django", "wagtail", "portal", "cms", "modelcluster", "taggit"}
    problems = [
        f"{i.path}:{i.line} imports {i.target}"
        for i in IMPORTS
        if i.module.startswith("assessments.engine")
        and (
            _top(i.target) in forbidden
            or (_top(i.target) == "assessments" and not i.target.startswith("assessments.engine"))
        )
    ]
    assert not problems, "\n".join(problems)


def test_portal_imports_no_app_above_it():
    upward = {
        (i.module, i.target)
        for i in IMPORTS
        if _top(i.module) == "portal"
        and _top(i.target) in ("assessments", "cms")
        and i.target in MODULES
    }
    new = sorted(upward - PENDING_UPWARD)
    assert not new, "portal/ imports from assessments or cms:\n" + "\n".join(map(str, new))
    stale = sorted(PENDING_UPWARD - upward)
    assert not stale, f"remove from PENDING_UPWARD: {stale}"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def connect(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return found


def test_no_import_circle_between_app_modules():
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for i in IMPORTS:
        if i.top_level and i.target in MODULES and i.target != i.module:
            edges[i.module].add(i.target)
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_an_app_module_imported_in_a_function_says_why():
    hidden = {
        i
        for i in IMPORTS
        if not i.top_level and not i.commented and _top(i.target) in APPS and i.target in MODULES
    }
    new = sorted(
        f"{i.path}:{i.line} {i.target}" for i in hidden if i.path not in PENDING_FUNCTION_IMPORTS
    )
    assert not new, "hoist these imports, or comment why they stay in the function:\n" + "\n".join(
        new
    )
    stale = sorted(PENDING_FUNCTION_IMPORTS - {i.path for i in hidden})
    assert not stale, f"remove from PENDING_FUNCTION_IMPORTS: {stale}"
