"""Turn scraped article text into the text newsdesk indexes and quotes.

Site furniture (share bars, newsletter and donation prompts, bylines, author bios, photo and
video credits, embedded tweets) is removed both as whole paragraphs and where a scraper glued
it into running text, and a sentence repeated later in the page is kept once.
"""

import re

from retrieval.ingest.furniture import (
    ADVERTISEMENT,
    AGENCY_SIGN_OFF,
    BOILERPLATE_OPENING,
    BOILERPLATE_PHRASE,
    BYLINE_GLUED,
    BYLINE_PARAGRAPH,
    DASH_RUN,
    GENERIC_BIO,
    GLUED_PHRASE,
    LEADING_STAMP,
    LINK_PARAGRAPH,
    ONLY_LABELS,
    PERSON,
    PHOTO_CREDIT,
    PROSE_AFTER,
    PROSE_BEFORE,
    SECTION_STAMP,
    SHARE_RUN,
    SHARE_TOKEN_RE,
    SIGN_OFF,
    STAMP_RE,
    STRONG_SHARE,
    TWEET_MARKER,
    TWEET_OPENING,
    TWEET_SIGNATURE,
    UPDATE_HEADER,
    VIDEO_CREDIT,
    WORD_CHAR,
)
from retrieval.ingest.sentences import split_sentences

_MIN_REPEAT_WORDS = 5  # shorter sentences ("He said.") may repeat legitimately
_ODD_SPACE = re.compile(r"[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r" {2,}")
_SIGN_OFF_WINDOW = 40
_CREDIT_WINDOW = 200  # a credit is short: search only the end of a paragraph for it
_CREDIT_WORDS = ("Photo", "Image", "Picture")
_CAPTION_MAX_SENTENCES, _CAPTION_MAX_WORDS = 3, 80
# split_sentences slows down with the square of its input's length, so long paragraphs are fed
# to it in chunks cut where it ends a sentence anyway: after a number or a lower-case word that
# is not an abbreviation (those it knows are capitalised, dotted or listed here).
_CHUNK_CHARS = 400
_SAFE_CUT = re.compile(
    r"(?<![.\w])(?!(?:etc|vs|approx|pp|ca|no|nos|vol|fig|co)\.)(?:[a-z]{2,}|\d+)[.!?]"
    r"[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])"
)
_NON_TEXT = re.compile(r"[^\w\s.,;:!?'\"‘’“”()\[\]%$€£&/@#+*|…—–-]")
_MAX_NON_TEXT = 0.3  # prose has a few symbols; decoded binary is mostly replacement characters
_QUOTE_STYLES = (("‘", "'"), ("’", "'"), ("`", "'"), ("“", '"'), ("”", '"'))
_TITLE_SEARCH_SEGMENTS = 3  # a newsletter prompt or share bar may come before the title
_MIN_GLUED_TITLE_WORDS = 4
_TITLE_CHAR = {char: f"[{group}]" for group in ("'‘’`", '"“”', "-–—") for char in group}


def clean_article_text(text: str, title: str | None = None) -> str:
    """Return the article body without site furniture, one blank line between paragraphs."""
    names: set[str] = set()
    segments = [seg for line in _normalised_lines(text) for seg in _segments(line, names)]
    bio = _bio_pattern(names)
    segments = [_drop_caption(_strip_phrases(seg, bio)) for seg in segments]
    segments = [seg for seg in segments if not _is_boilerplate(seg)]
    if title:
        segments = _strip_title(segments, title)
    return "\n\n".join(_filter_sentences(segments))


def _normalised_lines(text: str) -> list[str]:
    for line_break in ("\r\n", "\r", "\u2028", "\u2029"):
        text = text.replace(line_break, "\n")
    text = _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text))
    return [line for raw in text.split("\n") if (line := _SPACES.sub(" ", raw).strip())]


def _segments(line: str, names: set[str]) -> list[str]:
    """Split a line at the block boundaries a scraper flattened; record byline names seen."""
    line = _cut_tweets(DASH_RUN.sub("\n", line))
    line = UPDATE_HEADER.sub("\n\\g<0>", line)
    line = BYLINE_GLUED.sub(lambda match: _record_byline(match, names), line)
    line = VIDEO_CREDIT.sub("\n", line)
    segments = []
    for piece in (piece.strip() for piece in line.split("\n")):
        if BYLINE_PARAGRAPH.fullmatch(piece):
            names.update(re.findall(PERSON, piece))
        elif piece:
            segments.append(piece)
    return segments


def _record_byline(match: re.Match[str], names: set[str]) -> str:
    names.add(next(name for name in match.groups() if name))
    return "\n"


def _cut_tweets(line: str) -> str:
    """Replace each embedded tweet ("text — Name (@handle) March 5, 2014") with a break."""
    while match := TWEET_SIGNATURE.search(line):
        segment_start = line.rfind("\n", 0, match.start()) + 1
        head = line[segment_start : match.start()]
        line = line[: segment_start + _tweet_start(head)] + "\n" + line[match.end() :]
    return line


def _tweet_start(head: str) -> int:
    # The sentence glued to the signature is the tweet; earlier ones belong to it while they
    # still carry handles, hashtags or tweet links.
    spans = _sentence_spans(head)
    if not spans:
        return 0
    start = spans[-1][0]
    # The splitter does not end a sentence before ".@handle", so look for a tweet opening there.
    openings = list(TWEET_OPENING.finditer(head, start, spans[-1][1]))
    if openings:
        return openings[-1].end()
    for span_start, span_end in reversed(spans[:-1]):
        if not TWEET_MARKER.search(head, span_start, span_end):
            break
        start = span_start
    return start


