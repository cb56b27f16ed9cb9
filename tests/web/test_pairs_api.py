"""Several language pairs over HTTP (fake engines): translate, glossary per pair, languages."""

from __future__ import annotations

import pytest

from tests.fakes import EchoEngine, FunctionEngine
from tests.web.conftest import SpecCheckingClient
from translator.web import create_app


@pytest.fixture
def client(make_services, tmp_path):
    de_glossary = tmp_path / "en-de.tsv"
    de_glossary.write_text("Vladimir Putin\tWladimir Putin\n", encoding="utf-8")
    german = FunctionEngine(lambda t: f"DE({t})", identity="de-engine")
    services = make_services(EchoEngine(), engines={"/models/opus-mt-en-de": german},
                             models={"en-de": "/models/opus-mt-en-de"}, glossaries={"en-de": de_glossary})
    app = create_app(runtime=services)
    app.test_client_class = SpecCheckingClient
    return app.test_client()


def test_translate_with_target_lang_uses_that_pairs_model_and_glossary(client):
    response = client.post("/v1/translate", json={"text": "Vladimir Putin spoke.", "target_lang": "de"})
    assert response.status_code == 200
    assert response.get_json() == {
        "translations": [{"text": "DE(Wladimir Putin spoke.)", "status": "ok",
                          "glossary": {"applied": [{"source": "Vladimir Putin", "target": "Wladimir Putin",
                                                    "start": 0, "end": 14, "target_start": 3, "target_end": 17,
                                                    "paragraph": 0}],
                                       "missed": [], "unlisted": []}}],
        "model": "de-engine"}


def test_the_glossary_api_edits_each_pair_separately(client):
    assert [e["source"] for e in client.get("/v1/glossary?pair=en-de").get_json()["entries"]] == ["Vladimir Putin"]
    assert client.put("/v1/glossary/entries/Berlin?pair=en-de", json={"target": "Berlin"}).status_code == 201
    assert [e["source"] for e in client.get("/v1/glossary?pair=en-de").get_json()["entries"]] == [
        "Vladimir Putin", "Berlin"]
    assert client.get("/v1/glossary").get_json() == {"version": "", "entries": []}  # en-fr: untouched
    response = client.post("/v1/translate", json={"text": "Berlin.", "target_lang": "de"})
    assert response.get_json()["translations"][0]["glossary"]["applied"] == [
        {"source": "Berlin", "target": "Berlin", "start": 0, "end": 6, "target_start": 3, "target_end": 9, "paragraph": 0}]
    assert client.delete("/v1/glossary/entries/Berlin?pair=en-de").status_code == 204
    assert client.delete("/v1/glossary/entries/Berlin").status_code == 404


def test_the_glossary_of_a_pair_that_is_not_served_is_404(client):
    response = client.get("/v1/glossary?pair=en-it")
    assert response.status_code == 404
    assert response.get_json() == {"error": {
        "code": "not_found", "message": "language pair 'en-it' is not served; available: en-fr, en-de"}}
    assert client.put("/v1/glossary/entries/X?pair=xx", json={"target": "Y"}).status_code == 404


def test_languages_lists_every_pair_with_its_model_name_never_a_path(client):
    assert client.get("/v1/languages").get_json() == {"pairs": [
        {"source": "en", "target": "fr", "model": "Helsinki-NLP/opus-mt-en-fr", "default": True},
        {"source": "en", "target": "de", "model": "opus-mt-en-de", "default": False}]}


def test_an_unknown_pair_in_translate_is_400_naming_the_served_ones(client):
    response = client.post("/v1/translate", json={"text": "Hi.", "target_lang": "it"})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "language pair 'en-it' is not served; available: en-fr, en-de"


@pytest.mark.parametrize("path, status, heading, message", [
    ("/articles/nobody/de", 404, "Artikel nicht gefunden", "Es gibt keinen Artikel „nobody“."),
    ("/articles/nobody/de?version=abc", 400, "Ungültige Adresse",
     "„abc“ ist keine Versionsnummer (eine ganze Zahl ab 1)."),
    ("/articles/nobody/fr", 404, "Article introuvable", "Aucun article « nobody » n'est enregistré."),
])
def test_error_pages_speak_the_language_of_the_page_asked_for(make_services, tmp_path, path, status, heading,
                                                             message):
    from bs4 import BeautifulSoup

    german = FunctionEngine(lambda t: f"DE({t})", identity="de-engine")
    services = make_services(EchoEngine(), engines={"/models/opus-mt-en-de": german},
                             models={"en-de": "/models/opus-mt-en-de"})
    response = create_app(runtime=services).test_client().get(path)  # pages are not API operations
    assert response.status_code == status
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    lang = path.split("/")[3].split("?")[0]
    assert (page.html["lang"], page.h1.get_text(), page.select_one("#error-message").get_text()) == \
        (lang, heading, message)
