"""Review flags of one machine segment."""

from __future__ import annotations

import pytest

from translator.pipeline.flags import segment_flags

SOURCE = "Inflation rose 3.5 percent in May, the statistics office said."


@pytest.mark.parametrize(("target", "kwargs", "flags"), [
    ("L'inflation a augmenté de 3,5 % en mai, a indiqué l'office statistique.", {}, []),
    ("L'inflation a augmenté de 5,3 % en mai, a indiqué l'office statistique.", {}, ["number_missing"]),
    ("L'inflation a augmenté de 3,5 % en mai, a indiqué l'office statistique.", {"score": -2.5}, ["low_score"]),
    ("L'inflation a augmenté de 3,5 % en mai, a indiqué l'office statistique.", {"score": -0.4}, []),
    ("L'inflation a augmenté de 3,5 % en mai, a indiqué l'office statistique.",
     {"missed": [{"source": "Putin", "target": "Poutine"}]}, ["glossary_missed"]),
    ("3,5 % en mai.", {}, ["length_ratio"]),
    ("L'inflation a augmenté de 3,5 % en mai " * 4, {}, ["length_ratio"]),
    # the month of the date counts as much as its figures
    ("L'inflation a augmenté de 3,5 % en juin, a indiqué l'office statistique.", {}, ["number_missing"]),
    (SOURCE, {"status": "failed"}, ["failed"]),
    ("Inflation 3,5 % mai", {"score": -3.0, "missed": [{"source": "X", "target": "Y"}]},
     ["low_score", "glossary_missed", "length_ratio"]),
])
def test_flags(target, kwargs, flags):
    arguments = {"status": "translated", "score": None, "review_score": -1.0, **kwargs}
    assert segment_flags(SOURCE, target, **arguments) == flags


def test_short_sources_get_no_length_flag_and_unchanged_segments_no_flag():
    assert segment_flags("Yes.", "Oui, tout à fait, absolument.", status="translated", score=None) == []
    assert segment_flags("2024", "2024", status="unchanged", score=-9.0, review_score=-1.0) == []
