"""Source formats: ``text`` (paragraphs separated by blank lines) and ``html`` (an HTML fragment).

The one place that sends a text to the right translator for its format, so
the API, the article service and the batch job agree on what each format means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..pipeline.translator import (OWN_GLOSSARY, ArticleTranslation, CallGlossary, PartialArticle, TextTranslation,
                                   Translator)

__all__ = ["FORMATS", "translate_articles", "translate_texts"]

#: Every format a text or an article body may have.
FORMATS = ("text", "html")


def translate_texts(translator: Translator, texts: Sequence[str], *, format: str = "text",
                    glossary: CallGlossary = OWN_GLOSSARY, repair: bool = True) -> list[TextTranslation]:
    """Translate ``texts`` of one format (``html``: sanitised French fragments); ``repair=False``:
    the glossary only reports."""
    if format == "html":
        from ..html import HtmlTranslator

        return HtmlTranslator(translator).translate_texts(texts, glossary=glossary, repair=repair)
    if format != "text":
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    return translator.translate_texts(texts, glossary=glossary, repair=repair)


def translate_articles(translator: Translator, articles: Sequence[tuple[str, str, str]], *,
                       glossary: CallGlossary = OWN_GLOSSARY,
                       on_stage: Callable[[int, PartialArticle], None] | None = None) -> list[ArticleTranslation]:
    """Translate ``(title, body, format)`` articles: one engine pass per format present, results in order.

    ``on_stage(index, partial)``: a reader is waiting; show each article's title and first paragraphs
    (text) or blocks (HTML) as they are done, in reading order.
    """
    results: list[ArticleTranslation | None] = [None] * len(articles)
    for format in FORMATS:
        indices = [i for i, (_, _, f) in enumerate(articles) if f == format]
        if not indices:
            continue
        pairs = [(articles[i][0], articles[i][1]) for i in indices]
        if format == "html":
            from ..html import HtmlTranslator

            engine = HtmlTranslator(translator)
        else:
            engine = translator
        if on_stage is None:
            done = engine.translate_articles(pairs, glossary=glossary)
        else:
            done = engine.translate_articles_in_stages(
                pairs, lambda index, partial, indices=indices: on_stage(indices[index], partial), glossary=glossary)
        for i, result in zip(indices, done):
            results[i] = result
    unknown = [f for _, _, f in articles if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; use one of {', '.join(FORMATS)}")
    return results  # type: ignore[return-value]
