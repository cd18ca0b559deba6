"""Build a silver news dev set from RealTime QA's 2023+ weeks (articles, questions, README).

Run: python -m benchmarks.realtimeqa GIT_DIR [--out benchmarks/data/realtimeqa], where GIT_DIR
is a git directory of github.com/realtimeqa/realtimeqa_public. Files are read with `git show`.
"""

import argparse
import hashlib
import json
import re
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from retrieval.evaluate import normalise

FIRST_YEAR = 2023  # the 2022 weeks are held out for independent checks: never read them
WEEK_FILE = re.compile(r"^(?:past/\d{4}|latest)/(\d{8})_(qa|gcs)\.jsonl$")
MIN_WORDS = 40  # below this the scraper kept only a lead sentence or two
BOILERPLATE = (  # pages whose whole scraped "text" is site furniture, not the article
    "We will use the details you have shared",  # The Week's registration form
    "A free account gives you",  # USA TODAY's sign-in wall
    "1. How relevant is this ad to you?",  # CNN's ad-feedback widget
)
TRACKING = re.compile(
    r"^(utm_.*|gca-.*|gnt-.*|fbclid|gclid|hootpostid|cid|from|bcmt|showmenu|amp)$"
)
NOT_IN_TEXT = re.compile(r"^\W*(?:[a-d][.)]\s*)?(?:none|all) of (?:the above|these)", re.I)


@dataclass
class Question:
    out: dict[str, Any]  # the questions.jsonl record; gold_ids are filled in once all is read
    as_of: date
    urls: list[str] = field(default_factory=list)  # canonical URLs retrieved for it, in rank order


@dataclass
class Corpus:
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)  # by canonical URL
    dropped: dict[str, str] = field(default_factory=dict)  # canonical URL -> reason
    questions: dict[str, Question] = field(default_factory=dict)  # by output id
    weeks: list[str] = field(default_factory=list)


def warn(where: str, message: str) -> None:
    print(f"warning: {where}: {message}", file=sys.stderr)


def git_lines(git_dir: str, *args: str) -> list[str]:
    done = subprocess.run(["git", "--git-dir", git_dir, *args], capture_output=True, check=True)
    return done.stdout.decode("utf-8").splitlines()


def parse_day(value: Any) -> date | None:
    """A date from 'YYYY/MM/DD' or 'YYYY-MM-DD'; None when absent or malformed."""
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-")) if value else None
    except ValueError:
        return None


def strip_tracking(url: str) -> str:
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, True) if not TRACKING.match(k.lower())]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def canonical(url: str) -> str:
    """The dedup key: https, host without www., no trailing slash, no tracking, sorted query."""
    parts = urlsplit(strip_tracking(url))
    host = (parts.hostname or "").removeprefix("www.")
    query = urlencode(sorted(parse_qsl(parts.query, True)))
    return urlunsplit(("https", host, parts.path.rstrip("/") or "/", query, ""))


def drop_reason(text: str) -> str | None:
    if not text:
        return "empty text"
    if text.startswith(BOILERPLATE):
        return "site boilerplate only"
    if len(text.split()) < MIN_WORDS:
        return f"snippet under {MIN_WORDS} words"
    return None


def read_question(record: Any) -> Question:
    """Check one qa record; raise ValueError/KeyError/TypeError saying what is wrong."""
    choices = record["choices"]
    if not (isinstance(choices, list) and all(isinstance(c, str) for c in choices)):
        raise TypeError("choices must be a list of strings")
    answer = record["answer"]
    indexes = answer if isinstance(answer, list) else [answer]  # one week has a bare "1"
    if len(indexes) != 1 or not 0 <= int(indexes[0]) < len(choices):
        raise ValueError(f"answer {answer!r} is not one index into {len(choices)} choices")
    as_of = parse_day(record["question_date"])
    if as_of is None:
        raise ValueError(f"question_date {record['question_date']!r} is not a date")
    if not (text := " ".join(str(record["question_sentence"]).split())):
        raise ValueError("empty question_sentence")
    out: dict[str, Any] = {"id": f"rtqa-{record['question_id']}", "question": text}
    out["answers"], out["choices"] = (
        [choices[int(indexes[0])].strip()],
        [c.strip() for c in choices],
    )
    return Question(out | {"gold_ids": [], "as_of": as_of.isoformat(), "silver": True}, as_of)


def add_result(corpus: Corpus, question: Question, result: Any, where: str) -> None:
    if not isinstance(result, dict) or not isinstance(result.get("url"), str):
        warn(where, "search result without a url")
        return
    key = canonical(result["url"])
    if key not in question.urls:
        question.urls.append(key)
    if key in corpus.articles:
        return  # keep the first crawl: the one nearest the earliest question that retrieved it
    text = str(result.get("text") or "").strip()
    if reason := drop_reason(text):
        corpus.dropped.setdefault(key, reason)
        return
    corpus.dropped.pop(key, None)
    url = strip_tracking(result["url"])
    published = parse_day(result.get("publish_date"))
    corpus.articles[key] = {
        "id": "rtqa-" + hashlib.sha256(key.encode()).hexdigest()[:16],
        "title": " ".join(str(result.get("title") or "").split()),
        "text": text,
        "url": url,
        "source": (urlsplit(url).hostname or "").removeprefix("www."),  # no site name in records
        "published_at": published.isoformat() if published else None,
    }


