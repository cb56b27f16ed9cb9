"""Control characters are refused at the door: 400 naming the field, in every text and HTML field."""

from __future__ import annotations

import pytest

from translator.text.control import find_control_character


@pytest.mark.parametrize(("text", "offset"), [
    ("a\u0004b", 1), ("\x00", 0), ("tab\there", None), ("lines\r\nend\n", None), ("x\x7f", 1),
    ("\ufffe", 0), ("« é ’ » \u00a0\u202f", None), ("\x1b[31m", 0)])
def test_the_rule(text, offset):
    assert find_control_character(text) == offset


@pytest.mark.parametrize("body", [
    {"text": "a\u0004b", "format": "html"},
    {"text": "a\u0004b"},
    {"text": ["fine", "a\u0004b"]},
])
def test_translate_refuses_a_control_character_with_400(client, body):
    response = client.post("/v1/translate", json=body)
    assert response.status_code == 400
    where = "text[1]" if isinstance(body["text"], list) else "text"
    assert response.get_json()["error"] == {
        "code": "bad_request",
        "message": f"{where}: control character U+0004 at offset 1; only tab, newline and carriage return are allowed"}


def test_an_article_with_a_control_character_is_never_stored(client):
    response = client.put("/v1/articles/bad", json={"title": "Fine", "body": "\u0004<p>Body</p>", "format": "html"})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith("body: control character U+0004 at offset 0")
    assert client.get("/v1/articles/bad").status_code == 404
    response = client.put("/v1/articles/ok", json={"title": "Tab\tand\r\nlines", "body": "Body."})
    assert response.status_code == 201
