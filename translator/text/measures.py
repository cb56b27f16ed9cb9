"""Scale words, units and currencies as English and French news write them: data for the numbers check.

Each table maps what a text says (lower case) to one canonical name, so that
"8 per cent" and "8 %", "$5m" and "5 millions de dollars", "42 km" and
"42 kilomètres" compare equal (:mod:`translator.text.numbers`).
"""

from __future__ import annotations

__all__ = ["CURRENCY_SIGNS", "ENGLISH_CURRENCY_WORDS", "ENGLISH_SCALES", "ENGLISH_UNITS", "FRENCH_CURRENCY_WORDS",
           "FRENCH_SCALES", "FRENCH_UNITS"]

#: Scale words after a number -> power of ten ("5bn", "5 billion"). "m" is a million only glued to the
#: number or after a currency ("$5m", "1.4m passengers"); "5 m" is five metres.
ENGLISH_SCALES = {"k": 3, "thousand": 3, "m": 6, "mn": 6, "million": 6, "bn": 9, "b": 9, "billion": 9, "tn": 12,
                  "trillion": 12}
#: French scale words; a French "billion" is 10^12. English abbreviations a model leaves in French
#: copy ("2.5bn", "1.4m") keep their English meaning.
FRENCH_SCALES = {"k": 3, "mille": 3, "m": 6, "million": 6, "mn": 6, "md": 9, "mds": 9, "milliard": 9, "bn": 9,
                 "billion": 12, "mille milliards": 12}

#: Units after a number -> canonical unit.
ENGLISH_UNITS = {
    "%": "%", "per cent": "%", "percent": "%", "pc": "%", "percentage points": "pt", "percentage point": "pt",
    "km": "km", "kilometres": "km", "kilometre": "km", "kilometers": "km", "kilometer": "km",
    "kg": "kg", "kilograms": "kg", "kilogram": "kg", "kilogrammes": "kg", "kilos": "kg", "kilo": "kg",
    "km/h": "km/h", "mm": "mm", "millimetres": "mm", "cm": "cm", "m": "m", "metres": "m", "meters": "m",
    "tonnes": "t", "tonne": "t", "tons": "t", "ton": "t", "mw": "MW", "megawatts": "MW", "gw": "GW", "kwh": "kWh",
    "ha": "ha", "hectares": "ha", "litres": "l", "litre": "l", "liters": "l", "°c": "°C", "degrees": "°",
}
#: French units; English ones an engine left in the French ("3,5 percent") count too: the unit is not lost.
FRENCH_UNITS = {
    **ENGLISH_UNITS,
    "%": "%", "pour cent": "%", "pourcent": "%", "p. cent": "%", "p.100": "%",
    "points de pourcentage": "pt", "point de pourcentage": "pt",
    "km": "km", "kilomètres": "km", "kilomètre": "km", "kg": "kg", "kilogrammes": "kg", "kilogramme": "kg",
    "kilos": "kg", "kilo": "kg", "km/h": "km/h", "mm": "mm", "millimètres": "mm", "cm": "cm", "m": "m",
    "mètres": "m", "mètre": "m", "tonnes": "t", "tonne": "t", "t": "t", "mw": "MW", "mégawatts": "MW", "gw": "GW",
    "kwh": "kWh", "ha": "ha", "hectares": "ha", "litres": "l", "litre": "l", "°c": "°C", "degrés": "°",
}

#: Currency signs and codes before (or, in French, after) a number -> canonical sign.
CURRENCY_SIGNS = {"rs": "Rs", "rs.": "Rs", "mur": "Rs", "$": "$", "us$": "$", "usd": "$", "€": "€", "eur": "€",
                  "£": "£", "gbp": "£"}
#: Currency words after a number (or its scale word: "5 million rupees", "5 millions de roupies").
ENGLISH_CURRENCY_WORDS = {"rupee": "Rs", "rupees": "Rs", "dollar": "$", "dollars": "$", "euro": "€", "euros": "€",
                          "pound": "£", "pounds": "£"}
FRENCH_CURRENCY_WORDS = {**ENGLISH_CURRENCY_WORDS, "roupie": "Rs", "roupies": "Rs", "dollar": "$", "dollars": "$", "euro": "€", "euros": "€",
                         "livre": "£", "livres": "£", "livres sterling": "£"}
