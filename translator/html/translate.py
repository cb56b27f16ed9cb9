"""Translating HTML: blocks through the pipeline as text, inline tags projected, output sanitised.

:class:`HtmlTranslator` wraps a :class:`~translator.pipeline.translator.Translator`:

1. the English is sanitised (:mod:`.sanitize`), parsed (:mod:`.parse`) and cut
   into units (:mod:`.blocks`): runs of inline content inside block elements,
   translated attributes, titles;
2. each unit is looked up in the translation memory under its text *and* its
   inline-tag skeleton (attribute values left out, so a changed ``href``
   keeps the French);
3. the rest goes through the translator's segmentation, glossary and engine
   (one engine pass for every unit of every document of the call), asking the
   engine for alignment;
4. each tag is projected onto the French (:mod:`.projection`), the blocks are
   rebuilt in place, and the fragment is serialised and sanitised again.

The block structure comes back identical: same elements, same order, same
nesting, same attributes (``alt``/``title`` translated).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Sequence

from ..engines.results import EngineResult, Hypothesis, translate_detailed
from ..pipeline.flags import segment_flags
from ..pipeline.memory import memory_key
from ..glossary.contract import GlossarySnapshot
from ..pipeline.status import SegmentStatus
from ..pipeline.translator import (OWN_GLOSSARY, ArticleTranslation, CallGlossary, PartialArticle, SegmentResult,
                                   TextTranslation, Translator)
from .blocks import AttributeUnit, Run, article_blocks, block_html, extract_units, write_run
from ..text.offsets import OffsetMap
from .parse import parse_fragment, serialize_fragment
from .projection import SegmentLink, project, render
from .sanitize import sanitize

__all__ = ["HtmlTranslator", "html_blocks"]

log = logging.getLogger(__name__)

#: Separates the parts of an HTML unit's memory source (never in collapsed text).
_SEP = "\x1e"


class _AligningEngine:
    """The translator's engine, asked for alignment; remembers each text's result."""

    def __init__(self, engine):
        self._engine = engine
        self.results: dict[str, EngineResult] = {}

    def __getattr__(self, name):  # identity, max_input_tokens, count_tokens ...
        return getattr(self._engine, name)

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        return [r.text for r in self.translate_detailed(texts, fallback=fallback)]

    def translate_detailed(self, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                           fallback: bool = False) -> list[EngineResult]:
        results = translate_detailed(self._engine, texts, n_best=n_best, alignment=True, fallback=fallback)
        self.results.update(zip(texts, results))
        return results


class _Unit:
    """One distinct thing to translate: text plus skeleton (runs), or plain text (attributes, titles)."""

    def __init__(self, text: str, run: Run | None, glossed: bool):
        self.text = text
        self.run = run
        self.glossed = glossed  # the glossary applies (text nodes, titles; not attribute values)
        self.skeleton = run.skeleton() if run is not None else ""
        self.french = ""
        self.spans: list[tuple[int, int]] = []
        self.segments: list[SegmentResult] = []
        self.applied: list[dict] = []
        self.missed: list[dict] = []
        self.done = False  # given its French (by the memory or the engine)


def html_blocks(html: str) -> list[str]:
    """The blocks of a (sanitised) fragment (:func:`~translator.html.blocks.article_blocks`: block elements
    and runs of loose text), each serialised and sanitised."""
    return [sanitize(block_html(block)) for block in article_blocks(parse_fragment(html))]


class HtmlTranslator:
    """Translate HTML fragments (and articles with an HTML body) through ``translator``."""

    def __init__(self, translator: Translator):
        self.translator = translator

    def translate_texts(self, texts: Sequence[str], *, glossary: CallGlossary = OWN_GLOSSARY,
                        repair: bool = True) -> list[TextTranslation]:
        """One sanitised French fragment per HTML fragment; ``paragraphs`` are its outermost blocks.
        ``repair=False``: the glossary only reports."""
        return self._translate(list(texts), [], glossary, repair)[0]

    def translate_articles(self, articles: Sequence[tuple[str, str]], *,
                           glossary: CallGlossary = OWN_GLOSSARY,
                           repair: bool = True) -> list[ArticleTranslation]:
        """Articles with a plain-text title and an HTML body, in one engine pass."""
        bodies, titles = self._translate([body for _, body in articles], [title for title, _ in articles],
                                         glossary, repair)
        return [ArticleTranslation(title, body) for title, body in zip(titles, bodies)]

    def translate_articles_in_stages(self, articles: Sequence[tuple[str, str]],
                                     on_stage: Callable[[int, PartialArticle], None], *,
                                     glossary: CallGlossary = OWN_GLOSSARY,
                                     repair: bool = True) -> list[ArticleTranslation]:
        """:meth:`translate_articles`, showing a reader the blocks done so far, in reading order.

        As on text: after the title and the first block, after the second block, and at the end,
        ``on_stage(index, PartialArticle)`` gives the article's title and finished blocks
        (sanitised HTML). Each piece is translated once, in the first stage that shows it.
        """
        snapshot = self.translator.resolve_glossary(glossary)
        blocks = [html_blocks(sanitize(body)) for _, body in articles]
        titles: dict[int, str] = {}
        known: dict = {}  # each piece translated once, in the stage that first shows it
        for stage in (0, 1):
            todo = [i for i, shown in enumerate(blocks) if len(shown) > stage + 1]
            if not todo:
                break
            # Each block its own fragment: two runs of loose text stay two blocks (joined, they would read
            # as one run).
            documents = [block for i in todo for block in blocks[i][:stage + 1]]
            bodies, done_titles = self._translate(documents, [articles[i][0] for i in todo] if stage == 0 else [],
                                                  snapshot, repair, known)
            for number, i in enumerate(todo):
                if stage == 0:
                    titles[i] = done_titles[number].text
                done = bodies[number * (stage + 1):(number + 1) * (stage + 1)]
                on_stage(i, PartialArticle(titles[i], [p for body in done for p in body.paragraphs],
                                           len(blocks[i])))
        bodies, done_titles = self._translate([body for _, body in articles], [title for title, _ in articles],
                                              snapshot, repair, known)
        results = [ArticleTranslation(title, body) for title, body in zip(done_titles, bodies)]
        for i, result in enumerate(results):
            on_stage(i, PartialArticle(result.title.text, result.body.paragraphs, len(result.body.paragraphs)))
        return results

    # -- steps ---------------------------------------------------------------------------------------

    def _translate(self, documents: list[str], plains: list[str], glossary: CallGlossary,
                   repair: bool = True, known: dict | None = None
                   ) -> tuple[list[TextTranslation], list[TextTranslation]]:
        active = self.translator.resolve_glossary(glossary)
        parsed = []
        # ``known``: the units of earlier calls of one staged translation (done once, kept as they came).
        units: dict[tuple[str, str, bool], _Unit] = known if known is not None else {}

        def unit_for(text: str, run: Run | None, glossed: bool = True) -> _Unit:
            unit = _Unit(text, run, glossed)
            return units.setdefault((text, unit.skeleton, glossed), unit)

        for html in documents:
            root = parse_fragment(sanitize(html))
            runs, attributes = extract_units(root)
            parsed.append((root, [(run, unit_for(run.text, run)) for run in runs],
                           [(attribute, unit_for(attribute.text, None, False)) for attribute in attributes],
                           block_numbers(root, runs, attributes)))
        plain_units = [unit_for(" ".join(text.split()), None) if text.strip() else None for text in plains]
        self._fill([unit for unit in units.values() if not unit.done], active, repair)

        bodies = []
        for root, runs, attributes, blocks in parsed:
            segments: list[SegmentResult] = []
            for attribute, unit in attributes:  # first: some live on the copies the runs are rebuilt from
                attribute.element.set(attribute.name, unit.french)
            for run, unit in runs:
                write_run(run, render(unit.french, run.tags, unit.spans))
            # Every piece's segments, located: its block (the report's ``paragraph``) and the piece itself.
            for piece, (_, unit) in enumerate([*runs, *attributes]):
                segments.extend(_located(segment, blocks[piece], piece) for segment in unit.segments)
            html = sanitize(serialize_fragment(root))
            bodies.append(TextTranslation(html, html_blocks(html), segments))
        titles = []
        for text, unit in zip(plains, plain_units):
            if unit is None:
                titles.append(TextTranslation(text.strip(), [text.strip()] if text.strip() else [], []))
            else:
                titles.append(TextTranslation(unit.french, [unit.french], list(unit.segments)))
        return bodies, titles

    def _key(self, unit: _Unit, glossary: GlossarySnapshot | None, repair: bool) -> str:
        fingerprint = glossary.prepare(unit.text).fingerprint if glossary is not None and unit.glossed \
            else ""
        # A unit's entry holds its French after the glossary and typography: unrepaired French, and French
        # typeset another way (TRANSLATOR_FR_TYPOGRAPHY), are kept apart.
        typography = self.translator.typography
        kind = ("html" if repair or not fingerprint else "html-unrepaired") + \
            f"+{typography.mode if typography is not None else 'off'}"
        return memory_key(self.translator.engine.identity, fingerprint,
                          _SEP.join((kind, unit.skeleton, unit.text)))

    def _fill(self, units: list[_Unit], glossary: GlossarySnapshot | None, repair: bool) -> None:
        """Give every unit its French and tag spans: from the memory, else from the engine."""
        memory = self.translator.memory
        keys = {id(unit): self._key(unit, glossary, repair) for unit in units}
        found = memory.get_segments(list(keys.values())) if memory is not None and units else {}
        misses = []
        for unit in units:
            entry = found.get(keys[id(unit)])
            if entry is not None and self._from_memory(unit, entry, self.translator.review_score):
                unit.done = True
                continue
            misses.append(unit)
        if not misses:
            return
        engine = _AligningEngine(self.translator.engine)
        # The outer translator's rules, but its memory: French typography and review flags as on text.
        inner = Translator(engine, memory=None, segment_tokens=self.translator.segment_tokens,
                           typography=self.translator.typography, review_score=self.translator.review_score)
        translations: dict[tuple[str, bool], TextTranslation] = {}
        # The glossary applies to text nodes only: never to attribute values (or URLs, never sent).
        for with_glossary in (True, False):
            texts = list(dict.fromkeys(u.text for u in misses if u.glossed == with_glossary))
            if texts:
                chosen = glossary if with_glossary else None
                translations.update(((text, with_glossary), result) for text, result in
                                    zip(texts, inner.translate_texts(texts, glossary=chosen, repair=repair)))
        fresh = {}
        for unit in misses:
            translation = translations[(unit.text, unit.glossed)]
            french, links = self._links(unit.text, translation, engine, glossary if unit.glossed else None)
            unit.french = french
            unit.spans = project(unit.text, french, unit.run.tags, links, _placed_names(translation, french)) \
                if unit.run is not None else []
            unit.segments = list(translation.segments)
            unit.done = True
            unit.applied, unit.missed = translation.glossary["applied"], translation.glossary["missed"]
            if all(s.status != SegmentStatus.FAILED for s in unit.segments):
                fresh[keys[id(unit)]] = json.dumps(
                    {"text": french, "spans": unit.spans, "applied": unit.applied, "missed": unit.missed,
                     "segments": [_remembered(segment) for segment in unit.segments]},
                    ensure_ascii=False)
        if memory is not None and fresh:
            memory.put_segments(fresh)

    @staticmethod
    def _from_memory(unit: _Unit, entry: str, review_score: float | None) -> bool:
        """Give ``unit`` what its memory entry holds: the French, tag spans, report and the segments as
        the fresh translation had them (so the units editors correct are the same). False (a miss: the
        unit is translated again and the entry overwritten) for an entry that cannot rebuild the fresh
        answer: one of an older format (no segments, or segments without their score) or a malformed one."""
        if not entry.startswith("{"):
            return False
        try:
            data = json.loads(entry)
            spans = [tuple(span) for span in data["spans"]]
            if unit.run is not None and len(spans) != len(unit.run.tags):
                return False
            segments = [_recalled(item, review_score) for item in data["segments"]]
            french, applied, missed = data["text"], list(data["applied"]), list(data["missed"])
        except (ValueError, KeyError, TypeError):
            # No text above DEBUG (logs must not carry article text).
            log.info("ignoring an HTML memory entry of an older format for a block of %d characters",
                     len(unit.text))
            log.debug("block with the ignored HTML memory entry: %r", unit.text[:80])
            return False
        unit.french, unit.spans, unit.applied, unit.missed, unit.segments = french, spans, applied, missed, segments
        return True

    @staticmethod
    def _links(text: str, translation: TextTranslation, engine: _AligningEngine,
               glossary: GlossarySnapshot | None) -> tuple[str, list[SegmentLink]]:
        """The unit's French (segments joined as the English was) and where each segment went."""
        french = ""
        links: list[SegmentLink] = []
        position = 0
        for segment in translation.segments:
            start = text.find(segment.source, position)
            if start < 0:
                start = position
            french += text[position:start]
            target_start = len(french)
            french += segment.target
            links.append(SegmentLink(start, start + len(segment.source), target_start, len(french),
                                     _aligner(segment, engine, glossary)))
            position = start + len(segment.source)
        french += text[position:]
        lead = len(french) - len(french.lstrip())
        french = french.strip()
        if lead:
            links = [SegmentLink(link.source_start, link.source_end, max(0, link.target_start - lead),
                                 max(0, link.target_end - lead), link.spans) for link in links]
        return french, links


