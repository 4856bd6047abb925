"""The spam classifier: the shipped model's verdicts, the verdict policy, persistence, the scikit-learn-free
scorer, and site labels. Training here uses the small corpus of tests/antispam/conftest.py."""

import io
import pickle
import zlib

import numpy as np
import pytest

from tribuna.antispam import classifier, evaluation, features
from tribuna.antispam.classifier import Sample

OBVIOUS_SPAM = [
    Sample("CHECK OUT MY CHANNEL!!! subscribe please, I sub back!!! http://youtube.com/channel/xyz"),
    Sample("Buy cheap viagra online without prescription, fast shipping: http://cheap-pills-rx.top"),
    Sample("Make $5000 a week from home!!! Click here http://bit.ly/easy-cash-now"),
]


@pytest.fixture(scope="module")
def model():
    return classifier.SpamModel.load(classifier.SHIPPED_PATH)


@pytest.fixture
def small_model():
    samples, labels, sources = classifier.load_shipped_corpus()
    return classifier.train(samples, labels, classifier.corpus_weights(sources))


def small_corpus():
    ham = [f"I really enjoyed point {i} of the statement, thanks for the clear summary" for i in range(20)]
    spam = [f"check out my channel and subscribe for free money http://spam{i}.xyz" for i in range(20)]
    return [Sample(t) for t in ham + spam], [0] * 20 + [1] * 20


def test_the_handwritten_blog_comments_are_never_hidden(model):
    hidden = [s.text for s in evaluation.load_handwritten("ham") if model.predict(s).verdict == "spam"]
    assert hidden == []


def test_obvious_spam_is_never_approved(model):
    for sample in OBVIOUS_SPAM:
        assert model.predict(sample).verdict in ("spam", "hold"), sample.text


def test_spam_with_a_shortener_or_a_cheap_domain_is_hidden(model):
    for sample in OBVIOUS_SPAM[1:]:
        prediction = model.predict(sample)
        assert prediction.evidence and prediction.verdict == "spam", (sample.text, prediction)


def test_a_plain_thank_you_is_approved(model):
    assert (
        model.predict(Sample("Thank you for publishing the minutes, very helpful.", name="Ana")).verdict
        == "approve"
    )


def test_probability_is_a_probability(model):
    samples = evaluation.load_handwritten("ham") + evaluation.load_handwritten("spam") + OBVIOUS_SPAM
    probabilities = model.probabilities(samples)
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    assert probabilities[-len(OBVIOUS_SPAM) :].min() > probabilities[:10].max()


def test_reasons_name_links_evidence_and_the_model_score(model):
    prediction = model.predict(OBVIOUS_SPAM[1])
    assert "1 link" in prediction.reasons and "cheap domain" in prediction.reasons
    assert "cheap domain" in prediction.evidence
    assert prediction.reasons[-1].startswith("model: ") and "spam-like" in prediction.reasons[-1]


@pytest.mark.parametrize(
    "probability, evidence, verdict",
    [
        (0.99, ["link shortener"], "spam"),
        (0.99, [], "hold"),  # sure, but only the model says so
        (classifier.SPAM_THRESHOLD - 0.01, ["link shortener"], "hold"),
        (classifier.HOLD_THRESHOLD, [], "hold"),
        (classifier.HOLD_THRESHOLD - 0.01, ["link shortener"], "approve"),
    ],
)
def test_the_policy_hides_only_a_sure_score_with_independent_evidence(probability, evidence, verdict):
    assert classifier.decide(probability, evidence) == verdict


def test_uncertain_promotion_is_held_sooner_and_a_lenient_comment_later():
    doubt = classifier.HOLD_THRESHOLD * classifier.PROMOTION_HOLD_FACTOR + 0.01
    assert classifier.decide(doubt, [], promotes=True) == "hold"  # sends readers off the page, unknown author
    assert classifier.decide(doubt, []) == "approve"
    assert classifier.decide(doubt, [], lenient=True, promotes=True) == "approve"  # lenient wins
    assert classifier.decide(classifier.LENIENT_HOLD_THRESHOLD - 0.01, [], lenient=True) == "approve"
    assert classifier.decide(classifier.HOLD_THRESHOLD, ["link shortener"], lenient=True) == "hold"


def test_a_comment_that_sends_readers_nowhere_is_held_on_the_models_word_only_when_it_is_sure():
    unsure = classifier.SPAM_THRESHOLD - 0.01
    assert classifier.decide(unsure, [], lenient=True, sends_nowhere=True) == "approve"
    assert classifier.decide(classifier.SPAM_THRESHOLD, [], lenient=True, sends_nowhere=True) == "hold"
    assert (
        classifier.decide(unsure, [], lenient=True) == "hold"
    )  # about its page, but it sends readers somewhere
    both = ["money or investment testimonial", "contact-seeking"]
    assert classifier.decide(0.1, both, lenient=True, sends_nowhere=True) == "hold"  # two signs hold anyway


def test_a_link_to_elsewhere_from_an_unknown_author_counts_as_promotion(model):
    promotion = model.predict(classifier.Sample(text="Nice post. More at https://deals.example.com/offer"))
    about_the_page = model.predict(
        classifier.Sample(
            text="The budget for the library opening hours is in section two.",
            title="Library opening hours: the council's budget",
        )
    )
    assert promotion.payload and not promotion.lenient
    assert about_the_page.lenient


