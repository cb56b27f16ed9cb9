"""A glossary report you can trust: each defect class of issue 14, on a fake engine that does
exactly the damaging thing. Each test asserts the final French (correct or untouched) and the
whole report (positions included)."""

from __future__ import annotations

from pathlib import Path

from tests.fakes import DetailedFunctionEngine, FunctionEngine, words
from translator import Glossary, Translator

ROOT = Path(__file__).resolve().parent.parent
STARTER = Glossary.from_tsv(ROOT / "glossary" / "en-fr.tsv")


def run(engine, text: str, pairs, **options):
    glossary = pairs if isinstance(pairs, Glossary) else Glossary.from_pairs(pairs)
    return Translator(engine, glossary=glossary).translate_text(text, **options)


def item(source, target, start, end, target_start=None, target_end=None, *, reason=None, repair=None):
    out = {"source": source, "target": target, "start": start, "end": end, "paragraph": 0}
    if target_start is not None:
        out["target_start"], out["target_end"] = target_start, target_end
    if repair is not None:
        out["repair"] = repair
    if reason is not None:
        out["reason"] = reason
    return out


# -- by count, not position --------------------------------------------------------------------

def test_a_dropped_mention_is_missed_and_the_kept_one_applied_at_its_own_place():
    # The engine drops the FIRST "Poutine"; the count rule used to report the first applied.
    text = "Putin spoke to Reuters before Putin left."
    result = run(FunctionEngine(lambda t: t.replace("Poutine ", "", 1)), text,
                 [("Putin", "Poutine"), ("Reuters", "Reuters")])
    assert result.text == "spoke to Reuters before Poutine left."
    assert result.glossary["applied"] == [item("Reuters", "Reuters", 15, 22, 9, 16),
                                          item("Putin", "Poutine", 30, 35, 24, 31)]
    assert result.glossary["missed"] == [item("Putin", "Poutine", 0, 5, reason="no safe repair")]


def test_two_mentions_and_one_form_without_anything_to_order_them_is_uncertain_not_applied():
    result = run(FunctionEngine(lambda t: t.replace("Poutine et ", "")), "Putin et Putin", [("Putin", "Poutine")])
    assert result.text == "Poutine"
    assert result.glossary["applied"] == []
    assert [m["reason"] for m in result.glossary["missed"]] == ["position uncertain"] * 2


def test_alignment_decides_which_mention_was_kept():
    def engine(text):   # drops the first Poutine, word-aligned
        chunks = words(text)
        return [chunks[2:]]

    result = run(DetailedFunctionEngine(engine), "Putin et Putin", [("Putin", "Poutine")])
    assert result.text == "et Poutine"
    assert result.glossary["applied"] == [item("Putin", "Poutine", 9, 14, 3, 10)]
    assert result.glossary["missed"] == [item("Putin", "Poutine", 0, 5, reason="no safe repair")]


# -- fuzzy repair swapping similar names ---------------------------------------------------------

SIMILAR = [("Hwasong-17", "Hwasong-17"), ("Hwasong-18", "Hwasong-18")]
MISSILES = "It fired a Hwasong-17 and a Hwasong-18 missile."


def test_a_similar_listed_name_is_never_overwritten_to_repair_another():
    copy = MISSILES.replace("Hwasong-18", "Hwasong-17")
    result = run(FunctionEngine(lambda t: t.replace("Hwasong-18", "Hwasong-17")), MISSILES, SIMILAR)
    assert result.text == copy      # untouched: which Hwasong-17 is whose is not known
    assert result.glossary["applied"] == []
    assert result.glossary["missed"] == [item("Hwasong-17", "Hwasong-17", 11, 21, reason="position uncertain"),
                                         item("Hwasong-18", "Hwasong-18", 28, 38, reason="no safe repair")]


def test_with_alignment_the_right_one_is_applied_and_the_overwritten_one_missed():
    def engine(text):
        return [[(c.replace("Hwasong-18", "Hwasong-17"), span) for c, span in words(text)]]

    result = run(DetailedFunctionEngine(engine), MISSILES, SIMILAR)
    assert result.text == MISSILES.replace("Hwasong-18", "Hwasong-17")
    assert result.glossary["applied"] == [item("Hwasong-17", "Hwasong-17", 11, 21, 11, 21)]
    assert result.glossary["missed"] == [item("Hwasong-18", "Hwasong-18", 28, 38, reason="no safe repair")]


# -- correct French words overwritten ----------------------------------------------------------

