"""Translation units: an article translation's segments, and the human memory laid over them.

A stored translation keeps one :class:`Unit` per segment (title first, then
body), in order. The public part of a unit (:meth:`Unit.to_dict`) is
``{index, paragraph, source, target, origin, score, flags}``: ``paragraph`` is
the body paragraph it belongs to (``None`` for the title), ``origin`` an
:class:`Origin`. The rest is kept in the store only: the machine output
(:class:`MachineOutput`, so that deleting a correction brings it back without a
model call), where the unit sits (``part``, ``part_paragraph``) and the
whitespace that followed it (``trailing``), to rebuild the paragraphs. In the
stored record (:meth:`Unit.to_record`) those are the keys ``_machine``,
``_part``, ``_para`` and ``_trailing``.

The human memory is applied when a translation is *read*
(:func:`apply_human`), so a correction reaches every stored translation at
once, and removing it restores the machine text at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .human_memory import HumanEntry, HumanMemory
from ..pipeline.memory import normalise_segment
from ..pipeline.status import SegmentStatus
from ..text.segmentation import join_paragraphs

__all__ = ["HtmlRebuilder", "MachineOutput", "Origin", "Part", "Unit", "apply_human", "build_units", "is_reviewed",
           "overlay_units", "piece_texts"]

class Origin(StrEnum):
    """Where a unit's French comes from."""

    MACHINE = "machine"  # the model, now or for an earlier version
    MEMORY = "memory"    # the machine translation memory
    HUMAN = "human"      # an editor's correction or approval

    @classmethod
    def of_status(cls, status: SegmentStatus) -> "Origin":
        """The origin of a machine segment with pipeline status ``status``: a memory hit, else the model."""
        return cls.MEMORY if status == SegmentStatus.MEMORY else cls.MACHINE


class Part(StrEnum):
    """The part of the article a unit belongs to."""

    TITLE = "title"
    BODY = "body"


@dataclass(frozen=True, slots=True)
class MachineOutput:
    """What the pipeline made of a segment, kept so that removing a human entry restores it."""

    target: str
    origin: Origin
    status: SegmentStatus
    score: float | None
    flags: tuple[str, ...] = ()

    def to_record(self) -> dict:
        """The stored form: ``{"target", "origin", "status", "score", "flags"}``."""
        return {"target": self.target, "origin": str(self.origin), "status": str(self.status), "score": self.score,
                "flags": list(self.flags)}

    @classmethod
    def from_record(cls, data: Mapping) -> "MachineOutput":
        """The inverse of :meth:`to_record`."""
        return cls(target=data["target"], origin=Origin(data["origin"]), status=SegmentStatus(data["status"]),
                   score=data.get("score"), flags=tuple(data.get("flags") or ()))


@dataclass(frozen=True, slots=True)
class Unit:
    """One segment of a stored translation, as readers see it and as the store keeps it."""

    index: int                  # position in the translation: title segments first, then body
    paragraph: int | None       # the body paragraph (None for the title), as the API shows it
    source: str
    target: str
    origin: Origin
    score: float | None
    flags: tuple[str, ...] = ()
    # Store-only: where the unit sits and what followed it, to rebuild the paragraphs.
    part: Part | None = None
    part_paragraph: int | None = None  # the paragraph within ``part`` (the title's too)
    trailing: str = ""
    machine: MachineOutput | None = None
    #: HTML bodies: the inline run or attribute of the document the unit belongs to (None for text);
    #: a correction rebuilds that piece of the French HTML, never the paragraphs as text.
    piece: int | None = None

    @property
    def translatable(self) -> bool:
        """The segment had something to translate (not numbers or punctuation alone): an editor may
        correct or approve it."""
        return self.machine is None or self.machine.status != SegmentStatus.UNCHANGED

    @property
    def needs_review(self) -> bool:
        """Flagged by the pipeline and not yet human: what the review list and the review page show."""
        return bool(self.flags) and self.origin != Origin.HUMAN

    def to_dict(self) -> dict:
        """The unit as the API shows it: ``{"index", "paragraph", "source", "target", "origin", "score",
        "flags"}``."""
        return {"index": self.index, "paragraph": self.paragraph, "source": self.source, "target": self.target,
                "origin": str(self.origin), "score": self.score, "flags": list(self.flags)}

    def to_record(self) -> dict:
        """The stored form: :meth:`to_dict` plus ``_part``, ``_para``, ``_trailing`` and ``_machine``
        (and ``_piece`` for the units of an HTML body)."""
        record = self.to_dict()
        if self.part is not None:
            record.update({"_part": str(self.part), "_para": self.part_paragraph, "_trailing": self.trailing,
                           "_machine": self.machine.to_record() if self.machine is not None else None})
        if self.piece is not None:
            record["_piece"] = self.piece
        return record

    @classmethod
    def from_dict(cls, data: Mapping) -> "Unit":
        """A unit from :meth:`to_record` (what the stores hold) or :meth:`to_dict` (no store-only data)."""
        machine = data.get("_machine")
        part = data.get("_part")
        return cls(index=int(data["index"]), paragraph=data.get("paragraph"), source=data["source"],
                   target=data["target"], origin=Origin(data["origin"]), score=data.get("score"),
                   flags=tuple(data.get("flags") or ()), part=Part(part) if part is not None else None,
                   part_paragraph=data.get("_para"), trailing=data.get("_trailing", ""),
                   machine=MachineOutput.from_record(machine) if machine is not None else None,
                   piece=data.get("_piece"))

    def with_human(self, entry: HumanEntry) -> "Unit":
        """The unit with an editor's ``entry`` as its French (the machine score kept, no flags)."""
        score = self.machine.score if self.machine is not None else self.score
        return dataclasses.replace(self, target=entry.target, origin=Origin.HUMAN, score=score, flags=())

    def as_machine_made(self) -> "Unit":
        """The unit with the machine output back (as the pipeline made it)."""
        if self.machine is None:
            return self
        machine = self.machine
        return dataclasses.replace(self, target=machine.target, origin=machine.origin, score=machine.score,
                                   flags=machine.flags)