def _placed_names(translation: TextTranslation, french: str) -> list[tuple[int, int, int, int]]:
    """Where the glossary put each name it applied: English and French spans in the block's text (the
    report's offsets; none when the block's French is not the report's text)."""
    if translation.text != french:
        return []
    return [(item["start"], item["end"], item["target_start"], item["target_end"])
            for item in translation.glossary["applied"] if "target_start" in item and "start" in item]


def _remembered(segment: SegmentResult) -> dict:
    """What an HTML memory entry keeps of one segment of its block: what rebuilds it as it was served
    (its French is typeset already: the entry's key names the typography mode)."""
    return {"source": segment.source, "target": segment.target, "status": segment.status,
            "applied": segment.applied, "missed": segment.missed, "unlisted": segment.unlisted,
            "score": segment.score, "paragraph": segment.paragraph, "trailing": segment.trailing}


def _recalled(item: dict, review_score: float | None) -> SegmentResult:
    """A remembered segment (:func:`_remembered`) as a memory hit: its score as the model gave it, and
    its review flags decided again, as on text (so they follow the current review threshold)."""
    score = item["score"]
    if score is not None and not isinstance(score, (int, float)):
        raise TypeError("score")
    score = None if score is None else float(score)
    # A segment that passed through unchanged (no words) stays so, with no flags, as when fresh.
    status = SegmentStatus.UNCHANGED if item["status"] == SegmentStatus.UNCHANGED else SegmentStatus.MEMORY
    flags = segment_flags(item["source"], item["target"], status=status, score=score, missed=item["missed"],
                          review_score=review_score)
    return SegmentResult(item["source"], item["target"], status, list(item["applied"]),
                         list(item["missed"]), list(item["unlisted"]), score=score, flags=flags,
                         paragraph=item["paragraph"], trailing=item["trailing"])


