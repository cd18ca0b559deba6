"""The LangChain tutorial pipeline as a question answerer, measured beside newsdesk on the same
questions: RecursiveCharacterTextSplitter (1000/200) → Chroma through langchain-chroma with
all-MiniLM-L6-v2 (sentence-transformers, as the tutorial runs it) → similarity search. It has no
answer stage of its own, so its answer is the sentence of its top chunks nearest the question."""

import time
from pathlib import Path

import numpy as np
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_huggingface import HuggingFaceEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from retrieval.index.embed import default_model_path
from retrieval.ingest.dates import parse_date
from retrieval.ingest.sentences import split_sentences
from retrieval.records import Answer, Article, Hit, SearchRequest
from retrieval.search.question import analyse
from retrieval.search.searcher import Retrieval

ANSWER_CHUNKS = 4  # as newsdesk's answer stage: the best sentence of the top four chunks
BATCH = 256


class TutorialPipeline:
    """Splits, embeds and stores the articles once; then answers requests as newsdesk does."""

    def __init__(self, articles: list[Article], folder: Path) -> None:
        self.embeddings = HuggingFaceEmbeddings(model_name=default_model_path())
        self.store = Chroma(embedding_function=self.embeddings, persist_directory=str(folder))
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=1000, chunk_overlap=200, add_start_index=True
        )
        documents = [
            Document(
                article.text,
                metadata={
                    "article_id": article.article_id,
                    "title": article.title,
                    "url": article.url,
                    "source": article.source,
                    "published_at": str(article.published_at or ""),
                },
            )
            for article in articles
        ]
        chunks = splitter.split_documents(documents)
        for i in range(0, len(chunks), BATCH):
            self.store.add_documents(chunks[i : i + BATCH])

    def __call__(self, request: SearchRequest) -> tuple[Retrieval, Answer]:
        started = time.perf_counter()
        found = self.store.similarity_search_with_score(request.query, k=request.k)
        hits = [_hit(document, distance) for document, distance in found]
        retrieval = Retrieval(request, analyse(request.query, None, {}), hits, {}, started)
        return retrieval, self._answer(request.query, hits, started)

    def _answer(self, query: str, hits: list[Hit], started: float) -> Answer:
        spans = [(hit, s, e) for hit in hits[:ANSWER_CHUNKS] for s, e in split_sentences(hit.text)]
        if not spans:
            return Answer(question=query, text="", answered=False)
        vectors = np.array(self.embeddings.embed_documents([h.text[s:e] for h, s, e in spans]))
        nearest = int(np.argmax(vectors @ np.array(self.embeddings.embed_query(query))))
        hit, start, end = spans[nearest]
        return Answer(
            question=query,
            text=f"{hit.text[start:end]} [1]",
            answered=True,
            citations=(hit.citation(1, hit.start + start, hit.start + end),),
            took_ms=round((time.perf_counter() - started) * 1000, 1),
        )


def _hit(document: Document, distance: float) -> Hit:
    meta = document.metadata
    start = int(meta["start_index"])
    return Hit(
        chunk_id=f"{meta['article_id']}@{start}",
        article_id=meta["article_id"],
        title=meta["title"],
        url=meta["url"],
        source=meta["source"],
        published_at=parse_date(meta["published_at"]) if meta["published_at"] else None,
        text=document.page_content,
        start=start,
        score=-distance,
    )
