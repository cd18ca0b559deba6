"""What site furniture looks like in scraped article text: bylines, share bars, newsletter and
donation prompts, photo and video credits, embedded tweets, date stamps."""

import re

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Glued bylines and credits have no end marker, so a name stops at a sentence opener, day or month.
NOT_NAME = (
    r"(?!(?:The|A|An|In|On|At|He|She|It|They|We|I|Updated|By|Video|Share|Monday|Tuesday"
    rf"|Wednesday|Thursday|Friday|Saturday|Sunday|{MONTH})\b)"
)
PERSON_WORD = NOT_NAME + r"(?:[A-Z](?:[a-z]|['’][A-Z])[\w'’-]*|[A-Z]\.)"
PERSON = rf"{PERSON_WORD}(?:\s+{PERSON_WORD}){{1,3}}"
CAP_WORD = r"[A-Z][\w.&'’-]*"
ORG = rf"{CAP_WORD}(?:\s+(?:[-–]\s+)?(?:via\s+|of\s+|and\s+|&\s+)?{CAP_WORD}){{0,5}}"
AGENCY = (
    r"(?:Reuters|AP|AFP|Getty Images|EPA(?:-EFE)?|Bloomberg|Shutterstock|Alamy|Xinhua|TASS"
    r"|Sputnik|Anadolu|Pool|NurPhoto|ZUMA|Redux|Sipa|NASA|The Associated Press|Associated Press)"
)
SECTION = (
    r"(?:World|Nation|National|U\.S\.|US|Politics|Business|Economy|Money|Markets|Health|Science"
    r"|Tech|Technology|Arts|Culture|Entertainment|Sports?|Opinion|Education|Environment|Climate"
    r"|Europe|Asia|Africa|Americas|Middle East|Local|Metro|Lifestyle|Travel)"
)
STAMP = (
    rf"{MONTH}\s+\d{{1,2}},?\s+\d{{4}},?\s+\d{{1,2}}:\d{{2}}"
    r"(?:\s*[AaPp]\.?\s?[Mm]\.?)?(?:\s+[A-Z]{2,4}\b)?"
)
SHARE_TOKEN = (
    r"(?:Leave your feedback|Share(?: (?:on|via|to|with) [A-Z]\w*| this (?:article|story|page))?"
    r"|Copy (?:URL|[Ll]ink)(?: https?://\S+)?|E-?mail|Print|Facebook|Twitter|LinkedIn|Pinterest"
    r"|Tumblr|WhatsApp|Reddit|Flipboard|Messenger|Telegram|Pocket|Comments?|Tweet)"
)
LABEL = (
    r"(?:(?:Skip )?Advertisement|ADVERTISEMENT|Read (?:more|More|MORE)|READ MORE|Related"
    r"(?: Articles| Stories| Coverage| Content)?|Recommended|Trending|Most (?:Read|Popular)"
    r"|Follow us|Subscribe|Sign up|Newsletter|Breaking News Emails|Continue reading"
    r"(?: the main story)?|Story continues below(?: advertisement)?|Watch|Listen|Photos?|Video"
    r"|Toggle caption|Hide caption|Enlarge this image|Loading)"
)

