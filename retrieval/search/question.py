"""What a question asks for beyond its words: dates, a named outlet, who spoke to whom, the
office or kind of fact (a quantity, a year) an answer must hold, the words that set its scene."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from retrieval.index.terms import UNITED_STATES, terms
from retrieval.ingest.sentences import split_sentences
from retrieval.search.question_dates import QuestionDates, parse_question_dates, without_dates

# Verbs of saying: "what did X tell Y" asks for a sentence in which X is the one speaking.
SPEECH_VERBS = (
    "tell told tells telling say said says saying warn warned warns warning urge urged urges "
    "ask asked asks promise promised promises inform informed assure assured threaten threatened "
    "accuse accused demand demanded insist insisted add added announce announced explain explained "
    "call called write wrote argue argued claim claimed reply replied respond responded"
)
_SPEECH = frozenset(SPEECH_VERBS.split())
_NAME = r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"
_ROLE = re.compile(
    rf"\b(?i:what|how|why|when|where)\s+(?i:did|does|do|has|had|will|would|could)\s+"
    rf"(?P<speaker>{_NAME})\s+(?P<verb>[a-z]+)(?:\s+(?:to|with)\b)?\s*(?P<listener>{_NAME})?"
)
# Verbs whose object is the one spoken to: in "Kerry told Russian Foreign Minister Sergei
# Lavrov", Lavrov listens.
_ADDRESSING = frozenset(
    "tell told tells telling warn warned warns warning urge urged urges inform informed assure "
    "assured threaten threatened accuse accused".split()
)
ADDRESSEE_WORDS = 6  # how far after the verb the one spoken to is named
SUBJECT_WORDS = 8  # how far before it the speaker is: "Lavrov, Russia's foreign minister, said"
_PRONOUNS = frozenset("he she they it we i you who which that".split())
FRAMING = frozenset(terms("according latest recent recently news report reported happened"))
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_WORDS = re.compile(r"[\w.]+")
_QUANTITY = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|quarter|twice|"
    r"double|triple|several|none|single)\b",
    re.I,
)
_YEAR = re.compile(r"\b(1[0-9]|20)\d\d\b")
_MONTH = re.compile(
    r"\b(jan(uary)?|feb(ruary)?|march|april|may|june|july|aug(ust)?|sept?(ember)?|oct(ober)?|"
    r"nov(ember)?|dec(ember)?)\b",
    re.I,
)
# What only a sentence of some shape can answer: "how many" a quantity, "what year" a year.
_SHAPES = (
    (re.compile(r"\bhow\s+(many|much)\b", re.I), _QUANTITY),
    (re.compile(r"\b(what|which)\s+year\b|\bsince\s+when\b", re.I), _YEAR),
    (re.compile(r"\b(what|which)\s+month\b", re.I), _MONTH),
)
# "Who is the chief executive of X?", "Who is Turkey's vice president?", "Who chairs X?": asked
# who holds an office, only a sentence that names the office can say. Other relations ("who
# was her brother", "the creator of") are often said with a verb ("married", "created by").
_OFFICE = re.compile(
    r"^\s*(?i:who)\s+(?:is|was|are|were|has\s+been)\s+"
    r"(?:the\s+|(?:[A-Z][\w.&-]*\s+)*[A-Z][\w.&-]*['’]s\s+)"
    r"(?P<title>(?:[a-z-]+\s+){0,2}[a-z]+)\s*(?:\?|\b(?:of|at|for|in|on)\b)"
    r"|^\s*(?i:who)\s+(?P<verb>chairs|heads|leads|coaches|manages|directs|runs)\b"
)
_OFFICE_ALIASES = {("chief", "execut"): ("ceo",), ("run",): ("head", "lead", "chief")}
_OFFICES = frozenset(
    terms(
        "president minister secretary chair chairman chairwoman chief executive ceo director head "
        "leader mayor governor senator speaker ambassador commissioner chancellor premier coach "
        "manager captain editor spokesperson spokesman spokeswoman prosecutor attorney judge "
        "justice administrator superintendent treasurer commander"
    )
)
_WHEN_IN_OFFICE = frozenset(terms("current present new former first last late then acting"))
_NAMES = re.compile(r"(?<!^)(?<![.?!] )\b(?:[A-Z][\w'’-]*|\d[\d,.]*)")  # not a first word


@dataclass(frozen=True)
class Roles:
    """'What did Kerry tell Lavrov?': Kerry speaks, Lavrov listens (lower-cased name words)."""

    speaker: tuple[str, ...]
    listener: tuple[str, ...]


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
    office: tuple[tuple[str, ...], ...] = ()  # asked who holds it: ways to write the office
    day_terms: frozenset[str] = frozenset()  # terms of the days it names


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
        shape=next((said for asked, said in _SHAPES if asked.search(text)), None),
        office=office(text),
        context=_context(text) - framing,
    )


def _context(text: str) -> frozenset[str]:
    """Terms that only set the scene: "A storm hit California this week. Which city flooded?"
    asks about a city, and the storm's other sentences are not the answer."""
    spans = split_sentences(text)
    if len(spans) < 2:
        return frozenset()
    asking = spans[-1][0]
    return frozenset(terms(text[:asking])) - set(terms(text[asking:]))


