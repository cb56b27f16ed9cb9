"""One engine result type for n-best, scores and alignment: the type, its helpers, both backends,
the pooled and metered wrappers and the pipeline's use of it."""

from __future__ import annotations

import threading

import pytest

from tests.fakes import DetailedEngine, EchoEngine
from translator.glossary.enforcement import Enforcement
from translator.engines.alignment import align_pieces, piece_spans
from translator.engines.metered import MeteredEngine
from translator.engines.pooled import PooledEngine
from translator.engines.results import AlignedPiece, EngineResult, Hypothesis, translate_detailed
from translator.pipeline.translator import Translator

# -- the type and its helpers ---------------------------------------------------------------------


def test_a_result_needs_a_hypothesis_and_its_best_is_the_first():
    with pytest.raises(ValueError):
        EngineResult(())
    result = EngineResult((Hypothesis("Bonjour", -0.2), Hypothesis("Salut", -0.9)))
    assert (result.text, result.best.score) == ("Bonjour", -0.2)


def test_target_span_covers_every_piece_aligned_into_the_source_range():
    #          0123456789012345678          source: "the Bank of Mauritius"
    hyp = Hypothesis("la Banque de Maurice", -0.1, (
        AlignedPiece(0, 2, 0, 3), AlignedPiece(3, 9, 4, 8), AlignedPiece(10, 12, 9, 11),
        AlignedPiece(13, 20, 12, 21)))
    assert hyp.target_span(12, 21) == (13, 20)
    assert hyp.target_span(4, 21) == (3, 20)
    assert [p.target_start for p in hyp.pieces_in(4, 11)] == [3, 10]
    assert hyp.target_span(22, 30) is None
    assert Hypothesis("x").target_span(0, 1) is None


@pytest.mark.parametrize("text, pieces, spans", [
    ("Hello world.", ["▁Hello", "▁wor", "ld", "."], [(0, 5), (6, 9), (9, 11), (11, 12)]),
    ("  two  spaces", ["▁two", "▁spaces"], [(2, 5), (7, 13)]),
    # the tokenizer normalised the curly quote: the piece still takes its character
    ("“Hi”", ["▁\"", "Hi", "\""], [(0, 1), (1, 3), (3, 4)]),
    # special tokens (end-of-sentence) are passed as "": an empty span where the walk stands
    ("Hi.", ["▁Hi", ".", ""], [(0, 2), (2, 3), (3, 3)]),
])
def test_piece_spans_walk_the_text(text, pieces, spans):
    assert piece_spans(text, pieces) == spans


def test_align_pieces_takes_the_most_attended_source_piece_and_ignores_special_tokens():
    source_spans = [(0, 5), (6, 11), (11, 11)]          # "Hello", "world", </s>
    target_spans = [(0, 7), (8, 13), (13, 13)]          # "Bonjour", "monde", (empty)
    attention = [[0.7, 0.1, 0.2], [0.1, 0.3, 0.6], [0.0, 0.0, 1.0]]  # row 2 rests on </s>
    assert align_pieces(attention, source_spans, target_spans) == (
        AlignedPiece(0, 7, 0, 5), AlignedPiece(8, 13, 6, 11))


def test_a_plain_engine_is_wrapped_without_score_or_alignment():
    results = translate_detailed(EchoEngine(), ["a", "b"], n_best=4, alignment=True)
    assert results == [EngineResult.of("FR(a)"), EngineResult.of("FR(b)")]
    assert results[0].best.alignment is None and results[0].best.score is None


# -- both backends on the tiny model ---------------------------------------------------------------

TEXTS = ["The minister visited Port Louis on Monday.", "Hello world.", "Rates rose by 3.5 percent."]


@pytest.fixture(scope="module")
def backends(tiny_model_dir, tmp_path_factory):
    """The tiny model on torch and on CTranslate2 float32 (int8 would move the scores)."""
    from translator.config import Settings
    from translator.engines.ctranslate2 import CTranslate2Engine
    from translator.engines.marian import MarianEngine

    settings = Settings(data_dir=tmp_path_factory.mktemp("results-data"), threads=1, glossary=None,
                        compute_type="float32")
    return {"torch": MarianEngine.load(str(tiny_model_dir), settings),
            "ctranslate2": CTranslate2Engine.load(str(tiny_model_dir), settings)}


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_backend_returns_n_best_with_scores_and_an_in_bounds_alignment(backends, backend):
    engine = backends[backend]
    plain = engine.translate(TEXTS)
    results = engine.translate_detailed(TEXTS, n_best=3, alignment=True)
    assert [r.text for r in results] == plain  # the best hypothesis is the plain translation
    for source, result in zip(TEXTS, results):
        assert 1 <= len(result.hypotheses) <= 3
        assert len({h.text for h in result.hypotheses}) == len(result.hypotheses)
        for hyp in result.hypotheses:
            assert hyp.score is not None and hyp.score <= 0
            assert hyp.alignment, "every hypothesis with text is aligned"
            ends = [p.target_end for p in hyp.alignment]
            assert ends == sorted(ends) and ends[-1] <= len(hyp.text)
            for piece in hyp.alignment:
                assert hyp.text[piece.target_start:piece.target_end].strip()
                assert source[piece.source_start:piece.source_end].strip()


