"""The translation pipeline: segments -> glossary -> memory -> engine -> reassembled text.

:class:`Translator` is the one place where a text becomes French. The CLI,
the HTTP service and the batch job all call it, so they share segmentation,
glossary enforcement, the translation memory and the failure rules:

* every paragraph of the input comes back, in order, one blank line apart;
* segments with nothing to translate pass through without a model call;
* identical segments are translated once per call;
* an empty or looping output is retried once with the engine's fallback
  settings; if that fails too, the English segment stays in place and is
  flagged in the metadata (``status == "failed"``), never dropped, and its
  glossary names are reported missed ("segment not translated");
* segments that contain glossary names ask the engine for n-best and
  alignment (the prepared segment says so), so the glossary can pick the
  hypothesis that keeps every name (``choose``) and check each name by
  position (``finish``); the memory stores what the reader gets: the French
  after the glossary, its report and its score (:class:`~.memory.MemoryEntry`),
  so a hit equals the fresh answer. Everything
  the pipeline calls on a glossary is declared in :mod:`translator.glossary.contract`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Final, Literal

from ..engines import Engine
from ..engines.results import DetailedEngine, EngineResult, Hypothesis, translate_detailed
from ..errors import StoreError
from ..glossary.contract import GlossarySnapshot, GlossarySource, PreparedText
from ..glossary.enforcement import NOT_TRANSLATED, TOO_LONG
from .memory import MemoryEntry, TranslationMemory, memory_key
from ..text.offsets import OffsetMap
from .flags import segment_flags
from .status import SegmentStatus, TextStatus, text_status
from ..text.segmentation import Paragraph, Segment, join_paragraphs, segment_article
from ..text.typography import Typography

__all__ = ["OWN_GLOSSARY", "ArticleTranslation", "CallGlossary", "PartialArticle", "SegmentResult",
           "TextTranslation", "Translator", "looks_degenerate", "reading_stage"]

log = logging.getLogger(__name__)


class _Own(Enum):
    OWN_GLOSSARY = "own glossary"


#: The default of every call's ``glossary`` argument: the translator's own glossary, resolved to
#: the snapshot in force when the call starts (a sentinel, not a glossary: ``None`` means "none").
OWN_GLOSSARY: Final = _Own.OWN_GLOSSARY

#: A call's ``glossary`` argument: a resolved snapshot, ``None`` (no glossary), or the default.
CallGlossary = GlossarySnapshot | None | Literal[_Own.OWN_GLOSSARY]


@dataclass
class SegmentResult:
    """One segment's journey: where its French came from and which glossary terms it carries."""

    source: str
    target: str
    status: SegmentStatus
    applied: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    unlisted: list[dict] = field(default_factory=list)
    #: Mean log-probability per token of the chosen hypothesis (model calls only; None otherwise).
    score: float | None = None
    #: Everything the engine returned for this segment (model calls only): n-best, scores, alignment.
    engine_result: EngineResult | None = field(default=None, repr=False, compare=False)
    flags: list[str] = field(default_factory=list)  # review flags (translator.pipeline.flags)
    paragraph: int = 0          # the paragraph (text) or block (HTML) of its text it belongs to
    trailing: str = ""          # the source whitespace that followed it (kept in the output)
    #: HTML only: the piece of the document it belongs to (an inline run or a translated attribute, in
    #: :func:`translator.html.blocks.extract_units` order), so a correction can rebuild just that piece.
    piece: int | None = None

    def to_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "status": self.status,
                "glossary": {"applied": self.applied, "missed": self.missed, "unlisted": self.unlisted}}


def _segment_counts(segments: Sequence[SegmentResult]) -> dict[str, int]:
    counts = {"total": len(segments), "from_memory": 0, "translated": 0, "unchanged": 0, "failed": 0}
    for s in segments:
        counts["from_memory" if s.status == SegmentStatus.MEMORY else s.status] += 1
    return counts


