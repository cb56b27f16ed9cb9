"""TMX 1.4 export and import: a round trip into a fresh store, and the file is valid TMX."""

from __future__ import annotations

import pytest
from lxml import etree

from translator.editorial.human_memory import HumanEntry
from translator.editorial.tmx import MachineSegment, TmxError, read_tmx, tmx_dtd, write_tmx

ENTRIES = [
    HumanEntry("fr", "Vladimir Putin spoke on Monday.", "Vladimir Poutine s’est exprimé lundi.", "desk",
               "2026-12-01T10:00:00Z", [{"source": "Vladimir Putin", "target": "Vladimir Poutine"}]),
    HumanEntry("fr", "Prices rose 3.5 percent.", "Les prix ont augmenté de 3,5\u00a0%.", "night-desk",
               "2026-12-01T11:30:05Z", approved=True),
    HumanEntry("fr", "A & B <said> \"no\" ]]>", "A & B <ont dit> « non » ]]>", "desk", "2026-12-01T12:00:00Z"),
]


def test_round_trip_and_valid_against_the_dtd(tmp_path):
    path = tmp_path / "memory.tmx"
    machine = [MachineSegment("fr", "The vote is delayed.", "Le vote est reporté.", "2026-12-01T09:00:00Z")]
    assert write_tmx(path, ENTRIES, machine) == 4
    document = etree.parse(str(path))
    assert tmx_dtd().validate(document), tmx_dtd().error_log
    assert document.getroot().get("version") == "1.4"
    assert document.docinfo.system_url == "tmx14.dtd"
    read = read_tmx(path)
    assert read.human == ENTRIES
    assert read.machine == machine


def test_units_from_other_tools_count_as_human(tmp_path):
    path = tmp_path / "cat.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="cat" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-US" srclang="en-US" '
        'datatype="plaintext"/><body><tu changeid="marie" changedate="20261130T080000Z">'
        '<tuv xml:lang="en-US"><seg>Good morning.</seg></tuv><tuv xml:lang="fr-FR"><seg>Bonjour.</seg></tuv>'
        "</tu></body></tmx>", encoding="utf-8")
    assert read_tmx(path).human == [HumanEntry("fr", "Good morning.", "Bonjour.", "marie", "2026-11-30T08:00:00Z")]


@pytest.mark.parametrize("content", [
    "not xml at all",
    '<?xml version="1.0"?><tmx version="1.4"><body/></tmx>',  # no header
    '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY e SYSTEM "file:///etc/passwd">]><tmx version="1.4">'
    '<header creationtool="a" creationtoolversion="1" segtype="sentence" o-tmf="a" adminlang="en" srclang="en" '
    'datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>&e;</seg></tuv></tu></body></tmx>',
])
def test_invalid_files_are_refused_with_one_message(tmp_path, content):
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TmxError, match="bad.tmx"):
        read_tmx(path)
