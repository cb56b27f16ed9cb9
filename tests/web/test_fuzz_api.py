"""Fuzzing the HTTP API against its own OpenAPI document (Schemathesis, in process through WSGI),
and a Hypothesis property test of the glossary API.

Schemathesis runs every phase but the stateful one (the document has no links): the examples, the
coverage phase (boundary values, wrong types, methods the document does not list) and random
fuzzing, with every check on. Two expected statuses are widened, each for a documented reason:
413 is a valid answer to a schema-valid request (the limits add up across fields and depend on
the configuration), and ``POST /v1/translate`` may answer 400 to a schema-valid request whose
``glossary_entries`` conflict with each other or come with ``"glossary": false``.
"""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from tests.fakes import EchoEngine, FunctionEngine
from translator.web import create_app
from translator.service.runtime import build_runtime

KEY = "fuzzing-key-0123456789"
_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx", "413"]


def fuzz(app, *, max_examples: int, key: str | None = None, only_path: str | None = None) -> list[str]:
    """Run Schemathesis against ``app``: one line per distinct failure (empty when all checks hold)."""
    config = {
        "seed": 15,
        "max-failures": 20,
        "generation": {"max-examples": max_examples, "database": "none"},
        "checks": {"enabled": True, "positive_data_acceptance": {"expected-statuses": _ACCEPTED}},
        "phases": {"stateful": {"enabled": False}},
        "operations": [{"include-path": "/v1/translate", "checks": {
            "positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "400"]}}}],
    }
    if key is not None:
        config["headers"] = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=SchemathesisConfig.from_dict(config))
    if only_path is not None:
        schema = schema.include(path=only_path)
    failures: set[str] = set()
    scenarios = 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            scenarios += 1
            if event.status in (Status.FAILURE, Status.ERROR):
                for case_id, checks in event.recorder.checks.items():
                    case = event.recorder.cases[case_id].value
                    for check in checks:
                        if check.failure_info is not None:
                            failures.add(f"{event.phase.name} {case.method} {case.path}: {check.name}: "
                                         f"{check.failure_info.failure.title}")
                if event.status is Status.ERROR:
                    failures.add(f"{event.phase.name} {event.label}: error")
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            failures.add(f"error: {getattr(event, 'info', None) or getattr(event, 'exception', None)}")
    assert scenarios > 0, "Schemathesis ran nothing"
    return sorted(failures)


@pytest.fixture
def fuzz_app(settings):
    made = []

    def make(engine=None, **changes):
        engine = engine or EchoEngine()
        services = build_runtime(settings.replace(demo=False, **changes), serving=True, engine_factory=lambda s, m: engine)
        made.append(services)
        return create_app(runtime=services)

    yield make
    for services in made:
        services.close()


@pytest.fixture
def quiet_logs():
    """The fuzzer provokes thousands of expected errors; keep the log of the run readable."""
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


@pytest.mark.slow
@pytest.mark.parametrize("key", [None, KEY], ids=["open", "with-api-keys"])
def test_schemathesis_finds_no_server_error_and_no_departure_from_the_spec(fuzz_app, quiet_logs, key):
    app = fuzz_app(api_keys=(KEY,) if key else ())
    assert fuzz(app, max_examples=15, key=key) == []


@pytest.mark.slow
def test_the_fuzzer_reports_a_server_error(fuzz_app, quiet_logs):
    def broken(text: str) -> str:
        raise RuntimeError("engine bug")

    app = fuzz_app(FunctionEngine(broken))
    failures = fuzz(app, max_examples=3, only_path="/v1/translate")
    assert any("not_a_server_error" in failure for failure in failures), failures


# -- the glossary API: whatever the terms, never a 5xx, and what is stored is what is returned ----------

_TERMS = st.one_of(
    st.text(min_size=1, max_size=60),
    st.text(alphabet=".^$*+?{}[]\\|()-/ %&#", min_size=1, max_size=20).map(lambda s: f"A{s}"),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=260),
    st.sampled_from(["Kryvyï Rih", "Sergueï Choïgou", "AC/DC", "AC//DC", "C++", "(.*)", "a.b", "ǅemal", "ﬁnance",
                     "e\u0301cole", "İstanbul", "ß"]),
)


@pytest.fixture(scope="module")
def glossary_client(tmp_path_factory):
    from translator.config import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("glossary-fuzz"), threads=1, glossary=None, demo=False)
    services = build_runtime(settings, serving=True, engine_factory=lambda s, m: EchoEngine())
    yield create_app(runtime=services).test_client()
    services.close()


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(source=_TERMS, target=_TERMS, ci=st.booleans())
def test_glossary_api_never_fails_and_returns_what_it_stored(glossary_client, source, target, ci):
    client = glossary_client
    path = "/v1/glossary/entries/" + quote(source, safe="")
    response = client.put(path, json={"target": target, "flags": ["ci"] if ci else []})
    assert response.status_code < 500, response.get_data(as_text=True)
    assert response.status_code in (200, 201, 400, 404, 409), response.status_code
    assert response.is_json and set(response.get_json()) >= ({"version", "entry"} if response.status_code < 300
                                                              else {"error"})
    if response.status_code >= 300:
        return
    stored = {"source": unicodedata.normalize("NFC", source), "target": unicodedata.normalize("NFC", target),
              "flags": ["ci"] if ci else []}
    assert response.get_json()["entry"] == stored
    listed = client.get("/v1/glossary").get_json()["entries"]
    assert stored in listed
    translated = client.post("/v1/translate", json={"text": f"Before {source} after."})
    assert translated.status_code == 200, translated.get_data(as_text=True)
    deleted = client.delete(path)
    assert deleted.status_code == 204
    assert stored not in client.get("/v1/glossary").get_json()["entries"]
