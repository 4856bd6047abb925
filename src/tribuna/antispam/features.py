"""Text normalisation and hand-made features for the spam classifier.

The n-gram models see a normalised text in which every link is replaced by a placeholder: the
classifier then learns "has a link" and "says subscribe" rather than the names of the sites that
happened to be in the training data (YouTube, in the shipped corpus). What a link looks like, and
what a comment asks of its reader, are described by the hand features below instead: features that
mean the same on a video, a blog or a council's consultation page (links and where they point,
contact-seeking, money testimonials, look-alike letters, how far the comment is from its page).

Everything here is plain Python on one comment at a time, because screening is on the hot path, and
every pattern runs in time linear in the text's length: links and addresses are found by splitting
the text into whitespace-separated tokens (one pass) and looking at each token with anchored checks,
never by a pattern that could rescan the rest of the text from every position
(tests/antispam/test_linear_time.py feeds adversarial 10,000-character inputs to every function).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import numpy as np

# "<[^<>]*>": a tag never spans another "<", so an unclosed "<<<<" costs one pass, not one per "<".
_TAG = re.compile(r"<[^<>]*>")
_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s<>]+)""", re.I)
_NON_SPACE = re.compile(r"\S*")
# Every host has a dot followed by a letter or a digit (a character whose lower case starts with one): a token
# without one holds no link.
_HOST_DOT = re.compile(r"\.[0-9A-Za-z\u0130\u212a]")
_AT = re.compile("@")
# What may stand around a link inside a token: brackets, quotes, Markdown's "[text](" and trailing punctuation.
_LEAD = "([<{\"'*_`"
_TRAIL = ".,;:!?)]}>\"'*_`"
_SCHEME = re.compile(r"https?://", re.I)
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_EMAIL_LOCAL = re.compile(r"[\w.+-]{1,64}")
_PHONE_RUN = re.compile(r"\+?[\d][\d ().\-/]{7,}")
_MONEY = re.compile(
    r"[$€£¥₹]\s?\d|(?<![\d,.])\d[\d,.]*+\s?(?:[$€£¥₹]|k\b|usd\b|dollars?\b|euros?\b|pounds?\b|btc\b|usdt\b|bitcoins?\b)",
    re.I,
)
_PERCENT = re.compile(r"\d\s?%")
_REPEAT_PUNCT = re.compile(r"[!?]{2,}")
_REPEAT_CHAR = re.compile(r"([^\W\d_])\1\1")  # a letter three times in a row (a fourth changes nothing)
_WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(r"(\w+)")
_PAST_U2000 = re.compile("[\u2001-\U0010ffff]")  # where mathematical and full-width letters are
# Small capitals ("ᴄʜᴇᴄᴋ ᴍʏ ʙɪᴏ"), which font generators offer beside the mathematical letters, have no
# compatibility mapping, so NFKC leaves them as they are: ``clean`` reads them as the letters they stand for.
# Taken from the Unicode names of the blocks that hold them (IPA, phonetic extensions, Latin extended-D);
# Latin has no small capital X. Generators write F and Q with letters of other alphabets (Cyrillic ғ, ǫ with
# an ogonek), which are ordinary letters in Kazakh or Navajo: those are read as f and q only within a run of
# small capitals. Phonetic notation writes single small capitals between ordinary letters (/ˈmɪnɪstə/), so
# only three in a row count as look-alike letters.
_SMALL_CAPITALS = {
    code: match.group(1).lower()
    for block in (range(0x250, 0x2B0), range(0x1D00, 0x1D80), range(0xA720, 0xA800))
    for code in block
    if (match := re.fullmatch(r"LATIN LETTER SMALL CAPITAL ([A-Z])", unicodedata.name(chr(code), "")))
}
_SMALL_CAPITAL = re.compile("[" + "".join(map(chr, _SMALL_CAPITALS)) + "]")
_FONT_LETTERS = {**_SMALL_CAPITALS, ord("ғ"): "f", ord("ǫ"): "q"}
# Letters in a black circle or square ("🅲🅷🅴🅲🅺 🅼🆈 🅱🅸🅾"), which font generators offer too, have no compatibility
# mapping either (NFKC reads the white ones, "ⓒⓗⓔⓒⓚ", "🄲🄷🄴🄲🄺"): read as the capitals they stand for, from their
# Unicode names (Enclosed Alphanumeric Supplement). Only two or more in a row, a word: one alone is an emoji or a
# label ("🅿️ parking", "I'm 🅾 negative", "Ⓐ first Ⓑ second"). The invisible variation selector that draws one
# as an emoji does not break a word: a generator's "🅲️🅷️🅴️🅲️🅺️" is one.
_BLACK_LETTERS = {
    code: match.group(1)
    for code in range(0x1F150, 0x1F18A)
    if (
        match := re.fullmatch(
            r"NEGATIVE (?:CIRCLED|SQUARED) LATIN CAPITAL LETTER ([A-Z])", unicodedata.name(chr(code), "")
        )
    )
}
# Four of them are emoji when the selector follows ("🅰️🅱️🅾️🅿️", blood groups and parking): those are not letters.
_EMOJI_LETTERS = "\U0001f170\U0001f171\U0001f17e\U0001f17f"
_BLACK = "".join(chr(code) for code in _BLACK_LETTERS if chr(code) not in _EMOJI_LETTERS)
_BLACK_LETTER = f"(?:[{_BLACK}]\ufe0f?|[{_EMOJI_LETTERS}](?!\ufe0f))"
_BLACK_WORD = re.compile(f"{_BLACK_LETTER}{{2,}}")
_READ_BLACK = {**_BLACK_LETTERS, 0xFE0F: None}
# Words of enclosed letters, white (circled Ⓐ-ⓩ, squared 🄰-🅉) or black, as ``lookalike_letters`` counts them.
_ENCLOSED_WORD = re.compile(f"(?:[\u24b6-\u24e9\U0001f130-\U0001f149]\ufe0f?|{_BLACK_LETTER}){{2,}}")
_FONT_LETTER_RUN = re.compile("[" + "".join(map(chr, _FONT_LETTERS)) + "]+")
# A social-network handle of someone else: "@crypto_jane", "@mark.trades", "@fx4life" (plain "@Maria" is a reply).
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{3,30})")

# The letters that re.IGNORECASE matches with a letter of the keyed patterns' keys where str.lower() does
# not make them that letter: besides "A-Z", the dotted and dotless i, the long s and the Kelvin sign, and
# the Cyrillic letters' old variant forms (found in review; tests/antispam/test_features.py checks the list
# against the re module for every letter of the keys).
_IGNORECASE_EXTRA = str.maketrans(
    {
        "\u0130": "i",
        "\u0131": "i",
        "\u017f": "s",
        "\u212a": "k",
        "\u1c80": "в",
        "\u1c81": "д",
        "\u1c82": "о",
        "\u1c83": "с",
        "\u1c84": "т",
        "\u1c85": "т",
        "\u1c86": "ъ",
        "\u1c87": "ѣ",
        "\u1c88": "ꙋ",
    }
)


@functools.lru_cache(maxsize=16)
def _folded(text: str) -> str:
    """``text`` with each run of white space made one space and lower-cased as re.IGNORECASE compares
    letters: ASCII words a case-insensitive pattern matches in ``text``, apart by white space (``\\s+``),
    are a plain substring of it, one space apart. Remembered for a few texts (several patterns read one)."""
    text = " ".join(text.split())
    return (text if text.isascii() else text.translate(_IGNORECASE_EXTRA)).lower()


@functools.lru_cache(maxsize=16)
def _folded_words(folded: str) -> frozenset[str]:
    """The whole words of a folded text (``_folded``), remembered as it is."""
    return frozenset(_WORD.findall(folded))


class _Keyed:
    """A case-insensitive pattern with phrases one of which every match contains (``keys``: lower case,
    comma-separated, a space where the pattern has ``\\s+``), or one of whose ``words`` every match holds
    whole, between word boundaries (for short words that hide inside common ones: "ig" in "lighting").

    Python's re tries such a pattern at every position of the text, which is most of a long comment's
    screening time; looking for the keys with ``in`` first skips it for most comments, with the same result.
    """

    def __init__(self, pattern: re.Pattern[str], keys: str, words: str = ""):
        self.pattern = pattern
        self.keys = tuple(key.strip() for key in keys.split(",") if key.strip())
        self.words = frozenset(word.strip() for word in words.split(",") if word.strip())

    def _may_match(self, text: str) -> bool:
        folded = _folded(text)
        if any(map(folded.__contains__, self.keys)):
            return True
        return bool(self.words) and not self.words.isdisjoint(_folded_words(folded))

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self._may_match(text) else None

    def findall(self, text: str) -> list:
        return self.pattern.findall(text) if self._may_match(text) else []

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self._may_match(text) else iter(())


