"""The guide (docs/, MkDocs): it builds strictly, the README reaches every page, generated pages are whole."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from translator.config import Settings, settings_reference

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def _hooks():
    sys.path.insert(0, str(DOCS))
    try:
        import hooks
    finally:
        sys.path.remove(str(DOCS))
    return hooks


@pytest.mark.slow
def test_the_guide_builds_strictly(tmp_path):
    """`mkdocs build --strict`: a broken link, a missing anchor or a page left out of the nav fails."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=REPO, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    configuration = (tmp_path / "site" / "configuration" / "index.html").read_text(encoding="utf-8")
    assert "TRANSLATOR_STORE_TIMEOUT" in configuration and "{{ settings_reference }}" not in configuration
    api = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
    assert "POST /v1/translate" in api and "{{ api_reference }}" not in api


def test_readme_is_short_and_reaches_every_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 150
    linked = set(re.findall(r"\]\(docs/([\w-]+\.md)\)", readme))
    assert linked == {path.name for path in DOCS.glob("*.md")}


def test_every_setting_is_in_the_configuration_reference():
    table = _hooks().settings_table()
    variables = {row.variable for row in settings_reference()}
    expected = {f"TRANSLATOR_{f.name.upper()}" for f in dataclasses.fields(Settings) if f.init} - {"TRANSLATOR_GLOSSARIES"}
    assert variables - {"TRANSLATOR_GLOSSARY_<SRC>_<TGT>"} == expected
    for variable in variables:
        assert f"| `{variable}` |" in table
    assert len(table.splitlines()) == len(variables) + 2


def test_the_api_reference_has_every_operation_of_the_spec():
    import yaml

    spec = yaml.safe_load((REPO / "translator" / "web" / "openapi.yaml").read_text(encoding="utf-8"))
    reference = _hooks().api_reference()
    for path, item in spec["paths"].items():
        for method in ("get", "put", "post", "patch", "delete"):
            if method in item:
                assert f"### `{method.upper()} {path}`" in reference
