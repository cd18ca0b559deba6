"""Check a model's answer against its sources: each sentence must cite a given source, and its
names, numbers, dates and words must be found there, its meaning close to one of its sentences."""

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from retrieval.index.embed import Embedder
from retrieval.index.terms import STOPWORDS, terms, words
from retrieval.ingest.dates import DateSpan
from retrieval.ingest.sentences import split_sentences
from retrieval.records import Hit, Sentence

# Calibrated on the seeds: paraphrases of a source sentence keep ≥ 0.6 of their content words
# and a cosine ≥ 0.5 to it; sentences that add a claim fall below one of the two.
MIN_TERM_COVERAGE = 0.6
MIN_SIMILARITY = 0.5
NO_ANSWER = "The sources don't say."
_MARKER = r"\[(?:sources?\s*)?\d+(?:\s*(?:,|and)\s*\d+)*\]"
_MARKERS = re.compile(rf"\s*{_MARKER}", re.I)
_MARKERS_AFTER_STOP = re.compile(rf"([.!?])((?:\s*{_MARKER})+)", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*")
_FORMATTING = re.compile(r"[*_`#]+|^\s*(?:[-•]|\d+[.)])\s+", re.M)
_DECLINE = re.compile(
    r"\b(sources?|articles?)\b.*\b(don'?t|do not|does not|doesn'?t)\s+say\b", re.I
)


@dataclass(frozen=True)
class Claim:
    """A sentence of a model's answer, read against the sources it cites."""

    text: str  # without its citation markers
    cited: tuple[int, ...]  # source numbers as the model wrote them, 1-based
    problem: str | None  # why it is not supported; None when it is
    quotes: dict[int, Sentence] = field(default_factory=dict)  # best support in each source
    similarity: float = 0.0

    @property
    def supported(self) -> bool:
        return self.problem is None

    @property
    def declines(self) -> bool:
        return not self.cited and _DECLINE.search(self.text) is not None


def claims(answer: str, sources: Sequence[Hit], embedder: Embedder) -> list[Claim]:
    """Every sentence of a model's answer, each checked against the sources it cites."""
    text = _FORMATTING.sub("", answer)
    text = _MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    return [_check(text[start:end], sources, embedder) for start, end in split_sentences(text)]


def _check(sentence: str, sources: Sequence[Hit], embedder: Embedder) -> Claim:
    cited = tuple(dict.fromkeys(int(n) for m in _MARKERS.finditer(sentence) for n in _numbers(m)))
    claim = " ".join(_MARKERS.sub("", sentence).split())
    claim = re.sub(r"\s+([.,;:!?])", r"\1", claim)
    if not cited:
        return Claim(claim, cited, "cites no source")
    unknown = [n for n in cited if not 1 <= n <= len(sources)]
    if unknown:
        return Claim(claim, cited, f"cites source {unknown[0]}, which was not given")
    hits = [sources[n - 1] for n in cited]
    problem = _unsupported_words(claim, hits)
    quotes, similarity = _closest_sentences(claim, cited, hits, embedder)
    if problem is None and similarity < MIN_SIMILARITY:
        problem = f"means something else than its sources (similarity {similarity:.2f})"
    return Claim(claim, cited, problem, quotes, similarity)


def _numbers(marker: re.Match[str]) -> list[str]:
    return re.findall(r"\d+", marker.group())


def _unsupported_words(claim: str, hits: Sequence[Hit]) -> str | None:
    """The first name, number or date of the claim its sources lack, or too few shared words."""
    source_text = " ".join(f"{h.title} {h.text}" for h in hits)
    present = {_bare(w) for w in words(source_text)} | _date_words(hits)
    numbers = {n.replace(",", "") for n in _NUMBER.findall(source_text)} | _date_numbers(hits)
    for number in _NUMBER.findall(claim):
        if number.replace(",", "").rstrip(".") not in numbers:
            return f"the number {number} is not in its sources"
    for name in _CAPITALISED.findall(claim):
        word = _bare(name.lower().rstrip("."))
        if word not in STOPWORDS and word not in present and not word.isdigit():
            return f"{name} is not in its sources"
    claimed = set(terms(claim))
    if not claimed:
        return "says nothing that can be checked"
    coverage = len(claimed & set(terms(source_text))) / len(claimed)
    if coverage < MIN_TERM_COVERAGE:
        return f"only {coverage:.0%} of its words are in its sources"
    return None


def _bare(word: str) -> str:
    return word.replace("’", "'").removesuffix("'s")


def _days(hits: Sequence[Hit]) -> set[DateSpan]:
    spans = {DateSpan.parse(d) for h in hits for d in h.event_dates}
    return spans | {DateSpan.day(h.published_at) for h in hits if h.published_at}


def _date_words(hits: Sequence[Hit]) -> set[str]:
    """Weekday and month names of the days the sources talk about: "on Saturday" in an article
    of 8 March 2014 supports "on March 8"."""
    out = set()
    for span in _days(hits):
        if span.start == span.end:
            out.add(calendar.day_name[span.start.weekday()].lower())
        out.update(calendar.month_name[d.month].lower() for d in (span.start, span.end))
    return out


def _date_numbers(hits: Sequence[Hit]) -> set[str]:
    out = set()
    for span in _days(hits):
        out.update({str(span.start.year), str(span.end.year)})
        if span.start == span.end:
            out.add(str(span.start.day))
    return out


def _closest_sentences(
    claim: str, cited: Sequence[int], hits: Sequence[Hit], embedder: Embedder
) -> tuple[dict[int, Sentence], float]:
    """The sentence of each cited source closest in meaning to the claim, and the best cosine
    to any of them or to a cited headline."""
    sentences = [h.sentence_text(s) for h in hits for s in h.sentences]
    vectors = embedder.encode([claim, *sentences, *(h.title for h in hits)])
    similarities = vectors[1:] @ vectors[0]
    quotes: dict[int, Sentence] = {}
    offset = 0
    for n, hit in zip(cited, hits, strict=True):
        own = similarities[offset : offset + len(hit.sentences)]
        if len(own):
            quotes[n] = hit.sentences[int(np.argmax(own))]
        offset += len(hit.sentences)
    return quotes, float(similarities.max())
