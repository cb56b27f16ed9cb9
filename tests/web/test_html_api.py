"""``format: "html"`` over HTTP (Flask test client, spec-checked): translate, article PUT, the
translations endpoint, the French page; XSS in the English is inert everywhere."""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup

from tests.aligning_fakes import WordEngine, shout
from tests.test_html_sanitize import XSS_VECTORS, _assert_inert
from translator.html import sanitize
from tests.web.conftest import SpecCheckingClient
from translator.web import create_app

BODY = ('<h2>Cyclone <em>Belal</em> nears</h2>'
        '<p>According to <a href="https://www.reuters.com/x">Reuters</a> it is <strong>very strong</strong> now.</p>'
        '<script>alert("x")</script>'
        '<figure><img src="/map.png" alt="A map"><figcaption>The storm</figcaption></figure>')
FRENCH = ('<h2>CYCLONE <em>BELAL</em> NEARS</h2>'
          '<p>ACCORDING TO <a href="https://www.reuters.com/x">REUTERS</a> IT IS <strong>VERY STRONG</strong> NOW.</p>'
          '<figure><img src="/map.png" alt="A MAP"><figcaption>THE STORM</figcaption></figure>')
FRENCH_BLOCKS = ['<h2>CYCLONE <em>BELAL</em> NEARS</h2>',
                 '<p>ACCORDING TO <a href="https://www.reuters.com/x">REUTERS</a> IT IS <strong>VERY STRONG</strong> NOW.</p>',
                 '<figcaption>THE STORM</figcaption>']


def _ready(client, url: str):
    """GET ``url`` until the background translation is done (200); polling as the widget does."""
    for _ in range(400):
        response = client.get(url)
        if response.status_code != 202:
            break
        time.sleep(0.05)
    assert response.status_code == 200
    return response


@pytest.fixture
def engine():
    return WordEngine(shout)


@pytest.fixture
def app(make_services, engine):
    return create_app({"TESTING": True}, runtime=make_services(engine))


def _api(app) -> SpecCheckingClient:
    """A client whose every answer is checked against the served OpenAPI document (pages are not in it)."""
    return SpecCheckingClient(app, app.response_class)


def test_translate_accepts_html_and_answers_sanitised_french_html(app):
    response = _api(app).post("/v1/translate", json={"text": [BODY, "<p>Two <b>words</b></p>"],
                                                             "format": "html"})
    assert response.status_code == 200
    assert [t["text"] for t in response.get_json()["translations"]] == [FRENCH, "<p>TWO <b>WORDS</b></p>"]


def test_xss_in_the_english_is_inert_in_the_api_answer(app):
    response = _api(app).post("/v1/translate", json={"text": [f"<p>Hello {v} there</p>" for v in XSS_VECTORS],
                                                     "format": "html"})
    assert response.status_code == 200
    for translation in response.get_json()["translations"]:
        _assert_inert(translation["text"])
        assert sanitize(translation["text"]) == translation["text"]


def test_html_article_put_translation_and_french_page(app, engine):
    client, pages = _api(app), app.test_client()
    put = client.put("/v1/articles/storm", json={"title": "Storm <b>warning</b>", "body": BODY, "format": "html",
                                                 "url": "https://news.example.mu/storm"})
    assert put.status_code == 201
    response = _ready(client, "/v1/articles/storm/translations/fr")
    data = response.get_json()
    assert (data["title"], data["body"], data["paragraphs"], data["format"]) == (
        "STORM <B>WARNING</B>", FRENCH, FRENCH_BLOCKS, "html")
    assert data["source_blocks"] == ["Cyclone Belal nears", "According to Reuters it is very strong now.", "The storm"]
    assert client.get("/v1/articles/storm").get_json()["format"] == "html"

    page = pages.get("/articles/storm/fr")
    assert page.status_code == 200
    doc = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    body = doc.select_one("#article-body")
    assert [a["href"] for a in body.find_all("a")] == ["https://www.reuters.com/x"]
    assert body.select_one("h2").get_text() == "CYCLONE BELAL NEARS"
    assert body.select_one("figcaption").get_text() == "THE STORM"
    assert body.find("script") is None and doc.find("script") is None
    assert doc.select_one("#article-title").get_text() == "STORM <B>WARNING</B>"  # the title is plain text

    # A new version that only changes an href: the French comes from the memory, the model is not called.
    engine.calls.clear()
    edited = BODY.replace("https://www.reuters.com/x", "https://www.reuters.com/y")
    assert client.put("/v1/articles/storm?translate=false", json={"title": "Storm <b>warning</b>", "body": edited,
                                                                  "format": "html"}).status_code == 200
    response = _ready(client, "/v1/articles/storm/translations/fr")
    assert response.get_json()["body"] == FRENCH.replace("https://www.reuters.com/x", "https://www.reuters.com/y")
    assert response.get_json()["version"] == 2
    assert engine.calls == []


def test_xss_in_an_html_article_is_inert_on_the_french_page(app):
    client = _api(app)
    body = "".join(f"<p>Item {i} {vector}</p>" for i, vector in enumerate(XSS_VECTORS))
    assert client.put("/v1/articles/xss?translate=false", json={"title": "<script>alert(1)</script>", "body": body,
                                                                "format": "html"}).status_code == 201
    page = _ready(app.test_client(), "/articles/xss/fr")
    html = page.get_data(as_text=True)
    doc = BeautifulSoup(html, "html.parser")
    assert doc.find("script") is None
    _assert_inert("".join(str(node) for node in doc.select_one("#article-body").contents))
    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in str(doc.select_one("#article-title"))


def test_control_characters_in_html_are_refused_with_400_not_a_500(app):
    """Found by the fuzzer: lxml cannot hold C0 controls. Refused at the door (issue 26: one rule for
    every text field, text/control.py), never a 500 and never silently changed."""
    response = _api(app).post("/v1/translate", json={"text": "<p>Port\u0001 Louis\u0000</p>", "format": "html"})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == (
        "text: control character U+0001 at offset 7; only tab, newline and carriage return are allowed")


def test_text_outside_any_block_is_translated_and_html_sent_as_text_gets_a_warning(app):
    """Before: top-level text and text directly inside a div came back in English with status ok."""
    client = _api(app)
    response = client.post("/v1/translate", json={"format": "html", "text": [
        "Fishermen stayed home.", "<div>Loose <b>words</b><p>A paragraph.</p>and a tail</div>"]})
    assert response.status_code == 200
    assert [(t["text"], t["status"]) for t in response.get_json()["translations"]] == [
        ("FISHERMEN STAYED HOME.", "ok"), ("LOOSE <b>WORDS</b><p>A PARAGRAPH.</p>AND A TAIL", "ok")]
    assert all("warnings" not in t for t in response.get_json()["translations"])

    as_text = client.post("/v1/translate", json={"text": ["<p>Storm <b>warning</b></p>", "a < b > c"]})
    assert as_text.status_code == 200
    first, second = as_text.get_json()["translations"]
    assert first["text"] == "<P>STORM <B>WARNING</B></P>"  # tags are text: translated as they are
    assert first["warnings"] == ["the text looks like HTML; send format html to keep its markup"]
    assert "warnings" not in second
