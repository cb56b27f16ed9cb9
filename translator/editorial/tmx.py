"""TMX 1.4: the translation-memory exchange format, for editors' CAT tools.

:func:`write_tmx` writes human entries (and, optionally, machine segments of
stored translations) as a TMX 1.4 document built with lxml; :func:`iter_tmx`
reads one back as a stream, each unit checked against the TMX 1.4 DTD shipped
with the package (``translator/data/tmx14.dtd``), so a file of any size is
read in the memory of one unit. Parsing never resolves entities nor
reaches the network.

Each ``<tu>`` holds an English and a French ``<tuv>``; ``creationid`` is the
editor, ``creationdate`` the time (``YYYYMMDDThhmmssZ``). Properties keep what
TMX has no attribute for: ``x-origin`` (``human`` or ``machine``),
``x-approved`` and one ``x-glossary`` per glossary term the target satisfies
(``source<TAB>target``). A ``<tu>`` without ``x-origin`` (from another tool)
counts as human.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata, resources
from pathlib import Path

from lxml import etree

from ..errors import TranslatorError
from .human_memory import HumanEntry
from ..text.timestamps import Precision, utc_timestamp

__all__ = ["MachineSegment", "TmxError", "TmxMemory", "iter_tmx", "read_tmx", "tmx_dtd", "write_tmx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MB = 1024 * 1024
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


def _invalid(dtd: etree.DTD, element: etree._Element) -> str | None:
    """Why ``element`` (a ``header`` or a ``tu``, validated alone) breaks the TMX 1.4 DTD, None when it
    does not. A subtree validated alone carries an ``xmlns:xml`` attribute the DTD does not declare:
    that one is not the file's fault."""
    if dtd.validate(element):
        return None
    for error in dtd.error_log.filter_from_errors():
        if "xmlns:xml" not in error.message:
            return f"line {element.sourceline}: {error.message}"
    return None


def _unit_items(tu: etree._Element, srclang: str) -> Iterator[HumanEntry | MachineSegment]:
    """The human entries and machine segments of one ``<tu>``."""
    props: dict[str, list[str]] = {}
    for prop in tu.iterfind("prop"):
        props.setdefault(prop.get("type"), []).append(prop.text or "")
    segs = {(tuv.get(_XML_LANG) or "").lower(): "".join(tuv.find("seg").itertext()) for tuv in tu.iterfind("tuv")}
    source = segs.pop(srclang, None)
    if source is None or not segs:
        return  # no English, or nothing else: not an en->xx unit
    created = _iso_date(tu.get("creationdate") or tu.get("changedate"))
    for lang, target in segs.items():
        lang = lang.split("-")[0]
        if props.get("x-origin", ["human"])[0] == "machine":
            yield MachineSegment(lang, source, target, created)
            continue
        glossary = []
        for term in props.get("x-glossary", []):
            term_source, _, term_target = term.partition("\t")
            glossary.append({"source": term_source, "target": term_target})
        yield HumanEntry(lang=lang, source=source, target=target,
                         editor=tu.get("creationid") or tu.get("changeid") or "tmx",
                         created_at=created, glossary=glossary,
                         approved=props.get("x-approved", ["false"])[0] == "true")


def iter_tmx(path: str | Path, *, max_bytes: int | None = None) -> Iterator[HumanEntry | MachineSegment]:
    """The units of a TMX 1.4 file, read as a stream (``iterparse``: each ``<tu>`` is checked against the
    DTD, turned into entries and dropped, so memory does not grow with the file).

    :class:`TmxError` naming the problem for a file larger than ``max_bytes``, one that is not XML, that
    declares its own DTD, or whose header or a unit breaks TMX 1.4, possibly after entries were yielded:
    a caller that must be all-or-nothing writes them in one transaction it abandons on that error.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TmxError(f"{path}: not a readable file ({exc})") from None
    if max_bytes is not None and size > max_bytes:
        raise TmxError(f"{path}: {size / _MB:.1f} MB, above the import limit of {max_bytes / _MB:g} MB "
                       "(TRANSLATOR_TMX_MAX_MB): split it, or raise the limit")
    dtd = tmx_dtd()
    srclang = None
    events = etree.iterparse(str(path), events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_blank_text=True)
    try:
        for event, element in events:
            if event == "start":
                if srclang is None and element.getparent() is None:
                    _check_root(path, element)
                    srclang = ""
                continue
            parent = element.getparent()
            if element.tag == "header" and parent is not None and parent.getparent() is None:
                problem = _invalid(dtd, element)
                if problem is not None:
                    raise TmxError(f"{path}: not a valid TMX 1.4 document ({problem})")
                srclang = (element.get("srclang") or SOURCE_LANG).lower()
            elif parent is not None and parent.tag == "body" and parent.getparent() is not None \
                    and parent.getparent().getparent() is None:
                if not srclang:
                    raise TmxError(f"{path}: not a valid TMX 1.4 document (line {element.sourceline}: "
                                   "the body comes before the header)")
                problem = _invalid(dtd, element) if element.tag == "tu" else \
                    f"line {element.sourceline}: <{element.tag}> in <body>, where only <tu> may be"
                if problem is not None:
                    raise TmxError(f"{path}: not a valid TMX 1.4 document ({problem})")
                yield from _unit_items(element, srclang)
                element.clear()  # the unit is done: keep the tree (and the memory) flat
                while element.getprevious() is not None:
                    del parent[0]
            elif parent is None and (not srclang or element.get("version") is None):
                raise TmxError(f"{path}: not a valid TMX 1.4 document (no header, or no version)")
    except etree.XMLSyntaxError as exc:
        raise TmxError(f"{path}: not a readable XML file ({exc})") from None


def _check_root(path: Path, root: etree._Element) -> None:
    internal = root.getroottree().docinfo.internalDTD
    if internal is not None and (list(internal.entities()) or list(internal.elements())):
        # Entity declarations are how XML bombs and file inclusions arrive; TMX needs none.
        raise TmxError(f"{path}: declares its own DTD (entities); TMX files from CAT tools do not")
    if root.tag != "tmx":
        raise TmxError(f"{path}: not a valid TMX 1.4 document (the root is <{root.tag}>, not <tmx>)")


def read_tmx(path: str | Path, *, max_bytes: int | None = None) -> TmxMemory:
    """Read a whole TMX 1.4 file (:func:`iter_tmx`; :class:`TmxError` naming the problem when it is not one)."""
    memory = TmxMemory([], [])
    for item in iter_tmx(path, max_bytes=max_bytes):
        (memory.human if isinstance(item, HumanEntry) else memory.machine).append(item)
    return memory
