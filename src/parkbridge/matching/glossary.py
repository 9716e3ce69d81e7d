"""A science and technology glossary in English, Russian and Chinese, for lexical bridging.

BM25 cannot cross languages, and the multilingual model places single words too loosely to
translate them on its own ("водород" lands nearer "void" than "hydrogen"; docs/benchmarks.md).
A glossary gives the counterparts a translator would choose. Its rows are concepts; a request
that contains one of a concept's forms gains the index terms of the concept's forms in the
other scripts, and matching/bridging.py keeps those that occur among the closest texts.

File format: UTF-8, tab-separated. The first row names each column's language (ISO 639-1
codes, e.g. ``en ru zh``); every other row is one concept, its forms in each language separated
by ``|``, an empty cell where a language has none. Forms are matched as the index reads text:
Russian by lemma, English by stem, both as whole-term sequences; Chinese as a substring of the
request, since Chinese has no spaces to mark words.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from parkbridge.matching.text import HAN, russian_lemmas, script_of, terms_with_words, tokenize

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.tsv"
# Longest Chinese form looked up, in characters; longer forms in a glossary are never matched.
LONGEST_HAN_FORM = 8
# Longest phrase of Latin or Cyrillic terms looked up.
LONGEST_PHRASE = 4
# One English stem covers "atmosphere" and "atmospheric", "improve" and "improvement"; Russian
# lemmas keep "атмосфера" and "атмосферный", "улучшать" and "улучшение" apart, and a glossary
# row gives one of them. A Russian word with no form of its own in the glossary is matched
# through a form sharing its base: the word less one of these derivational endings.
RUSSIAN_DERIVATIONAL_ENDINGS = (
    *("ический", "ческий", "ский", "овый", "евый", "ный", "ной", "ый", "ий", "ой"),
    *("ирование", "ование", "ение", "ание", "ация", "ость", "ство", "ние", "ика", "ия", "ие"),
    *("ировать", "овать", "ать", "ять", "ить", "еть", "ть"),
    *("а", "я", "ь", "й", "о"),
)
SHORTEST_RUSSIAN_BASE = 4
# Second halves of English compounds that carry no subject of their own ("resource-based").
COMBINING_WORDS = frozenset(
    {
        *("based", "driven", "related", "oriented", "like", "level", "scale", "wide", "free"),
        *("rich", "specific", "dependent", "enabled", "induced", "mediated", "assisted"),
        *("derived", "type", "sized", "term", "long", "wise", "friendly", "ready", "intensive"),
        *("centered", "centred", "focused"),
    }
)
LANGUAGE_CODE = re.compile(r"[a-zA-Z]{2,3}(?:[-_][a-zA-Z]+)?")


class GlossaryError(ValueError):
    """A glossary file that cannot be read as one."""


@dataclass(frozen=True)
class GlossaryHit:
    """A glossary form found in a request: the request terms it covers, the term shown for it,
    and the index terms of its concept's forms in the other scripts."""

    form: str
    request_terms: frozenset[str]
    shown_term: str
    targets: tuple[str, ...]
    # Where the form stands among its concept's forms, then the concept's row: a word's first
    # counterparts are those of the concepts it names first, then of the earlier rows.
    rank: tuple[int, int] = (0, 0)
    # The form each target term came from, to show people ("质子交换膜", not its pieces).
    target_forms: tuple[str, ...] = ()


