"""Pure functions on strings: paragraphs and sentences, French typography, numbers, offset maps, UTC timestamps.

Nothing here knows about engines, glossaries, stores or HTTP.
"""