def test_a_friend_tagged_with_words_that_read_as_a_plug_is_held_not_hidden(model):
    """A handle alone is not enough to hide: readers tag friends; an investment scam names one too."""
    tagged = model.predict(classifier.Sample(text="@anna_b_ check out this place for your birthday"))
    assert tagged.probability >= classifier.SPAM_THRESHOLD and "handle of another account" in tagged.evidence
    assert tagged.verdict == "hold"
    assert classifier.decide(0.99, ["handle of another account"]) == "hold"
    # Nor with money words: a reader's warning about a scam has both. A link out is independent evidence.
    assert classifier.decide(0.99, ["handle of another account", "money or investment testimonial"]) == "hold"
    assert classifier.decide(0.99, ["handle of another account", "link shortener"]) == "spam"


@pytest.mark.parametrize("sign", ["like-bait", "phone number", "look-alike letters", "several links"])
def test_a_sign_readers_own_comments_often_show_holds_but_does_not_hide_alone(sign):
    """Like-bait the annotators call legitimate ("Thumbs up if you're watching in 2015"), a long figure, a
    fancy font, a newsletter's links: with only such a sign a comment the model is sure of is held, not
    hidden; with a sign readers' comments rarely show it is hidden."""
    assert classifier.decide(0.99, [sign]) == "hold"
    assert classifier.decide(0.99, [sign, "handle of another account"]) == "hold"
    assert classifier.decide(0.99, [sign, "link shortener"]) == "spam"
    assert classifier.decide(0.1, [sign, "handle of another account"]) == "hold"  # two signs still hold


@pytest.mark.parametrize(
    "name, url, text, held",
    [
        (
            "web design company",
            "https://webdesign-agency.example",
            "Nice explanation of the GIL, thanks",
            True,
        ),
        ("Best SEO Services", "", "Nice explanation, see https://seo.example/tips", True),
        ("Payday Loans", "https://loans.example", "Interesting, I had not thought of that.", True),
        ("BestSEOServices", "https://seo.example", "Nice explanation of the GIL, thanks", True),
        ("Best_Plumbing_Toronto", "https://plumb.example", "Nice explanation of the GIL, thanks", True),
        ("ｃｈｅａｐ ｊｅｒｓｅｙｓ", "https://j.example", "Nice explanation of the GIL, thanks", True),
        ("web design company", "", "Nice explanation of the GIL, thanks", False),  # nothing to rank
        # People's names and what readers add to them: surnames, given names, a trade.
        ("George Best", "https://georgebest.example", "Nice explanation of the GIL, thanks", False),
        ("Seo-yeon Park", "https://park.example", "Nice explanation of the GIL, thanks", False),
        ("Nguyễn Thị Loan", "https://loan.example", "Nice explanation of the GIL, thanks", False),
        ("Robert Service", "https://rs.example", "Nice explanation of the GIL, thanks", False),
        ("Kate's Book Reviews", "https://kate.example", "Nice explanation of the GIL, thanks", False),
        ("Anna (Marketing, Acme)", "https://acme.example", "Nice explanation of the GIL, thanks", False),
    ],
)
def test_a_business_s_keywords_as_the_name_with_a_link_are_held(model, name, url, text, held):
    """Link spam signs with the phrase its link should rank for; a reader signs with a name."""
    prediction = model.predict(evaluation.on_a_fresh_thread(classifier.Sample(text=text, name=name, url=url)))
    assert (features.BUSINESS_NAME in prediction.evidence) is held
    assert (features.BUSINESS_NAME in prediction.reasons) is held
    if held:
        assert prediction.verdict == "hold"
    else:
        assert prediction.verdict == "approve"
    # A sign about the author alone never hides, however sure the model is.
    assert classifier.decide(0.99, [features.BUSINESS_NAME]) == "hold"


@pytest.mark.parametrize(
    "text, held",
    [
        ("you can reach her on whatsapp +1 (415) 555 0199", True),
        ("message @crypto.queen.jenna she is the real deal", True),
        ("all thanks to her, write to him via telegram and start today", True),
        ("WhatsApp: +44 7700 900123 for the signals", True),
        ("she recovered my funds, contact her on instagram", True),
        # Readers: an ask that hands no one over on a channel, or a channel without a person.
        ("omg this is so cute, dm me the recipe pls", False),
        ("I'll text her the link.", False),
        ("Where can I find the contact details for the planning office?", False),
        ("We organised the residents' meeting on WhatsApp last night.", False),
        ("I tried to reach her for weeks, no answer at all.", False),
        ("Call him at 5 on Monday, he said he would listen.", False),
        ("How do I get the telegram id of a user in a bot?", False),
    ],
)
def test_a_comment_handing_readers_to_someone_elsewhere_is_held_whatever_the_words_score(model, text, held):
    """The end of a scam's testimonial; the shipped model saw one and scores some low."""
    prediction = model.predict(evaluation.on_a_fresh_thread(classifier.Sample(text=text)))
    assert prediction.hands_over is held
    assert (features.HANDS_OVER in prediction.reasons) is held
    if held:
        assert prediction.verdict in {"hold", "spam"}
    assert classifier.decide(0.05, [], hands_over=True) == "hold"
    assert classifier.decide(0.99, [], hands_over=True) == "hold"  # never hides on its own


