"""Tests for retrieval.clean: the two real seed pages, then one rule at a time."""

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.clean import clean_article_text

SEEDS = Path(__file__).parents[2] / "seeds"
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


# --- 2. boilerplate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    [
        "Share",
        "Share this article",
        "Email Facebook Twitter LinkedIn Pinterest Tumblr",
        "Share on Facebook Share on Twitter",
        "Leave your feedback",
        "Copy URL https://example.com/news/story",
        "Advertisement",
        "Read more: Five things to know about the talks",
        "Related: Kerry meets Lavrov in Paris",
        "Breaking News Emails",
        "Get breaking news alerts and special reports. The news and stories that matter,"
        " delivered weekday mornings.",
        "Sign up for our newsletter",
        "Subscribe to our daily newsletter for the latest headlines.",
        "We use cookies to improve your experience. By continuing to use this site, you agree.",
        "We're not going anywhere. Stand up for truly independent, trusted news that you can"
        " count on! Donate now",
        "By Jane Doe",
        "By — Joshua Barajas Joshua Barajas",
        "Video by Associated Press",
        "— Reuters",
        "Officials meet in Rome on March 6, 2014. KEVIN LAMARQUE / AFP - Getty Images",
        "The president speaks by phone in Key Largo, Florida.Pete Souza / The White House",
        "Protesters gather outside the embassy. (AP Photo/Evan Vucci)",
        "Smoke rises over the city. Photo: Reuters",
    ],
)
def test_boilerplate_paragraph_is_dropped(junk: str) -> None:
    assert clean_article_text(f"{BODY}\n\n{junk}\n\nThe talks ended at noon.") == (
        f"{BODY}\n\nThe talks ended at noon."
    )


def test_only_boilerplate_gives_empty_text() -> None:
    text = "Share\n\nEmail Facebook Twitter\n\nAdvertisement\n\nSign up for our newsletter\n\n— AP"
    assert clean_article_text(text) == ""


def test_glued_share_bar_and_bylines_are_cut_from_a_long_line() -> None:
    text = (
        "By — Jane Doe Jane Doe Leave your feedback Share Copy URL https://x.org/a"
        " Email Facebook Twitter LinkedIn Share on Facebook " + BODY
    )
    assert clean_article_text(text) == BODY


def test_glued_advertisement_and_donation_are_cut() -> None:
    text = (
        "The minister arrived on Thursday. Advertisement He met his counterpart."
        " We're not going anywhere. Stand up for truly independent, trusted news that you can"
        " count on! Donate now"
    )
    assert clean_article_text(text) == "The minister arrived on Thursday. He met his counterpart."


def test_glued_newsletter_prompts_are_cut() -> None:
    text = (
        "Kerry left Rome. Sign up for our newsletter Lavrov stayed behind. Breaking News Emails"
        " Get breaking news alerts and special reports. The talks ended."
    )
    assert clean_article_text(text) == "Kerry left Rome. Lavrov stayed behind. The talks ended."


def test_byline_before_a_dateline_keeps_the_dateline() -> None:
    text = "By Jane Doe WASHINGTON — The Senate voted on Friday."
    assert clean_article_text(text) == "WASHINGTON — The Senate voted on Friday."


def test_author_bio_after_a_byline_is_dropped() -> None:
    text = (
        f"By — Jane Doe Jane Doe {BODY} By — Jane Doe Jane Doe Jane Doe is a senior reporter for"
        " the Daily Planet. She covers the State Department. @janedoe"
    )
    assert clean_article_text(text) == BODY


def test_bio_paragraph_ending_in_a_handle_is_dropped() -> None:
    text = f"{BODY}\n\nJohn Smith is a correspondent for the Daily Planet in Moscow. @jsmith"
    assert clean_article_text(text) == BODY


def test_caption_before_a_byline_is_dropped() -> None:
    text = (
        "Kerry and Lavrov meet in Rome. KEVIN LAMARQUE / AFP - Getty Images By Jane Doe Jane Doe "
        + BODY
    )
    assert clean_article_text(text) == BODY


def test_long_paragraph_ending_in_a_credit_loses_only_the_caption() -> None:
    body = " ".join(f"Sentence number {n} of the story is here." for n in range(8))
    text = f"{body} Kerry waves to reporters. (AP Photo/Evan Vucci)"
    assert clean_article_text(text) == body


def test_video_credit_and_dash_rule_are_cut() -> None:
    text = "The talks ended. —————— Video by PBS NewsHour The ministers left Rome."
    assert clean_article_text(text) == "The talks ended.\n\nThe ministers left Rome."


def test_embedded_tweets_are_cut() -> None:
    text = (
        "Kerry arrived in Paris. In Paris to meet @JohnKerry and others on #Ukraine. Time for"
        " talks — William Hague (@WilliamJHague) March 5, 2014 Russia did not attend the meeting."
        " .@WilliamJHague meets #Ukraine minister pic.twitter.com/Ha3Dx9hBGc — Foreign Office"
        " (@FCDOGovUK) March 5, 2014 The ministers left."
    )
    assert clean_article_text(text) == (
        "Kerry arrived in Paris.\n\nRussia did not attend the meeting.\n\nThe ministers left."
    )


def test_agency_sign_off_glued_to_the_last_paragraph_is_cut() -> None:
    assert clean_article_text(f"{BODY} — Reuters") == BODY


def test_section_and_timestamp_header_is_cut() -> None:
    assert clean_article_text(f"World Mar 7, 2014 1:28 PM EDT {BODY}") == BODY


@pytest.mark.parametrize(
    "prose",
    [
        "Shares of Twitter rose 5% on Monday.",
        "Readers can share the story on Facebook, Twitter or by email.",
        "Advertisement revenue fell sharply in the first quarter.",
        "He said he would read more about the Budapest Memorandum.",
        "By Friday, the troops had left the peninsula.",
        "The company, based in San Francisco, makes software.",
        "Support for the plan fell to 40 percent.",
    ],
)
def test_prose_with_boilerplate_words_survives(prose: str) -> None:
    assert clean_article_text(prose) == prose


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
