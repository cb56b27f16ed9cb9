"""How the English uses a name, decided before the French form is put in its place.

* **Adjective use.** English uses some names as adjectives ("Mediterranean
  diet", "Arctic ice"); French needs an adjective there ("régime
  méditerranéen", "glace arctique"), never the noun ("Méditerranée"). An
  occurrence is an adjective use when the name is one word with an
  adjective's ending (-ean, -ic, -ese, -ish) or its entry lists adjective forms
  (``adj=``), and a lower-case word that is not an ordinary function word or
  verb follows it. Such an occurrence keeps its English for the engine, is
  satisfied by one of the entry's adjective forms (or the noun, where French
  uses one), and is never repaired.
* **Initials given twice.** A French form that ends with the organisation's
  initials ("agence officielle nord-coréenne KCNA", "CIA") followed in the
  English by the same initials in parentheses ("Korean Central News Agency
  (KCNA)") would give the initials twice: the parenthesis is left out of the
  text the engine sees, and the initials' own occurrence is satisfied by the
  end of the form.
"""

from __future__ import annotations

import re

from .entries import GlossaryEntry
from .words import is_english_common

__all__ = ["adjective_use", "redundant_initials"]

# "Mediterranean", "Caribbean", "Arctic", "Pacific": not "-an" alone (Iran, Sudan, Afghanistan are nouns).
_ADJECTIVE_ENDING = re.compile(r"(?:ean|ic|ese|ish)$")
_NEXT_WORD = re.compile(r"[ \u00a0]+([a-z][a-z\-]*)\b")
_INITIALS = re.compile(r"[ \u00a0]*\([ \u00a0]*([A-Z][A-Za-z0-9&.\-]*[A-Z0-9])[ \u00a0]*\)")


def adjective_use(text: str, start: int, end: int, entry: GlossaryEntry) -> bool:
    """True when ``text[start:end]`` (an occurrence of ``entry``) is used as an adjective."""
    if entry.keep:
        return False
    name = text[start:end]
    if not (entry.adjectives or (len(name.split()) == 1 and _ADJECTIVE_ENDING.search(name))):
        return False
    following = _NEXT_WORD.match(text, end)
    return following is not None and not is_english_common(following.group(1))


def redundant_initials(text: str, end: int, form: str) -> int | None:
    """Where the parenthesis after a name ends (an index in ``text``) when it only repeats the
    initials the French ``form`` ends with; None otherwise."""
    found = _INITIALS.match(text, end)
    words = form.split()
    if found is None or not words or words[-1] != found.group(1):
        return None
    return found.end()