def block_numbers(root, runs: Sequence[Run], attributes: Sequence[AttributeUnit]) -> list[int]:
    """The block of each piece (runs, then attributes): the index of its block in
    :func:`~translator.html.blocks.article_blocks` (what ``paragraphs`` and ``source_blocks`` list; a run
    of loose text is a block of its own); a piece outside every block (an image's ``alt`` in a
    ``figure``) counts with the next block, else the last one."""
    blocks = article_blocks(root)
    position = {id(element): order for order, element in enumerate(root.iter())}

    def run_key(run: Run) -> tuple[int, int, int]:
        return id(run.container), id(run.before), id(run.after)

    number = {id(block): index for index, block in enumerate(blocks) if not isinstance(block, Run)}
    loose = {run_key(block): index for index, block in enumerate(blocks) if isinstance(block, Run)}

    def reach(block) -> float:
        """How far into the document a block goes, for "the next block": an element's start (what is
        inside it finds it by its ancestors), a loose run's end (just before the child that ends it)."""
        if not isinstance(block, Run):
            return position[id(block)]
        if block.after is not None:
            return position[id(block.after)] - 0.5
        return max(position[id(node)] for node in block.container.iter()) + 0.5

    def block_of(element) -> int:
        node = element
        while node is not None:
            if id(node) in number:
                return number[id(node)]
            node = node.getparent()
        here = position.get(id(element), -1)
        following = [index for index, block in enumerate(blocks) if reach(block) > here]
        return following[0] if following else max(len(blocks) - 1, 0)

    run_blocks = [loose[run_key(run)] if run_key(run) in loose else block_of(run.container) for run in runs]
    # An attribute of an inline element lives on the run's copy of it (outside the tree): the run's block.
    copied = {id(tag.element): block for run, block in zip(runs, run_blocks) for tag in run.tags}
    return [*run_blocks, *(copied[id(a.element)] if id(a.element) in copied else block_of(a.element)
                           for a in attributes)]


