"""The demo article: a sample English news story that ``GET /demo`` shows with the widget embedded.

It never touches the production store: :class:`DemoArticles` keeps it in a
throwaway store of its own (a SQLite file in a temporary directory, deleted
at shutdown) with a translation memory of its own, translated by the
service's model and glossary. The service stores it when it starts and
starts its French translation at once, so the first click on "Read in
French" is usually answered from that store; reads of :data:`DEMO_ARTICLE_ID`
(the widget's JSON, the French page) are answered from it while the demo is
on. The proper nouns come from the starter glossary (``glossary/en-fr.tsv``).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .articles import ArticleNotFound, ArticleService
from ..pipeline.memory import TranslationMemory
from ..pipeline.translator import Translator
from ..text.segmentation import join_paragraphs
from ..store import ArticleVersion

__all__ = ["DEMO_ARTICLE_ID", "DEMO_BODY", "DEMO_PARAGRAPHS", "DEMO_TITLE", "DEMO_URL", "DemoArticles",
           "store_demo_article"]

log = logging.getLogger(__name__)

DEMO_ARTICLE_ID = "demo-port-louis"
DEMO_TITLE = "Port Louis waterfront to reopen after cyclone repairs"
DEMO_PARAGRAPHS = (
    "The Caudan waterfront in Port Louis will reopen to the public on Saturday, three weeks after the "
    "cyclone damaged its jetties and flooded several shops, the port authorities said on Thursday.",
    "Repair crews worked day and night to rebuild the wooden walkways and to restore power to the market "
    "hall. Engineers from the University of Mauritius inspected the sea wall and found no structural damage.",
    "The Bank of Mauritius said the storm had cost the tourism sector about two billion rupees, but it "
    "expects visitor numbers to recover before the end of the year. Hotels in Grand Baie and Flic en Flac "
    "reported cancellations in the first week after the storm.",
    "Bus services between Port Louis, Rose Hill and Curepipe returned to their normal timetable on Monday, "
    "and the light-rail line to Quatre Bornes was running again within four days.",
    "Flights to Reunion Island and Rodrigues left on schedule from Sir Seewoosagur Ramgoolam International "
    "Airport throughout the week, Air Mauritius said.",
    "The National Assembly will debate a bill on Tuesday to create a permanent fund for cyclone repairs. "
    "Shop owners on the waterfront hope that the fund will also cover the losses of small businesses.",
)
DEMO_BODY = join_paragraphs(list(DEMO_PARAGRAPHS))
# Where the English story would live on the news site (example.com: reserved, never a real site).
DEMO_URL = "https://www.example.com/mauritius/port-louis-waterfront-reopens"


def store_demo_article(articles: ArticleService) -> ArticleVersion:
    """Store the demo article (a no-op when the store already has this text) and start its French
    translation in the background unless it is stored already. Returns the stored version."""
    try:
        article = articles.get(DEMO_ARTICLE_ID)
    except ArticleNotFound:
        article = None
    if article is None or (article.title, article.body, article.url) != (DEMO_TITLE, DEMO_BODY, DEMO_URL):
        # Only a missing or outdated demo is written: showing /demo is a read.
        result = articles.put(DEMO_ARTICLE_ID, title=DEMO_TITLE, body=DEMO_BODY, url=DEMO_URL)
        log.info("stored the demo article %s v%d", DEMO_ARTICLE_ID, result.version)
        article = articles.get(DEMO_ARTICLE_ID, result.version)
    if articles.cached_translation(article.id, article.version) is None:
        articles.start_translation(article.id, article.version)
    return article


class DemoArticles:
    """The demo's own article service on a throwaway store; :meth:`close` deletes it.

    ``make_translator(memory)``: the service's en-fr translator (its engine, glossary,
    typography and segment budget) with ``memory`` as its translation memory.
    """

    def __init__(self, make_translator: Callable[[TranslationMemory], Translator]):
        from ..store.sqlite import SQLiteStore

        self._directory = Path(tempfile.mkdtemp(prefix="translator-demo-"))
        self.store = SQLiteStore(self._directory / "demo.sqlite3", keep_versions=1)
        self.articles = ArticleService(self.store, make_translator(self.store), lang="fr")

    def close(self) -> None:
        """Stop its background translation and delete its store."""
        self.articles.shutdown(wait=True)
        self.store.close()
        shutil.rmtree(self._directory, ignore_errors=True)
