"""Proper-noun glossary: entries, matching, enforcement and file formats.

    from translator import Glossary, Translator
    glossary = Glossary.from_tsv("glossary/en-fr.tsv")
    result = Translator(engine, glossary=glossary).translate_text("Vladimir Putin spoke.")
    result.glossary  # {"applied": [{"source": "Vladimir Putin", "target": "Vladimir Poutine"}], "missed": []}

Modules: :mod:`.entries` (entries, TSV parsing and validation),
:mod:`.matching` (finding terms), :mod:`.enforcement` (getting the French
forms into the output, or reporting them missed), :mod:`.glossary` (the
:class:`Glossary`), :mod:`.live` (the file plus the live edits kept in the
store), :mod:`.files` (DeepL TSV/CSV import and export), :mod:`.contract`
(everything the pipeline calls on a glossary, declared once).
"""

from .contract import GlossarySnapshot, GlossarySource, PreparedText
from .enforcement import NOT_TRANSLATED, TOO_LONG, Enforcement, InlinedSegment, enforce
from .entries import GlossaryEntry, Problem, validate_tsv
from .glossary import Glossary, load_glossary, request_glossary
from .live import GlossaryConflict, LiveGlossary
from .matching import Match

__all__ = ["NOT_TRANSLATED", "TOO_LONG", "Enforcement", "Glossary", "GlossaryConflict", "GlossaryEntry",
           "GlossarySnapshot", "GlossarySource", "InlinedSegment", "LiveGlossary", "Match", "PreparedText",
           "Problem", "enforce",
           "load_glossary", "request_glossary", "validate_tsv"]
