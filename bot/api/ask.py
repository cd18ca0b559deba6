"""POST /ask and POST /ask/stream: the answer chain over HTTP."""

import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from bot.api.deps import GUARDED, Ready
from bot.api.errors import INTERNAL
from bot.api.schemas import ERRORS, AskBody, AskResponse
from bot.metrics import count_answer
from bot.render import answer_json
from retrieval.records import Answer

log = logging.getLogger("newsdesk.api")
router = APIRouter(dependencies=GUARDED)


@router.post("/ask", response_model=AskResponse, responses=ERRORS)
def ask(body: AskBody, svc: Ready) -> dict[str, Any]:
    """Answer a question with sentences quoted from the archive, each cited."""
    answer = svc.chain.invoke(body.request())
    count_answer(answer, "http")
    return answer_json(answer)


@router.post(
    "/ask/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **ERRORS},
)
def ask_stream(body: AskBody, svc: Ready) -> StreamingResponse:
    """The answer as server-sent events: `delta` events carry text as it is written (a
    model's, not yet verified), then one `answer` event carries the /ask body."""
    answers = svc.chain.stream(body.request())
    first = next(answers)  # before the stream starts, so a failed search gets its status
    return StreamingResponse(_events(first, answers), media_type="text/event-stream")


def _events(first: Answer, rest: Iterator[Answer]) -> Iterator[str]:
    shown = ""
    try:
        for answer in itertools.chain([first], rest):
            if answer.draft or not shown:
                new = answer.text.removeprefix(shown) if answer.draft else answer.text
                shown = answer.text
                yield _event("delta", {"text": new})
            if not answer.draft:
                count_answer(answer, "http")
                yield _event("answer", answer_json(answer))
    except Exception:
        log.exception("unexpected error while streaming an answer")
        yield _event("error", {"error": INTERNAL})


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
