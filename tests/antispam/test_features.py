"""What the classifier reads about a comment: links and the page it is under, topic words, shape features."""

import random
import re
import sys
from re import _constants as sre_constants  # the parsed form of a pattern, to spell texts it matches
from re import _parser as re_parser

import pytest

from tribuna.antispam import classifier, features

PAGE = "https://www.youtube.com/watch?v=9bZkp7q19f0"


@pytest.mark.parametrize(
    "url",
    [
        "http://youtu.be/9bZkp7q19f0",
        "https://m.youtube.com/watch?v=9bZkp7q19f0&t=3m40s",
        "youtube.com/watch?v=9bZkp7q19f0",
    ],
)
def test_short_and_long_forms_of_a_page_are_the_same_page(url):
    assert features.page_identity(url) == features.page_identity(PAGE)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=KQ6zr6kCPj8",
        "https://www.youtube.com/channel/UC123",
        "https://statements.example.org/watch?v=9bZkp7q19f0",
    ],
)
def test_another_video_channel_or_site_is_another_page(url):
    assert features.page_identity(url) != features.page_identity(PAGE)


def test_a_site_page_is_identified_by_host_and_path():
    assert features.page_identity("https://www.site.example/statements/a/") == "site.example/statements/a"
    assert (
        features.page_identity("https://site.example/statements/a#section-2") == "site.example/statements/a"
    )
    assert features.page_identity("/statements/a/") == ""


def test_links_to_the_page_are_marked_and_not_counted_as_links():
    page = "https://site.example/statements/opening-hours/"
    text = "See https://site.example/statements/opening-hours/#s2 and https://shop.example.top/buy"
    links = features.find_links(text, page)
    assert [(link.host, link.to_page) for link in links] == [
        ("site.example", True),
        ("shop.example.top", False),
    ]
    with_page = features.hand_features(text, page=page)
    without_page = features.hand_features(text)
    link_count, to_page = (
        features.FEATURE_NAMES.index("links"),
        features.FEATURE_NAMES.index("link to this page"),
    )
    assert with_page[to_page] == 1.0 and without_page[to_page] == 0.0
    assert with_page[link_count] < without_page[link_count]


def test_the_ngram_text_has_placeholders_for_the_page_other_videos_and_other_links():
    text = f"Love it {PAGE} but see http://youtu.be/KQ6zr6kCPj8 and www.my-channel.example.com"
    assert features.ngram_text(text, PAGE) == "love it zpagelinkz but see zvideolinkz and zurlz"
    assert features.ngram_text(text) == "love it zvideolinkz but see zvideolinkz and zurlz"


def test_title_words_that_name_the_subject_become_one_placeholder():
    title = "Katy Perry - Roar (Official Video)"
    assert features.topic_words(title) == {"katy", "perry", "roar"}
    assert features.ngram_text("KATY you ROAR like nobody, Perry!", title=title) == (
        "ztopicz you ztopicz like nobody, ztopicz !"
    )
    assert features.ngram_text("Katy rocks") == "katy rocks"


def test_mentioning_the_subject_is_a_feature_only_when_the_title_is_known():
    mentions = features.FEATURE_NAMES.index("mentions the page's subject")
    title = "Opening hours of the central library"
    assert features.hand_features("Longer library hours would help", title=title)[mentions] == 1.0
    assert features.hand_features("Longer library hours would help")[mentions] == 0.0
    assert features.hand_features("Check my channel", title=title)[mentions] == 0.0


@pytest.mark.parametrize(
    "text, bait",
    [
        ("Like this comment if you are watching in 2015", True),
        ("thumbs up if u agree", True),
        ("Like this comment for no reason", True),
        ("I like this proposal, it is fair", False),
        ("Share your thoughts on section 2 below", False),
    ],
)
def test_like_bait_is_recognised(text, bait):
    index = features.FEATURE_NAMES.index("like-bait")
    assert features.hand_features(text)[index] == float(bait)
    assert ("like-bait" in features.describe(features.hand_features(text), text)) is bait


def test_every_feature_has_a_name():
    assert len(features.hand_features("any text")) == len(features.FEATURE_NAMES)


