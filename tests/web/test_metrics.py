"""GET /metrics: HTTP traffic, the model's work and the translation memory, in Prometheus' format."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.fakes import EchoEngine


METRICS_KEY = "scraper-secret"


def samples(client, key: str | None = None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of GET /metrics: {(name, sorted labels): value}."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {key}"} if key else {})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    assert response.headers["Cache-Control"] == "no-store"
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.get_data(as_text=True)) for s in family.samples}


def test_metrics_count_requests_model_work_and_memory_hits(make_client):
    engine = EchoEngine()
    client = make_client(engine, metrics_key=METRICS_KEY)
    texts = ["Police arrested two men.", "Fishermen warned of the cyclone."]
    assert client.post("/v1/translate", json={"text": texts}).status_code == 200
    assert client.post("/v1/translate", json={"text": texts}).status_code == 200  # from memory
    assert client.get("/v1/articles/nope").status_code == 404
    assert client.get("/nowhere").status_code == 404

    got = samples(client, METRICS_KEY)

    def value(name: str, **labels: str) -> float:
        return got[(name, tuple(sorted(labels.items())))]

    assert value("translator_http_requests_total", method="POST", route="/v1/translate", status="200") == 2
    assert value("translator_http_requests_total", method="GET", route="/v1/articles/<article_id:article_id>",
                 status="404") == 1
    assert value("translator_http_requests_total", method="GET", route="(unrouted)", status="404") == 1
    assert value("translator_http_request_duration_seconds_count", method="POST", route="/v1/translate") == 2
    assert value("translator_http_request_duration_seconds_bucket", method="POST", route="/v1/translate",
                 le="+Inf") == 2
    # The model saw each text once; the second request came from the translation memory.
    assert engine.calls == [texts]
    assert value("translator_model_segments_total", pair="en-fr") == 2
    assert value("translator_model_source_tokens_total", pair="en-fr") == sum(map(engine.count_tokens, texts))
    assert value("translator_model_queued_segments", pair="en-fr") == 0
    assert value("translator_memory_lookups_total", result="hit") == 2
    assert value("translator_memory_lookups_total", result="miss") == 2
    # This scrape is counted by the next one.
    assert samples(client, METRICS_KEY)[("translator_http_requests_total",
                            (("method", "GET"), ("route", "/metrics"), ("status", "200")))] == 1


def test_metrics_before_the_model_is_loaded_have_no_model_samples(client):
    got = samples(client)
    assert not any(name.startswith("translator_model_") for name, _ in got)
    assert got[("translator_memory_lookups_total", ())] == 0


def test_open_metrics_never_tell_a_hit_from_a_miss(make_client):
    """Issue 26: on a public /metrics, hits apart from misses would tell a caller that a sentence was
    translated before (an embargoed article's, say)."""
    client = make_client()
    text = "Police arrested two men."
    for _ in range(2):
        assert client.post("/v1/translate", json={"text": text}).status_code == 200
    got = samples(client)
    assert got[("translator_memory_lookups_total", ())] == 2
    assert not any(name == "translator_memory_lookups_total" and labels for name, labels in got)


def test_a_metrics_key_closes_metrics_to_everybody_else(make_client):
    client = make_client(metrics_key=METRICS_KEY)
    response = client.get("/metrics")
    assert (response.status_code, response.headers["WWW-Authenticate"]) == (401, 'Bearer realm="metrics"')
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_KEY}"}).status_code == 200
