"""Blocks of an HTML fragment as units of translation: plain text plus an inline-tag skeleton.

A *unit* (:class:`Run`) is one run of inline content inside a block element
(``p``, ``h1``-``h6``, ``li``, ``blockquote``, ``figcaption``, ``td``/``th``,
``dt``/``dd``, ``caption``): usually the whole block, or the part of it before
or after a nested structure (``<li>text<ul>...</ul></li>``). Its :attr:`Run.text`
is what the engine sees, text only, whitespace collapsed; its :attr:`Run.tags`
say which characters each inline element wrapped. The engine never sees markup.

Never translated (skipped whole, kept byte for byte): ``code``, ``pre``,
``kbd``, ``samp``, ``var`` and anything with ``translate="no"`` or class
``notranslate``. Inside a block such an element is a *protected* tag: its
text is part of the sentence the engine reads (so the sentence stays
natural), but the French gets the original element back, unchanged, at the
place its text was translated to.

Translated attributes (``alt`` and ``title``) are units without tags
(:class:`AttributeUnit`). Every other attribute is kept verbatim. Text
directly inside a container (``div``, ``section``, a list, ... and the
fragment's top level) is translated too: each run of it between blocks is a
unit, like a paragraph's, and a block of the article of its own
(:func:`article_blocks`).
"""

from __future__ import annotations

import copy
import hashlib
import html as html_escaping
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from ..text.segmentation import is_translatable
from .parse import BLOCK_TAGS, INLINE_TAGS, VOID_INLINE_TAGS, block_text, is_protected, serialize_element

__all__ = ["AttributeUnit", "Block", "InlineTag", "LOOSE_TEXT_CONTAINERS", "Run", "TRANSLATED_ATTRIBUTES",
           "article_blocks", "block_html", "block_source_text", "extract_units", "run_html", "write_run"]

#: Attributes whose value is translated.
TRANSLATED_ATTRIBUTES = ("alt", "title")

_SPACE = re.compile(r"\s+")


@dataclass
class InlineTag:
    """One inline element of a run: the characters ``[start, end)`` of :attr:`Run.text` it wrapped.

    ``element`` is a copy without content (tag and attributes) or, for a
    protected element, a full copy without its tail. ``parent`` is the index of
    the enclosing tag in :attr:`Run.tags` (None at the top). A tag with
    ``start == end`` (``br``, ``img``, an empty element) is a point.
    """

    element: etree._Element
    start: int
    end: int
    parent: int | None
    protected: bool = False
    source: etree._Element | None = field(default=None, repr=False, compare=False)  # the element copied
    space_before: bool = False  # a space preceded it in the English (kept for a point at the end)

    @property
    def point(self) -> bool:
        return self.start == self.end

    @property
    def name(self) -> str:
        return self.element.tag


@dataclass
class Run:
    """One unit: a run of inline nodes inside ``container``, between two of its non-inline children.

    ``before``/``after`` are those children (None: the start / end of the
    container). ``text`` is the run's text with whitespace collapsed and
    stripped; ``leading``/``trailing`` the whitespace that surrounded it.
    """

    container: etree._Element
    before: etree._Element | None
    after: etree._Element | None
    text: str = ""
    tags: list[InlineTag] = field(default_factory=list)
    leading: str = ""
    trailing: str = ""

    @property
    def translatable(self) -> bool:
        """Whether the run has words outside its protected tags."""
        text = self.text
        for tag in sorted((t for t in self.tags if t.protected), key=lambda t: -t.start):
            text = text[:tag.start] + " " + text[tag.end:]
        return is_translatable(text)

    def skeleton(self) -> str:
        """The run's inline markup without attribute values: tag names, nesting and character spans.

        Part of the translation-memory key, so editing a link's ``href`` keeps
        the French while moving or adding a tag translates again. A protected
        element is named with a digest of its markup (its content is output).
        """
        parts = []
        for tag in self.tags:
            name = tag.name
            if tag.protected:
                markup = etree.tostring(tag.element, encoding="unicode", method="html")
                name += "!" + hashlib.sha256(markup.encode()).hexdigest()[:16]
            parts.append(f"{name}[{tag.start}:{tag.end}]^{'' if tag.parent is None else tag.parent}")
        return " ".join(parts)


@dataclass
class AttributeUnit:
    """A translated attribute (``alt``, ``title``): its element, name and value (stripped)."""

    element: etree._Element
    name: str
    text: str


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _is_inline(node: etree._Element) -> bool:
    """Whether a child of a block continues its run of inline content (comments do; blocks and
    structural elements such as lists, tables and divs end it)."""
    return not _is_element(node) or node.tag in INLINE_TAGS or (
        node.tag not in BLOCK_TAGS and node.tag not in _STRUCTURAL)


