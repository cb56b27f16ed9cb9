"""POST /v1/translate through the Flask test client (fake engines, spec-checked responses)."""

from __future__ import annotations

import threading

import pytest

from tests.fakes import EchoEngine, FunctionEngine
from tests.gated import GatedEngine
from tests.waiting import wait_until


def test_one_text_comes_back_translated_paragraph_by_paragraph(client):
    response = client.post("/v1/translate", json={"text": "The minister spoke.\n\nParliament voted."})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "translations": [{"text": "FR(The minister spoke.)\n\nFR(Parliament voted.)", "status": "ok",
                          "glossary": {"applied": [], "missed": [], "unlisted": []}}],
        "model": "echo",
    }


def test_a_list_gives_one_translation_per_text_in_order(client):
    texts = ["First one.", "", "Second one.\n\n\nThird paragraph.", "First one."]
    response = client.post("/v1/translate", json={"text": texts, "source_lang": "en", "target_lang": "fr",
                                                  "format": "text", "glossary": False})
    assert response.status_code == 200
    assert [t["text"] for t in response.get_json()["translations"]] == [
        "FR(First one.)", "", "FR(Second one.)\n\nFR(Third paragraph.)", "FR(First one.)"]


def test_an_empty_list_gives_an_empty_list(client):
    response = client.post("/v1/translate", json={"text": []})
    assert response.status_code == 200
    assert response.get_json()["translations"] == []


def test_utf8_in_and_out(make_client):
    french = "Élysée «\u00a0déjà\u00a0» ✓"  # already French typography: kept as it is
    client = make_client(FunctionEngine(lambda t: french, identity="accents"))
    response = client.post("/v1/translate", data='{"text": "Café société"}'.encode(),
                           content_type="application/json; charset=utf-8")
    assert response.status_code == 200
    assert french.encode() in response.data  # not \\u-escaped
    assert response.get_json()["translations"][0]["text"] == french


def test_segments_come_from_the_translation_memory_the_second_time(make_client):
    engine = EchoEngine()
    client = make_client(engine)
    for _ in range(2):
        response = client.post("/v1/translate", json={"text": "Prices rose.\n\nFuel too."})
        assert response.get_json()["translations"][0]["text"] == "FR(Prices rose.)\n\nFR(Fuel too.)"
    assert engine.seen == ["Prices rose.", "Fuel too."]  # the second request never reached the engine


def test_another_configured_pair_uses_its_own_model(make_services):
    from translator.web import create_app

    german = FunctionEngine(lambda t: f"DE({t})", identity="de-engine")
    services = make_services(EchoEngine(), engines={"models/en-de": german}, models={"en-de": "models/en-de"})
    client = create_app(runtime=services).test_client()
    response = client.post("/v1/translate", json={"text": "Hello.", "target_lang": "de"})
    assert response.get_json() == {"translations": [{"text": "DE(Hello.)", "status": "ok",
                                                     "glossary": {"applied": [], "missed": [], "unlisted": []}}],
                                   "model": "de-engine"}
    assert client.post("/v1/translate", json={"text": "Hello."}).get_json()["model"] == "echo"


@pytest.mark.parametrize("body, message", [
    ({"text": "x", "target_lang": "de"}, "language pair 'en-de' is not served; available: en-fr"),
    ({"text": "x", "source_lang": "fr"}, "language pair 'fr-fr' is not served; available: en-fr"),
])
def test_an_unconfigured_pair_is_a_400_naming_the_available_ones(client, body, message):
    response = client.post("/v1/translate", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"error": {"code": "bad_request", "message": message}}


def post_together(client, engine: GatedEngine, texts: list[str]) -> dict[str, tuple[int, object]]:
    """POST each text from its own thread while ``engine`` is held, release it once every request is
    queued; ``{text: (status, JSON body)}``."""
    pooled = client.application.extensions["translator"].translator().engine
    engine.hold()
    results: dict[str, tuple[int, object]] = {}

    def post(text: str) -> None:
        response = client.application.test_client().post("/v1/translate", json={"text": text})
        results[text] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=post, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    wait_until(lambda: pooled.pending_segments == len(texts), what="all requests queued")
    engine.release()
    for thread in threads:
        thread.join(10)
    return results


def test_concurrent_requests_are_pooled_and_each_gets_its_own_translation(make_client):
    engine = GatedEngine()
    client = make_client(engine)
    texts = [f"Paragraph number {i} of the day." for i in range(8)]
    results = post_together(client, engine, texts)
    for text in texts:
        assert results[text] == (200, {"translations": [{"text": f"FR({text})", "status": "ok",
                                                         "glossary": {"applied": [], "missed": [], "unlisted": []}}],
                                       "model": "gated"})
    assert len(engine.calls) <= 2  # the first request alone (held), then everyone else together
    assert sorted(t for call in engine.calls for t in call) == sorted(texts)


def test_a_failing_segment_fails_only_its_own_request(make_client):
    engine = GatedEngine(fail_on={"Bad segment."})
    client = make_client(engine)
    results = post_together(client, engine, ["Good one.", "Bad segment.", "Good two."])
    assert results["Good one."][0] == 200 and results["Good two."][0] == 200
    assert results["Good one."][1]["translations"][0]["text"] == "FR(Good one.)"
    assert results["Good two."][1]["translations"][0]["text"] == "FR(Good two.)"
    status, body = results["Bad segment."]
    assert (status, body["error"]) == (500, {"code": "internal",
                                             "message": "internal error; the server log has the details under this "
                                                        "request id"})
    assert len(body["request_id"]) == 32


def test_a_full_queue_answers_503_busy_with_retry_after(make_client):
    engine = GatedEngine()
    client = make_client(engine, queue_size=2)
    pooled = client.application.extensions["translator"].translator().engine
    engine.hold()
    held: dict[str, object] = {}

    def post_held() -> None:
        held["response"] = client.application.test_client().post("/v1/translate", json={"text": "One.\n\nTwo."})

    thread = threading.Thread(target=post_held)
    thread.start()
    wait_until(lambda: pooled.pending_segments == 2, what="the queue to fill")
    response = client.post("/v1/translate", json={"text": "Three."})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["error"]["code"] == "busy"
    assert "queue is full" in response.get_json()["error"]["message"]
    engine.release()
    thread.join(10)
    assert held["response"].status_code == 200
    assert client.post("/v1/translate", json={"text": "Three."}).status_code == 200
