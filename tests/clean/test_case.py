"""Case restoration of lower-cased and ALL-CAPS text, possessive apostrophes, unpunctuated sentences."""

import gzip
from pathlib import Path

import pytest

from warlog.assets import sample_corpus_dir
from warlog.clean import case as case_mod
from warlog.clean import clean_text
from warlog.clean.case import CaseTableError, restore_case, truecase
from warlog.extract.actors import find_actors
from warlog.extract.sentences import split_sentences

LOWER = ("syrian government forces shelled eastern ghouta on tuesday, killing 12 civilians, the syrian observatory "
         "for human rights said. the us-led coalition and the sdf may march on raqqa in may 2018.")


def test_lower_document_restored_same_length() -> None:
    out, info = restore_case(LOWER)
    assert len(out) == len(LOWER) and out.lower() == LOWER
    assert info.style == "lower" and info.lines_lower == 1
    assert out.startswith("Syrian government forces shelled eastern Ghouta on Tuesday")  # as the Guardian writes it
    assert "the Syrian Observatory for Human Rights said. The US-led coalition and the SDF may march on Raqqa in May 2018" in out


def test_upper_line_restored_acronyms_kept() -> None:
    src = "BEIRUT (REUTERS) - ISLAMIC STATE FIGHTERS KILLED 20 SOLDIERS IN DEIR EZ-ZOR PROVINCE, THEY TOLD US.\nRebels said so."
    out, info = restore_case(src)
    assert out.startswith("Beirut (Reuters) - Islamic State fighters killed 20 soldiers in Deir ez-Zor province, they told us.")
    assert out.endswith("\nRebels said so.") and info.lines_upper == 1


def test_well_cased_text_untouched() -> None:
    for p in sorted(sample_corpus_dir().glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        assert restore_case(text)[0] == text, p.name


def test_header_line_of_a_lower_cased_archive_kept() -> None:
    src = "This story is from March 10, 2002\n" + LOWER
    out, info = restore_case(src)
    assert out.startswith("This story is from March 10, 2002\nSyrian government") and info.style == "lower"


def test_no_new_places_from_common_words() -> None:
    """Common words that are also place names elsewhere ("bath", "reading", "sparks", "dome", "mobile", "nice",
    "split", "orange", "police", "mission") stay lower-case, so the NER and the gazetteer never see a place."""
    words = ["bath", "reading", "sparks", "dome", "mobile", "nice", "split", "orange", "police", "mission", "march",
             "may", "aid", "bar", "hope", "independence", "union", "enterprise", "university"]
    text = "the " + " and the ".join(words) + " were there on the day."
    out = truecase(text)
    assert out == "The " + " and the ".join(words) + " were there on the day."


def test_lower_cased_archive_gives_the_places_of_the_original(tmp_path: Path) -> None:
    from warlog.data import Article, Doc
    from warlog.pipeline.default import default_pipeline

    src = ("Police fired tear gas at protesters in Mumbai on Friday, killing two men, and the mission said the "
           "march would go on. Reading the police statement at the bath house, a spokesman said sparks flew.")
    pipe = default_pipeline()
    places = []
    for text in (src, src.lower()):
        (doc,) = pipe.run_batch([Doc(article=Article(text, "t.txt", text))])
        places.append(sorted({e.place.name for e in doc.events if e.place}))
    assert places[0] == places[1]


def test_possessives_restored_only_where_apostrophes_were_stripped() -> None:
    text = ("The Houthis said Syrias army and the UN childrens fund met in Turkeys capital while the countrys Kurds "
            "and Hamas fighters and Syrians watched the turkeys at Assads palace where Idlibs residents had gathered")
    out = clean_text(text).text
    assert out == ("The Houthis said Syria's army and the UN children's fund met in Turkey's capital while the country's "
                   "Kurds and Hamas fighters and Syrians watched the turkeys at Assad's palace where Idlib's residents "
                   "had gathered")
    with_apostrophe = text + " in the town’s centre."
    assert "Syrias army" in clean_text(with_apostrophe).text  # apostrophes present: the text says "Syrias"


def test_unpunctuated_text_splits_into_sentences() -> None:
    t = ("Syrian government forces shelled the town on Tuesday killing 12 civilians including four children the "
         "observatory said The attack came a day after rebels seized two villages near the highway and pressed on "
         "toward the city Residents fled north toward the border with Turkey where camps are already full and aid "
         "agencies say they cannot cope The Free Syrian Army said it would fight on")
    sents = [s.text(t) for s in split_sentences(t)]
    assert [s.split()[0] for s in sents] == ["Syrian", "The", "Residents", "The"]
    assert sents[-1].startswith("The Free Syrian Army")


def test_acronym_aliases_match_in_house_style() -> None:
    assert [h.entry.name for h in find_actors("Isis fighters attacked the town")][:1] == ["Islamic State (Syria)"]


def test_corrupt_table_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "truecase.tsv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as fh:
        fh.write("syria\tSyria\tmany\n")
    monkeypatch.setattr(case_mod, "asset_path", lambda name: bad)
    case_mod._tables.cache_clear()
    try:
        with pytest.raises(CaseTableError, match="line 1") as exc:
            case_mod._tables()
        assert str(bad) in str(exc.value)
        bad.write_bytes(b"not gzip")
        case_mod._tables.cache_clear()
        with pytest.raises(CaseTableError, match="cannot read"):
            case_mod._tables()
    finally:
        monkeypatch.undo()
        case_mod._tables.cache_clear()
