"""The benchmark workload: 20 English news articles, generated deterministically.

Every system translates exactly these texts. Articles are built from templated
sentences over word lists (politics, economy, climate, health, sport,
technology), 8-20 paragraphs and 400-900 words each, every paragraph
different (the pipeline translates identical segments once, so a repeated
paragraph would be free for it and not for the baseline).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Article", "news_articles", "training_sentences"]

ARTICLE_COUNT = 20
MIN_WORDS, MAX_WORDS = 400, 900
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 8, 20

_PEOPLE = ["Maria Fernandes", "John Okafor", "Aiko Tanaka", "Pierre Dubois", "Sarah Mitchell", "Ahmed Hassan",
           "Elena Petrova", "Carlos Mendoza", "Grace Mwangi", "David Cohen", "Priya Raman", "Tom Lindqvist",
           "Fatima Diallo", "Robert Chen", "Ana Souza", "Michael Brennan", "Nadia Rahman", "James Whitaker"]
_ROLES = ["finance minister", "prime minister", "mayor", "chief executive", "spokesperson", "opposition leader",
          "health minister", "central bank governor", "union leader", "police chief", "head coach",
          "lead researcher", "environment minister", "chief economist", "trade commissioner"]
_ORGS = ["the government", "the central bank", "the national assembly", "the World Health Organization",
         "the European Commission", "the city council", "the electricity company", "the football federation",
         "the university hospital", "the farmers' union", "the port authority", "the supreme court",
         "the national statistics office", "the ministry of education", "a regional airline"]
_PLACES = ["the capital", "the northern provinces", "the coastal region", "Nairobi", "Lisbon", "Montreal",
           "the southern islands", "Dakar", "Brussels", "the eastern border", "Toronto", "the river delta",
           "Geneva", "the mountain villages", "Marseille", "Casablanca"]
_DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "over the weekend",
         "last week", "earlier this month", "late on Sunday", "this morning"]
_TOPICS = {
    "economy": (["inflation", "the budget deficit", "fuel prices", "unemployment", "the minimum wage",
                 "interest rates", "public debt", "exports of coffee and cocoa", "the price of bread"],
                ["rose", "fell", "remained stable", "reached a record", "slowed sharply", "recovered"]),
    "politics": (["the electoral reform", "the new constitution", "the coalition agreement", "the pension bill",
                  "the anti-corruption law", "the vote of confidence", "the regional elections"],
                 ["was approved", "was rejected", "was postponed", "divided lawmakers", "sparked protests",
                  "won broad support"]),
    "climate": (["the drought", "the floods", "the heatwave", "rising sea levels", "the forest fires",
                 "the cyclone season", "the water shortage"],
                ["worsened", "forced thousands to leave their homes", "damaged crops", "threatened the coast",
                 "eased slightly", "cost millions of dollars"]),
    "health": (["the vaccination campaign", "the new hospital", "the cholera outbreak", "waiting times",
                "the shortage of nurses", "the malaria programme", "the price of medicines"],
               ["expanded", "was extended to rural areas", "improved", "alarmed doctors",
                "received new funding", "came under criticism"]),
    "sport": (["the national team", "the marathon", "the championship final", "the new stadium",
               "the transfer window", "the cycling tour", "the women's league"],
              ["drew record crowds", "ended in a draw", "was delayed by rain", "attracted new sponsors",
               "produced a surprise winner", "was broadcast in forty countries"]),
    "technology": (["the mobile payment service", "the new data centre", "the satellite launch",
                    "the broadband network", "the artificial intelligence strategy", "the cyber attack"],
                   ["went online", "suffered an outage", "was delayed again", "reached two million users",
                    "raised privacy concerns", "created hundreds of jobs"]),
}
_TITLES = ["{Subject} {verb} in {place}, {org} says", "{Person} defends {subject} amid growing criticism",
           "What {subject} means for {place}", "{Org} warns over {subject}",
           "{Subject}: {place} waits for answers", "{Person} promises action on {subject}"]
_SENTENCES = [
    "{Person}, the {role}, said {day} that {subject} {verb} in {place}.",
    "According to {org}, {subject} {verb} by {number} percent compared with the same period last year.",
    "\"We cannot wait any longer,\" {person} told reporters in {place} {day}.",
    "Critics argue that {subject} will hit poor families hardest, while supporters say it {verb}.",
    "In {place}, residents said {subject} had changed their daily lives in ways few had expected.",
    "The decision came after {number} days of talks between {org} and representatives of {org2}.",
    "Analysts expect {subject} to remain a central issue until the end of the year.",
    "{Org} has promised to publish a detailed report before the next session of parliament.",
    "Figures released {day} showed that {subject} {verb}, the {ordinal} such change since {year}.",
    "{Person} added that {org2} would review the situation and announce further measures.",
    "Local newspapers reported that more than {big} people were directly affected.",
    "It was not immediately clear how {org2} would respond to the latest developments.",
    "Opposition parties accused {org} of ignoring warnings about {subject} for years.",
    "The {role} is expected to travel to {place} {day2} to meet community leaders.",
    "Since {year}, {subject} has {perfect} several times, often with little warning.",
    "Many small businesses in {place} say they are still waiting for the support they were promised.",
]
_ORDINALS = ["first", "second", "third", "fourth", "fifth"]
_PERFECT = ["changed direction", "made headlines", "come under scrutiny", "surprised observers"]
_DAYS2 = ["next week", "later this month", "before the end of the year", "in the coming days"]


@dataclass(frozen=True)
class Article:
    """A news article: title and paragraphs (the body is the paragraphs one blank line apart)."""

    title: str
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _fill(template: str, rng: random.Random, topic: str) -> str:
    subjects, verbs = _TOPICS[topic]
    org, org2 = rng.sample(_ORGS, 2)
    person, subject = rng.choice(_PEOPLE), rng.choice(subjects)
    values = dict(person=person, Person=person, role=rng.choice(_ROLES), org=org, Org=_cap(org), org2=org2,
                  place=rng.choice(_PLACES), day=rng.choice(_DAYS), day2=rng.choice(_DAYS2),
                  subject=subject, Subject=_cap(subject), verb=rng.choice(verbs), number=rng.randint(2, 48),
                  big=f"{rng.randint(2, 95) * 1000:,}", year=rng.randint(1995, 2022),
                  ordinal=rng.choice(_ORDINALS), perfect=rng.choice(_PERFECT))
    return _cap(template.format(**values))


def _article(rng: random.Random) -> Article:
    topic = rng.choice(sorted(_TOPICS))
    paragraph_count = rng.randint(MIN_PARAGRAPHS, MAX_PARAGRAPHS)
    target_words = rng.randint(max(MIN_WORDS, 30 * paragraph_count), min(MAX_WORDS, 100 * paragraph_count))
    paragraphs: list[str] = []
    words = 0
    for index in range(paragraph_count):
        quota = (target_words - words) / (paragraph_count - index)  # spread what is left evenly
        sentences: list[str] = []
        templates = rng.sample(_SENTENCES, len(_SENTENCES))  # no template twice in a paragraph
        while not sentences or sum(len(s.split()) for s in sentences) < quota - 6:
            sentences.append(_fill(templates.pop(), rng, topic))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return Article(_fill(rng.choice(_TITLES), rng, topic), tuple(paragraphs))


def news_articles(count: int = ARTICLE_COUNT, seed: int = 2024) -> list[Article]:
    """``count`` articles (8-20 paragraphs, 400-900 words each, no paragraph twice), the same every time."""
    rng = random.Random(seed)
    articles: list[Article] = []
    seen: set[str] = set()
    while len(articles) < count:
        article = _article(rng)
        texts = [article.title, *article.paragraphs]
        if (MIN_WORDS <= article.words <= MAX_WORDS and len(set(texts)) == len(texts)
                and not seen.intersection(texts)):
            articles.append(article)
            seen.update(texts)
    return articles


def training_sentences(count: int = 4000, seed: int = 7) -> list[str]:
    """Sentences in the workload's style (other draws) to train the benchmark model's vocabulary on."""
    rng = random.Random(seed)
    topics = sorted(_TOPICS)
    templates = _SENTENCES + _TITLES
    return [_fill(rng.choice(templates), rng, rng.choice(topics)) for _ in range(count)]
