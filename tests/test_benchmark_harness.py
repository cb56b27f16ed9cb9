"""The benchmark harness does what its figures claim: the same work in every system.

No timings here: these tests run the harness's systems on the tiny model and
check the workload, the forced lengths, the token accounting and the guard
that voids a run whose systems did different work.
"""

from __future__ import annotations

import math

import pytest

from benchmarks.forced_length import (
    BenchmarkError,
    ForcedLengthCTranslate2Engine,
    ForcedLengthMarianEngine,
    forced_output_tokens,
)
from benchmarks.run import BenchmarkFailed, check_same_work, median_article
from benchmarks.systems import BaselineRunner, PipelineRunner
from benchmarks.workload import Article, news_articles
from translator.config import Settings
from translator.engines.batched import LengthLimits
from translator.engines.ct2_conversion import convert_model

ARTICLE = Article("Police arrested two men in the harbour", (
    "The government minister said on Monday that parliament will vote on the new budget.",
    "Prices of rice and fuel rose again this week according to the statistics office. "
    "The central bank kept its interest rate unchanged amid rising inflation.",
    "Fishermen in the south warned that the cyclone could reach the island tomorrow.",
))
OTHER = Article("Students protested", ("Doctors at the hospital treated dozens of patients during the night.",))


#: The tests on the forced engines: their fixtures convert the tiny model and load it on both backends
#: (seconds), so `make test-fast` leaves them out.
SLOW_ENGINES = pytest.mark.slow


