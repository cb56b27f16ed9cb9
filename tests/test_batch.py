"""The batch runner with deterministic fake engines on real stores: outputs, resume, faults, interruption."""

from __future__ import annotations

import io
import json
import os
import threading

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from tests.batch_helpers import make_articles, read_jsonl, write_jsonl
from tests.fakes import EchoEngine
from tests.gated import GatedEngine
from translator.service.articles import ArticleService
from translator.batch import (BadItem, BarProgress, LineProgress, OutputConflict, ProgressSnapshot, SilentProgress,
                              open_input, progress_for, run_batch, write_atomically)
from translator.batch.inputs import ArticleItem, parse_article_line, parse_text_file
from translator.batch.outputs import text_file
from translator.batch.report import Outcome
from translator.engines.metered import MeteredEngine
from translator.glossary import Glossary
from translator.pipeline.translator import Translator
from translator.store import StoredTranslation


def fr(text: str) -> str:
    return f"FR({text})"


def french_body(body: str) -> str:
    """What the echo engine makes of a body whose paragraphs fit one segment each."""
    return "\n\n".join(fr(p) for p in body.split("\n\n"))


@pytest.fixture
def service_on():
    """ArticleServices over a store with a metered engine, shut down afterwards."""
    services: list[ArticleService] = []

    def build(store, engine=None, glossary=None) -> ArticleService:
        engine = engine if engine is not None else EchoEngine()
        service = ArticleService(store, Translator(MeteredEngine(engine), glossary=glossary, memory=store))
        services.append(service)
        return service

    yield build
    for service in services:
        service.shutdown()


def raw_engine(service: ArticleService):
    return service.translator.engine.engine


def batch(service, out, *paths, **options):
    """run_batch with the metered engine's work as its ``work`` hook (as the CLI passes the pair's)."""
    return run_batch([open_input(str(p)) for p in paths], out, service, work=service.translator.engine.work,
                     **options)


# -- JSON Lines ------------------------------------------------------------------------------------------

def test_jsonl_output_lines_in_order_with_french_version_glossary_and_extras(tmp_path, sqlite_store, service_on):
    glossary = Glossary.from_pairs([("Vladimir Putin", "Vladimir Poutine")])
    service = service_on(sqlite_store, glossary=glossary)
    records = [
        {"id": "b", "title": "Putin news", "body": "Vladimir Putin spoke.\n\nHe left.", "format": "text",
         "tags": ["world"], "meta": {"n": 1}},
        {"section": "sport", "id": "a", "body": "Only one paragraph.", "title": "Match"},
    ]
    source = write_jsonl(tmp_path / "in.jsonl", records)

    report = batch(service, tmp_path / "out", source)

    assert read_jsonl(tmp_path / "out" / "in.fr.jsonl") == [
        {"id": "b", "title": fr("Putin news"), "body": fr("Vladimir Poutine spoke.") + "\n\n" + fr("He left."),
         "format": "text", "tags": ["world"], "meta": {"n": 1}, "version": 1,
         "glossary": {"applied": [{"source": "Vladimir Putin", "target": "Vladimir Poutine", "start": 0, "end": 14,
                                   "target_start": 3, "target_end": 19, "paragraph": 0, "part": "body"}],
                      "missed": [], "unlisted": []},
         "segments": {"total": 3, "from_memory": 0, "translated": 3, "unchanged": 0, "failed": 0},
         "status": "ok"},
        {"section": "sport", "id": "a", "body": fr("Only one paragraph."), "title": fr("Match"), "version": 1,
         "glossary": {"applied": [], "missed": [], "unlisted": []},
         "segments": {"total": 2, "from_memory": 0, "translated": 2, "unchanged": 0, "failed": 0},
         "status": "ok"},
    ]
    assert list(read_jsonl(tmp_path / "out" / "in.fr.jsonl")[1]) == [
        "section", "id", "body", "title", "version", "glossary", "segments", "status"]  # input field order kept
    assert report.exit_code == 0
    assert report.to_dict()["articles"] == {"total": 2, "ok": 2, "failed": 0, "not_done": 0, "from_store": 0,
                                            "translated": 2}
    assert report.paragraphs == 3
    assert report.segments == {"total": 5, "from_memory": 0, "translated": 5, "unchanged": 0, "failed": 0}
    assert (report.glossary_applied, report.glossary_missed) == (1, 0)
    assert report.glossary_version == glossary.version


