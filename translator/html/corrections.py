"""Editors' corrections on an HTML body: only the corrected pieces change, their inline tags kept.

An HTML body's units name their *piece*: the inline run of a block, or the
translated attribute, they were translated from (in
:func:`~translator.html.blocks.extract_units` order). When a human entry
changes a unit, only its piece of the stored machine French is rebuilt: a run
gets the corrected French with its inline tags projected again onto it (by
relative position, at word boundaries: an editor's text has no alignment), an
attribute gets the corrected value. Every other piece stays byte for byte, so
removing every correction gives back the machine French exactly.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from ..editorial.units import Unit, piece_texts
from .blocks import (TRANSLATED_ATTRIBUTES, AttributeUnit, InlineTag, Run, article_blocks, extract_units, run_html,
                     write_run)
from .parse import parse_fragment, serialize_fragment
from .projection import project, render
from .sanitize import sanitize
from .translate import html_blocks

__all__ = ["mark_blocks", "rebuild_corrected"]

log = logging.getLogger(__name__)


def rebuild_corrected(machine_html: str, units: Sequence[Unit], english_html: str | None = None
                      ) -> tuple[str, list[str]]:
    """``(html, blocks)``: ``machine_html`` with each piece whose units now say something else rebuilt
    from them (see the module docstring). With the article's ``english_html``, a run's tags are placed
    from the English (a tagged name the editor kept, such as a linked "Reuters", is wrapped where it
    is); without it, from the machine French."""
    corrected, machine = piece_texts(units), piece_texts(units, machine=True)
    changed = sorted(piece for piece, text in corrected.items() if text != machine.get(piece))
    if not changed:
        return machine_html, html_blocks(machine_html)
    root = parse_fragment(machine_html)
    runs, attributes = extract_units(root)
    pieces: list = [*runs, *attributes]
    english = extract_units(parse_fragment(sanitize(english_html)))[0] if english_html else []
    for number in changed:
        piece = pieces[number] if number < len(pieces) else None
        if isinstance(piece, AttributeUnit):
            piece.element.set(piece.name, corrected[number])
        elif piece is not None and piece.text == " ".join(machine[number].split()):
            source = english[number] if number < len(english) else None
            tags = _french_tags(source.tags, piece.tags) if source is not None else None
            if tags is None:  # no English to place from (or another inline structure): the machine French
                source, tags = piece, piece.tags
            spans = project(source.text, corrected[number], source.tags, [])
            write_run(piece, render(corrected[number], tags, spans))
        else:  # the stored French no longer has this piece as its units say: never guess where it goes
            log.warning("HTML correction of piece %d not applied: the stored French does not match its units",
                        number)
    html = sanitize(serialize_fragment(root))
    return html, html_blocks(html)


def mark_blocks(html: str, blocks: set[int], css_class: str) -> str:
    """``html`` (sanitised) with ``css_class`` added to the blocks numbered ``blocks`` (the review page
    marks the blocks that hold flagged segments). The class is the only change to a block element; a run
    of loose text, which has no element of its own, is wrapped in a ``span`` with the class."""
    if not blocks:
        return html
    root = parse_fragment(html)
    for number, block in enumerate(article_blocks(root)):
        if number not in blocks:
            continue
        if isinstance(block, Run):
            # Built before write_run takes the run's nodes out of the tree.
            span = parse_fragment(run_html(block))
            span.tag = "span"
            span.set("class", css_class)
            write_run(block, [span])
        else:
            block.set("class", " ".join([*(block.get("class") or "").split(), css_class]))
    return serialize_fragment(root)


def _french_tags(english: Sequence[InlineTag], french: Sequence[InlineTag]) -> list[InlineTag] | None:
    """The English run's tags, each with the element of its French counterpart (its translated
    ``alt``/``title`` kept); None when the two runs do not hold the same inline elements."""
    def identity(tag: InlineTag) -> tuple:
        return tag.name, tag.protected, sorted((k, v) for k, v in tag.element.attrib.items()
                                               if k not in TRANSLATED_ATTRIBUTES)

    unused = list(french)
    placed = []
    for tag in english:
        match = next((candidate for candidate in unused if identity(candidate) == identity(tag)), None)
        if match is None:
            return None
        unused.remove(match)
        placed.append(dataclasses.replace(tag, element=match.element))
    return placed
