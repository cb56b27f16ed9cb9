"""The words of the reader's article page, per target language.

The page of ``/articles/<id>/<lang>`` is written for readers of ``lang``: its
few fixed texts come from here. A language without an entry gets the English
ones (the page is still marked ``lang=<lang>`` for its translated text).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PageLabels", "labels_for"]


@dataclass(frozen=True)
class PageLabels:
    """Fixed texts of the article pages (``{version}`` is the article version)."""

    kicker: str
    translated_from: str
    read_original: str
    translated_by: str
    on: str
    version_of_article: str
    pending_title: str
    pending_notice: str
    partial_notice: str  # {done} of {total} paragraphs ready; {s}: "s" when done > 1 (French, English)
    reviewed: str = "reviewed by the newsroom"  # after the kicker and in the footer, once editors reviewed it
    #: The notice of a partial translation: ({n} = 1 passage, {n} > 1 passages) kept their English.
    untranslated: tuple[str, str] = ("Partial translation: {n} passage could not be translated and is in English.",
                                     "Partial translation: {n} passages could not be translated and are in English.")

    def untranslated_notice(self, n: int) -> str:
        """The partial-translation notice for ``n`` passages kept in English."""
        return self.untranslated[0 if n == 1 else 1].format(n=n)


_LABELS = {
    "fr": PageLabels("Traduction automatique", "Traduit de l'anglais", "Lire l'article original en anglais",
                     "Traduction automatique par", "le", "version {version} de l'article",
                     "Traduction en cours…",
                     "Traduction en cours… Cette page se recharge automatiquement dans quelques secondes.",
                     "Traduction de la suite en cours ({done} paragraphe{s} sur {total})… Cette page se recharge "
                     "automatiquement.", "relue par la rédaction",
                     ("Traduction partielle : {n} passage n'a pas pu être traduit et reste en anglais.",
                      "Traduction partielle : {n} passages n'ont pas pu être traduits et restent en anglais.")),
    "de": PageLabels("Maschinelle Übersetzung", "Aus dem Englischen übersetzt", "Originalartikel auf Englisch lesen",
                     "Maschinell übersetzt mit", "am", "Version {version} des Artikels",
                     "Übersetzung läuft…",
                     "Übersetzung läuft… Diese Seite lädt sich in wenigen Sekunden von selbst neu.",
                     "Der Rest wird übersetzt ({done} von {total} Absätzen)… Diese Seite lädt sich von selbst neu.",
                     "von der Redaktion geprüft",
                     ("Teilübersetzung: {n} Abschnitt konnte nicht übersetzt werden und steht auf Englisch.",
                      "Teilübersetzung: {n} Abschnitte konnten nicht übersetzt werden und stehen auf Englisch.")),
    "es": PageLabels("Traducción automática", "Traducido del inglés", "Leer el artículo original en inglés",
                     "Traducción automática con", "el", "versión {version} del artículo",
                     "Traducción en curso…",
                     "Traducción en curso… Esta página se recargará sola en unos segundos.",
                     "Traduciendo el resto ({done} de {total} párrafos)… Esta página se recargará sola.",
                     "revisada por la redacción",
                     ("Traducción parcial: {n} pasaje no pudo traducirse y sigue en inglés.",
                      "Traducción parcial: {n} pasajes no pudieron traducirse y siguen en inglés.")),
    "en": PageLabels("Machine translation", "Translated from English", "Read the original article in English",
                     "Machine-translated by", "on", "version {version} of the article",
                     "Translating…", "Translating… This page reloads itself in a few seconds.",
                     "Translating the rest ({done} paragraph{s} of {total})… This page reloads itself."),
}


def labels_for(lang: str) -> PageLabels:
    """The page texts for readers of ``lang`` (English when there are none for it)."""
    return _LABELS.get(lang, _LABELS["en"])