@pytest.mark.parametrize(
    "text, referral",
    [
        ("Free gift cards http://www.swagbucks.com/refer/Nonturtle02", True),
        ("this is the song http://psnboss.com/?ref=2tGgp3pV6L", True),
        ("see https://shop.example/item?id=4&aff=991", True),
        ("The report: https://data.example.org/reports/2024?lang=en", False),
    ],
)
def test_referral_and_affiliate_links_are_recognised(text, referral):
    index = features.FEATURE_NAMES.index("referral link")
    assert features.hand_features(text)[index] == float(referral)


def test_title_words_inside_a_link_leave_the_link_whole():
    text = "vote here http://tv.mtvema.com/artists/katy-perry/i38xh1"
    assert features.ngram_text(text, title="Katy Perry - Roar") == "vote here zurlz"


def feature(text: str, name: str, **kwargs) -> float:
    return features.hand_features(text, **kwargs)[features.FEATURE_NAMES.index(name)]


@pytest.mark.parametrize(
    "text, found",
    [
        ("DM me on instagram for details", True),
        ("message him on whatsapp +1 555 0100 222", True),
        ("contact her via telegram @fx_mentor_jane", True),
        ("WhatsApp: +44 7700 900123", True),
        ("contact @recover.funds01 on ig they helped me", True),
        ("reach out to @fx_mentor_jane", True),
        ("contact the @council team", False),
        ("Please contact @CouncilHelpdesk for bin collections", False),
        ("How can I contact my MP about clauses 4 to 9?", False),
        ("Write to the clerk of the committee before Friday", False),
        ("Please notify me of follow-ups.", False),
    ],
)
def test_contact_seeking_is_recognised(text, found):
    assert feature(text, "asks to be contacted elsewhere") == float(found)


@pytest.mark.parametrize(
    "text, found",
    [
        ("thanks to @expert_maria_fx for my profits", True),
        ("follow @crypto.king22 now", True),
        ("@Maria I agree with you", False),
        ("write to clerk@parliament.example.uk", False),
    ],
)
def test_handles_of_other_accounts_are_told_from_replies_and_addresses(text, found):
    assert feature(text, "handle of another account") == float(found)


@pytest.mark.parametrize(
    "text, evidence",
    [
        ("i invested $1000 with her and got $12,500 profit in a week", True),
        ("my account manager helped me withdraw my earnings every week, bitcoin trading is real", True),
        ("thanks to @jennifer_fx_trades i got paid today, she is real", True),
        ("all thanks to @mark.trades, he paid me out on time", True),
        ("Can I still return books through the box on Sunday?", False),
        ("The budget is 1.2 million for 800 metres", False),
        ("Thanks to @clerk_office for the minutes", False),
        ("Credit to @jane_photos for the picture", False),
        ("I got paid leave for the hearing day", False),
    ],
)
def test_money_testimonials_are_evidence_but_ordinary_numbers_are_not(text, evidence):
    values = features.hand_features(text)
    assert ("money or investment testimonial" in features.evidence(values)) is evidence


@pytest.mark.parametrize(
    "text, lookalike",
    [
        ("𝐄𝐚𝐫𝐧 𝐦𝐨𝐧𝐞𝐲 𝐟𝐚𝐬𝐭", True),  # mathematical bold letters
        ("ＦＲＥＥ ｍｏｎｅｙ", True),  # full-width letters
        ("Get your free Bіtcoin", True),  # a Cyrillic "і" inside a Latin word
        ("ʜᴇʏ ʙᴀʙᴇ ᴄʜᴇᴄᴋ ᴍʏ ʙɪᴏ", True),  # small capitals, which NFKC leaves as they are
        ("The vowel of /bɪt/ is short", False),  # one small capital, as phonetic notation writes it
        ("She explained /ˈmɪnɪstə/ vs /ˈprɪti/ and the French /ʀ/", False),  # many, none in a row
        ("ғʀᴇᴇ ɢɪғᴛ", True),  # a generator's F is a Cyrillic letter
        ("ⓕⓡⓔⓔ ⓖⓘⓕⓣ", True),  # circled letters, symbols to Unicode
        ("🅲🅷🅴🅲🅺 🅼🆈 🅱🅸🅾 ❤️❤️❤️", True),  # letters in black squares, which NFKC leaves as they are
        ("🅿️ is full again, 🅰️🅱️🅾️ donors welcome", False),  # the emoji among them
        ("I'm 🅾 negative, my wife is 🅰, 🅿 for visitors", False),  # one alone is a label
        ("Ⓐ first, Ⓑ second, Ⓒ third", False),
        ("🅲️🅷️🅴️🅲️🅺️ 🅼️🆈️ 🅿️🅰️🅶️🅴️", True),  # the invisible emoji selector does not break a word
        ("Acme™ and Beta™ by Gamma™, № 3", False),  # compatibility symbols of more than one letter
        ("Dziękuję za to stanowisko, mieszkańcy", False),
        ("Привет, это обычный комментарий", False),
        ("Ünïcode wörds from Zürich", False),
    ],
)
def test_look_alike_letters_are_flagged_and_ordinary_accents_are_not(text, lookalike):
    assert feature(text, "look-alike letters") == float(lookalike)


