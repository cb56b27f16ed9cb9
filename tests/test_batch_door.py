"""Batch input obeys the API's rules: ids the API can address, no control characters, and symbolic links
never lead out of the input tree or the output directory."""

from __future__ import annotations

import json

import pytest

from translator.batch import OutputConflict
from translator.batch.inputs import ArticleItem, BadItem, TextDirectoryInput, parse_article_line, parse_text_file
from translator.batch.outputs import plan_outputs
from translator.editorial.ids import MAX_ID_LENGTH, id_problem


def _line(**record) -> bytes:
    return json.dumps({"title": "T", "body": "B", **record}).encode()


@pytest.mark.parametrize(("article_id", "problem"), [
    ("a\x00b", "article id holds a control character (U+0000 at 1)"),
    ("esc\x1b[1m", "article id holds a control character (U+001B at 3)"),
    ("x" * (MAX_ID_LENGTH + 1), f"article id too long: {MAX_ID_LENGTH + 1} characters (at most {MAX_ID_LENGTH})"),
    ("story/translations/fr", "article id cannot start with '/' or end in /translations/<lang> "
                              "(the API could not address it)"),
])
def test_batch_refuses_ids_the_api_could_never_address(article_id, problem):
    item = parse_article_line(_line(id=article_id), line=1, position=0)
    assert isinstance(item, BadItem) and item.error == problem
    assert id_problem("2024/cyclone.txt") is None and id_problem("x" * MAX_ID_LENGTH) is None


def test_batch_refuses_control_characters_in_title_and_body():
    item = parse_article_line(_line(id="a1", body="<p>\u0004x</p>"), line=1, position=0)
    assert isinstance(item, BadItem)
    assert item.error == "'body': control character U+0004 at offset 3"
    item = parse_text_file("Title\n\nBody with a bell\x07.", "a.txt", 0)
    assert isinstance(item, BadItem) and item.error == "control character U+0007 at offset 23"
    assert isinstance(parse_text_file("Title\n\nTabs\tare fine.\r\n", "b.txt", 0), ArticleItem)


def test_symbolic_links_never_lead_out_of_the_input_directory(tmp_path):
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "passwords.txt").write_text("Passwords\n\nhunter2", encoding="utf-8")
    root = tmp_path / "in"
    root.mkdir()
    (root / "story.txt").write_text("Story\n\nBody.", encoding="utf-8")
    (root / "leak.txt").symlink_to(outside / "passwords.txt")
    (root / "alias.txt").symlink_to(root / "story.txt")   # a link inside the tree is fine
    source = TextDirectoryInput.from_path(root)
    assert sorted(item.path for item in source.items) == ["alias.txt", "story.txt"]


def test_outputs_are_never_written_through_a_link_out_of_the_output_directory(tmp_path):
    root = tmp_path / "in"
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "story.txt").write_text("Story\n\nBody.", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "2024").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputConflict, match="would be written through a symbolic link out of --out"):
        plan_outputs([TextDirectoryInput.from_path(root)], out)