class Glossary:
    def __init__(self, concepts: Iterable[Mapping[str, Sequence[str]]]) -> None:
        """`concepts`: for each concept, its forms by language code."""
        # Term sequence of a Latin or Cyrillic form -> (concept, form).
        self._phrases: dict[tuple[str, ...], list[tuple[int, str]]] = defaultdict(list)
        # Base of a one-word Russian form (RUSSIAN_DERIVATIONAL_ENDINGS) -> (concept, form).
        self._russian_bases: dict[str, list[tuple[int, str]]] = defaultdict(list)
        # Normalised Chinese form -> (concept, form).
        self._han: dict[str, list[tuple[int, str]]] = defaultdict(list)
        # Each concept's index terms with the form each came from, by script; and each form's
        # place among its language's forms.
        self._terms: list[dict[str, tuple[tuple[str, str], ...]]] = []
        self._positions: list[dict[str, int]] = []
        for number, forms_by_language in enumerate(concepts):
            terms_by_script: dict[str, dict[str, str]] = defaultdict(dict)
            positions: dict[str, int] = {}
            for language, forms in forms_by_language.items():
                for position, form in enumerate(forms):
                    positions.setdefault(form, position)
                    terms = tokenize(form, language)
                    for term in [*terms, *_hyphenated_parts(form, language, terms)]:
                        terms_by_script[script_of(term)].setdefault(term, form)
                    if HAN.search(form):
                        key = _normalised(form).strip()
                        if 0 < len(key) <= LONGEST_HAN_FORM:
                            self._han[key].append((number, form))
                    elif len(terms) == 1 and script_of(terms[0]) == "cyrillic":
                        for lemma in russian_lemmas(form) | {terms[0]}:
                            self._phrases[(lemma,)].append((number, form))
                            for base in _russian_bases(lemma):
                                self._russian_bases[base].append((number, form))
                    elif 0 < len(terms) <= LONGEST_PHRASE:
                        self._phrases[tuple(terms)].append((number, form))
            self._terms.append(
                {script: tuple(terms.items()) for script, terms in terms_by_script.items()}
            )
            self._positions.append(positions)

    def __len__(self) -> int:
        return len(self._terms)

    @classmethod
    def read(cls, path: Path) -> Glossary:
        return cls(_concepts_in(path))

    def hits(self, text: str, language: str = "") -> list[GlossaryHit]:
        """The glossary forms in `text`, each with its counterparts in the other scripts."""
        terms = [term for term, _word in terms_with_words(text, language)]
        # (concept, form) -> the request terms it covers, and the one shown for them.
        found: dict[tuple[int, str], tuple[frozenset[str], str]] = {}
        for script in ("latin", "cyrillic"):
            sequence = [term for term in terms if script_of(term) == script]
            for (start, length), matched in self._phrases_in(sequence, script).items():
                for concept, form in matched:
                    span = sequence[start : start + length]
                    found[(concept, form)] = (frozenset(span), span[0])
        han_terms = {term for term in terms if script_of(term) == "han"}
        if han_terms:
            for piece, concept, form in self._han_forms_in(_normalised(text), han_terms):
                inside = sorted(term for term in han_terms if term in piece)
                shown = max(inside, key=len) if inside else form
                found[(concept, form)] = (frozenset(inside), shown)
        hits = []
        for (concept, form), (covered, shown) in found.items():
            form_script = script_of(next(iter(covered))) if covered else script_of(form)
            counterparts = [
                pair
                for script, script_terms in self._terms[concept].items()
                if script != form_script
                for pair in script_terms
            ]
            if counterparts:
                rank = (self._positions[concept].get(form, 0), concept)
                targets, forms = zip(*counterparts, strict=True)
                hits.append(GlossaryHit(form, covered, shown, targets, rank, forms))
        return hits

    def _phrases_in(
        self, sequence: list[str], script: str
    ) -> dict[tuple[int, int], list[tuple[int, str]]]:
        """Forms found in a term sequence, by (start, length) of their span. A phrase wins over
        the words inside it: "машинное обучение" is machine learning, not machines and
        teaching."""
        spans: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for start in range(len(sequence)):
            for length in range(1, LONGEST_PHRASE + 1):
                phrase = tuple(sequence[start : start + length])
                if len(phrase) < length:
                    break
                if not (matched := self._phrases.get(phrase, [])) and length == 1:
                    matched = self._russian_relatives_of(phrase[0]) if script == "cyrillic" else []
                if matched:
                    spans[(start, length)] = matched
        return {
            (start, length): matched
            for (start, length), matched in spans.items()
            if not any(
                other_length > length
                and other_start <= start
                and start + length <= other_start + other_length
                for other_start, other_length in spans
            )
        }

    def _russian_relatives_of(self, lemma: str) -> list[tuple[int, str]]:
        # The longest shared base: the closest relative.
        for base in sorted(_russian_bases(lemma), key=len, reverse=True):
            if found := self._russian_bases.get(base):
                return found
        return []

    def _han_forms_in(self, text: str, han_terms: set[str]) -> Iterable[tuple[str, int, str]]:
        for start in range(len(text)):
            for length in range(1, LONGEST_HAN_FORM + 1):
                piece = text[start : start + length]
                if len(piece) < length or not HAN.match(piece[-1]):
                    break
                # One character is too often part of an unrelated word ("电" in "电池"): it
                # counts only where the segmenter made it a word of its own.
                if length == 1 and piece not in han_terms:
                    continue
                for concept, form in self._han.get(piece, ()):
                    yield piece, concept, form


def _hyphenated_parts(form: str, language: str, terms: list[str]) -> list[str]:
    """The parts of hyphenated Latin terms: abstracts write "machine learning" as often as
    "machine-learning", and the index keeps the latter as one term. Combining words such as
    "based" in "resource-based" say nothing of the subject and are left out."""
    if not any("-" in term and script_of(term) == "latin" for term in terms):
        return []
    words = form.replace("-", " ").split()
    return tokenize(" ".join(w for w in words if w.lower() not in COMBINING_WORDS), language)


def _russian_bases(lemma: str) -> set[str]:
    """The lemma and what is left of it without each derivational ending it has."""
    return {
        lemma.removesuffix(ending)
        for ending in ("", *RUSSIAN_DERIVATIONAL_ENDINGS)
        if lemma.endswith(ending) and len(lemma) - len(ending) >= SHORTEST_RUSSIAN_BASE
    }


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _concepts_in(path: Path) -> Iterable[dict[str, list[str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as file:
            rows = csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(rows, None)
            if not header or not all(LANGUAGE_CODE.fullmatch(code.strip()) for code in header):
                raise GlossaryError(
                    f"{path}: the first row must name each column's language, e.g. 'en<TAB>ru'"
                )
            languages = [code.strip().lower() for code in header]
            for line, row in enumerate(rows, start=2):
                if len(row) > len(languages):
                    raise GlossaryError(
                        f"{path}, line {line}: {len(row)} columns, the header names "
                        f"{len(languages)}"
                    )
                concept = {
                    language: [form.strip() for form in cell.split("|") if form.strip()]
                    for language, cell in zip(languages, row, strict=False)
                }
                if sum(1 for forms in concept.values() if forms) >= 2:
                    yield concept
    except (OSError, UnicodeDecodeError) as error:
        raise GlossaryError(f"{path}: {error}") from error


@functools.cache
def default_glossary() -> Glossary:
    """The bundled glossary and any in settings.PARKBRIDGE_GLOSSARIES, read once per process."""
    paths = [GLOSSARY_FILE, *(Path(path) for path in settings.PARKBRIDGE_GLOSSARIES)]
    return Glossary(concept for path in paths for concept in _concepts_in(path))
