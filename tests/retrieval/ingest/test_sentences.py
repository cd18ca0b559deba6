"""Sentence spans: abbreviations, quotes, live-blog separators, runaway length."""

from retrieval.ingest.sentences import MAX_SENTENCE_WORDS, split_sentences


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = "Mr. Smith met Gen. Ann B. Jones at 5 p.m. Friday in Washington. They talked."

    assert sentences(text) == [
        "Mr. Smith met Gen. Ann B. Jones at 5 p.m. Friday in Washington.",
        "They talked.",
    ]


def test_us_ends_a_sentence_before_a_sentence_opener_only() -> None:
    text = "Relations with the U.S. According to officials, U.S. Navy ships left."

    assert sentences(text) == [
        "Relations with the U.S.",
        "According to officials, U.S. Navy ships left.",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "“We will not back down,” she said. “Never.” He left."

    assert sentences(text) == ["“We will not back down,” she said.", "“Never.”", "He left."]


def test_newlines_and_pipes_separate() -> None:
    text = "Updated March 7 | In a call on Friday, he spoke\n\nNext paragraph"

    assert sentences(text) == ["Updated March 7", "In a call on Friday, he spoke", "Next paragraph"]


def test_runaway_sentences_are_cut() -> None:
    text = " ".join(["word"] * (MAX_SENTENCE_WORDS * 2 + 5))

    assert [len(s.split()) for s in sentences(text)] == [MAX_SENTENCE_WORDS, MAX_SENTENCE_WORDS, 5]
