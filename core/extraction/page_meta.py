"""Headline, date and byline of a page, from where real pages keep them, with the text rules as fallback.

HTML (:func:`read_html` then :func:`html_meta`): JSON-LD ``Article``/``NewsArticle``/``BlogPosting``
items (in lists, ``@graph`` and ``mainEntity``, authors by ``@id``), Open Graph and ``article:``
meta, ``<meta name=author>``, ``<time datetime>``, ``itemprop``, ``rel=author`` links and byline
class names; and the page's header, the text blocks between its ``<h1>`` and the story, read as a
reader sees them.  Choices:
- headline: the page's ``<h1>`` nearest above the story (the one a reader sees), unless it is the
  site's name; else the JSON-LD headline, ``og:title`` or ``<title>`` without the site's name;
- date: the date written in the header (what the reader is told), given the time and zone of the
  structured date of the same day; else the structured published date, else the modified one;
- byline: a "By ..." line in the header, else the structured author, else a byline element.
Page text (:func:`text_meta`): the lines above the story: date lines, "By" lines, a name beside
a date, and the headline (a title-like line just above the byline or date, often printed twice;
not one of a run of link titles).

Dates are ISO 8601 in ``meta.date`` with the text as written in ``meta.date_text`` and
``raw_spans["date"]``; day-first or month-first by ``<html lang>``, ``og:locale``, the site's
country domain, or the page's own unambiguous dates (see dates.py).  When no writer is named, the
agency credit ("–AFP", "(Reuters)") is the byline, in ``extract`` and ``analyze`` alike.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

from ..model import ArticleMeta
from . import dates as dates_x
from . import meta as meta_x
from .boilerplate import is_boilerplate_line
from .text import is_sentence

_WS_RE = re.compile(r"\s+")


def _clean(s) -> str:
    """Whitespace collapsed and character references read (metadata is often escaped twice:
    "Full &amp;#038; Part" arrives as "Full &#038; Part")."""
    if not isinstance(s, str):
        return ""
    for _ in range(2):  # twice: JSON-LD is not read by the HTML parser, so it keeps both layers
        if "&" not in s:
            break
        s = html.unescape(s)
    return _WS_RE.sub(" ", s).strip()


def _key(s: str) -> str:
    """A comparison key: Unicode- and case-folded, words only."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", s).casefold()))


# -- structured metadata in HTML ----------------------------------------------------------------

@dataclass
class PageFacts:
    lang: str | None = None
    locale: str | None = None
    url: str | None = None
    site_name: str | None = None
    title: str | None = None
    og_title: str | None = None
    ld_headline: str | None = None
    published: list[str] = field(default_factory=list)  # as written, best source first
    modified: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # structured (JSON-LD, meta, itemprop)
    author_elements: list[str] = field(default_factory=list)  # rel=author, byline classes: visible text
    times: list[tuple[str, str]] = field(default_factory=list)  # <time>: (datetime attribute, text)


_PUBLISHED_KEYS = ("article:published_time", "datepublished", "og:published_time", "article.published",
                   "pubdate", "publishdate", "publish-date", "published-date", "date", "dc.date",
                   "dc.date.issued", "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
                   "article.created", "cxenseparse:recs:publishtime", "citation_publication_date",
                   "citation_date", "originalpublicationdate", "datecreated")
_MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
                  "dcterms.modified", "article.updated")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author",
                "parsely-author", "byl", "citation_author", "twitter:creator:name")
_BYLINE_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:byline|by-line|author|authors|author-name|writer|posted-by|"
                              r"contributor|reporter)(?:$|[\s_-])", re.IGNORECASE)
_NOT_BYLINE_CLASS_RE = re.compile(r"bio|avatar|image|img|photo|comment|about|box|social|follow|more|related",
                                  re.IGNORECASE)
_ARTICLE_TYPES = ("Article", "BlogPosting", "Report", "Posting", "Review", "Recipe", "HowTo")


