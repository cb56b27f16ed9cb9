"""The CTranslate2 backend: conversion and its cache, and parity with the PyTorch backend.

Both backends run the same tiny Marian model (built offline by conftest), the
CTranslate2 one converted to int8 once per session. Parity means: a
translation for every segment, the same length bounds (the same batches, the
same ``2n+10`` bound, ``""`` when an output reaches it), the same glossary
guarantee through the pipeline, and translation-memory entries that never mix.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli_helpers import run_in_process
from translator.cli import main
from translator.config import Settings
from translator.engines import length_sorted_batches, load_engine, output_token_bound
from translator.engines.batched import DecodeOptions, LengthLimits, thread_split
from translator.engines.ct2_conversion import (
    METADATA_FILE,
    convert_model,
    is_converted_dir,
    read_converted,
)
from translator.engines.ctranslate2 import CTranslate2Engine
from translator.engines.marian import MarianEngine, model_revision
from translator.errors import ConfigError
from translator.glossary.enforcement import Enforcement
from translator.pipeline.memory import InMemoryTranslationMemory
from translator.testing.models import copy_cached_marian_model
from translator.pipeline.translator import Translator

REPO_ROOT = Path(__file__).resolve().parent.parent

# Sentences in the tiny model's training domain: the trained model ends them with </s>.
SENTENCES = [
    "The government minister said on Monday that parliament will vote on the new budget.",
    "Police arrested two men after a fire in the harbour of the capital city.",
    "Prices of rice and fuel rose again this week according to the statistics office.",
    "The president met leaders from Africa and Europe to discuss trade and climate.",
    "Fishermen in the south warned that the cyclone could reach the island tomorrow.",
    "A court in the north heard the case of a company accused of fraud.",
    "Students and teachers protested against the reform of public schools.",
    "Doctors at the hospital treated dozens of patients during the night.",
]
ARTICLE = "\n\n".join([" ".join(SENTENCES[0:3]), SENTENCES[3], " ".join(SENTENCES[4:6]),
                       "Tourism brought more visitors than last year. " + SENTENCES[7], "2024", SENTENCES[6]])

SENTENCE_TOKENS = 20  # a segment budget that gives every sentence of ARTICLE a segment of its own


def _settings(data_dir: Path, **changes) -> Settings:
    return Settings(**{"data_dir": data_dir, "threads": 1, "glossary": None, **changes})


@pytest.fixture(scope="session")
def ct2_model_dir(tiny_model_dir, tmp_path_factory) -> Path:
    """A private copy of the tiny model: conversions get cached inside it."""
    return Path(shutil.copytree(tiny_model_dir, tmp_path_factory.mktemp("ct2") / "tiny-en-fr"))


@pytest.fixture(scope="session")
def ct2_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ct2-data")


@pytest.fixture(scope="session")
def ct2_engine(ct2_model_dir, ct2_data_dir) -> CTranslate2Engine:
    """The tiny model on CTranslate2 int8 (converted here, once)."""
    return CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir))


@pytest.fixture(scope="session")
def untrained_model_dir(tmp_path_factory) -> Path:
    """A random tiny model that (almost) never emits </s>: every output runs into its bound."""
    return copy_cached_marian_model(tmp_path_factory.mktemp("untrained") / "tiny-untrained", seed=3)


@pytest.fixture(scope="session")
def untrained_engines(untrained_model_dir, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("untrained-data")
    return {"torch": MarianEngine.load(str(untrained_model_dir), _settings(data_dir)),
            "ctranslate2": CTranslate2Engine.load(str(untrained_model_dir), _settings(data_dir))}


@pytest.fixture(params=["torch", "ctranslate2"])
def engine(request, tiny_engine, ct2_engine):
    """Each backend on the same tiny model."""
    return {"torch": tiny_engine, "ctranslate2": ct2_engine}[request.param]


# -- translation for every segment ------------------------------------------------------------------


def test_every_segment_of_an_article_is_translated(engine):
    result = Translator(engine, segment_tokens=SENTENCE_TOKENS).translate_text(ARTICLE)
    assert result.counts == {"total": 10, "from_memory": 0, "translated": 9, "unchanged": 1, "failed": 0}
    assert len(result.paragraphs) == 6 and result.paragraphs[4] == "2024"
    for segment in result.segments:
        assert segment.target.strip(), segment
        if segment.status == "translated":
            assert segment.target != segment.source


def test_engine_returns_one_complete_output_per_input_in_order(engine):
    outputs = engine.translate(SENTENCES)
    assert len(outputs) == len(SENTENCES)
    assert all(outputs), outputs
    # Order: each output is what the sentence gets on its own.
    assert [engine.translate([s])[0] for s in SENTENCES[:3]] == outputs[:3]


def test_both_backends_see_the_same_tokens(tiny_engine, ct2_engine):
    for sentence in SENTENCES:
        assert ct2_engine.encode(sentence) == tiny_engine.encode(sentence)
        assert ct2_engine.count_tokens(sentence) == tiny_engine.count_tokens(sentence)
    assert (ct2_engine.max_input_tokens, ct2_engine.model_limit, ct2_engine.num_beams) == \
        (tiny_engine.max_input_tokens, tiny_engine.model_limit, tiny_engine.num_beams)


# -- length bounds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_outputs_reaching_the_bound_come_back_empty(untrained_engines, backend):
    engine = untrained_engines[backend]
    texts = SENTENCES[:2] + ["Rice.", "A court heard the case."]
    assert engine.translate(texts) == ["", "", "", ""]
    encoded = [engine.encode(t) for t in texts]
    limits = engine.length_limits(encoded)
    assert limits == LengthLimits(output_token_bound(max(map(len, encoded)), 512))
    outputs = engine.decode_batch(encoded, limits)
    assert [len(o.token_ids) for o in outputs] == [limits.max_tokens] * 4
    assert not any(o.finished for o in outputs)


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_pipeline_keeps_the_source_when_both_decodings_hit_the_bound(untrained_engines, backend):
    result = Translator(untrained_engines[backend]).translate_text(SENTENCES[1])
    assert result.counts["failed"] == 1
    assert result.text == SENTENCES[1]


@pytest.mark.parametrize("max_tokens", [1, 3, 7])
def test_no_output_exceeds_its_limit(engine, max_tokens):
    encoded = [engine.encode(s) for s in SENTENCES]
    for fallback in (False, True):
        outputs = engine.decode_batch(encoded, LengthLimits(max_tokens), options=DecodeOptions(fallback=fallback))
        for output in outputs:
            assert len(output.token_ids) + output.finished <= max_tokens


def test_finished_outputs_stay_within_the_batch_bound(engine):
    encoded = [engine.encode(s) for s in SENTENCES]
    limits = engine.length_limits(encoded)
    assert limits.max_tokens == 2 * max(map(len, encoded)) + 10
    for output in engine.decode_batch(encoded, limits):
        assert output.finished
        assert len(output.token_ids) < limits.max_tokens


# -- glossary guarantee --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    engine_text: str
    fingerprint: str
    terms: tuple[tuple[str, str], ...]  # (source, target) per occurrence
    n_best: int = 1
    alignment: bool = False


class _MinimalGlossary:
    """The glossary contract (translator.glossary.contract) in a few lines (stands in for
    translator.glossary.Glossary).

    The French form is put into the text the engine sees; ``finalize`` reports
    each occurrence as applied when its French form is in the output (at least
    as many times as it occurs), else as missed.
    """

    version = "test-1"
    entries = {"Africa": "Afrique", "Europe": "Europe", "parliament": "parlement", "Monday": "lundi"}

    def prepare(self, source: str) -> _Prepared:
        terms = tuple((m.group(), self.entries[m.group()])
                      for m in re.finditer(r"\b(?:" + "|".join(self.entries) + r")\b", source))
        engine_text = source
        for term, target in self.entries.items():
            engine_text = re.sub(rf"\b{term}\b", target, engine_text)
        return _Prepared(engine_text, ",".join(sorted({t for t, _ in terms})), terms)

    def finalize(self, prepared: _Prepared, output: str):
        applied, missed = [], []
        for source, target in prepared.terms:
            found = output.count(target) >= sum(1 for _, t in prepared.terms if t == target)
            (applied if found else missed).append({"source": source, "target": target})
        return output, applied, missed

    @property
    def current(self):
        return self

    def choose(self, prepared: _Prepared, hypotheses) -> int:
        return 0

    def finish(self, prepared: _Prepared, output, *, repair=True, unchecked=None) -> Enforcement:
        text = output[0].text
        if unchecked is not None:  # nothing checked: every term missed
            return Enforcement(text, missed=self.finalize(prepared, "")[2])
        text, applied, missed = self.finalize(prepared, text)
        return Enforcement(text, applied, missed)


def test_glossary_guarantee_holds_on_both_backends(engine):
    glossary = _MinimalGlossary()
    result = Translator(engine, glossary=glossary, segment_tokens=SENTENCE_TOKENS).translate_text(ARTICLE)
    assert result.counts["failed"] == 0
    occurrences = 0
    for segment in result.segments:
        terms = glossary.prepare(segment.source).terms
        occurrences += len(terms)
        # Every occurrence is accounted for exactly once, and "applied" is true of the final text.
        assert len(segment.applied) + len(segment.missed) == len(terms)
        for item in segment.applied:
            assert item["target"] in segment.target
        for item in segment.missed:
            assert segment.target.count(item["target"]) < sum(1 for _, t in terms if t == item["target"])
    assert occurrences == 4
    assert len(result.glossary["applied"]) + len(result.glossary["missed"]) == 4


def test_the_real_glossary_accounts_for_every_term_on_both_backends(engine):
    from translator.glossary import Glossary

    glossary = Glossary.from_pairs(list(_MinimalGlossary.entries.items()))
    result = Translator(engine, glossary=glossary, segment_tokens=SENTENCE_TOKENS).translate_text(ARTICLE)
    assert result.counts["failed"] == 0
    report = result.glossary
    assert len(report["applied"]) + len(report["missed"]) == 4  # every occurrence: applied or missed
    for segment in result.segments:
        for item in segment.applied:
            assert item["target"] in segment.target


def test_the_engine_sees_the_glossary_text_on_both_backends(tiny_engine, ct2_engine):
    glossary = _MinimalGlossary()
    prepared = glossary.prepare(SENTENCES[3])
    assert prepared.engine_text == SENTENCES[3].replace("Africa", "Afrique")
    for engine in (tiny_engine, ct2_engine):
        with_glossary = Translator(engine, glossary=glossary).translate_text(SENTENCES[3])
        without = Translator(engine).translate_text(prepared.engine_text)
        assert with_glossary.segments[0].target == without.segments[0].target


# -- identity and translation memory ------------------------------------------------------------------


def test_identity_names_backend_compute_type_beams_and_converted_revision(tiny_engine, ct2_engine):
    converted = ct2_engine.converted
    assert ct2_engine.model_name == "tiny-en-fr"  # the directory's name, never its path
    assert ct2_engine.identity == (
        f"marian:tiny-en-fr@{tiny_engine.revision}|ctranslate2:int8@{converted.revision}"
        f"|beams=4|bound=2n+10|fallback=greedy-nr3")
    assert ct2_engine.identity != tiny_engine.identity
    assert re.fullmatch(r"[0-9a-f]{12}", converted.revision)


def test_identity_changes_with_compute_type_and_beams(ct2_model_dir, ct2_data_dir, ct2_engine):
    float32 = CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir, compute_type="float32"))
    beam2 = CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir, beams=2))
    assert "|ctranslate2:float32@" in float32.identity and "|beams=2|" in beam2.identity
    assert len({ct2_engine.identity, float32.identity, beam2.identity}) == 3


def test_memory_entries_never_mix_between_backends(tiny_engine, ct2_engine):
    memory = InMemoryTranslationMemory()
    torch_translator = Translator(tiny_engine, memory=memory, segment_tokens=SENTENCE_TOKENS)
    ct2_translator = Translator(ct2_engine, memory=memory, segment_tokens=SENTENCE_TOKENS)
    assert torch_translator.translate_text(ARTICLE).counts["translated"] == 9
    assert len(memory) == 9
    first = ct2_translator.translate_text(ARTICLE)
    assert (first.counts["from_memory"], first.counts["translated"]) == (0, 9)
    assert len(memory) == 18
    again = ct2_translator.translate_text(ARTICLE)
    assert (again.counts["from_memory"], again.counts["translated"]) == (9, 0)
    assert again.text == first.text


# -- conversion and its cache -------------------------------------------------------------------------


def test_conversion_is_cached_next_to_the_model_and_reused(ct2_model_dir, ct2_data_dir, ct2_engine):
    revision = model_revision(ct2_model_dir)
    expected = ct2_model_dir / f"ctranslate2-int8-{revision}"
    assert ct2_engine.converted.path == expected
    assert is_converted_dir(expected)
    stamp = (expected / "model.bin").stat()
    again = CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir))
    assert again.converted == ct2_engine.converted
    assert (expected / "model.bin").stat().st_mtime_ns == stamp.st_mtime_ns
    assert again.identity == ct2_engine.identity
    leftovers = [p.name for p in ct2_model_dir.iterdir() if ".tmp-" in p.name]
    assert leftovers == []


def test_hub_style_name_is_cached_under_the_data_dir(tmp_path):
    from translator.engines.ct2_conversion import converted_model_dir

    target = converted_model_dir("Helsinki-NLP/opus-mt-en-fr", tmp_path / "snapshot", "abc123", "int8",
                                 tmp_path / "data")
    assert target == tmp_path / "data" / "ct2" / "Helsinki-NLP--opus-mt-en-fr-int8-abc123"


@pytest.mark.slow  # two Python processes
def test_concurrent_conversions_leave_one_complete_directory(ct2_model_dir, tmp_path):
    """Two processes converting into the same place: both succeed, one complete directory remains."""
    target = tmp_path / "converted"
    command = [sys.executable, "-m", "translator", "model", "convert", str(ct2_model_dir),
               "--compute-type", "float32", "--out", str(target)]
    processes = [subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert [out for out, _ in outputs] == [f"{target}\n"] * 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["converted"]
    converted = read_converted(target)
    assert (converted.quantization, converted.source_revision) == ("float32", model_revision(ct2_model_dir))


def test_a_converted_directory_can_be_the_model(ct2_engine, ct2_data_dir):
    direct = CTranslate2Engine.load(str(ct2_engine.converted.path), _settings(ct2_data_dir))
    assert direct.identity == ct2_engine.identity
    assert direct.translate(SENTENCES[:2]) == ct2_engine.translate(SENTENCES[:2])


def test_converting_into_a_directory_holding_another_conversion_fails(ct2_model_dir, ct2_engine):
    with pytest.raises(ConfigError, match="already holds another conversion"):
        convert_model(str(ct2_model_dir), ct2_model_dir, ct2_engine.converted.path, compute_type="int16")


def test_load_engine_selects_the_backend_from_the_environment(ct2_model_dir, ct2_data_dir, ct2_engine):
    settings = Settings.from_env({"TRANSLATOR_BACKEND": "ctranslate2", "TRANSLATOR_MODEL": str(ct2_model_dir),
                                  "TRANSLATOR_DATA_DIR": str(ct2_data_dir), "TRANSLATOR_THREADS": "1"})
    engine = load_engine(settings)
    assert isinstance(engine, CTranslate2Engine)
    assert engine.identity == ct2_engine.identity


def test_unknown_compute_type_is_a_config_error(ct2_model_dir, ct2_data_dir):
    with pytest.raises(ConfigError, match="TRANSLATOR_COMPUTE_TYPE must be one of int8, .* not 'int4'"):
        CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir, compute_type="int4"))


# -- threads ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("threads, split", [(1, (1, 1)), (2, (2, 1)), (3, (3, 1)), (4, (2, 2)), (6, (2, 3)),
                                            (8, (2, 4)), (16, (4, 4)), (64, (16, 4))])
def test_thread_split(threads, split):
    assert thread_split(threads) == split


def test_parallel_batches_give_the_same_translations(ct2_model_dir, ct2_data_dir, ct2_engine):
    parallel = CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir, threads=8, batch_tokens=40))
    assert parallel.translator.num_translators == 2
    sequential = CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir, batch_tokens=40))
    assert parallel.translate(SENTENCES) == sequential.translate(SENTENCES) == ct2_engine.translate(SENTENCES)


def test_one_article_keeps_both_inter_threads_busy(ct2_model_dir, ct2_data_dir, ct2_engine):
    two_workers = CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir, threads=2))
    assert (two_workers.translator.num_translators, two_workers.streams) == (2, 2)
    two_workers.padding = None  # the streams alone decide the batches here
    lengths = [len(two_workers.encode(s)) for s in SENTENCES]
    assert len(length_sorted_batches(lengths, two_workers.batch_tokens, streams=2, padding=None)) == 2
    assert two_workers.translate(SENTENCES) == ct2_engine.translate(SENTENCES)


# -- without the package ------------------------------------------------------------------------------


def test_missing_ctranslate2_says_how_to_install_it(monkeypatch, ct2_model_dir, ct2_data_dir):
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # what an absent package looks like to import
    with pytest.raises(ConfigError, match=r"pip install 'translator\[fast\]'"):
        CTranslate2Engine.load(str(ct2_model_dir), _settings(ct2_data_dir))
    result = CliRunner().invoke(main, ["model", "convert", str(ct2_model_dir)])
    assert result.exit_code == 1
    assert "pip install 'translator[fast]'" in result.output


# -- the command line ---------------------------------------------------------------------------------


def test_cli_convert_then_translate_with_the_converted_model(tiny_model_dir, tmp_path):
    out = tmp_path / "en-fr-ct2"
    env = {**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_THREADS": "1",
           "TRANSLATOR_GLOSSARY": ""}
    convert = run_in_process(["model", "convert", str(tiny_model_dir), "--out", str(out)], env=env)
    assert convert.returncode == 0, convert.stderr
    assert convert.stdout == f"{out}\n"
    assert read_converted(out).quantization == "int8"
    assert (out / METADATA_FILE).is_file() and (out / "source.spm").is_file()
    translate = run_in_process(["translate", "--json"], stdin=SENTENCES[0],
                               env={**env, "TRANSLATOR_BACKEND": "ctranslate2", "TRANSLATOR_MODEL": str(out)})
    assert translate.returncode == 0, translate.stderr
    assert '"model": "marian:' in translate.stdout and "|ctranslate2:int8@" in translate.stdout
    assert '"translated": 1' in translate.stdout