def test_small_capitals_are_read_as_the_letters_they_stand_for():
    assert features.clean("ᴄʜᴇᴄᴋ ᴍʏ ʙɪᴏ ꜰᴏʀ ᴍᴏʀᴇ, ꞯᴜɪᴄᴋ") == "check my bio for more, quick"
    assert features.clean("ꜱᴍᴀʟʟ ᴡᴏʀᴅꜱ") == "small words"
    assert features.clean("Zürich, /bɪt/") == "Zürich, /bit/"
    # The Cyrillic ғ and the ǫ that generators use for F and Q, only among small capitals.
    assert features.clean("ғʀᴇᴇ ɢɪғᴛ, ǫᴜɪᴄᴋ") == "free gift, quick"
    assert features.clean("Ғылым ғой, ǫ") == "Ғылым ғой, ǫ"
    # A small capital with an accent is read as the accented letter, so cleaning twice changes nothing.
    assert features.clean("ɪ\u0303n") == "ĩn" == features.clean(features.clean("ɪ\u0303n"))


def test_letters_in_black_circles_and_squares_are_read_as_capitals_but_not_their_emoji():
    assert features.clean("🅲🅷🅴🅲🅺 🅼🆈 🅱🅸🅾") == "CHECK MY BIO"
    assert features.clean("🅒🅗🅔🅒🅚") == "CHECK"
    assert features.clean("🅿️ is full") == "🅿️ is full"
    assert features.clean("I'm 🅾 negative") == "I'm 🅾 negative"  # one alone is an emoji or a label
    assert features.clean("🅲️🅷️🅴️🅲️🅺️ 🅼️🆈️ 🅱🅸️🅾") == "CHECK MY BIO"  # selectors inside a word are dropped
    assert [link.host for link in features.find_links("🆆️🆆️🆆️.🅲🅷🅴🅰🅿🅳🅴🅰🅻🆂.🆇🆈🆉")] == ["cheapdeals.xyz"]
    assert len(features._BLACK_LETTERS) == 52  # A to Z, circled and squared


def test_nfkc_lets_the_model_read_look_alike_letters_as_plain_words():
    from tribuna.antispam.classifier import model_text

    assert model_text("𝐄𝐚𝐫𝐧 𝐦𝐨𝐧𝐞𝐲") == model_text("Earn money") == "earn money"
    assert features.clean("𝐄𝐚𝐫𝐧 𝐦𝐨𝐧𝐞𝐲") == "Earn money"


def test_generic_praise_with_a_website_is_evidence_unless_it_talks_about_the_page():
    praise = "Great post, very informative. Thanks for sharing!"
    seo = features.hand_features(praise, url="https://best-roofing-deals.example.com")
    assert "website with generic praise" in features.evidence(seo)
    assert "website with generic praise" not in features.evidence(features.hand_features(praise))
    on_topic = features.hand_features(
        "Great post on the library opening hours, thanks for sharing!",
        url="https://anna.example.org",
        title="Library opening hours",
    )
    assert "website with generic praise" not in features.evidence(on_topic)


def test_words_shared_with_the_page_title_and_text_measure_distance_from_the_page():
    page = dict(
        title="Consultation: a protected cycle lane on Mill Road",
        page_text="Twenty-two parking spaces would be removed and loading bays moved to side streets.",
    )
    near = feature(
        "Where will the loading bays go once the parking spaces are removed?",
        "words shared with the page",
        **page,
    )
    far = feature("Best essay writing service, cheap and fast", "words shared with the page", **page)
    assert near > 0.5 and far == 0.0


