"""/v1/glossary and the glossary in /v1/translate and article translations (Flask client, real SQLite
store, fake engines, spec-checked responses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import EchoEngine
from tests.web.test_articles_api import poll_translation
from translator.glossary import Glossary

KEY = "glossary-editor-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
FILE_ENTRIES = [("Vladimir Putin", "Vladimir Poutine", ""), ("Beijing", "Pékin", ""),
                ("Port Louis", "Port-Louis", "ci")]


@pytest.fixture
def glossary_file(tmp_path) -> Path:
    path = tmp_path / "en-fr.tsv"
    path.write_text("# test glossary\n" + "".join(f"{s}\t{t}\t{f}\n" if f else f"{s}\t{t}\n"
                                                   for s, t, f in FILE_ENTRIES), encoding="utf-8")
    return path


@pytest.fixture
def client(make_client, glossary_file):
    return make_client(glossary=glossary_file, api_keys=(KEY,))


def expected(entries) -> Glossary:
    return Glossary.from_pairs(entries)


def entry(source: str, target: str, flags=()) -> dict:
    return {"source": source, "target": target, "flags": list(flags)}


# -- GET ------------------------------------------------------------------------------------------

def test_get_lists_the_file_entries_and_their_version(client):
    response = client.get("/v1/glossary")
    assert response.status_code == 200
    assert response.get_json() == {"version": expected(FILE_ENTRIES).version, "entries": [
        entry("Vladimir Putin", "Vladimir Poutine"), entry("Beijing", "Pékin"),
        entry("Port Louis", "Port-Louis", ["ci"])]}


def test_without_a_file_or_edits_the_glossary_is_empty(make_client):
    assert make_client().get("/v1/glossary").get_json() == {"version": "", "entries": []}


# -- PUT and DELETE -------------------------------------------------------------------------------

def test_put_adds_then_changes_an_entry_and_the_version_follows(client):
    response = client.put("/v1/glossary/entries/Xi%20Jinping", json={"target": "Xi Jinping"}, headers=AUTH)
    added = expected([*FILE_ENTRIES, ("Xi Jinping", "Xi Jinping")])
    assert (response.status_code, response.get_json()) == (201, {"version": added.version,
                                                                 "entry": entry("Xi Jinping", "Xi Jinping")})
    response = client.put("/v1/glossary/entries/Beijing", json={"target": "Beijing", "flags": ["ci"]}, headers=AUTH)
    changed = added.with_entries([("Beijing", "Beijing", "ci")])
    assert (response.status_code, response.get_json()) == (200, {"version": changed.version,
                                                                 "entry": entry("Beijing", "Beijing", ["ci"])})
    listed = client.get("/v1/glossary").get_json()
    assert listed["version"] == changed.version
    assert sorted(e["source"] for e in listed["entries"]) == ["Beijing", "Port Louis", "Vladimir Putin", "Xi Jinping"]
    assert entry("Beijing", "Beijing", ["ci"]) in listed["entries"]
    # The same entry again changes nothing.
    again = client.put("/v1/glossary/entries/Beijing", json={"target": "Beijing", "flags": ["CI"]}, headers=AUTH)
    assert (again.status_code, again.get_json()["version"]) == (200, changed.version)


def test_delete_removes_file_entries_and_edits_then_404(client):
    client.put("/v1/glossary/entries/Xi%20Jinping", json={"target": "Xi Jinping"}, headers=AUTH)
    for source in ("Xi%20Jinping", "Beijing"):
        response = client.delete(f"/v1/glossary/entries/{source}", headers=AUTH)
        assert (response.status_code, response.data, response.content_type) == (204, b"", None)
    assert client.get("/v1/glossary").get_json() == {
        "version": expected([FILE_ENTRIES[0], FILE_ENTRIES[2]]).version,
        "entries": [entry("Vladimir Putin", "Vladimir Poutine"), entry("Port Louis", "Port-Louis", ["ci"])]}
    response = client.delete("/v1/glossary/entries/Beijing", headers=AUTH)
    assert (response.status_code, response.get_json()) == (404, {"error": {
        "code": "not_found", "message": "no glossary entry for 'Beijing'"}})
    # Exact source only: "port louis" matches Port Louis (ci) in text but is not its source.
    assert client.delete("/v1/glossary/entries/port%20louis", headers=AUTH).status_code == 404


def test_a_source_may_contain_a_slash(client):
    response = client.put("/v1/glossary/entries/AC%2FDC", json={"target": "AC/DC"}, headers=AUTH)
    assert (response.status_code, response.get_json()["entry"]) == (201, entry("AC/DC", "AC/DC"))
    assert client.delete("/v1/glossary/entries/AC%2FDC", headers=AUTH).status_code == 204


@pytest.mark.parametrize("source, body, message", [
    ("Paris", {"target": " Paris"}, "invalid glossary entry: leading or trailing spaces in target term ' Paris'"),
    ("Paris%20", {"target": "Paris"}, "invalid glossary entry: leading or trailing spaces in source term 'Paris '"),
    ("Pa%E2%80%8Bris", {"target": "Paris"}, "invalid glossary entry: control character in source term 'Pa\\u200bris'"),
    ("Paris", {"target": "Pa\tris"}, "invalid glossary entry: control character in target term 'Pa\\tris'"),
    ("%20", {"target": "x"}, "invalid glossary entry: empty source term"),
    ("Paris", {"target": "   "}, "invalid glossary entry: empty target term"),
    ("--", {"target": "x"}, "invalid glossary entry: source term '--' has no letter or digit"),
    ("Paris", {"target": "Paris", "flags": ["cs"]}, "invalid glossary entry: unknown flag(s) cs (known: ci)"),
    ("Paris", {"target": ""}, "target: must not be empty"),
    ("Paris", {}, "missing required field 'target'"),
    ("Paris", {"target": "Paris", "flags": "ci"}, "flags: expected a list of strings, got a string"),
    ("Paris", {"target": "Paris", "source": "Paris"},
     "unknown field 'source' in request body; allowed: flags, target"),
])
def test_invalid_entries_are_400_and_change_nothing(client, source, body, message):
    response = client.put(f"/v1/glossary/entries/{source}", json=body, headers=AUTH)
    assert (response.status_code, response.get_json()) == (400, {"error": {"code": "bad_request",
                                                                            "message": message}})
    assert client.get("/v1/glossary").get_json()["version"] == expected(FILE_ENTRIES).version


def test_an_entry_clashing_with_another_is_409(client):
    client.put("/v1/glossary/entries/Foo", json={"target": "Fou", "flags": ["ci"]}, headers=AUTH)
    response = client.put("/v1/glossary/entries/foo", json={"target": "Phou"}, headers=AUTH)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert response.get_json()["error"]["message"].startswith("'foo' conflicts with another entry: ")


def test_edits_need_the_key_and_reads_do_not(client):
    for method in ("PUT", "DELETE"):
        assert client.open("/v1/glossary/entries/Beijing", method=method, json={"target": "B"}).status_code == 401
        assert client.open("/v1/glossary/entries/Beijing", method=method, json={"target": "B"},
                           headers={"Authorization": "Bearer nope"}).status_code == 403
    assert client.get("/v1/glossary").get_json()["version"] == expected(FILE_ENTRIES).version


def test_edits_are_persisted_for_the_next_process_and_seen_by_other_instances(make_client, glossary_file):
    first = make_client(glossary=glossary_file)
    second = make_client(glossary=glossary_file)  # another instance on the same store
    first.put("/v1/glossary/entries/Beijing", json={"target": "Beijing"})
    version = first.get("/v1/glossary").get_json()["version"]
    assert second.get("/v1/glossary").get_json()["version"] == version  # GET always reads the edits
    restarted = make_client(glossary=glossary_file)
    assert restarted.get("/v1/glossary").get_json()["version"] == version
    assert entry("Beijing", "Beijing") in restarted.get("/v1/glossary").get_json()["entries"]


# -- the glossary in translations -----------------------------------------------------------------

def translate(client, **body):
    response = client.post("/v1/translate", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["translations"][0]


def test_translate_applies_the_live_glossary_and_reports_it(client):
    text = "Vladimir Putin visited Beijing."
    assert translate(client, text=text) == {
        "text": "FR(Vladimir Poutine visited Pékin.)", "status": "ok",
        "glossary": {"applied": [{"source": "Vladimir Putin", "target": "Vladimir Poutine", "start": 0, "end": 14,
                                  "target_start": 3, "target_end": 19, "paragraph": 0},
                                 {"source": "Beijing", "target": "Pékin", "start": 23, "end": 30,
                                  "target_start": 28, "target_end": 33, "paragraph": 0}],
                     "missed": [], "unlisted": []}}
    client.put("/v1/glossary/entries/Beijing", json={"target": "Beijing"}, headers=AUTH)
    assert translate(client, text=text)["text"] == "FR(Vladimir Poutine visited Beijing.)"
    assert translate(client, text=text, glossary=False) == {"text": "FR(Vladimir Putin visited Beijing.)",
                                                            "status": "ok",
                                                            "glossary": {"applied": [], "missed": [], "unlisted": []}}


def test_an_edit_made_by_another_instance_reaches_translations_after_max_age(make_client, glossary_file):
    here, there = make_client(glossary=glossary_file), make_client(glossary=glossary_file)
    assert translate(here, text="Beijing spoke.")["text"] == "FR(Pékin spoke.)"
    there.put("/v1/glossary/entries/Beijing", json={"target": "Beijing"})
    here.application.extensions["translator"].glossary.max_age = 0  # instead of waiting 2 seconds
    assert translate(here, text="Beijing spoke.")["text"] == "FR(Beijing spoke.)"


def test_request_entries_apply_to_that_request_only(client):
    body = {"text": "Xi Jinping met Beijing officials.",
            "glossary_entries": [{"source": "Xi Jinping", "target": "Xi Jinping"},
                                 {"source": "beijing", "target": "Beijing", "flags": ["ci"]}]}
    assert translate(client, **body) == {
        "text": "FR(Xi Jinping met Beijing officials.)", "status": "ok",
        "glossary": {"applied": [{"source": "Xi Jinping", "target": "Xi Jinping", "start": 0, "end": 10,
                                  "target_start": 3, "target_end": 13, "paragraph": 0},
                                 {"source": "beijing", "target": "Beijing", "start": 15, "end": 22,
                                  "target_start": 18, "target_end": 25, "paragraph": 0}],
                     "missed": [], "unlisted": []}}
    assert translate(client, text=body["text"])["text"] == "FR(Xi Jinping met Pékin officials.)"
    assert client.get("/v1/glossary").get_json()["version"] == expected(FILE_ENTRIES).version


@pytest.mark.parametrize("body, message", [
    ({"glossary_entries": [{"source": "X ", "target": "Y"}]},
     "glossary_entries: glossary entry 1 ('X '): leading or trailing spaces in source term 'X '"),
    ({"glossary_entries": [{"source": "A", "target": "B"}, {"source": "A", "target": "C"}]},
     "glossary_entries: glossary source 'A' has two targets: 'B' and 'C'"),
    ({"glossary_entries": [{"source": "A"}]}, "missing required field 'target' in glossary_entries[0]"),
    ({"glossary_entries": [{"source": "A", "target": "B", "note": "x"}]},
     "unknown field 'note' in glossary_entries[0]; allowed: flags, source, target"),
    ({"glossary_entries": [{"source": "A", "target": "B"}], "glossary": False},
     'glossary_entries cannot be used with "glossary": false'),
    ({"glossary_entries": [{"source": f"A{i}", "target": "B"} for i in range(101)]},
     "glossary_entries: at most 100 items, got 101"),
])
def test_bad_request_entries_are_400(client, body, message):
    response = client.post("/v1/translate", json={"text": "A spoke.", **body})
    assert (response.status_code, response.get_json()["error"]["message"]) == (400, message)


def test_the_spec_says_glossary_entries_with_glossary_false_is_a_400():
    from translator.web.openapi import load_spec

    refused = load_spec()["paths"]["/v1/translate"]["post"]["responses"]["400"]["description"]
    assert '`glossary_entries` sent with\n`"glossary": false`' in refused


def test_a_glossary_edit_makes_stored_article_translations_stale(make_client, glossary_file):
    engine = EchoEngine()
    client = make_client(engine, glossary=glossary_file, api_keys=(KEY,))
    body = "Beijing hosted the talks.\n\nThe talks ended on Monday."
    client.put("/v1/articles/a1", json={"title": "Talks", "body": body}, headers=AUTH)
    first = poll_translation(client, "/v1/articles/a1/translations/fr").get_json()
    assert first["paragraphs"] == ["FR(Pékin hosted the talks.)", "FR(The talks ended on Monday.)"]
    assert first["glossary_version"] == expected(FILE_ENTRIES).version

    version = client.put("/v1/glossary/entries/Beijing", json={"target": "Beijing"}, headers=AUTH).get_json()["version"]
    assert client.get("/v1/articles/a1/translations/fr").status_code == 202  # stale: translated again
    second = poll_translation(client, "/v1/articles/a1/translations/fr").get_json()
    assert second["glossary_version"] == version
    assert second["paragraphs"] == ["FR(Beijing hosted the talks.)", "FR(The talks ended on Monday.)"]
    # Only the segment with the changed term went to the model again.
    assert second["segments"] == {"total": 3, "from_memory": 2, "translated": 1, "unchanged": 0, "failed": 0}
    assert engine.calls[-1] == ["Beijing hosted the talks."]
