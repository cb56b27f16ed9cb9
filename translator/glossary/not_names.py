"""Capitalised words of news pages that are not names: data for the ``unlisted`` report.

* nationality adjectives and demonyms ("Mauritian", "Malagasy", "Seychellois",
  "Mauritians") and a few other adjectives written with a capital ("Creole",
  "Western");
* acronyms and symbols of ordinary nouns and units ("GDP", "MPs", "Rs", "MW");
* page furniture: the buttons and labels around an article ("Advertisement",
  "Read More", "Related Articles").

Small, hand-kept lists: they need only cover what news copy capitalises
around names, and editors can read them.
"""

from __future__ import annotations

import re

__all__ = ["ADJECTIVES", "COMMON_ACRONYMS", "PAGE_FURNITURE", "is_adjective", "is_common_acronym", "is_furniture"]

#: Nationality and other adjectives (and demonyms) that the suffix rule below does not catch.
ADJECTIVES = frozenset("""
malagasy seychellois rodriguan rodriguans mauritian mauritians comorian comorians reunionese
kenyan kenyans african africans american americans asian asians european europeans mexican mexicans
korean koreans african-american thai swiss greek greeks iraqi iraqis saudi saudis emirati emiratis qatari qataris
omani omanis yemeni yemenis kuwaiti kuwaitis bangladeshi bangladeshis somali somalis filipino filipinos czech
czechs dutch arab arabs arabic creole creoles hindu hindus muslim muslims catholic catholics
islamic jewish sikh sikhs buddhist buddhists tamil tamils telugu marathi gujarati bhojpuri francophone anglophone
western eastern northern southern
""".split())

#: Acronyms and symbols of ordinary nouns and units: never names.
COMMON_ACRONYMS = frozenset("""
rs gdp gnp cpi vat ceo cfo coo mp mps pm am tv ict mw gw kwh km kg mm cm pdf faq sms usb atm
""".split())

#: Labels around an article on a news page (lower case, single spaces).
PAGE_FURNITURE = frozenset("""
advertisement
read more
read also
see also
related
related articles
related stories
most read
most popular
top stories
latest news
breaking news
share
share this article
share this
sign up
sign up for our newsletter
subscribe
subscribe now
click here to subscribe
follow us
comments
print
email
back to top
watch live
listen
""".strip().split("\n"))

# Demonyms and adjectives by their ending ("Russian", "Chinese", "British", "European", "Pakistani",
# "Israeli", "Cypriot", "French"), singular or plural.
_SUFFIX = re.compile(r"\w+(?:ian|ese|ish|ean|ani|eli|iot|ch)s?$", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]")


def is_adjective(word: str) -> bool:
    """True when ``word`` is a nationality or other adjective (or a demonym), not a name."""
    return word.casefold() in ADJECTIVES or bool(_SUFFIX.fullmatch(word))


def is_common_acronym(word: str) -> bool:
    """True when ``word`` is the acronym or symbol of an ordinary noun or unit ("GDP", "Rs", "MW")."""
    return word.casefold().rstrip(".") in COMMON_ACRONYMS


def is_furniture(text: str) -> bool:
    """True when ``text`` (a run of words, a line) is page furniture ("Read More", "ADVERTISEMENT")."""
    return " ".join(_PUNCTUATION.sub(" ", text).casefold().split()) in PAGE_FURNITURE
