"""Translation units: an article translation's segments, and the human memory laid over them.

A stored translation keeps one unit per segment (title first, then body), in
order. The public part of a unit is ``{index, paragraph, source, target,
origin, score, flags}``: ``paragraph`` is the body paragraph it belongs to
(``None`` for the title), ``origin`` is ``"machine"`` (the model, now or for an
earlier version), ``"memory"`` (the machine translation memory) or ``"human"``.
Keys starting with ``_`` are kept in the store only: the machine output
(``_machine``, so that deleting a correction brings it back without a model
call), where the unit sits (``_part``, ``_para``) and the whitespace that
followed it (``_trailing``), to rebuild the paragraphs.

The human memory is applied when a translation is *read*
(:func:`apply_human`), so a correction reaches every stored translation at
once, and removing it restores the machine text at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .human_memory import HumanEntry, HumanMemory
from ..pipeline.memory import normalise_segment
from ..text.segmentation import join_paragraphs

__all__ = ["apply_human", "build_units", "public_unit"]


def _origin(status: str) -> str:
    return "memory" if status == "memory" else "machine"


def build_units(title_segments: Sequence, body_segments: Sequence) -> list[dict]:
    """Units from the pipeline's :class:`~translator.pipeline.translator.SegmentResult` lists."""
    units: list[dict] = []
    for part, segments in (("title", title_segments), ("body", body_segments)):
        for segment in segments:
            machine = {"target": segment.target, "origin": _origin(segment.status), "status": segment.status,
                       "score": segment.score, "flags": list(segment.flags)}
            units.append({"index": len(units), "paragraph": segment.paragraph if part == "body" else None,
                          "source": segment.source, "target": segment.target, "origin": machine["origin"],
                          "score": segment.score, "flags": list(segment.flags), "_part": part,
                          "_para": segment.paragraph, "_trailing": segment.trailing, "_machine": machine})
    return units


def public_unit(unit: dict) -> dict:
    """The unit as the API shows it (no ``_`` keys)."""
    return {k: v for k, v in unit.items() if not k.startswith("_")}


def is_reviewed(units: Sequence[dict]) -> bool:
    """Every segment that needed translating is human (corrected or approved)."""
    translatable = [u for u in units if u.get("_machine", {}).get("status") != "unchanged"]
    return bool(translatable) and all(u["origin"] == "human" for u in translatable)


def overlay_units(units: Sequence[dict], entries: dict[str, HumanEntry]) -> list[dict]:
    """The units with the human ``entries`` (keyed by normalised source) applied, and the machine
    output put back where an entry is gone."""
    result = []
    for unit in units:
        machine = unit.get("_machine")
        if machine is None:
            result.append(unit)
            continue
        entry = entries.get(normalise_segment(unit["source"])) if machine["status"] != "unchanged" else None
        if entry is not None:
            unit = {**unit, "target": entry.target, "origin": "human", "score": machine["score"], "flags": []}
        else:
            unit = {**unit, "target": machine["target"], "origin": machine["origin"], "score": machine["score"],
                    "flags": list(machine["flags"])}
        result.append(unit)
    return result


def _rebuild(units: Sequence[dict], part: str, paragraphs: list[str]) -> list[str]:
    """``paragraphs`` with every paragraph that has units of ``part`` rebuilt from them."""
    pieces: dict[int, list[str]] = {}
    for unit in units:
        if unit.get("_part") == part:
            pieces.setdefault(unit["_para"], []).append(unit["target"] + unit["_trailing"])
    rebuilt = list(paragraphs)
    for index in sorted(pieces):
        text = "".join(pieces[index]).strip()
        if index < len(rebuilt):
            rebuilt[index] = text
        else:
            rebuilt.append(text)
    return rebuilt


def apply_human(translation, memory: HumanMemory | None):
    """``translation`` (a :class:`~translator.store.StoredTranslation`) as readers should see it:
    units, title, body and paragraphs with the current human entries, and ``reviewed``."""
    if not translation.units or memory is None:
        return translation
    sources = [u["source"] for u in translation.units if u.get("_machine", {}).get("status") != "unchanged"]
    entries = memory.get_human_entries(translation.lang, sources) if sources else {}
    units = overlay_units(translation.units, entries)
    if units == translation.units:
        return dataclasses.replace(translation, reviewed=is_reviewed(units))
    paragraphs = _rebuild(units, "body", list(translation.paragraphs))
    title_paragraphs = _rebuild(units, "title", [])
    title = join_paragraphs(title_paragraphs) if title_paragraphs else translation.title
    return dataclasses.replace(translation, title=title, body=join_paragraphs(paragraphs), paragraphs=paragraphs,
                               units=units, reviewed=is_reviewed(units))
