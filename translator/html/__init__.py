"""HTML articles: parse, cut into blocks, translate text only, put the inline tags back, sanitise.

* :mod:`.parse`: lxml parsing and serialising, the element classes;
* :mod:`.sanitize`: the nh3 allowlist every HTML output passes;
* :mod:`.blocks`: block runs as text plus an inline-tag skeleton;
* :mod:`.projection`: where each tag goes in the French;
* :mod:`.translate`: :class:`HtmlTranslator`, the whole path through the pipeline.
"""

from .sanitize import sanitize
from .translate import HtmlTranslator, html_blocks

__all__ = ["HtmlTranslator", "html_blocks", "sanitize"]
