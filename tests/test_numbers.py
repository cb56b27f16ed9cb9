"""Numbers in news copy: English and French readings, the French form, and the missing-number check."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translator.pipeline.flags import segment_flags
from translator.pipeline.status import SegmentStatus
from translator.text.numbers import LOST, MONTH, UNIT, english_numbers, french_number, french_numbers, missing_numbers


def d(*values) -> list[Decimal]:
    return [Decimal(str(v)).normalize() for v in values]


@pytest.mark.parametrize(("text", "values"), [
    ("Inflation rose 3.5 percent in May.", d(3.5)),
    ("About 1,000 people marched; 2,500,000 watched.", d(1000, 2500000)),
    ("The budget is $5m, up from $4.2bn and £300k.", d(5e6, 4.2e9, 3e5)),
    ("Unemployment fell to 7.1% on March 3, 2024.", d(7.1, 3, 2024)),
    ("It is his 2nd term and the 21st summit.", d(2, 21)),
    ("COVID-19 grounded the A320 and MH370 searches.", []),
    ("A 5 million rupee grant.", d(5e6)),
])
def test_english_numbers(text, values):
    assert english_numbers(text) == values


@pytest.mark.parametrize(("text", "values"), [
    ("L'inflation a progressé de 3,5 % en mai.", d(3.5)),
    ("Quelque 1 000 personnes ont défilé ; 2\u202f500\u202f000 ont regardé.", d(1000, 2500000)),
    ("Le budget est de 5 millions de dollars, contre 4,2 milliards et 300 000 livres.", d(5e6, 4.2e9, 3e5)),
    ("Le chômage est tombé à 7,1 % le 3 mars 2024.", d(7.1, 3, 2024)),
    ("Son 2e mandat, le 1er sommet.", d(2, 1)),
    ("Une somme de 1.000.000 d'euros et 3.5 points.", d(1000000, 3.5)),
    ("Le COVID-19 et l'A320.", []),
    ("5 M$ pour le projet", d(5e6)),
])
def test_french_numbers(text, values):
    assert french_numbers(text) == values


@pytest.mark.parametrize(("source", "target", "missing"), [
    ("Inflation rose 3.5 percent.", "L'inflation a augmenté de 3,5 %.", []),
    ("Inflation rose 3.5 percent.", "L'inflation a augmenté de 5,3 %.", [("3.5 percent", LOST)]),
    ("The fund holds $5m.", "Le fonds détient 5 millions de dollars.", []),
    ("The fund holds $5m.", "Le fonds détient 5 dollars.", [("$5m", LOST)]),
    ("The fund holds $5m.", "Le fonds détient 5 millions.", [("$5m", UNIT)]),
    ("About 1,000 people.", "Environ 1\u00a0000 personnes.", []),
    ("About 1,000 people.", "Environ 100 personnes.", [("1,000", LOST)]),
    ("On March 3, 2024.", "Le 3 mars 2023.", [("2024", LOST)]),
    ("On March 3, 2024.", "Le 3 mai 2024.", [("March", MONTH)]),
    ("Two votes: 12 and 12.", "Deux votes : 12.", [("12", LOST)]),  # as many times as the source says it
])
def test_missing_numbers(source, target, missing):
    assert [(m.text, m.reason) for m in missing_numbers(source, target)] == missing


@pytest.mark.parametrize(("value", "expected"), [
    ("3.5", "3,5"), ("1000", "1\u00a0000"), (2500000, "2\u00a0500\u00a0000"), ("1234.56", "1\u00a0234,56"),
    ("0.25", "0,25"), (12, "12"),
])
def test_french_number(value, expected):
    assert french_number(value) == expected
    # and reading it back gives the value (the sign is not part of a number in running text)
    assert french_numbers(french_number(value)) == [abs(Decimal(str(value))).normalize()]


def test_french_number_keeps_the_sign():
    assert french_number("-1234.5") == "-1\u00a0234,5"


# -- the check on real machine output: values read in each language's conventions, months and units ---

@pytest.mark.parametrize(("source", "target"), [
    ("The rate rose to 5.375 per cent.", "Le taux est monté à 5.375 pour cent."),   # three decimals, as written
    ("The rate rose to 5.375 per cent.", "Le taux est monté à 5,375 %."),
    ("Exports fell by Rs 2.5bn to Rs 45.2bn.", "Les exportations ont baissé de Rs 2.5bn à Rs 45.2bn."),
    ("Air Mauritius carried 1.4m passengers.", "Air Mauritius a transporté 1.4m passagers."),
    ("About 8k runners took part.", "Environ 8k coureurs ont participé."),
    ("The outbreak infected 2,134 people.", "L'épidémie a infecté 2,134 personnes."),   # English thousands left
    ("It costs Rs 1,250 million.", "Cela coûte Rs 1,250 millions."),
    ("It costs $5bn.", "Cela coûte 5 milliards de dollars."),
    ("Schools reopen on January 13, 2025.", "Les écoles rouvrent le 13 janvier 2025."),
    ("The bank lent $150m on May 12.", "La banque a prêté 150 M$ le 12 mai."),
    ("Sales rose 8 per cent in Sept. and 4% in Oct.", "Les ventes ont progressé de 8 % en sept. et de 4 % en oct."),
    ("He ran 42 km and lost 3 kg.", "Il a couru 42 kilomètres et perdu 3 kilos."),
    ("It is the 21st summit.", "C'est le 21e sommet."),
    ("The line reaches Curepipe at 7.45.", "La ligne atteint Curepipe à 7.45."),
])
def test_the_same_figures_months_and_units_raise_no_flag(source, target):
    assert missing_numbers(source, target) == []
    assert segment_flags(source, target, status=SegmentStatus.TRANSLATED, score=None) == []


@pytest.mark.parametrize(("source", "target", "flagged"), [
    ("The rate rose to 4.5 per cent.", "Le taux est monté à 4.5 par céntimo.", ["4.5 per cent"]),   # unit lost
    ("Inflation rose to 5.1%.", "L'inflation est montée à 5.1 0x0p+0.", ["5.1%"]),
    ("They meet on March 14.", "Ils se réunissent dessus Part 14.", ["March"]),                   # month lost
    ("The strike began in September.", "La grève a commencé en octobre.", ["September"]),       # month changed
    ("He ran 42 km.", "Il a couru 42 kg.", ["42 km"]),                                            # unit changed
    ("Fuel cost $1.2bn.", "Le carburant a coûté 1.2 billions de dollars.", ["$1.2bn"]),         # 10^12 in French
    ("The rate rose to 5.375 per cent.", "Le taux est monté à 5.735 pour cent.", ["5.375 per cent"]),
    ("About 2,134 people.", "Environ 2,143 personnes.", ["2,134"]),
])
def test_a_figure_month_or_unit_the_french_lost_or_changed_is_flagged(source, target, flagged):
    assert [source[m.start:m.end] for m in missing_numbers(source, target)] == flagged
    assert segment_flags(source, target, status=SegmentStatus.TRANSLATED, score=None) == ["number_missing"]