def test_a_demonym_is_not_taken_for_a_garbled_country_name():
    result = run(FunctionEngine(lambda t: "Les Mauriciens ont fait la fête."), "Mauritius celebrated.",
                 [("Mauritius", "Maurice")])
    assert result.text == "Les Mauriciens ont fait la fête."
    assert result.glossary["missed"] == [item("Mauritius", "Maurice", 0, 9, reason="no safe repair")]


def test_a_demonym_tied_by_alignment_is_not_overwritten_either():
    def engine(text):
        return [[("Les ", None), ("Mauriciens", (0, 7)), (" ont fait la fête.", None)]]

    result = run(DetailedFunctionEngine(engine), "Mauritius celebrated.", [("Mauritius", "Maurice")])
    assert result.text == "Les Mauriciens ont fait la fête."
    assert result.glossary["missed"][0]["reason"] == "no safe repair"


def test_an_ordinary_word_equal_to_a_french_form_is_neither_counted_nor_recased():
    pairs = [("Vienna", "Vienne"), ("Guangzhou", "Canton")]
    result = run(FunctionEngine(lambda t: "Elle veut qu'il vienne dans le canton."),
                 "Vienna and Guangzhou want him to come.", pairs)
    assert result.text == "Elle veut qu'il vienne dans le canton."
    assert result.glossary["applied"] == []
    assert [m["source"] for m in result.glossary["missed"]] == ["Vienna", "Guangzhou"]


def test_an_ordinary_word_tied_by_alignment_is_not_forced_to_the_name():
    def engine(text):
        return [[("Le ", None), ("canton", (0, 6)), (" accueille.", None)]]

    result = run(DetailedFunctionEngine(engine), "Guangzhou hosts.", [("Guangzhou", "Canton")])
    assert result.text == "Le canton accueille."
    assert result.glossary["missed"][0]["reason"] == "no safe repair"


def test_repairs_never_cross_an_elision():
    pairs = [("United Nations", "Nations unies"), ("UN", "ONU")]
    result = run(FunctionEngine(lambda t: "La Nation unie s'est réunie."), "The United Nations met.", pairs)
    assert "'est" not in result.text.replace("s'est", "")
    assert result.text in ("La Nation unie s'est réunie.", "La Nations unies s'est réunie.")


def test_an_aligned_span_after_an_elided_article_is_not_replaced_by_a_consonant_form():
    def engine(text):
        return [[("L'", None), ("Organisation", (4, 17)), (" s'est réunie.", None)]]

    pairs = [("United Nations", "Nations unies")]
    result = run(DetailedFunctionEngine(engine), "The United Nations met.", pairs)
    assert result.text == "L'Organisation s'est réunie."
    assert result.glossary["missed"] == [item("United Nations", "Nations unies", 4, 18, reason="no safe repair")]


def test_an_elided_acronym_is_left_alone_when_the_long_form_is_missing():
    pairs = [("United Nations", "Nations unies"), ("UN", "ONU")]
    result = run(FunctionEngine(lambda t: "Le chef de l'ONU a parlé."), "The United Nations chief spoke.", pairs)
    assert result.text == "Le chef de l'ONU a parlé."


# -- URLs, e-mail addresses, handles, hashtags ---------------------------------------------------

def test_names_inside_urls_addresses_handles_and_hashtags_are_never_matched_or_repaired():
    text = ("Mauritius: see https://example.mu/Mauritius, write to Mauritius@example.mu, "
            "follow @Mauritius and #Mauritius.")
    result = run(FunctionEngine(lambda t: t.replace("Maurice:", "Mauritius:")), text, [("Mauritius", "Maurice")])
    assert result.text == text.replace("Mauritius:", "Maurice:", 1)
    assert result.glossary["applied"] == [item("Mauritius", "Maurice", 0, 9, 0, 7, repair="source-form")]
    assert result.glossary["missed"] == []


# -- all-caps headlines --------------------------------------------------------------------------

def test_an_all_caps_headline_is_matched_and_gets_the_french_form_in_capitals():
    engine = FunctionEngine(lambda t: t)
    result = run(engine, "VLADIMIR PUTIN LANDS IN BEIJING", [("Vladimir Putin", "Vladimir Poutine"),
                                                             ("Beijing", "Pékin")])
    assert engine.seen == ["VLADIMIR POUTINE LANDS IN PÉKIN"]
    assert result.glossary["applied"] == [item("Vladimir Putin", "Vladimir Poutine", 0, 14, 0, 16),
                                          item("Beijing", "Pékin", 24, 31, 26, 31)]


