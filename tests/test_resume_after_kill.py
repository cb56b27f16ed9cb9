"""Accepted work finishes: article translations accepted by a ``translator serve`` killed with SIGKILL
are resumed by the next start, without anybody reading the articles."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.waiting import wait_until
from translator.store import open_store
from translator.testing.processes import ServiceProcess, service_environment

REPO = Path(__file__).resolve().parents[1]
ARTICLES = 20


def _put(url: str, article_id: str, number: int) -> int:
    paragraphs = [f"The council of district {number} met on Monday to discuss the new harbour road, part {p}."
                  for p in range(8)]
    request = urllib.request.Request(f"{url}/v1/articles/{article_id}", method="PUT",
                                     data=json.dumps({"title": f"Council meeting {number}",
                                                      "body": "\n\n".join(paragraphs)}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


@pytest.mark.slow
def test_translations_accepted_before_a_sigkill_are_resumed_at_the_next_start(tiny_model_dir, tmp_path):
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    env = service_environment(TRANSLATOR_DATA_DIR=str(tmp_path / "data"), TRANSLATOR_THREADS="1",
                              TRANSLATOR_BACKEND="torch", TRANSLATOR_MODEL=str(tiny_model_dir),
                              TRANSLATOR_STORE=store_url, TRANSLATOR_DEMO="off", TRANSLATOR_BEAMS="4")
    ids = [f"council-{i:02d}" for i in range(ARTICLES)]
    first = ServiceProcess(env, tmp_path / "first.log", cwd=REPO, timeout=120)
    try:
        assert [_put(first.url, article_id, i) for i, article_id in enumerate(ids)] == [201] * ARTICLES
    finally:
        first.kill()  # mid-translation: SIGKILL, no shutdown of any kind

    store = open_store(store_url)
    try:
        left = store.pending("fr")
        untranslated = [i for i in ids if store.get_translation(i, 1, "fr") is None]
        assert left and sorted(article_id for article_id, _ in left) == untranslated  # the kill left work
        assert all(version == 1 for _, version in left)

        with ServiceProcess(env, tmp_path / "second.log", cwd=REPO, timeout=120) as second:
            # Nobody reads an article: the start resumes them.
            wait_until(lambda: all(store.get_translation(i, 1, "fr") is not None for i in ids), 120,
                       "every accepted translation")
            wait_until(lambda: store.pending("fr") == [], 10, "the pending records to clear")
            assert f"resumed {len(left)} article translation" in second.log
            assert "GET /v1/articles" not in second.log and "GET /articles" not in second.log
    finally:
        store.close()
