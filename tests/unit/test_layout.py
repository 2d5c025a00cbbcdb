"""The service template holds: every service has the same top-level modules, no `service.py` grab-bag is
left, and no module imports itself back through others at import time (imports inside functions are
deliberate late bindings and are not counted)."""
import ast
from pathlib import Path

import pytest

from services import PLATFORM

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = {"__init__.py", "api", "schemas", "rules.py", "store.py", "events.py", "projection.py",
            "handlers.py", "worker.py", "app.py", "README.md"}
PACKAGES = ("services", "shared")


@pytest.mark.parametrize("name", [spec.name for spec in PLATFORM])
def test_every_service_has_the_template_modules(name):
    present = {path.name for path in (ROOT / "services" / name).iterdir()}
    assert TEMPLATE <= present, f"{name} lacks {sorted(TEMPLATE - present)}"


def test_no_service_py_grab_bag_is_left():
    assert not [p for package in PACKAGES for p in (ROOT / package).rglob("service.py")]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports when it is imported (not those imported inside functions)."""
    tree = ast.parse(path.read_text(), str(path))
    found = set()
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    for node in tree.body:
        statements = [node]
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks do not run
            statements = [] if "TYPE_CHECKING" in ast.unparse(node.test) else node.body
        for statement in statements:
            if isinstance(statement, ast.Import):
                found |= {alias.name for alias in statement.names}
            elif isinstance(statement, ast.ImportFrom):
                base = statement.module or ""
                if statement.level:
                    anchor = package.split(".")[: len(package.split(".")) - statement.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                found.add(base)
                found |= {f"{base}.{alias.name}" for alias in statement.names}
    return {name for name in found if name in known and name != this}


def test_no_import_cycle():
    paths = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    known = {module_name(p) for p in paths}
    graph = {module_name(p): top_level_imports(p, known) for p in paths}
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    # A package importing its own submodules (re-exports in __init__) is how packages work, not a cycle.
    real = [c for c in cycles if not all(b.startswith(a + ".") or a.startswith(b + ".") for a, b in zip(c, c[1:]))]
    assert not real, "\n".join(" → ".join(c) for c in real)