def test_segments_of_all_articles_go_to_the_engine_in_one_pass_per_pool(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    articles = make_articles(10)
    source = write_jsonl(tmp_path / "in.jsonl", articles)

    report = batch(service, tmp_path / "out", source, pool=4)

    calls = raw_engine(service).calls
    assert len(calls) == 3  # pools of 4, 4 and 2 articles
    expected = [[a["title"], *a["body"].split("\n\n")] for a in articles]
    assert calls[0] == [t for texts in expected[0:4] for t in texts]
    assert calls[2] == [t for texts in expected[8:10] for t in texts]
    assert report.model_segments == sum(len(texts) for texts in expected)
    assert report.source_tokens == sum(len(t.split()) + 1 for texts in expected for t in texts)


def test_the_service_then_serves_the_batch_translations_from_the_store(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    articles = make_articles(5)
    batch(service, tmp_path / "out", write_jsonl(tmp_path / "in.jsonl", articles))

    # A "Read in French" click later: another process, same engine identity, no model call.
    click_engine = EchoEngine()
    other = service_on(sqlite_store, engine=click_engine)
    for article in articles:
        served = other.translate(article["id"])
        assert (served.version, served.title, served.body) == (1, fr(article["title"]), french_body(article["body"]))
    assert click_engine.calls == []


def test_a_rerun_calls_the_model_for_nothing(tmp_path, store, service_on):
    service = service_on(store)
    articles = make_articles(12)
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    first = batch(service, tmp_path / "out", source, pool=5)
    first_output = (tmp_path / "out" / "in.fr.jsonl").read_text()
    calls = len(raw_engine(service).calls)

    again = batch(service, tmp_path / "out", source, pool=5)

    assert len(raw_engine(service).calls) == calls
    assert (tmp_path / "out" / "in.fr.jsonl").read_text() == first_output
    assert again.to_dict()["articles"] == {"total": 12, "ok": 12, "failed": 0, "not_done": 0, "from_store": 12,
                                           "translated": 0}
    assert again.segments == {"total": first.segments["total"], "from_memory": first.segments["total"],
                              "translated": 0, "unchanged": 0, "failed": 0}
    assert (again.model_segments, again.source_tokens) == (0, 0)
    assert "  model       not called: every segment came from the store" in again.summary_lines()


def test_an_edited_article_retranslates_only_its_changed_paragraph(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    articles = make_articles(3)
    batch(service, tmp_path / "out", write_jsonl(tmp_path / "in.jsonl", articles))
    paragraphs = articles[1]["body"].split("\n\n")
    paragraphs[1] = "This paragraph was rewritten."
    articles[1]["body"] = "\n\n".join(paragraphs)
    engine = raw_engine(service)
    before = len(engine.calls)

    report = batch(service, tmp_path / "out", write_jsonl(tmp_path / "in.jsonl", articles))

    assert engine.calls[before:] == [["This paragraph was rewritten."]]
    lines = read_jsonl(tmp_path / "out" / "in.fr.jsonl")
    assert [line["version"] for line in lines] == [1, 2, 1]
    assert lines[1]["body"] == french_body(articles[1]["body"])
    assert (report.from_store, report.translated) == (2, 1)
    assert report.segments["translated"] == 1


BAD_LINES = [
    ('{"id": "x", oops', 'invalid JSON: Expecting property name enclosed in double quotes (column 13)', None),
    ('[1, 2]', "expected a JSON object, got array", None),
    ('"text"', "expected a JSON object, got string", None),
    ('{"title": "T", "body": "B"}', "'id' must be a non-empty string (missing)", None),
    ('{"id": "", "title": "T", "body": "B"}', "'id' must be a non-empty string (got an empty string)", None),
    ('{"id": 7, "title": "T", "body": "B"}', "'id' must be a non-empty string (got number)", None),
    ('{"id": "x", "body": "B"}', "'title' must be a string (missing)", "x"),
    ('{"id": "x", "title": null, "body": ["B"]}',
     "'title' must be a string (got null); 'body' must be a string (got array)", "x"),
    ('{"id": "x", "title": "T", "body": "B", "format": "pdf"}', "'format' must be \"text\" or \"html\" (got \"pdf\")",
     "x"),
    ('{"id": "x", "title": "T", "body": "B", "url": 3}', "'url' must be a string or null (got number)", "x"),
]


@pytest.mark.parametrize("raw, error, article_id", BAD_LINES)
def test_a_malformed_line_in_the_middle_is_reported_with_its_number_and_the_rest_succeed(
        tmp_path, sqlite_store, service_on, raw, error, article_id):
    service = service_on(sqlite_store)
    articles = make_articles(6)
    source = write_jsonl(tmp_path / "in.jsonl", articles, raw_lines={3: raw})
    messages = io.StringIO()

    report = batch(service, tmp_path / "out", source, progress=SilentProgress(messages))

    lines = read_jsonl(tmp_path / "out" / "in.fr.jsonl")
    assert len(lines) == 7
    expected_error = {**({"id": article_id} if article_id else {}), "line": 4, "status": "error", "error": error}
    assert lines[3] == expected_error
    assert [line["id"] for line in lines[:3] + lines[4:]] == [a["id"] for a in articles]
    assert all(line["status"] == "ok" for line in lines[:3] + lines[4:])
    assert report.exit_code == 1
    assert (report.ok, report.failed) == (6, 1)
    assert report.errors == [{"input": str(source), "line": 4, "path": None, "id": article_id, "error": error}]
    assert messages.getvalue() == f"error: {source}:4: {error}\n"
    assert f"  {source}:4: {error}" in report.summary_lines()


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    a, b = make_articles(2)
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps(a).encode() + b"\r\n\n   \n" + json.dumps(b).encode()
                       + b"\n\xff{\n")

    report = batch(service, tmp_path / "out", source)

    lines = read_jsonl(tmp_path / "out" / "in.fr.jsonl")
    assert [line.get("id") for line in lines] == ["art-000", "art-001", None]
    assert lines[2] == {"line": 5, "status": "error", "error": "not UTF-8 (byte 1)"}
    assert report.total == 3


def test_stdin_and_an_empty_input(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    (tmp_path / "empty.jsonl").write_text("")
    stdin = io.BytesIO(write_jsonl(tmp_path / "x", make_articles(2)).read_bytes())

    report = run_batch([open_input("-", stdin=stdin), open_input(str(tmp_path / "empty.jsonl"))],
                       tmp_path / "out", service)

    assert [line["id"] for line in read_jsonl(tmp_path / "out" / "stdin.fr.jsonl")] == ["art-000", "art-001"]
    assert (tmp_path / "out" / "empty.fr.jsonl").read_text() == ""
    assert [(i.input, i.written) for i in report.inputs] == [("<stdin>", 1), (str(tmp_path / "empty.jsonl"), 1)]


def test_duplicate_ids_the_last_occurrence_wins(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    a, b = make_articles(2)
    changed = {**a, "body": "A new body."}
    source = write_jsonl(tmp_path / "in.jsonl", [a, b, a, changed])

    report = batch(service, tmp_path / "out", source)

    lines = read_jsonl(tmp_path / "out" / "in.fr.jsonl")
    error = f"id 'art-000' appears again at {source}:4 with different content; the later one is translated"
    assert [line["status"] for line in lines] == ["error", "ok", "error", "ok"]
    assert lines[0] == {"id": "art-000", "format": "text", "section": "s0", "line": 1, "status": "error",
                        "error": error}
    assert lines[3]["body"] == fr("A new body.")
    assert service.get("art-000").body == "A new body."
    assert (report.ok, report.failed) == (2, 2)


def test_identical_duplicates_share_one_translation(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    (a,) = make_articles(1)
    first = write_jsonl(tmp_path / "one.jsonl", [a, a])
    second = write_jsonl(tmp_path / "two.jsonl", [a])

    report = batch(service, tmp_path / "out", first, second)

    one = read_jsonl(tmp_path / "out" / "one.fr.jsonl")
    assert one[0] == one[1] == read_jsonl(tmp_path / "out" / "two.fr.jsonl")[0]
    assert one[0]["version"] == 1
    assert (report.ok, report.failed, report.model_segments) == (3, 0, 1 + len(a["body"].split("\n\n")))


def test_a_failing_article_fails_alone(tmp_path, sqlite_store, service_on):
    articles = make_articles(6)
    poison = articles[2]["body"].split("\n\n")[0]
    service = service_on(sqlite_store, engine=GatedEngine(fail_on=[poison]))
    source = write_jsonl(tmp_path / "in.jsonl", articles)

    report = batch(service, tmp_path / "out", source, pool=4)

    lines = read_jsonl(tmp_path / "out" / "in.fr.jsonl")
    assert [line["status"] for line in lines] == ["ok", "ok", "error", "ok", "ok", "ok"]
    assert lines[2] == {"id": "art-002", "format": "text", "section": "s2", "line": 3, "status": "error",
                        "error": f"ValueError: cannot translate {poison!r}"}
    assert lines[3]["body"] == french_body(articles[3]["body"])
    assert report.exit_code == 1
    assert sqlite_store.get_translation("art-002", 1, "fr") is None


# -- interruption ---------------------------------------------------------------------------------------

class StopAfter(SilentProgress):
    """Sets ``stop`` after ``passes`` progress updates (as a Ctrl-C during that pass would)."""

    def __init__(self, stop: threading.Event, passes: int):
        super().__init__(io.StringIO())
        self.stop, self.passes, self.updates = stop, passes, []

    def update(self, snapshot):
        self.updates.append(snapshot)
        if len(self.updates) == self.passes:
            self.stop.set()


def test_a_stop_ends_after_the_current_pass_and_a_rerun_finishes_the_rest(tmp_path, store, service_on):
    service = service_on(store)
    articles = make_articles(10)
    text_dir = tmp_path / "site"
    (text_dir / "news").mkdir(parents=True)
    (text_dir / "news" / "late.txt").write_text("Late title\n\nLate body.\n")
    done_input = write_jsonl(tmp_path / "done.jsonl", articles[:3])
    big_input = write_jsonl(tmp_path / "big.jsonl", articles[3:])
    out = tmp_path / "out"
    out.mkdir()
    (out / "big.fr.jsonl").write_text("the previous complete file\n")
    stop = threading.Event()
    progress = StopAfter(stop, passes=2)

    report = batch(service, out, done_input, big_input, text_dir, pool=3, progress=progress, stop=stop)

    assert report.interrupted and report.exit_code == 130
    assert [u.done for u in progress.updates] == [3, 6]
    assert [line["id"] for line in read_jsonl(out / "done.fr.jsonl")] == ["art-000", "art-001", "art-002"]
    assert (out / "big.fr.jsonl").read_text() == "the previous complete file\n"
    assert not (out / "news").exists()
    assert sorted(p.name for p in out.iterdir()) == ["big.fr.jsonl", "done.fr.jsonl"]  # no temporary files
    assert report.to_dict()["articles"] == {"total": 11, "ok": 6, "failed": 0, "not_done": 5, "from_store": 0,
                                            "translated": 6}
    assert report.summary_lines()[0].startswith("Batch interrupted after ")
    assert f"  not written {out / 'big.fr.jsonl'} (its input was not finished)" in report.summary_lines()
    calls = len(raw_engine(service).calls)

    again = batch(service, out, done_input, big_input, text_dir, pool=3)

    assert len(raw_engine(service).calls) == calls + 2  # only the 5 unfinished articles: 2 passes
    assert again.to_dict()["articles"] == {"total": 11, "ok": 11, "failed": 0, "not_done": 0, "from_store": 6,
                                           "translated": 5}
    assert [line["body"] for line in read_jsonl(out / "big.fr.jsonl")] == [
        french_body(a["body"]) for a in articles[3:]]
    assert (out / "news" / "late.txt").read_text() == f"{fr('Late title')}\n\n{fr('Late body.')}\n"


# -- text directories ------------------------------------------------------------------------------------

def test_text_directories_keep_paths_and_layout(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    site = tmp_path / "site"
    (site / "2024" / "05").mkdir(parents=True)
    (site / "a.txt").write_text("Budget vote\n\nFirst paragraph.\n\nSecond paragraph.\n")
    (site / "2024" / "05" / "b.md").write_text("\n# Storm warning\nThe cyclone nears.\n")
    (site / "2024" / "bad.txt").write_bytes(b"Title\n\xe9t\xe9\n")
    (site / "empty.txt").write_text("  \n\n")
    (site / "notes.rst").write_text("ignored\n")
    (site / ".hidden").mkdir()
    (site / ".hidden" / "c.txt").write_text("Hidden\n")
    messages = io.StringIO()

    report = batch(service, tmp_path / "out", site, progress=SilentProgress(messages))

    out = tmp_path / "out"
    assert (out / "a.txt").read_text() == (f"{fr('Budget vote')}\n\n{fr('First paragraph.')}\n\n"
                                           f"{fr('Second paragraph.')}\n")
    assert (out / "2024" / "05" / "b.md").read_text() == f"\n# {fr('Storm warning')}\n{fr('The cyclone nears.')}\n"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == ["2024/05/b.md", "a.txt"]
    assert service.get("2024/05/b.md").title == "Storm warning"
    assert report.errors == [
        {"input": str(site), "line": None, "path": "2024/bad.txt", "id": "2024/bad.txt", "error": "not UTF-8 (byte 7)"},
        {"input": str(site), "line": None, "path": "empty.txt", "id": "empty.txt",
         "error": "empty file (no title line)"},
    ]
    assert messages.getvalue().splitlines() == [f"error: {site / '2024/bad.txt'}: not UTF-8 (byte 7)",
                                                f"error: {site / 'empty.txt'}: empty file (no title line)"]
    assert report.inputs[0].to_dict() == {"input": str(site), "output": str(out), "kind": "text", "articles": 4,
                                          "ok": 2, "failed": 2, "not_done": 0, "written": 2}


def _identity(item: ArticleItem) -> Outcome:
    return Outcome(StoredTranslation(id=item.id, version=1, lang="fr", title=item.title, body=item.body,
                                     paragraphs=[], model="m", glossary_version="", translated_at=""))


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n\t.#"), max_size=40))
def test_text_file_layout_is_lossless(text):
    """Title and body put back into the recorded layout give the file back (first line a title)."""
    item = parse_text_file(text, "x.txt", 0)
    if isinstance(item, BadItem):
        assert not text.strip()
        return
    assert "\n" not in item.title and item.title == item.title.strip()
    assert item.body == item.body.strip()
    assert text_file(item, _identity(item)) == text


@pytest.mark.parametrize("text, title, heading", [
    ("# Title\nBody", "Title", "# "), ("### Deep  \nBody", "Deep", "### "), ("#NoSpace\nBody", "#NoSpace", ""),
    ("Plain\nBody", "Plain", ""), ("####### Seven\nBody", "####### Seven", ""), ("  ## Two\nBody", "Two", "  ## "),
])
def test_markdown_heading_marks_are_kept_out_of_the_title(text, title, heading):
    item = parse_text_file(text, "x.md", 0)
    assert (item.title, item.layout.heading) == (title, heading)
    assert text_file(item, _identity(item)) == text


# -- outputs -----------------------------------------------------------------------------------------

def test_conflicting_outputs_are_refused_before_any_work(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = write_jsonl(tmp_path / "a" / "x.jsonl", make_articles(1))
    two = write_jsonl(tmp_path / "b" / "x.jsonl", make_articles(1))
    site = tmp_path / "site"
    site.mkdir()
    (site / "p.txt").write_text("T\n\nB\n")
    write_jsonl(tmp_path / "x.jsonl", make_articles(1))
    french = write_jsonl(tmp_path / "x.fr.jsonl", make_articles(1))

    with pytest.raises(OutputConflict, match=r"inputs .*a/x.jsonl and .*b/x.jsonl would both write .*x.fr.jsonl"):
        batch(service, tmp_path / "out", one, two)
    with pytest.raises(OutputConflict, match=r"--out .*site/fr is inside the input directory"):
        batch(service, site / "fr", site)
    with pytest.raises(OutputConflict, match=r"--out .*site is the input directory .*site; choose"):
        batch(service, site, site)
    with pytest.raises(OutputConflict, match=r"output .*/x.fr.jsonl would overwrite the input .*/x.fr.jsonl"):
        batch(service, tmp_path, tmp_path / "x.jsonl", french)
    assert raw_engine(service).calls == []
    assert not (tmp_path / "out").exists()


def test_write_atomically_replaces_whole_files_and_clears_dead_runs_temporaries(tmp_path):
    target = tmp_path / "deep" / "out.fr.jsonl"
    write_atomically(target, "old\n")
    dead = target.with_name(f".{target.name}.999999999.tmp")  # beyond any pid: its writer is gone
    dead.write_text("half a fi")
    alive = target.with_name(f".{target.name}.{os.getppid()}.tmp")
    alive.write_text("someone else is writing")

    write_atomically(target, "new\n")

    assert target.read_text() == "new\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [alive.name, target.name]


# -- progress ------------------------------------------------------------------------------------------

def test_plain_progress_lines():
    stream = io.StringIO()
    progress = LineProgress(stream, interval_s=3600)
    progress.start(200)
    progress.update(ProgressSnapshot(done=40, total=200, segments=160, source_tokens=4000, elapsed_s=8.0))
    progress.update(ProgressSnapshot(done=80, total=200, segments=320, source_tokens=8000, elapsed_s=16.0))
    progress.update(ProgressSnapshot(done=200, total=200, segments=800, source_tokens=20000, elapsed_s=40.0))
    progress.message("error: x")
    progress.close()
    assert stream.getvalue().splitlines() == [
        "batch: 200 articles to go through",
        "batch: 40/200 articles (20%), 160 segments, 500 source tokens/s, elapsed 0:08, ETA 0:32",
        "batch: 200/200 articles (100%), 800 segments, 500 source tokens/s, elapsed 0:40, ETA 0:00",
        "error: x",
    ]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_articles_segments_rate_and_eta():
    terminal = FakeTerminal()
    progress = progress_for(terminal)
    assert isinstance(progress, BarProgress)
    progress.start(200)
    progress.update(ProgressSnapshot(done=50, total=200, segments=210, source_tokens=4000, elapsed_s=8.0))
    progress.message("error: in.jsonl:4: invalid JSON")
    progress.close()
    drawn = terminal.getvalue()
    assert "50/200" in drawn and "210 segments, 500 source tok/s" in drawn and "<" in drawn  # tqdm's ETA
    assert "error: in.jsonl:4: invalid JSON\n" in drawn
    assert isinstance(progress_for(FakeTerminal(), quiet=True), SilentProgress)
    assert type(progress_for(io.StringIO())) is LineProgress


def test_parse_article_line_keeps_every_field():
    item = parse_article_line(b'{"id": "x", "title": "T", "body": "B", "url": "https://e.x/1", "n": [1]}', 9, 4)
    assert item == ArticleItem(4, "x", "T", "B", url="https://e.x/1", line=9,
                               fields={"id": "x", "title": "T", "body": "B", "url": "https://e.x/1", "n": [1]})
    assert parse_article_line(b"  \t", 1, 0) is None


def test_the_summary_says_what_was_done(tmp_path, sqlite_store, service_on):
    service = service_on(sqlite_store, glossary=Glossary.from_pairs([("Vladimir Putin", "Vladimir Poutine")]))
    records = [{"id": "a", "title": "Putin speaks", "body": "Vladimir Putin spoke.\n\n2024.\n\nVladimir Putin left."},
               {"id": "b", "title": "Weather", "body": "Rain."}]
    source = write_jsonl(tmp_path / "in.jsonl", records, raw_lines={1: "{oops"})

    report = batch(service, tmp_path / "out", source)
    report.elapsed_s = 2.0  # the only figure that varies between runs

    assert report.summary_lines() == [
        "Batch completed in 2.0 s: 3 articles, 2 ok, 1 failed.",
        "  articles    2 ok (0 already translated in the store, 2 translated now), 1 failed",
        "  paragraphs  4",
        "  segments    6: 0 from memory, 5 translated by the model, 1 unchanged, 0 failed (English kept)",
        "  glossary    2 terms applied, 0 missed",
        "  model       8 source tokens/s (15 source tokens in 5 segments through the model)",
        "  elapsed     2.0 s",
        f"  output      {tmp_path / 'out' / 'in.fr.jsonl'}",
        "errors:",
        f"  {source}:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
    ]
    assert report.to_dict()["segments"] == {"total": 6, "from_memory": 0, "translated": 5, "unchanged": 1,
                                            "failed": 0}
    assert report.to_dict()["source_tokens_per_s"] == 7.5
