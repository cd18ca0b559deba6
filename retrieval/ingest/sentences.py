"""Sentence boundaries as character spans, so every quote can be traced back to its article."""

import re

# Never end a sentence: titles and short forms that are followed by a name or a number.
_ALWAYS_ABBREVIATED = frozenset(
    """mr mrs ms dr prof st sen rep gov gen lt col sgt capt cmdr adm rev hon pres supt
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vol fig pp ca approx
    vs etc e.g i.e inc corp ltd co jr sr mt ft""".split()
)
# "U.S." and "a.m." end sentences too; they only do so before a word that usually opens one.
_SENTENCE_OPENERS = frozenset(
    """a an the he she it they we i you this that these those his her its their our
    in on at after before when while if as but and according however meanwhile
    there here what who why how some many most one two both each""".split()
)
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\s+\|\s+|[—–-]{4,}|\n\s*""")
_WORD_BEFORE = re.compile(r"(?<![A-Za-z.])([A-Za-z][A-Za-z.]*)\.$")
_WORD_AFTER = re.compile(r"\s*[\"'“‘(\[]?([A-Za-z]+)")
_LONGEST_WORD = 40  # how far back to look for the word a full stop ends
MAX_SENTENCE_WORDS = 120  # longer runs are lists or scraped junk; cut them so a quote stays short


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in text, whitespace and separators excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end() if match.group().strip(" |\n\t—–-") else match.start()
        if _is_abbreviation(text, match.start(), match.end()):
            continue
        spans.extend(_trimmed(text, start, end))
        start = match.end()
    spans.extend(_trimmed(text, start, len(text)))
    return [piece for span in spans for piece in _cap_length(text, span)]


def _is_abbreviation(text: str, dot_start: int, dot_end: int) -> bool:
    if text[dot_start] != "." or text[dot_start:dot_end].strip(".") != "":
        return False
    before = _WORD_BEFORE.search(text, max(0, dot_start - _LONGEST_WORD), dot_start + 1)
    if before is None:
        return False
    word = before.group(1).lower()
    if word in _ALWAYS_ABBREVIATED or (len(word) == 1 and word.isalpha()):
        return True
    if "." in word:  # U.S., a.m., D.C.
        after = _WORD_AFTER.match(text, dot_end)
        return after is None or after.group(1).lower() not in _SENTENCE_OPENERS
    return False


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and not _is_content(text[start]):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if any(ch.isalnum() for ch in text[start:end]) else []


def _is_content(ch: str) -> bool:
    return not (ch.isspace() or ch in "|—–-")


def _cap_length(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    start, end = span
    words = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    return [
        (start + group[0][0], start + group[-1][1])
        for group in (
            words[i : i + MAX_SENTENCE_WORDS] for i in range(0, len(words), MAX_SENTENCE_WORDS)
        )
    ] or [span]
