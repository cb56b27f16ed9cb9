"""HTML translation with fake engines: parsing, blocks, tag projection, memory, the property test."""

from __future__ import annotations

from collections import Counter

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.aligning_fakes import WordEngine, drop_word, duplicate_word, identity, reverse_pairs, shout
from tests.fakes import FunctionEngine
from translator.glossary import Glossary
from translator.html import HtmlTranslator, sanitize
from translator.html.blocks import extract_units
from translator.html.parse import outermost_blocks, parse_fragment, serialize_fragment
from translator.pipeline.memory import InMemoryTranslationMemory
from translator.pipeline.translator import Translator

ARTICLE = (
    '<h2 title="The main point">Cyclone <em>Belal</em> nears</h2>'
    '<p>According to <a href="https://www.reuters.com/x">Reuters</a>, the storm is <strong>very strong</strong> '
    'and <em>moving fast</em>. Residents were told to stay home.</p>'
    '<ul><li>Schools <b>closed</b></li><li>Flights <a href="/flights" target="_blank">cancelled</a></li></ul>'
    '<figure><img src="/map.png" alt="A map of the storm"><figcaption>The storm near <i>Port Louis</i>'
    '</figcaption></figure>'
    '<p>Run <code>make install</code> then read <span translate="no">Le Mauricien</span> at '
    '<time datetime="2024-01-15">noon</time>.<br>Stay safe.</p>'
    '<blockquote>It is <q>very serious</q>, he said.</blockquote>'
    '<table><caption>Rainfall</caption><tr><th>Town</th><td>High <sup>1</sup></td></tr></table>'
    '<dl><dt>Alert</dt><dd>Class <abbr title="three">III</abbr> <mark>now</mark> <small>(official)</small></dd></dl>'
)


def _html(engine, memory=None, glossary=None) -> HtmlTranslator:
    return HtmlTranslator(Translator(engine, memory=memory, glossary=glossary))


def _tags(html: str) -> Counter:
    """Every element with its non-translated attributes, counted."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return Counter((el.tag, tuple(sorted((k, v) for k, v in el.attrib.items() if k not in ("alt", "title"))))
                   for el in root.iter() if isinstance(el.tag, str) and el is not root)


def _text(html: str) -> str:
    """Text content, block by block, whitespace collapsed."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return " | ".join(" ".join(block.text_content().split()) for block in outermost_blocks(root))


