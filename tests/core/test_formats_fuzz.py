"""Damaged brat and Label Studio files: a reader's own error naming the place, never another exception."""
import json
import random

from quotedesk.core.formats.brat import BratError, ann_to_document, document_to_ann
from quotedesk.core.formats.labelstudio import LabelStudioError, document_to_task, task_to_document
from tests.core.test_convert_polnear import invented_corpus

CASES = 800  # a second or two; bench-style longer runs: raise it locally
ODD_VALUES = [None, 1, -3, 2.5, "", "x", [], {}, True, [1], {"a": 1}, 84]


def _damage_text(rng, s: str) -> str:
    chars = list(s)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.3 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op < 0.6:
            chars.insert(i, rng.choice("\t\n :;#*TRAE0123456789-x{}\"[],"))
        elif chars:
            chars[min(i, len(chars) - 1)] = rng.choice("\t\n :;T19")
    return "".join(chars)


def _damage_json(rng, x):
    if isinstance(x, dict) and x and rng.random() < 0.7:
        k = rng.choice(list(x))
        x[k] = _damage_json(rng, x[k]) if rng.random() < 0.6 else rng.choice(ODD_VALUES)
    elif isinstance(x, list) and x and rng.random() < 0.7:
        i = rng.randrange(len(x))
        x[i] = _damage_json(rng, x[i]) if rng.random() < 0.6 else rng.choice(ODD_VALUES)
    return x


def test_damaged_ann_files_give_brat_errors():
    rng = random.Random(8)
    docs = invented_corpus()
    anns = [(d.article, document_to_ann(d)) for d in docs]
    refused = 0
    for _ in range(CASES):
        text, ann = rng.choice(anns)
        try:
            ann_to_document("x", text, _damage_text(rng, ann))
        except BratError:
            refused += 1
    assert refused > CASES // 4  # the damage is real, and most of it is noticed


def test_damaged_tasks_give_label_studio_errors():
    rng = random.Random(8)
    tasks = [json.dumps(document_to_task(d, predictions=p)) for d in invented_corpus() for p in (False, True)]
    for _ in range(CASES):
        try:
            task_to_document(_damage_json(rng, json.loads(rng.choice(tasks))))
        except LabelStudioError:
            pass