def _located(segment: SegmentResult, block: int, piece: int) -> SegmentResult:
    """A copy of ``segment`` (pieces with the same text share theirs) in ``block`` and ``piece``; its
    report items name the block (their offsets are in the piece's text)."""
    def moved(items: list[dict]) -> list[dict]:
        return [{**item, "paragraph": block} for item in items]

    return dataclasses.replace(segment, paragraph=block, piece=piece, applied=moved(segment.applied),
                               missed=moved(segment.missed), unlisted=moved(segment.unlisted))


def _aligner(segment: SegmentResult, engine: _AligningEngine, glossary: GlossarySnapshot | None):
    """``spans(a, b)`` for one segment: source offsets -> aligned target spans; None if unknown."""
    if segment.status in (SegmentStatus.UNCHANGED, SegmentStatus.FAILED) or segment.target == segment.source:
        return lambda a, b: [(a, b)]
    engine_text = glossary.prepare(segment.source).engine_text if glossary is not None else segment.source
    result = segment.engine_result or engine.results.get(engine_text)
    if result is None:
        return None
    hypothesis: Hypothesis = next((h for h in result.hypotheses if h.text == segment.target), result.best)
    if not hypothesis.alignment:
        return None
    to_engine = OffsetMap(segment.source, engine_text)
    to_target = OffsetMap(hypothesis.text, segment.target)

    def spans(a: int, b: int) -> list[tuple[int, int]]:
        start, end = to_engine(a), to_engine(b)
        return [(to_target(p.target_start), to_target(p.target_end))
                for p in hypothesis.pieces_in(start, max(end, start + 1))]

    return spans