def test_an_all_caps_common_word_is_only_an_entry_with_ci_or_in_a_mixed_case_sentence():
    engine = FunctionEngine(lambda t: t)
    pairs = [("WHO", "OMS")]
    assert run(engine, "WHO CARES", pairs).text == "WHO CARES"
    assert run(engine, "The WHO warned.", pairs).text == "The OMS warned."
    assert run(engine, "WHO WARNS", [("WHO", "OMS", "ci")]).text == "OMS WARNS"
    assert run(engine, "NATO WARNS", [("NATO", "OTAN")]).text == "OTAN WARNS"


# -- a listed name inside a longer unlisted one ---------------------------------------------------

def test_a_keep_entry_shields_the_listed_name_inside_it():
    pairs = [("Bank of Mauritius", "Banque de Maurice"), ("Mauritius", "Maurice"),
             ("State Bank of Mauritius", "State Bank of Mauritius")]
    engine = FunctionEngine(lambda t: t)
    result = run(engine, "The State Bank of Mauritius and the Bank of Mauritius met.", pairs)
    assert result.text == "The State Bank of Mauritius and the Banque de Maurice met."


def test_the_starter_glossary_shields_banks_airlines_and_newspapers():
    for name in ("State Bank of Mauritius", "Air Mauritius", "Mauritius Times", "Kyiv Post"):
        prepared = STARTER.prepare(f"The {name} said so.")
        assert prepared.engine_text == f"The {name} said so.", name


# -- a failed segment ---------------------------------------------------------------------------

def test_a_segment_kept_in_english_reports_its_names_missed_and_is_not_touched():
    engine = FunctionEngine(lambda t: "")     # nothing usable, even with fallback decoding
    result = run(engine, "Putin spoke.", [("Putin", "Poutine")])
    assert result.text == "Putin spoke."
    assert result.counts["failed"] == 1 and result.status == "partial"
    assert result.glossary["applied"] == []
    assert result.glossary["missed"] == [item("Putin", "Poutine", 0, 5, reason="segment not translated")]


# -- n-best, repair off ----------------------------------------------------------------------------

def test_the_best_hypothesis_that_keeps_every_name_is_chosen():
    def engine(text):
        return [[("Il a parlé.", None)], words(text)]

    detailed = DetailedFunctionEngine(engine)
    result = run(detailed, "Putin spoke.", [("Putin", "Poutine")])
    assert detailed.detailed_calls == [(["Poutine spoke."], 4, True)]
    assert result.text == "Poutine spoke."
    assert result.glossary["applied"] == [item("Putin", "Poutine", 0, 5, 0, 7)]


def test_without_a_good_hypothesis_the_best_one_is_repaired():
    def engine(text):
        return [[("Poutin", (0, 7)), (" a parlé.", None)], [("Il a parlé.", None)]]

    result = run(DetailedFunctionEngine(engine), "Putin spoke.", [("Putin", "Poutine")])
    assert result.text == "Poutine a parlé."
    assert result.glossary["applied"] == [item("Putin", "Poutine", 0, 5, 0, 7, repair="aligned")]


def test_repair_off_only_reports():
    result = run(FunctionEngine(lambda t: t.replace("Poutine", "Putin")), "Putin spoke.", [("Putin", "Poutine")],
                 repair=False)
    assert result.text == "Putin spoke."
    assert result.glossary["missed"] == [item("Putin", "Poutine", 0, 5, reason="not found")]


# -- positions across paragraphs and segments -----------------------------------------------------

def test_offsets_are_in_the_english_and_french_paragraphs():
    text = "Nothing here.\n\nFirst sentence. Then Putin spoke to Reuters."
    result = run(FunctionEngine(lambda t: f"[{t}]"), text, [("Putin", "Poutine"), ("Reuters", "Reuters")])
    paragraph = "First sentence. Then Putin spoke to Reuters."
    french = result.paragraphs[1]
    for applied in result.glossary["applied"]:
        assert applied["paragraph"] == 1
        assert paragraph[applied["start"]:applied["end"]] == applied["source"]
        assert french[applied["target_start"]:applied["target_end"]] == applied["target"]
    assert len(result.glossary["applied"]) == 2


def test_offsets_follow_french_typography():
    # The service typesets the French after the glossary (guillemets, NBSP before ! and :, ’):
    # every applied item still points at its form, typeset as the rest of the text.
    from translator.text.typography import Typography

    text = 'He said "Putin" spoke at the Indian Ocean Commission: 1,000 delegates! Nothing from the UN!'
    pairs = [("Putin", "Poutine"), ("Indian Ocean Commission", "Commission de l'océan Indien"), ("UN", "ONU")]
    engine = FunctionEngine(lambda t: "Il a dit " + t.replace("He said ", ""))
    result = Translator(engine, glossary=Glossary.from_pairs(pairs), typography=Typography()).translate_text(text)
    assert result.text == ("Il a dit «\u00a0Poutine\u00a0» spoke at the Commission de l’océan Indien\u00a0: "
                           "1\u00a0000 delegates\u00a0! Nothing from the ONU\u00a0!")
    found = [result.text[i["target_start"]:i["target_end"]] for i in result.glossary["applied"]]
    assert found == ["Poutine", "Commission de l’océan Indien", "ONU"]


# -- property: random engines that drop, duplicate, reorder, re-case and misspell names ----------

import re  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from translator.engines.results import AlignedPiece, Hypothesis  # noqa: E402
from translator.glossary import enforce  # noqa: E402

NAMES = sorted({e.source for e in STARTER.entries})
FILLER = ["the", "minister", "said", "on", "Monday", "that", "talks", "in", "and", "with", "l'accord", "vienne"]
OPERATIONS = ["keep", "keep", "drop", "duplicate", "recase", "misspell", "english", "swap"]


def _engine_output(prepared, operations, aligned: bool) -> Hypothesis:
    """The engine text copied piece by piece, each name occurrence damaged by its operation."""
    chunks: list[tuple[str, tuple[int, int] | None]] = []
    text, position = prepared.engine_text, 0
    for index, o in enumerate(prepared.occurrences):
        for chunk, span in words(text[position:o.engine_start]):
            chunks.append((chunk, None if span is None else (span[0] + position, span[1] + position)))
        span = (o.engine_start, o.engine_end)
        form = o.form
        operation = operations[index % len(operations)] if operations else "keep"
        if operation == "drop":
            chunks.append(("", None))
        elif operation == "duplicate":
            chunks.extend([(form, span), (" ", None), (form, span)])
        elif operation == "recase":
            chunks.append((form.lower() if form[:1].isupper() else form.upper(), span))
        elif operation == "misspell" and len(form) > 3:
            chunks.append((form[:-2] + form[-1], span))
        elif operation == "english":
            chunks.append((o.entry.source, span))
        elif operation == "swap" and len(chunks) >= 2 and chunks[-2][1] is not None:
            chunks.append((form, span))
            chunks[-1], chunks[-3] = chunks[-3], chunks[-1]
        else:
            chunks.append((form, span))
        position = o.engine_end
    for chunk, span in words(text[position:]):
        chunks.append((chunk, None if span is None else (span[0] + position, span[1] + position)))
    pieces, offset = [], 0
    for chunk, span in chunks:
        if span is not None and chunk.strip():
            pieces.append(AlignedPiece(offset, offset + len(chunk), span[0], span[1]))
        offset += len(chunk)
    return Hypothesis("".join(c for c, _ in chunks), None, tuple(pieces) if aligned else None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NAMES), st.sampled_from(FILLER)), min_size=1, max_size=10),
       st.lists(st.sampled_from(OPERATIONS), max_size=6), st.booleans(), st.booleans())
def test_applied_means_the_form_is_at_its_place_and_repairs_touch_only_name_spans(words_, operations, aligned,
                                                                                  caps):
    source = " ".join(words_) + "."
    if caps:
        source = source.upper()
    prepared = STARTER.prepare(source)
    hypothesis = _engine_output(prepared, operations, aligned)
    result = enforce(prepared, hypothesis)
    final = result.text
    # Every occurrence is reported exactly once, in source order.
    reported = sorted(result.applied + result.missed, key=lambda i: i["start"])
    assert [(i["source"], i["start"]) for i in reported] == [(o.entry.source, o.start) for o in prepared.occurrences]
    forms = {(o.start, o.end): o.form for o in prepared.occurrences}
    spans = []
    for item in result.applied:
        found = final[item["target_start"]:item["target_end"]]
        form = forms[(item["start"], item["end"])]
        assert found in (form, form[:1].upper() + form[1:]), (found, form, final)
        spans.append((item["target_start"], item["target_end"]))
    # Nothing outside the applied names' spans changed: the final text is the engine's with only
    # those spans (and a repeated name next to one of them) replaced.
    pattern, position = "", 0
    for s, e in sorted(spans):
        pattern += re.escape(final[position:s]) + "(.*?)"
        position = e
    pattern += re.escape(final[position:])
    assert re.fullmatch(pattern, hypothesis.text, re.DOTALL), (hypothesis.text, final, sorted(spans))
