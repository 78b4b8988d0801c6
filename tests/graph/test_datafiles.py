"""Every seeds file loads and agrees with the others; a bad row is named by file and line."""

import shutil

import pytest

from graph import SEEDS_DIR
from graph.actors.gazetteer import Gazetteer
from graph.datafile import DataFileError
from graph.extract.lexicon import Lexicon
from graph.extract.modality import ModalityTable
from graph.ontology import PLOVER_TYPES, Codebook, load_codebook


def test_codebook_is_complete():
    codebook = load_codebook()
    roots = {entry.root for entry in codebook}
    assert roots == {f"{n:02d}" for n in range(1, 21)}
    assert codebook.get("062").plover == "COOPERATE" and codebook.get("062").quad_class == 2
    assert codebook.get("190").quad_class == 4 and codebook.get("111").quad_class == 3
    assert codebook.get("042").quad_class == 1 and codebook.get("042").goldstein == 1.9
    assert {entry.plover for entry in codebook if entry.plover} == set(PLOVER_TYPES)
    assert all(isinstance(entry.code, str) for entry in codebook)


def test_lexicon_covers_every_root_with_codable_codes():
    codebook = load_codebook()
    lexicon = Lexicon.from_file(SEEDS_DIR / "lexicon.tsv", codebook)
    assert {rule.code[:2] for rule in lexicon.rules} == {f"{n:02d}" for n in range(1, 21)}
    assert all(codebook.get(rule.code).plover for rule in lexicon.rules)
    assert all(rule.name.startswith(f"{rule.pos}:{rule.lemma}") for rule in lexicon.rules)


def test_gazetteer_loads_and_phrases_are_unambiguous():
    gazetteer = Gazetteer(SEEDS_DIR)
    assert len(gazetteer.countries) >= 190
    assert gazetteer.country_actor("NER", "GOV").code == "NERGOV"
    assert gazetteer.actor_for_code("IGOUNO").id == "un"
    seen = {}
    for pattern in gazetteer.patterns():
        key = (pattern.phrase if pattern.exact else pattern.phrase.casefold(), pattern.exact)
        assert seen.setdefault(key, pattern.mention) == pattern.mention


def test_modality_table_loads():
    table = ModalityTable.from_files(
        SEEDS_DIR / "modality.tsv", SEEDS_DIR / "codebook" / "modality_codes.tsv", load_codebook()
    )
    assert table.recode("threaten", "163") == "1312"
    assert table.recode("promise", "072") == "0332"
    assert table.recode("promise", "190") == "138"  # a hostile promise is a threat
    assert table.recode("refuse", "046") == "125"


@pytest.fixture
def seeds_copy(tmp_path):
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


def append(path, line):
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def test_bad_codebook_row_names_file_and_line(seeds_copy):
    path = seeds_copy / "codebook" / "cameo.tsv"
    append(path, "999\tNot a code\t0\t\t")
    lines = len(path.read_text().splitlines())
    with pytest.raises(DataFileError, match=rf"cameo.tsv:{lines}: '999' is not a CAMEO code"):
        Codebook.from_file(path)


def test_bad_lexicon_rows_are_refused(seeds_copy):
    path = seeds_copy / "lexicon.tsv"
    append(path, "010\tverb\tsay\t\t\tdobj\t\t")
    with pytest.raises(DataFileError, match="has no PLOVER type"):
        Lexicon.from_file(path, load_codebook())


@pytest.mark.parametrize(
    ("file", "line", "message"),
    [
        ("countries.tsv", "NER\tNiger again\t\t\t\t", "listed twice"),
        ("groups.tsv", "x\tX\tNERREBX\tZZZ\tREB\t\t", "unknown country 'ZZZ'"),
        ("leaders.tsv", "a-b\tA B\t\tNER\tGOV\tPresident\t2024-02-30\t\t", "not a YYYY-MM-DD date"),
        ("metonyms.tsv", "Niger\tNERGOV\t", "already names country:NER"),
        ("sectors.tsv", "warlord\tXXX\tgroup\t", "unknown sector 'XXX'"),
    ],
)
def test_bad_gazetteer_rows_name_file_and_line(seeds_copy, file, line, message):
    path = seeds_copy / file
    append(path, line)
    lines = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(DataFileError, match=rf"{file}:{lines}: .*{message}"):
        Gazetteer(seeds_copy)
