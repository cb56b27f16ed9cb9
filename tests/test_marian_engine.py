"""The PyTorch Marian engine, loaded from a model directory built on disk (never the hub)."""

from __future__ import annotations

import pytest
import torch

from translator.config import Settings
from translator.engines import Engine, length_sorted_batches, output_token_bound
from translator.engines.marian import MarianEngine
from translator.errors import ModelUnavailable
from translator.pipeline import Translator


def test_engine_satisfies_protocol(tiny_engine):
    assert isinstance(tiny_engine, Engine)
    assert tiny_engine.num_beams == 4  # the model's own generation config
    assert tiny_engine.identity.startswith(f"marian:{tiny_engine.model_name}@")
    assert "|torch|beams=4|" in tiny_engine.identity


def test_pipeline_output_equals_direct_generate(tiny_engine):
    """Fidelity: the pipeline adds nothing and loses nothing for a short sentence."""
    sentence = "The minister said on Monday that the budget will rise."
    tokenizer, model = tiny_engine.tokenizer, tiny_engine.model
    encoded = tokenizer([sentence], return_tensors="pt")
    bound = output_token_bound(encoded["input_ids"].shape[1], tiny_engine.model_limit)
    with torch.inference_mode():
        direct = model.generate(**encoded, num_beams=4, max_new_tokens=bound)
    expected = tokenizer.decode(direct[0], skip_special_tokens=True).strip()
    assert expected  # the trained tiny model finishes its sentences
    result = Translator(tiny_engine).translate_text(sentence)
    assert result.text == expected
    assert [s.status for s in result.segments] == ["translated"]


def test_batched_translation_matches_one_at_a_time(tiny_engine):
    texts = ["Police arrested two men.", "The central bank kept its interest rate unchanged amid rising inflation.",
             "Doctors treated patients.", "Tourism brought more visitors than last year to the beaches."]
    together = tiny_engine.translate(texts)
    alone = [tiny_engine.translate([t])[0] for t in texts]
    assert together == alone
    assert all(together)


def test_outputs_are_bounded_by_input_length(tiny_engine):
    """A fallback decode that cannot finish in 2n+10 tokens is reported as "" rather than truncated."""
    text = "fire"
    n = tiny_engine.count_tokens(text)
    outputs = tiny_engine.translate([text, text], fallback=True)
    for output in outputs:
        assert output == "" or len(tiny_engine.tokenizer(text_target=output)["input_ids"]) <= 2 * n + 10


@pytest.mark.parametrize("lengths, budget, expected", [
    ([5, 1, 3], 100, [[0, 2, 1]]),
    ([10, 10, 10], 20, [[0, 1], [2]]),
    ([50, 2, 2], 10, [[0], [1, 2]]),
    ([], 10, []),
])
def test_length_sorted_batches(lengths, budget, expected):
    assert length_sorted_batches(lengths, budget) == expected


def test_missing_local_directory_is_one_clear_error(tmp_path):
    with pytest.raises(ModelUnavailable, match="does not exist; set TRANSLATOR_MODEL to a local model directory"):
        MarianEngine.load(str(tmp_path / "nope"), Settings(threads=1))


def test_incomplete_directory_is_one_clear_error(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelUnavailable, match="cannot load model"):
        MarianEngine.load(str(tmp_path), Settings(threads=1))


def test_unreachable_hub_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    with pytest.raises(ModelUnavailable, match="not in the local cache and the Hugging Face hub is unreachable"):
        MarianEngine.load("Helsinki-NLP/opus-mt-en-fr", Settings(threads=1))