# Top-level domains that cost next to nothing and are favoured by throwaway spam sites.
CHEAP_TLDS = frozenset(
    "xyz top club online site shop store biz info pro win vip link click today icu buzz live fun tk ml ga cf gq work"
    " loan bid stream download racing review trade date men party cam rest bar".split()
)
# Every top-level domain a bare address ("cheap-pills.top/buy", no http://) is recognised by.
_BARE_TLDS = CHEAP_TLDS | frozenset(
    "com net org edu gov int io co me ly us uk de fr es it nl pl ru cn in br au ca eu ch at be se no dk fi pt gl tv".split()
)
SHORTENERS = frozenset(
    "bit.ly goo.gl tinyurl.com t.co ow.ly is.gd buff.ly cutt.ly rebrand.ly shorturl.at tiny.cc adf.ly bit.do "
    "rb.gy t.ly linktr.ee lnkd.in s.id v.gd shorte.st ouo.io bl.ink".split()
)
PLATFORMS = frozenset(
    "youtube.com youtu.be facebook.com fb.com instagram.com twitter.com x.com tiktok.com t.me telegram.me "
    "soundcloud.com twitch.tv wa.me whatsapp.com vk.com plus.google.com".split()
)
# Words that sell: in a domain name they mark a commercial or keyword-stuffed site, whatever its language.
# Long words are looked for anywhere in the name ("cheapviagrapills"); short ones, which hide inside
# ordinary words ("alphabet", "windows"), only as a hyphenated part or at the start of the name.
_SELLING_ANYWHERE = re.compile(
    "casino|poker|viagra|cialis|pharma|crypto|bitcoin|forex|backlink|escort|replica|outlet|essay|follower"
    "|profit|invest|credit|loans|money|discount|cheap|betting|jackpot|payday|dating|traffic|pills"
)
_SELLING_PART = frozenset(
    "buy bet win rx seo cash deal sale shop free hack slot porn likes bonus prize trade meds pill "
    "loan earn rich sex".split()
)
# The vice trades, which name no source a reader cites (not "socialist", "specialist", "replicate",
# "Bettinger"). Money, commerce and pharmacy words also name brands readers do cite ("moneysavingexpert",
# "vanguardinvestor", "lloydspharmacy"): see ``_plainly_selling_domain``.
_VICE = re.compile(
    r"casino|poker|viagra|(?<!so)(?<!spe)cialis|escort|replica(?!te)|betting(?!er)|jackpot|porn|xxx"
)
_VICE_PART = frozenset("bet rx slot porn likes bonus prize meds pill sex".split())
# Public bodies and universities: their addresses sell nothing, whatever the place is called
# ("richmond.gov.uk" is not "rich" + "mond").
_PUBLIC_BODY_HOST = r"\.(gov|edu|int|mil)$|\.(gov|gouv|gob|govt|edu|ac|parliament)\.[a-z]{2}$"
# Referral and affiliate links pay whoever posts them: a reason to post that has nothing to do with the page.
_REFERRAL = re.compile(
    r"[?&](?:ref|aff|affid|affiliate|referral|refid|invite|promo)=|/(?:refer|ref|referral|invite|aff|affiliate)/",
    re.I,
)
# Sources and documents: public bodies, universities, encyclopaedias, documentation, and files such as a PDF.
_REFERENCE_HOST = re.compile(
    r"^(docs|developer|developers|wiki|[a-z]{2}\.wikipedia|support|help|data)\.|"
    + _PUBLIC_BODY_HOST
    + r"|(^|\.)(europa\.eu|wikipedia\.org|doi\.org|arxiv\.org)$"
)
_PUBLIC_BODY = re.compile(_PUBLIC_BODY_HOST)
_REFERENCE_PATH = re.compile(
    r"/(docs?|documentation|manual|reference|wiki|rfc|issues|pull|publications|documents|reports|minutes"
    r"|consultations|bills|legislation|papers)\b|\.(pdf|docx?|odt|xlsx?|ods|csv)$",
    re.I,
)
# Asking readers to get in touch elsewhere: the scam's whole point, rare in a discussion about a page.
_CONTACT = _Keyed(
    re.compile(
        r"\b(?:dm|pm|inbox|whats\s?app|telegram|hit\s+up)\s+(?:me|him|her|us)\b"
        r"|\b(?:message|text|contact|reach(?:\s+out\s+to)?|write\s+to|call)\s+(?:me|him|her)\s+(?:on|at|via|through)\b"
        r"|\b(?:message|text|contact|reach)\s+(?:him|her)\b"
        # Sending readers to an account by name: "contact @recover.funds01", "reach out to @fx_mentor".
        # Only handles of another account (digits, dots or underscores, as ``third_party_handles``): not the
        # "@CouncilHelpdesk" of an organisation's own named account.
        r"|\b(?:message|text|contact|reach(?:\s+out)?\s+to|write\s+to|dm|pm)\s+@\w*[\d._]"
        r"|\b(?:whats\s?app|telegram|signal|wechat|kik|snapchat|viber)\s*(?:number|id|me|@|\+|:)"
        r"|\b(?:via|on|at|through)\s+(?:whats\s?app|telegram|wechat|kik|viber)\b"
        r"|\bcontact\s+(?:info|details)\b",
        re.I,
    ),
    "dm m, dm h, dm u, pm m, pm h, pm u, inbox, whats, telegram, hit up, message m, message h, text m, text h,"
    " contact m, contact h, contact i, contact d, contact @, reach m, reach h, reach out, reach to @, write to m,"
    " write to h, write to @, message @, text @, dm @, pm @, call m,"
    " call h, signal, wechat, kik, snapchat, viber",
)
# Handing readers over to someone on a messaging channel or by handle: the end of an investment or recovery
# scam's testimonial ("contact her on WhatsApp +1 415...", "message @recover.funds01", "Telegram: @fx_jane").
# Narrower than _CONTACT: a reader's "dm me the recipe", "I'll text her the link", "contact details of the
# planning office" or "we organised the meeting on WhatsApp" hand no one over.
_HANDS_OVER = _Keyed(
    re.compile(
        r"\b(?:message|text|contact|reach(?:\s+out\s+to)?|write\s+to|call|dm|pm|inbox)\s+(?:him|her)\s+"
        r"(?:on|at|via|through)\s+(?:(?:whats\s?app|telegram|signal|wechat|kik|viber|instagram|insta|ig|facebook"
        r"|fb|snapchat)\b|\+\d)"
        r"|\b(?:message|text|contact|reach(?:\s+out)?\s+to|write\s+to|dm|pm|inbox)\s+@\w*[\d._]"
        r"|\b(?:whats\s?app|telegram|wechat|kik|viber)\s*(?::\s*|@|\+)\s*[+@]?\w",
        re.I,
    ),
    "message h, text h, contact h, reach h, reach out to h, write to h, call h, dm h, pm h, inbox h, message @,"
    " text @, contact @, reach to @, reach out to @, write to @, dm @, pm @, inbox @, whats, telegram, wechat,"
    " kik, viber",
)
HANDS_OVER = "hands readers to someone elsewhere"
# Sending readers to the author's own profile on a social platform: "link in my bio", "check my story 💋", "send
# hi to my page", "dm for promo 🔥". A comment on a site's page has no bio, story or inbox behind its author: it
# was written for a platform that links the name to a profile, and its payload is that profile (the adult,
# romance and giveaway bait of 2023's Instagram comments). Each form ends the ask (the text's end, an emoji or
# punctuation other than "?" follows it, not a word): "check my story 💋", not "check my story on the paper's
# site", "in my bio class" or "the link in my profile settings"; a comment that opens with "dm" is nothing but
# the ask ("dm 💕", "dm me 😘", "dm for promo"), not "dm hat wieder geöffnet" (the chain), "DM 50" (the mark) or
# "DM'd them".
_ASK_ENDS = r"(?=\s*(?:[^\w\s?]|$))"  # not a question: "can you check my profile? the portal failed"
_OWN_PROFILE = _Keyed(
    re.compile(
        rf"\b(?:links?|info|details)\s+(?:is\s+|are\s+)?in\s+(?:my\s+)?(?:bio|profile){_ASK_ENDS}"
        rf"|\b(?:in|at)\s+my\s+bio{_ASK_ENDS}"
        rf"|\b(?:check|visit|click|open)\s+(?:out\s+)?my\s+(?:bio|profile|stor(?:y|ies)|page|pics?){_ASK_ENDS}"
        rf"|\bsend\s+\W{{0,2}}(?:hi|hello|hey)\W{{0,2}}\s+to\s+my\s+(?:page|dms?|inbox){_ASK_ENDS}"
        r"|^[^\w@]*dm(?:\s+(?:me|us|now|asap|please|quick|for\s+\w+))?[^\w]*$",
        re.I,
    ),
    "in profile, my profile, my stor, my page, my pic, my dm, my inbox",
    words="bio, dm",
)
OWN_PROFILE = "sends readers to the author's profile elsewhere"
# An account named in a comment whose name ends in the trade it sells: "@mrs_laura_invests", "@helen_crypto",
# "@jessica25_fx", "@stellatrades_". Investment scams' accounts name their trade last, as a made-up domain
# names what it sells (``_selling_domain``); an organisation's name rarely ends so ("@fairtrade_uk",
# "@trading_standards_uk", "@invest_in_leeds", "@crypto_eng", "@eth_zurich" do not), nor does a friend's.
_SELLING_HANDLE_END = re.compile(r"(?:fx|forex|trades|trader|invests|investing|crypto|btc|bitcoin)$")
SELLING_HANDLE = "names an account that sells investing"


