"""The glossary's contract with the pipeline: everything a Translator calls, declared once.

:class:`~translator.pipeline.translator.Translator` (and the HTML translator
built on it) talks to a glossary only through the two protocols below;
:class:`~translator.glossary.Glossary` satisfies both, and so must any
stand-in (test fakes). Nothing is discovered at run time: a glossary that
lacks a method fails the type check, not a translation.

**A snapshot** (:class:`GlossarySnapshot`) is one immutable set of entries
with its ``version``. For every distinct translatable segment of one call the
pipeline:

1. calls ``prepared = snapshot.prepare(source)`` once, and reads from the
   result (:class:`PreparedText`):

   * ``engine_text``: the text the engine translates (the French forms of the
     terms put inline; ``source`` itself when no entry occurs);
   * ``fingerprint``: which entries occur (``""`` when none does). It is part
     of the translation-memory key (:func:`~translator.pipeline.memory.memory_key`),
     so a segment without entries has the same key as with no glossary at all,
     and changing an entry invalidates exactly the segments that contain it;
   * ``n_best`` and ``alignment``: what to ask the engine for
     (:func:`~translator.engines.results.translate_detailed`);

2. when the engine returned two or more usable hypotheses (best first), calls
   ``snapshot.choose(prepared, hypotheses)`` for the index of the one to keep;
   the translation memory stores that one;

3. calls ``snapshot.finish(prepared, hypotheses, repair=..., unchecked=...)``
   for the final text and the report (:class:`~translator.glossary.enforcement.Enforcement`:
   ``text``, ``applied``, ``missed``, ``unlisted``, offsets relative to the
   segment). ``hypotheses`` is never empty: a segment from the memory or one
   that kept its English comes as one hypothesis with its text. ``repair=False``:
   report only, never change the text. ``unchecked``: the reason the text
   cannot be checked (:data:`~translator.glossary.enforcement.NOT_TRANSLATED`,
   :data:`~translator.glossary.enforcement.TOO_LONG`): every occurrence is then
   missed with that reason and the text is left as it is.

The same snapshot prepares, chooses and finishes a segment: the pipeline
resolves its glossary once per call, so a live edit never splits a call.

**A source** (:class:`GlossarySource`) is where a translator finds its
snapshot: ``current`` is the snapshot in force now, or None (no glossary). A
:class:`~translator.glossary.live.LiveGlossary` (the file plus the store's live
edits) is one; a :class:`~translator.glossary.Glossary` is its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..engines.results import Hypothesis

if TYPE_CHECKING:
    from .enforcement import Enforcement

__all__ = ["GlossarySnapshot", "GlossarySource", "PreparedText"]


class PreparedText(Protocol):
    """What the pipeline reads of one segment prepared by a snapshot (see the module docstring)."""

    @property
    def engine_text(self) -> str: ...

    @property
    def fingerprint(self) -> str: ...

    @property
    def n_best(self) -> int: ...

    @property
    def alignment(self) -> bool: ...


Prepared = TypeVar("Prepared", bound=PreparedText)


class GlossarySnapshot(Protocol[Prepared]):
    """One immutable glossary: what the pipeline calls for each segment (see the module docstring)."""

    @property
    def version(self) -> str:
        """Identifies the entries; each translation carries the version it was made with."""
        ...

    def prepare(self, source: str) -> Prepared:
        """Find the terms in ``source`` and build the text the engine will see."""
        ...

    def choose(self, prepared: Prepared, hypotheses: Sequence[Hypothesis]) -> int:
        """The index of the hypothesis to keep (best first; 0 when none is better)."""
        ...

    def finish(self, prepared: Prepared, output: Sequence[Hypothesis], *, repair: bool = True,
               unchecked: str | None = None) -> Enforcement:
        """Check (and unless ``repair`` is False, repair) the kept hypothesis; report every occurrence."""
        ...


class GlossarySource(Protocol):
    """Where a translator finds its glossary: the snapshot in force now, or None."""

    @property
    def current(self) -> GlossarySnapshot | None:
        """The snapshot to use for the next call."""
        ...
