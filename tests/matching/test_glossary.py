"""The trilingual glossary that lexical bridging consults before the multilingual model."""

from __future__ import annotations

import pytest

from parkbridge.matching.glossary import Glossary, GlossaryError, default_glossary


def _targets(glossary: Glossary, text: str, language: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for hit in glossary.hits(text, language):
        found.setdefault(hit.shown_term, set()).update(hit.targets)
    return found


def test_russian_words_match_in_any_inflection():
    glossary = Glossary([{"en": ["hydrogen"], "ru": ["водород"], "zh": ["氢"]}])
    hits = glossary.hits("Хранение водорода под давлением", "ru")
    assert len(hits) == 1
    assert hits[0].request_terms == {"водород"}
    # A Russian request gains the English and the Chinese terms.
    assert set(hits[0].targets) == {"hydrogen", "氢"}


def test_russian_relatives_match_through_their_base():
    glossary = Glossary(
        [
            {"en": ["hydrogen"], "ru": ["водород"]},
            {"en": ["climate"], "ru": ["климат"]},
            {"en": ["improve"], "ru": ["улучшать"]},
            {"en": ["atmospheric"], "ru": ["атмосферный"]},
        ]
    )
    found = _targets(glossary, "водородные двигатели и климатические модели", "ru")
    assert found == {"водородный": {"hydrogen"}, "климатический": {"climat"}}
    # A noun through a verb, and through an adjective.
    assert _targets(glossary, "улучшение атмосферы", "ru") == {
        "улучшение": {"improv"},
        "атмосфера": {"atmospher"},
    }
    # Short bases are not matched: too many unrelated words share them.
    assert _targets(Glossary([{"en": ["law"], "ru": ["закон"]}]), "законный", "ru") == {
        "законный": {"law"}
    }
    assert _targets(Glossary([{"en": ["sleep"], "ru": ["сон"]}]), "сонный", "ru") == {}


def test_a_dictionary_form_read_otherwise_alone_still_matches_running_text():
    # pymorphy3 reads "данные" alone as the verb "дать", "данных" in a sentence as "данные".
    glossary = Glossary([{"en": ["data"], "ru": ["данные"]}])
    assert _targets(glossary, "анализ данных наблюдений", "ru") == {"данные": {"data"}}


def test_phrases_match_as_whole_term_sequences():
    glossary = Glossary([{"en": ["machine learning"], "ru": ["машинное обучение"]}])
    hits = glossary.hits("методы машинного обучения для химии", "ru")
    assert [(set(hit.request_terms), hit.targets) for hit in hits] == [
        ({"машинный", "обучение"}, ("machin", "learn"))
    ]
    assert glossary.hits("обучение студентов машинной графике", "ru") == []


def test_a_phrase_wins_over_the_words_inside_it():
    glossary = Glossary(
        [
            {"en": ["machine-learning"], "ru": ["машинное обучение"]},
            {"en": ["teaching"], "ru": ["обучение"]},
        ]
    )
    # Hyphenated English terms bring their parts too: abstracts write both.
    assert _targets(glossary, "методы машинного обучения", "ru") == {
        "машинный": {"machine-learn", "machin", "learn"}
    }
    assert _targets(glossary, "обучение студентов", "ru") == {"обучение": {"teach"}}


def test_chinese_forms_match_inside_the_text():
    glossary = Glossary(
        [
            {"en": ["nanomaterials"], "zh": ["纳米材料"]},
            {"en": ["electricity"], "zh": ["电"]},
        ]
    )
    hits = glossary.hits("新型纳米材料的合成", "zh")
    assert [hit.targets for hit in hits] == [("nanomateri",)]
    assert hits[0].shown_term == "纳米材料"
    # One character counts only as a word of its own, not inside "电池" (a battery).
    assert glossary.hits("锂电池", "zh") == []


def test_english_requests_find_the_other_languages_terms():
    glossary = Glossary([{"en": ["hydrogen"], "ru": ["водород"], "zh": ["氢|氢气"]}])
    assert _targets(glossary, "Hydrogen storage", "en") == {"hydrogen": {"водород", "氢", "氢气"}}


def test_files_need_a_language_header_and_matching_columns(tmp_path):
    path = tmp_path / "glossary.tsv"
    path.write_text("en\tru\tzh\nsilicon\tкремний\t硅\nlonely\t\t\n", encoding="utf-8")
    glossary = Glossary.read(path)
    assert len(glossary) == 1  # a row with one language pairs nothing
    assert _targets(glossary, "кремний", "ru") == {"кремний": {"silicon", "硅"}}

    path.write_text("silicon\tкремний\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="first row must name each column's language"):
        Glossary.read(path)
    path.write_text("en\tru\nsilicon\tкремний\t硅\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="line 2: 3 columns, the header names 2"):
        Glossary.read(path)
    with pytest.raises(GlossaryError, match="No such file"):
        Glossary.read(tmp_path / "missing.tsv")


def test_a_parks_own_glossary_joins_the_bundled_one(settings, tmp_path):
    path = tmp_path / "park.tsv"
    path.write_text("ru\ten\nтехнопарк\ttechnopark\n", encoding="utf-8")
    settings.PARKBRIDGE_GLOSSARIES = [str(path)]
    default_glossary.cache_clear()
    try:
        glossary = default_glossary()
        assert "technopark" in _targets(glossary, "технопарк", "ru")["технопарк"]
        assert "hydrogen" in _targets(glossary, "водород", "ru")["водород"]
    finally:
        default_glossary.cache_clear()


def test_the_bundled_glossary_covers_science_terms_in_three_languages():
    glossary = default_glossary()
    assert len(glossary) > 9000
    assert "hydrogen" in _targets(glossary, "водород", "ru")["водород"]
    assert "silicon" in _targets(glossary, "硅片", "zh").get("硅", set()) | _targets(
        glossary, "硅", "zh"
    ).get("硅", set())
    assert "кремний" in _targets(glossary, "silicon", "en")["silicon"]


def test_a_glossary_with_a_mistake_is_reported_before_serving(settings, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    path = tmp_path / "park.tsv"
    path.write_text("ru\ten\nтехнопарк\ttechnopark\textra\n", encoding="utf-8")
    settings.PARKBRIDGE_GLOSSARIES = [str(path)]
    with pytest.raises(SystemCheckError, match="line 2: 3 columns"):
        call_command("check")
    path.write_text("ru\ten\nтехнопарк\ttechnopark\n", encoding="utf-8")
    call_command("check")


def test_combining_halves_of_english_compounds_are_not_counterparts():
    glossary = Glossary([{"en": ["resource-based"], "ru": ["ресурсный"]}])
    assert _targets(glossary, "ресурсный подход", "ru") == {
        "ресурсный": {"resource-bas", "resourc"}
    }


def test_hits_show_the_counterparts_forms_not_their_index_pieces():
    glossary = Glossary([{"en": ["proton exchange membrane"], "zh": ["质子交换膜"]}])
    (hit,) = glossary.hits("proton exchange membrane fuel cells", "en")
    assert "交换" in hit.targets
    assert set(hit.target_forms) == {"质子交换膜"}
