"""Review flags: which machine segments an editor should look at.

Each machine segment gets a flag list when it is translated:

* ``low_score``: the mean token log-probability of the chosen hypothesis is
  below ``TRANSLATOR_REVIEW_SCORE`` (no flag when the engine gives no score);
* ``glossary_missed``: a glossary term's French form could not be enforced;
* ``failed``: no usable translation, the English was kept;
* ``length_ratio``: the target is shorter than 0.6 or longer than 2.0 times the
  source (sources under :data:`MIN_RATIO_CHARS` characters are too short to tell);
* ``number_missing``: a figure (number, date, amount, percentage), its unit or a
  month of the source is not in the target, each side read in its own
  language's conventions (:func:`translator.text.numbers.missing_numbers`).

The review list (:mod:`translator.editorial.review`) gathers the flagged segments.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..text.numbers import missing_numbers
from .status import SegmentStatus

__all__ = ["FLAGS", "LENGTH_RATIO", "MIN_RATIO_CHARS", "segment_flags"]

FLAGS = ("low_score", "glossary_missed", "failed", "length_ratio", "number_missing")
#: The accepted target/source length ratio (characters).
LENGTH_RATIO = (0.6, 2.0)
#: Sources shorter than this get no length-ratio flag ("Yes." -> "Oui, tout à fait." is fine).
MIN_RATIO_CHARS = 20


def segment_flags(source: str, target: str, *, status: SegmentStatus, score: float | None, missed: Iterable[dict] = (),
                  review_score: float | None = None) -> list[str]:
    """The flags of one machine segment (``status`` as in the pipeline), in :data:`FLAGS` order."""
    if status == SegmentStatus.UNCHANGED:
        return []
    flags = []
    if score is not None and review_score is not None and score < review_score:
        flags.append("low_score")
    if any(True for _ in missed):
        flags.append("glossary_missed")
    if status == SegmentStatus.FAILED:
        flags.append("failed")
        return flags  # the target is the source: ratio and numbers say nothing more
    stripped = source.strip()
    if len(stripped) >= MIN_RATIO_CHARS:
        ratio = len(target.strip()) / len(stripped)
        if not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]:
            flags.append("length_ratio")
    if missing_numbers(source, target):
        flags.append("number_missing")
    return flags