def test_both_backends_score_the_same_hypothesis_alike(backends):
    torch_results = backends["torch"].translate_detailed(TEXTS)
    ct2_results = backends["ctranslate2"].translate_detailed(TEXTS)
    for a, b in zip(torch_results, ct2_results):
        if a.text == b.text:
            assert a.best.score == pytest.approx(b.best.score, abs=0.05)
        assert a.best.alignment is None  # not asked for


@pytest.mark.parametrize("n_best", [1, 3])
def test_torch_scores_read_off_the_beam_search_equal_a_second_pass(backends, n_best):
    # Without alignment, torch scores come from the beam search itself (BeamScoreRecorder);
    # with it, from a teacher-forced pass of the decoder: the same numbers.
    engine = backends["torch"]
    searched = engine.translate_detailed(TEXTS, n_best=n_best)
    rescored = engine.translate_detailed(TEXTS, n_best=n_best, alignment=True)
    for a, b in zip(searched, rescored):
        assert [h.text for h in a.hypotheses] == [h.text for h in b.hypotheses]
        assert [h.score for h in a.hypotheses] == pytest.approx([h.score for h in b.hypotheses], abs=1e-4)
        assert all(h.alignment is None for h in a.hypotheses)


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_fallback_gives_one_scored_hypothesis(backends, backend):
    (result,) = backends[backend].translate_detailed(["Hello world."], n_best=4, fallback=True)
    assert len(result.hypotheses) == 1 and result.best.score is not None


# -- wrappers ---------------------------------------------------------------------------------------


def scored(text: str) -> list[tuple[str, float]]:
    return [(f"FR({text})", -0.25), (f"FR2({text})", -0.5)]


def test_metered_engine_passes_details_through_and_counts_them():
    fake = DetailedEngine(scored)
    metered = MeteredEngine(fake)
    results = metered.translate_detailed(["one two", "three"], n_best=2, alignment=True)
    assert [[h.text for h in r.hypotheses] for r in results] == [["FR(one two)", "FR2(one two)"],
                                                                  ["FR(three)", "FR2(three)"]]
    assert (metered.segments, metered.source_tokens) == (2, 5)
    assert fake.detailed_calls == [(["one two", "three"], 2, True, False)]


def test_pooled_engine_pools_only_requests_that_ask_for_the_same_details():
    fake = DetailedEngine(scored)
    pooled = PooledEngine(fake, window_ms=200, max_pending=100)
    outcomes = {}

    def call(name, function):
        outcomes[name] = function()

    calls = {"plain": lambda: pooled.translate(["a"]),
             "nbest": lambda: pooled.translate_detailed(["b", "c"], n_best=2),
             "nbest-too": lambda: pooled.translate_detailed(["c", "d"], n_best=2),
             "aligned": lambda: pooled.translate_detailed(["e"], alignment=True)}
    threads = [threading.Thread(target=call, args=item) for item in calls.items()]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    finally:
        pooled.close()
    assert outcomes["plain"] == ["FR(a)"]
    assert [r.hypotheses[1].text for r in outcomes["nbest-too"]] == ["FR2(c)", "FR2(d)"]
    assert outcomes["aligned"][0].best.alignment is not None
    detailed = sorted((sorted(texts), n, a) for texts, n, a, _ in fake.detailed_calls)
    assert detailed == [(["b", "c", "d"], 2, False), (["e"], 1, True)]  # "c" translated once
    assert fake.calls.count(["a"]) == 1


# -- the pipeline ----------------------------------------------------------------------------------


class _Prepared:
    def __init__(self, source: str, n_best: int, alignment: bool, fingerprint: str = "terms"):
        self.engine_text, self.fingerprint = source, fingerprint
        self.n_best, self.alignment = n_best, alignment


class _NeedyGlossary:
    """A glossary whose prepared segments ask the engine for 4 hypotheses and alignment."""

    version = "v1"

    @property
    def current(self):
        return self

    def prepare(self, source):
        return _Prepared(source, 4, True) if "Mauritius" in source else _Prepared(source, 1, False, "")

    def choose(self, prepared, hypotheses):
        return 0

    def finish(self, prepared, output, *, repair=True, unchecked=None):
        return Enforcement(output[0].text)


def test_pipeline_keeps_the_score_and_asks_for_what_the_glossary_needs(tmp_path):
    from translator.store import open_store

    fake = DetailedEngine(scored)
    memory = open_store(f"sqlite:///{tmp_path / 'memory.sqlite3'}")
    translator = Translator(fake, glossary=_NeedyGlossary(), memory=memory)
    text = "Mauritius votes.\n\nRain today."
    first = translator.translate_text(text)
    assert [(s.target, s.status, s.score) for s in first.segments] == [
        ("FR(Mauritius votes.)", "translated", -0.25), ("FR(Rain today.)", "translated", -0.25)]
    assert first.segments[0].engine_result.hypotheses[1].text == "FR2(Mauritius votes.)"
    assert sorted((texts, n, a) for texts, n, a, _ in fake.detailed_calls) == [
        (["Mauritius votes."], 4, True), (["Rain today."], 1, False)]
    again = translator.translate_text(text)  # from memory: the fresh score (issue 24), no engine result
    assert [(s.status, s.score, s.engine_result) for s in again.segments] == [("memory", -0.25, None)] * 2
    memory.close()
