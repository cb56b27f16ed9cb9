"""Honest statuses: an article with a segment kept in English is "partial" everywhere (batch lines
with segment counts, the translations endpoint, the French page), ``translator translate`` says
on stderr when terms were missed or segments failed, and the log names the article and version."""

from __future__ import annotations

import logging

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask.testing import FlaskClient

from tests.batch_helpers import read_jsonl, write_jsonl
from tests.fakes import FunctionEngine
from tests.web.conftest import SpecCheckingClient
from translator.service.articles import ArticleService
from translator.batch import open_input, run_batch
from translator.cli.translate import problem_summary
from translator.glossary import Glossary
from translator.pipeline.translator import Translator
from translator.web import create_app

GLOSSARY = Glossary.from_pairs([("Vladimir Putin", "Vladimir Poutine")])


def half_failing(text: str) -> str:
    """French for every segment except those mentioning "fails", which come back empty."""
    return "" if "fails" in text else f"FR({text})"


@pytest.fixture
def service(sqlite_store):
    built = ArticleService(sqlite_store, Translator(FunctionEngine(half_failing), glossary=GLOSSARY,
                                                    memory=sqlite_store))
    yield built
    built.shutdown()


def test_a_batch_line_with_a_segment_kept_in_english_is_partial_and_carries_its_counts(tmp_path, service,
                                                                                         caplog):
    records = [{"id": "p", "title": "Talks", "body": "Vladimir Putin fails to show.\n\nTalks went on."},
               {"id": "o", "title": "Fine", "body": "All went well."}]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    with caplog.at_level(logging.WARNING, logger="translator.service.articles"):
        run_batch([open_input(str(source))], tmp_path / "out", service)
    partial, ok = read_jsonl(tmp_path / "out" / "in.fr.jsonl")
    assert (partial["status"], ok["status"]) == ("partial", "ok")
    assert partial["segments"] == {"total": 3, "from_memory": 0, "translated": 2, "unchanged": 0, "failed": 1}
    assert partial["body"] == "Vladimir Putin fails to show.\n\nFR(Talks went on.)"
    assert partial["glossary"]["missed"] == [
        {"source": "Vladimir Putin", "target": "Vladimir Poutine", "start": 0, "end": 14, "paragraph": 0,
         "part": "body", "reason": "segment not translated"}]
    assert partial["glossary"]["applied"] == []
    assert ("article p version 1 (fr): 1 of 3 segment(s) not translated, English kept"
            in [r.getMessage() for r in caplog.records])


def test_the_translations_endpoint_and_the_french_page_say_partial(make_services):
    services = make_services(FunctionEngine(half_failing))
    app = create_app({"TESTING": True}, runtime=services)
    app.test_client_class = SpecCheckingClient
    articles = services.articles()
    version = articles.put("p1", title="Talks", body="It fails here.\n\nIt works there.").version
    articles.translate("p1", version)
    client = app.test_client()
    body = client.get("/v1/articles/p1/translations/fr").get_json()
    assert body["status"] == "partial" and body["segments"]["failed"] == 1
    pages = FlaskClient(app, app.response_class)   # the HTML pages are not API operations
    page = BeautifulSoup(pages.get("/articles/p1/fr").get_data(as_text=True), "html.parser")
    notice = page.select_one("#partial-notice")
    assert " ".join(notice.get_text().split()) == (
        "Traduction partielle : 1 passage n'a pas pu être traduit et reste en anglais.")

    version = articles.put("ok1", title="Talks", body="It works there.").version
    articles.translate("ok1", version)
    assert client.get("/v1/articles/ok1/translations/fr").get_json()["status"] == "ok"
    page = BeautifulSoup(pages.get("/articles/ok1/fr").get_data(as_text=True), "html.parser")
    assert page.select_one("#partial-notice") is None


def test_the_translate_api_gives_each_text_its_status_and_repair_false_only_reports(make_services):
    services = make_services(FunctionEngine(lambda t: "" if "fails" in t else t.replace("Poutine", "Putin")))
    app = create_app({"TESTING": True}, runtime=services)
    app.test_client_class = SpecCheckingClient
    client = app.test_client()
    response = client.post("/v1/translate", json={
        "text": ["It fails.", "Vladimir Putin spoke."], "glossary_entries": [
            {"source": "Vladimir Putin", "target": "Vladimir Poutine"}]})
    first, second = response.get_json()["translations"]
    assert (first["status"], second["status"]) == ("partial", "ok")
    assert second["text"] == "Vladimir Poutine spoke."       # the English form left in place: repaired
    response = client.post("/v1/translate", json={
        "text": "Vladimir Putin spoke.", "repair": False,
        "glossary_entries": [{"source": "Vladimir Putin", "target": "Vladimir Poutine"}]})
    [only] = response.get_json()["translations"]
    assert only["text"] == "Vladimir Putin spoke."
    assert only["glossary"]["missed"][0]["reason"] == "not found"


def test_the_summary_line_names_missed_terms_and_failed_segments():
    translator = Translator(FunctionEngine(lambda t: "" if "fails" in t else "Il a parlé."), glossary=GLOSSARY)
    results = translator.translate_texts(["Vladimir Putin spoke.", "It fails.\n\nFine."])
    assert problem_summary(results) == ("warning: 1 glossary term(s) missed (Vladimir Putin); "
                                        "1 of 3 segment(s) not translated (English kept)")
    clean = Translator(FunctionEngine(lambda t: t), glossary=GLOSSARY).translate_texts(["Vladimir Putin spoke."])
    assert problem_summary(clean) == ""


def test_translate_prints_the_summary_on_stderr_with_the_exit_status_unchanged(tiny_model_dir, tmp_path):
    from translator.cli import main

    glossary = tmp_path / "g.tsv"
    glossary.write_text("Zorblax Quintrell\tZorblax Quintrell\n", encoding="utf-8")
    env = {"TRANSLATOR_MODEL": str(tiny_model_dir), "TRANSLATOR_DATA_DIR": str(tmp_path / "data"),
           "TRANSLATOR_THREADS": "1", "TRANSLATOR_GLOSSARY": str(glossary), "TRANSLATOR_STORE": None}
    result = CliRunner().invoke(main, ["translate", "--no-repair"], input="Zorblax Quintrell said no.", env=env,
                                catch_exceptions=False)
    assert result.exit_code == 0
    missed = "Zorblax Quintrell" not in result.stdout
    assert (result.stderr == "warning: 1 glossary term(s) missed (Zorblax Quintrell)\n") == missed
    assert result.stderr == "" or missed
