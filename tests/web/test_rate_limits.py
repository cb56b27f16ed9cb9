"""Rate limits on POST /v1/translate (Flask-Limiter): per client address for callers without a key,
per key only when configured; 429 with Retry-After and RateLimit-* headers; counts shared through Redis."""

from __future__ import annotations

import pytest

from tests.fakes import EchoEngine
from tests.web.conftest import SpecCheckingClient
from translator.config import Settings
from translator.errors import ConfigError
from translator.web import create_app
from translator.web.limits import limiter_storage
from translator.service.runtime import build_runtime

KEY = "newsroom-key"
AUTH = {"Authorization": f"Bearer {KEY}"}


def post(client, text="Hello.", headers=None, **kwargs):
    return client.post("/v1/translate", json={"text": text}, headers=headers or {}, **kwargs)


def test_the_request_past_the_limit_gets_429_json_with_retry_after_and_ratelimit_headers(make_client):
    client = make_client(rate_limit="3/minute")
    answers = [post(client) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert all(a.headers["RateLimit-Limit"] == "3" and "Retry-After" not in a.headers for a in answers)
    refused = post(client)
    assert refused.status_code == 429
    assert refused.get_json() == {"error": {
        "code": "rate_limited",
        "message": "too many requests: the limit is 3 per 1 minute; retry after the Retry-After seconds"}}
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert refused.headers["RateLimit-Limit"] == "3" and refused.headers["RateLimit-Remaining"] == "0"
    assert 0 <= int(refused.headers["RateLimit-Reset"]) <= 61  # whole seconds, rounded up at the window end
    # Other endpoints are not limited.
    assert client.get("/v1/languages").status_code == 200


def test_the_default_limit_is_60_a_minute_and_1000_a_day():
    assert Settings.from_env(environ={}).rate_limit == "60/minute;1000/day"
    assert Settings.from_env(environ={"TRANSLATOR_RATE_LIMIT": "off"}).rate_limit == ""


def test_a_keyed_caller_is_not_limited_unless_a_keyed_limit_is_set(make_client):
    client = make_client(rate_limit="2/minute", api_keys=(KEY,))
    assert [post(client, headers=AUTH).status_code for _ in range(5)] == [200] * 5
    assert [post(client).status_code for _ in range(3)] == [200, 200, 429]
    # A wrong key is refused as such (403), not counted as an anonymous caller (429).
    wrong = post(client, headers={"Authorization": "Bearer wrong"})
    assert (wrong.status_code, wrong.get_json()["error"]) == (403, {"code": "forbidden",
                                                                     "message": "the API key is not valid"})

    keyed = make_client(rate_limit="2/minute", keyed_rate_limit="3/minute", api_keys=(KEY, "other"))
    assert [post(keyed, headers=AUTH).status_code for _ in range(4)] == [200, 200, 200, 429]
    # Counted per key: another key has its own count.
    assert post(keyed, headers={"Authorization": "Bearer other"}).status_code == 200


def test_a_named_key_is_a_keyed_caller_by_its_secret(make_client):
    client = make_client(rate_limit="1/minute", api_keys=(f"desk={KEY}",))
    assert [post(client, headers=AUTH).status_code for _ in range(3)] == [200] * 3
    # The name is not the secret: sending "desk=..." is a wrong key, refused (403).
    assert [post(client, headers={"Authorization": f"Bearer desk={KEY}"}).status_code
            for _ in range(2)] == [403, 403]


def test_addresses_are_counted_apart_and_x_forwarded_for_is_believed_only_behind_trusted_proxies(make_client):
    direct = make_client(rate_limit="1/minute")
    first = post(direct, environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert first.status_code == 200
    assert post(direct, environ_base={"REMOTE_ADDR": "198.51.100.2"}).status_code == 200
    # Without trusted proxies a forged X-Forwarded-For does not dodge the limit.
    assert post(direct, headers={"X-Forwarded-For": "203.0.113.9"},
                environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 429

    proxied = make_client(rate_limit="1/minute", trusted_proxies=1)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert post(proxied, headers={"X-Forwarded-For": "203.0.113.1"}, environ_base=proxy).status_code == 200
    assert post(proxied, headers={"X-Forwarded-For": "203.0.113.2"}, environ_base=proxy).status_code == 200
    assert post(proxied, headers={"X-Forwarded-For": "203.0.113.1"}, environ_base=proxy).status_code == 429


def test_translate_requires_key_closes_the_endpoint_to_callers_without_one(make_client):
    client = make_client(api_keys=(KEY,), translate_requires_key=True)
    assert post(client).status_code == 401
    assert post(client, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert post(client, headers=AUTH).get_json()["translations"][0]["text"] == "FR(Hello.)"
    with pytest.raises(ConfigError, match="TRANSLATOR_API_KEYS"):
        Settings(translate_requires_key=True)


def test_two_instances_sharing_a_redis_store_share_the_counts(settings, redis_store_url):
    made = []
    clients = []
    for _ in range(2):
        services = build_runtime(settings.replace(store=redis_store_url, rate_limit="3/minute"), serving=True,
                            engine_factory=lambda s, m: EchoEngine())
        made.append(services)
        app = create_app({"TESTING": True}, runtime=services)
        app.test_client_class = SpecCheckingClient
        clients.append(app.test_client())
    try:
        first, second = clients
        assert [post(first).status_code, post(second).status_code, post(first).status_code] == [200, 200, 200]
        assert post(second).status_code == 429
        assert post(first).status_code == 429
    finally:
        for services in made:
            services.close()


def test_counts_live_under_the_redis_store_prefix_with_the_store_timeout():
    options = {"socket_timeout": 2.0, "socket_connect_timeout": 2.0, "wrap_exceptions": True}
    assert limiter_storage(Settings(store="redis://127.0.0.1:6379/15?prefix=news:")) == (
        "redis://127.0.0.1:6379/15", {"key_prefix": "news:ratelimit", **options})
    # The store's own options are not redis-py's: they would break the limiter's connections.
    assert limiter_storage(Settings(store="redis://h:6379/2?prefix=p:&lock_lease=5&socket_timeout=2",
                                    store_timeout=0.5)) == (
        "redis://h:6379/2?socket_timeout=2", {"key_prefix": "p:ratelimit", "socket_timeout": 0.5,
                                              "socket_connect_timeout": 0.5, "wrap_exceptions": True})
    assert limiter_storage(Settings(store="sqlite:////tmp/x.sqlite3")) == ("memory://", {})
    # A PostgreSQL store: the counts go to the Redis broker's server, under the queue prefix.
    assert limiter_storage(Settings(store="postgresql://db/t", broker="redis://b:6379/1", queue_prefix="site1.")) == (
        "redis://b:6379/1", {"key_prefix": "site1.translator:ratelimit", **options})
    assert limiter_storage(Settings(store="postgresql://db/t")) == ("memory://", {})
