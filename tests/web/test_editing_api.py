"""Editors at work over HTTP: units, corrections that stick, approvals, DELETE, the review list.

Real stores (a SQLite file, the Redis server), fake engines, every response checked against the
served OpenAPI document.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.fakes import EchoEngine, FunctionEngine, ScoredEngine
from tests.web.test_articles_api import poll_translation
from translator.store import open_store

SECRET = "s3cret-desk-key"
KEYS = (f"desk={SECRET}",)
AUTH = {"Authorization": f"Bearer {SECRET}"}

TITLE = "Budget vote delayed"
P1 = "The minister spoke on Monday."
P2 = "Parliament will vote next week."
P3 = "Unions called a strike."
FIX = "Le ministre s’est exprimé lundi."


def fr(text: str) -> str:
    return f"FR({text})"


def put_article(client, article_id: str, body: str, title: str = TITLE):
    response = client.put(f"/v1/articles/{article_id}", json={"title": title, "body": body}, headers=AUTH)
    assert response.status_code in (200, 201)
    return response.get_json()["version"]


def translation(client, article_id: str) -> dict:
    response = poll_translation(client, f"/v1/articles/{article_id}/translations/fr")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def unit(index, paragraph, source, target, origin="machine", flags=()):
    return {"index": index, "paragraph": paragraph, "source": source, "target": target, "origin": origin,
            "score": None, "flags": list(flags)}


def segment_url(article_id: str, index: int) -> str:
    return f"/v1/articles/{article_id}/translations/fr/segments/{index}"


def test_a_correction_sticks_across_versions_articles_engines_and_delete_restores(store_url, make_client):
    client = make_client(EchoEngine(), store=store_url, api_keys=KEYS)
    put_article(client, "a1", f"{P1}\n\n{P2}")
    first = translation(client, "a1")
    assert first["units"] == [unit(0, None, TITLE, fr(TITLE)), unit(1, 0, P1, fr(P1)), unit(2, 1, P2, fr(P2))]
    assert first["reviewed"] is False

    corrected = client.put(segment_url("a1", 1), json={"target": FIX}, headers=AUTH)
    assert corrected.status_code == 200
    assert corrected.get_json() == {"id": "a1", "version": 1, "lang": "fr",
                                    "unit": unit(1, 0, P1, FIX, "human"), "reviewed": False}
    after = translation(client, "a1")
    assert after["paragraphs"] == [FIX, fr(P2)]
    assert after["body"] == f"{FIX}\n\n{fr(P2)}"
    store = open_store(store_url)
    try:
        [entry] = store.human_entries("fr")
    finally:
        store.close()
    assert (entry.source, entry.target, entry.editor, entry.approved) == (P1, FIX, "desk", False)

    # The next version changes another paragraph: the correction stays.
    assert put_article(client, "a1", f"{P1}\n\n{P3}") == 2
    second = translation(client, "a1")
    assert second["version"] == 2
    assert second["paragraphs"] == [FIX, fr(P3)]
    assert second["units"][1] == unit(1, 0, P1, FIX, "human")

    # Another article with the same sentence gets it too.
    put_article(client, "a2", f"{P3}\n\n{P1}", title="Another story")
    other = translation(client, "a2")
    assert other["paragraphs"] == [fr(P3), FIX]
    assert other["units"][2] == unit(2, 1, P1, FIX, "human")

    # Another engine identity (a model change) still uses it.
    switched = make_client(FunctionEngine(lambda t: f"FR2({t})", identity="other-model"), store=store_url,
                           api_keys=KEYS)
    moved = translation(switched, "a1")
    assert moved["model"] == "other-model"
    assert moved["paragraphs"] == [FIX, f"FR2({P3})"]

    # DELETE: the machine text is back, everywhere.
    removed = switched.delete(segment_url("a1", 1), headers=AUTH)
    assert removed.status_code == 200
    assert removed.get_json()["unit"] == unit(1, 0, P1, f"FR2({P1})", "machine")
    assert translation(switched, "a1")["paragraphs"] == [f"FR2({P1})", f"FR2({P3})"]
    assert translation(client, "a2")["units"][2] == unit(2, 1, P1, fr(P1), "memory")
    assert switched.delete(segment_url("a1", 1), headers=AUTH).status_code == 404


def test_approving_every_unit_makes_the_article_reviewed(store_url, make_client):
    client = make_client(EchoEngine(), store=store_url, api_keys=KEYS)
    put_article(client, "a1", f"{P1}\n\n2024")
    units = translation(client, "a1")["units"]
    assert [u["origin"] for u in units] == ["machine", "machine", "machine"]  # "2024": nothing to translate
    client.put(segment_url("a1", 0), json={"target": "Vote du budget reporté"}, headers=AUTH)
    approved = client.post(segment_url("a1", 1) + "/approve", headers=AUTH)
    assert approved.status_code == 200
    assert approved.get_json() == {"id": "a1", "version": 1, "lang": "fr", "unit": unit(1, 0, P1, fr(P1), "human"),
                                   "reviewed": True}
    done = translation(client, "a1")
    assert done["reviewed"] is True
    assert done["title"] == "Vote du budget reporté"
    # A unit with nothing to translate is not edited.
    nothing = client.post(segment_url("a1", 2) + "/approve", headers=AUTH)
    assert (nothing.status_code, nothing.get_json()["error"]["code"]) == (409, "conflict")


def test_edits_need_the_key_a_ready_translation_and_an_existing_unit(make_client):
    client = make_client(EchoEngine(), api_keys=KEYS)
    put_response = client.put("/v1/articles/a1?translate=false", json={"title": TITLE, "body": P1}, headers=AUTH)
    assert put_response.status_code == 201
    assert client.put(segment_url("a1", 1), json={"target": FIX}).status_code == 401
    assert client.put(segment_url("a1", 1), json={"target": FIX},
                      headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/v1/review").status_code == 401
    not_ready = client.put(segment_url("a1", 1), json={"target": FIX}, headers=AUTH)
    assert (not_ready.status_code, not_ready.get_json()["error"]["code"]) == (409, "translation_not_ready")
    translation(client, "a1")
    missing = client.put(segment_url("a1", 7), json={"target": FIX}, headers=AUTH)
    assert missing.status_code == 404
    assert client.put(segment_url("nope", 0), json={"target": FIX}, headers=AUTH).status_code == 404
    assert client.put(segment_url("a1", 1), json={"target": ""}, headers=AUTH).status_code == 400


def test_review_list_has_the_changed_number_the_missed_glossary_term_and_the_low_score(store_url, make_client,
                                                                                      tmp_path):
    glossary = tmp_path / "en-fr.tsv"
    glossary.write_text("Vladimir Putin\tVladimir Poutine\n", encoding="utf-8")

    def engine(text: str) -> str:
        if "Poutine" in text:
            return "FR(Le président russe a parlé lundi avec ses ministres.)"  # the name is gone
        return fr(text.replace("3.5 percent", "5.3 percent"))

    unsure = "The committee may reconsider its decision next spring."
    client = make_client(ScoredEngine(engine, lambda t: -2.5 if "committee" in t else -0.3, identity="sloppy"),
                         store=store_url, api_keys=KEYS, glossary=glossary, review_score=-1.0)
    number = "Inflation rose 3.5 percent in May, the statistics office said."
    name = "Vladimir Putin spoke on Monday with his ministers."
    put_article(client, "n1", f"{number}\n\n{P1}")
    translation(client, "n1")
    put_article(client, "g1", name)
    translation(client, "g1")
    put_article(client, "s1", unsure)
    translation(client, "s1")

    listed = client.get("/v1/review?lang=fr&limit=50", headers=AUTH)
    assert listed.status_code == 200
    segments = listed.get_json()["segments"]
    assert [(s["article"], s["index"], s["flags"], s["score"]) for s in segments] == [
        ("s1", 1, ["low_score"], -2.5), ("g1", 1, ["glossary_missed"], -0.3), ("n1", 1, ["number_missing"], -0.3)]
    assert segments[2]["source"] == number
    assert segments[2]["target"] == "FR(Inflation rose 5,3 percent in May, the statistics office said.)"
    assert client.get("/v1/review?limit=1", headers=AUTH).get_json()["segments"] == segments[:1]

    # Corrected: it leaves the list.
    client.put(segment_url("n1", 1), json={"target": "L’inflation a progressé de 3,5 % en mai."}, headers=AUTH)
    assert [s["article"] for s in client.get("/v1/review", headers=AUTH).get_json()["segments"]] == ["s1", "g1"]
    assert client.get("/v1/review?limit=0", headers=AUTH).status_code == 400
    assert client.get("/v1/review?lang=xx", headers=AUTH).status_code == 404  # like every unknown language


def test_segment_urls_are_never_an_article_id_and_every_answer_is_in_the_spec(make_client):
    # Ids may hold "/": ".../segments/0" and ".../approve" used to route to the article endpoints
    # (GET gave the English of an article with that id, PUT stored one: 415 without a body).
    client = make_client(EchoEngine(), api_keys=KEYS)
    put_article(client, "a1", P1)
    translation(client, "a1")
    url = segment_url("a1", 0)
    plain = FlaskClient(client.application, client.application.response_class)  # 405s are no operation
    assert plain.get(url, headers=AUTH).status_code == 405
    response = plain.put(url + "/approve", headers=AUTH)
    assert (response.status_code, sorted(response.headers["Allow"].split(", "))) == (405, ["OPTIONS", "POST"])
    missing = client.delete(segment_url("a1", -1), headers=AUTH)
    assert (missing.status_code, missing.get_json()["error"]["code"]) == (404, "not_found")
    unknown = client.put("/v1/articles/a1/translations/xx/segments/0", json={"target": "x"}, headers=AUTH)
    assert (unknown.status_code, unknown.get_json()["error"]["code"], unknown.get_json()["languages"]) == \
        (404, "unknown_language", ["fr"])
    review = client.get("/v1/review?lang=xx", headers=AUTH)
    assert (review.status_code, review.get_json()["languages"]) == (404, ["fr"])
