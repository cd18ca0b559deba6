"""Who speaks to whom: "what did Kerry tell Lavrov" asks for a sentence in which Kerry speaks."""

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Roles:
    """'What did Kerry tell Lavrov?': Kerry speaks, Lavrov listens (lower-cased name words)."""

    speaker: tuple[str, ...]
    listener: tuple[str, ...]


def roles(text: str) -> Roles | None:
    """Who speaks to whom in a 'what did X <say> (to) Y' question."""
    match = _ROLE.search(text)
    if not match or match.group("verb") not in _SPEECH:
        return None
    listener = match.group("listener") or ""
    return Roles(_name_words(match.group("speaker")), _name_words(listener))


def _name_words(name: str) -> tuple[str, ...]:
    return tuple(w.lower().strip(".’'") for w in name.split() if w.lower() != "the")


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