@pytest.mark.parametrize(
    "text, reason",
    [
        # The author's own profile on a platform, which a comment on a site's page does not have.
        ("link in my bio 😘", features.OWN_PROFILE),
        ("18+ 🔞 only for you 💕 link in my profile", features.OWN_PROFILE),
        ("check my story 💋", features.OWN_PROFILE),
        ('send "hi" to my page 😘', features.OWN_PROFILE),
        ("replica watches ⌚ 1:1 quality at my bio", features.OWN_PROFILE),
        ("dm for promo 🔥", features.OWN_PROFILE),
        ("dm 💕", features.OWN_PROFILE),
        ('"link in my bio 😘"', features.OWN_PROFILE),  # a comment that is one quotation is its own
        ("🅲🅷🅴🅲🅺 🅼🆈 🅱🅸🅾 💦", features.OWN_PROFILE),  # in letters in black squares
        # Another account whose name ends in the investing it sells.
        ("@mrs_laura_invests 😍", features.SELLING_HANDLE),
        ("who's here after making $8,400 with @stellatrades_? 🙋", features.SELLING_HANDLE),
        ("🔥 @jane_fx 🔥", features.SELLING_HANDLE),
        ("i never thought i'd say this but @helen_crypto changed my life", features.SELLING_HANDLE),
        # Readers: friends and organisations by handle, a bio that is biology, quoted bots, "DM'd", the PM.
        ("@maria_k we have to go here", None),
        ("@netflix_uk please bring the series back", None),
        ("Follow @city.library_events for the reading schedule.", None),
        ("Ask @fairtrade_uk, @trading_standards_uk or @invest_in_leeds; @crypto_eng wrote on it too.", None),
        ("@recovery_cafe_leeds and @eth_zurich both run courses on this.", None),
        ("I majored in bio before switching to law, so the lab section lost me.", None),
        ("I got an A in my bio class, and the chart on page 4 is still wrong.", None),
        ('"click the link in my bio" lol i hate the bots', None),
        ("(“dm me”) is what the bots write under every post.", None),
        ("DM'd the council twice about the potholes, no answer.", None),
        ("dm hat endlich wieder geöffnet, aber der Parkplatz ist zu klein.", None),
        ("dm for the minutes of the meeting, I have them.", None),
        ("PM said the budget is final, so the hearing changes nothing.", None),
        ("Did you get the confirmation email? Check your inbox, it took a minute for me.", None),
        ("I'll check my inbox again, but the council still hasn't replied.", None),
        ("Check my story on the local paper's site: it covers the same hearing.", None),
        ("I updated the link in my profile settings and it works now.", None),
        ("Can you check my profile? The portal says my registration failed.", None),
        ("See my comment above: section 3 covers the noise limits.", None),
        ("You could start on my profile and explore the network from there.", None),
    ],
)
def test_a_comment_sending_readers_to_a_profile_or_a_selling_account_is_held(model, text, reason):
    """2023's Instagram scams send readers to the author's bio, story or inbox, or to an account whose name
    ends in the investing it sells ("@mrs_laura_invests"), often with nothing else the words or the other
    signs would catch. Held as handing readers over is; never hidden for it."""
    assert features.hands_readers_over(features.clean(text)) == reason
    prediction = model.predict(evaluation.on_a_fresh_thread(classifier.Sample(text=text)))
    assert prediction.hands_over is (reason is not None)
    assert (reason in prediction.reasons) is (reason is not None)
    if reason:
        assert prediction.payload
        assert prediction.verdict == "hold"


@pytest.mark.parametrize(
    "text, held",
    [
        ("everything changed when i met mrs gloria banks, 3 withdrawals this month alone", True),
        ("god bless you mr okoro, you are a blessing to my family", True),
        ("he is legit 💯", True),
        ("she's 100% legit, ask her how", True),
        ("Mr.Mark Williams is the best, I earned $5000", True),
        ("@fx_mark22 is 100% legit", True),
        ("Thanks to him I withdraw every Friday now", True),
        ("my first payout from him arrived today, still in shock", True),
        ("@victor_fx22 is the best there is, ask anyone", True),
        # Readers: people named, praised or warned against without vouching for them with money.
        ("Thanks to Mr Adeyemi for chairing the hearing so patiently.", False),
        ("she is genuinely one of the kindest teachers at the school", False),
        ("He's legit crazy, who jumps into a lake in January?", False),
        ("i lost $2,000 to a 'mrs' who said she was an account manager. don't reply to them", False),
        ("@dana.k look at this, we need to go", False),
        ("Dr Rivera's report says the repairs will cost more than the new roof.", False),
        ('the bots saying "he is legit" under every post are so obvious', False),
        # A review's readers: forms of address, "invest" inside other words, praise without money, quotes.
        ("I can testify that the chair refused to take a single question from residents.", False),
        ("Madam Chair, the council should invest in protected bike lanes first.", False),
        ("The investigation into Mr. Hendricks and the parking contract should be made public.", False),
        ("Simone Biles just did it again. She's the real deal!", False),
        ("I wrote to her office twice about the $3 parking fee increase and never got a reply.", False),
        ("The firefighter who pulled our dog out of the river: we can't thank him enough.", False),
        ("Mr Speaker, what are we even talking about here? The motion was withdrawn.", False),
        ("Frau Dr. Schmidt hat recht: die Investitionen in den Nahverkehr kommen viel zu spät.", False),
        ("@bbc_news is reliable on this one, they checked the figures.", False),
        ("Pack a raincoat for the harvest parade tomorrow, thank me later 😂", False),
        ("I used the repair café on Main St last weekend, they are legit.", False),
        ("Les commentaires « she is legit » sont des bots.", False),
        # A second review's readers: officials named with a household's or a council's money, "MS" the
        # illness, condolences to a handle, other quotation marks.
        ("Mr. Powell should cut rates before mortgage costs crush first-time buyers.", False),
        ("Madam Vice Chair, the proposed bond adds $40 million in debt to our city.", False),
        ("Living with MS has cost me my job, my income and most of my savings.", False),
        ("Thanks to her, the city finally paid off its debt. Best treasurer we ever had.", False),
        ("I can vouch for him.", False),
        ("El Dr. Ramírez del hospital municipal cobra $800 por consulta, es un abuso.", False),
        ("All these 'mrs jennifer changed my life' comments are bots.", False),
        # The scam's own handle first: a testimonial, not a reply.
        ("@jessica_trades01 changed my life, 3 payouts already 🙏", True),
    ],
)
def test_a_comment_vouching_for_someone_to_trust_with_money_is_held_whatever_the_words_score(
    model, text, held
):
    """An investment scam's testimonial names the person to find, often with no link, handle or number;
    it sends readers to them as much as a handle does."""
    prediction = model.predict(evaluation.on_a_fresh_thread(classifier.Sample(text=text)))
    assert (features.VOUCHES in prediction.reasons) is held
    if held:
        assert prediction.payload and prediction.hands_over
        assert prediction.verdict == "hold"
    else:
        assert prediction.verdict == "approve"


