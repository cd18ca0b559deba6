"""The one answer path as an LCEL chain: request → (rewrite a follow-up) → retrieve → answer."""

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from retrieval.records import Answer, SearchRequest
from retrieval.search.searcher import Retrieval, Searcher


class Answerer(Protocol):
    name: str

    def __call__(self, retrieval: Retrieval) -> Answer: ...

    def stream(self, retrieval: Retrieval) -> Iterator[Answer]:
        """Draft answers as they are written, then the final one."""
        ...


class AnswerStep(Runnable[Retrieval, Answer]):
    """The answer stage: `invoke` gives the final answer, `stream` the drafts before it."""

    name = "answer"

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer

    def invoke(
        self, input: Retrieval, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Answer:
        return self._call_with_config(self.answerer, input, config)

    def transform(
        self, input: Iterator[Retrieval], config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Answer]:
        for retrieval in input:
            yield from self.answerer.stream(retrieval)


def build_chain(
    searcher: Searcher,
    answerer: Answerer,
    rewrite: Callable[[SearchRequest], SearchRequest] | None = None,
) -> Runnable[SearchRequest, Answer]:
    """The one answer path, request → (rewrite a follow-up) → retrieve → answer; HTTP, Slack and
    the CLI all call it: `invoke` for the answer, `stream` for drafts and then the answer."""
    retrieve = RunnableLambda(searcher.retrieve, name="retrieve")
    if rewrite is not None:
        retrieve = RunnableLambda(rewrite, name="rewrite") | retrieve  # type: ignore[assignment]
    return retrieve | AnswerStep(answerer)
