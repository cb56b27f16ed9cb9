"""English-to-French translation of news articles with MarianMT.

Public API::

    from translator import Settings, Translator, load_engine
    engine = load_engine(Settings.from_env())
    result = Translator(engine).translate_article("Title", "Body paragraph...")
"""

from .config import Settings
from .engines import Engine, load_engine
from .errors import ConfigError, GlossaryError, ModelUnavailable, StoreError, TranslatorError
from .glossary import Glossary
from .pipeline import ArticleTranslation, SegmentResult, TextTranslation, Translator

__all__ = ["ArticleTranslation", "ConfigError", "Engine", "Glossary", "GlossaryError", "ModelUnavailable",
           "SegmentResult", "Settings", "StoreError", "TextTranslation", "Translator", "TranslatorError",
           "load_engine"]