def read_html(doc) -> PageFacts:
    """The structured metadata of a parsed page (lxml root)."""
    f = PageFacts()
    root = doc
    f.lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    published_meta, modified_meta = [], []
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = _clean(el.get("content"))
        if not key or not content:
            continue
        if key in ("og:title", "twitter:title") and f.og_title is None:
            f.og_title = content
        elif key == "og:locale" and f.locale is None:
            f.locale = content
        elif key == "og:url" and f.url is None:
            f.url = content
        elif key in ("og:site_name", "application-name") and f.site_name is None:
            f.site_name = content
        elif key in _PUBLISHED_KEYS:
            published_meta.append((_PUBLISHED_KEYS.index(key), content))
        elif key in _MODIFIED_KEYS:
            modified_meta.append((_MODIFIED_KEYS.index(key), content))
        elif ("publish" in key or "pubdate" in key) and not any(w in key for w in ("update", "modif", "publisher")):
            published_meta.append((len(_PUBLISHED_KEYS), content))  # "published", "w-published-date"
        elif key in _AUTHOR_KEYS and not content.startswith(("http", "@", "www.")):
            f.authors.append(content[3:] if content.lower().startswith("by ") else content)
    for el in root.iter("title"):
        if el.text and f.title is None:
            f.title = _clean(el.text)
    if f.url is None:
        for el in root.iter("link"):
            if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
                f.url = el.get("href")
                break
    ld_published, ld_modified, ld_authors = [], [], []
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
            _read_json_ld(el.text, f, ld_published, ld_modified, ld_authors)
    # JSON-LD first (it names the article itself), then the meta tags by key preference.
    f.published = ld_published + [v for _, v in sorted(published_meta, key=lambda x: x[0])]
    f.modified = ld_modified + [v for _, v in sorted(modified_meta, key=lambda x: x[0])]
    f.authors = ld_authors + f.authors
    for el in root.iter("time"):
        dt = el.get("datetime") or ""
        f.times.append((dt.strip(), _clean("".join(el.itertext()))))
    for el in root.iter():  # one pass; faster here than an XPath of class-name tests
        get = el.get
        prop, rel, cls = get("itemprop"), get("rel"), get("class")
        if not (prop or rel or (cls and _BYLINE_CLASS_RE.search(cls))):
            continue
        tag = el.tag
        if not isinstance(tag, str):
            continue
        prop = (prop or "").strip()
        if prop == "datePublished" and tag != "meta":
            v = el.get("datetime") or el.get("content") or _clean("".join(el.itertext()))
            if v:
                f.published.append(v)
            continue
        if prop == "author" and tag != "meta":
            text = el.get("content") or _clean("".join(el.itertext()))
            if 2 < len(text) < 80:
                f.authors.append(text)
            continue
        if tag == "a" and rel and "author" in rel.lower().split():
            text = _clean("".join(el.itertext()))
            if 2 < len(text) < 80:
                f.author_elements.append(text)
            continue
        if cls and _BYLINE_CLASS_RE.search(cls) and not _NOT_BYLINE_CLASS_RE.search(cls):
            text = _clean("".join(el.itertext()))
            if 2 < len(text) < 100:
                f.author_elements.append(text)
    return f


def _read_json_ld(text: str, f: PageFacts, published: list, modified: list, authors: list) -> None:
    if len(text) > 500_000:
        return
    try:
        data = json.loads(text)
    except ValueError:
        try:  # pages often leave raw newlines or a trailing comma in their JSON-LD
            data = json.loads(re.sub(r",\s*([}\]])", r"\1", text.replace("\n", " ")), strict=False)
        except ValueError:
            return
    items: list[dict] = []
    stack = [data]
    while stack and len(items) < 500:
        x = stack.pop()
        if isinstance(x, list):
            stack.extend(reversed(x))
        elif isinstance(x, dict):
            items.append(x)
            for k in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "hasPart"):
                if isinstance(x.get(k), (list, dict)):
                    stack.append(x[k])
    by_id = {x["@id"]: x for x in items if isinstance(x.get("@id"), str)}

    def kinds(x):
        t = x.get("@type")
        return [k for k in (t if isinstance(t, list) else [t]) if isinstance(k, str)]

    articles = [x for x in items if any(a in k for k in kinds(x) for a in _ARTICLE_TYPES)]
    pages = [x for x in items if any(k.endswith("WebPage") for k in kinds(x))]
    for x in articles + pages:
        is_article = x in articles
        if is_article and f.ld_headline is None:
            h = x.get("headline") or x.get("name")
            if isinstance(h, str) and h.strip():
                f.ld_headline = _clean(h)
        for key, out in (("datePublished", published), ("dateCreated", published), ("dateModified", modified)):
            v = x.get(key)
            if isinstance(v, str) and v.strip():
                out.append(v.strip())
        if not is_article:
            continue
        a = x.get("author") or x.get("creator")
        for one in (a if isinstance(a, list) else [a]):
            if isinstance(one, dict) and "name" not in one and isinstance(one.get("@id"), str):
                one = by_id.get(one["@id"], one)
            name = one.get("name") if isinstance(one, dict) else one
            if isinstance(name, list):
                name = name[0] if name else None
            if isinstance(name, str) and name.strip() and not name.startswith(("http", "www.")):
                authors.append(_clean(name))


def dayfirst_of(f: PageFacts) -> bool | None:
    return dates_x.dayfirst_for(f.lang, f.locale, f.url)


