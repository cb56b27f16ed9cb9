"""The sanitiser on its own: the allowlist, what is always removed, and classic XSS vectors."""

from __future__ import annotations

import lxml.html
import pytest
from bs4 import BeautifulSoup

from translator.html.sanitize import sanitize

#: Every dangerous thing a parser may find in the output: tags, attributes, URL schemes.
_DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "noscript", "template", "base",
                   "meta", "link", "form", "frame", "frameset", "mglyph", "mtext"}


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """(tag, attributes) of every element, as lxml (libxml2) and BeautifulSoup (html.parser) read it."""
    found = []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    found += [(el.tag, dict(el.attrib)) for el in root.iter() if isinstance(el.tag, str)]
    for el in BeautifulSoup(html, "html.parser").find_all(True):
        found.append((el.name, {k: " ".join(v) if isinstance(v, list) else v for k, v in el.attrs.items()}))
    return found


def _assert_inert(html: str) -> None:
    """No dangerous element, event handler or script URL, whichever parser reads the output."""
    for tag, attributes in _elements(html):
        assert tag.lower() not in _DANGEROUS_TAGS, html
        for name, value in attributes.items():
            assert not name.lower().startswith("on"), html
            compact = "".join(value.split()).lower()
            assert not compact.startswith(("javascript:", "data:", "vbscript:")), html
            assert name.lower() in {"href", "src", "alt", "title", "datetime", "lang", "translate", "class",
                                    "target", "rel", "colspan", "rowspan"}, html


def test_allowlisted_markup_is_kept_as_it_is():
    html = ('<h2 lang="en" class="kicker">A <em>head</em></h2><p title="t">See <a href="https://x.mu/a">this</a> '
            '<time datetime="2024-05-01">today</time>, <abbr title="North">N</abbr> <q>q</q> <mark>m</mark> '
            '<small>s</small> <sup>1</sup><sub>2</sub> <code>c</code> <kbd>k</kbd> <samp>s</samp> <var>v</var>'
            '<br><span translate="no">Le Monde</span></p><ul><li>one</li></ul><blockquote>b</blockquote>'
            '<figure><img src="/a.png" alt="a"><figcaption>f</figcaption></figure><pre>p</pre>'
            '<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody>'
            '</table><dl><dt>t</dt><dd>d</dd></dl>')
    assert sanitize(html) == html


@pytest.mark.parametrize("tag", ["script", "style", "iframe", "object", "svg", "math", "noscript", "template"])
def test_dangerous_elements_are_removed_with_their_content(tag):
    assert sanitize(f"<p>before</p><{tag}>alert(1)<q>x</q></{tag}><p>after</p>") == "<p>before</p><p>after</p>"


def test_event_handlers_script_urls_and_comments_are_removed():
    html = ('<p onclick="alert(1)" onmouseover=alert(2)>a<!-- secret --><a href="javascript:alert(3)">j</a>'
            '<a href=" JaVaScRiPt:alert(4)">k</a><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="d">'
            '<a href="vbscript:x">v</a><a href="mailto:desk@x.mu">m</a><a href="/relative">r</a></p>')
    assert sanitize(html) == ('<p>a<a>j</a><a>k</a><img alt="d"><a>v</a><a href="mailto:desk@x.mu">m</a>'
                              '<a href="/relative">r</a></p>')


def test_links_with_a_target_get_noopener_and_a_callers_rel_is_dropped():
    assert sanitize('<a href="https://x.mu" target="_blank">x</a><a href="/y" rel="opener">y</a>') == (
        '<a href="https://x.mu" target="_blank" rel="noopener noreferrer">x</a><a href="/y">y</a>')
    assert sanitize('<a href="https://x.mu" target="_blank" rel="opener">x</a>') == (
        '<a href="https://x.mu" target="_blank" rel="noopener noreferrer">x</a>')


def test_unknown_elements_are_unwrapped_and_their_text_kept():
    assert sanitize("<p><u>under</u> <font color=red>red</font> <custom-x>c</custom-x></p><div>d</div>") == \
        "<p>under red c</p>d"


XSS_VECTORS = [
    # mutation XSS through <noscript> (parsed as text by the sanitiser, as markup by a browser without JS)
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<noscript><style></noscript><img src=x onerror=alert(1)></style></noscript>',
    # through <svg> and <math> (foreign content re-parents <style> and <img>)
    '<svg><p><style><img src=x onerror=alert(1)></style></p></svg>',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
    # attribute-breaking quotes
    '<a title=\'"><script>alert(1)</script>\' href="https://x.mu">q</a>',
    '<img alt="x" "onerror=alert(1)" src="/a.png">',
    '<p title="a"onmouseover="alert(1)">t</p>',
    '<a href="https://x.mu/?q=\'><script>alert(1)</script>">u</a>',
    '<img src=`x` onerror=alert(1)>',
    # scheme tricks
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    # comments and CDATA
    '<!--><img src=x onerror=alert(1)>-->',
    '<![CDATA[<img src=x onerror=alert(1)>]]>',
    '<p><!-- --!><img src=x onerror=alert(1)> --></p>',
    # unclosed and nested
    '<scr<script>ipt>alert(1)</script>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<base href="javascript:/"><a href="x">b</a>',
    '<style>@import "javascript:alert(1)";</style><p style="background:url(javascript:alert(1))">s</p>',
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_are_inert_and_sanitising_again_changes_nothing(vector):
    cleaned = sanitize(vector)
    _assert_inert(cleaned)
    assert sanitize(cleaned) == cleaned
    assert "<script" not in cleaned.lower()


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\ufffe", "\ud800"])
def test_characters_an_xml_tree_cannot_hold_are_dropped_not_a_500(control):
    """HTML forbids C0 controls; lxml cannot hold them: they are dropped, the rest is kept."""
    assert sanitize(f"<p>Port{control} Louis</p>") == "<p>Port Louis</p>"


@pytest.mark.parametrize("text, expected", [
    ("<p>Storm</p>", True), ("Hello <b>world</b>", True), ("one<br/>two", True), ("<BR>", True),
    ('<a href="https://x.mu">x</a>', True), ("</li>", True),
    ("a < b > c", False), ("I <3 Port Louis", False), ("x -> y", False), ("press <tab> twice", False),
    ("5 <br", False), ("", False),
])
def test_what_looks_like_html(text, expected):
    from translator.html.parse import looks_like_html

    assert looks_like_html(text) is expected
