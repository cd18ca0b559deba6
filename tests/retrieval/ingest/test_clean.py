"""Tests for retrieval.ingest.clean: the two real seed pages, then one rule at a time."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest.clean import clean_article_text
from tests.helpers import SEEDS

NBC_TITLE = "Kerry Urges Russia to Exercise Utmost Restraint in Crimea"
PBS_TITLE = "Lavrov warns Kerry that ‘reckless’ sanctions could come back to harm U.S."
BODY = "The minister arrived in Rome on Thursday for talks. He met his counterpart for two hours."


@pytest.fixture(scope="module")
def nbc() -> str:
    return clean_article_text((SEEDS / "000_bd662be0dd968903.txt").read_text(), NBC_TITLE)


@pytest.fixture(scope="module")
def pbs() -> str:
    return clean_article_text((SEEDS / "004_8e0b26ad5e015dd3.txt").read_text(), PBS_TITLE)


# --- seeds -------------------------------------------------------------------------------------


def test_nbc_starts_at_the_dateline(nbc: str) -> None:
    assert nbc.startswith(
        "WASHINGTON — U.S. Secretary of State John Kerry told Russian Foreign Minister Sergei"
        " Lavrov in a telephone call on Saturday"
    )


def test_nbc_drops_captions_newsletter_and_sign_off(nbc: str) -> None:
    for junk in (
        NBC_TITLE,
        "KEVIN LAMARQUE",
        "sidelines of an International conference",
        "Pete Souza",
        "talks on the telephone with President Francois Hollande",
        "Breaking News Emails",
        "Get breaking news alerts",
        "delivered weekday mornings",
        "— Reuters",
    ):
        assert junk not in nbc
    assert nbc.endswith(
        "Obama telephoned German Chancellor Angela Merkel to discuss the situation in Ukraine."
    )


def test_nbc_keeps_paragraphs(nbc: str) -> None:
    paragraphs = nbc.split("\n\n")
    assert len(paragraphs) == 8
    assert all(p == p.strip() and "\n" not in p for p in paragraphs)
    assert "Hollande's office said." in nbc


def test_pbs_keeps_the_body_once_from_the_first_update(pbs: str) -> None:
    assert pbs.startswith("Updated March 7 at 1:30 p.m. EST | In a call with")
    lavrov = (
        "In a call with Secretary of State John Kerry Friday, Russian foreign minister Sergei"
        " Lavrov warned the United States against “hasty and reckless steps”"
    )
    assert pbs.count(lavrov) == 1
    assert pbs.count("Kerry is expected to meet with Lavrov again in Rome on Thursday.") == 1


def test_pbs_drops_site_furniture(pbs: str) -> None:
    for junk in (
        "By —",
        "Barajas",
        "Scuiletti",
        "Leave your feedback",
        "Share",
        "Copy URL",
        "Facebook",
        "Tumblr",
        "pic.twitter.com",
        "@",
        "#Ukraine",
        "Time for Russia to talk to Ukraine",
        "March 5, 2014",
        "Video by",
        "We're not going anywhere",
        "Stand up for",
        "Donate",
        "senior editor",
        "Mar 7, 2014 1:28 PM EDT",
        "reckless’ sanctions could come back",
        "——",
    ):
        assert junk not in pbs, junk


def test_pbs_keeps_everything_of_substance(pbs: str) -> None:
    for kept in (
        "“hit the United States like a boomerang.”",
        "Reuters reports.",
        "the NewsHour will live stream the secretary’s remarks.",
        "“Russia’s violation of Ukraine’s sovereignty and territorial integrity has actually"
        " united the world in support of the Ukrainian people,” Kerry said.",
        "“Russia made a choice, and we have clearly stated that we believe it is the wrong choice",
        "“zero expectation”",
        "Russia did not attend a meeting in Paris on Wednesday morning to discuss the Budapest"
        " Memorandum",
        "“unilaterally and militarily.”",
        "Russian President Vladimir Putin said Tuesday that the unmarked troops",
        "He also said that it was not necessary to send Russian troops into Ukraine.",
        "Andrii Deshchytsia, acting Ukranian foreign minister",
        "Despite the missing signatory, Deshchytsia said that Ukraine would be willing to consult"
        " with Russia, “bilaterally and multilaterally.”",
    ):
        assert kept in pbs, kept


def test_pbs_update_headers_open_paragraphs(pbs: str) -> None:
    paragraphs = pbs.split("\n\n")
    headers = [p for p in paragraphs if p.startswith("Updated ")]
    assert [h.split(" |")[0] for h in headers] == [
        "Updated March 7 at 1:30 p.m. EST",
        "Updated March 6 at 5:00 p.m. EST",
        "Updated March 6 at 10:15 a.m.",
        "Updated March 5 at 4:00 p.m. EST",
    ]
    assert pbs.count("Updated ") == 4


# --- 1. normalisation --------------------------------------------------------------------------


def test_normalises_line_breaks_spaces_and_paragraphs() -> None:
    text = "  First\u00a0paragraph   here.  \r\n\r\n\r\n\r\n\tSecond\u2009one\u200b “quoted”.\r\n"
    assert clean_article_text(text) == "First paragraph here.\n\nSecond one “quoted”."


def test_each_line_becomes_a_paragraph() -> None:
    assert clean_article_text("One line here.\nAnother line here.") == (
        "One line here.\n\nAnother line here."
    )


# --- 3. title ----------------------------------------------------------------------------------


def test_title_on_its_own_first_line_is_removed() -> None:
    assert clean_article_text(f"{NBC_TITLE}\n\n{BODY}", NBC_TITLE) == BODY


def test_title_glued_into_the_header_run_is_removed() -> None:
    text = f"Share on Facebook Share on Twitter {PBS_TITLE} World Mar 7, 2014 1:28 PM EDT {BODY}"
    assert clean_article_text(text, PBS_TITLE) == BODY


def test_title_matches_across_quote_styles_and_case() -> None:
    plain = "Lavrov warns Kerry that 'reckless' sanctions could come back to harm U.S."
    assert clean_article_text(f"{plain.upper()}\n{BODY}", PBS_TITLE) == BODY


def test_short_title_does_not_cut_a_sentence() -> None:
    assert clean_article_text("Obama said he would call Putin.", "Obama") == (
        "Obama said he would call Putin."
    )


def test_title_later_in_the_text_stays() -> None:
    text = f"{BODY}\n\n{NBC_TITLE}, the headline said."
    assert clean_article_text(text, NBC_TITLE) == text


# --- 4. repeats --------------------------------------------------------------------------------


def test_body_carried_twice_is_kept_once() -> None:
    assert clean_article_text(f"{BODY}\n{BODY}") == BODY
    assert clean_article_text(f"{BODY} {BODY}") == BODY


def test_repeat_is_found_across_quote_styles_case_and_spacing() -> None:
    first = "“We will not back down,” the minister told reporters."
    again = '"we will not  back down," The minister told reporters.'
    assert clean_article_text(f"{first}\n\n{again}") == first


def test_short_sentences_may_repeat() -> None:
    text = "Kerry spoke first. He said.\n\nLavrov answered. He said."
    assert clean_article_text(text) == text


# --- 5. live-blog updates ----------------------------------------------------------------------


def test_update_headers_start_paragraphs() -> None:
    text = (
        "Updated March 7 at 1:30 p.m. EST | Kerry called Lavrov. Updated March 6 at 10:15 a.m."
        " | The two met in Rome."
    )
    assert clean_article_text(text) == (
        "Updated March 7 at 1:30 p.m. EST | Kerry called Lavrov.\n\n"
        "Updated March 6 at 10:15 a.m. | The two met in Rome."
    )


# --- 6. odd input ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n\r\n", "\x00\x01\x02", "—————", "|||"])
def test_empty_input_gives_empty_text(text: str) -> None:
    assert clean_article_text(text) == ""


def test_binary_looking_text_does_not_raise() -> None:
    rng = random.Random(7)
    blob = bytes(rng.randrange(256) for _ in range(5000))
    for text in (blob.decode("latin-1"), blob.decode("utf-8", errors="replace")):
        assert isinstance(clean_article_text(text, "Title"), str)
    assert clean_article_text("\ufffd" * 200) == ""


def test_is_deterministic_and_idempotent(pbs: str) -> None:
    raw = (SEEDS / "004_8e0b26ad5e015dd3.txt").read_text()
    assert clean_article_text(raw, PBS_TITLE) == pbs
    assert clean_article_text(pbs, PBS_TITLE) == pbs


_FRAGMENTS = [
    "Share", "Email Facebook Twitter", "By — Jane Doe Jane Doe", "Jane Doe is a reporter.",
    "@jdoe", "KEVIN LAMARQUE / AFP - Getty Images", "(AP Photo/Evan Vucci)", "——————",
    "— Name (@handle) March 5, 2014", "Updated March 7 at 1:30 p.m. EST |", "World Mar 7, 2014",
    "1:28 PM EDT", "Advertisement", "Read more:", "Donate now", "He said.", "“Quoted,” he said.",
    "The minister arrived in Rome on Thursday.", "\n", "\n\n", "\r\n", "\u00a0", "\ufffd", "\x00",
    ".", "|", "U.S.", "Mr.", "a.m.",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(), st.lists(st.sampled_from(_FRAGMENTS)).map(" ".join)),
    st.one_of(st.none(), st.text(max_size=40), st.sampled_from(_FRAGMENTS)),
)
def test_any_input_gives_tidy_text(text: str, title: str | None) -> None:
    cleaned = clean_article_text(text, title)
    assert cleaned == cleaned.strip()
    assert "\n\n\n" not in cleaned and "  " not in cleaned and "\r" not in cleaned