@pytest.mark.parametrize(
    "url, made_up",
    [
        ("https://cheapviagrapills.com", True),
        ("https://buy-followers-now.net", True),
        ("https://best-seo-services-london.com", True),
        ("https://jbaker-notes.example.net", False),
        ("https://www.parliament.example.uk/bills", False),
        ("https://alphabet.com", False),
    ],
)
def test_commercial_and_made_up_domains(url, made_up):
    assert feature(f"see {url}", "commercial or made-up domain") == float(made_up)


def test_links_written_in_markdown_html_and_bare_are_found_but_file_names_are_not():
    text = 'See [the docs](https://docs.example.org/a). <a href="http://spam.example.top">x</a> cheap.example.xyz/buy'
    assert [link.host for link in features.find_links(text)] == [
        "spam.example.top",
        "docs.example.org",
        "cheap.example.xyz",
    ]
    assert features.find_links("the report.pdf, section 3.2.1, e.g. node.js, i.e. 1.5") == []
    # Numbered points written without a space are not addresses; a written address with a number is.
    assert (
        features.find_links("two reasons: 1.it is about Africa 2.in my view 3.me too, version 2.0.9-sf.net")
        == []
    )
    assert [link.host for link in features.find_links("163.com/x and http://1.it/a")] == ["163.com", "1.it"]
    assert features.link_spans("mail a.b@example.org") == ()
    assert features.email_spans("mail <a.b@example.org>, now") == [(6, 21)]


@pytest.mark.parametrize(
    "text, host",
    [
        ("ｗｗｗ.ｅｂａｙ.ｃｏｍ/ｕｓｒ/shoes", "ebay.com"),  # full-width letters
        ("𝐛𝐢𝐭.𝐥𝐲/𝐱𝐲𝐳 for the prize", "bit.ly"),  # mathematical bold letters
        ("ᴠɪsɪᴛ ʙɪᴛ.ʟʏ/xyz now", "bit.ly"),  # small capitals
    ],
)
def test_links_written_in_look_alike_letters_are_links(text, host):
    assert [link.host for link in features.find_links(text)] == [host]
    assert feature(text, "links") > 0


def test_text_in_other_scripts_gains_no_links_from_its_full_width_punctuation():
    assert features.find_links("東京．大阪で会いましょう。") == []


def test_a_link_to_another_page_of_the_same_site_is_not_an_outbound_link_but_on_a_platform_it_is():
    page = "https://library.example.org/statements/opening-hours/"
    links = features.find_links("survey: https://library.example.org/documents/survey.pdf", page)
    assert [link.to_page for link in links] == [True]
    video = "https://www.youtube.com/watch?v=9bZkp7q19f0"
    assert [
        link.to_page for link in features.find_links("https://www.youtube.com/watch?v=other1", video)
    ] == [False]


def test_sources_and_documents_are_not_counted_as_outbound_links():
    text = "The ruling: https://curia.europa.eu/juris/liste.jsf?num=C-623/17 and the memo https://x.example.org/m.pdf"
    values = features.hand_features(text)
    assert values[features.FEATURE_NAMES.index("links")] == 0.0
    assert values[features.FEATURE_NAMES.index("documentation link")] == 1.0
    assert "zsourcelinkz" in features.ngram_text(text)


# -- the shortcuts screening takes must not change what it finds ---------------------------------
def test_the_ignorecase_table_folds_every_letter_re_matches_with_a_letter_of_the_keys():
    keyed = [value for value in vars(features).values() if isinstance(value, features._Keyed)]
    letters = {c for k in keyed for key in (*k.keys, *k.words) for c in key if c.isalpha()}
    assert {"a", "z", "в", "о"} <= letters
    a_key_letter = re.compile(f"[{''.join(sorted(letters))}]", re.I)
    table = {chr(c): letter for c, letter in features._IGNORECASE_EXTRA.items()}
    needed = {
        char
        for char in map(chr, range(sys.maxunicode + 1))
        if a_key_letter.fullmatch(char) and char.lower() not in letters
    }
    assert needed <= set(table), sorted(needed - set(table))
    for char, letter in table.items():
        assert re.fullmatch(letter, char, re.I)