def build_units(title_segments: Sequence, body_segments: Sequence) -> list[Unit]:
    """Units from the pipeline's :class:`~translator.pipeline.translator.SegmentResult` lists."""
    units: list[Unit] = []
    for part, segments in ((Part.TITLE, title_segments), (Part.BODY, body_segments)):
        for segment in segments:
            machine = MachineOutput(target=segment.target, origin=Origin.of_status(segment.status),
                                    status=segment.status, score=segment.score, flags=tuple(segment.flags))
            units.append(Unit(index=len(units), paragraph=segment.paragraph if part is Part.BODY else None,
                              source=segment.source, target=segment.target, origin=machine.origin,
                              score=segment.score, flags=machine.flags, part=part,
                              part_paragraph=segment.paragraph, trailing=segment.trailing, machine=machine,
                              piece=segment.piece if part is Part.BODY else None))
    return units


def is_reviewed(units: Sequence[Unit]) -> bool:
    """Every segment that needed translating is human (corrected or approved)."""
    translatable = [u for u in units if u.translatable]
    return bool(translatable) and all(u.origin == Origin.HUMAN for u in translatable)


def overlay_units(units: Sequence[Unit], entries: Mapping[str, HumanEntry]) -> list[Unit]:
    """The units with the human ``entries`` (keyed by normalised source) applied, and the machine
    output put back where an entry is gone."""
    result = []
    for unit in units:
        if unit.machine is None:  # nothing to restore from: left as stored
            result.append(unit)
            continue
        entry = entries.get(normalise_segment(unit.source)) if unit.translatable else None
        result.append(unit.with_human(entry) if entry is not None else unit.as_machine_made())
    return result


def _rebuild(units: Sequence[Unit], part: Part, paragraphs: list[str]) -> list[str]:
    """``paragraphs`` with every paragraph that has units of ``part`` rebuilt from them."""
    pieces: dict[int, list[str]] = {}
    for unit in units:
        if unit.part == part:
            pieces.setdefault(unit.part_paragraph, []).append(unit.target + unit.trailing)
    rebuilt = list(paragraphs)
    for index in sorted(pieces):
        text = "".join(pieces[index]).strip()
        if index < len(rebuilt):
            rebuilt[index] = text
        else:
            rebuilt.append(text)
    return rebuilt


#: Rebuilds an HTML body from its units: ``rebuild(machine_html, units) -> (html, blocks)``.
HtmlRebuilder = Callable[[str, Sequence[Unit]], tuple[str, list[str]]]


def apply_human(translation, memory: HumanMemory | None, *, rebuild_html: HtmlRebuilder | None = None):
    """``translation`` (a :class:`~translator.store.StoredTranslation`) as readers should see it:
    units, title, body and paragraphs with the current human entries, and ``reviewed``.

    The units of an HTML body (they name their ``piece``) are rebuilt by ``rebuild_html`` from the
    stored machine HTML, piece by piece; a text body paragraph by paragraph."""
    if not translation.units or memory is None:
        return translation
    sources = [u.source for u in translation.units if u.translatable]
    entries = memory.get_human_entries(translation.lang, sources) if sources else {}
    units = overlay_units(translation.units, entries)
    if units == translation.units:
        return dataclasses.replace(translation, reviewed=is_reviewed(units))
    title_paragraphs = _rebuild(units, Part.TITLE, [])
    title = join_paragraphs(title_paragraphs) if title_paragraphs else translation.title
    if any(u.piece is not None for u in units):
        if rebuild_html is None:
            raise ValueError("an HTML body's units need rebuild_html")
        body, paragraphs = rebuild_html(translation.body, units)
        return dataclasses.replace(translation, title=title, body=body, paragraphs=paragraphs, units=units,
                                   reviewed=is_reviewed(units))
    paragraphs = _rebuild(units, Part.BODY, list(translation.paragraphs))
    return dataclasses.replace(translation, title=title, body=join_paragraphs(paragraphs), paragraphs=paragraphs,
                               units=units, reviewed=is_reviewed(units))


def piece_texts(units: Sequence[Unit], *, machine: bool = False) -> dict[int, str]:
    """The French of each piece of an HTML body (its units' targets joined as the English was);
    ``machine``: as the pipeline made it, human entries left out."""
    pieces: dict[int, list[str]] = {}
    for unit in units:
        if unit.piece is not None:
            made = unit.as_machine_made() if machine else unit
            pieces.setdefault(unit.piece, []).append(made.target + made.trailing)
    return {piece: "".join(parts).strip() for piece, parts in pieces.items()}