def _structure(html: str) -> list:
    """Block elements with their untranslated attributes, in order: what must come back identical."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(el.tag, {k: v for k, v in el.attrib.items() if k not in ("alt", "title")})
            for el in root.iter() if isinstance(el.tag, str)
            and el.tag in {"p", "h2", "ul", "li", "figure", "figcaption", "blockquote", "table", "tbody", "tr",
                           "th", "td", "caption", "dl", "dt", "dd", "img"}]


def _assert_well_formed_and_sanitised(html: str) -> None:
    assert serialize_fragment(parse_fragment(html)) == html
    assert sanitize(html) == html


# -- parsing ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("html", [ARTICLE, "text only", "<p>unclosed <b>bold", "a < b & c > d", "<br>",
                                  "<p>x</p>tail<!-- c --><pre>  keep\n  this </pre>", "&eacute;t&eacute; &amp;"])
def test_serialising_our_own_output_is_byte_stable(html):
    once = serialize_fragment(parse_fragment(html))
    assert serialize_fragment(parse_fragment(once)) == once


def test_a_whole_document_gives_its_body():
    assert serialize_fragment(parse_fragment("<!DOCTYPE html><html><head><title>T</title></head>"
                                             "<body><p>x</p></body></html>")) == "<p>x</p>"


def test_blocks_are_text_only_with_an_inline_skeleton():
    runs, attributes = extract_units(parse_fragment(
        '<p>Hello <a href="u">big <b>world</b></a>, said <code>x = 1</code> <br>them.</p>'
        '<ul><li>One<ul><li>Two</li></ul> after</li></ul><p translate="no">No</p><pre>code</pre>'
        '<div>loose</div><img alt="A cat" src="c.png">'))
    # Text directly inside a div is translated too (issue 24: it used to stay in English).
    assert [r.text for r in runs] == ["Hello big world, said x = 1 them.", "One", "after", "Two", "loose"]
    assert [(t.name, t.start, t.end, t.parent, t.protected) for t in runs[0].tags] == [
        ("a", 6, 15, None, False), ("b", 10, 15, 0, False), ("code", 22, 27, None, True), ("br", 28, 28, None, False)]
    assert [(a.name, a.text) for a in attributes] == [("alt", "A cat")]
    assert runs[0].skeleton().startswith("a[6:15]^ b[10:15]^0 code!")


def test_a_block_inside_inline_markup_is_part_of_the_run_not_a_second_unit():
    runs, attributes = extract_units(parse_fragment(
        '<ul><li>Go <a href="x"><p>inside <abbr title="Long name">LN</abbr></p></a> now</li></ul>'))
    assert [(r.text, [(t.name, t.start, t.end) for t in r.tags]) for r in runs] == [
        ("Go inside LN now", [("a", 3, 12), ("p", 3, 12), ("abbr", 10, 12)])]
    assert [(a.element.tag, a.text) for a in attributes] == [("abbr", "Long name")]


# -- identity-like engines: the structure comes back exactly ----------------------------------------

@pytest.mark.parametrize("engine", [WordEngine(identity), WordEngine(identity, aligned=False),
                                    FunctionEngine(lambda t: t)], ids=["aligned", "unaligned", "plain"])
def test_an_identity_engine_gives_back_the_sanitised_input_exactly(engine):
    result = _html(engine).translate_texts([ARTICLE])[0]
    assert result.text == sanitize(ARTICLE)


def test_the_engine_sees_text_only_and_never_the_script_or_protected_blocks():
    engine = WordEngine(shout)
    _html(engine).translate_texts([ARTICLE + "<script>alert('x')</script><pre>print(1)</pre>"])
    seen = engine.seen
    assert "According to Reuters, the storm is very strong and moving fast. Residents were told to stay home." \
        in seen
    assert not any("<" in text or ">" in text or "alert" in text or "print" in text for text in seen)


def test_an_aligned_engine_carries_every_tag_to_its_words():
    result = _html(WordEngine(shout)).translate_texts([ARTICLE])[0]
    assert result.text == (
        '<h2 title="THE MAIN POINT">CYCLONE <em>BELAL</em> NEARS</h2>'
        '<p>ACCORDING TO <a href="https://www.reuters.com/x">REUTERS</a>, THE STORM IS <strong>VERY STRONG</strong> '
        'AND <em>MOVING FAST</em>. RESIDENTS WERE TOLD TO STAY HOME.</p>'
        '<ul><li>SCHOOLS <b>CLOSED</b></li><li>FLIGHTS <a href="/flights" target="_blank" '
        'rel="noopener noreferrer">CANCELLED</a></li></ul>'
        '<figure><img src="/map.png" alt="A MAP OF THE STORM"><figcaption>THE STORM NEAR <i>PORT LOUIS</i>'
        '</figcaption></figure>'
        '<p>RUN <code>make install</code> THEN READ <span translate="no">Le Mauricien</span> AT '
        '<time datetime="2024-01-15">NOON</time>.<br>STAY SAFE.</p>'
        '<blockquote>IT IS <q>VERY SERIOUS</q>, HE SAID.</blockquote>'
        '<table><caption>RAINFALL</caption><tbody><tr><th>TOWN</th><td>HIGH <sup>1</sup></td></tr></tbody></table>'
        '<dl><dt>ALERT</dt><dd>CLASS <abbr title="THREE">III</abbr> <mark>NOW</mark> <small>(OFFICIAL)</small>'
        '</dd></dl>')


def test_reordered_words_take_their_tags_with_them():
    result = _html(WordEngine(reverse_pairs)).translate_texts(['<p>Read the <a href="/r">full report</a> now</p>'])
    assert result[0].text == '<p>THE READ <a href="/r">REPORT FULL</a> NOW</p>'


@pytest.mark.parametrize("rewrite", [shout, reverse_pairs, drop_word, duplicate_word])
@pytest.mark.parametrize("aligned", [True, False])
def test_every_tag_is_kept_once_on_words_whatever_the_engine_does(rewrite, aligned):
    result = _html(WordEngine(rewrite, aligned=aligned)).translate_texts([ARTICLE])[0]
    html = result.text
    assert _tags(html) == _tags(sanitize(ARTICLE))
    assert _structure(html) == _structure(sanitize(ARTICLE))
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter("a", "strong", "em", "b", "i", "q", "mark", "small", "abbr", "sup", "time", "span",
                             "code"):
        assert element.text_content().strip(), (element.tag, html)
    assert html.count('href="https://www.reuters.com/x"') == 1
    assert "make install" in html and "Le Mauricien" in html
    _assert_well_formed_and_sanitised(html)


def test_a_tag_on_a_dropped_word_still_wraps_a_word():
    result = _html(WordEngine(drop_word)).translate_texts(["<p>A <b>big</b> dog</p>"])
    assert result[0].text == "<p>A <b>DOG</b></p>"


def test_protected_spans_are_kept_byte_for_byte():
    html = ('<p>Type <code class="x">git  log &lt;ref&gt;</code> or <kbd>Ctrl</kbd> with <var>n</var> '
            '<samp>ok</samp>, as <span class="notranslate">The Times</span> says.</p>')
    result = _html(WordEngine(shout)).translate_texts([html])[0].text
    for kept in ('<code class="x">git  log &lt;ref&gt;</code>', "<kbd>Ctrl</kbd>", "<var>n</var>",
                 "<samp>ok</samp>", '<span class="notranslate">The Times</span>'):
        assert kept in result
    assert result.startswith("<p>TYPE ")


def test_the_glossary_applies_to_text_nodes_never_to_attributes_or_urls():
    glossary = Glossary.from_pairs([("Putin", "Poutine")])
    engine = WordEngine(identity)
    html = '<p title="Putin"><a href="https://x.mu/Putin">Putin</a> spoke, <img src="/Putin.png" alt="x"></p>'
    result = _html(engine, glossary=glossary).translate_texts([html])[0]
    assert result.text == ('<p title="Putin"><a href="https://x.mu/Putin">Poutine</a> spoke, '
                           '<img src="/Putin.png" alt="x"></p>')


def test_editing_an_href_reuses_the_french_and_a_new_version_sends_only_changed_blocks():
    engine = WordEngine(shout)
    memory = InMemoryTranslationMemory()
    translator = _html(engine, memory=memory)
    first = translator.translate_texts([ARTICLE])[0]
    assert first.counts["translated"] > 0
    engine.calls.clear()
    edited = ARTICLE.replace("https://www.reuters.com/x", "https://www.reuters.com/y")
    second = translator.translate_texts([edited])[0]
    assert engine.calls == []
    assert second.text == first.text.replace("https://www.reuters.com/x", "https://www.reuters.com/y")
    assert second.counts["from_memory"] == second.counts["total"]
    changed = edited.replace("Residents were told to stay home.", "Residents must stay home.")
    third = translator.translate_texts([changed])[0]
    assert engine.seen == ["According to Reuters, the storm is very strong and moving fast. Residents must stay home."]
    assert "RESIDENTS MUST STAY HOME." in third.text


def test_moving_a_tag_translates_the_block_again():
    engine = WordEngine(shout)
    translator = _html(engine, memory=InMemoryTranslationMemory())
    translator.translate_texts(["<p>A <b>big</b> dog</p>"])
    assert translator.translate_texts(["<p>A big <b>dog</b></p>"])[0].text == "<p>A BIG <b>DOG</b></p>"
    assert engine.seen == ["A big dog", "A big dog"]


def test_articles_keep_the_title_plain_and_pool_everything_in_one_engine_call():
    engine = WordEngine(shout)
    result = _html(engine).translate_articles([("Storm <b>warning</b>", "<p>Stay <em>home</em></p>")])[0]
    assert result.title.text == "STORM <B>WARNING</B>"
    assert result.body.text == "<p>STAY <em>HOME</em></p>"
    assert result.body.paragraphs == ["<p>STAY <em>HOME</em></p>"]
    assert len(engine.calls) == 1


# -- property test ---------------------------------------------------------------------------------

_WORDS = st.sampled_from(["storm", "Port", "Louis", "rain", "42", "said", "the", "très", "news", "—", "it's",
                          "x&y", "a<b", "(today)"])
_INLINE = ["a", "strong", "em", "b", "i", "span", "sup", "sub", "abbr", "q", "mark", "small", "time", "code"]


@st.composite
def _inline(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "text", "tag", "br"] if depth < 3 else ["text"]))
        if kind == "text":
            words = draw(st.lists(_WORDS, min_size=1, max_size=4))
            parts.append(" ".join(w.replace("&", "&amp;").replace("<", "&lt;") for w in words))
        elif kind == "br":
            parts.append("<br>")
        else:
            tag = draw(st.sampled_from(_INLINE))
            attrs = ' href="https://x.mu/p?a=1&amp;b=2"' if tag == "a" else (
                ' translate="no"' if tag == "span" and draw(st.booleans()) else "")
            parts.append(f"<{tag}{attrs}>{draw(_inline(depth + 1))}</{tag}>")
    return " ".join(parts)


@st.composite
def _document(draw):
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["p", "h2", "ul", "blockquote", "figure", "table"]))
        if kind == "ul":
            items = "".join(f"<li>{draw(_inline())}</li>" for _ in range(draw(st.integers(1, 3))))
            blocks.append(f"<ul>{items}</ul>")
        elif kind == "figure":
            blocks.append(f'<figure><img src="/i.png" alt="a photo"><figcaption>{draw(_inline())}</figcaption></figure>')
        elif kind == "table":
            blocks.append(f"<table><tbody><tr><td>{draw(_inline())}</td><th>{draw(_inline())}</th></tr></tbody></table>")
        else:
            blocks.append(f"<{kind}>{draw(_inline())}</{kind}>")
    return "".join(blocks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document(), st.sampled_from(["aligned", "unaligned", "reverse"]))
def test_random_markup_keeps_text_and_tags_and_comes_out_well_formed_and_sanitised(html, mode):
    engine = {"aligned": WordEngine(identity), "unaligned": WordEngine(identity, aligned=False),
              "reverse": WordEngine(reverse_pairs)}[mode]
    result = _html(engine).translate_texts([html])[0].text
    expected = sanitize(html)
    assert _tags(result) == _tags(expected)
    if mode != "reverse":  # identity engines: the same text (a reordering engine moves protected words)
        assert _text(result) == _text(expected)
    _assert_well_formed_and_sanitised(result)


def test_html_articles_show_their_blocks_in_reading_order_and_nothing_is_translated_twice():
    """Before: the 202 'partial' worked for text articles only."""
    from tests.fakes import EchoEngine
    from translator.pipeline.memory import InMemoryTranslationMemory

    body = "".join(f"<p>P{i} <b>bold</b>.</p>" for i in range(5))
    engine = EchoEngine()
    reported = []
    [result] = HtmlTranslator(Translator(engine, memory=InMemoryTranslationMemory())).translate_articles_in_stages(
        [("Title.", body)], lambda index, partial: reported.append(partial.to_dict()))
    assert [(r["done"], r["total"]) for r in reported] == [(1, 5), (2, 5), (5, 5)]
    assert reported[1] == {"title": "FR(Title.)", "paragraphs": result.body.paragraphs[:2], "done": 2, "total": 5}
    assert reported[-1]["paragraphs"] == result.body.paragraphs
    assert sorted(engine.seen) == sorted(set(engine.seen))  # each block translated once, in its stage


# -- loose text: a block of its own -----------------------------------------------------------------------

@pytest.mark.parametrize("html, blocks", [
    ("Fishermen stayed home.", ["Fishermen stayed home."]),
    ("Lead <b>words</b>.<p>One.</p>Tail words.", ["Lead words.", "One.", "Tail words."]),
    ("<div>Loose <i>text</i><p>A paragraph.</p>and a tail</div>", ["Loose text", "A paragraph.", "and a tail"]),
    ("<ul>Intro text<li>One</li> trailing words</ul>", ["Intro text", "One", "trailing words"]),
    ("<dl>Loose def<dt>Term</dt><dd>Def</dd></dl>", ["Loose def", "Term", "Def"]),
    ("<ol><li>One</li>between items<li>Two</li></ol>", ["One", "between items", "Two"]),
    ("<figure><img alt='A cat' src='c.png'><figcaption>Cap</figcaption></figure>", ["Cap"]),
    ("<pre>code</pre>Text after pre", ["Text after pre"]),
    ("<div translate='no'>Kept <p>Kept too.</p></div>After.", ["Kept too.", "After."]),
    ("<a href='/x'><p>Inside a link.</p></a><p>Next.</p>", ["Inside a link.", "Next."]),
    ("<li>One<ul><li>Two</li></ul> after</li>", ["OneTwo after"]),  # one block: its text_content
])
def test_loose_text_is_a_block_of_its_own_in_reading_order(html, blocks):
    """Before: text outside every block element was translated but was no block (not in ``paragraphs`` or
    ``source_blocks``, its units numbered with the next ``<p>``), and text directly in a list stayed English."""
    from translator.html.blocks import article_blocks, block_source_text

    root = parse_fragment(html)
    assert [block_source_text(block) for block in article_blocks(root)] == blocks
    runs, _ = extract_units(root)
    translated = [run.text for run in runs]
    # Every translated run is in a block, taken in the blocks' order (a protected container's are not runs).
    assert all(any(text in block for block in blocks) for text in translated)


def test_units_of_loose_text_name_their_own_block_and_come_in_reading_order():
    html = _html(FunctionEngine(str.upper)).translate_texts(
        ["Lead <b>words</b> here.<p>One here.</p><ul>Listed here.<li>Item here.</li></ul>Tail here."])[0]
    assert html.paragraphs == ["LEAD <b>WORDS</b> HERE.", "<p>ONE HERE.</p>", "LISTED HERE.", "<li>ITEM HERE.</li>",
                               "TAIL HERE."]
    assert [(s.source, s.paragraph) for s in html.segments] == [
        ("Lead words here.", 0), ("One here.", 1), ("Listed here.", 2), ("Item here.", 3), ("Tail here.", 4)]


def test_review_marks_a_loose_block_with_a_span_and_a_block_element_with_its_class():
    from translator.html.corrections import mark_blocks

    html = "Lead <b>words</b>.<p>One.</p> Tail."
    assert mark_blocks(html, {0, 2}, "flagged") == \
        '<span class="flagged">Lead <b>words</b>.</span><p>One.</p> <span class="flagged">Tail.</span>'
    assert mark_blocks(html, {1}, "flagged") == 'Lead <b>words</b>.<p class="flagged">One.</p> Tail.'


def test_the_stages_of_an_html_article_show_its_loose_blocks_too_each_translated_once():
    from tests.fakes import EchoEngine

    body = "Lead words.<p>One.</p><ul>Two loose.</ul>Three loose.<p>Four.</p>"
    engine = EchoEngine()
    reported = []
    [result] = HtmlTranslator(Translator(engine, memory=InMemoryTranslationMemory())).translate_articles_in_stages(
        [("Title.", body)], lambda index, partial: reported.append(partial.to_dict()))
    assert result.body.paragraphs == ["FR(Lead words.)", "<p>FR(One.)</p>", "FR(Two loose.)", "FR(Three loose.)",
                                      "<p>FR(Four.)</p>"]
    assert [(r["done"], r["total"], r["paragraphs"]) for r in reported] == [
        (1, 5, result.body.paragraphs[:1]), (2, 5, result.body.paragraphs[:2]), (5, 5, result.body.paragraphs)]
    assert sorted(engine.seen) == sorted(set(engine.seen))


LOOSE_SENTENCE = st.lists(st.sampled_from(["storm", "island", "rain", "Monday", "fishermen", "schools"]),
                          min_size=1, max_size=5).map(lambda words: " ".join(words).capitalize() + ".")


@st.composite
def _loose_articles(draw) -> tuple[str, list[str]]:
    """An HTML body of paragraphs, top-level text and text directly in lists (some with inline markup), and
    the English text of each of its blocks."""
    parts, sources, previous = [], [], None
    for kind, sentence, bold in draw(st.lists(st.tuples(st.sampled_from(["p", "top", "ul"]), LOOSE_SENTENCE,
                                                        st.booleans()), min_size=1, max_size=6)):
        if kind == "top" and previous == "top":  # two top-level texts side by side are one run
            kind = "ul"
        first, _, rest = sentence.partition(" ")
        inner = f"<b>{first}</b> {rest}".strip() if bold else sentence
        parts.append({"p": f"<p>{inner}</p>", "top": inner, "ul": f"<ul>{inner}</ul>"}[kind])
        sources.append(sentence)
        previous = kind
    return "".join(parts), sources


@settings(max_examples=100, deadline=None)
@given(article=_loose_articles(), engine=st.sampled_from(["identity", "upper", "shorter", "empty"]))
def test_every_block_loose_or_not_is_one_paragraph_and_its_units_say_its_french(article, engine):
    from bs4 import BeautifulSoup

    from translator.html.documents import source_block_texts

    body, sources = article
    function = {"identity": lambda t: t, "upper": str.upper, "empty": lambda t: "",
                "shorter": lambda t: " ".join(t.split()[: max(1, len(t.split()) // 2)])}[engine]
    [french] = _html(FunctionEngine(function)).translate_texts([body])
    assert source_block_texts(body) == sources
    assert len(french.paragraphs) == len(sources)
    assert [s.paragraph for s in french.segments] == list(range(len(sources)))
    for segment, block in zip(french.segments, french.paragraphs):
        assert " ".join(BeautifulSoup(block, "html.parser").get_text().split()) == " ".join(segment.target.split())