KEYED = {name: value for name, value in vars(features).items() if isinstance(value, features._Keyed)}
# At least one way to meet every alternative of the keyed patterns, spelt as re.IGNORECASE still matches.
KEYED_EXAMPLES = """dm me; PM him; İnbox us; whatsapp   me; whats app her; telegram us; hit up me; message me on;
text him at; contact her via; reach out to me through; write to him on; call me at; message her; text him;
contact him; reach her; contact @ann_1; reach to @ann_1; reach out to @ann_1; write to @ann_1;
message @ann_1; text @ann_1; dm @ann_1; pm @ann_1; WhatsApp number; telegram id; signal me; wechat @; kik +; snapchat:; viber :;
via whats app; on telegram; at wechat; through kik; on viber; contact info; contact details;
invested; investment; investor; profits; earnings; income; returns; withdrawn; trading; traders; forex;
cryptocurrency; bitcoins; btc; binary  options; stocks; portfolio; account manager; financially freedom;
passive; payout; mentor; recovery; hacker; scammed; per week; per day; per month; got paid; get  paid;
getting paid; paid me; paid out; thanks @ann.b; thanks to @ann.b; thank you @ann.b; grateful to @ann.b;
recommend @ann.b; recommended to @ann.b; great post;
nice write-up; useful points; impressive topic; thank you for sharing; thanks for the info; keep it up;
keep up the good work; keep posting; bookmarked; very helpful; like this comment; thumbs up if you;
share for no reason; retweet if u; repost if ur; like if you; @maria; inſtagram; IG; fb; tiktok;
twitter; whatsapp; wechat; snapchat; youtube; channel; gmail; hotmail; yahoo; google; search for;
look up; type in; viſit; my channel; our new video; my videos; my blog; my playlist; my website;
our site; my account; my profile; my page; my track; my music; my songs; my shop; our store; my app;
Kik me; ſignal id; check me out; check us out; check out my; check out our; check out me; check out us;
take a look at my; take a look at our; view my; watch my; listen to my; hear my; sub me; subscribe to us;
h t t p; hxxp:; hxxps:; w w w .; ab[.]com; ab(dot)net; ab{.}org; ab dot com; ab dot net; ab dot org;
ab dot info; ab dot biz; ab dot io; ab. com; ab . net; ab. org; ab.co m; ab. c o m; ab.c om; ab dot com/x;
contact her on whatsapp; write to him via telegram; reach out to her through ig; call him at +1;
inbox her on fb; dm @ann_1; inbox @ann_1; whatsapp: +1; telegram @ann; wechat: ann; kik +1; viber:x;
subscribe back; sub now; sub4sub; sub 4 sub; like4like; like for like; follow 4 follow; follow for follow;
100 subscribers; 10k more subs; 500 followers; subscribe; share this; share  it; search up;
mrs ann; mr. bo; madam ruth; dr okoro; mrs. lee; mr tom; mr.mark; dr.adams; with her; from him; met him;
found her; contacted him; recommended her; thanked him; thanks to her; bless her; reward him; trust him;
investing; profit; earned; withdraw; withdrew; withdrawals; payouts; trading; traders; forex;
cryptocurrency; bitcoin; btc; binary options; account manager; she is legit; he's 100% legit;
he’s so legit!; she's legit; she’s legit; he is legit; she is totally legit 💯; he’s really legit;
legit; trustworthy; genuine; reliable; real deal; heard of; can confirm;
life saver; lifesaver; god bless; bless him; testify; vouch; changed my life; blessing; paid me;
pray for her; thank me later; can't thank her enough; cannot thank him enough;
мій ᲀідео; мої блᲂг; мій віᲁео;
link in my bio; links are in bio; info in my profile; details are in profile; in my bio; at my bio;
check my story; check my stories; visit my page; click my pics; open my profile; check out my bio;
send hi to my page; send "hello" to my dm; send 'hey' to my inbox; dm for promo; dm me; dm now"""


def _texts_for_keyed_patterns():
    samples, _, _ = classifier.load_shipped_corpus()
    examples = [e.strip() for e in KEYED_EXAMPLES.split(";")]
    return (
        [s.text for s in samples]
        + examples
        + [e.replace(" ", " \n\t") for e in examples]  # any white space where the pattern has \s+
        + [e.upper() for e in examples]
        + [f"x {e}." for e in examples]
    )


