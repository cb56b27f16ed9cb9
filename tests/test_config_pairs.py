"""Settings: language pairs as configuration, and how variables become values."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.config import DEFAULT_MODEL, PairConfig, Settings, default_glossary_path
from translator.errors import ConfigError


def test_en_fr_is_the_default_pair_from_model_and_glossary():
    settings = Settings.from_env({})
    assert settings.pairs == {"en-fr": PairConfig(DEFAULT_MODEL, default_glossary_path())}


def test_translator_models_adds_pairs_whose_glossary_is_found_as_glossary_pair_tsv(tmp_path, monkeypatch):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "en-de.tsv").write_text("Putin\tPutin\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({"TRANSLATOR_MODEL": "/models/en-fr", "TRANSLATOR_GLOSSARY": "off",
                                  "TRANSLATOR_MODELS": "en-de=Helsinki-NLP/opus-mt-en-de, EN-ES=/models/en-es"})
    assert settings.pairs == {
        "en-fr": PairConfig("/models/en-fr", None),
        "en-de": PairConfig("Helsinki-NLP/opus-mt-en-de", tmp_path / "glossary" / "en-de.tsv"),
        "en-es": PairConfig("/models/en-es", None),
    }


def test_a_pairs_glossary_can_be_set_or_turned_off_by_its_own_variable(tmp_path, monkeypatch):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "en-de.tsv").write_text("Putin\tPutin\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = {"TRANSLATOR_MODELS": "en-de=de-model,en-es=es-model", "TRANSLATOR_GLOSSARY_EN_DE": "off",
           "TRANSLATOR_GLOSSARY_EN_ES": "/srv/glossaries/spanish.tsv", "TRANSLATOR_GLOSSARY_EN_FR": "/g/fr.tsv"}
    pairs = Settings.from_env(env).pairs
    assert (pairs["en-de"].glossary, pairs["en-es"].glossary) == (None, Path("/srv/glossaries/spanish.tsv"))
    assert pairs["en-fr"].glossary == Path("/g/fr.tsv")


def test_a_glossary_variable_for_a_pair_that_is_not_served_is_a_clear_error():
    with pytest.raises(ConfigError, match="^TRANSLATOR_GLOSSARY_EN_IT: en-it is not a served pair "
                                          r"\(add it to TRANSLATOR_MODELS\)$"):
        Settings.from_env({"TRANSLATOR_GLOSSARY_EN_IT": "/g/it.tsv"})


@pytest.mark.parametrize("value", ["en=x", "english-german=x", "en-de=", "en-de"])
def test_malformed_models_are_a_clear_error(value):
    with pytest.raises(ConfigError, match="TRANSLATOR_MODELS"):
        Settings.from_env({"TRANSLATOR_MODELS": value})


def test_en_fr_in_translator_models_does_not_replace_translator_model(caplog):
    settings = Settings.from_env({"TRANSLATOR_MODEL": "a/en-fr", "TRANSLATOR_MODELS": "en-fr=b/en-fr"})
    assert settings.pairs["en-fr"].model == "a/en-fr"
    assert "TRANSLATOR_MODELS names en-fr; en-fr uses TRANSLATOR_MODEL (a/en-fr) instead" in caplog.text


def test_overrides_win_none_included():
    """``None`` is a value like any other (it used to be dropped silently)."""
    settings = Settings.from_env({"TRANSLATOR_GLOSSARY": "/g/fr.tsv", "TRANSLATOR_BEAMS": "2"},
                                 glossary=None, beams=None)
    assert (settings.glossary, settings.beams, settings.pairs["en-fr"].glossary) == (None, None, None)


def test_values_are_converted_by_their_declared_type(tmp_path):
    settings = Settings.from_env({
        "TRANSLATOR_THREADS": "3", "TRANSLATOR_BEAMS": "2", "TRANSLATOR_BATCH_WINDOW_MS": "2.5",
        "TRANSLATOR_DEMO": "off", "TRANSLATOR_DATA_DIR": str(tmp_path), "TRANSLATOR_CORS_ORIGINS": "a, b,",
        "TRANSLATOR_BACKEND": "CTranslate2", "TRANSLATOR_DEVICE": "CPU", "TRANSLATOR_COMPUTE_TYPE": "int16"})
    assert (settings.threads, settings.beams, settings.batch_window_ms, settings.demo) == (3, 2, 2.5, False)
    assert (settings.data_dir, settings.cors_origins) == (tmp_path, ("a", "b"))
    assert (settings.backend, settings.device, settings.compute_type) == ("ctranslate2", "cpu", "int16")


def test_defaults_are_the_auto_backend_and_device():
    settings = Settings.from_env({})
    assert (settings.backend, settings.device, settings.compute_type) == ("auto", "auto", None)


@pytest.mark.parametrize("name, value, message", [
    ("TRANSLATOR_THREADS", "0", "TRANSLATOR_THREADS must be at least 1"),
    ("TRANSLATOR_BEAMS", "0", "TRANSLATOR_BEAMS must be at least 1"),
    ("TRANSLATOR_QUEUE_SIZE", "many", "TRANSLATOR_QUEUE_SIZE must be a number, not 'many'"),
    ("TRANSLATOR_BACKEND", "onnx", "TRANSLATOR_BACKEND must be one of auto, torch, ctranslate2, not 'onnx'"),
    ("TRANSLATOR_DEVICE", "tpu", "TRANSLATOR_DEVICE must be one of auto, cpu, cuda, not 'tpu'"),
    ("TRANSLATOR_DEMO", "maybe", "TRANSLATOR_DEMO must be on or off"),
])
def test_bad_values_are_one_clear_error(name, value, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env({name: value})
