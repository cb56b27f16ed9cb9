"""Imports run one way: every module imports only its own folder and the layers below it.

The layer order is written here once. A folder's modules may import each other
and anything in a lower layer; two folders on the same layer (the adapters) may
not import each other, and nothing imports a higher layer. ``translator.testing``
sits above everything: the product never imports its test support.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "translator"

#: Lowest first. "" is the package root (config, errors, logs).
LAYERS: list[set[str]] = [
    {""},
    {"text"},
    {"engines"},
    {"glossary"},
    {"pipeline"},
    {"editorial"},
    {"store"},
    {"html"},
    {"tasks"},
    {"service"},
    {"batch", "worker", "web"},  # adapters: they parse, call service/, render
    {"cli"},
    {"testing"},
]
RANK = {folder: rank for rank, folder_set in enumerate(LAYERS) for folder in folder_set}
#: The package's entry points sit above every layer: the public API re-exports, ``python -m`` runs the CLI.
ENTRY_POINTS = {"translator", "translator.__main__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def folder_of(module: str) -> str:
    """The layer folder of ``translator.X.Y...``: ``X`` when it is a folder, else "" (a root module)."""
    parts = module.split(".")
    if len(parts) >= 2 and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return ""


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def imported_modules(module: str, source: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """``(line, absolute module)`` for every import of a ``translator`` module in ``source``."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "translator":  # `from translator import x`: x is a module, or a name of the API
                found += [(node.lineno, f"translator.{alias.name}" if _is_module(alias.name) else "translator")
                          for alias in node.names]
            elif target.startswith("translator."):
                found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("translator")]
    return found


def upward_imports_of(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """What ``module`` imports against the layer order, one line each (none for the entry points)."""
    if module in ENTRY_POINTS:
        return []
    here = folder_of(module)
    problems = []
    for line, target in imported_modules(module, source, is_package=is_package):
        there = folder_of(target)
        if target in ENTRY_POINTS:
            problems.append(f"{module}:{line}: imports the package's entry point {target}")
        elif there != here and RANK[there] >= RANK[here]:
            problems.append(f"{module}:{line}: {here or 'root'} imports {there} ({target})")
    return problems


def upward_imports() -> list[str]:
    """Every upward or sideways import in the package."""
    return [problem for path in sorted(PACKAGE.rglob("*.py"))
            for problem in upward_imports_of(module_name(path), path.read_text(encoding="utf-8"),
                                             is_package=path.name == "__init__.py")]


def test_every_folder_of_the_package_has_a_layer():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(RANK) - {""}


def test_the_package_root_holds_only_the_entry_points_settings_errors_and_logs():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == [
        "__init__.py", "__main__.py", "config.py", "errors.py", "logs.py"]


def test_no_module_imports_a_higher_layer_or_a_sibling_adapter():
    assert upward_imports() == []


@pytest.mark.parametrize("source, expected", [
    ("from ..web.context import current_runtime\n", "service imports web (translator.web.context)"),
    ("from translator.cli import main\n", "service imports cli (translator.cli)"),
    ("from ..testing.models import build_marian_model\n", "service imports testing (translator.testing.models)"),
    ("from .. import Translator\n", "imports the package's entry point translator"),
    ("from ..pipeline import Translator\n", None),
    ("from .articles import ArticleService\n", None),
])
def test_the_check_reports_an_upward_import_and_only_that(source, expected):
    problems = upward_imports_of("translator.service.example", source)
    assert problems == ([f"translator.service.example:1: {expected}"] if expected else [])


def test_adapters_may_not_import_each_other():
    assert upward_imports_of("translator.batch.example", "from ..web.context import current_runtime\n") == [
        "translator.batch.example:1: batch imports web (translator.web.context)"]
