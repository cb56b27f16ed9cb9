"""HTML articles as editors see them: units by block, corrections that stay in their own block, DELETE
restoring the machine French byte for byte, typography and review flags as on text (issue 24).

Real SQLite and Redis stores, fake engines, every API answer checked against the served OpenAPI document.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.aligning_fakes import WordEngine, shout
from tests.fakes import ScoredEngine
from tests.web.test_editing_api import AUTH, KEYS, segment_url, translation
from translator.glossary import Glossary
from translator.html import HtmlTranslator
from translator.pipeline import Translator
from translator.text.typography import Typography
from translator.web import create_app

TITLE = "Storm warning"
BODY = ('<h2>Cyclone <em>Belal</em> nears</h2>'
        '<p>The minister spoke on Monday. He said <a href="https://www.reuters.com/x">Reuters</a> was '
        '<strong>wrong</strong> today.</p>'
        '<figure><img src="/map.png" alt="A map"><figcaption>The storm</figcaption></figure>')
MACHINE = ('<h2>CYCLONE <em>BELAL</em> NEARS</h2>'
           '<p>THE MINISTER SPOKE ON MONDAY. HE SAID <a href="https://www.reuters.com/x">REUTERS</a> WAS '
           '<strong>WRONG</strong> TODAY.</p>'
           '<figure><img src="/map.png" alt="A MAP"><figcaption>THE STORM</figcaption></figure>')
FIX = "Il a dit que Reuters avait tort aujourd’hui."


def unit(index, paragraph, source, target, origin="machine", score=-0.5):
    return {"index": index, "paragraph": paragraph, "source": source, "target": target, "origin": origin,
            "score": score, "flags": []}


def put_html(client, article_id: str, body: str = BODY, title: str = TITLE) -> None:
    response = client.put(f"/v1/articles/{article_id}", json={"title": title, "body": body, "format": "html"},
                          headers=AUTH)
    assert response.status_code in (200, 201)


def _tags(html: str) -> list[str]:
    return sorted(tag.name for tag in BeautifulSoup(html, "html.parser").find_all(True))


@pytest.fixture
def client(make_client, store_url):
    # One sentence a segment: a small budget, so the second paragraph has two units.
    return make_client(WordEngine(shout), store=store_url, api_keys=KEYS, segment_tokens=8)


def test_html_units_name_their_block_and_a_correction_stays_in_its_own_block(client):
    put_html(client, "storm")
    first = translation(client, "storm")
    assert first["body"] == MACHINE
    assert first["units"] == [
        unit(0, None, TITLE, TITLE.upper()),
        unit(1, 0, "Cyclone Belal nears", "CYCLONE BELAL NEARS"),
        unit(2, 1, "The minister spoke on Monday.", "THE MINISTER SPOKE ON MONDAY."),
        unit(3, 1, "He said Reuters was wrong today.", "HE SAID REUTERS WAS WRONG TODAY."),
        unit(4, 2, "The storm", "THE STORM"),
        unit(5, 2, "A map", "A MAP"),  # the image's alt, in the figure: counted with the figcaption's block
    ]

    corrected = client.put(segment_url("storm", 3), json={"target": FIX}, headers=AUTH)
    assert corrected.status_code == 200
    after = translation(client, "storm")
    soup = BeautifulSoup(after["body"], "html.parser")
    # Every block and every tag is still there, once; only the corrected block changed.
    assert _tags(after["body"]) == _tags(MACHINE)
    assert [str(b) for b in soup.find_all(["h2", "figure"])] == [
        '<h2>CYCLONE <em>BELAL</em> NEARS</h2>',
        '<figure><img alt="A MAP" src="/map.png"/><figcaption>THE STORM</figcaption></figure>']
    assert soup.p.get_text() == f"THE MINISTER SPOKE ON MONDAY. {FIX}"
    assert soup.p.a["href"] == "https://www.reuters.com/x" and soup.p.a.get_text().strip()
    assert soup.p.strong.get_text().strip()
    assert after["paragraphs"][1].startswith("<p>THE MINISTER SPOKE ON MONDAY. ")
    assert after["units"][3] == unit(3, 1, "He said Reuters was wrong today.", FIX, "human")

    # The same sentence in another HTML article is corrected there too, in its own block.
    put_html(client, "other", body="<p>Calm seas.</p><blockquote>He said Reuters was wrong today.</blockquote>",
             title="Other")
    other = translation(client, "other")
    assert other["body"] == f"<p>CALM SEAS.</p><blockquote>{FIX}</blockquote>"

    removed = client.delete(segment_url("storm", 3), headers=AUTH)
    assert removed.status_code == 200
    assert translation(client, "storm")["body"] == MACHINE  # byte for byte


def test_a_corrected_alt_text_changes_the_attribute_only(client):
    put_html(client, "storm")
    translation(client, "storm")
    assert client.put(segment_url("storm", 5), json={"target": "Une carte"}, headers=AUTH).status_code == 200
    after = translation(client, "storm")
    assert after["body"] == MACHINE.replace('alt="A MAP"', 'alt="Une carte"')
    assert client.delete(segment_url("storm", 5), headers=AUTH).status_code == 200
    assert translation(client, "storm")["body"] == MACHINE


def test_html_report_items_name_their_block_and_point_at_the_name_in_it():
    glossary = Glossary.from_pairs([("Reuters", "Reuters"), ("Belal", "Bélal")])
    translator = Translator(WordEngine(shout), glossary=glossary, segment_tokens=8)
    [result] = HtmlTranslator(translator).translate_texts([BODY])
    blocks = [block.get_text() for block in BeautifulSoup(result.text, "html.parser").find_all(["h2", "p", "figcaption"])]
    applied = result.glossary["applied"]
    assert [(item["source"], item["paragraph"]) for item in applied] == [("Belal", 0), ("Reuters", 1)]
    for item in applied:
        assert blocks[item["paragraph"]][item["target_start"]:item["target_end"]] == item["target"]


def test_html_gets_french_typography_and_review_flags_as_text_does():
    engine = ScoredEngine(lambda text: "Note : l'île de Maurice", lambda text: -3.0)
    translator = Translator(engine, typography=Typography("on"), review_score=-1.0)
    [html] = HtmlTranslator(translator).translate_texts(["<p>Note: the island of Mauritius</p>"])
    [text] = translator.translate_texts(["Note: the island of Mauritius"])
    assert text.text == "Note\u00a0: l’île de Maurice"
    assert html.text == "<p>Note&nbsp;: l’île de Maurice</p>"  # the same French (the serialiser writes U+00A0 so)
    assert BeautifulSoup(html.text, "html.parser").p.get_text() == text.text
    assert [s.flags for s in html.segments] == [s.flags for s in text.segments] == [["low_score"]]


def test_the_review_page_marks_the_html_block_of_a_flagged_segment(make_services, store_url):
    engine = ScoredEngine(str.upper, lambda text: -3.0 if "storm" in text.lower() else -0.1)
    app = create_app({"TESTING": True}, runtime=make_services(engine, store=store_url, api_keys=KEYS,
                                                               review_score=-1.0))
    client = app.test_client()
    put_html(client, "storm")
    translation(client, "storm")
    page = client.get("/articles/storm/fr?review=1", headers=AUTH)
    assert page.status_code == 200
    body = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(id="article-body")
    assert [(el.name, el.get_text()) for el in body.select(".flagged")] == [("figcaption", "THE STORM")]
    plain = BeautifulSoup(client.get("/articles/storm/fr").get_data(as_text=True), "html.parser")
    assert plain.find(id="article-body").select(".flagged") == []
