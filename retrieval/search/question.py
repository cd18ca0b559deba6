"""What a question asks for beyond its words: dates, a named outlet, who spoke to whom, the
office or kind of fact (a quantity, a year) an answer must hold, the words that set its scene."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from retrieval.index.terms import UNITED_STATES, terms
from retrieval.ingest.sentences import split_sentences
from retrieval.search.answer_kinds import Office, office, shape
from retrieval.search.question_dates import QuestionDates, parse_question_dates, without_dates
from retrieval.search.speakers import Roles, roles

FRAMING = frozenset(terms("according latest recent recently news report reported happened"))
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_WORDS = re.compile(r"[\w.]+")
_NAMES = re.compile(r"(?<!^)(?<![.?!] )\b(?:[A-Z][\w'’-]*|\d[\d,.]*)")  # not a first word


@dataclass(frozen=True)
class Question:
    """A question ready for scoring: its terms, and what it says about time, sources and roles."""

    text: str
    terms: tuple[str, ...]
    bigrams: frozenset[tuple[str, str]]
    dates: QuestionDates
    sources: frozenset[str]  # lower-cased indexed sources the question names
    roles: Roles | None
    as_of: date | None
    names: frozenset[str]  # terms of the names and numbers in the question
    shape: re.Pattern[str] | None  # what an answering sentence must hold: a quantity, a year
    context: frozenset[str] = frozenset()  # terms only of the sentences before the one asking
    office: Office | None = None  # asked who holds an office
    day_terms: frozenset[str] = frozenset()  # terms of the days it names
    scene_dates: bool = False  # its days are only in the sentences that set the scene


def analyse(text: str, as_of: date | None, known_sources: Mapping[str, str]) -> Question:
    """Read a (standalone) question against the sources present in the index."""
    sources = named_sources(text, known_sources)
    # Words that frame the question rather than say what it is about ("according to PBS,
    # what is the latest…") would only count against the sentences that answer it.
    framing = FRAMING | {t for s in sources for t in terms(f"{s} {known_sources[s]}")}
    stems = [t for t in terms(text) if t not in framing]
    return Question(
        text=text,
        terms=tuple(dict.fromkeys(stems)),
        bigrams=frozenset(pairwise(stems)),
        dates=parse_question_dates(text, as_of),
        sources=sources,
        roles=roles(text),
        as_of=as_of,
        names=names(without_dates(text)) - framing,
        # A sentence about a day named covers its words ("March 8" is the Saturday a sentence
        # calls "Saturday"); a month or year is often written out.
        day_terms=frozenset(stems) - set(terms(without_dates(text, keep_ranges=True))),
        shape=shape(text),
        office=office(text),
        context=_context(text) - framing,
        scene_dates=_dates_set_scene(text, as_of),
    )


def asking(text: str) -> str:
    """The sentence that asks, after any that set the scene."""
    spans = split_sentences(text)
    return text[spans[-1][0] :].strip() if len(spans) > 1 else text


def _context(text: str) -> frozenset[str]:
    """Terms that only set the scene: "A storm hit California this week. Which city flooded?"
    asks about a city, and the storm's other sentences are not the answer."""
    asked = asking(text)
    if asked == text:
        return frozenset()
    return frozenset(terms(text)) - set(terms(asked))


def _dates_set_scene(text: str, as_of: date | None) -> bool:
    """Whether only the sentences before the asking one name days: "Lucile Randon died this
    week. How old was she?" asks her age, which an older report can tell."""
    asked = asking(text)
    return asked != text and not parse_question_dates(asked, as_of).names_days


def named_sources(text: str, known: Mapping[str, str]) -> frozenset[str]:
    """Indexed outlets the question names: the full name ('City Times'), its web domain
    ('pbs.org' as 'PBS') or, for names that start with an acronym ('NBC News'), the acronym."""
    lowered = " " + " ".join(_WORDS.findall(text.lower())) + " "
    words = set(re.findall(r"\b[A-Z]{2,6}\b", text))
    found = set()
    for key, written in known.items():
        first = written.split()[0]
        domain_root = key.split(".")[0] if "." in key and " " not in key else None
        if (
            f" {key} " in lowered
            or (domain_root and (f" {domain_root} " in lowered))
            or (_ACRONYM.match(first) and first in words)
        ):
            found.add(key)
    return frozenset(found)


def names(text: str) -> frozenset[str]:
    """Terms of the names and numbers in a text, its first word aside (capitalised anyway)."""
    text = UNITED_STATES.sub("United States", text)
    return frozenset(t for n in _NAMES.findall(text) for t in terms(n))
