"""``translator glossary ...`` and the glossary options of ``translator translate``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli_helpers import run_in_process
from translator.cli import main
from translator.glossary import Glossary

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "glossary" / "en-fr.tsv"

BROKEN = (
    "# a comment\n"
    "Vladimir Putin\tVladimir Poutine\n"
    "\n"
    "Beijing\tPékin\tci\textra\n"          # 4: four columns
    "\tvide\n"                              # 5: empty source
    "Kyiv \tKiev\n"                         # 6: trailing space
    "Pu\x07tin\tPoutine\n"                  # 7: control character
    "Port Louis\tPort-Louis\n"
    "Port Louis\tPort Louis\n"              # 9: same source, another target
    "NATO\tOTAN\tcs\n"                      # 10: unknown flag
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str, env: dict | None = None, input: str | None = None):
    return runner.invoke(main, list(args), env={"TRANSLATOR_GLOSSARY": None, **(env or {})}, input=input)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_the_starter_glossary(runner):
    result = invoke(runner, "glossary", "validate", str(STARTER))
    assert result.exit_code == 0, result.output
    count = len(Glossary.from_tsv(STARTER))
    assert count >= 600
    assert result.stdout == f"{STARTER}: OK, {count} entries, version {Glossary.from_tsv(STARTER).version}\n"
    # French forms that are ordinary French words are flagged, without failing.
    assert [line.split(": warning: ")[1].split(" is ")[0] for line in result.stderr.splitlines()] == [
        "French form 'Canton'", "French form 'Vienne'"]


def test_validate_reports_every_problem_with_its_line(runner, tmp_path):
    path = write(tmp_path / "broken.tsv", BROKEN)
    result = invoke(runner, "glossary", "validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:4: expected 2 or 3 tab-separated columns (source, target, flags), found 4",
        f"{path}:5: empty source term",
        f"{path}:6: leading or trailing spaces in source term 'Kyiv '",
        f"{path}:7: control character in source term 'Pu\\x07tin'",
        f"{path}:9: source 'Port Louis' already has target 'Port-Louis' at line 8; here it has 'Port Louis'",
        f"{path}:10: unknown flag(s) cs (known: ci)",
    ]


def test_validate_uses_the_configured_glossary_by_default(runner, tmp_path):
    path = write(tmp_path / "g.tsv", "Putin\tPoutine\n")
    result = invoke(runner, "glossary", "validate", env={"TRANSLATOR_GLOSSARY": str(path)})
    assert result.exit_code == 0
    assert result.output.startswith(f"{path}: OK, 1 entries")


def test_validate_a_missing_file(runner, tmp_path):
    result = invoke(runner, "glossary", "validate", str(tmp_path / "nope.tsv"))
    assert result.exit_code == 1
    assert result.stdout == f"{tmp_path / 'nope.tsv'}:0: cannot read file: No such file or directory\n"


def test_list(runner, tmp_path):
    path = write(tmp_path / "g.tsv", "Putin\tPoutine\nReuters\tReuters\nPort Louis\tPort-Louis\tci\n")
    result = invoke(runner, "glossary", "list", str(path))
    assert result.output == "Putin\tPoutine\nReuters\t=\nPort Louis\tPort-Louis\tci\n"
    as_json = json.loads(invoke(runner, "glossary", "list", str(path), "--json").output)
    assert as_json["version"] == Glossary.from_tsv(path).version
    assert as_json["entries"][2] == {"source": "Port Louis", "target": "Port-Louis", "flags": ["ci"]}


def test_list_of_a_malformed_file_is_one_clear_error(runner, tmp_path):
    path = write(tmp_path / "g.tsv", BROKEN)
    result = invoke(runner, "glossary", "list", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}:4: expected 2 or 3 tab-separated columns")


def test_export_in_deepl_tsv_and_csv(runner, tmp_path):
    path = write(tmp_path / "g.tsv", 'Putin\tPoutine\nAT&T, "Inc"\tAT&T, "Inc"\nPort Louis\tPort-Louis\tci\n')
    tsv = invoke(runner, "glossary", "export", str(path))
    assert tsv.stdout == 'Putin\tPoutine\nAT&T, "Inc"\tAT&T, "Inc"\nPort Louis\tPort-Louis\n'
    assert tsv.stderr == "note: 1 entries lost their flags (DeepL glossaries have none)\n"
    exported = invoke(runner, "glossary", "export", str(path), "--format", "csv").stdout
    assert list(csv.reader(io.StringIO(exported))) == [
        ["Putin", "Poutine", "en", "fr"], ['AT&T, "Inc"', 'AT&T, "Inc"', "en", "fr"],
        ["Port Louis", "Port-Louis", "en", "fr"]]


def test_export_then_import_round_trips(runner, tmp_path):
    for fmt in ("tsv", "csv"):
        exported = tmp_path / f"deepl.{fmt}"
        invoke(runner, "glossary", "export", str(STARTER), "--format", fmt, "-o", str(exported))
        fresh = tmp_path / f"fresh-{fmt}.tsv"
        result = invoke(runner, "glossary", "import", str(exported), "--into", str(fresh))
        assert result.exit_code == 0, result.output
        count = len(Glossary.from_tsv(STARTER))
        assert result.output == f"{fresh}: {count} added, 0 updated, 0 unchanged\n"
        assert ([(e.source, e.target) for e in Glossary.from_tsv(fresh)]
                == [(e.source, e.target) for e in Glossary.from_tsv(STARTER)])


def test_import_merges_and_keeps_comments(runner, tmp_path):
    glossary = write(tmp_path / "g.tsv", "# mine\nPutin\tPoutine\tci\nBeijing\tPékin\n")
    deepl = write(tmp_path / "new.csv", 'Putin,Poutine,EN,FR\nKyiv,Kiev,en,fr\n"Côte d\'Ivoire, la",Côte\n')
    result = invoke(runner, "glossary", "import", str(deepl), "--into", str(glossary))
    assert result.exit_code == 0, result.output
    assert result.output == f"{glossary}: 2 added, 0 updated, 1 unchanged\n"
    lines = glossary.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["# mine", "Putin\tPoutine\tci", "Beijing\tPékin"]
    assert lines[-2:] == ["Kyiv\tKiev", "Côte d'Ivoire, la\tCôte"]
    assert lines[-3].startswith("# imported from new.csv on ")


def test_import_conflicts_need_replace(runner, tmp_path):
    glossary = write(tmp_path / "g.tsv", "Putin\tPoutine\tci\nBeijing\tPékin\n")
    deepl = write(tmp_path / "new.tsv", "Beijing\tBeijing\n")
    result = invoke(runner, "glossary", "import", str(deepl), "--into", str(glossary))
    assert result.exit_code == 1
    assert result.stderr == (f"conflict: 'Beijing' is 'Pékin' in {glossary}, 'Beijing' in {deepl}\n"
                             "error: 1 conflict(s); nothing imported (use --replace to overwrite)\n")
    assert glossary.read_text(encoding="utf-8") == "Putin\tPoutine\tci\nBeijing\tPékin\n"
    result = invoke(runner, "glossary", "import", str(deepl), "--into", str(glossary), "--replace")
    assert result.output == f"{glossary}: 0 added, 1 updated, 0 unchanged\n"
    assert glossary.read_text(encoding="utf-8") == "Putin\tPoutine\tci\nBeijing\tBeijing\n"


def test_import_reports_bad_lines_and_imports_nothing(runner, tmp_path):
    glossary = write(tmp_path / "g.tsv", "Putin\tPoutine\n")
    deepl = write(tmp_path / "new.tsv", "Kyiv\tKiev\nno tab here\nOdesa\tOdessa\tx\n#tag\t#tag\nKyiv\tKyiv\n")
    result = invoke(runner, "glossary", "import", str(deepl), "--into", str(glossary))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{deepl}:2: expected 2 tab-separated columns, found 1",
        f"{deepl}:3: expected 2 tab-separated columns, found 3",
        f"{deepl}:4: source term '#tag' starts with '#', which the glossary file reads as a comment",
        f"{deepl}:5: source 'Kyiv' already has target 'Kiev' at line 1; here it has 'Kyiv'",
        f"error: {deepl}: 4 problem(s); nothing imported",
    ]
    assert glossary.read_text(encoding="utf-8") == "Putin\tPoutine\n"


def test_import_csv_with_another_language_pair_is_refused(runner, tmp_path):
    deepl = write(tmp_path / "de.csv", "Putin,Putin,en,de\n")
    result = invoke(runner, "glossary", "import", str(deepl), "--into", str(tmp_path / "g.tsv"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{deepl}:1: language pair en->de is not en->fr"


# -- translate with the glossary -----------------------------------------------------------------

def test_translate_with_a_malformed_glossary_fails_before_loading_the_model(runner, tmp_path):
    path = write(tmp_path / "g.tsv", "Putin\tPoutine\nPutin\n")
    result = invoke(runner, "translate", env={"TRANSLATOR_GLOSSARY": str(path),
                                              "TRANSLATOR_MODEL": str(tmp_path / "no-model")}, input="Putin.")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {path}:2: expected 2 or 3 tab-separated columns "
                             f"(source, target, flags), found 1\n")


def test_translate_term_must_be_source_equals_target(runner, tmp_path):
    result = invoke(runner, "translate", "--term", "Putin", env={"TRANSLATOR_MODEL": str(tmp_path)}, input="x")
    assert result.exit_code == 1
    assert result.stderr == "error: --term 'Putin': expected SOURCE=TARGET\n"


def run_cli(*args: str, env: dict, stdin: str) -> subprocess.CompletedProcess:
    return run_in_process(args, env={**os.environ, "HF_HUB_OFFLINE": "1", **env}, stdin=stdin)


def test_translate_json_reports_the_glossary_and_no_glossary_turns_it_off(tiny_model_dir, tmp_path):
    env = {"TRANSLATOR_MODEL": str(tiny_model_dir), "TRANSLATOR_DATA_DIR": str(tmp_path),
           "TRANSLATOR_THREADS": "1", "TRANSLATOR_BACKEND": "torch"}
    stdin = "Vladimir Putin told Reuters about Kryvyi Rih.\n\nRoger Stone spoke."
    result = run_cli("translate", "--json", "--term", "Roger Stone=Roger Stone", env=env, stdin=stdin)
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)
    glossary = Glossary.from_tsv(STARTER)
    assert item["glossary_version"] == glossary.with_entries([("Roger Stone", "Roger Stone")]).version
    reported = item["glossary"]["applied"] + item["glossary"]["missed"]
    assert sorted(r["source"] for r in reported) == ["Kryvyi Rih", "Reuters", "Roger Stone", "Vladimir Putin"]
    for applied in item["glossary"]["applied"]:
        french = item["paragraphs"][applied["paragraph"]]
        assert french[applied["target_start"]:applied["target_end"]] == applied["target"]
        english = stdin.split("\n\n")[applied["paragraph"]]
        assert english[applied["start"]:applied["end"]] == applied["source"]

    result = run_cli("translate", "--json", "--no-glossary", env=env, stdin=stdin)
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)
    assert item["glossary"] == {"applied": [], "missed": [], "unlisted": []}
    assert item["glossary_version"] == ""


def test_import_from_stdin_needs_the_format(runner, tmp_path):
    glossary = tmp_path / "g.tsv"
    result = invoke(runner, "glossary", "import", "-", "--format", "csv", "--into", str(glossary),
                    input='"Kim Jong Un","Kim Jong-un"\n')
    assert result.exit_code == 0, result.output
    assert glossary.read_text(encoding="utf-8").splitlines()[-1] == "Kim Jong Un\tKim Jong-un"


def test_suggest_counts_unlisted_names_across_articles(runner, tmp_path):
    glossary = write(tmp_path / "g.tsv", "Vladimir Putin\tVladimir Poutine\nKyiv\tKiev\n")
    write(tmp_path / "a.txt", "Talks in Kyiv\n\nThe Kremlin said Vladimir Putin met North Korea's envoy. "
                              "Officials said North Korea denied it.")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "x", "title": "North Korea fires",
                                                  "body": "The Kyiv School of Economics said so."}) + "\n",
                                      encoding="utf-8")
    result = invoke(runner, "glossary", "suggest", str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl"),
                    "--glossary", str(glossary))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["3\t2\tNorth Korea", "1\t1\tKremlin", "1\t1\tKyiv School of Economics"]
    result = invoke(runner, "glossary", "suggest", str(tmp_path / "a.txt"), "--glossary", str(glossary),
                    "--min-count", "2", "--json")
    assert json.loads(result.stdout) == [{"name": "North Korea", "count": 2, "articles": 1}]


def test_suggest_reads_a_directory_of_text_and_html_articles(runner, tmp_path):
    glossary = write(tmp_path / "g.tsv", "Kyiv\tKiev\n")
    archive = tmp_path / "archive"
    (archive / "2026").mkdir(parents=True)
    write(archive / "2026" / "a.txt", "Officials in Kyiv said North Korea denied it.")
    write(archive / "2026" / "b.html", "<html><head><title>ignored</title></head><body>"
                                       "<h1>North Korea fires a missile</h1>"
                                       "<p>The <a href='https://example.org'>Bank of Mauritius</a> said so.</p>"
                                       "<script>var Hidden = 'Not A Name';</script></body></html>")
    write(archive / "notes.csv", "Ignored Name,1\n")
    result = invoke(runner, "glossary", "suggest", str(archive), "--glossary", str(glossary))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["2\t2\tNorth Korea", "1\t1\tBank of Mauritius"]


def test_suggest_refuses_a_directory_without_articles(runner, tmp_path):
    glossary = write(tmp_path / "g.tsv", "Kyiv\tKiev\n")
    (tmp_path / "empty").mkdir()
    result = invoke(runner, "glossary", "suggest", str(tmp_path / "empty"), "--glossary", str(glossary))
    assert result.exit_code != 0
    assert "no article files (.txt, .md, .jsonl, .html, .htm) in this directory" in result.output


def test_csv_export_neutralises_formulas(tmp_path):
    from translator.glossary.entries import GlossaryEntry
    from translator.glossary.files import dump_deepl

    entries = [GlossaryEntry("Evil Corp", '=HYPERLINK("http://x.example","click")'), GlossaryEntry("+SAFE", "-1"),
               GlossaryEntry("@handle", "@handle"), GlossaryEntry("Port Louis", "Port-Louis")]
    assert dump_deepl(entries, "csv").splitlines() == [
        'Evil Corp,"\'=HYPERLINK(""http://x.example"",""click"")",en,fr', "'+SAFE,'-1,en,fr",
        "'@handle,'@handle,en,fr", "Port Louis,Port-Louis,en,fr"]
    assert dump_deepl(entries[3:], "tsv") == "Port Louis\tPort-Louis\n"


def test_importing_8000_entries_takes_linear_work(tmp_path, monkeypatch):
    """Each imported entry is compared with the few of its bucket, not with the whole file."""
    import translator.glossary.files as files
    from translator.glossary.entries import GlossaryEntry

    calls = []
    real = files.same_source
    monkeypatch.setattr(files, "same_source", lambda a, b: calls.append(1) or real(a, b))
    path = tmp_path / "g.tsv"
    report = files.merge_into_tsv(path, [GlossaryEntry(f"Name {i}", f"Nom {i}") for i in range(8000)])
    assert len(report.added) == 8000 and len(calls) == 0
    again = files.merge_into_tsv(path, [GlossaryEntry(f"Name {i}", f"Nom {i}") for i in range(8000)])
    assert len(again.unchanged) == 8000 and len(calls) == 8000   # one comparison each
