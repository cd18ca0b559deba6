"""Answers → Slack Block Kit: the text with linked [n] markers, a context block per source, and
👍/👎 buttons; plus the plain-text fallback Slack shows in notifications."""

import re
from typing import Any
from urllib.parse import quote, urlparse

from bot.render import made_by
from retrieval.records import Answer, Citation

Block = dict[str, Any]

MAX_SECTION_CHARS = 3000  # Slack rejects a section whose text is longer
MAX_ANSWER_SECTIONS = 10  # 30,000 characters, within Slack's 40,000 per message
MAX_BLOCKS = 50  # Slack's limit per message
TITLE_CHARS = 150
QUESTION_CHARS = 500  # even escaped (each & becomes &amp;), it fits a section
QUOTE_CHARS = 200  # about one line of a context block
FALLBACK_CHARS = 3000  # notifications show the start; the blocks carry the whole answer
FEEDBACK_BLOCK = "newsdesk_feedback"
VOTE_ACTION = re.compile(r"^newsdesk_vote_(up|down)$")
_MARKER = re.compile(r"\[(\d+)\]")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"  # kept as is; spaces, | < > " are percent-encoded


def answer_blocks(answer: Answer, asked_by: str | None = None) -> list[Block]:
    """The answer as Block Kit; `asked_by` (a user id) shows the question, for /ask."""
    head = [_section(_asked(answer.question, asked_by))] if asked_by else []
    if not answer.answered:
        return [*head, _section(escape(answer.text))]
    links = {c.n: href for c in answer.citations if (href := _href(c.url))}
    text = _MARKER.sub(lambda m: _marker(m, links), escape(answer.text))
    head += [_section(piece) for piece in _pieces(text, MAX_SECTION_CHARS)[:MAX_ANSWER_SECTIONS]]
    tail = [_made_by(answer), _vote_buttons()]
    sources = [_source(c) for c in answer.citations]
    room = MAX_BLOCKS - len(head) - len(tail)
    if len(sources) > room:
        more = len(sources) - room + 1
        sources = [*sources[: room - 1], _context(f"…and {more} more sources")]
    return [*head, *sources, *tail]


def draft_blocks(answer: Answer) -> list[Block]:
    """A model's answer while it is being written: not yet checked, so no sources or buttons."""
    text = _pieces(escape(answer.text), MAX_SECTION_CHARS)[:MAX_ANSWER_SECTIONS]
    writing = _context("_Writing… sentences its sources don't support will be removed._")
    return [*[_section(piece) for piece in text], writing]


def fallback_text(answer: Answer, asked_by: str | None = None) -> str:
    """Plain text for notifications and clients that show no blocks."""
    text = escape(_one_line(answer.text, FALLBACK_CHARS))
    return f"{_asked(answer.question, asked_by)}\n{text}" if asked_by else text


def thanked(blocks: list[Block], user: str, vote: str) -> list[Block]:
    """A posted answer's blocks with the vote buttons replaced by a thank-you to the voter."""
    thumb = "👍" if vote == "up" else "👎"
    thanks = _context(f"{thumb} Thanks for the feedback, <@{user}>.")
    return [thanks if b.get("block_id") == FEEDBACK_BLOCK else b for b in blocks]


def escape(text: str) -> str:
    """Text shown as is in mrkdwn: Slack reads &, < and > as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _asked(question: str, user: str | None) -> str:
    return f"<@{user}> asked:\n>{escape(_one_line(question, QUESTION_CHARS))}"


def _marker(match: re.Match[str], links: dict[int, str]) -> str:
    href = links.get(int(match.group(1)))
    return f"<{href}|{match.group(0)}>" if href else match.group(0)


def _href(url: str) -> str | None:
    """A url safe inside <url|label>; None unless it is http(s)."""
    if urlparse(url).scheme not in ("http", "https"):
        return None
    return escape(quote(url, safe=_URL_SAFE))


def _source(citation: Citation) -> Block:
    title = escape(_one_line(citation.title or "Untitled", TITLE_CHARS))
    href = _href(citation.url)
    name = f"<{href}|{title}>" if href else title
    when = citation.published_at.isoformat() if citation.published_at else "undated"
    where = ", ".join(part for part in (escape(citation.source), when) if part)
    quoted = escape(_one_line(citation.quote, QUOTE_CHARS))
    return _context(f"*[{citation.n}]* {name} — {where}\n“{quoted}”")


def _made_by(answer: Answer) -> Block:
    return _context(f"{escape(made_by(answer))} · {answer.took_ms:.0f} ms")


def _vote_buttons() -> Block:
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK,
        "elements": [_button("👍 Helpful", "up"), _button("👎 Not helpful", "down")],
    }


def _button(label: str, vote: str) -> Block:
    return {
        "type": "button",
        "action_id": f"newsdesk_vote_{vote}",
        "value": vote,
        "text": {"type": "plain_text", "text": label, "emoji": True},
    }


def _section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def _one_line(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _pieces(text: str, limit: int) -> list[str]:
    """Text cut at spaces into pieces of at most `limit` characters."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit  # one word longer than a section is cut where it falls
        pieces.append(text[:cut])
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces
