"""Scoring quotes against gold (the shared scorer's metrics, reimplemented) and comparing two
annotation sets: precision/recall/F1, agreement (F1 and Cohen's kappa) and a list of disagreements.

``score_quotes`` reads records in the scorer's JSONL shape (``{"text", "quotes": [...]}``) and
returns exactly the numbers of ../shared/eval/score.py.  ``compare_documents`` / ``compare_corpora``
work on Documents (``a`` is the reference, ``b`` the other annotator or the machine) and list
every disagreement with its document, kind, both spans and what differs, so the GUI can jump to it.
"""
from __future__ import annotations

import collections
from dataclasses import asdict, dataclass, field

import regex

from .model import Document

TRIM_CHARS = frozenset(" \t\r\n\u00a0" + '"\u201c\u201d\u201e\u00ab\u00bb\u201f\u2033' + "'\u2018\u2019" + ".,;:!?")
WORD = regex.compile(r"\w+")
SPEAKER_TOKEN = regex.compile(r"[\p{L}\p{N}]+")
POSSESSIVE = regex.compile(r"['\u2019]s\b")


# -- shared pieces ------------------------------------------------------------------------------

def prf(tp_p: int, n_p: int, tp_r: int, n_g: int) -> dict:
    """Precision from ``tp_p`` of ``n_p`` predictions, recall from ``tp_r`` of ``n_g`` gold items."""
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f, "n_pred": n_p, "n_gold": n_g}


def trim_span(text: str, s: int, e: int):
    """The span without surrounding whitespace, quotation marks and .,;:!?; None when nothing is left."""
    while s < e and text[s] in TRIM_CHARS:
        s += 1
    while e > s and text[e - 1] in TRIM_CHARS:
        e -= 1
    return (s, e) if s < e else None


def speaker_tokens(name) -> list[str]:
    if not name:
        return []
    return SPEAKER_TOKEN.findall(POSSESSIVE.sub("", name.casefold()))


def _token_suffix(a: list, b: list) -> bool:
    return 0 < len(a) <= len(b) and b[len(b) - len(a):] == a


def _spans_overlap(xs, ys) -> bool:
    return any(a < d and c < b for a, b in xs for c, d in (ys or []))


def speaker_matches(gold_name, gold_spans, pred_name, pred_spans) -> bool:
    """The scorer's speaker test: both null; or names equal up to a token suffix ('Vance' ~ 'Rex
    Vance'); or overlapping speaker spans."""
    gt, pt = speaker_tokens(gold_name), speaker_tokens(pred_name)
    if not gt and not gold_spans:
        return not pt and not pred_spans
    if gt and pt and (_token_suffix(gt, pt) or _token_suffix(pt, gt)):
        return True
    return _spans_overlap(gold_spans or [], pred_spans or [])


def _covered_prefix(n: int, spans) -> list[int]:
    """Prefix counts of characters covered by any span (clipped to the text)."""
    diff = [0] * (n + 1)
    for s, e in spans:
        s, e = max(0, s), min(n, e)
        if s < e:
            diff[s] += 1
            diff[e] -= 1
    out, run, acc = [0] * (n + 1), 0, 0
    for i in range(n):
        run += diff[i]
        if run > 0:
            acc += 1
        out[i + 1] = acc
    return out


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(text)]


def _tokens_hit(text: str, spans, words: list[tuple[int, int]] | None = None) -> set[int]:
    """Indices of the words of ``text`` (``words``, when already found) that any span touches."""
    cov = _covered_prefix(len(text), spans)
    return {k for k, (s, e) in enumerate(words if words is not None else _word_spans(text)) if cov[e] - cov[s]}


def _greedy_pairs(gold_spans, pred_spans) -> list[tuple[int, int, int]]:
    """One-to-one pairs by greatest character overlap (ties: larger indices first, as the scorer)."""
    cands = []
    for i, (gs, ge) in enumerate(gold_spans):
        for j, (ps, pe) in enumerate(pred_spans):
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0:
                cands.append((ov, i, j))
    cands.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for ov, i, j in cands:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((ov, i, j))
    return out


# -- the scorer's metrics -------------------------------------------------------------------------

