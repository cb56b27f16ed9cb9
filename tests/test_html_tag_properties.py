"""Tag placement whatever the engine returns (issue 24): every inline tag of the English exactly once, on a
non-empty span that starts and ends at word boundaries (hyphenated names, elided articles and numbers are
one word), protected content byte for byte, and the output already sanitised."""

from __future__ import annotations

import itertools
import re
from collections import Counter

from bs4 import BeautifulSoup, NavigableString
from hypothesis import given, settings, strategies as st

from tests.fakes import FunctionEngine
from tests.html_engines import ALIGNMENTS, SHAPES, shaped_engine
from translator.glossary import Glossary
from translator.html import HtmlTranslator, sanitize
from translator.html.tokens import TOKEN
from translator.pipeline import Translator
from translator.text.typography import Typography

WORDS = ["Port-Louis", "l'ONU", "d’île", "storm", "the", "minister", "Jean-Claude", "said", "on", "Monday",
         "rain", "ERR_42", "island", "fishermen", "Saint-Denis", "l’État", "12000", "3.5"]
INLINE = ["a", "strong", "em", "b", "i", "span", "sup", "mark"]
#: Never translated: the element names and attributes that make an inline element protected.
PROTECTED = [("code", ""), ("kbd", ""), ("var", ""), ("samp", ""), ("span", ' translate="no"'),
             ("span", ' class="notranslate"')]
PROTECTED_SELECTOR = "code, kbd, var, samp, pre, [translate=no], .notranslate"
POINTS = ["<br>", '<img src="https://news.example.mu/map.png" alt="">']
GLOSSARY = Glossary.from_pairs([("Port-Louis", "Port-Louis"), ("fishermen", "pêcheurs"),
                                ("the minister", "le ministre")])


@st.composite
def inline_markup(draw, serial: itertools.count, depth: int = 0) -> str:
    """Words, a point, a protected element, or an inline tag around more of the same (up to three deep).
    Each tag is told apart by its ``href`` or ``class``; a link is never inside a link (not HTML)."""
    kind = draw(st.sampled_from(["words", "words", "tag", "protected", "point"] if depth < 3 else ["words"]))
    if kind == "words":
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
        return " ".join(words) + draw(st.sampled_from(["", "", ".", ",", ":", "!"]))
    if kind == "point":
        return draw(st.sampled_from(POINTS))
    if kind == "protected":
        name, attributes = draw(st.sampled_from(PROTECTED))
        return f"<{name}{attributes}>{' '.join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))}" \
               f"</{name}>"
    name = draw(st.sampled_from(INLINE if depth == 0 else INLINE[1:]))
    attributes = f' href="https://news.example.mu/{next(serial)}"' if name == "a" else f' class="t{next(serial)}"'
    inside = draw(st.lists(inline_markup(serial, depth + 1), min_size=1, max_size=3))
    if all(part.startswith("<") for part in inside):
        inside.append(draw(st.sampled_from(WORDS)))  # a tag always wraps some text of its own
    return f"<{name}{attributes}>{' '.join(inside)}</{name}>"


@st.composite
def html_block(draw) -> str:
    """A <p> of words, some wrapped in (possibly nested) inline tags, protected elements and points;
    sometimes followed by a protected block (<pre>)."""
    serial = itertools.count()
    block = "<p>" + " ".join(draw(st.lists(inline_markup(serial), min_size=1, max_size=6))) + "</p>"
    if draw(st.booleans()):
        block += "<pre>  ERR_42:\n    l'ONU   Port-Louis </pre>"
    return block


def _signatures(soup) -> Counter:
    """Each element as its name and attributes: the same tag of the English and of the French match."""
    return Counter((tag.name, tuple(sorted((k, " ".join(v) if isinstance(v, list) else v)
                                           for k, v in tag.attrs.items())))
                   for tag in soup.find_all(True))


_WORD = re.compile(r"[\w’'-]")


def _cuts(paragraph) -> list[str]:
    """Every tag edge (or protected element side by side with a word) that falls inside a word: what the
    reader sees is the text, a line break counting as a space."""
    text, spans = "", []

    def walk(node) -> None:
        nonlocal text
        for child in node.children:
            if isinstance(child, NavigableString):
                text += str(child)
            elif child.name == "br":
                text += "\n"
            else:
                start = len(text)
                walk(child)
                spans.append((child.name, start, len(text)))

    walk(paragraph)
    cuts = []
    for name, start, end in spans:
        for edge in {start, end} - {0, len(text)}:
            if start < end and _WORD.match(text[edge - 1]) and _WORD.match(text[edge]):
                cuts.append(f"<{name}> edge inside {text[max(0, edge - 12):edge + 12]!r}")
    return cuts


