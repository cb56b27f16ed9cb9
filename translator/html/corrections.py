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

import logging
from collections.abc import Sequence

from ..editorial.units import Unit, piece_texts
from .blocks import AttributeUnit, extract_units, write_run
from .parse import outermost_blocks, parse_fragment, serialize_fragment
from .projection import project, render
from .sanitize import sanitize
from .translate import html_blocks

__all__ = ["mark_blocks", "rebuild_corrected"]

log = logging.getLogger(__name__)


def rebuild_corrected(machine_html: str, units: Sequence[Unit]) -> tuple[str, list[str]]:
    """``(html, blocks)``: ``machine_html`` with each piece whose units now say something else rebuilt
    from them (see the module docstring)."""
    corrected, machine = piece_texts(units), piece_texts(units, machine=True)
    changed = sorted(piece for piece, text in corrected.items() if text != machine.get(piece))
    if not changed:
        return machine_html, html_blocks(machine_html)
    root = parse_fragment(machine_html)
    runs, attributes = extract_units(root)
    pieces: list = [*runs, *attributes]
    for number in changed:
        piece = pieces[number] if number < len(pieces) else None
        if isinstance(piece, AttributeUnit):
            piece.element.set(piece.name, corrected[number])
        elif piece is not None and piece.text == " ".join(machine[number].split()):
            spans = project(piece.text, corrected[number], piece.tags, [])
            write_run(piece, render(corrected[number], piece.tags, spans))
        else:  # the stored French no longer has this piece as its units say: never guess where it goes
            log.warning("HTML correction of piece %d not applied: the stored French does not match its units",
                        number)
    html = sanitize(serialize_fragment(root))
    return html, html_blocks(html)


def mark_blocks(html: str, blocks: set[int], css_class: str) -> str:
    """``html`` (sanitised) with ``css_class`` added to the outermost blocks numbered ``blocks`` (the
    review page marks the blocks that hold flagged segments). The class is the only change."""
    if not blocks:
        return html
    root = parse_fragment(html)
    for number, block in enumerate(outermost_blocks(root)):
        if number in blocks:
            block.set("class", " ".join([*(block.get("class") or "").split(), css_class]))
    return serialize_fragment(root)
