"""The French page for editors and search engines: the machine-translation notice, canonical and
alternate links, and flagged segments shown to keyed callers only."""

from __future__ import annotations

from tests.fakes import FunctionEngine
from tests.web.test_pages import make_app, page, translated  # noqa: F401  (make_app is a fixture)

SECRET = "desk-secret"
KEYS = (f"desk={SECRET}",)
AUTH = {"Authorization": f"Bearer {SECRET}"}
URL = "https://news.example.mu/2024/budget"
GOOD = "The minister spoke on Monday."
BAD = "Inflation rose 3.5 percent in May, the statistics office said."


def sloppy(text: str) -> str:
    return f"FR({text.replace('3.5', '4.5')})"


def test_notice_canonical_and_alternate_links(make_app):
    app, services = make_app(api_keys=KEYS)
    translated(services, "budget", title="Budget", body=GOOD, url=URL)
    response = app.test_client().get("/articles/budget/fr")
    doc = page(response)
    notice = doc.select_one("#mt-notice")
    assert (notice.get_text(), notice["data-reviewed"]) == ("Traduction automatique", "false")
    assert doc.select_one('link[rel="canonical"]')["href"] == "http://localhost/articles/budget/fr"
    assert doc.select_one('link[rel="alternate"][hreflang="en"]')["href"] == URL
    assert doc.select_one('link[rel="alternate"][hreflang="fr"]')["href"] == "http://localhost/articles/budget/fr"
    versioned = page(app.test_client().get("/articles/budget/fr?version=1&review=0"))
    assert versioned.select_one('link[rel="canonical"]')["href"] == "http://localhost/articles/budget/fr?version=1"

    # Every segment approved: the notice says the newsroom reviewed it.
    client = app.test_client()
    for index in (0, 1):
        assert client.post(f"/v1/articles/budget/translations/fr/segments/{index}/approve",
                           headers=AUTH).status_code == 200
    reviewed = page(client.get("/articles/budget/fr")).select_one("#mt-notice")
    assert (reviewed.get_text(), reviewed["data-reviewed"]) == ("Traduction automatique relue par la rédaction",
                                                                "true")


def test_no_english_alternate_without_a_safe_url(make_app):
    app, services = make_app()
    translated(services, "nourl", title="Budget", body=GOOD, url="javascript:alert(1)")
    doc = page(app.test_client().get("/articles/nourl/fr"))
    assert doc.select('link[rel="alternate"][hreflang="en"]') == []


def test_flagged_segments_are_shown_to_keyed_callers_only(make_app):
    app, services = make_app(FunctionEngine(sloppy, identity="sloppy"), api_keys=KEYS)
    translated(services, "infl", title="Budget", body=f"{GOOD}\n\n{BAD}", url=URL)
    client = app.test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        anonymous = client.get("/articles/infl/fr?review=1", headers=headers)
        assert anonymous.status_code == 200
        doc = page(anonymous)
        assert doc.select("#review") == [] and doc.select("p.flagged") == []
    assert page(client.get("/articles/infl/fr", headers=AUTH)).select("#review") == []  # no ?review=1

    editor = client.get("/articles/infl/fr?review=1", headers=AUTH)
    assert editor.headers["Cache-Control"] == "private, no-store"
    doc = page(editor)
    items = doc.select("#review li")
    assert [(li["data-index"], li["data-flags"]) for li in items] == [("2", "number_missing")]
    assert items[0].select_one(".source").get_text() == BAD
    assert items[0].select_one(".flags").get_text() == "nombre modifié"
    assert [p.get_text() for p in doc.select("#article-body p.flagged")] == [sloppy(BAD).replace("4.5", "4,5")]
