"""TMX 1.4: the translation-memory exchange format, for editors' CAT tools.

:func:`write_tmx` writes human entries (and, optionally, machine segments of
stored translations) as a TMX 1.4 document built with lxml; :func:`read_tmx`
reads one back, checked against the TMX 1.4 DTD shipped with the package
(``translator/data/tmx14.dtd``). Parsing never resolves entities nor
reaches the network.

Each ``<tu>`` holds an English and a French ``<tuv>``; ``creationid`` is the
editor, ``creationdate`` the time (``YYYYMMDDThhmmssZ``). Properties keep what
TMX has no attribute for: ``x-origin`` (``human`` or ``machine``),
``x-approved`` and one ``x-glossary`` per glossary term the target satisfies
(``source<TAB>target``). A ``<tu>`` without ``x-origin`` (from another tool)
counts as human.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata, resources
from pathlib import Path

from lxml import etree

from ..errors import TranslatorError
from .human_memory import HumanEntry
from ..text.timestamps import Precision, utc_timestamp

__all__ = ["MachineSegment", "TmxError", "TmxMemory", "read_tmx", "tmx_dtd", "write_tmx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCE_LANG = "en"


class TmxError(TranslatorError):
    """A file that is not a TMX 1.4 document this service can read."""


@dataclass(frozen=True)
class MachineSegment:
    """A machine translation of one segment (exported for reference, never imported as human)."""

    lang: str
    source: str
    target: str
    created_at: str  # ISO-8601 UTC


@dataclass
class TmxMemory:
    """What a TMX file holds: human entries and machine segments."""

    human: list[HumanEntry]
    machine: list[MachineSegment]


def _version() -> str:
    try:
        return metadata.version("translator")
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        return "0"


def tmx_dtd() -> etree.DTD:
    """The TMX 1.4 DTD the service checks files against."""
    with resources.files("translator").joinpath("data/tmx14.dtd").open("rb") as handle:
        return etree.DTD(handle)


def _tmx_date(iso: str) -> str:
    """``2024-05-01T12:00:00.000Z`` -> ``20240501T120000Z`` (TMX's form)."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _iso_date(tmx: str | None) -> str:
    """The inverse of :func:`_tmx_date` (now when absent or malformed)."""
    try:
        moment = datetime.strptime(tmx or "", "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        moment = None
    return utc_timestamp(moment, Precision.SECONDS)


def _prop(parent: etree._Element, kind: str, text: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = text


def _tuv(parent: etree._Element, lang: str, text: str) -> None:
    tuv = etree.SubElement(parent, "tuv", {_XML_LANG: lang})
    etree.SubElement(tuv, "seg").text = text


def write_tmx(path: str | Path, human: Iterable[HumanEntry], machine: Iterable[MachineSegment] = ()) -> int:
    """Write a TMX 1.4 file; returns the number of translation units written."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "translator", "creationtoolversion": _version(), "segtype": "sentence",
        "o-tmf": "translator", "adminlang": "en", "srclang": SOURCE_LANG, "datatype": "plaintext",
        "creationdate": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")})
    body = etree.SubElement(root, "body")
    count = 0
    for entry in human:
        tu = etree.SubElement(body, "tu", creationid=entry.editor, creationdate=_tmx_date(entry.created_at))
        _prop(tu, "x-origin", "human")
        _prop(tu, "x-approved", "true" if entry.approved else "false")
        for term in entry.glossary:
            _prop(tu, "x-glossary", f"{term['source']}\t{term['target']}")
        _tuv(tu, SOURCE_LANG, entry.source)
        _tuv(tu, entry.lang, entry.target)
        count += 1
    for segment in machine:
        tu = etree.SubElement(body, "tu", creationid="machine", creationdate=_tmx_date(segment.created_at))
        _prop(tu, "x-origin", "machine")
        _tuv(tu, SOURCE_LANG, segment.source)
        _tuv(tu, segment.lang, segment.target)
        count += 1
    document = etree.ElementTree(root)
    document.docinfo.system_url = "tmx14.dtd"
    document.docinfo.public_id = None
    Path(path).write_bytes(etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                                          doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">'))
    return count


def read_tmx(path: str | Path) -> TmxMemory:
    """Read a TMX 1.4 file (:class:`TmxError` naming the problem when it is not one)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True,
                             huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise TmxError(f"{path}: not a readable XML file ({exc})") from None
    internal = root.getroottree().docinfo.internalDTD
    if internal is not None and (list(internal.entities()) or list(internal.elements())):
        # Entity declarations are how XML bombs and file inclusions arrive; TMX needs none.
        raise TmxError(f"{path}: declares its own DTD (entities); TMX files from CAT tools do not")
    dtd = tmx_dtd()
    if not dtd.validate(root):
        problem = dtd.error_log.filter_from_errors()[:1] or dtd.error_log[:1]
        detail = f"line {problem[0].line}: {problem[0].message}" if problem else "invalid"
        raise TmxError(f"{path}: not a valid TMX 1.4 document ({detail})")
    srclang = (root.find("header").get("srclang") or SOURCE_LANG).lower()
    human: list[HumanEntry] = []
    machine: list[MachineSegment] = []
    for tu in root.iterfind("body/tu"):
        props: dict[str, list[str]] = {}
        for prop in tu.iterfind("prop"):
            props.setdefault(prop.get("type"), []).append(prop.text or "")
        segs = {(tuv.get(_XML_LANG) or "").lower(): "".join(tuv.find("seg").itertext()) for tuv in tu.iterfind("tuv")}
        source = segs.pop(srclang, None)
        if source is None or not segs:
            continue  # no English, or nothing else: not an en->xx unit
        created = _iso_date(tu.get("creationdate") or tu.get("changedate"))
        for lang, target in segs.items():
            lang = lang.split("-")[0]
            if props.get("x-origin", ["human"])[0] == "machine":
                machine.append(MachineSegment(lang, source, target, created))
                continue
            glossary = []
            for term in props.get("x-glossary", []):
                term_source, _, term_target = term.partition("\t")
                glossary.append({"source": term_source, "target": term_target})
            human.append(HumanEntry(lang=lang, source=source, target=target,
                                    editor=tu.get("creationid") or tu.get("changeid") or "tmx",
                                    created_at=created, glossary=glossary,
                                    approved=props.get("x-approved", ["false"])[0] == "true"))
    return TmxMemory(human, machine)