# -- the header: lines or blocks around the story's start ----------------------------------------

HEADER_DATE_DISTANCE = 12  # lines above the story searched for its date and byline
HEADLINE_WINDOW = 60  # lines above the story searched for its headline
_DATE_PREFIX_RE = re.compile(
    r"^\s*(?:(?:last\s+)?(?:published|updated|posted|modified|reviewed|date|on|written)\b[\s:,]*(?:on\s+)?"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)+", re.IGNORECASE)


@dataclass
class HeaderDate:
    index: int  # the item the date starts in
    start: int  # offset in that item's text
    end: int  # offset in the text of item ``last``
    iso: str
    updated: bool  # "Updated ..." rather than published
    last: int = -1  # the item the date ends in (a date may run over two lines: "April 12" / "11:26 2017")
    text: str = ""  # as written, whitespace collapsed
    other_reading: str | None = None  # "04/05/2017" read the other way round (day and month both <= 12)

    def __post_init__(self):
        if self.last < 0:
            self.last = self.index


def _date_in(text: str, index: int, dayfirst: bool | None, mostly: bool = True) -> HeaderDate | None:
    """A date line ("September 4, 2025", "Updated 0339 GMT November 19, 2019", "Published: 12/04/2017"),
    or a byline with its date; not a sentence that mentions a date."""
    if len(text) > 160:
        return None
    found = [d for d in dates_x.find_dates(text, dayfirst) if d.iso]
    if not found:
        return None
    d = found[0]
    if mostly and not _mostly_date(text, d) and not _byline_in(text, True):
        # "On Behalf of Roe LLP | Apr 21, 2017 | Products": a date between separators counts too.
        at = 0
        for seg in _SEGMENT_RE.split(text):
            seg_start = text.find(seg, at)
            at = seg_start + len(seg)
            if seg_start <= d.start and d.end <= at:
                if not _mostly_date(seg, None):
                    return None
                break
        else:
            return None
    updated = bool(re.search(r"\b(?:updated|modified)\b", text[:d.start], re.IGNORECASE))
    other = None
    if d.ambiguous:
        swapped = dates_x.find_date(text[d.start:d.end], d.order == "mdy")
        other = swapped.iso if swapped is not None else None
    return HeaderDate(index, d.start, d.end, d.iso, updated, text=_clean(text[d.start:d.end]), other_reading=other)


_SEGMENT_RE = re.compile(r"\s+[|·•–—]\s+|\s+-\s+")


def _mostly_date(text: str, d) -> bool:
    """Whether ``text`` is a date with at most a few words around it ("Published on", "5 min read")."""
    found = [f for f in dates_x.find_dates(text) if f.iso] if d is None else [d]
    if not found:
        return False
    # every date out ("Posted on May 3, 2024 May 9, 2024 in News": published and updated)
    rest, at = [], 0
    for f in dates_x.find_dates(text):
        rest.append(text[at:f.start])
        at = f.end
    rest.append(text[at:])
    rest = _DATE_PREFIX_RE.sub("", " ".join(rest).strip())
    return len(rest.split()) <= 8


_DAY_MONTH_ONLY_RE = re.compile(r"^\s*(?:\w+\.?,?\s+)?(?:\d{1,2}\s+\w+\.?|\w+\.?\s+\d{1,2}(?:st|nd|rd|th)?),?\s*$")


_BY_ALONE = frozenset(("by", "written by", "author", "posted by", "words by", "story by", "authored by"))
_BY_RE = re.compile(r"(?:^|(?<=[\s|·•,]))(?:[Bb]y|BY)[:\s]")


def _byline_in(text: str, dated: bool):
    """A byline at the line's start, or after a date or separator in a short line ("On May 3,
    2024 By Jo Roe In Travel", "Mar 5, 2025 | By Jo Roe")."""
    b = meta_x.find_byline(text)
    if b or len(text) > 160:
        return b
    for m in _BY_RE.finditer(text, 1):
        before = text[:m.start()].rstrip()
        if dated or before.endswith(("|", "·", "•", "-", "–", "—")):
            b = meta_x.find_byline(text[m.start():])
            if b:
                return m.start() + b[0], m.start() + b[1], b[2]
    return None


def _split_date(texts: list[str], k: int, dayfirst: bool | None) -> HeaderDate | None:
    """A date written over two lines, a day and month then the time and year ("April 12" /
    "11:26 2017")."""
    if k + 1 >= len(texts) or not _DAY_MONTH_ONLY_RE.match(texts[k]) or not meta_x.is_time_or_year(texts[k + 1]):
        return None
    a, b = texts[k], texts[k + 1]
    joined = a + " " + b
    d = _date_in(joined, k, dayfirst)
    if d is None or d.start >= len(a) or d.end <= len(a) + 1:
        return None
    return HeaderDate(k, d.start, d.end - len(a) - 1, d.iso, d.updated, k + 1, d.text, d.other_reading)