def _bio_pattern(names: set[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    verbs = r"(?:is|was|has|covers|writes|reports|joined)"
    return re.compile(rf"(?:{alternatives})\s+{verbs}\b[^@]{{0,400}}?(?:@\w+|$)")


def _strip_phrases(segment: str, bio: re.Pattern[str] | None) -> str:
    if LINK_PARAGRAPH.match(segment):  # "Read more: <another story's headline>"
        return ""
    if bio is not None and (match := bio.match(segment)):
        segment = segment[match.end() :]
    segment = ADVERTISEMENT.sub(_advertisement, SHARE_RUN.sub(_share_bar, segment))
    segment = GLUED_PHRASE.sub(" ", segment)
    if STAMP_RE.search(segment):
        segment = SECTION_STAMP.sub(" ", segment)
    sign_off = AGENCY_SIGN_OFF.search(segment, max(0, len(segment) - _SIGN_OFF_WINDOW))
    if sign_off:
        segment = segment[: sign_off.start()]
    return _SPACES.sub(" ", segment).strip()


def _share_bar(match: re.Match[str]) -> str:
    # A lone "Twitter" or "Email" is prose; three network names in a row are a share bar.
    run, before = match.group(), match.string[max(0, match.start() - 1) : match.start()]
    if WORD_CHAR.match(before) or not (
        STRONG_SHARE.search(run) or len(SHARE_TOKEN_RE.findall(run)) >= 3
    ):
        return run
    return " "


def _advertisement(match: re.Match[str]) -> str:
    # "Advertisement" mid-sentence ("an Advertisement Standards body") or before a lower-case
    # word ("Advertisement revenue fell") is prose, not an ad slot.
    before = match.string[max(0, match.start() - 2) : match.start()]
    after = match.string[match.end() : match.end() + 2]
    in_sentence = PROSE_BEFORE.fullmatch(before) or PROSE_AFTER.match(after)
    return match.group() if in_sentence and match.group() != "ADVERTISEMENT" else " "


def _drop_caption(segment: str) -> str:
    """Drop a caption: a short paragraph (or the end of a long one) closed by a photo credit."""
    tail_start = max(0, len(segment) - _CREDIT_WINDOW)
    tail = segment[tail_start:]
    if "/" not in tail and not any(word in tail for word in _CREDIT_WORDS):
        return segment
    credit = PHOTO_CREDIT.search(segment, tail_start)
    if credit is None:
        return segment
    body = segment[: credit.start()]
    spans = _sentence_spans(body)
    if not spans or (
        len(spans) <= _CAPTION_MAX_SENTENCES and len(body.split()) <= _CAPTION_MAX_WORDS
    ):
        return ""
    return body[: spans[-1][0]].strip()


def _is_boilerplate(segment: str) -> bool:
    return (
        not any(ch.isalnum() for ch in segment)
        or len(_NON_TEXT.findall(segment)) > _MAX_NON_TEXT * len(segment)
        or ONLY_LABELS.fullmatch(segment) is not None
        or SIGN_OFF.fullmatch(segment) is not None
        or GENERIC_BIO.fullmatch(segment) is not None
    )


def _strip_title(segments: list[str], title: str) -> list[str]:
    """Remove a copy of the title (and a section/time stamp glued to it) opening the text."""
    words = title.split()
    pattern = r"\s+".join("".join(_TITLE_CHAR.get(ch, re.escape(ch)) for ch in w) for w in words)
    opening = re.compile(rf"{pattern}(?!\w)[\s:|—–-]*", re.IGNORECASE)
    for index, segment in enumerate(segments[:_TITLE_SEARCH_SEGMENTS]):
        if not words or not (match := opening.match(segment)):
            continue
        rest = segment[match.end() :]
        if stamp := LEADING_STAMP.match(rest):
            rest = rest[stamp.end() :]
        # A short title may open a real sentence ("Obama said..."): cut it from running text
        # only when it is long enough not to be a coincidence.
        if not rest or (index == 0 and len(words) >= _MIN_GLUED_TITLE_WORDS):
            return segments[:index] + ([rest] if rest else []) + segments[index + 1 :]
    return segments


def _filter_sentences(paragraphs: list[str]) -> list[str]:
    """Drop boilerplate sentences and every later repeat of a sentence of 5 or more words."""
    seen: set[str] = set()
    kept: list[str] = []
    for paragraph in paragraphs:
        spans = _sentence_spans(paragraph)
        cuts: list[tuple[int, int]] = []
        for index, (start, end) in enumerate(spans):
            key = _sentence_key(paragraph[start:end])
            repeated = key in seen and len(key.split()) >= _MIN_REPEAT_WORDS
            if repeated or BOILERPLATE_OPENING.match(key) or BOILERPLATE_PHRASE.search(key):
                cuts.append((start, spans[index + 1][0] if index + 1 < len(spans) else end))
            seen.add(key)
        for start, end in reversed(cuts):
            paragraph = paragraph[:start] + paragraph[end:]
        paragraph = paragraph.strip(" |")
        if any(ch.isalnum() for ch in paragraph):
            kept.append(paragraph)
    return kept


def _sentence_key(sentence: str) -> str:
    for quote, plain in _QUOTE_STYLES:
        sentence = sentence.replace(quote, plain)
    return " ".join(sentence.lower().split())


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    while len(text) - offset > _CHUNK_CHARS and (
        cut := _SAFE_CUT.search(text, offset + _CHUNK_CHARS)
    ):
        chunk = text[offset : cut.end()]
        spans += [(offset + start, offset + end) for start, end in split_sentences(chunk)]
        offset = cut.end()
    return spans + [(offset + start, offset + end) for start, end in split_sentences(text[offset:])]