# Patterns searched through whole paragraphs open with a literal, not \b or a lookbehind: the
# regex engine then skips ahead to candidate positions, which keeps a 10 KB article fast.
DASH_RUN = re.compile(r"[—–―-]{3,}")
UPDATE_HEADER = re.compile(rf"(?:Updated|UPDATED):?\s+{MONTH}\s+\d{{1,2}}\b")
TWEET_SIGNATURE = re.compile(
    rf"[—–-]\s*[^—–()\n]{{1,80}}?\s*\(@\w{{1,15}}\)\s*{MONTH}\s+\d{{1,2}},\s*\d{{4}}"
)
TWEET_OPENING = re.compile(r"[.!?][\"'”’)]?\s+(?=\.?[@#]\w)")
TWEET_MARKER = re.compile(r"(?<!\w)[@#]\w|pic\.twitter\.com|https?://t\.co/")
BYLINE_GLUED = re.compile(
    r"By(?<!\wBy)(?:"
    rf"\s*[—–-]\s*(?:(?P<rep>{PERSON})\s+(?P=rep)\b|(?P<one>{PERSON}))"
    rf"|\s+(?P<rep2>{PERSON})\s+(?P=rep2)\b"
    rf"|(?<![^\n]By)\s+(?P<lead>{PERSON})(?=\s+[A-Z]{{2,}}[A-Z .,'-]*[—–-]))"  # before a dateline
)
CAP_NAME = rf"{CAP_WORD}(?:\s+{CAP_WORD}){{0,3}}"
BYLINE_PARAGRAPH = re.compile(
    rf"By:?\s*[—–-]?\s*{CAP_WORD}\s+{CAP_NAME}(?:(?:,\s*|\s+and\s+){CAP_NAME})*"
    r"(?:\s*[,|]\s*[\w .,&'’-]{1,40})?"
)
VIDEO_CREDIT = re.compile(
    rf"Video (?:by|courtesy of|from)\s+{NOT_NAME}{CAP_WORD}(?:\s+{NOT_NAME}{CAP_WORD}){{0,3}}"
)
SHARE_RUN = re.compile(rf"{SHARE_TOKEN}:?(?:\s+{SHARE_TOKEN}:?)*(?![\w-])")
STRONG_SHARE = re.compile(r"Leave your feedback|Share (?:on|via|to|with|this) |Copy ")
SHARE_TOKEN_RE = re.compile(SHARE_TOKEN)
WORD_CHAR = re.compile(r"[\w-]")
ADVERTISEMENT = re.compile(r"ADVERTISEMENT|Skip Advertisement|Advertisement")
PROSE_BEFORE, PROSE_AFTER = re.compile(r"[a-z,] "), re.compile(r"\s[a-z]|\w")
GLUED_PHRASE = re.compile(
    r"(?:We['’]re not going anywhere\.\s+Stand|Stand) up for [^.!?]{0,80}\b(?:news|journalism)"
    r"\b[^.!?]{0,60}[.!?]\s*(?:(?:Donate|Give|Contribute)(?: now| today)?\b[.!]?)?"
    r"|(?:Donate|Subscribe) (?:now|today)\b[.!]?"
    r"|(?:Sign up for|Subscribe to) (?:our|the) [\w ]{0,40}?[Nn]ewsletters?\b(?: [a-z]+){0,8}[.!]?"
    r"|Story continues below(?: advertisement)?|Continue reading the main story"
    r"|(?:Read (?:more|More)|READ MORE|Related|RELATED)\s*[:»>]+"
    r"|\((?:Additional )?(?:Reporting|Writing|Editing) by [^)]{1,200}\)"
    r"|\(\s*(?:[A-Z][\w.&'’-]* )*Photo\b[^()]{0,80}\)(?!\s*$)"
)
STAMP_RE = re.compile(STAMP)
SECTION_STAMP = re.compile(rf"(?:\b{SECTION}\s+)?(?<!Updated ){STAMP}")
AGENCY_SIGN_OFF = re.compile(rf"\s[—–-]\s*{AGENCY}\.?\s*$")
PHOTO_CREDIT = re.compile(
    r"(?:\((?:[A-Z][\w.&'’-]* )*(?:Photo|Photograph|Image|Picture)s?\b[^()]{0,80}\)"
    r"|\b(?:Photo|Photograph|Image|Picture)s?(?: credit)?\s*(?::|by\b)[^!?\n]{1,80}"
    rf"|(?<![^\s.,;:]){CAP_NAME}\s*(?: / {ORG}|/\s*{AGENCY}\b.{{0,40}}))"
    r"\s*$"
)
ONLY_LABELS = re.compile(rf"(?:(?:{SHARE_TOKEN}|{LABEL})[\s:.!|»>·•-]*)+")
LINK_PARAGRAPH = re.compile(
    r"(?:Read more|READ MORE|Related|RELATED|See also|Also read|Read next|More coverage)\s*:"
)
SIGN_OFF = re.compile(
    rf"[—–-]+\s*(?:{AGENCY}|(?:{CAP_WORD}\s+){{0,2}}(?:News|Press|Staff|Wire|Agency|Agencies))\.?"
)
GENERIC_BIO = re.compile(
    rf"{PERSON} (?:is|was) (?:a|an|the)\b[^@]{{0,200}}\b(?:editor|reporter|correspondent|writer"
    r"|producer|journalist|columnist|contributor)\b[^@]{0,300}@\w+"
)
LEADING_STAMP = re.compile(rf"(?:[A-Z][\w&'’-]*\s+){{0,3}}{STAMP}\s*")
# Matched against a lower-cased sentence: prompts that open it, then phrases found anywhere.
BOILERPLATE_OPENING = re.compile(
    r"(?:breaking news (?:emails|alerts)|(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletters?"
    r"|e-?mails?|alerts|inbox)|(?:accept|manage) (?:all )?cookies|(?:donate|support|stand up for)"
    r"\b.{0,100}\b(?:journalism|independent news|our newsroom))\b"
)
BOILERPLATE_PHRASE = re.compile(
    r"get breaking news alerts|delivered (?:straight |directly )?(?:to your inbox|weekday mornings"
    r"|every (?:morning|day))|(?:thanks|thank you) for (?:signing up|subscribing)"
    r"|unsubscribe at any time|(?:we|this site|this website) uses? cookies (?:to|on (?:this|our))"
    r"|by (?:continuing to (?:use|browse)|using) (?:this|our) (?:site|website)"
)