@pytest.fixture(scope="session")
def tiny_ct2_dir(tiny_model_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-ct2") / "converted"
    return convert_model(str(tiny_model_dir), tiny_model_dir, out).path


@pytest.fixture(scope="session")
def forced_engines(tiny_model_dir, tiny_ct2_dir):
    settings = Settings(threads=1, glossary=None)
    return {"torch": ForcedLengthMarianEngine.load(str(tiny_model_dir), settings),
            "ctranslate2": ForcedLengthCTranslate2Engine.load(str(tiny_ct2_dir), settings)}


def _expected_work(engine, articles) -> tuple[int, int, int]:
    lengths = [engine.count_tokens(t) for a in articles for t in (a.title, *a.paragraphs)]
    return len(lengths), sum(lengths), sum(forced_output_tokens(n) for n in lengths)


# -- workload ---------------------------------------------------------------------------------------------


def test_workload_is_twenty_news_articles_of_the_required_size():
    articles = news_articles()
    assert len(articles) == 20
    for article in articles:
        assert 8 <= len(article.paragraphs) <= 20
        assert 400 <= article.words <= 900
        assert article.body.split("\n\n") == list(article.paragraphs)
    texts = [t for a in articles for t in (a.title, *a.paragraphs)]
    assert len(set(texts)) == len(texts)


def test_workload_is_the_same_every_time():
    assert news_articles() == news_articles()
    assert news_articles(3, seed=1) != news_articles(3, seed=2)


def test_median_article_is_the_middle_one_by_length():
    articles = news_articles()
    index = median_article(articles)
    shorter = sum(a.words < articles[index].words for a in articles)
    assert shorter in (9, 10)


@pytest.mark.parametrize("source_tokens, forced", [(1, 2), (5, 6), (10, 12), (11, 14), (100, 120)])
def test_forced_output_tokens_is_one_point_two_times_rounded_up(source_tokens, forced):
    assert forced_output_tokens(source_tokens) == forced == math.ceil(1.2 * source_tokens)


# -- the same work in every system -------------------------------------------------------------------------


@SLOW_ENGINES
@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
@pytest.mark.parametrize("pooled", [False, True])
def test_pipeline_systems_generate_exactly_the_forced_tokens(forced_engines, backend, pooled):
    engine = forced_engines[backend]
    done = PipelineRunner(engine, pooled=pooled).translate([ARTICLE, OTHER])
    segments, source, generated = _expected_work(engine, [ARTICLE, OTHER])
    assert (done.segments, done.source_tokens, done.generated_tokens) == (segments, source, generated)
    assert segments == 6
    # Shorter batch members decode padding steps: done, not credited.
    assert done.decoded_tokens >= done.generated_tokens


@SLOW_ENGINES
def test_baseline_generates_the_same_tokens_as_the_pipelines(tiny_model_dir, forced_engines):
    baseline = BaselineRunner(tiny_model_dir, threads=1).translate([ARTICLE, OTHER])
    for engine in forced_engines.values():
        done = PipelineRunner(engine).translate([ARTICLE, OTHER])
        assert (done.segments, done.source_tokens, done.generated_tokens) == \
            (baseline.segments, baseline.source_tokens, baseline.generated_tokens)
    assert baseline.decoded_tokens == baseline.generated_tokens  # one at a time: no padding


@SLOW_ENGINES
def test_forced_outputs_are_complete_and_never_retried(forced_engines):
    for engine in forced_engines.values():
        result = PipelineRunner(engine).translator.translate_article(ARTICLE.title, ARTICLE.body)
        assert result.counts["translated"] == 4 and result.counts["failed"] == 0
        for segment in result.segments:
            tokens = forced_output_tokens(engine.count_tokens(segment.source))
            assert segment.target.startswith(f"[{tokens} tokens, ")


@SLOW_ENGINES
@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
@pytest.mark.parametrize("length", [4, 19])
def test_the_forced_engines_decode_exactly_the_bound(forced_engines, backend, length):
    engine = forced_engines[backend]
    sources = ["Police arrested two men.", "The president met leaders from Africa and Europe to discuss trade."]
    encoded = [engine.encode(s) for s in sources]
    engine.reset_counts()
    # BenchmarkError unless every row decoded exactly `length` tokens; each is credited its forced length.
    (outputs,) = engine.decode_batches([encoded], [LengthLimits(length)])
    assert engine.decoded_tokens == 2 * length
    assert [len(o.token_ids) for o in outputs] == [min(length, forced_output_tokens(len(ids))) for ids in encoded]


@SLOW_ENGINES
def test_a_retry_would_void_the_run(forced_engines):
    with pytest.raises(BenchmarkError, match="retried"):
        forced_engines["torch"].translate(["Police arrested two men."], fallback=True)


@SLOW_ENGINES
def test_a_paragraph_cut_into_several_segments_voids_the_run(forced_engines):
    long_paragraph = " ".join(["The president met leaders from Africa and Europe to discuss trade."] * 30)
    with pytest.raises(BenchmarkError, match="one per title/paragraph"):
        PipelineRunner(forced_engines["ctranslate2"]).translate([Article("Trade", (long_paragraph,))])


def test_systems_that_did_different_work_void_the_comparison():
    same = {"segments": 7, "source_tokens": 120, "generated_tokens": 150}
    results = {"baseline": [dict(same)], "pipeline-torch": [dict(same), dict(same)]}
    assert check_same_work(results) == same
    results["pipeline-ct2-int8"] = [dict(same, generated_tokens=149)]
    with pytest.raises(BenchmarkFailed, match="different work"):
        check_same_work(results)



# -- memory figure ----------------------------------------------------------------------------------------


@pytest.mark.slow  # a Python process, and 800 MB between it and this one
def test_worker_reports_its_own_peak_rss_not_its_parents():
    """A child that holds a 200 MB buffer reports about 200 MB, though its parent holds more.

    (``ru_maxrss`` carried the parent's peak over fork and exec: every system showed the same figure.)
    """
    import subprocess
    import sys
    from pathlib import Path

    parent_buffer = b"p" * (600 << 20)  # the parent's peak is well above the child's
    child = ("from benchmarks.memory import peak_rss_mb\n"
             "buffer = b'c' * (200 << 20)\n"
             "print(peak_rss_mb())\n")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    reported = float(done.stdout)
    assert len(parent_buffer) == 600 << 20
    assert 200 * 0.9 <= reported <= 200 * 1.1, reported


# -- first paragraph first ----------------------------------------------------------------------------


@SLOW_ENGINES
def test_first_paragraph_measurement_reports_both_times_for_the_600_word_article(tiny_model_dir, tiny_ct2_dir):
    from benchmarks.first_paragraph import article_of_about, measure

    index = article_of_about(600)
    assert news_articles()[index].words == 600
    result = measure("ctranslate2", tiny_model_dir, tiny_ct2_dir, threads=1)
    assert (result["backend"], result["article"], result["words"]) == ("ctranslate2", index, 600)
    assert result["paragraphs"] == len(news_articles()[index].paragraphs)
    # The first paragraph is shown before the last stage has run: never later than the whole article.
    assert 0 < result["first_paragraph_s"] <= result["whole_article_s"]
    assert result["one_pass_s"] > 0