_TITLE_WORD_RE = re.compile(r"\b[A-Z0-9]")
_CRUMBS_RE = re.compile(r"(?:\s[›»>/•]\s.*){2}|^\s*home\s*[›»>/|:]|^\s*•", re.IGNORECASE)


def headline_score(t: str, words: int, repeated: bool) -> float:
    """How much a line above the body looks like its headline: a few words, title-like, often
    printed twice (page title and heading)."""
    if words < 2 or words > 30 or t.endswith((",", ";", ":")) or len(t) < 8:
        return 0.0
    if sum(c.isalpha() for c in t) * 2 < len(t):
        return 0.0  # "800.226.7529 Request Demo"
    if "|" in t and (words < 8 or t.count("|") > 1):
        return 0.0  # "Home | News | Sport"; a long headline may hold one bar
    if _CRUMBS_RE.search(t):
        return 0.0  # "Home » Recipes » Breads", "• 5K Plan • 10K Plan": a trail or a list
    low = t.lower()
    if "min read" in low or low.startswith(("posted", "updated", "published", "written by", "last updated", "by ")):
        return 0.0
    score = 2.0
    if repeated and words >= 3:
        score += TWICE_BONUS
    if t.endswith(".") and not t.endswith("..."):
        score -= SENTENCE_PENALTY  # a standfirst or caption, rarely a headline
    if t[0].islower():
        score -= 2.0  # "on Elementor Inspiration": a category or a caption's tail
    if len(_TITLE_WORD_RE.findall(t)) * 2 > words:
        score += 1.0
    if 5 <= words <= 20:
        score += 1.0
    elif words < 3:
        score -= 1.5
    letters = [c for c in t if c.isalpha()]
    if words < 6 and letters and all(c.isupper() for c in letters):
        score -= 1.0  # "GET SEO AUDIT": a button or section name
    return score


TWICE_BONUS = 3.0
TOPIC_BONUS = 8.0  # times the share of the line's words that the story's opening uses
TOPIC_MIN_WORDS = 4
SENTENCE_PENALTY = 3.0
_CONTENT_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_STOP_WORDS = frozenset("""the and for with from that this your you are our how what why who when where which
into about more than have has its their them they will can not but all new best top get use using""".split())


def _content_words(t: str) -> set[str]:
    """Lower-case words of three letters or more, not function words, without a plural "s"."""
    return {w[:-1] if len(w) > 4 and w.endswith("s") else w
            for w in _CONTENT_WORD_RE.findall(t.lower()) if w not in _STOP_WORDS}


def topic_share(t: str, story_words: set[str]) -> float:
    """The share of a line's content words that the story's opening uses (counted as at least
    ``TOPIC_MIN_WORDS``, so two words that happen to recur do not make a headline): a headline
    names the story's subject; a menu entry or button does not."""
    cw = _content_words(t)
    return len(cw & story_words) / max(len(cw), TOPIC_MIN_WORDS) if cw else 0.0
ANCHOR_BONUS = 4.0  # a headline sits just above its byline or date
ANCHOR_ABOVE_BONUS = 2.0
LINK_RUN_PENALTY = 3.0  # one of a run of title-like lines is a list of other stories
DISTANCE_PENALTY = 0.1
TOP_OF_HEADER_BONUS = 1.5
NEAREST_BONUS = 1.0


@dataclass
class Header:
    headline: int | None = None  # item index
    date: HeaderDate | None = None
    byline: tuple[int, int, int, str] | None = None  # item index, start, end, name


AFTER_BODY_LINES = 8  # the story's first lines may still hold its date or byline


