"""Language-aware text handling for lexical search: words, lemmas, stems; and chunking.

Russian words are lemmatised with pymorphy3 (its dictionary knows the inflections that a
stemmer cuts badly), Chinese is segmented with jieba's search mode, and the other languages
with a Snowball stemmer (PyStemmer) where there is one. Languages are ISO 639-1 codes.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable

WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

SNOWBALL = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "sv": "swedish",
    "tr": "turkish",
}

# Function words that carry no topic; BM25 weights them low anyway, but they bloat the index.
_STOPWORD_TEXT = {
    "en": "a an and are as at be by for from has have in into is it its of on or that the their "
    "this to was were which with we our will can",
    "ru": "и в во на по с со к ко о об от до из за для при не что это как а но или ли бы же "
    "быть который мы наш он она они его её их также между через под над перед после без около "
    "вдоль среди ради путём чем тем так такой этот тот весь свой себя каждый другой более менее "
    "очень уже ещё только лишь даже если чтобы когда где там здесь именно являться например",
    "de": "der die das und in zu den von mit für auf ist im dem des ein eine einer",
    "zh": "的 了 和 与 及 在 是 为 对 等 中 以 将 并 或 其 该 从 由 于 可 也 有",
}
STOPWORDS = {language: frozenset(text.split(" ")) for language, text in _STOPWORD_TEXT.items()}


def detect_script_language(text: str) -> str:
    """A cheap guess from the script alone, for texts whose language is not recorded."""
    if HAN.search(text):
        return "zh"
    if CYRILLIC.search(text):
        return "ru"
    return "en"


@functools.cache
def _morph() -> object:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.cache
def _russian_lemma(word: str) -> str:
    parsed = _morph().parse(word)  # type: ignore[attr-defined]
    return str(parsed[0].normal_form) if parsed else word


def russian_lemmas(word: str) -> set[str]:
    """Every lemma pymorphy3 offers for a Russian word: a dictionary form on its own can be
    read otherwise than in running text ("данные" alone reads as "дать", "данных" as "данные")."""
    return {str(parsed.normal_form) for parsed in _morph().parse(word.lower())}  # type: ignore[attr-defined]


@functools.cache
def _stemmer(language: str) -> Callable[[list[str]], list[str]] | None:
    algorithm = SNOWBALL.get(language)
    if algorithm is None:
        return None
    import Stemmer

    return Stemmer.Stemmer(algorithm).stemWords


@functools.cache
def _jieba() -> object:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _latin_and_cyrillic_words(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if not HAN.search(word)]


def tokenize(text: str, language: str = "") -> list[str]:
    """Index terms of a text: lower-cased, lemmatised (ru), stemmed, or segmented (zh).

    Texts mix scripts (a Russian summary naming "PEM" electrolysers, a Chinese one naming
    "SiC"), so each word is treated by its own script, whatever the text's language.
    """
    return [term for term, _word in terms_with_words(text, language)]


def terms_with_words(text: str, language: str = "") -> list[tuple[str, str]]:
    """Each index term with a readable word for it: the word a stem came from, a Russian
    lemma, a Chinese word. Stems such as "entangl" are no words to embed; the words are."""
    text = unicodedata.normalize("NFKC", text).lower()
    language = (language or detect_script_language(text)).split("-")[0]
    pairs: list[tuple[str, str]] = []
    if HAN.search(text):
        for word in _jieba().lcut_for_search(text):  # type: ignore[attr-defined]
            word = word.strip()
            if word and HAN.search(word) and word not in STOPWORDS["zh"]:
                pairs.append((word, word))
    words = _latin_and_cyrillic_words(text)
    stem = _stemmer(language if language not in {"ru", "zh"} else "en")
    latin: list[str] = []
    for word in words:
        if CYRILLIC.search(word):
            if word not in STOPWORDS["ru"]:
                lemma = _russian_lemma(word)
                if lemma not in STOPWORDS["ru"]:
                    pairs.append((lemma, lemma))
        elif word not in STOPWORDS.get(language, STOPWORDS["en"]) and word not in STOPWORDS["en"]:
            latin.append(word)
    pairs.extend(zip(stem(latin) if stem else latin, latin, strict=True))
    return pairs


@functools.lru_cache(maxsize=200_000)
def script_of(term: str) -> str:
    """The script of a term, "han", "cyrillic" or "latin": terms of different scripts never match
    lexically, so only they need bridging."""
    if HAN.search(term):
        return "han"
    if CYRILLIC.search(term):
        return "cyrillic"
    return "latin"


def tokenize_many(texts: Iterable[str], languages: Iterable[str]) -> list[list[str]]:
    return [tokenize(text, language) for text, language in zip(texts, languages, strict=True)]


SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*")


def sentences(text: str) -> list[str]:
    """Split into sentences at full stops of Latin, Cyrillic and Chinese text."""
    return [part.strip() for part in SENTENCE_END.split(text) if part and part.strip()]


def chunk_text(
    text: str, *, max_tokens: int, count_tokens: Callable[[str], int], limit: int | None = None
) -> list[str]:
    """Cut a long text into passages of whole sentences, each at most `max_tokens` tokens.

    Embedding models read a limited number of tokens and cost grows faster than length, so
    long texts are embedded as several passages rather than silently cut. A sentence longer
    than the limit is split at word boundaries. Sentences are counted once each and their
    counts added, so cutting is linear in the text's length. `limit` stops after that many
    passages.
    """
    text = text.strip()
    if not text:
        return []
    chunks: list[str] = []
    current: list[str] = []
    current_tokens = 0
    for sentence in _bounded_sentences(text, max_tokens, count_tokens):
        tokens = count_tokens(sentence)
        if current and current_tokens + tokens > max_tokens:
            chunks.append(" ".join(current))
            if limit is not None and len(chunks) >= limit:
                return chunks
            current, current_tokens = [], 0
        current.append(sentence)
        current_tokens += tokens
    if current:
        chunks.append(" ".join(current))
    return chunks[:limit] if limit is not None else chunks


def _bounded_sentences(
    text: str, max_tokens: int, count_tokens: Callable[[str], int]
) -> Iterable[str]:
    for sentence in sentences(text):
        if count_tokens(sentence) <= max_tokens:
            yield sentence
            continue
        pieces = sentence.split() if " " in sentence else list(sentence)
        joiner = " " if " " in sentence else ""
        current: list[str] = []
        for piece in pieces:
            if current and count_tokens(joiner.join([*current, piece])) > max_tokens:
                yield joiner.join(current)
                current = []
            current.append(piece)
        if current:
            yield joiner.join(current)
