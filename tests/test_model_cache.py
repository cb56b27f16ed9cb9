"""The per-machine cache of built test models (translator.testing.models.cached_marian_model)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from translator.testing import models


@pytest.fixture
def builds(monkeypatch, tmp_path) -> list[dict]:
    """The builder replaced by a fast fake that records its arguments; the cache in ``tmp_path``."""
    monkeypatch.setenv(models.CACHE_ENV, str(tmp_path / "cache"))
    calls: list[dict] = []

    def fake_build(out_dir, **arguments):
        calls.append(arguments)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "config.json").write_text(repr(sorted(arguments.items())), encoding="utf-8")
        return out

    monkeypatch.setattr(models, "build_marian_model", fake_build)
    return calls


def test_the_cache_directory_follows_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv(models.CACHE_ENV, str(tmp_path / "elsewhere"))
    assert models.model_cache_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv(models.CACHE_ENV)
    assert models.model_cache_dir().name == "translator-tests"


def test_a_model_is_built_once_and_then_reused(builds, tmp_path):
    first = models.cached_marian_model(train_steps=300)
    second = models.cached_marian_model(train_steps=300)
    assert first == second and first.parent == tmp_path / "cache"
    assert builds == [{"train_steps": 300}]
    assert (first / "config.json").read_text(encoding="utf-8") == "[('train_steps', 300)]"
    assert [path.name for path in (tmp_path / "cache").iterdir()] == [first.name]  # no staging left behind


def test_other_arguments_or_versions_build_another_model(builds, monkeypatch):
    tiny = models.cached_marian_model(train_steps=300)
    other_seed = models.cached_marian_model(train_steps=300, seed=7)
    version = models.metadata.version
    monkeypatch.setattr(models.metadata, "version", lambda name: "0.0-other" if name == "torch" else version(name))
    other_torch = models.cached_marian_model(train_steps=300)
    assert len({tiny, other_seed, other_torch}) == 3
    assert len(builds) == 3


def test_concurrent_builders_all_get_the_one_complete_directory(builds, monkeypatch):
    # Every builder is held until all have built, so each one tries to rename its own staging copy.
    barrier = threading.Barrier(3)
    fake_build = models.build_marian_model

    def held_build(out_dir, **arguments):
        built = fake_build(out_dir, **arguments)
        barrier.wait(timeout=10)
        return built

    monkeypatch.setattr(models, "build_marian_model", held_build)
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(models.cached_marian_model(seed=1))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 3 and len(set(results)) == 1 and len(results) == 3
    assert sorted(path.name for path in results[0].parent.iterdir()) == [results[0].name]
    assert (results[0] / "config.json").is_file()


def test_a_copy_is_private_to_its_caller(builds, tmp_path):
    copy = models.copy_cached_marian_model(tmp_path / "mine" / "tiny-en-fr", train_steps=300)
    (copy / "ctranslate2-int8-abc").mkdir()  # what a conversion writes beside the weights
    assert copy.name == "tiny-en-fr"
    assert [path.name for path in models.cached_marian_model(train_steps=300).iterdir()] == ["config.json"]
    assert len(builds) == 1
