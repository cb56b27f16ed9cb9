"""Pure functions on strings: paragraphs and sentences, French typography, numbers, offset maps.

Nothing here knows about engines, glossaries, stores or HTTP.
"""