def selling_handles(plain: str) -> bool:
    """Does the comment name another account (with digits, dots or underscores; unlike ``third_party_handles``,
    a trailing underscore counts, as in "@stellatrades_") whose name, without the digits and marks at its end,
    ends in the trade it sells (``_SELLING_HANDLE_END``)?"""
    if "@" not in plain:
        return False
    for handle in _HANDLE.findall(plain):
        name = handle.rstrip(".").lower()  # a full stop ends the sentence; "@stellatrades_" keeps its "_"
        if any(c.isdigit() or c in "._" for c in name) and _SELLING_HANDLE_END.search(
            name.rstrip("._0123456789")
        ):
            return True
    return False


# Vouching for a person to trust with money: the body of an investment, "account manager" or recovery scam's
# testimonial, whose payload is the person's name ("all thanks to mrs sandra johnson, she is legit", "been
# trading with him for months and never had a loss", "@mike_trades101 is the best", "she is legit 💯" under
# another bot's testimonial). Readers name people too, so each form needs two things a reader's comment rarely
# has together: a title and a name with investing or vouching words, "with/from/met ... her/him" with investing
# words, or an account's handle vouched for; alone, only the scam's stock phrase ("he is legit"). A warning
# ("i got scammed by a 'mrs' account manager") names no one with a title and vouches for no one.
#
# A title and a name; not a form of address to an office ("Mr Speaker", "Madam Vice Chair"), which civic
# comments use. "Ms" is left out: it is as often an abbreviation (multiple sclerosis, Microsoft).
_TITLED_NAME = _Keyed(
    re.compile(
        r"\b(?:mrs|mr|madam|dr)(?:\.\s*|\s+)(?!(?:vice\s+|deputy\s+|acting\s+)?(?:speaker|chair\w*|president"
        r"|mayor|secretary|minister|prime|deputy|governor|ambassador|commissioner|clerk|justice|attorney|treasurer"
        r"|councill?or|senator|principal|director)\b)\w\w",
        re.I,
    ),
    "mr, madam, dr",
)
# What a person did for the author, told with investment words: "trading with him", "my payout from her".
_THEIR_SERVICES = _Keyed(
    re.compile(
        r"\b(?:with|from|met|found|contact(?:ed)?|recommend(?:ed)?|thank(?:ed)?|thanks\s+to|bless|reward|trust)"
        r"\s+(?:her|him)\b",
        re.I,
    ),
    "with h, from h, met h, found h, contact, recommend, thank, bless h, reward h, trust h",
)
# Words of investing, the scams' trade; not the words of a council's or a household's money (budget, debt,
# mortgage, savings, income), which readers discuss with officials' names.
_SCAM_MONEY = _Keyed(
    re.compile(
        r"\b(?:invest(?:ed|ing|ment|ments|or|ors)?|profits?|earn(?:ed|ing|ings)?|withdr(?:aw|ew|awn|awal|awals)"
        r"|payouts?|trading|traders?|forex|crypto(?:currency)?|bitcoins?|btc|binary\s+options|account\s+manager)\b",
        re.I,
    ),
    "invest, profit, earn, withdr, payout, trading, trader, forex, crypto, bitcoin, btc, binary options,"
    " account manager",
)
# The scam's stock phrase of vouching, which holds a comment alone: "he is legit 💯", "she's 100% legit.";
# not "legit crazy".
_STOCK_VOUCHING = _Keyed(
    re.compile(
        r"\b(?:she|he)(?:'s|’s|\s+is)\s+(?:(?:100%|so|very|truly|really|totally)\s+)?legit\b(?!\s+[^\W\d_])",
        re.I,
    ),
    "legit",
)
# Praise that vouches for someone only next to a titled name, or with investment words and a handle.
_PRAISE = _Keyed(
    re.compile(r"\b(?:legit|trustworthy|genuine|reliable|real\s+deal|heard\s+of|can\s+confirm)\b", re.I),
    "legit, trustworthy, genuine, reliable, real deal, heard of, can confirm",
)
# A testimonial's own words: vouching next to a titled name, or with investment words and a handle.
_TESTIMONIAL = _Keyed(
    re.compile(
        r"\b(?:life\s*saver|god\s+bless|bless\s+(?:her|him)|testify|vouch|changed\s+my\s+life|blessing|paid\s+me"
        r"|pray\s+for\s+(?:her|him)|thank\s+me\s+later|can(?:'t|’t|not)\s+thank\s+(?:her|him)\s+enough)\b",
        re.I,
    ),
    "life saver, lifesaver, god bless, bless h, testify, vouch, changed my life, blessing, paid me, pray for h,"
    " thank me later, thank her, thank him",
)
# A quotation on one line (a comment quoting the scams it warns of is not vouching).
_QUOTED = re.compile(
    r'"[^"“”\n]{0,300}"|“[^"“”\n]{0,300}”|«[^«»\n]{0,300}»|„[^„“”\n]{0,300}[“”]|‘[^‘’\n]{0,300}’'
    r"|(?<!\w)'[^'\n]{1,300}'(?!\w)"  # single quotes, not the apostrophes of "don't" or "the Smiths'"
)
VOUCHING_REACH = 120  # characters between a titled name and the money or vouching words that go with it
# An account's handle vouched for: "@mike_trades101 is the best", "the only legit trader here is @fx_mark".
_HANDLE_VOUCHED = re.compile(
    r"@[\w.]+\s+(?:is|are)\s+(?:(?:100%|so|very|truly|really|simply|totally)\s+)?(?:the\s+best|legit)\b"
    r"|\b(?:only|most)\s+legit\s+(?:[^\W\d_]+\s+){0,2}is\s+@",
    re.I,
)
VOUCHES = "vouches for someone to trust with money"
# Money and investment testimonials ("I invested $500 and got $5,000 in a week thanks to @...").
_INVESTMENT = _Keyed(
    re.compile(
        r"\b(?:invest(?:ed|ing|ment|ments|or)?|profits?|earn(?:ed|ing|ings)?|income|returns|withdraw(?:al|n|ed)?"
        r"|trading|trader|traders|forex|crypto(?:currency)?|bitcoins?|btc|binary\s+options|stocks?|portfolio"
        r"|account\s+manager|financial(?:ly)?\s+free(?:dom)?|passive|payout|mentor|recover(?:ed|y)|hacker|scammed"
        r"|per\s+(?:week|day|month)|(?:got|get|getting)\s+paid|paid\s+(?:me|out))\b"
        # Thanking or recommending an account by name: how a testimonial hands readers to the scammer.
        r"|\b(?:thanks|thank\s+you|grateful|recommend(?:ed)?)\s+(?:to\s+)?@\w*[\d._]",
        re.I,
    ),
    "invest, profit, earn, income, returns, withdraw, trading, trader, forex, crypto, bitcoin, btc, binary options,"
    " stock, portfolio, account manager, financial free, financially free, passive, payout, mentor, recover,"
    " hacker, scammed, per week, per day, per month, got paid, get paid, getting paid, paid me, paid out,"
    " thanks @, thanks to @, thank you @, thank you to @, grateful @, grateful to @, recommend",
)
# Praise that fits any page: what link-drop comments wrap their website field in.
_GENERIC_PRAISE = _Keyed(
    re.compile(
        r"\b(?:great|nice|good|awesome|excellent|wonderful|amazing|informative|useful|helpful|valuable|fantastic|"
        r"superb|brilliant|interesting|impressive)\s+(?:post|article|blog|content|information|info|read|work|job|"
        r"write[\s-]?up|site|website|share|piece|stuff|points?|topic)\b"
        r"|\bthanks?\s+(?:you\s+)?for\s+(?:sharing|the\s+(?:info|information|post|article))\b"
        r"|\bkeep\s+(?:it\s+up|up\s+the\s+good\s+work|posting|sharing)\b|\bbookmark(?:ed)?\b"
        r"|\bvery\s+(?:informative|helpful|useful|nice)\b",
        re.I,
    ),
    "great, nice, good, awesome, excellent, wonderful, amazing, informative, useful, helpful, valuable, fantastic,"
    " superb, brilliant, interesting, impressive, for sharing, for the info, for the post, for the article,"
    " keep it up, keep posting, keep sharing, bookmark, very informative, very helpful,"
    " very useful",
)

URL_TOKEN = " zurlz "
VIDEO_TOKEN = " zvideolinkz "
PAGE_TOKEN = " zpagelinkz "
TOPIC_TOKEN = " ztopicz "
EMAIL_TOKEN = " zemailz "
REFERENCE_TOKEN = " zsourcelinkz "
PLACEHOLDERS = ("zurlz", "zvideolinkz", "zpagelinkz", "ztopicz", "zemailz", "zsourcelinkz")
# Words of a page title that say nothing about its subject.
_GENERIC_TITLE_WORDS = frozenset(
    "official video videos music song songs lyrics lyric feat ft remix version audio love like new time way".split()
)
# Function words of English: never a sign that a comment talks about its page. Written out here (rather
# than taken from scikit-learn) because screening must not import scikit-learn.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves one two get got make made much many may
    might must us let lets per via etc yes ok""".split()
)

# Like-bait ("like this comment if...", "thumbs up if you..."): spam on any site that has likes.
_LIKE_BAIT = _Keyed(
    re.compile(
        r"\b(?:like|thumbs\s+up|share|retweet|repost)\b(?:\s+\w+){0,3}\s+(?:if\s+(?:you|u|ur)|this\s+comment"
        r"|for\s+no\s+reason)",
        re.I,
    ),
    "like, thumbs up, share, retweet, repost",
)
# Asking readers for an audience without saying where: "subscribe", "share this", "thumbs up if", "search up
# <name>". Such a comment sends readers nowhere, yet it is how engagement spam reads on any platform, so
# its author gains from it (``asks_for_engagement``). Only the asking forms: "Subscribed to the updates"
# reports what a reader did, and "check out the appendix" points at the page.
_ENGAGEMENT = _Keyed(
    re.compile(
        # Not "the subscribe button" (a thing on the site), nor "share this concern" (agreeing with it).
        r"\b(?:subscribe(?!\s+(?:button|link|form|page|option|box|feature)s?\b)"
        r"|share\s+(?:this|it)(?!\s+(?:concern|view|opinion|worry|feeling|sentiment|frustration|experience|idea"
        r"|point|hope|fear|belief|position|vision|goal|wish)s?\b)"
        r"|search\s+up|thumbs\s+up)\b",
        re.I,
    ),
    "subscribe, share this, share it, search up, thumbs up",
)
# Short links that stand for a longer page address (a video's short link is the video page).
_SHORT_PAGE_HOSTS = {"youtu.be": ("youtube.com", "/watch", "v")}
_VIDEO_HOSTS = ("youtube.com", "m.youtube.com", "youtu.be")
MAX_TOKEN = 2048  # a longer "word" is looked at by its first 2,048 characters


@functools.lru_cache(maxsize=256)
def page_identity(url: str) -> str:
    """What makes two links point at the same page: host without www./m., path, and the query key that
    names the page on sites that use one (``/watch?v=...``). "" when the URL has no host. Remembered: one
    comment asks for its page's several times, and many comments are under the same page."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    except ValueError:  # "http://[" and other unparseable addresses
        return ""
    path = parts.path.rstrip("/")
    if host in _SHORT_PAGE_HOSTS:
        host, page_path, key = _SHORT_PAGE_HOSTS[host]
        return f"{host}{page_path}?{key}={path.strip('/')}" if path else ""
    if host and path == "/watch":
        return f"{host}/watch?v={parse_qs(parts.query).get('v', [''])[0]}"
    return f"{host}{path}" if host else ""


@dataclass(frozen=True)
class Link:
    host: str
    path: str
    to_page: bool = False  # points at the page the comment is posted under, or another page of its site
    referral: bool = False  # carries a referral or affiliate code

    @property
    def tld(self) -> str:
        return self.host.rsplit(".", 1)[-1]

    @property
    def is_reference(self) -> bool:
        """A source or a document (a public body, a university, documentation, a PDF), on a host that
        is neither cheap nor a shortener."""
        return (
            bool(_REFERENCE_HOST.search(self.host) or _REFERENCE_PATH.search(self.path))
            and self.tld not in CHEAP_TLDS
            and self.host not in SHORTENERS
        )


@functools.lru_cache(maxsize=64)
def _site_of(page: str) -> str:
    """The host of the page a comment is under, unless it is a platform where anyone publishes (a link to
    another video on YouTube is promotion; a link to another page of an organisation's site is not)."""
    host = page_identity(page).split("/", 1)[0]
    return "" if host in PLATFORMS or any(host.endswith("." + p) for p in PLATFORMS) else host


def _same_site(url: str, site: str) -> bool:
    return bool(site) and page_identity(url).split("/", 1)[0] == site


def _host_of(address: str, bare: bool) -> str:
    """The lower-cased host of a link written without its scheme, "" if it does not look like one.
    ``bare``: no "http://" or "www." was written, so the top-level domain must be a known one."""
    end = len(address)
    for separator in "/?#:\\":  # browsers read a backslash as a slash
        index = address.find(separator)
        if index != -1:
            end = min(end, index)
    host = address[:end].lower().rstrip(".")
    if "." not in host or len(host) > 253:
        return ""
    labels = host.split(".")
    if labels[-1].isdigit() or (bare and labels[-1] not in _BARE_TLDS):  # the cheap test first
        return ""
    if bare and len(labels[0]) <= 2 and labels[0].isdigit():  # a numbered point ("1.it is", "2.in my view")
        return ""
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return ""
    return host


def _link_span(token: str) -> tuple[int, int, str] | None:
    """Where a link sits in one whitespace-free token (start, end, host), or None."""
    match = _SCHEME.search(token)
    if match:
        start, rest, bare = match.start(), match.end(), False
    else:
        start = 0
        while start < len(token) and token[start] in _LEAD:
            start += 1
        rest = start + 4 if token[start : start + 4].lower() == "www." else start
        bare = rest == start
        if bare and "." not in token:
            return None
    end = len(token)
    while end > rest and token[end - 1] in _TRAIL:
        end -= 1
    if "](" in token[rest:end]:  # Markdown "[label](address)": the link is the address
        inner = token.index("](", rest) + 2
        span = _link_span(token[inner:end])
        return (inner + span[0], inner + span[1], span[2]) if span else None
    address = token[rest:end]
    if bare and "@" in address.split("/", 1)[0]:
        return None  # an email address, counted separately
    host = _host_of(address, bare)
    return (start, end, host.removeprefix("www.")) if host else None


def _tokens(text: str, marker: re.Pattern[str]):
    """The whitespace-separated tokens in which ``marker`` (a non-space character or two) occurs, with their
    offsets: the markers are found by the pattern in C, and only the tokens around them are read."""
    end = 0
    for match in marker.finditer(text):
        at = match.start()
        if at < end:
            continue  # in the token just read
        start = at
        while start > end and not text[start - 1].isspace():
            start -= 1
        end = _NON_SPACE.match(text, at).end()  # type: ignore[union-attr]  # "\S*" always matches
        yield start, text[start:end][:MAX_TOKEN]