@pytest.mark.parametrize(
    "text",
    [
        "@john_smith82 so sorry for your loss, God bless you and your family",
        "Thank you @Metro_Transit, the new 24 line changed my life.",
        "Rep. @Jim_Banks should testify under oath.",
    ],
)
def test_a_handle_with_a_blessing_or_thanks_is_not_vouching_without_investment_words(text):
    """Condolences and thanks to an account use a testimonial's words; a scam's also speak of investing.
    (Whether the handle itself holds such a comment is the model's and the promotion threshold's call.)"""
    assert not features.vouches_for_someone(features.clean(text))


@pytest.mark.parametrize(
    "name, url",
    [("Kelly Gummies", "https://ketogummies.com"), ("Rachel Kim", "https://rachelkim.codes")],
)
def test_a_website_named_like_its_author_earns_a_link_drop_no_trust(model, name, url):
    """A review found that trusting a website named for its author ("Kelly Gummies", ketogummies.com) let
    link spam through: the commenter types both fields. A link-drop is held whatever the name."""
    text = f'Great post, thanks for sharing! More here: <a href="{url}/order">{url}</a>'
    matching = model.predict(classifier.Sample(text=text, name=name, url=url))
    other = model.predict(classifier.Sample(text=text, name="Jane Doe", url=url))
    assert matching.verdict == other.verdict == "hold"


@pytest.mark.parametrize(
    "host, selling",
    [
        ("smith.buy-cialis.co.uk", True),  # found in review: the "co" of co.uk was read as the name
        ("cheapviagrapills.co.uk", True),
        ("best-essays.com.au", True),
        ("news.bbc.co.uk", False),
        ("cl.cam.ac.uk", False),
        ("example.org", False),
        ("richmond.gov.uk", False),  # a public body's address: "rich" + "mond" sells nothing
        ("winchester.gov.uk", False),
        ("www.cs.example.edu", False),
    ],
)
def test_a_selling_domain_is_read_by_its_name_under_a_country_domain(host, selling):
    assert features._selling_domain(host) is selling


@pytest.mark.parametrize(
    "host, plainly",
    [
        ("cheapviagrapills.co.uk", True),  # a vice trade
        ("jackpotland.example", True),
        ("rx-savings.example", True),  # a vice word as a part of the name
        ("cheap-sheds-greenhouses.example", True),  # keywords strung together
        ("webcredit2002.example", True),  # a selling word with digits
        ("cheap-deal-flights.example", True),  # two selling words
        # Brands with one money or commerce word, which a finance blog's readers cite
        ("moneysavingexpert.example", False),
        ("vanguardinvestor.co.uk", False),
        ("investopedia.example", False),
        ("freecodecamp.example", False),
        ("betterexplained.example", False),  # "bet" only starts the name: not a part of it
        ("gloria-skin-care-serum.example", True),  # three hyphens: made up for one campaign
        ("socialistworker.co.uk", False),  # not "cialis", found in review
        ("lloydspharmacy.com", False),  # a pharmacy chain
        ("loanscanada.ca", False),  # one word, not "loan" and "loans"
        ("betterinvesting.org", False),  # "bet" only starts the name: not a second word
    ],
)
def test_a_domain_plainly_sells_when_it_names_a_vice_or_strings_keywords(host, plainly):
    assert features._selling_domain(host)
    assert features._plainly_selling_domain(host) is plainly


@pytest.mark.parametrize(
    "text",
    [
        "Watch the platform fees at small monthly amounts: a percentage fee is fine under about £50k, a flat fee"
        " wins above it. This provider caps its fee at £375 a year, for comparison:"
        " https://www.vanguardinvestor.co.uk/what-we-offer/fees-explained",
        "For overpaying versus investing, the calculator here is the one I used, it shows the interest saved per"
        " year: https://www.moneysavingexpert.com/mortgages/mortgage-overpayment-calculator/ . Our gap was about"
        " £40k over 20 years.",
    ],
)
def test_a_reader_citing_a_brand_with_a_money_word_in_its_name_is_held_not_hidden(model, text):
    """Found with comments written for a personal-finance blog: the model is sure of a reader who cites a
    broker's fee page (p 0.99), and the broker's domain has "invest" in its name, which was enough to hide
    the comment. A brand's name with one commerce word is a sign that holds, not one that hides."""
    prediction = model.predict(Sample(text, page="https://www.example.org/news/a-new-page"))
    assert prediction.probability >= classifier.SPAM_THRESHOLD  # the case that hid the comment
    assert features.BUSINESS_DOMAIN in prediction.evidence
    assert features.COMMERCIAL_DOMAIN not in prediction.evidence
    assert prediction.verdict == "hold"


def test_an_internationalised_domains_encoding_is_not_read_as_hyphens():
    assert not features._selling_domain("xn--mnchen-3ya.de")  # münchen.de, the city's own site


