"""HTML articles as stored and served: translation responses, batch files.

* :func:`translation_document`: the translations endpoint's JSON for an
  article version (HTML ones sanitised again on the way out, with the English
  text of each block for the widget's matching);
* :func:`read_html_article`: title and body of an ``.html`` file;
* :func:`french_html_document`: the French file written for it.
"""

from __future__ import annotations

import html as html_escaping

from ..store import ArticleVersion, StoredTranslation
from .blocks import article_blocks, block_source_text
from .parse import block_text, parse_document, parse_fragment, serialize_fragment
from .sanitize import sanitize

__all__ = ["french_html_document", "read_html_article", "source_block_texts", "translation_document"]


def source_block_texts(html: str) -> list[str]:
    """The English text of each block of the sanitised fragment (block elements and runs of loose text),
    in order."""
    return [block_source_text(block) for block in article_blocks(parse_fragment(sanitize(html)))]


def translation_document(article: ArticleVersion, stored: StoredTranslation) -> dict:
    """The stored translation as the API serves it, with its ``status`` (``"partial"``: some English
    was kept); HTML bodies and blocks sanitised on every read."""
    document = {**stored.to_dict(), "status": stored.status}
    if article.format == "html":
        document["body"] = sanitize(stored.body)
        document["paragraphs"] = [sanitize(block) for block in stored.paragraphs]
        document["format"] = "html"
        document["source_blocks"] = source_block_texts(article.body)
    return document


def read_html_article(text: str) -> tuple[str, str] | None:
    """``(title, body)`` of an HTML file: the first ``<h1>`` (else ``<title>``) and the body's content.

    None when the file has neither. The ``<h1>`` stays in the body (it is
    translated in place; the memory makes that the same model call as the title).
    """
    document = parse_document(text)
    heading = next(document.iter("h1"), None)
    title = block_text(heading) if heading is not None else ""
    if not title:
        found = document.find(".//title")
        title = " ".join((found.text_content() if found is not None else "").split())
    if not title:
        return None
    body = document.find("body")
    root = parse_fragment("")
    if body is not None:
        root.text = body.text
        root.extend(list(body))
    return title, serialize_fragment(root).strip()


def french_html_document(title: str, body: str) -> str:
    """A whole French HTML document: the title and the (sanitised) body."""
    return ("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html_escaping.escape(title)}</title>\n</head>\n<body>\n{sanitize(body)}\n</body>\n</html>\n")
