"""Follow-up questions made standalone without a language model: carry the earlier entities."""

import re
from collections.abc import Sequence

_FOLLOW_UP_OPENERS = re.compile(r"^\s*(and|but|also|so|then|what about|how about|and what)\b", re.I)
_PRONOUNS = re.compile(
    r"\b(he|she|they|him|her|them|his|hers|their|it|its|that|this|those)\b", re.I
)
# Runs of capitalised words ("Sergei Lavrov", "NBC News") and numbers ("2014"), minus the
# capitalised first word of a question ("What", "Did").
_ENTITY = re.compile(r"\b(?:[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)*|\d[\d,.]*)")
_QUESTION_WORDS = frozenset(
    "what who whom whose which when where why how did does do is are was were can could will "
    "would should has have had and but also so then i".split()
)

# Times belong to the question that names them: "and on Friday?" replaces "on Saturday".
_WHEN = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december".split()
)


def standalone_question(question: str, history: Sequence[str]) -> str:
    """The question, with the people, places and numbers of the previous question appended when
    it reads as a follow-up ("and what did Lavrov say on Friday?" after a question about Kerry)."""
    if not history or not _is_follow_up(question):
        return question
    present = question.lower()
    carried = [
        e for e in entities(history[-1]) if e.lower() not in present and e.lower() not in _WHEN
    ]
    return f"{question} ({', '.join(carried)})" if carried else question


def entities(text: str) -> list[str]:
    """Names and numbers in a text, in order, without question words."""
    found = []
    for match in _ENTITY.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in _QUESTION_WORDS:
            words.pop(0)
        if words:
            found.append(" ".join(words).rstrip(".,"))
    return list(dict.fromkeys(found))


def _is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_UP_OPENERS.match(question) or _PRONOUNS.search(question))
