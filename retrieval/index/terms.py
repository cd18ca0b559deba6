"""The tokenizer shared by BM25, question reading and answer selection: stemmed content words."""

import re
from functools import lru_cache

import bm25s
import Stemmer

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
# "US" and "U.S." would read as the pronoun "us", a stopword: they count as "United States".
UNITED_STATES = re.compile(r"\b(?:U\.S\.(?:A\.)?|USA?)(?![\w.])")
_stemmer = Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased words, with inner apostrophes and dots kept ("u.s.", "o'neill")."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def terms(text: str) -> list[str]:
    """Stemmed content words: what BM25 and the answer selector count as overlap."""
    text = UNITED_STATES.sub("United States", text)
    return [term for word in _WORD.findall(text.lower()) if (term := _term(word))]


@lru_cache(maxsize=262144)
def _term(word: str) -> str | None:
    """A word's stem, or None for a stopword; cached, as news repeats its words."""
    word = word.replace("’", "'").replace(".", "").removesuffix("'s")
    if not word or word in STOPWORDS:
        return None
    return str(_stemmer.stemWord(IRREGULAR.get(word, word)))
