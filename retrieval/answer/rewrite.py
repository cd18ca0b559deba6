"""Follow-up questions made standalone by the chat model, before retrieval; the rule in
retrieval.search.followup stays in charge whenever the model's version can't be trusted."""

import logging
from dataclasses import replace

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from retrieval.index.terms import terms
from retrieval.records import SearchRequest

log = logging.getLogger("newsdesk.llm")

SYSTEM = """Rewrite the user's last question so that it can be understood without the \
conversation: replace pronouns and add the names it leaves out. Reply with the question only."""
MAX_CHARS = 300


class Rewriter:
    """A request with history → the same request with a standalone question and no history."""

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model

    def __call__(self, request: SearchRequest) -> SearchRequest:
        if not request.history:
            return request
        earlier = "\n".join(f"- {q}" for q in request.history)
        messages = [
            SystemMessage(SYSTEM),
            HumanMessage(f"Earlier questions:\n{earlier}\n\nLast question: {request.query}"),
        ]
        try:
            reply = self.model.invoke(messages).text
        except Exception as error:  # the rule-based rewrite still applies
            log.warning("rewriting a follow-up failed: %s", type(error).__name__)
            return request
        question = " ".join(reply.strip().strip('"“”').split())
        if not faithful(question, request):
            return request
        return replace(request, query=question, history=())


def faithful(rewritten: str, request: SearchRequest) -> bool:
    """The rewrite keeps most of the question's words and adds none the conversation lacks."""
    if not rewritten or len(rewritten) > MAX_CHARS or "\n" in rewritten:
        return False
    new = set(terms(rewritten))
    asked = set(terms(request.query))
    said = asked | {t for q in request.history for t in terms(q)}
    return bool(new) and new <= said and len(new & asked) * 2 >= len(asked)
