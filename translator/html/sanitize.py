"""Sanitising HTML with nh3 (the Rust ``ammonia`` sanitiser): the one gate every HTML output passes.

Every HTML string the service hands out (the API's ``format: "html"``
translations, stored French articles, the French page, the widget's blocks)
goes through :func:`sanitize`, the caller's own markup included. It is a step
of its own, independent of the translation code, so it can be tested alone.

* Allowed: the block and inline elements the service translates, the
  never-translated ones, ``img``, ``figure`` and tables, with the attributes
  they need (:data:`ALLOWED_ATTRIBUTES`).
* Removed with their content: ``script``, ``style``, ``iframe``, ``object``,
  ``embed``, ``svg``, ``math``, ``noscript``, ``template`` and the like.
  Any other element not allowed is unwrapped (its text stays).
* Removed always: ``on*`` attributes (they are not allowed anywhere), comments,
  and URLs other than ``http``, ``https``, ``mailto`` or relative ones
  (``javascript:``, ``data:``, ``vbscript:`` ...).
* Links that open elsewhere (``target``) get ``rel="noopener noreferrer"``.

The output is html5ever's serialisation of the cleaned tree, so what a
browser parses is exactly what was checked (no mutation-XSS gap between
the sanitiser's parser and the serialiser).
"""

from __future__ import annotations

import nh3

from .parse import xml_safe

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "REMOVED_WITH_CONTENT", "URL_SCHEMES", "sanitize"]

#: Elements translated as blocks (their text is a unit of translation).
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "td", "th", "dt", "dd",
           "caption"}
#: Inline markup carried into the French.
_INLINE = {"a", "strong", "em", "b", "i", "span", "code", "sup", "sub", "br", "abbr", "q", "mark", "small", "time"}
#: Never translated; the containers blocks live in.
_OTHER = {"code", "pre", "kbd", "samp", "var", "img", "figure", "table", "thead", "tbody", "tr", "ul", "ol", "dl"}

ALLOWED_TAGS: frozenset[str] = frozenset(_BLOCKS | _INLINE | _OTHER)

_COMMON = {"title", "lang", "translate", "class"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": set(_COMMON),
    "a": {"href", "target"},
    "img": {"src", "alt"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}

#: Removed together with everything inside them (their text is not article text).
REMOVED_WITH_CONTENT: frozenset[str] = frozenset({
    "script", "style", "iframe", "object", "embed", "svg", "math", "noscript", "template", "textarea",
    "select", "button", "noembed", "noframes", "xmp", "frameset", "frame", "applet", "head", "title",
})

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

_REL = "noopener noreferrer"


def _clean(html: str, *, allow_rel: bool) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        # Only the value this module sets itself; a caller's own rel is dropped in the first pass.
        tag_attribute_values={"a": {"rel": {_REL}}} if allow_rel else None,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


def sanitize(html: str) -> str:
    """``html`` (a fragment) reduced to the allowlist; safe to insert into any page.

    Idempotent: ``sanitize(sanitize(x)) == sanitize(x)``.
    """
    cleaned = _clean(xml_safe(html), allow_rel=False)
    if "target=" not in cleaned:
        return cleaned
    return _clean(_add_rel(cleaned), allow_rel=True)


def _add_rel(html: str) -> str:
    """``rel="noopener noreferrer"`` on every ``<a target>`` (the page it opens cannot reach back)."""
    from .parse import parse_fragment, serialize_fragment

    root = parse_fragment(html)
    for link in root.iter("a"):
        if link.get("target") is not None:
            link.set("rel", _REL)
    return serialize_fragment(root)
