"""The glossary contract (translator.glossary.contract) and the pipeline's statuses.

The pipeline calls a glossary only through the declared contract; a call's
``glossary`` is a resolved snapshot or None, the translator's own (fixed or
live) by default, resolved once per call. Statuses are StrEnums: the JSON
and the comparisons are those of the bare strings.
"""

from __future__ import annotations

import json

from tests.fakes import EchoEngine, FunctionEngine
from translator.glossary import Glossary, GlossarySnapshot, GlossarySource, LiveGlossary
from translator.pipeline.memory import InMemoryTranslationMemory, memory_key
from translator.pipeline.status import SegmentStatus, TextStatus, text_status
from translator.pipeline.translator import OWN_GLOSSARY, Translator

GLOSSARY = Glossary.from_pairs([("Beijing", "Pékin")])


class _EditStore:
    """The two store methods a LiveGlossary needs, in memory; counts the reads."""

    def __init__(self):
        self.edits: dict[str, tuple[str, str] | None] = {}
        self.reads = 0

    def glossary_edits(self, pair: str) -> dict[str, tuple[str, str] | None]:
        self.reads += 1
        return dict(self.edits)

    def put_glossary_edit(self, pair: str, source: str, value: tuple[str, str] | None) -> None:
        self.edits[source] = value


def test_a_glossary_is_a_snapshot_and_its_own_source():
    snapshot: GlossarySnapshot = GLOSSARY
    source: GlossarySource = GLOSSARY
    assert source.current is snapshot
    prepared = GLOSSARY.prepare("Beijing hosted talks.")
    assert (prepared.engine_text, prepared.n_best, prepared.alignment) == ("Pékin hosted talks.", 4, True)
    assert GLOSSARY.prepare("Rain today.").fingerprint == ""


def test_a_call_resolves_the_live_glossary_once_and_every_segment_uses_that_snapshot():
    store = _EditStore()
    live = LiveGlossary(GLOSSARY, store, max_age=0.0)  # every read of ``current`` re-reads the store
    translator = Translator(EchoEngine(), glossary=live)
    result = translator.translate_text("Beijing hosted talks. Beijing said so.\n\nBeijing again.")
    assert store.reads == 1
    assert result.glossary_version == GLOSSARY.version
    assert result.text == "FR(Pékin hosted talks. Pékin said so.)\n\nFR(Pékin again.)"


def test_a_calls_glossary_is_a_snapshot_or_none_and_the_default_is_the_translators_own():
    translator = Translator(EchoEngine(), glossary=GLOSSARY)
    assert translator.resolve_glossary() is GLOSSARY
    assert translator.resolve_glossary(OWN_GLOSSARY) is GLOSSARY
    assert translator.resolve_glossary(None) is None
    other = Glossary.from_pairs([("Beijing", "Beijing")])
    assert translator.translate_text("Beijing hosted talks.", glossary=other).text == "FR(Beijing hosted talks.)"
    off = translator.translate_text("Beijing hosted talks.", glossary=None)
    assert (off.text, off.glossary_version) == ("FR(Beijing hosted talks.)", "")
    assert Translator(EchoEngine()).glossary_version == ""


def test_a_segment_without_entries_has_the_memory_key_it_has_without_a_glossary():
    memory = InMemoryTranslationMemory()
    Translator(EchoEngine(), glossary=GLOSSARY, memory=memory).translate_text("Rain today.")
    assert memory_key("echo", "", "Rain today.") in memory.get_segments([memory_key("echo", "", "Rain today.")])


def test_statuses_compare_and_serialise_as_their_strings():
    engine = FunctionEngine(lambda t: "" if "fails" in t else f"FR({t})")
    result = Translator(engine).translate_text("It works.\n\n12,500\n\nThis one fails.")
    statuses = [s.status for s in result.segments]
    assert statuses == [SegmentStatus.TRANSLATED, SegmentStatus.UNCHANGED, SegmentStatus.FAILED]
    assert statuses == ["translated", "unchanged", "failed"]
    assert result.status is TextStatus.PARTIAL and result.status == "partial"
    assert json.loads(json.dumps([s.to_dict() for s in result.segments]))[2]["status"] == "failed"
    assert json.dumps({"status": result.status}) == '{"status": "partial"}'
    assert text_status({"failed": 0}) is TextStatus.OK
    assert text_status(result.counts) is TextStatus.PARTIAL