def office(text: str) -> tuple[tuple[str, ...], ...]:
    """The office a 'who is the <office> of' question asks about, as ways to write it: a
    sentence holds one when it holds each of its stems (as a word's start: 'chair' in
    'chairwoman'), "finance minister" not being named by "prime minister"."""
    match = _OFFICE.search(text)
    if not match:
        return ()
    title = tuple(terms(match.group("title") or match.group("verb")))
    if not title or (match.group("title") and title[-1] not in _OFFICES):
        return ()
    title = tuple(t for t in title if t not in _WHEN_IN_OFFICE) or title
    return (title, *((alias,) for alias in _OFFICE_ALIASES.get(title, ())))


def names_office(sentence_terms: Iterable[str], office: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a sentence names the office asked about (any sentence does when none is)."""
    if not office:
        return True
    said = tuple(sentence_terms)
    return any(all(any(t.startswith(stem) for t in said) for stem in way) for way in office)


def roles(text: str) -> Roles | None:
    """Who speaks to whom in a 'what did X <say> (to) Y' question."""
    match = _ROLE.search(text)
    if not match or match.group("verb") not in _SPEECH:
        return None
    listener = match.group("listener") or ""
    return Roles(_name_words(match.group("speaker")), _name_words(listener))


def _name_words(name: str) -> tuple[str, ...]:
    return tuple(w.lower().strip(".’'") for w in name.split() if w.lower() != "the")


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


def has_shape(sentence: str, question: Question) -> bool:
    """Whether a sentence holds what the question asks for: a quantity, in digits or in words,
    for 'how many', a year for 'what year'."""
    return question.shape is None or question.shape.search(sentence) is not None


def speaker_score(sentence: str, question_roles: Roles) -> int:
    """+1 when the question's speaker is the subject of a verb of saying in the sentence,
    -1 when its listener is, when the speaker is the one being told, or when someone else
    speaks ("the official said") and the speaker is not in the sentence; else 0."""
    words = [w.lower().strip(".,;:’'\"“”()") for w in sentence.split()]
    someone_else = False
    for position, word in enumerate(words):
        if word not in _SPEECH:
            continue
        for before in reversed(words[max(0, position - SUBJECT_WORDS) : position]):
            if before in question_roles.speaker:
                return 1
            if before in question_roles.listener:
                return -1
        addressee = words[position + 1 : position + 1 + ADDRESSEE_WORDS]
        if word in _ADDRESSING and any(w in question_roles.speaker for w in addressee):
            return -1
        subject = words[position - 1] if position else ""
        someone_else |= subject.isalpha() and subject not in _PRONOUNS
    speaker_named = any(w in question_roles.speaker for w in words)
    return -1 if someone_else and not speaker_named else 0
