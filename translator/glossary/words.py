"""Word lists the glossary needs to tell names from ordinary words.

* :data:`ENGLISH_COMMON`: English words that begin sentences or are written
  in capitals in headlines ("WHO CARES", "US" as in "join us"). An all-caps
  entry source that is one of these ("WHO", "US", "IT") is only matched in
  all-caps text when the entry has the ``ci`` flag; a capitalised one at the
  start of a sentence is not taken for a name in the ``unlisted`` report.
* :data:`TITLES`: words around names that are not part of them ("President",
  "Minister"); the ``unlisted`` report splits capitalised runs at them, and at
  a :data:`PORTFOLIOS` word before a title ("Finance Minister", but "Finance Act").
* :data:`FRENCH_FUNCTION_WORDS`: articles, prepositions, conjunctions and
  auxiliaries a glossary repair never swallows at the edge of a garbled name.
* :data:`FRENCH_COMMON`: ordinary French words that are also the French form
  of some name ("vienne" the verb and Vienne, "canton" and Canton). A French
  form that is one of these is only ever matched with its capital letter and
  never forced onto a lower-case word; ``translator glossary validate`` warns
  about such entries.

The lists are small and hand-kept on purpose: they only need to cover the
words that collide with names in news copy, and editors can read them.
"""

from __future__ import annotations

__all__ = ["ENGLISH_COMMON", "FRENCH_COMMON", "FRENCH_FUNCTION_WORDS", "PORTFOLIOS", "TITLES", "is_english_common",
           "is_french_common", "is_french_function_word"]

ENGLISH_COMMON = frozenset("""
a about above across after again against ago all almost along already also although always am among an and
another any anyone anything are around as at away back be because been before being below between both but by
can cannot could did do does doing done down during each either else enough even ever every few for from
further had has have having he her here hers him his how however i if in inside into is it its itself just
last least less let like many may me might more most much must my near neither never new next no nor not now
of off often old on once one only or other others our ours out outside over own per perhaps please rather
same she should since so some still such than that the their theirs them then there these they this those
though through thus to too toward towards under unless until up upon us very was we well were what whatever
when where whether which while who whom whose why will with within without would yes yet you your yours
also meanwhile later earlier today yesterday tomorrow tonight now still instead indeed nevertheless
according asked said says told added called warned noted
care cares watch live update breaking exclusive analysis opinion editorial comment report news
here's there's it's that's what's who's let's we're they're i'm
monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
officials police authorities critics residents witnesses analysts experts observers sources
government minister ministers president leaders people many several some most
first second third last final
thousands hundreds dozens millions tens scores crowds fishermen farmers workers students tourists voters
investors doctors nurses teachers passengers drivers families shoppers traders protesters prices sales
speaking asked reporting writing following despite amid
""".split())

#: Titles and roles: never part of a name in the ``unlisted`` report.
TITLES = frozenset("""
mr mrs ms dr prof sir dame lord lady
president vice prime minister ministers deputy secretary general chancellor chairman chairwoman chair
spokesman spokeswoman spokesperson ambassador envoy governor mayor senator representative rep sen gov
king queen prince princess pope sheikh emir commander chief colonel general lieutenant captain major
judge justice director head leader opposition speaker pm
""".split())

#: Portfolio words: part of a title before one ("Finance Minister"), of a name otherwise ("Finance Act").
PORTFOLIOS = frozenset("""
foreign defence defense interior finance justice health home state tourism environment education agriculture
""".split())

FRENCH_COMMON = frozenset("""
vienne viennes canton cantons nice tours tour orange oranges mars sort sorts grâce bar bars gap lens die dole
sens riz prix pierre pierres coton dôme dômes maison maisons blanche blanc blanches noire noir rouge rouges
vert verte bleu bleue grand grande petit petite cap côte côtes mer mers golfe détroit plateau place bande
parlement assemblée conseil commission cour banque union nations fonds programme agence comité croix santé
justice sécurité bourse lion lions mai juin juillet août avril
""".split())


#: French articles, prepositions, conjunctions and auxiliaries (lower case).
FRENCH_FUNCTION_WORDS = frozenset("""
et ou a à au aux le la les l de des du d un une en dans sur par pour avec est sont ont se ce que qui
""".split())


def is_french_function_word(word: str) -> bool:
    """True when ``word`` (any case) is a French article, preposition, conjunction or auxiliary."""
    return word.casefold() in FRENCH_FUNCTION_WORDS


def is_english_common(word: str) -> bool:
    """True when ``word`` (any case, a possessive dropped) is an ordinary English word."""
    folded = word.casefold().replace("\u2019", "'")
    if folded.endswith("'s"):
        folded = folded[:-2]
    return folded in ENGLISH_COMMON


def is_french_common(word: str) -> bool:
    """True when ``word`` in lower case is an ordinary French word."""
    return word.casefold() in FRENCH_COMMON
