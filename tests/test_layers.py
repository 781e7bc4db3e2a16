"""Imports only point down the layers: the DAG engine is pure, the core never reaches up."""

from __future__ import annotations

import ast
import pathlib
import sys

import pytest

import mockawx

PACKAGE = pathlib.Path(mockawx.__file__).resolve().parent
# A module may import only modules of its own rank or lower ones.
RANKS = {
    "errors": 0, "clock": 0, "engine": 1, "spec": 2, "store": 3, "access": 4, "auth": 4, "runtime": 5, "model": 7,
    "execution": 6, "web": 7, "persist": 7, "resources": 8, "app": 9, "seed": 9, "seed_data": 9,
    "factory": 10, "server": 10, "scenarios": 10, "bench": 11, "bench_servers": 11, "statefile": 11,
    "cli": 12, "pytest_plugin": 12, "conform": 12, "strategies": 11, "__init__": 12,
}
STDLIB_ONLY = {"engine"}


def layer_of(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported_layers(path: pathlib.Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(PACKAGE).parts) - 1
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                if node.level > depth + 1:
                    continue
                base = list(path.relative_to(PACKAGE).parts[: depth + 1 - node.level])
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not target:
                    target = [alias.name for alias in node.names][:1]
                found.append((target[0], node.module or ""))
            elif node.module and node.module.startswith("mockawx"):
                parts = node.module.split(".")
                found.append((parts[1] if len(parts) > 1 else "__init__", node.module))
            elif node.module and layer_of(path) in STDLIB_ONLY and node.module.split(".")[0] not in _STDLIB:
                found.append(("<third party>", node.module))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mockawx."):
                    found.append((alias.name.split(".")[1], alias.name))
                elif layer_of(path) in STDLIB_ONLY and alias.name.split(".")[0] not in _STDLIB:
                    found.append(("<third party>", alias.name))
    return found


_STDLIB = set(sys.stdlib_module_names)
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_imports_point_down(path: pathlib.Path) -> None:
    layer = layer_of(path)
    assert layer in RANKS, f"{layer} has no rank in the layer table"
    for target, module in imported_layers(path):
        assert target != "<third party>", f"{path.name} in the pure engine imports {module}"
        if target in RANKS and target != layer:
            assert RANKS[target] <= RANKS[layer], f"{path.relative_to(PACKAGE)} ({layer}) imports {target} ({module})"


def test_public_surface_is_small_and_exact() -> None:
    """``mockawx.__all__`` lists exactly the names the package defines for users, and few of them."""
    defined = {
        name for name, value in vars(mockawx).items()
        if not name.startswith("_") and not isinstance(value, type(ast)) and name != "annotations"  # the __future__ import
    }
    assert sorted(mockawx.__all__) == sorted(defined)
    assert len(mockawx.__all__) <= 10
