"""Parsing and serialising HTML fragments with lxml; the element classes the service knows.

:func:`parse_fragment` turns any fragment (text, elements, or a whole
document's body) into a detached ``<div>`` holding it; :func:`serialize_fragment`
gives back the inside of that ``<div>``. Serialising, parsing and serialising
again gives the same string (tested), so a stored translation reads back
exactly.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

__all__ = ["BLOCK_TAGS", "INLINE_TAGS", "PROTECTED_TAGS", "VOID_INLINE_TAGS", "block_text", "is_protected",
           "outermost_blocks", "parse_document", "parse_fragment", "serialize_fragment", "serialize_element"]

#: Elements whose text is translated, one unit per run of inline content.
BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "td", "th",
                        "dt", "dd", "caption"})
#: Inline (phrasing) elements: carried through a translation at the words they wrap. The first
#: fifteen are the ones the issue names; the others are phrasing elements a page may hold too.
INLINE_TAGS = frozenset({"a", "strong", "em", "b", "i", "span", "code", "sup", "sub", "br", "abbr", "q", "mark",
                         "small", "time",
                         "kbd", "samp", "var", "u", "s", "del", "ins", "cite", "dfn", "label", "bdi", "bdo",
                         "data", "font", "img", "wbr", "tt", "big"})
#: Inline elements with no content: placed at a point of the French.
VOID_INLINE_TAGS = frozenset({"br", "img", "wbr"})
#: Never translated: kept byte for byte, in place.
PROTECTED_TAGS = frozenset({"code", "pre", "kbd", "samp", "var"})


#: What an XML tree (lxml) cannot hold: C0 controls but tab and newlines, non-characters, lone surrogates.
#: HTML forbids them too, so they are dropped before parsing instead of failing the whole article.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(html: str) -> str:
    """``html`` without the characters an XML tree cannot hold (:data:`_NOT_XML`)."""
    return _NOT_XML.sub("", html)


#: An opening or closing tag of an element the service knows (what makes a text look like HTML).
_KNOWN_TAG = re.compile(r"</?(?:%s)(?:\s[^<>]*)?/?>" % "|".join(sorted(
    {"p", "div", "span", "a", "b", "i", "em", "strong", "br", "img", "ul", "ol", "li", "blockquote", "figure",
     "figcaption", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "section",
     "article", "sup", "sub", "small", "mark", "q", "abbr", "time", "dl", "dt", "dd", "caption"},
    key=len, reverse=True)), re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds markup: at least one tag of a known HTML element (``<p>``, ``</a>``,
    ``<br/>``...). "a < b > c" and "<3" are not markup."""
    return _KNOWN_TAG.search(text) is not None


def parse_fragment(html: str) -> etree._Element:
    """A detached ``<div>`` whose content is ``html`` (a fragment; a whole document gives its body)."""
    html = xml_safe(html)
    if not html.strip():
        return lxml.html.Element("div")
    if _looks_like_document(html):
        document = lxml.html.document_fromstring(html)
        body = document.find("body")
        root = lxml.html.Element("div")
        if body is not None:
            root.text = body.text
            root.extend(list(body))
        return root
    return lxml.html.fragment_fromstring(html, create_parent="div")


def parse_document(html: str) -> etree._Element:
    """A whole HTML document (``<html>`` root), as lxml parses it."""
    return lxml.html.document_fromstring(xml_safe(html))


def _looks_like_document(html: str) -> bool:
    head = html.lstrip()[:200].lower()
    return head.startswith("<!doctype") or head.startswith("<html")


def serialize_element(element: etree._Element) -> str:
    """One element as HTML, without its tail."""
    return lxml.html.tostring(element, encoding="unicode", with_tail=False)


def serialize_fragment(root: etree._Element) -> str:
    """The content of ``root`` (from :func:`parse_fragment`) as an HTML fragment."""
    html = lxml.html.tostring(root, encoding="unicode", with_tail=False)
    # tostring(root) is "<div>" + content + "</div>" for the bare <div> parse_fragment made.
    start = html.index(">") + 1
    return html[start:html.rindex("</")] if html.endswith("</div>") else ""


def is_protected(element: etree._Element) -> bool:
    """Whether the element's text is never translated (code-like tags, translate="no", class notranslate)."""
    if not isinstance(element.tag, str):
        return True
    if element.tag in PROTECTED_TAGS:
        return True
    if (element.get("translate") or "").strip().lower() == "no":
        return True
    return "notranslate" in (element.get("class") or "").split()


def outermost_blocks(root: etree._Element) -> list[etree._Element]:
    """The block elements under ``root`` that are inside no other block, in document order."""
    found: list[etree._Element] = []

    def visit(element: etree._Element) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in BLOCK_TAGS:
                found.append(child)
            else:
                visit(child)

    visit(root)
    return found


def block_text(element: etree._Element) -> str:
    """The element's text content with whitespace collapsed (for matching blocks by their English)."""
    return " ".join(element.text_content().split())
