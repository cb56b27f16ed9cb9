"""The translation pipeline: segments -> translation memory -> engine -> glossary -> typography -> text.

:mod:`.translator` holds :class:`~.translator.Translator`; :mod:`.memory` the
translation-memory protocol and its key; :mod:`.flags` the review flags each
machine segment gets.
"""

from .translator import ArticleTranslation, SegmentResult, TextTranslation, Translator

__all__ = ["ArticleTranslation", "SegmentResult", "TextTranslation", "Translator"]