def test_a_brand_as_the_website_holds_and_a_spam_domain_beside_it_still_hides(model):
    text = "Check out this website {} free viagra"
    brand = model.predict(Sample(text.format("for the fee table"), url="https://www.moneysavingexpert.com"))
    assert features.BUSINESS_DOMAIN in brand.evidence and brand.verdict == "hold"
    both = model.predict(
        Sample(text.format("http://cheap-rx-pills.com"), url="https://www.moneysavingexpert.com")
    )
    assert features.COMMERCIAL_DOMAIN in both.evidence and both.verdict == "spam"


def test_a_keyword_stuffed_domain_is_still_enough_to_hide(model):
    prediction = model.predict(Sample("Check out this website http://cheap-rx-pills.com free viagra"))
    assert features.COMMERCIAL_DOMAIN in prediction.evidence
    assert prediction.verdict == "spam"


def test_the_sites_own_address_as_a_website_is_not_a_commercial_domain(model):
    """The author of a finance blog answers readers with the blog's address as their website; the address
    has "money" in it. It is the site itself, not somewhere the comment sends readers."""
    text = (
        "@Tom fair point, but you compare the pot with the interest saved. Once the mortgage is gone we invest"
        " the whole payment, about £1,200 a month, and the gap at year 21 is £35-60k depending on returns."
    )
    on_its_site = Sample(
        text, url="https://slowmoneynotes.example", page="https://slowmoneynotes.example/2025/02/overpay/"
    )
    elsewhere = Sample(
        text, url="https://slowmoneynotes.example", page="https://www.example.org/news/a-new-page"
    )
    assert features.COMMERCIAL_DOMAIN not in model.predict(on_its_site).evidence
    assert features.BUSINESS_DOMAIN not in model.predict(on_its_site).evidence
    assert model.predict(on_its_site).verdict != "spam"
    assert features.BUSINESS_DOMAIN in model.predict(elsewhere).evidence
    assert model.predict(elsewhere).verdict != "spam"


def test_markup_links_and_praise_with_a_website_hold_but_never_hide_on_their_own():
    """Readers paste anchors and praise posts from their own sites: the words and the form's fields are not
    independent evidence."""
    assert classifier.decide(0.99, ["links in markup"]) == "hold"
    assert classifier.decide(0.99, ["website with generic praise"]) == "hold"
    assert classifier.decide(0.99, ["links in markup", "cheap domain"]) == "spam"


def test_money_words_are_not_enough_to_hide_a_comment():
    """A reader's warning about a scam uses the scam's own words; the model may be sure, the words are not
    independent evidence."""
    assert classifier.decide(0.99, ["money or investment testimonial"]) == "hold"
    assert classifier.decide(0.99, ["money or investment testimonial", "link shortener"]) == "spam"


def test_whom_a_comment_is_addressed_to_is_not_a_place_to_send_readers():
    """Replies and tags start with the account they answer: the rest of the comment says whether it
    promotes."""
    nothing = np.zeros(len(features.FEATURE_NAMES))
    handle = nothing.copy()
    handle[features.FEATURE_NAMES.index("handle of another account")] = 1.0
    assert not features.has_payload(handle, "@jenny_k look at this 😂")
    assert not features.has_payload(nothing, "@Maria, @tom.b I agree with both of you.")
    assert features.has_payload(handle, "@recover.funds01 @fx_mark22 🔥🔥")  # nothing said to them
    assert features.has_payload(handle, "@recover.funds01 @fx_mark22 ok 🔥")
    assert features.has_payload(handle, "@jenny_k you should follow @fx_trader22")
    assert features.has_payload(nothing, "@jenny_k check out my channel")
    assert features.has_payload(handle, "look at @fx_trader22 before you invest")


def test_handing_over_does_not_hold_a_comment_about_its_page_or_by_a_regular(model):
    """A reader telling others how to reach a councillor talks about the page."""
    page = {
        "title": "Library opening hours",
        "page_text": "The council proposes shorter library opening hours.",
    }
    text = "About the library opening hours: contact her on instagram, she runs the library's account."
    prediction = model.predict(classifier.Sample(text=text, **page))
    assert prediction.hands_over and prediction.on_topic
    assert prediction.verdict == "approve"
    assert (
        classifier.decide(0.05, [], lenient=True, hands_over=True) == "approve"
    )  # about its page, or a regular


def test_a_link_drop_is_held_whatever_the_words_score(model):
    """Generic praise, a website and not a word of the page: blog spam's template reads as harmless."""
    assert classifier.decide(0.05, ["website with generic praise"]) == "hold"
    assert classifier.decide(0.05, ["cheap domain"]) == "approve"  # one other sign alone does not hold
    drop = model.predict(
        classifier.Sample(
            text="Wow, awesome blog layout! How long have you been blogging for?",
            url="http://www.kitchen-remodel-pros.example.com",
            title="Library opening hours: the council's budget",
        )
    )
    reader = model.predict(
        classifier.Sample(
            text="Wow, awesome blog layout! How long have you been blogging for?",
            title="Library opening hours: the council's budget",
        )
    )
    assert drop.verdict == "hold" and "website with generic praise" in drop.reasons
    assert reader.verdict == "approve"