def read_week(corpus: Corpus, git_dir: str, week: str, files: dict[str, str]) -> None:
    by_id: dict[str, Question] = {}  # a week's search records name its questions by question_id
    for number, line in enumerate(git_lines(git_dir, "show", f"HEAD:{files['qa']}"), 1):
        where = f"{files['qa']}:{number}"
        try:
            record = json.loads(line)
            question, qid = read_question(record), str(record["question_id"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            warn(where, f"skipped question: {type(error).__name__}: {error}")
            continue
        if qid in by_id:
            warn(where, f"skipped question: question_id {qid} is on an earlier line too")
            continue
        if question.out["id"] in corpus.questions:
            question.out["id"] = f"rtqa-{week}-{qid}"
            warn(
                where,
                f"question_id {qid} is an earlier week's too; written as {question.out['id']}",
            )
        corpus.questions[question.out["id"]] = by_id[qid] = question
    gcs = files.get("gcs")
    for number, line in enumerate(git_lines(git_dir, "show", f"HEAD:{gcs}") if gcs else [], 1):
        where = f"{gcs}:{number}"
        try:
            record = json.loads(line)
            qid, results = str(record["question_id"]), record["search_result"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            warn(where, f"skipped search record: {type(error).__name__}: {error}")
            continue
        if not (asked := by_id.get(qid)):
            warn(where, f"skipped search record: no question {qid} in {files['qa']}")
            continue
        for result in results if isinstance(results, list) else []:
            add_result(corpus, asked, result, where)


def gold_articles(question: Question, corpus: Corpus, normalised: dict[str, str]) -> list[Any]:
    answer = normalise(question.out["answers"][0])
    if not answer or NOT_IN_TEXT.match(question.out["answers"][0]):
        return []
    found = []
    for article in (corpus.articles[k] for k in question.urls if k in corpus.articles):
        if article["id"] not in normalised:
            normalised[article["id"]] = f" {normalise(article['text'])} "
        if f" {answer} " in normalised[article["id"]]:  # whole words: "ten" is not in "often"
            found.append(article)
    return found


def convert(git_dir: str, out: Path) -> str:
    """Convert the 2023+ weeks into `out`; return the summary paragraph."""
    weeks: dict[str, dict[str, str]] = defaultdict(dict)
    for path in git_lines(git_dir, "ls-tree", "-r", "--name-only", "HEAD"):
        match = WEEK_FILE.match(path)
        if match and int(match[1][:4]) >= FIRST_YEAR:  # filter on the name, before any read
            weeks[match[1]][match[2]] = path
    corpus = Corpus()
    for week, files in sorted(weeks.items()):
        if "qa" not in files:
            warn(files["gcs"], "skipped week: no answered _qa.jsonl beside it")
            continue
        corpus.weeks.append(f"{week[:4]}-{week[4:6]}-{week[6:]}")
        read_week(corpus, git_dir, week, files)
    normalised: dict[str, str] = {}
    questions, late, counts = [], 0, Counter[str]()
    for question in corpus.questions.values():
        gold = gold_articles(question, corpus, normalised)
        late += sum(1 for a in gold if (a["published_at"] or "") > question.as_of.isoformat())
        nota = bool(NOT_IN_TEXT.match(question.out["answers"][0]))
        counts.update(gold=bool(gold), unsearched=not question.urls, nota=nota)
        question.out["gold_ids"] = [a["id"] for a in gold]
        question.out["search_ids"] = [
            corpus.articles[k]["id"] for k in question.urls if k in corpus.articles
        ]
        questions.append(question.out)
    articles = list(corpus.articles.values())
    out.mkdir(parents=True, exist_ok=True)
    for name, records in (("articles.jsonl", articles), ("questions.jsonl", questions)):
        lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        (out / name).write_text("".join(lines), encoding="utf-8")
    span = f"{corpus.weeks[0]} to {corpus.weeks[-1]}" if corpus.weeks else "none"
    texts = Counter(str(q["question"]).lower() for q in questions)
    drops = ", ".join(f"{r} {n}" for r, n in Counter(corpus.dropped.values()).most_common())
    sources = Counter(a["source"] for a in articles)
    outlets = ", ".join(f"{s} {n}" for s, n in sources.most_common(10))
    words = statistics.median(len(a["text"].split()) for a in articles) if articles else 0
    summary = (
        f"RealTime QA weeks {span} ({len(corpus.weeks)} weeks): {len(questions)} questions, "
        f"{counts['gold']} with ≥1 gold article ({counts['unsearched']} had no search results; "
        f"{counts['nota']} are answered by an all/none-of-the-above choice, never gold; "
        f"{sum(n - 1 for n in texts.values() if n > 1)} repeat an earlier question's text). "
        f"{len(articles)} articles; {len(corpus.dropped)} distinct URLs dropped "
        f"({drops or 'none'}). {late} gold links point at an article published after the "
        f"question's as_of. Outlets: {outlets}. Median article {words:g} words."
    )
    commit = git_lines(git_dir, "rev-parse", "HEAD")[0]
    (out / "README.md").write_text(
        f"# RealTime QA dev set (silver): do not commit\n\nMade by `benchmarks/realtimeqa.py` from "
        f"github.com/realtimeqa/realtimeqa_public at {commit}: weekly `*_qa.jsonl` questions and "
        f"`*_gcs.jsonl` Google results, weeks {span}; the 2022 weeks are held out, never read.\n\n"
        f"{summary}\n\n`gold_ids`: retrieved articles whose text holds the right choice after "
        "SQuAD normalisation; no person checked them.\n\nThe source states no licence: this "
        "folder is git-ignored and its data must never be committed.\n",
        encoding="utf-8",
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir", help="git directory of realtimeqa/realtimeqa_public")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/data/realtimeqa"))
    args = parser.parse_args()
    print(convert(args.git_dir, args.out))


if __name__ == "__main__":
    main()