def _glossary_report(segments: Sequence[SegmentResult], **extra) -> dict[str, list[dict]]:
    """Every segment's items, in order; ``extra`` keys are added to each item."""
    report: dict[str, list[dict]] = {"applied": [], "missed": [], "unlisted": []}
    for s in segments:
        for kind, items in (("applied", s.applied), ("missed", s.missed), ("unlisted", s.unlisted)):
            report[kind].extend({**t, **extra} for t in items)
    return report


@dataclass
class TextTranslation:
    """A translated text: the French, its paragraphs and per-segment metadata."""

    text: str
    paragraphs: list[str]
    segments: list[SegmentResult]
    glossary_version: str = ""  # the version of the glossary snapshot it was made with ("" = none)

    @property
    def counts(self) -> dict[str, int]:
        """Segments total / from memory / translated / unchanged / failed."""
        return _segment_counts(self.segments)

    @property
    def glossary(self) -> dict[str, list[dict]]:
        """Glossary terms applied and missed, one item per occurrence, and unlisted names.

        Items carry ``paragraph`` (its index) and ``start``/``end`` in that
        English paragraph; applied ones ``target_start``/``target_end`` in the
        French paragraph.
        """
        return _glossary_report(self.segments)

    @property
    def status(self) -> TextStatus:
        """``"partial"`` when a segment kept its English, else ``"ok"``."""
        return text_status(self.counts)


@dataclass
class ArticleTranslation:
    """A translated article: title and body (the title counts as segments too)."""

    title: TextTranslation
    body: TextTranslation

    @property
    def glossary_version(self) -> str:
        """The version of the glossary snapshot both parts were made with."""
        return self.body.glossary_version

    @property
    def segments(self) -> list[SegmentResult]:
        return self.title.segments + self.body.segments

    @property
    def counts(self) -> dict[str, int]:
        return _segment_counts(self.segments)

    @property
    def glossary(self) -> dict[str, list[dict]]:
        """The title's and the body's items; each says which (``"part": "title"`` or ``"body"``)."""
        title, body = (_glossary_report(self.title.segments, part="title"),
                       _glossary_report(self.body.segments, part="body"))
        return {kind: title[kind] + body[kind] for kind in title}

    @property
    def status(self) -> TextStatus:
        """``"partial"`` when a segment kept its English, else ``"ok"``."""
        return text_status(self.counts)


@dataclass(frozen=True)
class PartialArticle:
    """An article translation under way: the title once done, and the body's first ``done``
    paragraphs of ``total`` (always a prefix, in reading order)."""

    title: str | None
    paragraphs: list[str]
    total: int

    @property
    def done(self) -> int:
        return len(self.paragraphs)

    def to_dict(self) -> dict:
        return {"title": self.title, "paragraphs": list(self.paragraphs), "done": self.done, "total": self.total}

    @classmethod
    def from_dict(cls, data: dict) -> "PartialArticle":
        """The inverse of :meth:`to_dict` (``done`` follows from the paragraphs)."""
        return cls(data.get("title"), list(data.get("paragraphs", [])), int(data.get("total", 0)))


def reading_stage(paragraph_index: int) -> int:
    """The stage in which body paragraph ``paragraph_index`` (0-based) is translated.

    Stage 0 is the title and the first paragraph (the two decode side by
    side), stage 1 the second paragraph, stage 2 all the others: the reader
    sees the top of the article after one short engine call, and the rest
    still goes to the engine in one pass that fills its batches (more,
    smaller stages left cores idle and made the whole article slower).
    """
    return min(paragraph_index, 2)


_LOOP = re.compile(r"(\b.{1,40}?\b)(?:\W*\1){4,}", re.DOTALL)


def looks_degenerate(source: str, output: str) -> bool:
    """Empty output, or one that repeats a short phrase five times or more in a row
    when the source does not."""
    if not output.strip():
        return True
    match = _LOOP.search(output)
    return bool(match and not _LOOP.search(source) and len(match.group()) > len(output) / 3)


