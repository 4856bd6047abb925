"""Text normalisation and hand-made features for the spam classifier.

The n-gram models see a normalised text in which every link is replaced by a placeholder: the
classifier then learns "has a link" and "says subscribe" rather than the names of the sites that
happened to be in the training data (YouTube, in the shipped corpus). What a link looks like is
described by the shape features below instead: how many, whether the domain ends in a cheap
top-level domain, is a URL shortener, a social/video platform, or a documentation page.

Everything here is plain Python on one comment at a time, because screening is on the hot path.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np

_TAG = re.compile(r"<[^>]*>")
_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.I)
# Links written out ("https://x.org/a"), started with www., or bare domains ("cheap-pills.top/buy").
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\.(?:com|net|org|info|biz|xyz|top|club|online|site|shop|store"
    r"|app|pro|ly|me|io|co|us|uk|de|ru|cn|tk|ml|ga|cf|gq|live|fun|win|vip|link|click|today|icu|buzz|gl|be)\b"
    r"(?:/[^\s<>\"')\]]*)?",
    re.I,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_PHONE = re.compile(r"(?<![\w/])\+?\d[\d ()-]{7,}\d\b")
_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?[$€£¥]|\b\d[\d,.]*\s?(?:usd|dollars|euros?|btc)\b", re.I)
_PERCENT = re.compile(r"\d\s?%")
_REPEAT_PUNCT = re.compile(r"[!?]{2,}")
_REPEAT_CHAR = re.compile(r"([^\W\d_])\1{2,}")
_SPACE = re.compile(r"\s+")

# Top-level domains that cost next to nothing and are favoured by throwaway spam sites.
CHEAP_TLDS = frozenset(
    "xyz top club online site shop store biz info pro win vip link click today icu buzz live fun tk ml ga cf gq work"
    .split()
)
SHORTENERS = frozenset(
    "bit.ly goo.gl tinyurl.com t.co ow.ly is.gd buff.ly cutt.ly rebrand.ly shorturl.at tiny.cc adf.ly bit.do".split()
)
PLATFORMS = frozenset(
    "youtube.com youtu.be facebook.com fb.com instagram.com twitter.com x.com tiktok.com t.me telegram.me "
    "soundcloud.com twitch.tv wa.me whatsapp.com vk.com plus.google.com".split()
)
_REFERENCE_HOST = re.compile(r"^(docs|developer|developers|wiki|en\.wikipedia|support|help)\.|\.(gov|edu|int)$")
_REFERENCE_PATH = re.compile(r"/(docs?|documentation|manual|reference|wiki|rfc|issues|pull|publications)\b", re.I)

URL_TOKEN = " zurlz "
VIDEO_TOKEN = " zvideolinkz "
EMAIL_TOKEN = " zemailz "
PLACEHOLDERS = ("zurlz", "zvideolinkz", "zemailz")
_VIDEO_LINK = re.compile(r"(?:https?://)?(?:www\.|m\.)?(?:youtube\.com/watch|youtu\.be/)[^\s<>\"')\]]*", re.I)


@dataclass(frozen=True)
class Link:
    host: str
    path: str

    @property
    def tld(self) -> str:
        return self.host.rsplit(".", 1)[-1]


def clean(text: str) -> str:
    """Unicode-normalised text without markup or byte-order marks (YouTube comments end in U+FEFF)."""
    text = unicodedata.normalize("NFKC", text.replace("\ufeff", ""))
    if "<" in text:
        text = _TAG.sub(" ", text.replace("<br />", "\n").replace("<br>", "\n"))
    return text.strip()


def find_links(raw: str) -> list[Link]:
    """Every link in the comment (hrefs in markup too), as host and path."""
    found = _HREF.findall(raw) if "href" in raw else []
    found += _URL.findall(_TAG.sub(" ", raw) if "<" in raw else raw)
    links, seen = [], set()
    for url in found:
        if "@" in url.split("/")[0]:
            continue  # an email address, counted separately
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").removeprefix("www.")
        key = (host, parts.path.rstrip("/"))
        if host and key not in seen:
            seen.add(key)
            links.append(Link(host, parts.path))
    return links


def ngram_text(text: str) -> str:
    """What the n-gram models read: lower case, links and email addresses replaced by placeholders.

    A link to one video (youtube.com/watch, youtu.be) gets its own placeholder: under a video it is
    usually a time stamp or the video itself, while spam links to channels and other sites."""
    text = _EMAIL.sub(EMAIL_TOKEN, text)
    text = _VIDEO_LINK.sub(VIDEO_TOKEN, text)
    text = _URL.sub(URL_TOKEN, text)
    return _SPACE.sub(" ", text).strip().lower()


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
)


def hand_features(text: str, name: str = "", url: str = "", plain: str | None = None) -> np.ndarray:
    """A small dense vector (all values roughly within 0..3) describing the comment's shape.

    ``plain`` is ``clean(text)`` when the caller has it already (screening computes it once)."""
    links = find_links(text)
    plain = clean(text) if plain is None else plain
    letters = [c for c in plain if c.isalpha()]
    n_letters = len(letters) or 1
    upper = sum(c.isupper() for c in letters) / n_letters if len(letters) >= 12 else 0.0
    digits = sum(c.isdigit() for c in plain) / (len(plain) or 1)
    hosts = [link.host for link in links]
    author = find_links(url) if url else []
    return np.array(
        [
            math.log1p(len(links)),
            float(len(links) >= 2),
            float(any(link.tld in CHEAP_TLDS for link in links)),
            float(any(h in SHORTENERS for h in hosts)),
            float(any(h in PLATFORMS or h.endswith(tuple("." + p for p in PLATFORMS)) for h in hosts)),
            float(
                any(_REFERENCE_HOST.search(link.host) or _REFERENCE_PATH.search(link.path) for link in links)
            ),
            float(bool(_EMAIL.search(plain))),
            float(bool(_PHONE.search(_URL.sub(" ", plain)))),
            float(bool(_MONEY.search(plain))),
            float(bool(_PERCENT.search(plain))),
            upper,
            math.log1p(plain.count("!")) / 2,
            float(bool(_REPEAT_PUNCT.search(plain))),
            float(bool(_REPEAT_CHAR.search(plain))),
            min(digits * 5, 1.0),
            math.log1p(len(plain)) / 6,
            float(any(c.isdigit() for c in name)),
            float(bool(find_links(name))),
            float(any(link.tld in CHEAP_TLDS for link in author)),
        ],
        dtype=np.float64,
    )


def describe(values: np.ndarray, text: str) -> list[str]:
    """Moderator-readable reasons for the hand features that point towards spam."""
    reasons = []
    n_links = round(math.expm1(values[0]))
    if n_links:
        reasons.append(f"{n_links} link{'s' if n_links > 1 else ''}")
    for index in (2, 3, 4, 6, 7, 8, 18):
        if values[index]:
            reasons.append(FEATURE_NAMES[index])
    if values[10] > 0.6:
        reasons.append("mostly capitals")
    if text.count("!") >= 4:
        reasons.append(f"{text.count('!')} exclamation marks")
    return reasons
