"""Glossary terms are at most 200 characters wherever entries come from: the TSV validator, the DeepL
import, entries built in code (the API's own checks are in tests/web/test_hardening.py)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from translator.cli import main
from translator.errors import GlossaryError
from translator.glossary import Glossary
from translator.glossary.entries import MAX_TERM_CHARS, validate_tsv
from translator.glossary.files import parse_deepl


def test_the_validator_names_an_oversized_term_with_its_line(tmp_path):
    path = tmp_path / "en-fr.tsv"
    path.write_text(f"Putin\tPoutine\n{'S' * 201}\tx\nKyiv\t{'T' * 201}\nOk\t{'T' * 200}\n", encoding="utf-8")
    assert MAX_TERM_CHARS == 200
    assert [str(p) for p in validate_tsv(path)] == [
        "line 2: source term too long: 201 characters (at most 200)",
        "line 3: target term too long: 201 characters (at most 200)"]


def test_import_refuses_oversized_terms_and_imports_nothing(tmp_path):
    into = tmp_path / "en-fr.tsv"
    into.write_text("Putin\tPoutine\n", encoding="utf-8")
    deepl = tmp_path / "deepl.tsv"
    deepl.write_text(f"Kyiv\tKyiv\nLong\t{'T' * 201}\n", encoding="utf-8")
    assert parse_deepl(deepl.read_text(encoding="utf-8"), "tsv")[1][0].message == (
        "target term too long: 201 characters (at most 200)")
    result = CliRunner().invoke(main, ["glossary", "import", str(deepl), "--into", str(into)])
    assert result.exit_code != 0
    assert f"{deepl}:2: target term too long: 201 characters (at most 200)" in result.output
    assert into.read_text(encoding="utf-8") == "Putin\tPoutine\n"


def test_entries_built_in_code_have_the_same_limit():
    with pytest.raises(GlossaryError, match="target term too long: 201 characters"):
        Glossary.from_pairs([("Putin", "P" * 201)])
    assert len(Glossary.from_pairs([("P" * 200, "Q" * 200)])) == 1
