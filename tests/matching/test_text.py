from __future__ import annotations

from parkbridge.matching.text import chunk_text, sentences, tokenize


def test_russian_words_become_lemmas():
    terms = tokenize("Водородных топливных элементов для беспилотников", "ru")
    assert terms == ["водородный", "топливный", "элемент", "беспилотник"]
    # Different inflections of the same word meet in one index term.
    assert set(tokenize("топливный элемент", "ru")) == set(tokenize("топливными элементами", "ru"))


def test_chinese_is_segmented_for_search():
    terms = tokenize("为物流无人机开发轻量化氢燃料电池系统", "zh")
    assert {"无人机", "燃料电池", "物流"} <= set(terms)
    assert "为" not in terms  # a function word


def test_english_and_german_are_stemmed():
    assert tokenize("Welding of aluminium cells", "en") == ["weld", "aluminium", "cell"]
    assert "wasserstoff" in tokenize("Wasserstoff für Drohnen", "de")


def test_mixed_scripts_are_handled_word_by_word():
    terms = tokenize("Электролизёры PEM и SiC-модули 氢能", "ru")
    assert "электролизёр" in terms or "электролизер" in terms
    assert "pem" in terms and "sic-modul" not in terms
    assert "氢能" in terms


def test_sentences_split_at_latin_and_chinese_stops():
    assert sentences("First one. Second one! 第三句。第四句？") == [
        "First one.",
        "Second one!",
        "第三句。",
        "第四句？",
    ]


def test_chunks_respect_the_limit_and_keep_all_words():
    text = " ".join(f"Sentence number {n} talks about hydrogen storage." for n in range(40))
    count = lambda part: len(part.split())  # noqa: E731
    chunks = chunk_text(text, max_tokens=30, count_tokens=count)
    assert len(chunks) > 1
    assert all(count(chunk) <= 30 for chunk in chunks)
    assert " ".join(chunks).split() == text.split()


def test_a_sentence_longer_than_the_limit_is_split():
    long_sentence = "word " * 100
    chunks = chunk_text(long_sentence, max_tokens=10, count_tokens=lambda p: len(p.split()))
    assert all(len(chunk.split()) <= 10 for chunk in chunks)
    assert sum(len(chunk.split()) for chunk in chunks) == 100
    chinese = "氢" * 50
    pieces = chunk_text(chinese, max_tokens=20, count_tokens=len)
    assert "".join(pieces) == chinese and all(len(piece) <= 20 for piece in pieces)


def test_short_and_empty_texts():
    assert chunk_text("Short.", max_tokens=10, count_tokens=len) == ["Short."]
    assert chunk_text("   ", max_tokens=10, count_tokens=len) == []
