"""Answers → Block Kit, and Slack's text → a question: pure functions over literal values."""

from datetime import date

from bot.slack.blocks import (
    FEEDBACK_BLOCK,
    MAX_BLOCKS,
    MAX_SECTION_CHARS,
    answer_blocks,
    escape,
    fallback_text,
    thanked,
)
from bot.slack.listeners import question_text
from retrieval.records import Answer, Citation

PBS_URL = "https://www.pbs.org/newshour/world/ukraine-update"


def citation(n: int, url: str = "", quote: str = "Lavrov warned.", title: str = "T") -> Citation:
    return Citation(
        n, f"a{n}", title, url, "PBS NewsHour", date(2014, 3, 7), quote, 0, len(quote), quote, 0
    )


def answer(text: str, *citations: Citation, generated_by: str = "extractive") -> Answer:
    return Answer("What did Lavrov warn?", text, True, citations, generated_by, 31.4)


def mrkdwn(blocks: list[dict]) -> list[str]:
    return [
        block["text"]["text"] if "text" in block else block["elements"][0]["text"]
        for block in blocks
        if block["type"] in ("section", "context")
    ]


def test_markers_link_to_their_sources_and_each_source_gets_a_context_line() -> None:
    blocks = answer_blocks(
        answer("Lavrov warned. [1] Kerry called. [2]", citation(1, PBS_URL), citation(2))
    )

    assert blocks[0]["text"]["text"] == f"Lavrov warned. <{PBS_URL}|[1]> Kerry called. [2]"
    assert blocks[1]["elements"][0]["text"] == (
        f"*[1]* <{PBS_URL}|T> — PBS NewsHour, 2014-03-07\n“Lavrov warned.”"
    )
    assert blocks[2]["elements"][0]["text"].startswith("*[2]* T — PBS NewsHour")
    assert "extractive" in blocks[3]["elements"][0]["text"]
    assert blocks[4]["block_id"] == FEEDBACK_BLOCK
    assert [e["value"] for e in blocks[4]["elements"]] == ["up", "down"]


def test_article_text_is_escaped_and_only_web_links_are_linked() -> None:
    cited = citation(1, "javascript:alert(1)", quote="AT&T said <b> was > 3", title="Q&A <live>")

    blocks = answer_blocks(answer("AT&T said <b> was > 3 [1]", cited))

    assert blocks[0]["text"]["text"] == "AT&amp;T said &lt;b&gt; was &gt; 3 [1]"
    source = blocks[1]["elements"][0]["text"]
    assert source.startswith("*[1]* Q&amp;A &lt;live&gt; — ")
    assert "“AT&amp;T said &lt;b&gt; was &gt; 3”" in source
    assert "javascript" not in source


def test_a_url_cannot_break_out_of_its_link() -> None:
    blocks = answer_blocks(answer("Said so. [1]", citation(1, "https://x.org/a b|c>d&e")))

    assert "<https://x.org/a%20b%7Cc%3Ed&amp;e|[1]>" in blocks[0]["text"]["text"]


def test_a_long_answer_is_split_into_sections_slack_accepts() -> None:
    text = " ".join(f"Sentence {i} says R&D matters. [1]" for i in range(400))

    blocks = answer_blocks(answer(text, citation(1)))

    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(sections) > 1
    assert all(len(s) <= MAX_SECTION_CHARS for s in sections)
    assert " ".join(sections) == escape(text)


def test_many_sources_stay_within_fifty_blocks() -> None:
    citations = [citation(n) for n in range(1, 81)]

    blocks = answer_blocks(answer(" ".join(f"S. [{n}]" for n in range(1, 81)), *citations))

    assert len(blocks) == MAX_BLOCKS
    assert blocks[-3]["elements"][0]["text"] == "…and 34 more sources"
    assert blocks[-1]["block_id"] == FEEDBACK_BLOCK


def test_declined_answer_is_plain_text_without_sources_or_buttons() -> None:
    declined = Answer("Who won the 2014 World Cup?", "The archive doesn't say.", False)

    assert answer_blocks(declined) == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "The archive doesn't say."}}
    ]


def test_slash_answer_shows_who_asked_what() -> None:
    blocks = answer_blocks(answer("Lavrov warned. [1]", citation(1)), asked_by="U0ALICE")

    assert blocks[0]["text"]["text"] == "<@U0ALICE> asked:\n>What did Lavrov warn?"
    assert fallback_text(answer("A & B. [1]"), asked_by="U0ALICE") == (
        "<@U0ALICE> asked:\n>What did Lavrov warn?\nA &amp; B. [1]"
    )


def test_fallback_is_one_escaped_line() -> None:
    assert fallback_text(answer("One <two>.\n\nThree. [1]")) == "One &lt;two&gt;. Three. [1]"


def test_thanks_replace_the_buttons_and_keep_the_answer() -> None:
    blocks = answer_blocks(answer("Lavrov warned. [1]", citation(1, PBS_URL)))

    after = thanked(blocks, "U0BOB", "down")

    assert after[:-1] == blocks[:-1]
    assert after[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "👎 Thanks for the feedback, <@U0BOB>."}],
    }


def test_question_text_drops_mentions_and_undoes_slack_formatting() -> None:
    said = "<@U0NEWSDESK> what did <https://pbs.org|PBS> say about AT&amp;T &lt;3 in <#C1|news>?"

    assert question_text(said) == "what did PBS say about AT&T <3 in news?"
    assert question_text("<@U0NEWSDESK|newsdesk>  <!here> ") == ""
