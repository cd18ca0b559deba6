"""Answers and hits → the shapes each interface shows: JSON and terminal text."""

from typing import Any

from retrieval.documents import Answer, Hit


def answer_json(answer: Answer) -> dict[str, Any]:
    """The /ask response body (and `newsdesk ask --json`)."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "answered": answer.answered,
        "citations": [
            {
                "n": c.n,
                "article_id": c.article_id,
                "title": c.title,
                "url": c.url,
                "source": c.source,
                "published_at": c.published_at.isoformat() if c.published_at else None,
                "quote": c.quote,
            }
            for c in answer.citations
        ],
        "generated_by": answer.generated_by,
        "took_ms": answer.took_ms,
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    """One /search hit."""
    return {
        "article_id": hit.article_id,
        "chunk_id": hit.chunk_id,
        "title": hit.title,
        "url": hit.url,
        "source": hit.source,
        "published_at": hit.published_at.isoformat() if hit.published_at else None,
        "text": hit.text,
        "score": round(hit.score, 6),
        "event_dates": list(hit.event_dates),
    }


def answer_text(answer: Answer) -> str:
    """An answer for a terminal: the text, then one line per source."""
    lines = [answer.text]
    if answer.citations:
        lines.append("")
    for c in answer.citations:
        when = c.published_at.isoformat() if c.published_at else "undated"
        where = ", ".join(part for part in (c.source, when) if part)
        lines.append(f"[{c.n}] {c.title} — {where}" + (f"\n    {c.url}" if c.url else ""))
    return "\n".join(lines)


def hit_text(rank: int, hit: Hit) -> str:
    """A search hit for a terminal."""
    when = hit.published_at.isoformat() if hit.published_at else "undated"
    snippet = " ".join(hit.text.split())[:200]
    source = hit.source or "unknown source"
    return f"{rank}. {hit.title} — {source}, {when} ({hit.score:.3f})\n   {snippet}"
