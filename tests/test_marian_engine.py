"""The PyTorch Marian engine, loaded from a model directory built on disk (never the hub)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import torch

from translator.config import Settings
from translator.engines import Engine, output_token_bound
from translator.engines.marian import MarianEngine, beam_search_cache
from translator.errors import ModelUnavailable
from translator.pipeline.translator import Translator


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


TEXTS = ["Police arrested two men.", "The central bank kept its interest rate unchanged amid rising inflation.",
         "Doctors treated patients.", "Tourism brought more visitors than last year to the beaches.",
         "The minister said on Monday that the budget will rise.", "Fishermen warned of the cyclone."]


def test_beam_search_cache_changes_no_output(tiny_engine):
    """Not reordering the cross-attention cache gives the very same beams, padded batch included."""
    tokenizer, model = tiny_engine.tokenizer, tiny_engine.model
    encoded = tokenizer(TEXTS, return_tensors="pt", padding=True)
    with torch.inference_mode():
        usual = model.generate(**encoded, num_beams=4, max_new_tokens=40, output_scores=True,
                               return_dict_in_generate=True)
        shared = model.generate(**encoded, num_beams=4, max_new_tokens=40, output_scores=True,
                                return_dict_in_generate=True, cache=beam_search_cache())
    assert torch.equal(shared.sequences, usual.sequences)
    assert torch.allclose(shared.sequences_scores, usual.sequences_scores)


@pytest.fixture(scope="module")
def two_stream_engine(tiny_model_dir):
    engine = MarianEngine.load(str(tiny_model_dir), Settings(threads=2))
    yield engine
    torch.set_num_threads(1)


def test_two_cores_decode_two_batches_side_by_side(two_stream_engine, tiny_engine, monkeypatch):
    assert (two_stream_engine.streams, two_stream_engine.threads_per_stream) == (2, 1)
    decodes = []
    decode_batch = two_stream_engine.decode_batch

    def recording(batch_ids, *args, **kwargs):
        decodes.append((threading.current_thread().name, torch.get_num_threads(), len(batch_ids)))
        return decode_batch(batch_ids, *args, **kwargs)

    monkeypatch.setattr(two_stream_engine, "decode_batch", recording)
    monkeypatch.setattr(two_stream_engine, "padding", None)  # the streams alone decide the batches here
    assert two_stream_engine.translate(TEXTS) == tiny_engine.translate(TEXTS)
    assert len({name for name, _, _ in decodes}) == 2 and all(name.startswith("torch-decode") for name, _, _ in decodes)
    assert sorted((threads, rows) for _, threads, rows in decodes) == [(1, 3), (1, 3)]  # one core each
    decodes.clear()
    assert two_stream_engine.translate(TEXTS[:1]) == tiny_engine.translate(TEXTS[:1])
    assert [(threads, rows) for _, threads, rows in decodes] == [(2, 1)]  # a lone batch gets both cores


def test_concurrent_callers_each_get_their_own_translations(two_stream_engine, tiny_engine):
    expected = [tiny_engine.translate([text])[0] for text in TEXTS]
    with ThreadPoolExecutor(len(TEXTS)) as pool:
        results = list(pool.map(lambda text: two_stream_engine.translate([text])[0], TEXTS * 3))
    assert results == expected * 3
    assert all(expected)


def test_outputs_are_bounded_by_input_length(tiny_engine):
    """A fallback decode that cannot finish in 2n+10 tokens is reported as "" rather than truncated."""
    text = "fire"
    n = tiny_engine.count_tokens(text)
    outputs = tiny_engine.translate([text, text], fallback=True)
    for output in outputs:
        assert output == "" or len(tiny_engine.tokenizer(text_target=output)["input_ids"]) <= 2 * n + 10


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
