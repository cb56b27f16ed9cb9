"""Translation units as dataclasses: the stores' records and the API's JSON stay byte for byte what they were,
and the human memory is laid over the machine output and lifted off again."""

from __future__ import annotations

import json

import pytest

from translator.editorial.human_memory import HumanEntry
from translator.editorial.units import MachineOutput, Origin, Part, Unit, build_units, is_reviewed, overlay_units
from translator.pipeline.memory import normalise_segment
from translator.pipeline.translator import SegmentResult
from translator.store import StoredTranslation

#: A stored translation exactly as the dict-based units code wrote it to SQLite and Redis.
LEGACY_RECORD = {
    "id": "a1", "version": 1, "lang": "fr", "title": "Titre.", "body": "Un. Deux.\n\n2024",
    "paragraphs": ["Un. Deux.", "2024"],
    "model": "echo", "glossary_version": "g1", "translated_at": "2024-05-01T12:00:00.000Z",
    "glossary": {"applied": [], "missed": []},
    "segments": {"total": 4, "from_memory": 1, "translated": 2, "unchanged": 1, "failed": 0},
    "units": [
        {"index": 0, "paragraph": None, "source": "Title.", "target": "Titre.", "origin": "machine", "score": -0.2,
         "flags": [], "_part": "title", "_para": 0, "_trailing": "",
         "_machine": {"target": "Titre.", "origin": "machine", "status": "translated", "score": -0.2, "flags": []}},
        {"index": 1, "paragraph": 0, "source": "One.", "target": "Un.", "origin": "memory", "score": None,
         "flags": [], "_part": "body", "_para": 0, "_trailing": " ",
         "_machine": {"target": "Un.", "origin": "memory", "status": "memory", "score": None, "flags": []}},
        {"index": 2, "paragraph": 0, "source": "Two.", "target": "Deux.", "origin": "machine", "score": -3.0,
         "flags": ["low_score"], "_part": "body", "_para": 0, "_trailing": "",
         "_machine": {"target": "Deux.", "origin": "machine", "status": "translated", "score": -3.0,
                      "flags": ["low_score"]}},
        {"index": 3, "paragraph": 1, "source": "2024", "target": "2024", "origin": "machine", "score": None,
         "flags": [], "_part": "body", "_para": 1, "_trailing": "",
         "_machine": {"target": "2024", "origin": "machine", "status": "unchanged", "score": None, "flags": []}},
    ],
    "reviewed": False,
}


def human(source: str, target: str) -> HumanEntry:
    return HumanEntry(lang="fr", source=source, target=target, editor="desk", created_at="2024-05-01T12:00:00Z")


def test_a_stored_record_reads_back_and_writes_the_same_json_byte_for_byte():
    translation = StoredTranslation.from_dict(json.loads(json.dumps(LEGACY_RECORD)))
    assert all(isinstance(unit, Unit) for unit in translation.units)
    assert json.dumps(translation.to_record(), ensure_ascii=False) == json.dumps(LEGACY_RECORD, ensure_ascii=False)


def test_the_api_shows_the_seven_public_keys_with_the_origin_as_a_plain_string():
    unit = Unit.from_dict(LEGACY_RECORD["units"][2])
    assert json.dumps(unit.to_dict()) == ('{"index": 2, "paragraph": 0, "source": "Two.", "target": "Deux.", '
                                          '"origin": "machine", "score": -3.0, "flags": ["low_score"]}')
    assert (unit.origin, unit.part, unit.part_paragraph, unit.trailing) == (Origin.MACHINE, Part.BODY, 0, "")
    assert unit.machine == MachineOutput("Deux.", Origin.MACHINE, "translated", -3.0, ("low_score",))
    assert Unit.from_dict(unit.to_dict()) == Unit(2, 0, "Two.", "Deux.", Origin.MACHINE, -3.0, ("low_score",))


def test_units_built_from_the_pipeline_are_what_the_stores_held_before():
    title = [SegmentResult("Title.", "Titre.", "translated", score=-0.2)]
    body = [SegmentResult("One.", "Un.", "memory", trailing=" "),
            SegmentResult("Two.", "Deux.", "translated", score=-3.0, flags=["low_score"]),
            SegmentResult("2024", "2024", "unchanged", paragraph=1)]
    assert [unit.to_record() for unit in build_units(title, body)] == LEGACY_RECORD["units"]


@pytest.mark.parametrize(("flags", "origin", "listed"), [
    (("low_score",), Origin.MACHINE, True),
    (("low_score", "number_missing"), Origin.MEMORY, True),
    (("low_score",), Origin.HUMAN, False),  # an editor has seen it
    ((), Origin.MACHINE, False),
])
def test_a_unit_needs_review_when_flagged_and_not_yet_human(flags, origin, listed):
    assert Unit(0, 0, "Two.", "Deux.", origin, -3.0, flags).needs_review is listed


def test_a_human_entry_replaces_the_machine_text_and_its_removal_brings_it_back():
    units = StoredTranslation.from_dict(LEGACY_RECORD).units
    corrected = overlay_units(units, {normalise_segment("Two."): human("Two.", "Deux !"),
                                      normalise_segment("2024"): human("2024", "deux mille vingt-quatre")})
    assert [(u.target, u.origin, u.score, u.flags) for u in corrected] == [
        ("Titre.", Origin.MACHINE, -0.2, ()), ("Un.", Origin.MEMORY, None, ()),
        ("Deux !", Origin.HUMAN, -3.0, ()),  # the machine score kept, the flags gone
        ("2024", Origin.MACHINE, None, ())]  # nothing to translate: no human entry applies
    assert overlay_units(corrected, {}) == units


@pytest.mark.parametrize(("humans", "reviewed"), [
    ({"Title.", "One.", "Two."}, True),  # the unchanged "2024" needs no editor
    ({"Title.", "One."}, False),
    (set(), False),
])
def test_a_translation_is_reviewed_when_every_translatable_unit_is_human(humans, reviewed):
    units = StoredTranslation.from_dict(LEGACY_RECORD).units
    entries = {normalise_segment(source): human(source, "X") for source in humans}
    assert is_reviewed(overlay_units(units, entries)) is reviewed
