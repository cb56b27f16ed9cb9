"""Batch translation of HTML articles: JSON Lines with ``"format": "html"`` and ``.html``/``.htm`` files."""

from __future__ import annotations

import pytest

from tests.aligning_fakes import WordEngine, shout
from tests.batch_helpers import read_jsonl, write_jsonl
from translator.service.articles import ArticleService
from translator.batch import SilentProgress, open_input, run_batch
from translator.batch.inputs import BadItem, parse_text_file
from translator.pipeline.translator import Translator
from translator.store import open_store


@pytest.fixture
def service(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    service = ArticleService(store, Translator(WordEngine(shout), memory=store))
    yield service
    service.shutdown()
    store.close()


def test_jsonl_html_articles_come_back_as_sanitised_french_html(tmp_path, service):
    source = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "h", "title": "Storm", "body": '<p>Stay <a href="/x">home</a></p><script>x()</script>',
         "format": "html"},
        {"id": "t", "title": "Plain", "body": "One.\n\nTwo."},
    ])
    report = run_batch([open_input(str(source))], tmp_path / "out", service)
    assert report.exit_code == 0
    lines = read_jsonl(tmp_path / "out" / "in.fr.jsonl")
    assert [(line["title"], line["body"], line["status"]) for line in lines] == [
        ("STORM", '<p>STAY <a href="/x">HOME</a></p>', "ok"), ("PLAIN", "ONE.\n\nTWO.", "ok")]
    assert service.get("h").format == "html"


def test_html_files_take_their_title_from_h1_or_title_and_give_french_documents(tmp_path, service):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text('<!DOCTYPE html><html><head><title>Site name</title></head><body>'
                                 '<h1>Storm <em>nears</em></h1><p>Read <a href="/more">more</a></p></body></html>')
    (site / "b.htm").write_text("<html><head><title>Only a title</title></head><body><p>Body</p></body></html>")
    (site / "c.html").write_text("<p>No heading at all</p>")
    report = run_batch([open_input(str(site))], tmp_path / "out", service, progress=SilentProgress())
    out = tmp_path / "out"
    assert (out / "a.html").read_text() == (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>STORM NEARS</title>\n</head>\n'
        '<body>\n<h1>STORM <em>NEARS</em></h1><p>READ <a href="/more">MORE</a></p>\n</body>\n</html>\n')
    assert "<title>ONLY A TITLE</title>" in (out / "b.htm").read_text()
    assert service.get("a.html").title == "Storm nears"
    assert [e["error"] for e in report.errors] == ["no <h1> or <title> to use as the title"]
    assert not (out / "c.html").exists()


def test_an_html_file_without_a_title_is_a_bad_item():
    assert isinstance(parse_text_file("<p>x</p>", "x.html", 0), BadItem)
    item = parse_text_file("<h1>T</h1><p>x</p>", "x.html", 0)
    assert (item.title, item.body, item.format) == ("T", "<h1>T</h1><p>x</p>", "html")
