"""POST /feedback: 👍/👎 from the web page, kept with Slack's."""

from fastapi import APIRouter, Request

from bot.api.deps import GUARDED, client_address
from bot.api.schemas import ERRORS, VoteBody
from bot.feedback import Feedback

router = APIRouter(dependencies=GUARDED)


@router.post("/feedback", status_code=204, responses=ERRORS)
def feedback(body: VoteBody, request: Request) -> None:
    """Record a vote on an answer; `newsdesk feedback` lists it."""
    votes = Feedback(request.app.state.data_dir)  # opened here: serving alone writes no file
    votes.vote_on_web(
        body.question, body.answer, body.article_ids, client_address(request), body.vote
    )