def score_quotes(gold: dict, pred: dict, types=None) -> dict:
    """Micro-averaged quote metrics of ``pred`` against ``gold`` (dicts of id -> scorer record)."""
    C = collections.Counter()
    by_type = collections.defaultdict(collections.Counter)
    for did, gd in gold.items():
        text = gd["text"]
        gq = [q for q in gd["quotes"] if not types or q.get("type") in types]
        pq = [q for q in (pred.get(did, {}).get("quotes") or []) if q["end"] > q["start"]]
        C["n_gold"] += len(gq)
        C["n_pred"] += len(pq)
        gsp = [(q["start"], q["end"]) for q in gq]
        psp = [(q["start"], q["end"]) for q in pq]
        C["exact_tp"] += sum((collections.Counter(gsp) & collections.Counter(psp)).values())
        gn = [trim_span(text, s, e) for s, e in gsp]
        pn = [trim_span(text, s, e) for s, e in psp]
        C["exactn_tp"] += sum((collections.Counter(x for x in gn if x) & collections.Counter(x for x in pn if x)).values())
        g_hit = [any(min(ge, pe) > max(gs, ps) for ps, pe in psp) for gs, ge in gsp]
        p_hit = [any(min(ge, pe) > max(gs, ps) for gs, ge in gsp) for ps, pe in psp]
        C["ov_tp_r"] += sum(g_hit)
        C["ov_tp_p"] += sum(p_hit)
        pn_set = set(pn)
        for i, g in enumerate(gq):
            c = by_type[g.get("type", "unknown")]
            c["n"] += 1
            c["ov"] += g_hit[i]
            c["exn"] += bool(gn[i]) and gn[i] in pn_set
        words = _word_spans(text)
        gtok, ptok = _tokens_hit(text, gsp, words), _tokens_hit(text, psp, words)
        C["tok_g"] += len(gtok)
        C["tok_p"] += len(ptok)
        C["tok_tp"] += len(gtok & ptok)
        for _, i, j in _greedy_pairs(gsp, psp):
            g, p = gq[i], pq[j]
            ok = speaker_matches(g.get("speaker"), g.get("speaker_spans"), p.get("speaker"), p.get("speaker_spans"))
            C["matched"] += 1
            if not speaker_tokens(g.get("speaker")) and not g.get("speaker_spans"):
                C["m_null"] += 1
                C["m_null_ok"] += ok
            else:
                C["m_spk"] += 1
                C["m_spk_ok"] += ok
            C["e2e_ov_tp"] += ok
            C["e2e_ex_tp"] += ok and gn[i] is not None and gn[i] == pn[j]
    return {
        "docs": len(gold),
        "docs_missing_in_pred": sum(1 for i in gold if i not in pred),
        "exact": prf(C["exact_tp"], C["n_pred"], C["exact_tp"], C["n_gold"]),
        "exact_norm": prf(C["exactn_tp"], C["n_pred"], C["exactn_tp"], C["n_gold"]),
        "overlap": prf(C["ov_tp_p"], C["n_pred"], C["ov_tp_r"], C["n_gold"]),
        "token": prf(C["tok_tp"], C["tok_p"], C["tok_tp"], C["tok_g"]),
        "matched_pairs": C["matched"],
        "attr_acc": C["m_spk_ok"] / C["m_spk"] if C["m_spk"] else 0.0, "attr_n": C["m_spk"],
        "null_acc": C["m_null_ok"] / C["m_null"] if C["m_null"] else 0.0, "null_n": C["m_null"],
        "e2e_overlap": prf(C["e2e_ov_tp"], C["n_pred"], C["e2e_ov_tp"], C["n_gold"]),
        "e2e_exact": prf(C["e2e_ex_tp"], C["n_pred"], C["e2e_ex_tp"], C["n_gold"]),
        "by_type_recall": {t: {"n": c["n"], "overlap_R": c["ov"] / c["n"], "exact_norm_R": c["exn"] / c["n"]}
                           for t, c in sorted(by_type.items())},
    }


# -- comparing two annotation sets --------------------------------------------------------------

KINDS = ("quote", "mention", "cue")
_POOLS = {"quote": "quotes", "mention": "mentions", "cue": "cues"}


@dataclass
class Disagreement:
    doc_id: str
    kind: str  # quote, mention or cue
    a: tuple[int, int] | None  # span in the reference annotation (None: only in b)
    b: tuple[int, int] | None
    what: str  # "only in a", "only in b", "boundaries differ", "type differs: ...", "speaker differs: ..."
    a_id: str | None = None
    b_id: str | None = None
    text: str = ""  # the words concerned, for a list view


@dataclass
class KindCounts:
    """Counts for one span kind, summable over documents."""
    n_a: int = 0
    n_b: int = 0
    exact: int = 0
    overlap_a: int = 0  # items of a overlapped by some item of b
    overlap_b: int = 0
    # token confusion: labelled by a / by b
    tok_both: int = 0
    tok_a_only: int = 0
    tok_b_only: int = 0
    tok_none: int = 0

    def add(self, other: "KindCounts") -> None:
        for k, v in asdict(other).items():
            setattr(self, k, getattr(self, k) + v)

    def summary(self) -> dict:
        n_tok = self.tok_both + self.tok_a_only + self.tok_b_only + self.tok_none
        return {
            "exact": prf(self.exact, self.n_b, self.exact, self.n_a),
            "overlap": prf(self.overlap_b, self.n_b, self.overlap_a, self.n_a),
            "token_kappa": cohen_kappa(self.tok_both, self.tok_a_only, self.tok_b_only, self.tok_none),
            "tokens": n_tok,
        }


