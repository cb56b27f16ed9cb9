"""The words of the reader's article page, per target language.

The page of ``/articles/<id>/<lang>`` is written for readers of ``lang``: its
few fixed texts come from here. A language without an entry gets the English
ones (the page is still marked ``lang=<lang>`` for its translated text).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PageLabels", "error_text", "labels_for"]


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


#: The error pages' (heading, message) per language and kind; ``{article_id}``, ``{version}`` and
#: ``{raw}`` are filled in. A language without an entry gets the English ones.
_ERRORS: dict[str, dict[str, tuple[str, str]]] = {
    "fr": {
        "no_article": ("Article introuvable", "Aucun article « {article_id} » n'est enregistré."),
        "no_version": ("Article introuvable", "L'article « {article_id} » n'a pas de version {version}."),
        "failed": ("Traduction indisponible", "La traduction de cet article a échoué. Réessayez dans un instant."),
        "unavailable": ("Service momentanément indisponible",
                        "La traduction ne peut pas être affichée pour le moment. Réessayez dans quelques instants."),
        "bad_version": ("Adresse incorrecte", "« {raw} » n'est pas un numéro de version (un entier à partir de 1)."),
        "no_demo": ("Page introuvable", "La page de démonstration est désactivée sur ce service."),
        "internal": ("Erreur interne", "La page n'a pas pu être affichée ; le journal du serveur en dit plus."),
    },
    "de": {
        "no_article": ("Artikel nicht gefunden", "Es gibt keinen Artikel „{article_id}“."),
        "no_version": ("Artikel nicht gefunden", "Der Artikel „{article_id}“ hat keine Version {version}."),
        "failed": ("Übersetzung nicht verfügbar",
                   "Die Übersetzung dieses Artikels ist fehlgeschlagen. Versuchen Sie es gleich noch einmal."),
        "unavailable": ("Dienst vorübergehend nicht verfügbar",
                        "Die Übersetzung kann gerade nicht angezeigt werden. Versuchen Sie es gleich noch einmal."),
        "bad_version": ("Ungültige Adresse", "„{raw}“ ist keine Versionsnummer (eine ganze Zahl ab 1)."),
        "no_demo": ("Seite nicht gefunden", "Die Demoseite ist bei diesem Dienst abgeschaltet."),
        "internal": ("Interner Fehler", "Die Seite konnte nicht angezeigt werden; das Serverprotokoll sagt mehr."),
    },
    "es": {
        "no_article": ("Artículo no encontrado", "No hay ningún artículo «{article_id}»."),
        "no_version": ("Artículo no encontrado", "El artículo «{article_id}» no tiene versión {version}."),
        "failed": ("Traducción no disponible", "La traducción de este artículo ha fallado. Inténtelo de nuevo enseguida."),
        "unavailable": ("Servicio no disponible por el momento",
                        "La traducción no puede mostrarse ahora. Inténtelo de nuevo en unos instantes."),
        "bad_version": ("Dirección incorrecta", "«{raw}» no es un número de versión (un entero a partir de 1)."),
        "no_demo": ("Página no encontrada", "La página de demostración está desactivada en este servicio."),
        "internal": ("Error interno", "La página no pudo mostrarse; el registro del servidor tiene los detalles."),
    },
    "en": {
        "no_article": ("Article not found", "There is no article “{article_id}”."),
        "no_version": ("Article not found", "The article “{article_id}” has no version {version}."),
        "failed": ("Translation unavailable", "Translating this article failed. Try again in a moment."),
        "unavailable": ("Service temporarily unavailable",
                        "The translation cannot be shown right now. Try again in a few moments."),
        "bad_version": ("Wrong address", "“{raw}” is not a version number (a whole number from 1)."),
        "no_demo": ("Page not found", "The demo page is switched off on this service."),
        "internal": ("Internal error", "The page could not be shown; the server log has the details."),
    },
}


def error_text(lang: str, kind: str, **values: object) -> tuple[str, str]:
    """The (heading, message) of the error page ``kind`` for readers of ``lang`` (English when
    there are none for it), with ``values`` filled in."""
    heading, message = _ERRORS.get(lang, _ERRORS["en"])[kind]
    return heading, message.format(**values)


def labels_for(lang: str) -> PageLabels:
    """The page texts for readers of ``lang`` (English when there are none for it)."""
    return _LABELS.get(lang, _LABELS["en"])