@pytest.mark.parametrize(
    "text, sends_somewhere",
    [
        ("beautiful, follow me back please", True),
        ("hello dear, i want to be your friend, check my dm", True),
        ("get 10k followers in 24 hours, dm for prices", True),
        ("the offer is in my bio", True),
        ("Check me out! I rap so yeah", True),
        ("I really ask nicely to view my vids:) I subscribe back..", True),
        ("If I get 300 subscribers by tomorrow I'll do an epic video!", True),
        ("sub me if you dont like the song", True),
        ("Follow 4 Follow, Like 4 Like", True),
        ("los invito a subscribirse a mi canal", True),
        ("Abonnez-vous à ma chaîne, merci !", True),
        ("Schaut euch meinen Kanal an", True),
        ("Підписуйтесь на мій канал", True),
        ("اشتركوا في قناتي", True),
        ("El canal de la calle Mayor necesita limpieza antes del verano.", False),
        ("Please notify me of follow-ups. Open by default is right.", False),
        ("Thanks! Subscribed to the updates.", False),
        ("Check out the appendix, section 3 covers the cost estimates.", False),
        ("Take a look at the table on page four: the totals differ.", False),
        ("I follow the reasoning in section two, but the costs are missing.", False),
    ],
)
def test_asking_for_a_direct_message_or_a_follow_sends_readers_elsewhere(model, text, sends_somewhere):
    """Social platforms' spam sends readers on without a link (a message, a follow, an audience for the
    author's channel): the promotion rule must see it; a reader pointing at the page does not."""
    assert model.predict(classifier.Sample(text=text)).payload is sends_somewhere


@pytest.mark.parametrize(
    "text, disguised",
    [
        ("donate here h t t p : / / 4 0 h f . c o m . a u / A n t h o n y", True),
        ("Hear the Word - TrumpetCallOfGodOnline.  co m", True),
        ("cheapest loans at bestdeals dot com", True),
        ("go to w w w . bestdeals . net", True),
        ("for the rest try example . com", True),
        ("see example(dot)org or example[.]net", True),
        ("offers at bestdeals dot com/offer", True),
        ("hxxp://bestdeals.example", True),
        ("The dot com bubble burst in 2000.", False),
        ("Remember the early dot com companies?", False),
        ("We hired a senior dot net developer; the site is ASP dot NET.", False),
        ("Apple Inc. net income rose; e.g. net zero by 2050.", False),
        ("See the Dept. org chart on page 4.", False),
        ("Fui ao Dr. com dor de cabeça; compraram mesas etc. com o dinheiro.", False),
        ("Das ist bzw. net so einfach.", False),
        ("In a regex, write a[.]b; the group (.) captures one character.", False),
        ("Dr. C Om Prakash chaired the session.", False),
        ("The W W W Foundation?", False),
        ("That's it. Net result: fewer buses on the route.", False),
        ("I think so. Com'on, read it again.", False),
        ("It is in section 3. Comments welcome.", False),
        ("Paragraph 2 (dot points) is unclear.", False),
        ("The minutes are on council.example.org/minutes already.", False),  # a link, found as one
    ],
)
def test_a_link_spelled_out_to_hide_it_sends_readers_elsewhere(model, text, disguised):
    """Spam written for platforms that strip links spells them out; the model never sees a link there,
    so the rule must: such a comment is judged as one that sends readers somewhere, and says why."""
    assert features.has_disguised_link(features.clean(text)) is disguised
    prediction = model.predict(classifier.Sample(text=text))
    assert ("link written out to hide it" in prediction.reasons) is disguised
    if disguised:
        assert prediction.payload and not prediction.sends_nowhere


@pytest.mark.parametrize(
    "text, asks",
    [
        ("Subscribe if you are watching in 2015", True),
        ("I LOVE THIS SONG WATCH SUBSCRIBE AND NEVER UNLIKE", True),
        ("Share this video.. This song can beat every other one", True),
        ("she can dance, search up her name", True),
        ("Thumbs up if you agree", True),
        ("Subscribe to the newsletter. Or not?", True),  # the ask's own sentence ends without a question
        ("Thanks! Subscribed to the updates.", False),
        ("How do I subscribe to replies on this statement?", False),
        ("Is there an RSS feed I can subscribe to? Thanks.", False),
        ("I share this concern about the library budget.", False),
        ("Many residents share this view.", False),
        ("I subscribe to the newsletter and never saw this announced.", False),
        ("I also subscribe to the newsletter.", False),
        ("We'll share it with the parents at our school.", False),
        ("I’ll share this with my class", False),  # the apostrophe phones type
        ("I will definitely share this with my class", False),
        ("I will share this with my neighbours, and you should subscribe", True),
        ("I hope you share this with everyone", True),
        ("How can residents subscribe\nto the minutes?", False),  # a line break inside the question
        ("How can residents subscribe to the v2.1 minutes?", False),
        ("The subscribe button on the site is broken.", False),
        ("Our newsletter subscribers never got the notice.", False),
        ("Check out the appendix, section 3 covers the cost estimates.", False),
    ],
)
def test_asking_readers_to_subscribe_share_or_like_is_not_sending_them_nowhere(model, text, asks):
    """Engagement spam names nowhere to go yet profits its author: the sends-nowhere leniency must not
    cover it. A question about the site's own subscriptions, or a reader who has subscribed, is not it."""
    prediction = model.predict(classifier.Sample(text=text))
    assert prediction.asks is asks
    said = {"asks readers to subscribe, share or like", "like-bait"} & set(prediction.reasons)
    assert bool(said) is asks
    assert prediction.sends_nowhere is (not asks and not prediction.payload)


def test_an_ask_for_engagement_is_judged_from_the_hold_threshold():
    assert classifier.Prediction(0.9, payload=False).verdict == "approve"
    assert classifier.Prediction(0.9, payload=False, asks=True).verdict == "hold"
    assert classifier.Prediction(0.45, payload=False, asks=True).verdict == "approve"
    # Asking is not promoting: not held from the lower threshold of a comment that sends readers elsewhere.
    assert classifier.Prediction(0.4, payload=False, asks=True).verdict == "approve"
    assert classifier.Prediction(0.4, payload=True).verdict == "hold"