def cohen_kappa(both: int, a_only: int, b_only: int, neither: int) -> float:
    """Cohen's kappa for two raters labelling items yes/no."""
    n = both + a_only + b_only + neither
    if not n:
        return 1.0
    po = (both + neither) / n
    pa, pb = (both + a_only) / n, (both + b_only) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    if pe >= 1.0:
        return 1.0 if po >= 1.0 else 0.0
    return (po - pe) / (1 - pe)


@dataclass
class Comparison:
    doc_id: str
    counts: dict = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    matched_quotes: int = 0
    speaker_same: int = 0
    type_same: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)

    def summary(self) -> dict:
        return _summary({self.doc_id: self}, missing=0)


def _quote_speaker(doc: Document, q):
    spans = [(doc.mentions[m].start, doc.mentions[m].end) for m in [q.mention, *q.extra_mentions]
             if m and m in doc.mentions]
    return doc.speaker_name(q), spans


def compare_documents(a: Document, b: Document) -> Comparison:
    """Compare ``b``'s quotes, speaker mentions and cues with ``a``'s (both over the same article)."""
    if a.article != b.article:
        raise ValueError(f"document {a.id}: the two annotations are over different texts")
    text = a.article
    words = _word_spans(text)  # the same for every kind and both sides
    cmp = Comparison(a.id)
    for kind in KINDS:
        xs = sorted(getattr(a, _POOLS[kind]).values(), key=lambda o: (o.start, o.end, o.id))
        ys = sorted(getattr(b, _POOLS[kind]).values(), key=lambda o: (o.start, o.end, o.id))
        xsp = [(o.start, o.end) for o in xs]
        ysp = [(o.start, o.end) for o in ys]
        c = cmp.counts[kind]
        c.n_a, c.n_b = len(xs), len(ys)
        c.exact = sum((collections.Counter(xsp) & collections.Counter(ysp)).values())
        c.overlap_a = sum(any(min(e, f) > max(s, r) for r, f in ysp) for s, e in xsp)
        c.overlap_b = sum(any(min(e, f) > max(s, r) for s, e in xsp) for r, f in ysp)
        ta, tb = _tokens_hit(text, xsp, words), _tokens_hit(text, ysp, words)
        c.tok_both, c.tok_a_only, c.tok_b_only = len(ta & tb), len(ta - tb), len(tb - ta)
        c.tok_none = len(words) - len(ta | tb)
        # Exact matches pair first so a nested quote does not steal its twin's partner.
        pairs, used_a, used_b = [], set(), set()
        by_span = collections.defaultdict(list)
        for j, sp in enumerate(ysp):
            by_span[sp].append(j)
        for i, sp in enumerate(xsp):
            if by_span.get(sp):
                j = by_span[sp].pop(0)
                pairs.append((i, j))
                used_a.add(i)
                used_b.add(j)
        rest = _greedy_pairs([xsp[i] for i in range(len(xs)) if i not in used_a],
                             [ysp[j] for j in range(len(ys)) if j not in used_b])
        left_a = [i for i in range(len(xs)) if i not in used_a]
        left_b = [j for j in range(len(ys)) if j not in used_b]
        for _, i, j in rest:
            pairs.append((left_a[i], left_b[j]))
            used_a.add(left_a[i])
            used_b.add(left_b[j])
        for i, j in sorted(pairs):
            x, y = xs[i], ys[j]
            diffs = []
            if (x.start, x.end) != (y.start, y.end):
                diffs.append("boundaries differ")
            if kind == "quote":
                cmp.matched_quotes += 1
                if x.type == y.type:
                    cmp.type_same += 1
                else:
                    diffs.append(f"type differs: {x.type} vs {y.type}")
                an, asp = _quote_speaker(a, x)
                bn, bsp = _quote_speaker(b, y)
                if speaker_matches(an, asp, bn, bsp):
                    cmp.speaker_same += 1
                else:
                    diffs.append(f"speaker differs: {an or 'none'} vs {bn or 'none'}")
            if diffs:
                cmp.disagreements.append(Disagreement(a.id, kind, (x.start, x.end), (y.start, y.end),
                                                      "; ".join(diffs), x.id, y.id, text[x.start:x.end]))
        for i in range(len(xs)):
            if i not in used_a:
                x = xs[i]
                cmp.disagreements.append(Disagreement(a.id, kind, (x.start, x.end), None, "only in a", x.id, None,
                                                      text[x.start:x.end]))
        for j in range(len(ys)):
            if j not in used_b:
                y = ys[j]
                cmp.disagreements.append(Disagreement(a.id, kind, None, (y.start, y.end), "only in b", None, y.id,
                                                      text[y.start:y.end]))
    cmp.disagreements.sort(key=lambda d: ((d.a or d.b)[0], KINDS.index(d.kind), d.what))
    return cmp