def read_header(texts: list[str], words: list[int], body: int, dayfirst: bool | None,
                skip: list[bool] | None = None, body_end: int | None = None,
                find_headline: bool = True, headline_at: int | None = None,
                story_words: set[str] | None = None) -> Header:
    """The header of a story whose first body item is ``texts[body]``: headline, date and byline
    indices among the items above it (and the date or byline among its first two items)."""
    n = len(texts)
    body = max(0, min(body, n))
    lo = max(0, body - HEADLINE_WINDOW)
    top = min(n, body + AFTER_BODY_LINES, body_end if body_end is not None else n)
    # A line printed twice close together (page title and heading) is a headline's mark; a menu
    # item repeated across the page is not.
    twice = [False] * n
    last_seen: dict[str, int] = {}
    for k in range(max(0, lo - 3), top):
        t = texts[k]
        j = last_seen.get(t)
        if j is not None and k - j <= 3:
            twice[k] = twice[j] = True
        last_seen[t] = k
    counts = {t: 2 for k, t in enumerate(texts[lo:top], lo) if twice[k]}
    h = Header()
    dated: dict[int, HeaderDate] = {}
    bylines: dict[int, tuple[int, int, str]] = {}
    for k in range(lo, top):
        t = texts[k]
        d = _date_in(t, k, dayfirst) or _split_date(texts, k, dayfirst)
        if d is not None:
            dated[k] = d
            if d.last != k:
                dated.setdefault(d.last, d)
        b = _byline_in(t, d is not None)
        if b:
            bylines[k] = b
    for k in range(lo, top):
        if k not in bylines and (k - 1 in dated or k + 1 in dated) and not (skip is not None and skip[k]) \
                and k not in dated:
            b = meta_x.find_name_line(texts[k])
            if b and counts.get(texts[k], 1) == 1:
                bylines[k] = b
    for k in range(lo, top - 1):
        # "By" / "Written by" alone, the name on the next line
        if k + 1 not in bylines and texts[k].strip().rstrip(":").lower() in _BY_ALONE:
            b = meta_x.find_byline("By " + texts[k + 1]) if len(texts[k + 1]) < 60 else None
            if b:
                bylines[k + 1] = (b[0] - 3, b[1] - 3, b[2])
    anchors = sorted(set(dated) | set(bylines))
    best, best_score = None, 0.0
    if find_headline:
        byline_texts = {texts[k] for k in bylines}  # a byline printed twice is no headline either
        title_like = [0.0] * (top - lo)
        for k in range(lo, min(top, body + 3)):
            t = texts[k]
            if k in dated or k in bylines or (skip is not None and skip[k] and counts.get(t, 1) < 2):
                continue
            if t in byline_texts:
                continue
            if is_boilerplate_line(t) or meta_x.is_time_or_year(t):
                continue
            title_like[k - lo] = headline_score(t, words[k], counts.get(t, 1) > 1)
        nearest = next((k for k in range(min(top, body) - 1, lo - 1, -1) if title_like[k - lo] > 0), None)
        for k in range(lo, min(top, body + 2)):
            s = title_like[k - lo]
            if s <= 0:
                continue
            if k >= body and (k + 1 >= n or words[k] > 25 or s < 4 or is_sentence(texts[k])):
                continue  # the story's first lines hold its headline only when it is no sentence
            if k == nearest:
                s += NEAREST_BONUS  # the title-like line right above the story
            if story_words:
                s += TOPIC_BONUS * topic_share(texts[k], story_words)
            # Below the headline come its subtitle, byline and date: an anchor within three items.
            below = any(k < a <= k + 3 for a in anchors)
            above = any(k - 6 <= a < k for a in anchors)
            if below:
                s += ANCHOR_BONUS
            elif any(k - 2 <= a < k for a in anchors):
                s += ANCHOR_ABOVE_BONUS  # some pages print the date first, the headline under it
            if below and not above:
                s += TOP_OF_HEADER_BONUS  # the header opens on its headline
            run = sum(1 for j in (k - 2, k - 1, k + 1, k + 2)
                      if lo <= j < top and j != body and title_like[j - lo] > 0 and counts.get(texts[j], 1) == 1
                      and j not in anchors)
            if run >= 3:
                s -= LINK_RUN_PENALTY
            s -= DISTANCE_PENALTY * max(0, body - 1 - k)
            if s > best_score:
                best, best_score = k, s
        h.headline = best
    # The date and byline: the first below the headline, else the nearest above the story, else
    # among the story's first lines ("Published X ... Updated Y": the first is the story's date).
    head = best if best is not None else headline_at

    def pick(found) -> int | None:
        if head is not None:
            cand = [k for k in found if head - 3 < k <= head + HEADER_DATE_DISTANCE]
            below = [k for k in cand if k > head]
            if below:
                return min(below)
            if cand:
                return max(cand)
        cand = [k for k in found if body - HEADER_DATE_DISTANCE <= k < body + AFTER_BODY_LINES]
        above = [k for k in cand if k < body]
        if above:
            return max(above)
        return min(cand) if cand else None

    k = pick(dated)
    if k is not None and dated[k].updated:
        # "Published X" somewhere in the header beats the "Updated Y" found first.
        k2 = pick({j: d for j, d in dated.items() if not d.updated})
        if k2 is not None and abs(k2 - k) <= 4:
            k = k2
    if k is not None:
        h.date = dated[k]
    k = pick(bylines)
    if k is not None:
        h.byline = (k, *bylines[k])
    return h


# -- page text ----------------------------------------------------------------------------------