def test_verdicts_of_the_score_alone_follow_the_thresholds():
    assert classifier.verdict_for(classifier.SPAM_THRESHOLD) == "spam"
    assert classifier.verdict_for(classifier.HOLD_THRESHOLD) == "hold"
    assert classifier.verdict_for(classifier.HOLD_THRESHOLD - 0.01) == "approve"
    assert classifier.verdict_for(0.6, spam=0.5, hold=0.2) == "spam"


def test_predict_many_matches_predict(model):
    samples = evaluation.load_handwritten("spam")[:5]
    assert [p.probability for p in model.predict_many(samples)] == [
        model.predict(s).probability for s in samples
    ]


def test_save_and_load_through_a_path_or_a_file_object_give_identical_predictions(model, tmp_path):
    path = tmp_path / "copy.npz"
    model.save(path)
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    samples = evaluation.load_handwritten("ham")[:10] + OBVIOUS_SPAM
    for loaded in (classifier.SpamModel.load(path), classifier.SpamModel.load(buffer)):
        assert loaded.version == model.version
        assert [loaded.predict(s) for s in samples] == [model.predict(s) for s in samples]
    assert path.read_bytes()[:2] == b"PK"  # a NumPy archive, no pickle


def test_an_older_tribunas_joblib_model_is_a_format_error_and_garbage_is_another_error():
    old = io.BytesIO(zlib.compress(pickle.dumps({"format": 2})))
    with pytest.raises(classifier.ModelFormatError):
        classifier.SpamModel.load(old)
    with pytest.raises(ValueError):
        classifier.SpamModel.load(io.BytesIO(b"not a model"))


def test_the_tokenisers_give_what_scikit_learn_gives():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["hello world a ab abc abcd  x\ty", "i", "zurlz check it out!!", "Ünïcode wörds, and   spaces"]
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=False).build_analyzer()
    word = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", ngram_range=(1, 2), lowercase=False).build_analyzer()
    for text in texts:
        assert sorted(classifier.char_ngrams(text)) == sorted(char(text))
        assert sorted(classifier.word_ngrams(text)) == sorted(word(text))


def test_the_plain_python_scorer_gives_the_scikit_learn_pipelines_scores():
    samples, labels, sources = classifier.load_shipped_corpus()
    weights = classifier.corpus_weights(sources)
    texts = classifier.TrainingSet(samples)
    rows = np.arange(len(samples))
    model = texts.fit(rows, labels, weights)
    estimator, vocabularies = texts._fit(rows, np.asarray(labels), np.asarray(weights))
    expected = estimator.decision_function(texts._matrix(rows, vocabularies))
    np.testing.assert_allclose([model.score(s) for s in samples], expected, rtol=0, atol=1e-9)


def test_a_site_models_one_coefficient_per_column_scores_as_the_shared_and_the_site_copy_together():
    """A site's model is trained with its own copy of every column; screening adds the two coefficients, so
    the saved model must score the site's comments exactly as the two-copy estimator does."""
    samples, labels, sources = classifier.load_shipped_corpus()
    weights = classifier.corpus_weights(sources)
    site_samples = [Sample(f"Join our garden club meeting every Tuesday, bring seeds {i}") for i in range(30)]
    site_samples += [
        Sample(f"The minutes of meeting {i} answer my question on the budget, thanks") for i in range(50)
    ]
    site_labels = [1] * 30 + [0] * 50
    texts = classifier.TrainingSet(samples + site_samples)
    rows = np.arange(len(texts.samples))
    all_labels = np.asarray(labels + site_labels)
    all_weights = np.asarray(weights + [2.0] * len(site_samples))
    model = texts.fit(rows, all_labels, all_weights, classifier.label_counts(site_labels))

    scale = classifier.site_copy_scale(len(site_samples))
    assert 0 < scale < 1  # 80 labels: the copy is half as free as the shared columns
    copy = np.where(rows >= len(samples), scale, 0.0)
    estimator, vocabularies = texts._fit(rows, all_labels, all_weights, copy)
    as_site = np.full(len(rows), scale)
    expected = estimator.decision_function(texts._matrix(rows, vocabularies, as_site))
    np.testing.assert_allclose([model.score(s) for s in texts.samples], expected, rtol=0, atol=1e-9)


def test_a_site_models_version_names_how_many_of_its_rows_are_the_sites():
    samples, labels = small_corpus()  # 20 legitimate, then 20 spam
    one = classifier.train(samples, labels, site_labels=(0, 10))
    other = classifier.train(samples, labels, site_labels=(0, 20))
    assert one.version != other.version


def test_a_sites_own_copy_of_the_columns_is_freed_as_its_labels_grow():
    scales = [classifier.site_copy_scale(n) for n in (0, 1, 20, 80, 159, 160, 1000)]
    assert scales == sorted(scales)
    assert scales[0] == 0 and scales[-2] == scales[-1] == 1.0
    assert 0 < scales[2] < scales[3] < scales[4] < 1


def test_training_is_deterministic():
    samples, labels = small_corpus()
    first, second = classifier.train(samples, labels), classifier.train(samples, labels)
    assert first.version == second.version
    assert list(first.probabilities(samples)) == list(second.probabilities(samples))


def test_the_shipped_corpus_is_deduplicated_and_clean():
    samples, labels, sources = classifier.load_shipped_corpus()
    assert set(sources) == {*classifier.YOUTUBE_FILES, classifier.EMAIL_SOURCE}
    assert len(samples) == len(labels) == len(sources)
    assert not any("\ufeff" in s.text for s in samples)
    videos = [s for s, src in zip(samples, sources, strict=True) if src in classifier.YOUTUBE_FILES]
    assert all(s.page.startswith("https://www.youtube.com/watch?v=") and s.title for s in videos)
    for source in set(sources):
        keys = [classifier.text_key(s.text) for s, src in zip(samples, sources, strict=True) if src == source]
        assert len(keys) == len(set(keys))