def _summary(comparisons: dict, missing: int) -> dict:
    totals = {k: KindCounts() for k in KINDS}
    matched = speaker = typed = 0
    disagreements = []
    for c in comparisons.values():
        for k in KINDS:
            totals[k].add(c.counts[k])
        matched += c.matched_quotes
        speaker += c.speaker_same
        typed += c.type_same
        disagreements += [asdict(d) for d in c.disagreements]
    out = {"kind": "agreement", "docs": len(comparisons), "docs_missing_in_b": missing}
    for k in KINDS:
        out[k] = totals[k].summary()
        out[k]["agreement_f1"] = out[k]["exact"]["F1"]
    out["matched_quotes"] = matched
    out["speaker_acc"] = speaker / matched if matched else 0.0
    out["type_acc"] = typed / matched if matched else 0.0
    out["disagreements"] = disagreements
    return out


def compare_corpora(a: dict, b: dict) -> dict:
    """Compare every document of ``a`` (id -> Document) with ``b``'s; a document missing from ``b``
    counts as unannotated there."""
    comps, missing = {}, 0
    for doc_id, da in a.items():
        db = b.get(doc_id)
        if db is None:
            missing += 1
            db = Document(id=da.id, raw=da.raw, article=da.article)
        comps[doc_id] = compare_documents(da, db)
    return _summary(comps, missing)


# -- text report ---------------------------------------------------------------------------------

def format_report(result, max_disagreements: int = 20) -> str:
    """A plain-text report of ``score_quotes`` or ``compare_corpora`` output (or a Comparison)."""
    if isinstance(result, Comparison):
        result = result.summary()
    if result.get("kind") == "agreement":
        return _format_agreement(result, max_disagreements)
    out = ["docs=%d (missing in pred: %d)" % (result["docs"], result["docs_missing_in_pred"]),
           "%-12s %7s %7s %7s %8s %8s" % ("metric", "P", "R", "F1", "n_pred", "n_gold")]
    for k in ("exact", "exact_norm", "overlap", "token", "e2e_overlap", "e2e_exact"):
        m = result[k]
        out.append("%-12s %7.3f %7.3f %7.3f %8d %8d" % (k, m["P"], m["R"], m["F1"], m["n_pred"], m["n_gold"]))
    out.append("speaker attr_acc=%.3f (n=%d matched pairs with gold speaker)  null_acc=%.3f (n=%d)" % (
        result["attr_acc"], result["attr_n"], result["null_acc"], result["null_n"]))
    out.append("recall by gold type: " + "; ".join(
        "%s n=%d ovR=%.3f exR=%.3f" % (t, v["n"], v["overlap_R"], v["exact_norm_R"])
        for t, v in result["by_type_recall"].items()))
    return "\n".join(out)


def _format_agreement(res: dict, limit: int) -> str:
    out = [f"docs={res['docs']} (missing in b: {res['docs_missing_in_b']})  a = reference, b = compared",
           "%-8s %-8s %7s %7s %7s %6s %6s %8s" % ("span", "match", "P", "R", "F1", "n_a", "n_b", "kappa")]
    for k in KINDS:
        r = res[k]
        for m in ("exact", "overlap"):
            x = r[m]
            out.append("%-8s %-8s %7.3f %7.3f %7.3f %6d %6d %8s" % (
                k if m == "exact" else "", m, x["P"], x["R"], x["F1"], x["n_gold"], x["n_pred"],
                "%.3f" % r["token_kappa"] if m == "exact" else ""))
    out.append("matched quotes %d: speaker agrees %.3f, type agrees %.3f" % (
        res["matched_quotes"], res["speaker_acc"], res["type_acc"]))
    dis = res["disagreements"]
    out.append(f"disagreements: {len(dis)}")
    for d in dis[:limit]:
        span = d["a"] or d["b"]
        words = " ".join(d["text"].split())
        out.append(f"  {d['doc_id']} {d['kind']} {span[0]}-{span[1]} {d['what']}: "
                   f"{words[:60]}{'...' if len(words) > 60 else ''}")
    if len(dis) > limit:
        out.append(f"  ... and {len(dis) - limit} more")
    return "\n".join(out)