@functools.lru_cache(maxsize=16)
def link_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every link written in ``text``: (start, end, host), in order. Remembered for a few texts: the shape
    features read the links of the raw text and of its cleaned form, which are most often the same."""
    if "." not in text:
        return ()
    spans = []
    for offset, token in _tokens(text, _HOST_DOT):
        span = _link_span(token)
        if span:
            spans.append((offset + span[0], offset + span[1], span[2]))
    return tuple(spans)


def email_spans(text: str) -> list[tuple[int, int]]:
    """Every email address in ``text`` (start, end), found token by token."""
    if "@" not in text:
        return []
    spans = []
    for offset, token in _tokens(text, _AT):
        at = token.index("@")
        start = at
        while start > 0 and (token[start - 1].isalnum() or token[start - 1] in "._+-"):
            start -= 1
        end = len(token)
        while end > at and token[end - 1] in _TRAIL:
            end -= 1
        local, domain = token[start:at], token[at + 1 : end]
        if local and _EMAIL_LOCAL.fullmatch(local) and _host_of(domain, bare=False) and "/" not in domain:
            spans.append((offset + start, offset + end))
    return spans


def _small_capitals_read(run: re.Match) -> str:
    """A run of small capitals (and the letters generators use for F and Q) as plain letters; a run of only
    ғ or ǫ is a word of the language that writes them."""
    letters = run.group()
    return letters.translate(_FONT_LETTERS) if _SMALL_CAPITAL.search(letters) else letters


def _small_capitals_in_a_row(raw: str) -> bool:
    """Three small capitals in a row: a word in a generator's font, not phonetic notation."""
    return any(len(run) >= 3 and _SMALL_CAPITAL.search(run) for run in _FONT_LETTER_RUN.findall(raw))


