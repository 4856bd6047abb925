"""What the classifier reads about a comment: links and the page it is under, topic words, shape features."""

import pytest

from tribuna.antispam import features

PAGE = "https://www.youtube.com/watch?v=9bZkp7q19f0"


@pytest.mark.parametrize("url", [
    "http://youtu.be/9bZkp7q19f0",
    "https://m.youtube.com/watch?v=9bZkp7q19f0&t=3m40s",
    "youtube.com/watch?v=9bZkp7q19f0",
])
def test_short_and_long_forms_of_a_page_are_the_same_page(url):
    assert features.page_identity(url) == features.page_identity(PAGE)


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=KQ6zr6kCPj8",
    "https://www.youtube.com/channel/UC123",
    "https://statements.example.org/watch?v=9bZkp7q19f0",
])
def test_another_video_channel_or_site_is_another_page(url):
    assert features.page_identity(url) != features.page_identity(PAGE)


def test_a_site_page_is_identified_by_host_and_path():
    assert features.page_identity("https://www.site.example/statements/a/") == "site.example/statements/a"
    assert features.page_identity("https://site.example/statements/a#section-2") == "site.example/statements/a"
    assert features.page_identity("/statements/a/") == ""


def test_links_to_the_page_are_marked_and_not_counted_as_links():
    page = "https://site.example/statements/opening-hours/"
    text = "See https://site.example/statements/opening-hours/#s2 and https://shop.example.top/buy"
    links = features.find_links(text, page)
    assert [(link.host, link.to_page) for link in links] == [("site.example", True), ("shop.example.top", False)]
    with_page = features.hand_features(text, page=page)
    without_page = features.hand_features(text)
    link_count, to_page = features.FEATURE_NAMES.index("links"), features.FEATURE_NAMES.index("link to this page")
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


@pytest.mark.parametrize("text, bait", [
    ("Like this comment if you are watching in 2015", True),
    ("thumbs up if u agree", True),
    ("Like this comment for no reason", True),
    ("I like this proposal, it is fair", False),
    ("Share your thoughts on section 2 below", False),
])
def test_like_bait_is_recognised(text, bait):
    index = features.FEATURE_NAMES.index("like-bait")
    assert features.hand_features(text)[index] == float(bait)
    assert ("like-bait" in features.describe(features.hand_features(text), text)) is bait


def test_every_feature_has_a_name():
    assert len(features.hand_features("any text")) == len(features.FEATURE_NAMES)


@pytest.mark.parametrize("text, referral", [
    ("Free gift cards http://www.swagbucks.com/refer/Nonturtle02", True),
    ("this is the song http://psnboss.com/?ref=2tGgp3pV6L", True),
    ("see https://shop.example/item?id=4&aff=991", True),
    ("The report: https://data.example.org/reports/2024?lang=en", False),
])
def test_referral_and_affiliate_links_are_recognised(text, referral):
    index = features.FEATURE_NAMES.index("referral link")
    assert features.hand_features(text)[index] == float(referral)


def test_title_words_inside_a_link_leave_the_link_whole():
    text = "vote here http://tv.mtvema.com/artists/katy-perry/i38xh1"
    assert features.ngram_text(text, title="Katy Perry - Roar") == "vote here zurlz"