#: Containers whose own text (outside their blocks) is translated, each run of it like a paragraph. Lists and
#: tables are here too: a browser shows text put directly in a ``ul`` (the sanitiser keeps it there), so it
#: must not stay in English.
LOOSE_TEXT_CONTAINERS = frozenset({"div", "section", "article", "aside", "header", "footer", "main", "nav",
                                   "figure", "details", "summary", "address", "hgroup",
                                   "ul", "ol", "dl", "menu", "table", "thead", "tbody", "tfoot", "tr"})

#: Elements that end a run of inline content (anything neither inline nor in this set counts as inline).
_STRUCTURAL = frozenset({
    "div", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup", "col", "figure", "section",
    "article", "aside", "header", "footer", "nav", "main", "pre", "hr", "form", "fieldset", "details",
    "summary", "address", "hgroup", "menu", "picture", "video", "audio", "source", "track", "canvas", "map",
    "script", "style", "iframe", "object", "embed", "svg", "math", "noscript", "template",
})


class _RunBuilder:
    def __init__(self, container: etree._Element, before: etree._Element | None, holder: str | None):
        self.run = Run(container, before, None)
        self.chars: list[str] = []
        self.raw_start = holder or ""
        self.raw_end = holder or ""
        self.has_nodes = False

    def add_text(self, text: str | None) -> None:
        if not text:
            return
        collapsed = _SPACE.sub(" ", text)
        if collapsed.startswith(" ") and (not self.chars or self.chars[-1] == " "):
            collapsed = collapsed[1:]
        self.chars.extend(collapsed)

    def add_node(self, node: etree._Element, parent: int | None) -> None:
        self.has_nodes = True
        if not _is_element(node):  # a comment or processing instruction: dropped
            self.add_text(node.tail)
            self.raw_end = node.tail or ""
            return
        tags = self.run.tags
        index = len(tags)
        protected = is_protected(node) or node.tag in _STRUCTURAL
        if protected:
            element = copy.deepcopy(node)
            element.tail = None
        else:
            element = etree.Element(node.tag, dict(node.attrib))
        tag = InlineTag(element, len(self.chars), len(self.chars), parent, protected, node)
        tag.space_before = bool(self.chars) and self.chars[-1] == " "
        tags.append(tag)
        if protected:
            self.add_text(node.text_content())
        elif node.tag == "br":
            self.add_text(" ")
        elif node.tag not in VOID_INLINE_TAGS:
            self.add_text(node.text)
            for child in node:
                self.add_node(child, index)
        tag.end = len(self.chars)
        self.add_text(node.tail)
        self.raw_end = node.tail or ""

    def finish(self, after: etree._Element | None) -> Run:
        run = self.run
        run.after = after
        while self.chars and self.chars[-1] == " ":
            self.chars.pop()
        run.text = "".join(self.chars)
        size = len(run.text)
        for tag in run.tags:
            start, end = min(tag.start, size), min(tag.end, size)
            if tag.element.tag == "br" or tag.element.tag in VOID_INLINE_TAGS and not tag.protected:
                end = start
            while start < end and run.text[start] == " ":
                start += 1
            while end > start and run.text[end - 1] == " ":
                end -= 1
            tag.start, tag.end = start, end
        run.leading = self.raw_start[:len(self.raw_start) - len(self.raw_start.lstrip())]
        run.trailing = self.raw_end[len(self.raw_end.rstrip()):] if self.raw_end.strip() or self.has_nodes \
            else ""
        return run


def _runs_of(container: etree._Element, *, translatable_only: bool = True) -> list[Run]:
    """The runs of inline content of ``container`` between its non-inline children, in order: those with
    words to translate, or (``translatable_only=False``) every one with some text."""
    runs: list[Run] = []
    builder = _RunBuilder(container, None, container.text)
    builder.add_text(container.text)
    for child in container:
        if _is_inline(child):
            builder.add_node(child, None)
            continue
        runs.append(builder.finish(child))
        builder = _RunBuilder(container, child, child.tail)
        builder.add_text(child.tail)
    runs.append(builder.finish(None))
    return [run for run in runs if run.text and (run.translatable or not translatable_only)]


