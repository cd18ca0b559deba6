"""BM25 over chunk texts, with the tokenizer shared by search and answer selection."""

import re
from collections import Counter
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer
from numpy.typing import NDArray

_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")
STOPWORDS = frozenset(bm25s.stopwords.STOPWORDS_EN) | frozenset(
    """did does do what which who whom whose when where why how s t he she him her his they them
    their we us our you your i me my its one about from has have had been were so than those
    can could would should may might also""".split()
)
# The stemmer leaves irregular verbs alone; news questions ask "tell" of text that says "told".
IRREGULAR = dict(
    pair.split(":")
    for pair in """told:tell said:say says:say met:meet spoke:speak spoken:speak won:win
    went:go gone:go took:take taken:take gave:give given:give made:make began:begin begun:begin
    brought:bring bought:buy caught:catch chose:choose chosen:choose came:come did:do done:do
    drew:draw drawn:draw drove:drive driven:drive ate:eat eaten:eat fell:fall fallen:fall
    felt:feel fought:fight found:find flew:fly flown:fly forgot:forget got:get gotten:get
    grew:grow grown:grow had:have has:have held:hold hid:hide kept:keep knew:know known:know
    led:lead left:leave lost:lose meant:mean paid:pay ran:run rose:rise risen:rise saw:see
    seen:see sold:sell sent:send shot:shoot sang:sing sung:sing sat:sit slept:sleep stood:stand
    stole:steal struck:strike swore:swear taught:teach thought:think threw:throw thrown:throw
    understood:understand woke:wake wore:wear worn:wear wrote:write written:write built:build
    broke:break broken:break became:become fed:feed forbade:forbid froze:freeze frozen:freeze
    hung:hang laid:lay lent:lend lit:light sought:seek shook:shake shaken:shake sank:sink
    spent:spend spread:spread stuck:stick swept:sweep swam:swim tore:tear torn:tear""".split()
)
_stemmer = Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased words, with inner apostrophes and dots kept ("u.s.", "o'neill")."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def terms(text: str) -> list[str]:
    """Stemmed content words: what BM25 and the answer selector count as overlap."""
    return [term for word in _WORD.findall(text.lower()) if (term := _term(word))]


@lru_cache(maxsize=262144)
def _term(word: str) -> str | None:
    """A word's stem, or None for a stopword; cached, as news repeats its words."""
    word = word.replace("’", "'").replace(".", "").removesuffix("'s")
    if not word or word in STOPWORDS:
        return None
    return str(_stemmer.stemWord(IRREGULAR.get(word, word)))


class LexicalIndex:
    """An in-memory BM25 index over a fixed list of documents."""

    def __init__(self, texts: list[str]) -> None:
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        self.documents = [terms(t) for t in texts]  # each text's terms, for scoring candidates
        self.document_frequency = Counter(term for doc in self.documents for term in set(doc))
        if texts:
            self._bm25.index([doc or ["\x00"] for doc in self.documents], show_progress=False)

    def scores(self, query: str) -> NDArray[np.float32]:
        """BM25 score of every document for the query (0 where no term matches)."""
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        tokens = [t for t in terms(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def top(
        self, query: str, n: int, allowed: NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        """The n best (document position, score) pairs with a positive score."""
        scores = self.scores(query)
        if allowed is not None and scores.size:
            scores = np.where(allowed, scores, 0.0)
        n = min(n, int(np.count_nonzero(scores)))
        if n <= 0:
            return []
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(i), float(scores[i])) for i in best]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term; rare terms weigh more."""
        df = self.document_frequency.get(term, 0)
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))