def test_every_match_of_a_keyed_pattern_holds_one_of_its_keys():
    texts = _texts_for_keyed_patterns()
    for name, keyed in KEYED.items():
        matched = 0
        for text in texts:
            for match in keyed.pattern.finditer(text):
                matched += 1
                folded = features._folded(match.group(0))
                assert any(key in folded for key in keyed.keys) or not keyed.words.isdisjoint(
                    features._folded_words(folded)
                ), (name, match)
            assert bool(keyed.search(text)) == bool(keyed.pattern.search(text))
            assert len(keyed.findall(text)) == len(keyed.pattern.findall(text))
        assert matched > 20, name


_SPACES = [" ", "  ", "\n", "\t", "\u3000"]
_CATEGORY_EXAMPLES = {
    sre_constants.CATEGORY_SPACE: _SPACES,
    sre_constants.CATEGORY_DIGIT: ["7"],
    sre_constants.CATEGORY_WORD: ["a", "Z", "9"],
}
_CASES = {"i": ["i", "I", "\u0130", "\u0131"], "s": ["s", "S", "\u017f"], "k": ["k", "K", "\u212a"]}


def _random_text(items, rng: random.Random) -> str:
    """A text one path through a parsed pattern spells (``re._parser``'s tree), letters in any case
    re.IGNORECASE matches and any white space; zero-width assertions are left to chance."""
    out = []
    for op, av in items:
        if op is sre_constants.LITERAL:
            char = chr(av)
            out.append(rng.choice(_CASES.get(char.lower(), [char.lower(), char.upper()])))
        elif op is sre_constants.IN:
            choices = []
            for kind, value in av:
                if kind is sre_constants.LITERAL:
                    choices.append(chr(value))
                elif kind is sre_constants.RANGE:
                    choices.append(chr(rng.randint(*value)))
                elif kind is sre_constants.CATEGORY:
                    choices += _CATEGORY_EXAMPLES.get(value, ["a"])
            out.append(rng.choice(choices or ["a"]))
        elif op is sre_constants.BRANCH:
            out.append(_random_text(rng.choice(av[1]), rng))
        elif op is sre_constants.SUBPATTERN:
            out.append(_random_text(av[3], rng))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            low, high, inner = av
            out += [_random_text(inner, rng) for _ in range(min(rng.choice([low, low + 1]), high))]
        elif op in (sre_constants.ANY, sre_constants.NOT_LITERAL):
            out.append("-")
    return "".join(out)


def test_keyed_patterns_find_what_their_patterns_find_in_texts_spelt_from_the_patterns():
    rng = random.Random(2)
    for name, keyed in KEYED.items():
        tree = re_parser.parse(keyed.pattern.pattern, keyed.pattern.flags)
        matched = 0
        for _ in range(3000):
            text = f"{rng.choice(['', 'x ', '('])}{_random_text(tree, rng)}{rng.choice(['', ' x', '.'])}"
            found = keyed.pattern.search(text)
            matched += found is not None
            assert bool(keyed.search(text)) == bool(found), (name, text)
        assert matched > 1000, name


def test_a_token_without_a_dot_before_a_letter_or_digit_holds_no_link():
    rng = random.Random(5)
    pieces = list("aZ9.-/:@()[]<>'\"*_`,;!?=&%#\u0130\u212a") + [
        "http://",
        "www.",
        ".com",
        ".xyz",
        "](",
        "ｗ",
    ]
    for _ in range(20_000):
        token = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if not features._HOST_DOT.search(token):
            assert features._link_span(token) is None, token


def test_letters_capitals_and_digits_are_counted_alike_in_ascii_and_other_texts():
    samples, _, _ = classifier.load_shipped_corpus()
    for text in ["", "Hello World 2026!", "ÀB ç 12 𝐀", "ABCdef 123 ghi"] + [s.text for s in samples[:500]]:
        letters = "".join(filter(str.isalpha, text))
        expected = (len(letters), sum(map(str.isupper, letters)), sum(map(str.isdigit, text)))
        assert features._letters_capitals_digits(text) == expected
