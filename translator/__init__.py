"""English-to-French translation of news articles with MarianMT.

Public API::

    from translator import Glossary, Settings, Translator, load_engine
    engine = load_engine(Settings.from_env())
    glossary = Glossary.from_tsv("glossary/en-fr.tsv")
    result = Translator(engine, glossary=glossary).translate_article("Title", "Body paragraph...")
    result.glossary  # {"applied": [{"source", "target"}, ...], "missed": [...]}
"""

from .config import Settings
from .engines import Engine, load_engine
from .errors import ConfigError, GlossaryError, ModelUnavailable, StoreError, TranslatorError
from .glossary import Glossary
from .pipeline.translator import ArticleTranslation, SegmentResult, TextTranslation, Translator

__all__ = ["ArticleTranslation", "ConfigError", "Engine", "Glossary", "GlossaryError", "ModelUnavailable",
           "SegmentResult", "Settings", "StoreError", "TextTranslation", "Translator", "TranslatorError",
           "load_engine"]