@settings(max_examples=200, deadline=None)
@given(block=html_block(), shape=st.sampled_from(sorted(SHAPES)), alignment=st.sampled_from(ALIGNMENTS),
       typography=st.booleans(), glossary=st.booleans())
def test_every_tag_once_on_whole_words_and_protected_content_byte_for_byte(block, shape, alignment, typography,
                                                                          glossary):
    english = BeautifulSoup(sanitize(block), "html.parser")
    translator = Translator(shaped_engine(shape, alignment), typography=Typography("on") if typography else None,
                            glossary=GLOSSARY if glossary else None)
    [result] = HtmlTranslator(translator).translate_texts([block])
    french = BeautifulSoup(result.text, "html.parser")
    assert sanitize(result.text) == result.text
    # Protected elements byte for byte (the French may reorder them).
    assert Counter(str(c) for c in french.select(PROTECTED_SELECTOR)) == \
        Counter(str(c) for c in english.select(PROTECTED_SELECTOR))
    text = french.p.get_text()
    # Two links cannot share one word (a link inside a link is not HTML, and a parser splits it, leaving an
    # empty link and a copy of what it held): a French with fewer free words than the English has links is
    # the one case where the tags cannot all come out once, each on words.
    free_words = len(TOKEN.findall("".join(s for s in french.p.find_all(string=True)
                                           if not s.find_parent(["code", "kbd", "var", "samp"]))))
    links_fit = len(english.find_all("a")) <= free_words
    if links_fit:
        assert _signatures(french) == _signatures(english)  # every tag and point, exactly once
    for tag in french.p.find_all(True):
        if tag.name in ("br", "img") or tag.select_one(PROTECTED_SELECTOR) == tag or \
                tag.find_parent(["code", "kbd", "var", "samp"]) or tag.find_parent(attrs={"translate": "no"}) \
                or tag.find_parent(class_="notranslate"):
            continue
        if links_fit:
            assert tag.get_text().strip(), f"empty <{tag.name}> in {result.text!r}"
    assert not _cuts(french.p), result.text
    assert text.strip() or not english.p.get_text().strip()


def test_a_tag_around_a_name_the_glossary_placed_wraps_exactly_its_french_form():
    """Before: without alignment the link went by relative position, onto the words around the name."""
    engine = FunctionEngine(lambda text: " ".join(reversed(text.split())))  # reorders, no alignment
    glossary = Glossary.from_pairs([("Vladimir Putin", "Vladimir Poutine")])
    [result] = HtmlTranslator(Translator(engine, glossary=glossary)).translate_texts(
        ['<p>Yesterday in the capital <a href="https://x.mu">Vladimir Putin</a> spoke.</p>'])
    assert '<a href="https://x.mu">Vladimir Poutine</a>' in result.text


def _french(html: str, function, typography: bool = False) -> str:
    translator = Translator(FunctionEngine(function), typography=Typography("on") if typography else None)
    return HtmlTranslator(translator).translate_texts([html])[0].text


def test_a_protected_element_never_lands_on_a_full_stop_alone():
    """Before: by relative position the code landed on '. Port-Louis' of an engine repeating itself, took the
    full stop's place and stuck to the word before it ('Port-Louis<code>Port-Louis</code>')."""
    french = _french('<p>Port-Louis Port-Louis Port-Louis Port-Louis <code>Port-Louis</code> Port-Louis '
                     'Port-Louis.</p>', SHAPES["repeating"])
    assert not _cuts(BeautifulSoup(french, "html.parser").p), french
    assert french.count(".") == SHAPES["repeating"]("Port-Louis " * 6 + "Port-Louis.").count(".")


def test_two_protected_elements_on_the_same_french_words_stay_two_words():
    """Before: the second code went in right after the first, glued to it ('Port-Louisl'ONU')."""
    french = _french("<p><code>Port-Louis</code> Port-Louis <code>l'ONU</code></p>", SHAPES["reordered"])
    assert "<code>Port-Louis</code> <code>l'ONU</code>" in french


def test_a_tag_around_a_number_keeps_the_whole_french_number():
    """Before: French typography writes 12 000 and 3,5; the tag wrapped '12' and '5' only."""
    french = _french('<p>The rain fell on <strong>12000</strong> homes, <em>3.5</em> metres.</p>',
                     lambda text: text.replace("12000", "12 000").replace("3.5", "3,5"), typography=True)
    assert "<strong>12&nbsp;000</strong> homes, <em>3,5</em> metres" in french