def extract_units(root: etree._Element) -> tuple[list[Run], list[AttributeUnit]]:
    """Every translatable run of every block under ``root`` and every translated attribute, in document order."""
    runs: list[Run] = []
    attributes: list[AttributeUnit] = []

    def visit(element: etree._Element, in_run: bool = False) -> None:
        for name in TRANSLATED_ATTRIBUTES:
            value = element.get(name)
            if value and is_translatable(value):
                attributes.append(AttributeUnit(element, name, " ".join(value.split())))
        # A block's inline content is its runs; so is text directly inside a container (a div, a section,
        # the fragment's top level), between its blocks: never left in English.
        holder = not in_run and (element.tag in BLOCK_TAGS or element.tag in LOOSE_TEXT_CONTAINERS
                                 or element is root)
        # A block's runs come before its nested structures (as ``paragraph`` numbers them: one block); a
        # container's runs are blocks of their own, so they are taken in reading order between its children.
        pending = _runs_of(element) if holder else []
        if holder and element.tag in BLOCK_TAGS:
            runs.extend(pending)
            pending = []
        for child in element:
            while pending and pending[0].after is child:
                runs.append(pending.pop(0))
            if _is_element(child) and not is_protected(child):
                # Inline content of a run (a <p> inside an <a> there included): only its attributes are
                # left to find.
                visit(child, in_run or (holder and _is_inline(child)))
        runs.extend(pending)

    visit(root)
    # An inline element is rebuilt from its copy in the run: its translated attributes go there.
    copies = {id(tag.source): tag.element for run in runs for tag in run.tags if tag.source is not None}
    for attribute in attributes:
        attribute.element = copies.get(id(attribute.element), attribute.element)
    return runs, attributes


#: One block of an article: a block element, or a run of inline content directly inside a container.
Block = etree._Element | Run


def article_blocks(root: etree._Element) -> list[Block]:
    """The blocks of the fragment ``root``, in reading order: what ``paragraphs`` and ``source_blocks`` list
    and a unit's ``paragraph`` counts.

    Each outermost block element is one (whatever its content, a ``translate="no"`` one included), and so
    is each run of inline content with some text directly inside a container that holds translated text
    (the top level, a ``div``, a list...: :data:`LOOSE_TEXT_CONTAINERS`), as :func:`extract_units` finds
    it. Nothing inside a block is another block.
    """
    found: list[Block] = []

    def visit(element: etree._Element, holds_text: bool, protected: bool) -> None:
        pending = _runs_of(element, translatable_only=False) if holds_text else []
        for child in element:
            while pending and pending[0].after is child:
                found.append(pending.pop(0))
            if not _is_element(child):
                continue
            if child.tag in BLOCK_TAGS:
                found.append(child)
            elif not (holds_text and _is_inline(child)):  # inline content belongs to a run, blocks inside too
                inside = protected or is_protected(child)
                visit(child, not inside and child.tag in LOOSE_TEXT_CONTAINERS, inside)
        found.extend(pending)

    visit(root, True, False)
    return found


def run_html(run: Run) -> str:
    """The run's own nodes as an HTML fragment (its text and inline elements), surrounding whitespace
    left out."""
    children = list(run.container)
    start = 0 if run.before is None else children.index(run.before) + 1
    end = len(children) if run.after is None else children.index(run.after)
    text = run.container.text if run.before is None else run.before.tail
    parts = [html_escaping.escape(text or "", quote=False)]
    parts.extend(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in children[start:end])
    return "".join(parts).strip()


def block_html(block: Block) -> str:
    """One block as HTML: a block element with its markup, or a loose run's inline content."""
    return run_html(block) if isinstance(block, Run) else serialize_element(block)


def block_source_text(block: Block) -> str:
    """The block's text, whitespace collapsed (the widget pairs page blocks with it)."""
    return block.text if isinstance(block, Run) else block_text(block)


def write_run(run: Run, items: list) -> None:
    """Replace the run's nodes in its container by ``items`` (strings and elements, in order)."""
    container = run.container
    children = list(container)
    start = 0 if run.before is None else children.index(run.before) + 1
    end = len(children) if run.after is None else children.index(run.after)
    for child in children[start:end]:
        container.remove(child)
    texts: list[str] = [run.leading]
    elements: list[etree._Element] = []
    for item in items:
        if isinstance(item, str):
            texts[-1] += item
        else:
            elements.append(item)
            texts.append("")
    texts[-1] += run.trailing
    if run.before is None:
        container.text = texts[0] or None
    else:
        run.before.tail = texts[0] or None
    for offset, (element, tail) in enumerate(zip(elements, texts[1:])):
        element.tail = tail or None
        container.insert(start + offset, element)
