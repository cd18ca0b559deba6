"""What only some sentences can answer: a quantity for "how many", a year for "what year", a
clock time for "what time", a score for "what was the score", the office asked about for "who is
the chief executive of X"."""

import re
from dataclasses import dataclass

from retrieval.index.terms import terms

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
_TIME = re.compile(
    r"\b\d{1,2}(:\d\d)?\s*[ap]\.?m\b|\b\d{1,2}:\d\d\b|\b(o'clock|morning|afternoon|evening|night|"
    r"overnight|midnight|noon|midday|dawn|dusk|daybreak|sunrise|sunset)\b",
    re.I,
)
_SCORE = re.compile(r"\b\d+\s*[-–—]\s*\d+\b|\b\d+\s+to\s+\d+\b")
_SHAPES = (
    (re.compile(r"\bhow\s+(many|much|old)\b|\b(what|which)\s+age\b", re.I), _QUANTITY),
    (re.compile(r"\b(what|which)\s+year\b|\bsince\s+when\b", re.I), _YEAR),
    (re.compile(r"\b(what|which)\s+month\b", re.I), _MONTH),
    # "what time of day", "at what time did": not "what time period"
    (re.compile(r"\bwhat\s+time\s+(of\s+(the\s+)?day|did|does|do|is|was|will)\b", re.I), _TIME),
    (re.compile(r"\bwhat\s+(was|is|were)\s+the\s+(final\s+)?score\b", re.I), _SCORE),
)
# "Who is the chief executive of X?", "Who is Turkey's vice president?", "Who chairs X?": asked
# who holds an office, only a sentence that names the office can say. Other relations ("who
# was her brother", "the creator of") are often said with a verb ("married", "created by").
_OFFICE = re.compile(
    r"^\s*(?i:who)\s+(?P<tense>is|was|are|were|has\s+been)\s+"
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
_PAST_TENSE = frozenset({"was", "were"})
_PAST_HOLDER = frozenset(terms("former late ex"))


def shape(question: str) -> re.Pattern[str] | None:
    """What a sentence answering the question must hold ("how many": a quantity), if anything."""
    return next((said for asked, said in _SHAPES if asked.search(question)), None)


def has_shape(sentence: str, wanted: re.Pattern[str] | None) -> bool:
    """Whether a sentence holds what a question's `shape` wants: a quantity, in digits or in
    words, for 'how many', a year for 'what year'."""
    return wanted is None or wanted.search(sentence) is not None


@dataclass(frozen=True)
class Office:
    """An office asked about: the ways to write it, and whether its holder now is asked."""

    ways: tuple[tuple[str, ...], ...]
    current: bool


def office(text: str) -> Office | None:
    """The office a 'who is the <office> of' question asks about, as ways to write it: a
    sentence holds one when it holds each of its stems (as a word's start: 'chair' in
    'chairwoman'), "finance minister" not being named by "prime minister"."""
    match = _OFFICE.search(text)
    if not match:
        return None
    title = tuple(terms(match.group("title") or match.group("verb")))
    if not title or (match.group("title") and title[-1] not in _OFFICES):
        return None
    title = tuple(t for t in title if t not in _WHEN_IN_OFFICE) or title
    ways = (title, *((alias,) for alias in _OFFICE_ALIASES.get(title, ())))
    return Office(ways, current=(match.group("tense") or "").lower() not in _PAST_TENSE)


def names_office(sentence: str, office: Office | None) -> bool:
    """Whether a sentence names the office asked about (any sentence does when none is);
    asked who holds it now, "former CIA Director David Petraeus" names a past holder."""
    if office is None:
        return True
    said = tuple(terms(sentence))
    return any(_holds(said, way, office.current) for way in office.ways)


def _holds(said: tuple[str, ...], way: tuple[str, ...], current: bool) -> bool:
    if not all(any(t.startswith(stem) for t in said) for stem in way):
        return False
    starts = [i for i, t in enumerate(said) if t.startswith(way[0])]
    return not current or any(not _PAST_HOLDER & set(said[max(0, i - 2) : i]) for i in starts)