@dataclass
class _Job:
    """A translatable segment on its way through the pipeline."""

    source: str
    prepared: PreparedText | None   # None: no glossary for this call
    engine_text: str
    key: str
    n_best: int = 1
    alignment: bool = False
    output: str | None = None
    status: SegmentStatus | None = None
    hypotheses: list[Hypothesis] | None = None   # the glossary's choice among result's, when it chose
    result: EngineResult | None = None
    unglossed: bool = False  # the French forms did not fit the model: translated without them
    finished: MemoryEntry | None = None  # the output after the glossary, what the memory keeps


class Translator:
    """Translate texts and articles through an :class:`Engine`.

    ``glossary`` (optional) enforces proper nouns: a fixed :class:`~translator.glossary.Glossary`
    or a :class:`~translator.glossary.LiveGlossary`, resolved to its current snapshot once per
    call (a :class:`~translator.glossary.contract.GlossarySource`); ``memory`` (optional) caches
    segments across calls. ``segment_tokens`` bounds each segment sent to the
    engine, well below the model's 512-token limit. ``typography`` (optional)
    post-edits every machine target (French typography); ``review_score`` is the
    score under which a segment is flagged ``low_score``.
    """

    def __init__(self, engine: Engine, *, glossary: GlossarySource | None = None,
                 memory: TranslationMemory | None = None, segment_tokens: int = 200,
                 typography: Typography | None = None, review_score: float | None = None):
        self.engine = engine
        self.glossary = glossary
        self.memory = memory
        self.segment_tokens = min(segment_tokens, engine.max_input_tokens - 2)
        self.memory_write_failures = 0  # memory writes that failed (the translations were still returned)
        self._failures_lock = threading.Lock()
        self.typography = typography
        self.review_score = review_score

    @property
    def glossary_version(self) -> str:
        """The version of the snapshot a call would use now (``""``: no glossary)."""
        snapshot = self.resolve_glossary(OWN_GLOSSARY)
        return snapshot.version if snapshot is not None else ""

    def resolve_glossary(self, glossary: CallGlossary = OWN_GLOSSARY) -> GlossarySnapshot | None:
        """The snapshot one call applies: the argument, or the translator's own in force now."""
        if glossary is OWN_GLOSSARY:
            return self.glossary.current if self.glossary is not None else None
        return glossary

    def translate_text(self, text: str, *, glossary: CallGlossary = OWN_GLOSSARY,
                       repair: bool = True) -> TextTranslation:
        """Translate one text (paragraphs separated by blank lines)."""
        return self.translate_texts([text], glossary=glossary, repair=repair)[0]

    def translate_article(self, title: str, body: str, *, glossary: CallGlossary = OWN_GLOSSARY,
                          repair: bool = True) -> ArticleTranslation:
        """Translate an article's title and body in one engine pass."""
        return self.translate_articles([(title, body)], glossary=glossary, repair=repair)[0]

    def translate_articles(self, articles: Sequence[tuple[str, str]], *,
                           glossary: CallGlossary = OWN_GLOSSARY,
                           repair: bool = True) -> list[ArticleTranslation]:
        """Translate many articles, pooling all their segments into one engine pass."""
        texts = [part for title_body in articles for part in title_body]
        results = self.translate_texts(texts, glossary=glossary, repair=repair)
        return [ArticleTranslation(results[i], results[i + 1]) for i in range(0, len(results), 2)]

    def translate_articles_in_stages(self, articles: Sequence[tuple[str, str]],
                                     on_stage: Callable[[int, PartialArticle], None], *,
                                     glossary: CallGlossary = OWN_GLOSSARY,
                                     repair: bool = True) -> list[ArticleTranslation]:
        """Translate articles in reading order, reporting each article's progress after every stage.

        Stages follow :func:`reading_stage` (title and first paragraph first);
        stage ``k`` of every article goes to the engine in one pass. After each
        stage ``on_stage(article_index, partial)`` is called for every article
        that has paragraphs in it. The results equal :meth:`translate_articles`'. One glossary
        snapshot serves every stage (each result carries its version).
        """
        active = self.resolve_glossary(glossary)
        documents = [(segment_article(title, self.engine.count_tokens, self.segment_tokens),
                      segment_article(body, self.engine.count_tokens, self.segment_tokens))
                     for title, body in articles]
        jobs: dict[str, _Job] = {}
        last = max((reading_stage(len(body) - 1) for _, body in documents if body), default=0)
        for stage in range(last + 1):
            fresh: list[_Job] = []
            for title, body in documents:
                parts = list(title) if stage == 0 else []
                parts += [p for i, p in enumerate(body) if reading_stage(i) == stage]
                for paragraph in parts:
                    for segment in paragraph.segments:
                        if segment.translatable and segment.text not in jobs:
                            jobs[segment.text] = self._new_job(segment.text, active, repair)
                            fresh.append(jobs[segment.text])
            self._run(fresh, active, repair)
            for index, (title, body) in enumerate(documents):
                if stage > 0 and not any(reading_stage(i) == stage for i in range(len(body))):
                    continue
                done = [p for i, p in enumerate(body) if reading_stage(i) <= stage]
                on_stage(index, PartialArticle(self._assemble(title, jobs, active, repair).text,
                                               self._assemble(done, jobs, active, repair).paragraphs, len(body)))
        return [ArticleTranslation(self._assemble(title, jobs, active, repair),
                                   self._assemble(body, jobs, active, repair))
                for title, body in documents]

    def translate_texts(self, texts: Sequence[str], *, glossary: CallGlossary = OWN_GLOSSARY,
                        repair: bool = True) -> list[TextTranslation]:
        """Translate many texts; all their segments go to the engine together.

        ``glossary``: by default the translator's own, resolved once to the
        snapshot in force now (every segment of the call uses it and each result
        carries its version); ``None`` disables it; a snapshot (a
        :class:`~translator.glossary.Glossary`, e.g. from
        :func:`~translator.glossary.request_glossary`) replaces it for this call.
        ``repair=False``: the glossary only reports, never changes the French.
        """
        active = self.resolve_glossary(glossary)
        documents = [segment_article(t, self.engine.count_tokens, self.segment_tokens) for t in texts]
        jobs: dict[str, _Job] = {}
        for paragraphs in documents:
            for paragraph in paragraphs:
                for segment in paragraph.segments:
                    if segment.translatable and segment.text not in jobs:
                        jobs[segment.text] = self._new_job(segment.text, active, repair)
        self._run(list(jobs.values()), active, repair)
        return [self._assemble(paragraphs, jobs, active, repair) for paragraphs in documents]

    # -- steps ---------------------------------------------------------------------------------

    def _new_job(self, source: str, glossary: GlossarySnapshot | None, repair: bool) -> _Job:
        if glossary is None:
            job = _Job(source, None, source, memory_key(self.engine.identity, "", source))
        else:
            prepared = glossary.prepare(source)
            job = _Job(source, prepared, prepared.engine_text,
                       memory_key(self.engine.identity, prepared.fingerprint, source, repaired=repair),
                       n_best=prepared.n_best, alignment=prepared.alignment)
        engine_text = job.engine_text
        if engine_text != source and self.engine.count_tokens(engine_text) > self.engine.max_input_tokens:
            # Long French forms pushed the segment past what the model takes: translate the English
            # (which fits: segments are cut well below the limit) and report the terms missed, rather
            # than fail the whole request.
            # No text above DEBUG (logs must not carry article text); the missed terms report the segment.
            log.warning("glossary forms make a segment of %d characters too long for the model; translating "
                        "it without them", len(source))
            log.debug("segment translated without its glossary forms: %r", source[:80])
            job.engine_text, job.unglossed = source, True
        return job

    def _run(self, jobs: list[_Job], glossary: GlossarySnapshot | None, repair: bool) -> None:
        if not jobs:
            return
        if self.memory is not None:
            found = self.memory.get_segments([j.key for j in jobs])
            for job in jobs:
                # An entry of an older format cannot rebuild the fresh answer (no report, no score): a miss,
                # translated again and overwritten below.
                entry = MemoryEntry.decode(found[job.key]) if job.key in found else None
                if entry is not None:
                    job.finished, job.output, job.status = entry, entry.target, SegmentStatus.MEMORY
        pending = [j for j in jobs if j.output is None]
        self._call_engine(pending, fallback=False)
        retry = [j for j in pending if looks_degenerate(j.source, j.output or "")]
        if retry:
            log.info("retrying %d degenerate segment(s) with fallback decoding", len(retry))
            self._call_engine(retry, fallback=True)
        for job in pending:
            if looks_degenerate(job.source, job.output or ""):
                # No text above DEBUG (logs must not carry article text); the counts report the segment.
                log.warning("no usable translation for a segment of %d characters; keeping the source text",
                            len(job.source))
                log.debug("segment kept in the source language: %r", job.source[:80])
                job.output, job.status, job.hypotheses = job.source, SegmentStatus.FAILED, None
            else:
                job.status = SegmentStatus.TRANSLATED
                self._choose(job, glossary)
                job.finished = self._finish(job, glossary, repair)
        if self.memory is not None:
            # What the reader gets (after the glossary), so that a hit gives the same French and report.
            fresh = {j.key: j.finished.encode() for j in pending if j.status == SegmentStatus.TRANSLATED}
            if fresh:
                self._remember(fresh)

    @staticmethod
    def _finish(job: _Job, glossary: GlossarySnapshot | None, repair: bool) -> MemoryEntry:
        """The glossary's check (and repair) of a job's output, with every hypothesis it has, and the
        score of the hypothesis it came from (a translated job's: its hypotheses are the result's, or
        the one the glossary chose in :meth:`_choose`)."""
        target = job.output or ""
        score = job.hypotheses[0].score if job.status == SegmentStatus.TRANSLATED and job.hypotheses else None
        if job.prepared is None or glossary is None:
            return MemoryEntry(target, score=score)
        unchecked = NOT_TRANSLATED if job.status == SegmentStatus.FAILED else TOO_LONG if job.unglossed else None
        done = glossary.finish(job.prepared, job.hypotheses or [Hypothesis(target)], repair=repair,
                               unchecked=unchecked)
        return MemoryEntry(done.text, list(done.applied), list(done.missed), list(done.unlisted), score)

    def _remember(self, entries: dict[str, str]) -> None:
        """Write new segments to the memory; a failure is logged and counted, never fatal: the
        translation is finished and the caller gets it."""
        try:
            self.memory.put_segments(entries)
        except StoreError as exc:
            with self._failures_lock:
                self.memory_write_failures += 1
            log.error("could not write %d segment(s) to the translation memory: %s", len(entries), exc)

    @staticmethod
    def _choose(job: _Job, glossary: GlossarySnapshot | None) -> None:
        """Keep the hypothesis the glossary prefers (the one that holds every name), so the
        translation memory stores what the reader gets."""
        job.hypotheses = list(job.result.hypotheses) if job.result is not None else None
        if not job.hypotheses or len(job.hypotheses) < 2 or glossary is None:
            return
        usable = [h for h in job.hypotheses if not looks_degenerate(job.source, h.text)]
        if not usable:
            return
        chosen = usable[glossary.choose(job.prepared, usable)]
        job.hypotheses, job.output = [chosen], chosen.text

    def _call_engine(self, jobs: list[_Job], *, fallback: bool) -> None:
        """One engine call per kind of detail asked for (most calls: one in all); an engine that
        only returns strings gets one call whatever was asked (it cannot give more)."""
        detailed = isinstance(self.engine, DetailedEngine)
        kinds = dict.fromkeys((j.n_best, j.alignment) if detailed else (1, False) for j in jobs)
        for n_best, alignment in kinds:
            group = [j for j in jobs if not detailed or (j.n_best, j.alignment) == (n_best, alignment)]
            unique = list(dict.fromkeys(j.engine_text for j in group))
            results = translate_detailed(self.engine, unique, n_best=n_best, alignment=alignment,
                                         fallback=fallback)
            by_text = dict(zip(unique, results))
            for job in group:
                job.result = by_text[job.engine_text]
                job.output = job.result.text

    def _assemble(self, paragraphs: list[Paragraph], jobs: dict[str, _Job],
                  glossary: GlossarySnapshot | None, repair: bool) -> TextTranslation:
        results: list[SegmentResult] = []
        french_paragraphs: list[str] = []
        for number, paragraph in enumerate(paragraphs):
            parts: list[str] = []
            source_offset = target_offset = 0
            first = len(results)
            for segment in paragraph.segments:
                result = self._segment_result(segment, jobs, glossary, repair)
                result.paragraph, result.trailing = number, segment.trailing
                _place(result, number, source_offset, target_offset)
                results.append(result)
                parts.append(result.target + segment.trailing)
                source_offset += len(segment.text) + len(segment.trailing)
                target_offset += len(result.target) + len(segment.trailing)
            joined = "".join(parts)
            french = joined.strip()
            lead = len(joined) - len(joined.lstrip())
            if lead:   # offsets into the stripped French paragraph
                for result in results[first:]:
                    _place(result, None, 0, -lead)
            french_paragraphs.append(french)
        return TextTranslation(join_paragraphs(french_paragraphs), french_paragraphs, results,
                               glossary.version if glossary is not None else "")

    def _segment_result(self, segment: Segment, jobs: dict[str, _Job],
                        glossary: GlossarySnapshot | None, repair: bool) -> SegmentResult:
        if not segment.translatable:
            return SegmentResult(segment.text, segment.text, SegmentStatus.UNCHANGED)
        job = jobs[segment.text]
        # Translated now or remembered: finished once (_run), score included; a failed segment (kept in
        # English) is checked here.
        finished = job.finished if job.finished is not None else self._finish(job, glossary, repair)
        target, applied, missed, unlisted = finished.target, finished.applied, finished.missed, finished.unlisted
        # Typography and flags on top of what was finished (fresh or remembered alike): deterministic, and
        # they follow the current mode and review threshold.
        if self.typography is not None and job.status != SegmentStatus.FAILED:
            target, applied = self._typeset(target, applied, segment.text)
        machine = job.result if job.status == SegmentStatus.TRANSLATED else None
        score = finished.score
        flags = segment_flags(segment.text, target, status=job.status, score=score, missed=missed,
                              review_score=self.review_score)
        return SegmentResult(segment.text, target, job.status, list(applied), list(missed), list(unlisted),
                             score=score, engine_result=machine, flags=flags)

    def _typeset(self, target: str, applied: list[dict], source: str) -> tuple[str, list[dict]]:
        """French typography on ``target``, keep-as-is terms untouched (they are names: their
        punctuation and digits are not French text), the English ``source`` telling dotted times
        from decimals; the applied items' ``target_start`` and ``target_end`` follow the text."""
        typeset = self.typography.apply(target, [t["target"] for t in applied if t["target"] == t["source"]],
                                        source=source)
        if typeset == target:
            return target, applied
        moved = OffsetMap(target, typeset)
        placed = []
        for item in applied:
            if "target_start" in item:
                start, end = moved.span(item["target_start"], item["target_end"])
                item = {**item, "target_start": start, "target_end": end}
            placed.append(item)
        return typeset, placed


def _place(result: SegmentResult, paragraph: int | None, source_offset: int, target_offset: int) -> None:
    """Make a segment's glossary offsets paragraph offsets (``paragraph``: its index, if given)."""
    for items in (result.applied, result.missed, result.unlisted):
        for index, item in enumerate(items):
            item = dict(item)
            if paragraph is not None:
                item["paragraph"] = paragraph
            if "start" in item:
                item["start"] += source_offset
                item["end"] += source_offset
            if "target_start" in item:
                item["target_start"] += target_offset
                item["target_end"] += target_offset
            items[index] = item