def test_a_link_to_the_page_itself_weighs_less_than_the_same_words_linking_elsewhere(model):
    page = "https://statements.example.org/statements/library-hours/"
    quoting = Sample(f"The table is in the second section: {page}#s2", page=page)
    elsewhere = Sample("The table is in the second section: https://deals.example.com/s2", page=page)
    assert model.predict(quoting).probability < model.predict(elsewhere).probability


def test_site_labels_shift_the_model(small_model):
    # A site whose moderators keep marking garden-club adverts as spam.
    advert = "Join our garden club meeting every Tuesday, everyone welcome, bring seeds"
    site = [Sample(f"{advert} number {i}") for i in range(30)]
    retrained = classifier.train_with_site_labels(site, [1] * len(site))
    probe = Sample(f"{advert} number 99")
    assert retrained.predict(probe).probability > small_model.predict(probe).probability + 0.3


def test_a_site_label_counts_more_the_more_labels_the_site_has():
    """A few dozen labels leave the shipped data in charge; hundreds make the site's moderators count most."""
    weights = [classifier.site_label_weight(n) for n in (0, 20, 60, 80, 160, 240, 1000)]
    assert weights == sorted(weights)
    assert weights[0] == weights[2] == classifier.SITE_WEIGHT_MIN
    assert weights[-1] == weights[-2] == classifier.SITE_WEIGHT_MAX
    assert classifier.SITE_WEIGHT_MIN < weights[3] < weights[4] < classifier.SITE_WEIGHT_MAX


def test_a_model_taught_by_its_site_holds_a_comment_that_sends_nowhere_from_the_hold_threshold():
    # "Subscribe if you are watching in 2015" at 0.9: sends readers nowhere, so a cold model lets it through.
    assert classifier.Prediction(0.9, payload=False).verdict == "approve"
    assert classifier.Prediction(0.9, payload=False, site_taught=True).verdict == "hold"
    assert classifier.Prediction(0.45, payload=False, site_taught=True).verdict == "approve"
    # About its page too: lenient, as any comment about its page.
    assert classifier.Prediction(0.9, payload=False, on_topic=True).verdict == "approve"
    assert classifier.Prediction(0.9, payload=False, on_topic=True, site_taught=True).verdict == "hold"
    assert classifier.Prediction(0.7, payload=False, on_topic=True, site_taught=True).verdict == "approve"
    # Sending readers somewhere: judged as before, taught or not.
    for on_topic in (False, True):
        for probability in (0.3, 0.4, 0.6, 0.9):
            before = classifier.Prediction(probability, on_topic=on_topic)
            after = classifier.Prediction(probability, on_topic=on_topic, site_taught=True)
            assert before.verdict == after.verdict, (on_topic, probability)


@pytest.mark.parametrize(
    "site_labels, taught",
    [
        ((0, 0), False),
        ((45, 4), False),
        ((40, 9), False),
        ((39, 10), False),
        ((40, 10), True),
        ((10, 300), True),
    ],
)
def test_a_model_is_taught_by_its_site_from_enough_labels_of_both_kinds(model, site_labels, taught):
    copy = classifier.SpamModel(
        model.version,
        model.blocks,
        model.coef,
        model.intercept,
        model.calibration,
        model.hand_scale,
        site_labels,
    )
    assert copy.site_taught is taught
    assert copy.predict(Sample("Thanks! Subscribed to the updates.")).site_taught is taught


def test_the_site_labels_a_model_learnt_from_are_saved_with_it(model):
    assert model.site_labels == (0, 0)  # the shipped model, saved before the field existed, loads as untaught
    samples, labels = small_corpus()
    samples += [Sample(f"A reader's question number {i} about the statement") for i in range(5)]
    labels += [0] * 5
    retrained = classifier.train(samples, labels, site_labels=(5, 12))  # the last 17: 12 spam, then 5 not
    buffer = io.BytesIO()
    retrained.save(buffer)
    buffer.seek(0)
    assert classifier.SpamModel.load(buffer).site_labels == (5, 12)


def test_site_labels_must_count_the_last_rows():
    samples, labels = small_corpus()  # 20 legitimate, then 20 spam
    with pytest.raises(ValueError, match="last rows"):
        classifier.train(samples, labels, site_labels=(12, 40))
    with pytest.raises(ValueError, match="last rows"):
        classifier.train(samples, labels, site_labels=(3, 3))


def test_training_with_site_labels_counts_them_by_kind(small_model):
    site = [Sample(f"Join our garden club meeting number {i}") for i in range(30)]
    retrained = classifier.train_with_site_labels(site, [1] * 20 + [0] * 10)
    assert retrained.site_labels == (10, 20) and retrained.site_taught is False  # 30 < SITE_TAUGHT_LABELS


@pytest.mark.parametrize(
    "link",
    [
        "https://youtu.be/Xk3pQ9rLm2A",
        "https://www.youtube.com/@CryptoKingTV",
        "https://www.instagram.com/p/C8xQz1bNk4L/",
        "https://t.me/cryptokingchannel",
    ],
)
def test_two_copied_words_of_the_page_and_a_channels_link_are_held(model, link):
    """Found in review of a change (taken out) that read a video or photo link as a plain link on a site's
    own page when the comment shared two words with the page: channel spam copies a title's words."""
    page = {
        "page": "https://library.example.org/news/reading-room-reopens/",
        "title": "The reading room reopens after the renovation",
        "page_text": "The reading room of the central library reopens on Monday after six months of renovation.",
    }
    prediction = model.predict(Sample(f"reading room reopens 🔥🔥 {link}", **page))
    assert prediction.on_topic
    assert prediction.verdict == "hold"