def text_meta(lines, first_kept_index: int, kept: list, raw: str) -> tuple[ArticleMeta, list]:
    """Headline, date and byline of page text from the lines around the story's start; the story's
    lines without those that are metadata (a headline or byline opening the region)."""
    meta = ArticleMeta()
    if not lines:
        return meta, kept
    texts = [ln.text for ln in lines]
    words = [ln.words for ln in lines]
    skip = [ln.boiler and not ln.repeated for ln in lines]
    # The page's own way of writing dates decides the ambiguous ones.
    window = texts[max(0, first_kept_index - HEADLINE_WINDOW):first_kept_index + 40]
    found = [d for t in window if len(t) < 200 for d in dates_x.find_dates(t)]
    dayfirst = dates_x.dayfirst_from_dates(found)
    opening = " ".join(ln.text for ln in kept[:8])[:3000]
    h = read_header(texts, words, first_kept_index, dayfirst, skip, story_words=_content_words(opening))
    kept_ids = {id(k) for k in kept}
    drop = set()
    if h.headline is not None:
        ln = lines[h.headline]
        meta.headline = ln.text
        meta.raw_spans["headline"] = (ln.start, ln.end)
        if id(ln) in kept_ids:
            drop.add(id(ln))
    if h.byline is not None:
        k, s, e, name = h.byline
        ln = lines[k]
        meta.byline = name
        meta.raw_spans["byline"] = (ln.start + s, ln.start + e)
        if id(ln) in kept_ids and ln.words < 15:
            drop.add(id(ln))
    else:
        for ln in kept[:3]:
            b = meta_x.find_byline(ln.text)
            if b:
                meta.byline = b[2]
                meta.raw_spans["byline"] = (ln.start + b[0], ln.start + b[1])
                drop.add(id(ln))
                break
    if h.date is not None:
        ln, last = lines[h.date.index], lines[h.date.last]
        meta.date = h.date.iso
        meta.date_text = h.date.text
        meta.raw_spans["date"] = (ln.start + h.date.start, last.start + h.date.end)
        for x in (ln, last):
            if id(x) in kept_ids and x.words < 12:
                drop.add(id(x))
    if drop:
        kept = [k for k in kept if id(k) not in drop]
    return meta, kept


# -- HTML ---------------------------------------------------------------------------------------

# "Headline | Site", "Headline - Site", "Site » Headline" (not ":", which headlines use themselves)
_TITLE_SPLIT_RE = re.compile(r"\s+[|\-–—·•»]\s+|\s+::\s+|\s+\|")


def _title_without_site(title: str | None, site: str | None) -> str | None:
    """"Headline | Site" -> "Headline": the parts that are not the site's name, else the longest."""
    if not title:
        return None
    parts = [p for p in _TITLE_SPLIT_RE.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    skey = _key(site) if site else ""
    if skey:
        keep = [p for p in parts if _key(p) != skey and skey not in _key(p)]
        if len(keep) == 1 and len(parts) > 1:
            return keep[0].strip()
    # Without a site name: drop a short last part (a site's name), else a short first one.
    if len(parts[-1].split()) <= 4 and len(" ".join(parts[:-1]).split()) >= 3:
        return title[:title.rfind(parts[-1])].rstrip(" |-–—:·•»").strip()
    if skey and _key(parts[0]) == skey:
        return title[title.find(parts[1]):].strip()
    return title


def _is_site_name(text: str, f: PageFacts) -> bool:
    k = _key(text)
    if not k:
        return True
    if f.site_name and _key(f.site_name) == k:
        return True
    if f.title:
        parts = [_key(p) for p in _TITLE_SPLIT_RE.split(f.title)]
        if len(parts) > 1 and k == parts[-1] and k != _key(f.title):
            return True
    return False


H1_REACH = 30  # blocks above the story an <h1> may sit and still be its headline


def _agrees(k: str, tkeys: list[str]) -> bool:
    """Whether a heading's key is one of the titles', or holds one or is held by one (most of it)."""
    if not k:
        return False
    for t in tkeys:
        if k == t:
            return True
        short, long_ = (k, t) if len(k) < len(t) else (t, k)
        if len(short) >= 0.6 * len(long_) and short in long_:
            return True
    return False


def _plausible_h1(block, text: str) -> bool:
    words = len(text.split())
    if words < 3 or words > 30:
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and words < 6:
        return False
    return not is_boilerplate_line(text)


_DATE_LABEL_RE = re.compile(r"^\s*(?:published|posted|last\s+updated|updated|date)\b", re.IGNORECASE)
_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:[/+\-_.]|%2B|$)")