def readable(text: str) -> str:
    """The text in plain letters: NFKC (mathematical, full-width and other compatibility letters), words of
    letters in black circles or squares and small capitals read as letters. Links written in look-alike
    letters ("ｗｗｗ.ｅｂａｙ.ｃｏｍ", "ʙɪᴛ.ʟʏ/x") are links too."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    if _BLACK_WORD.search(text):
        text = _BLACK_WORD.sub(lambda word: word.group().translate(_READ_BLACK), text)
    if _SMALL_CAPITAL.search(text):
        # Composed again: a small capital with an accent is a plain letter and a combining mark now.
        text = unicodedata.normalize("NFC", _FONT_LETTER_RUN.sub(_small_capitals_read, text))
    return text


def clean(text: str) -> str:
    """``readable`` text without markup or byte-order marks (YouTube comments end in U+FEFF)."""
    text = readable(text.replace("\ufeff", ""))
    if "<" in text:
        text = _TAG.sub(" ", text.replace("<br />", "\n").replace("<br>", "\n"))
    return text.strip()


def lookalike_letters(raw: str, plain: str) -> bool:
    """Written in look-alike letters: mathematical or full-width letters that NFKC folds to plain ones ("𝐅𝐑𝐄𝐄",
    "ＦＲＥＥ"), words of letters in circles or squares ("ⓕⓡⓔⓔ", "🅵🆁🅴🅴"), small capitals ("ꜰʀᴇᴇ"), or a word
    mixing Latin with Cyrillic or Greek letters ("Bіtcoin" with a Cyrillic і)."""
    if raw.isascii():
        return False
    if _small_capitals_in_a_row(raw):
        return True
    letters = sum(
        1 for c in _PAST_U2000.findall(raw) if c.isalpha() and unicodedata.normalize("NFKC", c).isascii()
    )
    letters += sum(len(word) - word.count("\ufe0f") for word in _ENCLOSED_WORD.findall(raw))
    if letters >= 3:
        return True
    for word in _WORD.findall(plain):
        if word.isascii():
            continue
        scripts = set()
        for c in word:
            if c.isalpha():
                name = unicodedata.name(c, "")
                scripts.add("latin" if c.isascii() or name.startswith("LATIN") else name.split(" ", 1)[0])
        if "latin" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            return True
    return False


def find_links(raw: str, page: str = "") -> list[Link]:
    """Every link in the comment (hrefs in markup too), as host and path; those that point at ``page``,
    the page the comment is posted under, are marked (quoting the page itself, or a time stamp in it, is
    what readers do, not what spammers do)."""
    raw = readable(raw)
    found = _HREF.findall(raw) if "href" in raw.lower() else []
    text = _TAG.sub(" ", raw) if "<" in raw else raw
    found += [text[start:end] for start, end, _ in link_spans(text)]
    links, seen = [], set()
    page_id = page_identity(page) if page else ""
    site = _site_of(page) if page else ""
    for url in found:
        try:
            parts = urlsplit(url if "://" in url else "http://" + url)
            host = (parts.hostname or "").removeprefix("www.")
        except ValueError:
            continue
        key = (host, parts.path.rstrip("/"))
        if not host or key in seen:
            continue
        seen.add(key)
        to_page = bool(page_id) and (page_identity(url) == page_id or _same_site(url, site))
        links.append(Link(host, parts.path, to_page, bool(_REFERRAL.search(url))))
    return links


@functools.lru_cache(maxsize=256)
def topic_words(title: str) -> frozenset[str]:
    """The words of a page title that name its subject (a statement's title, a video's artist and song)."""
    return frozenset(
        w
        for w in _WORD.findall(title.lower())
        if len(w) >= 3 and not w.isdigit() and w not in STOP_WORDS and w not in _GENERIC_TITLE_WORDS
    )


def _content_words(words) -> set[str]:
    """The words that can say what a text is about: four letters or more, not a number or a stop word."""
    return {w for w in words if len(w) >= 4 and not w.isdigit() and w not in STOP_WORDS}


@functools.lru_cache(maxsize=64)
def page_words(title: str, text: str) -> frozenset[str]:
    """The content words of a page (its title and text): what a comment about the page shares with it."""
    return topic_words(title) | frozenset(_content_words(_WORD.findall(text[:20_000].lower())))


def _replace_topic_words(text: str, topic: frozenset[str]) -> str:
    pieces = _WORD_SPLIT.split(text)  # the words at odd indices: no Python call per word, as _WORD.sub makes
    pieces[1::2] = [TOPIC_TOKEN if w.lower() in topic else w for w in pieces[1::2]]
    return "".join(pieces)


def _replace_spans(text: str, spans, replacement) -> str:
    parts, last = [], 0
    for start, end, *rest in spans:
        parts += [text[last:start], replacement(text[start:end], *rest)]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def ngram_text(text: str, page: str = "", title: str = "") -> str:
    """What the n-gram models read: lower case, links and email addresses replaced by placeholders.

    A link to the page the comment is under gets its own placeholder; so does a link to one video
    (youtube.com/watch, youtu.be), which spam uses to send readers to another video, while a link to
    a channel or any other site is a plain link. Words of the page's title become one placeholder
    too: the model learns "talks about the page's subject" instead of the names of the subjects it was
    trained on (under one video an artist's name is a fan talking, under another it is promotion)."""
    text = _replace_spans(text, email_spans(text), lambda _: EMAIL_TOKEN)
    page_id = page_identity(page) if page else ""
    site = _site_of(page) if page else ""

    def placeholder(link: str, host: str) -> str:
        if page_id and (page_identity(link) == page_id or _same_site(link, site)):
            return PAGE_TOKEN
        if _is_reference(link, host):
            return REFERENCE_TOKEN
        if host in _VIDEO_HOSTS and ("/watch" in link or host == "youtu.be"):
            return VIDEO_TOKEN
        return URL_TOKEN

    text = _replace_spans(text, link_spans(text), placeholder)
    topic = topic_words(title) if title else frozenset()
    if topic:  # after the links, which must stay whole to be recognised
        text = _replace_topic_words(text, topic)
    return " ".join(text.split()).lower()  # one space between words, none around them


def _is_reference(link: str, host: str) -> bool:
    try:
        path = urlsplit(link if "://" in link else "http://" + link).path
    except ValueError:
        return False
    return Link(host, path).is_reference


def _links_in_markup(text: str) -> bool:
    """HTML or BBCode links to another site: Tribuna's comments are Markdown, so raw anchors are pasted by
    bots (a platform's own markup, such as YouTube's time stamps, links to the platform and does not count)."""
    lowered = text.lower()
    if "[url" in lowered:
        return True
    if "href" not in lowered:
        return False
    for url in _HREF.findall(text):
        host = page_identity(url).split("/", 1)[0]
        if host and host not in PLATFORMS and not any(host.endswith("." + p) for p in PLATFORMS):
            return True
    return False


def has_phone_number(text: str) -> bool:
    """A run of at least 9 digits written as a phone number ("+44 20 7946 0958", "(555) 019-2834")."""
    return any(sum(c.isdigit() for c in run) >= 9 for run in _PHONE_RUN.findall(text))


def third_party_handles(text: str) -> int:
    """Handles of another account ("@crypto_jane", "@fx.mentor1"): with digits, dots or underscores, unlike
    the "@Maria" of a reply in the thread."""
    if "@" not in text:
        return 0
    return sum(1 for h in _HANDLE.findall(text) if any(c.isdigit() or c in "._" for c in h.strip("._")))


# Second-level labels under a country's domain ("co.uk", "com.au", "co.jp"): the name is the label before.
_SECOND_LEVEL = frozenset(
    {"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "gen", "or", "ne", "go"}
)


def _domain_name(host: str) -> str:
    """The label before the public suffix: "buy-cialis" in buy-cialis.co.uk, not "co"; an internationalised
    name without the "xn--" that marks its encoding (whose hyphens are not the name's)."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    return (labels[-2] if len(labels) >= 2 else host).removeprefix("xn--")


def _keywords(name: str) -> set[str]:
    """The selling words a domain's name is strung from: long ones anywhere, short ones as a hyphenated
    part; one inside another counts once ("loans", not "loan" as well)."""
    words = set(_SELLING_ANYWHERE.findall(name)) | {p for p in name.split("-") if p in _SELLING_PART}
    return {w for w in words if not any(w != other and w in other for other in words)}


def _selling_domain(host: str) -> bool:
    """A domain that sells or was made up for one campaign: selling words or several hyphens in its name
    (a short selling word also where it starts the name: "freemyapps")."""
    if _PUBLIC_BODY.search(host):
        return False
    name = _domain_name(host)
    return (
        name.count("-") >= 3
        or bool(_keywords(name))
        or any(name.startswith(w) and len(name) > len(w) + 3 for w in _SELLING_PART)
    )


def _plainly_selling_domain(host: str) -> bool:
    """Made up for one campaign (three hyphens), named for a vice trade, or strung from keywords: two
    selling words, or one with digits or two hyphens ("cheap-sheds-greenhouses", "webcredit2002",
    "bet88-login"). A brand with one money or commerce word in its name ("moneysavingexpert",
    "vanguardinvestor", "freecodecamp", "betterinvesting") is a business readers cite."""
    if not _selling_domain(host):
        return False
    name = _domain_name(host)
    words = _keywords(name)
    return (
        name.count("-") >= 3
        or bool(_VICE.search(name))
        or not _VICE_PART.isdisjoint(name.split("-"))
        or len(words) >= 2
        or (bool(words) and (name.count("-") >= 2 or any(c.isdigit() for c in name)))
    )


def _author_links(url: str, page: str) -> list[Link]:
    """The author's website, unless it is the page's own site: its author or staff signing, not somewhere
    the comment sends readers."""
    return [link for link in find_links(url, page) if not link.to_page] if url else []


def plainly_selling(text: str, url: str = "", page: str = "") -> bool:
    """Does the comment link, or sign with, a domain ``_plainly_selling_domain``? What the evidence
    ``COMMERCIAL_DOMAIN`` must be to hide a comment (``classifier.SpamModel.predict``); else it holds.
    The same links as that feature of ``hand_features``: those elsewhere, and the author's website."""
    links = [link for link in find_links(text, page) if not link.to_page] + _author_links(url, page)
    return any(_plainly_selling_domain(link.host) for link in links)


_ASCII_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_ASCII_CAPITALS = string.ascii_uppercase.encode()
_ASCII_DIGITS = string.digits.encode()


def _letters_capitals_digits(plain: str) -> tuple[int, int, int]:
    """How many letters, capital letters and digits ``plain`` has. An ASCII text's are counted by
    bytes.translate, in C; other texts' by filter, map and sum, which loop in C but call a method per
    character."""
    if plain.isascii():
        raw = plain.encode("ascii")
        letters = raw.translate(None, _ASCII_NOT_LETTERS)
        capitals = len(letters) - len(letters.translate(None, _ASCII_CAPITALS))
        return len(letters), capitals, len(raw) - len(raw.translate(None, _ASCII_DIGITS))
    letters_text = "".join(filter(str.isalpha, plain))
    return len(letters_text), sum(map(str.isupper, letters_text)), sum(map(str.isdigit, plain))


COMMERCIAL_DOMAIN = "commercial or made-up domain"
# A commercial domain that is not plainly selling (``plainly_selling``): a sign that holds, never one that hides.
BUSINESS_DOMAIN = "a business's domain"


FEATURE_NAMES = (
    "links",
    "several links",
    "cheap domain",
    "link shortener",
    "social/video link",
    "documentation link",
    "email address",
    "phone number",
    "money amount",
    "percentage",
    "capitals",
    "exclamations",
    "repeated punctuation",
    "stretched words",
    "digits",
    "length",
    "name has digits",
    "name has a link",
    "author site on cheap domain",
    "link to this page",
    "like-bait",
    "referral link",
    "mentions the page's subject",
    COMMERCIAL_DOMAIN,
    "links in markup",
    "asks to be contacted elsewhere",
    "handle of another account",
    "money or investment testimonial",
    "look-alike letters",
    "generic praise",
    "website with generic praise",
    "author website",
    "words shared with the page",
)
# Evidence that does not come from the model's reading of the words: what the verdict policy needs
# before a model score may hide a comment (see classifier.decide).
STRONG_EVIDENCE = frozenset(
    {
        "cheap domain",
        "link shortener",
        "referral link",
        COMMERCIAL_DOMAIN,
        "links in markup",
        "asks to be contacted elsewhere",
        "handle of another account",
        "money or investment testimonial",
        "look-alike letters",
        "website with generic praise",
        "like-bait",
        "phone number",
        "several links",
        "author site on cheap domain",
        "name has a link",
    }
)


def hand_features(
    text: str,
    name: str = "",
    url: str = "",
    plain: str | None = None,
    page: str = "",
    title: str = "",
    page_text: str = "",
) -> np.ndarray:
    """A small dense vector (all values roughly within 0..3) describing the comment's shape.

    ``plain`` is ``clean(text)`` when the caller has it already (screening computes it once); ``page``
    is the address of the page the comment is posted under, ``title`` its title and ``page_text`` its
    text, when known."""
    found = find_links(text, page)
    links = [link for link in found if not link.to_page]
    outbound = [link for link in links if not link.is_reference]  # sources and documents are not promotion
    topic = topic_words(title) if title else frozenset()
    plain = clean(text) if plain is None else plain
    n_letters, n_upper, digit_count = _letters_capitals_digits(plain)
    upper = n_upper / n_letters if n_letters >= 12 else 0.0
    hosts = [link.host for link in links]
    author = _author_links(url, page)
    words = set(map(str.lower, _WORD.findall(plain)))
    shared = _content_words(words) & page_words(title, page_text) if (title or page_text) else set()
    without_links = _replace_spans(plain, link_spans(plain), lambda *_: " ")
    praise = bool(_GENERIC_PRAISE.search(plain))
    investment = len(_INVESTMENT.findall(plain))
    money = bool(digit_count) and bool(_MONEY.search(without_links))  # an amount has a digit
    return np.array(
        [
            math.log1p(len(outbound)),
            float(len(outbound) >= 2),
            float(any(link.tld in CHEAP_TLDS for link in links)),
            float(any(h in SHORTENERS for h in hosts)),
            float(any(h in PLATFORMS or h.endswith(tuple("." + p for p in PLATFORMS)) for h in hosts)),
            float(any(link.is_reference for link in links)),
            float(bool(email_spans(plain))),
            float(digit_count >= 9 and has_phone_number(without_links)),  # a number has 9 digits
            float(money),
            float("%" in plain and bool(_PERCENT.search(plain))),
            upper,
            math.log1p(plain.count("!")) / 2,
            float(bool(_REPEAT_PUNCT.search(plain))),
            float(bool(_REPEAT_CHAR.search(plain))),
            min(digit_count / (len(plain) or 1) * 5, 1.0),
            math.log1p(len(plain)) / 6,
            float(any(c.isdigit() for c in name)),
            float(bool(find_links(name))),
            float(any(link.tld in CHEAP_TLDS for link in author)),
            float(len(found) > len(links)),
            float(bool(_LIKE_BAIT.search(plain))),
            float(any(link.referral for link in links)),
            float(bool(topic) and bool(words & topic)),
            float(any(_selling_domain(h) for h in hosts + [link.host for link in author])),
            float(_links_in_markup(text)),
            float(bool(_CONTACT.search(plain))),
            float(third_party_handles(plain) > 0),
            min(investment, 3) / 3 + (0.5 if investment and money else 0.0),
            float(lookalike_letters(text, plain)),
            float(praise),
            float(praise and bool(url) and not shared),
            float(bool(url)),
            math.log1p(len(shared)) / 2,
        ],
        dtype=np.float64,
    )


# Naming an account or a platform to find someone on: enough for a comment to send readers somewhere.
# So is asking for a direct message or a follow, self-promotion that sends readers to search for
# something ("just search on Google", "see my videos"), and asking for an audience ("check me out").
# One "\b" before all the word alternatives: re tries each top-level alternative at every position of the
# text, and a "\b" of its own in each made this the costliest pattern of a long comment's screening.
_ELSEWHERE = _Keyed(
    re.compile(
        r"@\w|\b(?:(?:instagram|insta|ig|facebook|fb|tiktok|twitter|telegram|whats\s?app|wechat|snapchat|youtube|"
        r"channel|gmail|hotmail|yahoo|google|search\s+(?:for|on)|look\s+(?:up|for)|type\s+in|visit)\b"
        r"|(?:my|our)\s+(?:new\s+)?(?:channel|videos?|blog|playlist|website|site|account|profile|page|track|music|"
        r"songs?|shop|store|app|bio|dms?|inbox)\b"
        # Social platforms' own ways of sending readers on: direct messages, follow-backs, the profile's bio.
        r"|(?:dm|pm)\s+(?:me|us|for)\b|send\s+(?:me\s+)?an?\s+dm\b|follow\s+(?:me|us)\b|in\s+(?:my\s+)?bio\b"
        # Asking for an audience for one's own account or work: on a platform the author's name leads there,
        # and a comment that asks for it is channel spam wherever it is posted. Only the self-referring forms:
        # "check out the appendix" is a reader pointing at the page.
        r"|check\s+(?:me|us)\s+out\b|check\s+out\s+(?:my|our|me|us)\b|take\s+a\s+look\s+at\s+(?:my|our)\b"
        r"|(?:view|watch|listen\s+to|hear)\s+my\b|sub(?:scribe)?\s+(?:to\s+)?(?:me|us|back|now)\b"
        r"|sub\s*4\s*sub|(?:like|follow)(?:\s*4|\s+for)\s*(?:like|follow)\b"
        r"|\d+k?\s+(?:more\s+)?(?:subscribers|subs|followers)\b"
        # "My channel/videos/blog" in the other languages Tribuna ships: the same ask, in a reader's own words.
        r"|(?:mi|mis|meu|meus|minha|ma|mon|mes|mein|meine|meinen|meinem)\s+(?:canal|v[ií]deos?|cha[iî]ne|kanal|blog)\b"
        r"|(?:мій|мої|мого|мою)\s+(?:канал|відео|блог)"
        r"|قناتي|مدونتي)",
        re.I,
    ),
    "@, whats, search for, search on, look up, look for, type in, take a look, view my, watch my, listen to my,"
    " hear my, sub4, sub 4, like4, like 4, like for, follow4, follow 4, follow for, канал, відео, блог, قناتي,"
    " مدونتي",
    # Whole words: each alternative of the pattern holds one between word boundaries.
    words="instagram, insta, ig, facebook, fb, tiktok, twitter, telegram, whatsapp, wechat, snapchat, youtube,"
    " channel, gmail, hotmail, yahoo, google, visit, video, videos, blog, playlist, website, site, account,"
    " profile, page, track, music, song, songs, shop, store, app, bio, dm, dms, inbox, pm, follow, check, sub,"
    " subscribe, subscribers, subs, followers, canal, vídeo, vídeos, chaine, chaîne, kanal",
)
# A link written so that no link finder sees it: "h t t p : / /", "hxxp://", "w w w .", "example dot com",
# "example[.]com", "example. co m". Spam written for platforms that strip links does this; a reader who
# wants to point at a page on Tribuna just pastes its address. A spelled-out ending counts only in lower
# case and where an address ends (``_ADDRESS_END``): "Apple Inc. net income", "e.g. net zero", "Fui ao Dr.
# com dor", "the early dot com companies" and "ASP dot NET" are prose. Linear: each alternative starts at a
# word's start or a single character, and each white-space run it crosses follows a fixed character.
_ADDRESS_END = r"(?=/|[.,;:!?)\]]*\s*$|[.,;:!?)\]]+\s)"
_DISGUISED_LINK = _Keyed(
    re.compile(
        r"\bh\s+t\s+t\s+p\b|\bhxxps?:|\bw\s+w\s+w\s*\."
        r"|\w[\[({](?:\.|dot)[\])}](?:com|net|org|info|biz|io|co|ru|de|uk|xyz|top)\b"
        rf"|\b(?!(?:the|that|this|a|an)\b)\w{{2,}}\s+dot\s+(?-i:com|net|org|info|biz|io){_ADDRESS_END}"
        rf"|\w\s*\.\s+(?-i:com|net|org){_ADDRESS_END}|\w\s*\.\s*(?-i:c\s+o\s*m|co\s+m){_ADDRESS_END}",
        re.I,
    ),
    "h t t p, hxxp, w w w, [., (., {., [dot, (dot, {dot, dot com, dot net, dot org, dot info, dot biz, dot io,"
    " . com, . net, . org, c o, co m",
)
_PAYLOAD = (
    "links",
    "documentation link",
    "social/video link",
    "email address",
    "phone number",
    "handle of another account",
    "asks to be contacted elsewhere",
    "author website",
    "links in markup",
)
_PAYLOAD_COLUMNS = [FEATURE_NAMES.index(name) for name in _PAYLOAD]
_LIKE_BAIT_COLUMN = FEATURE_NAMES.index("like-bait")
_PAYLOAD_COLUMNS_BUT_HANDLES = [
    i for i in _PAYLOAD_COLUMNS if FEATURE_NAMES[i] != "handle of another account"
]
# The accounts a comment starts by addressing, as replies and tags on social sites do.
_ADDRESSED = re.compile(r"(?:@[\w.]+[\s,:;]*)+")
_SAID = re.compile(r"[^\W\d_]{4}")  # a word of four letters or more


def has_payload(values: np.ndarray, plain: str, page: str = "", disguised: bool | None = None) -> bool:
    """Does the comment send readers anywhere: a link, the author's website, an address, a number, an
    account or platform to look for, a link spelled out to hide it? On a platform page (a video) the
    author's name always links to their channel. A comment without any has nothing to promote.
    ``disguised`` is ``has_disguised_link(plain)`` when the caller has it already (screening reports it)."""
    disguised = has_disguised_link(plain) if disguised is None else disguised
    columns, handles = _PAYLOAD_COLUMNS, False
    plain = plain.lstrip()
    addressed = _ADDRESSED.match(plain)
    # Whom a comment is addressed to ("@jenny_k look at this", "@Maria I agree") is the conversation, not a
    # place to send readers: when something is said to them (a word of four letters or more right after the
    # handles), only the rest may promote. Handles with nothing said to them ("@recover.funds01 @fx_mark22
    # 🔥🔥") are the comment's whole payload.
    if addressed and _SAID.search(plain, addressed.end(), addressed.end() + 100):
        plain = plain[addressed.end() :]
        columns, handles = _PAYLOAD_COLUMNS_BUT_HANDLES, third_party_handles(plain) > 0
    if disguised or handles or any(values[i] > 0 for i in columns) or _ELSEWHERE.search(plain):
        return True
    return bool(page) and not _site_of(page) and bool(page_identity(page))


def has_disguised_link(plain: str) -> bool:
    """Does the comment spell out a link so that it is not found as one (``_DISGUISED_LINK``)?"""
    return bool(_DISGUISED_LINK.search(plain))


def hands_readers_over(plain: str) -> str | None:
    """Does the comment send readers to a person on a messaging channel or by handle (``_HANDS_OVER``), to an
    account whose name ends in the investing it sells (``selling_handles``), or to the author's own
    profile elsewhere (``_OWN_PROFILE``)? The reason to tell the moderator, or None."""
    if _HANDS_OVER.search(plain):
        return HANDS_OVER
    # What a comment quotes is not its own ask: '"click the link in my bio" lol i hate the bots'. A quoted
    # word inside the ask ('send "hi" to my page') leaves it the author's, and so does a comment that is one
    # quotation ('"link in my bio 😘"').
    quotes = any(mark in plain for mark in "\"“«„‘'") and not _QUOTED.fullmatch(plain.strip())
    if selling_handles(plain) and (not quotes or selling_handles(_QUOTED.sub(" ", plain))):
        return SELLING_HANDLE
    # Where each ask's first word is ('(“dm me”) is what the bots write' matches from the bracket), and the
    # asks whose first word no quotation holds.
    asks = [
        m.start() + next((i for i, c in enumerate(m.group()) if c.isalnum()), 0)
        for m in _OWN_PROFILE.finditer(plain)
    ]
    if asks and quotes:
        quoted = [q.span() for q in _QUOTED.finditer(plain)]
        starts = [begin for begin, _ in quoted]
        asks = [at for at in asks if (i := bisect.bisect_right(starts, at) - 1) < 0 or quoted[i][1] <= at]
    return OWN_PROFILE if asks else None


def _near(name: _Keyed, cues: tuple[_Keyed, ...], plain: str) -> bool:
    """Does a match of any of ``cues`` overlap the ``VOUCHING_REACH`` characters around a match of ``name``?
    Each pattern reads the text once and the positions are compared sorted, so a long text costs no more
    than its reading."""
    names = [m.span() for m in name.finditer(plain)]
    if not names:
        return False
    spans = sorted(m.span() for cue in cues for m in cue.finditer(plain))
    starts = [start for start, _ in spans]
    furthest = list(itertools.accumulate((end for _, end in spans), max))  # furthest end of the spans so far
    for begin, end in names:
        first = bisect.bisect_left(starts, begin - VOUCHING_REACH)  # spans starting in or after the window
        if first < len(starts) and starts[first] <= end + VOUCHING_REACH:
            return True
        if first and furthest[first - 1] >= begin - VOUCHING_REACH:  # one starting before it reaches in
            return True
    return False


def vouches_for_someone(plain: str) -> bool:
    """Does the comment vouch for a person to trust with money, the way a scam's testimonial does
    (``_TITLED_NAME``, ``_THEIR_SERVICES``, ``_STOCK_VOUCHING``)? Like handing readers over, it sends them to
    someone: screening counts it as a payload and holds it unless the comment is about its page. What a
    comment quotes is not its own vouching: 'all these "mrs jennifer changed my life" comments are bots'."""
    if any(mark in plain for mark in "\"“«„‘'"):
        plain = _QUOTED.sub(" ", plain)
    if _STOCK_VOUCHING.search(plain):
        return True
    money = _SCAM_MONEY.search(plain) is not None
    if _near(_TITLED_NAME, (_SCAM_MONEY, _PRAISE, _TESTIMONIAL), plain):
        return True
    if money and _THEIR_SERVICES.search(plain):
        return True
    return third_party_handles(plain) > 0 and (
        _HANDLE_VOUCHED.search(plain) is not None
        or (money and (_PRAISE.search(plain) is not None or _TESTIMONIAL.search(plain) is not None))
    )


def asks_for_engagement(values: np.ndarray, plain: str) -> bool:
    """Does the comment ask readers to subscribe, share, like or search for something? Not a sign of spam
    (a legitimate comment may ask it too), but such a comment has something to gain: screening judges it
    as one that sends readers somewhere (``Prediction.sends_nowhere``). A question is not such an ask:
    "How do I subscribe to replies?" asks the site for its own feature. ``values``: the comment's hand
    features, whose like-bait column already says whether it asks for likes."""
    if values[_LIKE_BAIT_COLUMN]:
        return True
    sentence_end, question = -1, False
    for match in _ENGAGEMENT.finditer(plain):
        if match.end() > sentence_end:  # each sentence's end is looked for once: linear in the text
            found = _SENTENCE_END.search(plain, match.end())
            sentence_end, question = (found.start(), found.group() == "?") if found else (len(plain), False)
        if not question and not _FIRST_PERSON_BEFORE.search(plain, max(0, match.start() - 40), match.start()):
            return True
    return False


# Where a sentence ends: "!" or "?", a full stop before a space (not the one in "v2.1"), or an empty line
# (not a line break inside a sentence typed on a phone).
_SENTENCE_END = re.compile(r"[!?]|\.(?=\s|$)|\n\s*\n")
# "I subscribe to the newsletter", "we'll share it", "I also subscribe": a reader telling what they do, not
# asking readers. At most one word between the pronoun (and its auxiliary) and the verb.
_FIRST_PERSON_BEFORE = re.compile(r"\b(?:i|we)(?:[’'](?:ll|d|ve)|\s+will|\s+would)?(?:\s+\w+)?\s+$", re.I)


# Words that make an author's name a business's search keywords ("Best SEO Services", "cheap nfl jerseys",
# "kitchen remodeling"): comment spam signs with the phrase it wants its link to rank for, and a reader signs
# with a name. Words that are also people's names are left out: "Best", "Price", "Sale", "Service" (surnames),
# "Seo" (a Korean surname), "Loan" (a Vietnamese given name); so are words a reader may add to a name to say
# what they do ("Anna, marketing at Acme", "Kate's book reviews").
_BUSINESS_NAME_WORDS = frozenset(
    "services company agency online shop store cheap buy discount outlet loans payday insurance casino poker"
    " betting replica jerseys handbags pharmacy pills viagra cialis cbd essay essays hosting repair cleaning"
    " removal plumbing plumber roofing movers rental rentals lawyers attorneys clinic forex bitcoin crypto escort"
    " escorts dating coupon coupons deals software solutions consulting followers remodeling contractors"
    " locksmith".split()
)
# Where a run-together name splits into words: "BestSEOServices" -> "Best SEO Services".
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
BUSINESS_NAME = "business keywords as the name"


_LINKS_COLUMNS = [FEATURE_NAMES.index("links"), FEATURE_NAMES.index("author website")]


def links_somewhere(values: np.ndarray) -> bool:
    """Does the comment carry a link or its author's website (``values``: its hand features)?"""
    return any(values[i] > 0 for i in _LINKS_COLUMNS)


def business_name(name: str) -> bool:
    """Is the author's name a business's search keywords rather than a person's (``_BUSINESS_NAME_WORDS``)?
    Full-width letters, underscores and run-together words are read as the words they spell."""
    name = unicodedata.normalize("NFKC", name[:200]).replace("_", " ")
    words = _WORD.findall(_CAMEL_BOUNDARY.sub(" ", name).lower())
    return not _BUSINESS_NAME_WORDS.isdisjoint(words)


# How strong a value must be to count as evidence (the default is any value above zero).
_EVIDENCE_AT = {"money or investment testimonial": 0.6}


def evidence(values: np.ndarray) -> list[str]:
    """The strong, model-independent signs of spam among the hand features."""
    return [
        name
        for name, value in zip(FEATURE_NAMES, values.tolist(), strict=True)
        if name in STRONG_EVIDENCE and value > _EVIDENCE_AT.get(name, 0.0)
    ]


def describe(values: np.ndarray, text: str) -> list[str]:
    """Moderator-readable reasons for the hand features that point towards spam."""
    reasons = []
    n_links = round(math.expm1(values[0]))
    if n_links:
        reasons.append(f"{n_links} link{'s' if n_links > 1 else ''}")
    reasons += [name for name in evidence(values) if name != "several links"]
    for name in ("social/video link", "email address", "money amount"):
        if values[FEATURE_NAMES.index(name)]:
            reasons.append(name)
    if values[10] > 0.6:
        reasons.append("mostly capitals")
    if text.count("!") >= 4:
        reasons.append(f"{text.count('!')} exclamation marks")
    return reasons
