"""Article extraction from HTML: one lxml parse, one walk collecting text blocks, then a readability-style choice of the content container."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

import lxml.etree as etree

from . import pagetext
from .boilerplate import is_boilerplate_line, negative_class_re, positive_class_re
from .pagetext import PageMap, PageText, PageTextBuilder, SpanMap

# Whole subtrees that never hold article text (their text is not even read).
SKIP_TAGS = frozenset("""script style noscript template svg math button select option textarea input iframe
object embed canvas video audio map head picture source track link""".split())
ALWAYS_SKIP = frozenset("script style head svg math title meta".split())
SKIP_OR_META = SKIP_TAGS | ALWAYS_SKIP
# A skip tag holding more elements than this was left open by a broken page.
SMALL_SKIP_ELEMENTS = 40
# Page furniture by tag; walked all the same, since a broken page can leave the whole story inside one.
FURNITURE_TAGS = frozenset("nav aside footer header figure figcaption menu dialog label".split())
BLOCK_TAGS = frozenset("""p div h1 h2 h3 h4 h5 h6 li ul ol dl dd dt td th tr table tbody thead blockquote pre
section article main header center address hr body html details summary form fieldset figure figcaption
nav aside footer""".split())
# Owners whose text counts as a content paragraph for scoring containers.
PARA_TAGS = frozenset("p pre td blockquote div li dd".split())
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Blocks that leave a blank line around them in the page text (others: one line break).
BLANK_LINE_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 blockquote pre hr ul ol dl table figure form fieldset address details".split())
CELL_TAGS = frozenset(("td", "th"))
# Line breaks a block element owes the page text before and after it (0: a table cell, a tab).
_BREAKS = {t: 0 if t in CELL_TAGS else 2 if t in BLANK_LINE_TAGS else 1 for t in BLOCK_TAGS}


@dataclass
class Block:
    text: str
    link_len: int
    owner: int  # index of the block-level element the text sits in
    path: tuple[int, ...]  # element indices from the root to the innermost open element
    tag: str
    start: int  # the block's span in the page text: page_text[start:end] == text
    end: int
    owner_pos: int = 0  # the owner's position in path


@dataclass
class WalkResult:
    blocks: list[Block] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    cls_weight: list[int] = field(default_factory=list)
    under_furniture: list[bool] = field(default_factory=list)  # the element or an ancestor is furniture
    page: PageText | None = None  # the page as text, which every block's span indexes
    missed: int = 0  # text nodes not found in the source (their map is approximate)


def parse(raw: str):
    """The lxml document for ``raw`` or None (see ``parse_page``, which also says what was lost)."""
    return parse_page(raw)[0]


# HTML5 void elements libxml2 does not know: it nests what follows inside them.
HTML5_VOIDS = ("embed", "source", "track", "wbr", "keygen")
_HTML5_VOID_SET = frozenset(HTML5_VOIDS)
# Characters the parser lets into text but lxml's API refuses to set.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# libxml2 stops at 2,048 open elements (with huge_tree); a deeper page is re-read with deeper
# markup flattened, at these depths in turn.
FLATTEN_DEPTHS = (1024, 256)


def _parser():
    # A plain etree parser: lxml.html's element classes cost a lookup per element.
    return etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                            huge_tree=True, default_doctype=False)


def _feed(raw: str):
    """(document or None, the parser's fatal errors); bytes are fed so lone surrogates and an
    XML encoding declaration cannot upset the parser."""
    data = raw.encode("utf-8", "replace").replace(b"\x00", b" ")
    parser = _parser()
    try:
        doc = etree.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None, []
    return doc, list(parser.error_log.filter_from_fatals())


def parse_page(raw: str) -> tuple[object, list[str]]:
    """The lxml document for ``raw`` (or None) and warnings about what the parse could not keep.

    Nothing is dropped silently: HTML5 void elements the parser nests content into are emptied
    (their content follows them, as in a browser); a page nested deeper than the parser's limit is
    re-read with its deepest markup flattened (the text stays); anything else that stops the
    parser is reported."""
    if not raw.strip():
        return None, []
    warnings: list[str] = []
    doc, fatals = _feed(raw)
    if fatals and any("depth" in e.message for e in fatals):
        for depth in FLATTEN_DEPTHS:
            doc2, fatals = _feed(flatten_markup(raw, depth))
            if doc2 is not None and not any("depth" in e.message for e in fatals):
                doc = doc2
                warnings.append(f"elements nested more than {depth} deep were flattened (the parser stops at "
                                f"2,048 open elements); their text is kept")
                break
        else:
            doc, fatals = _feed(_MARKUP_TAG_RE.sub(" ", raw))
            warnings.append("elements nested too deep to parse: the page was read as plain text")
    for e in fatals:
        warnings.append(f"the HTML parser stopped at line {e.line}: {e.message.strip()}; text after it is lost")
        break
    if doc is not None:
        _unnest_voids(doc)
    return doc, warnings


def _unnest_voids(doc) -> None:
    """Move what the parser put inside an HTML5 void element (``<embed>``, ``<source>``...) to
    just after it, in document order."""
    for el in [el for el in doc.iter(HTML5_VOIDS) if len(el) or el.text]:
        parent = el.getparent()
        if parent is None:
            continue
        text, tail = el.text, el.tail
        children = list(el)
        last_tail = children[-1].tail if children else None
        joined = ((last_tail if children else text) or "") + (tail or "")
        if _NOT_XML_RE.search(joined) or (children and text and _NOT_XML_RE.search(text)):
            continue  # lxml refuses to set such text: left nested, the walk reads it as a plain inline element
        el.text = None
        if children:
            at = parent.index(el) + 1
            for k, child in enumerate(children):
                parent.insert(at + k, child)
            el.tail = text
            children[-1].tail = joined or None
        else:
            el.tail = joined or None


_MARKUP_TAG_RE = re.compile(r"<[!?/]?[A-Za-z][^>]*>")
_TAG_TOKEN_RE = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_VOID_NAMES = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
# Start tags that close an open element of the same name (the common implied ends).
_SELF_CLOSING_PEERS = frozenset("p li dt dd tr td th option".split())


# Elements that make a page's block structure (paragraphs, headings, list items, quotes, tables):
# past the depth limit they are kept whole while they fit in this many more levels; only the
# wrappers around them (div, span, section...) are flattened.
STRUCTURE_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd ul ol dl pre blockquote table tbody thead tr td th".split())
STRUCTURE_SLACK = 256


def flatten_markup(raw: str, max_depth: int) -> str:
    """``raw`` without the start and end tags of the wrapper elements nested deeper than
    ``max_depth`` (counted roughly as a browser would: void elements and the usual implied ends).

    Block structure survives: paragraphs, headings, list items and the like are kept past the
    limit (up to ``STRUCTURE_SLACK`` levels more), and a flattened block element leaves an empty
    block in its place (``<div/>`` or, for one that leaves a blank line, ``<p/>``) at its start
    and its end, so the text either side still starts a new line or paragraph."""
    stack: list[tuple[str, bool]] = []
    counts: dict[str, int] = {}
    kept = 0  # elements on the stack that are kept
    out: list[str] = []
    pos = 0
    for m in _TAG_TOKEN_RE.finditer(raw):
        name = m.group(2).lower()
        drop = False
        if m.group(1):  # end tag: close up to the nearest open one of that name
            if counts.get(name):
                while stack:
                    top, dropped = stack.pop()
                    counts[top] -= 1
                    kept -= not dropped
                    if top == name:
                        drop = dropped
                        break
        elif name not in _VOID_NAMES and not m.group().endswith("/>"):
            if name in _SELF_CLOSING_PEERS and stack and stack[-1][0] == name:
                top, dropped = stack.pop()
                counts[top] -= 1
                kept -= not dropped
            drop = kept >= max_depth and not (name in STRUCTURE_TAGS and kept < max_depth + STRUCTURE_SLACK)
            stack.append((name, drop))
            counts[name] = counts.get(name, 0) + 1
            kept += not drop
        if drop:
            out.append(raw[pos:m.start()])
            brk = _BREAKS.get(name)
            # A block boundary stays; a table cell's becomes a space (the words either side stay
            # apart); an inline element leaves nothing.
            if brk is not None:
                out.append("<p/>" if brk == 2 else "<div/>" if brk == 1 else " ")
            pos = m.end()
    out.append(raw[pos:])
    return "".join(out)


@lru_cache(maxsize=4096)
def class_weight(cls: str | None, ident: str | None) -> int:
    """+25 for an article-body class/id name, -25 for a furniture one (resources/extraction_*_classes.txt)."""
    name = f"{cls or ''} {ident or ''}".lower()
    if positive_class_re().search(name):
        return 25
    if negative_class_re().search(name):
        return -25
    return 0


def walk(doc, source: str | None = None, mapped: bool = False) -> WalkResult:
    """One pass over the tree: the page text (``res.page``; with its map to ``source`` when
    ``mapped``), its text blocks with their element paths and page-text spans, class weights."""
    res = WalkResult()
    blocks, parent, tags, weights = res.blocks, res.parent, res.tag, res.cls_weight
    under_neg = res.under_furniture
    page = PageTextBuilder(source if mapped else None)
    emit, emit_pre, skip_text = page.text, page.text_pre, page.skip
    stack: list[int] = []  # open element indices
    owner_stack: list[int] = []  # open block-level element indices
    link_len = 0
    link_depth = 0
    pre_depth = 0
    skipped = False

    def flush():
        nonlocal link_len
        text, base = page.take_block()
        if text and not text.isspace():
            owner = owner_stack[-1] if owner_stack else 0
            path = tuple(stack)
            owner_pos = stack.index(owner) if owner in stack else len(stack)
            # A <br> splits a block into lines; each line is its own paragraph.
            for start, end, line in pagetext.lines(text, base):
                ll = min(link_len, len(line))
                blocks.append(Block(line, ll, owner, path, tags[owner], start, end, owner_pos))
        link_len = 0

    def skip_subtree_text(el):
        if mapped:
            for t in el.itertext():
                skip_text(t)

    walker = etree.iterwalk(doc, events=("start", "end"))
    skip_subtree = walker.skip_subtree
    for event, el in walker:
        tag = el.tag
        if tag.__class__ is not str:
            continue
        if not tag.islower():
            tag = tag.lower()
        if event == "start":
            if tag in SKIP_OR_META and not (tag in _HTML5_VOID_SET and (el.text or len(el))):
                # A skip tag left open by a broken page may hold much of it: walk that as furniture.
                if tag in ALWAYS_SKIP or next(islice(el.iter(), SMALL_SKIP_ELEMENTS, None), None) is None:
                    skipped = True
                    skip_subtree_text(el)
                    skip_subtree()
                    continue
            get = el.get
            keys = el.keys()  # most elements have no attributes: one call instead of a get each
            if keys:
                style = get("style")
                # Hidden by style, or by the hidden attribute, except where a script reveals it:
                # React streams a page's parts as <div hidden id="S:n">, a framework may keep the
                # whole story in one big hidden element.
                if (style and _HIDDEN_STYLE_RE.search(style)) or (
                        "hidden" in keys and not (get("id") or "").startswith("S:")
                        and next(islice(el.iter(), SMALL_SKIP_ELEMENTS, None), None) is None) or (
                        "aria-hidden" in keys and get("aria-hidden") == "true" and _decorative(el, tag)):
                    skipped = True
                    skip_subtree_text(el)
                    skip_subtree()
                    continue
                cls = get("class")
                ident = get("id")
                w = class_weight(cls, ident) if cls or ident else 0
                if "itemprop" in keys and get("itemprop") == "articleBody":
                    w += 30
            else:
                w = 0
            idx = len(tags)
            tags.append(tag)
            parent.append(stack[-1] if stack else -1)
            if tag in ("article", "main"):
                w += 10
            elif tag in FURNITURE_TAGS or (tag in SKIP_TAGS and tag not in _HTML5_VOID_SET):
                w -= 50
            weights.append(w)
            up = parent[-1]
            under_neg.append((w < 0 and tag not in ("body", "html")) or (up >= 0 and under_neg[up]))
            if tag in BLOCK_TAGS:
                if page.block_pieces:
                    flush()
                brk = _BREAKS[tag]
                if brk:
                    if brk > page.need_nl:
                        page.need_nl = brk
                    if tag == "pre":
                        pre_depth += 1
                else:
                    page.need_tab = True  # a table cell: a tab after the row's previous cell
                owner_stack.append(idx)
            elif tag == "br":
                page.br()
            elif tag == "a":
                link_depth += 1
            stack.append(idx)
            text = el.text
            if text:
                if pre_depth:
                    emit_pre(text)
                else:
                    emit(text)
                if link_depth:
                    link_len += len(text.strip())
        else:  # end
            if skipped:
                # A skipped subtree still ends here; its tail is the parent's text.
                skipped = False
            elif stack:
                if tag in BLOCK_TAGS:
                    if page.block_pieces:
                        flush()
                    brk = _BREAKS[tag]
                    if brk:
                        if brk > page.need_nl:
                            page.need_nl = brk
                        if tag == "pre":
                            pre_depth -= 1
                    if owner_stack and owner_stack[-1] == stack[-1]:
                        owner_stack.pop()
                elif tag == "a":
                    link_depth -= 1
                stack.pop()
            tail = el.tail
            if tail:
                if pre_depth:
                    emit_pre(tail)
                else:
                    emit(tail)
                if link_depth:
                    link_len += len(tail.strip())
    flush()
    res.page = page.finish()
    res.missed = page.missed
    return res


def _decorative(el, tag: str) -> bool:
    """An ``aria-hidden`` element that is decoration (an icon, an icon font's ligature word such as
    "share", a repeated label), not text: inline, a few elements, a few words.  Larger
    aria-hidden parts stay (sites hide whole visible blocks from screen readers too)."""
    if tag in BLOCK_TAGS or next(islice(el.iter(), 4, None), None) is not None:
        return False
    return sum(len(t) for t in el.itertext()) <= 30


# -- choosing the content ------------------------------------------------------------------------

def _block_score(b: Block) -> float:
    n = len(b.text)
    if n < 25 or b.tag not in PARA_TAGS:
        return 0.0
    return 1.0 + b.text.count(",") + min(n // 100, 3)


def select_blocks(res: WalkResult) -> list[Block]:
    """The blocks of the article body, in document order."""
    blocks = res.blocks
    if not blocks:
        return []
    n_el = len(res.tag)
    score = [0.0] * n_el
    scored = [False] * n_el
    text_len = [0] * n_el
    link_len = [0] * n_el
    for b in blocks:
        for e in b.path:
            text_len[e] += len(b.text)
            link_len[e] += b.link_len
        s = _block_score(b)
        if s <= 0:
            continue
        # Readability: the paragraph's parent gets it all, the grandparent half, further up less.
        path = b.path
        up = path[:b.owner_pos] or path[:1]
        for level, e in enumerate(reversed(up[-3:])):
            if not scored[e]:
                scored[e] = True
                score[e] += res.cls_weight[e]
            score[e] += s / (1 if level == 0 else 2 if level == 1 else level * 3)
    best, best_score = -1, 0.0
    for e in range(n_el):
        if scored[e]:
            ld = link_len[e] / text_len[e] if text_len[e] else 0.0
            final = score[e] * (1.0 - ld)
            if res.under_furniture[e]:
                final *= FURNITURE_FACTOR
            if text_len[e] < MIN_CONTAINER_CHARS:
                final *= 0.5  # a bio box or teaser with a good class name is not the story
            score[e] = final
            if final > best_score:
                best, best_score = e, final
    if best < 0:
        return [b for b in blocks if _is_content(b, len(b.path) + 1, res, text_len, 1)]
    content = _content(blocks, res)
    best = _climb(best, content, res, text_len, link_len)
    best_score = max(best_score, score[best])
    # Siblings that also look like content join the chosen container; so do cousins a level or
    # two up when they hold a good share of paragraphs (a story split around an ad or embed).
    par = res.parent[best]
    best_path = _ancestors(best, res.parent)
    depth = len(best_path) - 1
    threshold = max(10.0, best_score * 0.2)
    cousin_threshold = max(10.0, content[best] * COUSIN_SHARE)
    candidates: list[Block] = []
    for b in blocks:
        path = b.path
        if len(path) <= depth:
            continue
        top = path[depth]
        if top != best:
            if depth > 0 and path[depth - 1] == par:
                if not (scored[top] and score[top] >= threshold):
                    if not (top == b.owner and b.tag == "p" and _sibling_paragraph(b)):
                        continue
            else:
                level = depth - 1
                while level > 0 and path[level] != best_path[level]:
                    level -= 1
                if depth - level > COUSIN_LEVELS or level + 1 >= len(path):
                    continue
                top = path[level + 1]
                ld = link_len[top] / text_len[top] if text_len[top] else 1.0
                if res.cls_weight[top] < 0 or content[top] < cousin_threshold or ld > 0.3:
                    continue
        candidates.append(b)
    keep = [b for b in candidates if _is_content(b, depth, res, text_len, text_len[best])]
    if sum(len(b.text) for b in keep) * 3 < sum(len(b.text) for b in candidates if _block_score(b) > 0):
        # Class names threw out most of the story: they are the site's naming, not furniture.
        keep = [b for b in candidates if _is_content(b, depth, res, text_len, text_len[best], False)]
    return keep


def _content(blocks: list[Block], res: WalkResult) -> list[float]:
    """Paragraph score held by each element, furniture keeping its own text to itself."""
    content = [0.0] * len(res.tag)
    for b in blocks:
        s = _block_score(b)
        if s <= 0:
            continue
        for e in reversed(b.path):
            content[e] += s
            if res.cls_weight[e] < 0:
                break
    return content


def _ancestors(e: int, parent: list[int]) -> list[int]:
    out = [e]
    while parent[e] >= 0:
        e = parent[e]
        out.append(e)
    out.reverse()
    return out


def _climb(best: int, content: list[float], res: WalkResult, text_len: list[int], link_len: list[int]) -> int:
    """Go up from the best container while it holds only part of the content around it (a story
    cut into one container per section or list item)."""
    # A page listing several <article>s: the story is one of them, not their list.
    articles = [0] * len(res.tag)
    for e, tag in enumerate(res.tag):
        if tag == "article":
            while e >= 0:
                articles[e] += 1
                e = res.parent[e]
    cur = chosen = best
    while True:
        p = res.parent[cur]
        if p < 0 or res.tag[p] in ("body", "html"):
            return chosen
        ld = link_len[p] / text_len[p] if text_len[p] else 1.0
        if ld >= CLIMB_MAX_LINK_DENSITY or res.cls_weight[p] < 0:
            return chosen
        if articles[chosen] and articles[p] > articles[chosen]:
            return chosen
        if content[p] > CLIMB_RATIO * content[chosen]:
            chosen = p
        cur = p


CLIMB_RATIO = 1.5
MIN_CONTAINER_CHARS = 200
COUSIN_LEVELS = 2
COUSIN_SHARE = 0.4
FURNITURE_FACTOR = 0.5
CLIMB_MAX_LINK_DENSITY = 0.25


def _sibling_paragraph(b: Block) -> bool:
    ld = b.link_len / len(b.text) if b.text else 1.0
    if len(b.text) > 80:
        return ld < 0.25
    return ld == 0 and b.text.rstrip().endswith((".", "!", "?", "\"", "”"))


def _is_content(b: Block, depth: int, res: WalkResult, text_len: list[int], container_len: int,
                by_class: bool = True) -> bool:
    """Whether a block inside the chosen container is article text."""
    text = b.text
    if b.tag == "h1":
        return False
    # Furniture inside the container (share bars, captions, related links) by class name or tag;
    # an element holding most of the container's text is not furniture, whatever its name.
    for e in b.path[depth + 1:]:
        w = res.cls_weight[e]
        if w < 0 and text_len[e] * 2 < container_len and (by_class or w <= -50 or res.tag[e] in FURNITURE_TAGS):
            return False
    n = len(text)
    ld = b.link_len / n if n else 1.0
    if ld > 0.5 or (b.tag == "li" and ld > 0.3 and n < 100):
        return False
    if is_boilerplate_line(text, 10):
        return False
    if not any(c.isalnum() for c in text):
        return False
    return True


def page_text(html: str) -> PageText:
    """The page text of ``html`` with its map (the same text extraction builds)."""
    doc, _warnings = parse_page(html)
    if doc is None:
        return PageText("", PageMap(SpanMap(), SpanMap(), len(html)))
    return walk(doc, html, mapped=True).page