def _labelled_date(texts: list[str], dayfirst: bool | None) -> HeaderDate | None:
    """The first short block anywhere on the page that says "Published ...", "Posted on ...",
    "Last updated: ..." and a date."""
    for k, t in enumerate(texts):
        if len(t) < 80 and _DATE_LABEL_RE.match(t):
            d = _date_in(t, k, dayfirst)
            if d is None and len(t) < 20 and k + 1 < len(texts):
                d = _date_in(texts[k + 1], k + 1, dayfirst)  # "Published" / "Feb 2, 2023"
            if d is not None:
                return d
    return None


def _url_date(url: str | None) -> tuple[str, str] | None:
    """(ISO, as written) of a date in the page's address ("/2025/09/04/", "/articles/2025-12-15+")."""
    if not url:
        return None
    from urllib.parse import unquote

    m = _URL_DATE_RE.search(unquote(url))
    if not m:
        return None
    iso = dates_x.parse_date(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
    return (iso, m.group(0).strip("/+-_.")) if iso else None


def _near_day(iso: str | None, other: str) -> bool:
    if not iso:
        return False
    from datetime import date

    try:
        return abs((date.fromisoformat(iso[:10]) - date.fromisoformat(other[:10])).days) <= 1
    except ValueError:
        return False


def _same_day(iso: str | None, other: str | None) -> bool:
    return bool(iso and other and iso[:10] == other[:10])


def html_meta(f: PageFacts, all_blocks: list, body: list, raw: str) -> tuple[ArticleMeta, list]:
    """Headline, date and byline of an HTML page; ``body`` without the blocks that are metadata."""
    meta = ArticleMeta()
    texts = [b.text for b in all_blocks]
    words = [len(t.split()) for t in texts]
    pos = {id(b): i for i, b in enumerate(all_blocks)}
    body_start = pos.get(id(body[0]), len(all_blocks)) if body else len(all_blocks)
    body_end = pos.get(id(body[-1]), body_start) + 1 if body else body_start
    dayfirst = dayfirst_of(f)
    if dayfirst is None:
        window = texts[max(0, body_start - HEADLINE_WINDOW):body_start + 40]
        dayfirst = dates_x.dayfirst_from_dates([d for t in window if len(t) < 200 for d in dates_x.find_dates(t)])

    # Headline: the <h1> nearest above the story (or the first one), unless it is the site's name.
    titles = [t for t in (_title_without_site(f.ld_headline, f.site_name), _title_without_site(f.og_title, f.site_name),
                          _title_without_site(f.title, f.site_name)) if t]
    tkeys = [k for k in (_key(t) for t in titles) if k]
    h1s = [i for i, b in enumerate(all_blocks) if b.tag == "h1" and not _is_site_name(b.text, f)
           and len(b.text) >= 4]
    chosen = None
    if h1s:
        agree = [i for i in h1s if _agrees(_key(all_blocks[i].text), tkeys)]
        # An <h1> that no title agrees with is the headline when it opens the story: just above
        # it, a few words long and not shouted (a section name like "OUR BLOG" is not).
        above = [i for i in h1s if body_start - H1_REACH <= i <= body_start and _plausible_h1(all_blocks[i], texts[i])]
        if agree:
            chosen = min(agree, key=lambda i: abs(body_start - i))
        elif above:
            chosen = max(above)
        elif not titles:
            chosen = h1s[0]
    head_index = chosen
    if chosen is not None:
        meta.headline = _clean(all_blocks[chosen].text)
    else:
        meta.headline = titles[0] if titles else None
    if meta.headline is not None and head_index is None:
        hk = _key(meta.headline)
        head_index = next((i for i in range(max(0, body_start - HEADLINE_WINDOW), min(len(texts), body_start + 1))
                           if _key(texts[i]) == hk), None)

    # The header: below the headline, else just above the story or among its first blocks.
    h = read_header(texts, words, body_start, dayfirst, None, body_end=max(body_end, body_start + 2),
                    find_headline=False, headline_at=head_index)

    # Date.
    published = [iso for iso in (dates_x.parse_date(v, dayfirst) for v in f.published) if iso]
    modified = [iso for iso in (dates_x.parse_date(v, dayfirst) for v in f.modified) if iso]
    times = [(dates_x.parse_date(dt, dayfirst) or dates_x.parse_date(text, dayfirst), dt, text) for dt, text in f.times]
    times = [t for t in times if t[0]]
    date_iso = date_text = None
    structured = published + modified + [x[0] for x in times]
    if h.date is not None and h.date.other_reading and not any(_same_day(x, h.date.iso) for x in structured) \
            and any(_same_day(x, h.date.other_reading) for x in structured):
        # "04/05/2017" under the headline: the structured dates say which way round it is.
        h.date.iso = h.date.other_reading
    if h.date is not None and published and not _same_day(published[0], h.date.iso) and (
            h.date.updated or (head_index is not None and h.date.index < head_index)):
        # The header tells when it was updated, or a date above the headline may be the masthead's
        # (today's date): the structured date tells when it was published.
        h.date = None
    if h.date is not None:
        date_text = h.date.text
        date_iso = h.date.iso
        # The structured date of the same day gives the time and zone.
        for iso in structured:
            if _same_day(iso, date_iso) and len(iso) > len(date_iso):
                date_iso = iso
                break
    elif published:
        date_iso = published[0]
        date_text = next(v for v in f.published if dates_x.parse_date(v, dayfirst))
    elif times:
        date_iso, dt, text = times[0]
        date_text = dt or text
    else:
        # A date line just after the story (an author box closing it), else a labelled one anywhere.
        labelled = next((d for d in (_date_in(texts[i], i, dayfirst)
                                     for i in range(body_end, min(len(texts), body_end + AFTER_BODY_LINES)))
                         if d is not None), None) or _labelled_date(texts, dayfirst)
        if labelled is not None:
            h.date = labelled  # "Posted on April 13, 2023" away from the header
            date_iso, date_text = labelled.iso, labelled.text
        elif modified:
            date_iso = modified[0]
            date_text = next(v for v in f.modified if dates_x.parse_date(v, dayfirst))
    url_date = _url_date(f.url)
    if url_date is not None and not _near_day(date_iso, url_date[0]):
        # A date in the page's address is the day it was published, whatever the page says (a day
        # either way is the newsroom's time zone, not another date).
        date_iso, date_text = url_date
        same = next((iso for iso in structured if _same_day(iso, url_date[0])), None)
        if same is not None:
            date_iso = same
    meta.date, meta.date_text = date_iso, date_text

    # Byline.
    drop = set()
    if h.byline is not None:
        k, s, e, name = h.byline
        meta.byline = name
        if id(all_blocks[k]) in {id(b) for b in body} and words[k] < 15:
            drop.add(id(all_blocks[k]))
    else:
        for b in body[:2]:
            found = meta_x.find_byline(b.text)
            if found:
                meta.byline = found[2]
                drop.add(id(b))
                break
    if meta.byline is None:
        for cand in f.authors + f.author_elements:
            c = _clean(cand)
            found = meta_x.find_byline(c)
            if found:
                c = found[2]
            if c and not c.startswith("http") and len(c) < 100:
                meta.byline = c
                break
    if meta.headline:
        key = _clean(meta.headline).lower()
        drop.update(id(b) for b in body if _clean(b.text).lower() == key)
    if h.date is not None:
        for i in {h.date.index, h.date.last}:
            if words[i] < 12:
                drop.add(id(all_blocks[i]))
    if drop:
        body = [b for b in body if id(b) not in drop]
    # Raw spans: the block's own span in the page text when known, else where the value is written.
    spans = {}
    if chosen is not None:
        spans["headline"] = _span_in(all_blocks[chosen], 0, len(texts[chosen]))
    if h.byline is not None:
        spans["byline"] = _span_in(all_blocks[h.byline[0]], h.byline[1], h.byline[2])
    if h.date is not None and meta.date_text == h.date.text:
        first = _span_in(all_blocks[h.date.index], h.date.start, len(texts[h.date.index]))
        last = _span_in(all_blocks[h.date.last], 0, h.date.end)
        spans["date"] = (first[0], last[1]) if first and last else None
    for name, value in (("headline", meta.headline), ("byline", meta.byline), ("date", meta.date_text)):
        span = spans.get(name)
        if span is None and value:
            at = raw.find(value)
            span = (at, at + len(value)) if at >= 0 else None
        if span is not None:
            meta.raw_spans[name] = span
    return meta, body


def _span_in(block, s: int, e: int) -> tuple[int, int] | None:
    """The page-text span of [s, e) of a block's text, when the block records its own span."""
    start, end = getattr(block, "start", None), getattr(block, "end", None)
    if isinstance(start, int) and isinstance(end, int) and end - start == len(block.text):
        return start + s, start + e
    return None


# -- output -------------------------------------------------------------------------------------

def meta_record(meta: ArticleMeta) -> dict:
    """The article metadata as ``analyze`` and ``extract`` both write it: headline, date (ISO),
    date_text (only when a date was read, so records without metadata keep their old shape),
    dateline, byline, agency."""
    out = {"headline": meta.headline, "date": meta.date}
    if meta.date_text is not None:
        out["date_text"] = meta.date_text
    out.update(dateline=meta.dateline, byline=meta.byline, agency=meta.agency)
    return out
