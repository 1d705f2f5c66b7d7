"""What the attribution tests look at in a document: its quotes as tuples, and the one quote of a type."""


def quotes(doc):
    """(type, text, speaker) of every quote in text order: a readable failure message."""
    return [(q.type, doc.span_text(q), doc.speaker_name(q)) for q in doc.sorted_quotes()]


def quotes_with_cues(doc):
    """(type, text, speaker, cue text) of every quote in text order."""
    return [(q.type, doc.span_text(q), doc.speaker_name(q),
             doc.span_text(doc.cues[q.cue]) if q.cue else None) for q in doc.sorted_quotes()]


def of_type(doc, type_):
    return [q for q in doc.sorted_quotes() if q.type == type_]


def only_of(doc, type_):
    """The document's one quote of ``type_``; fails, listing the quotes, if there is not exactly one."""
    found = of_type(doc, type_)
    assert len(found) == 1, quotes(doc)
    return found[0]


def speaker_of_only(doc, type_):
    return doc.speaker_name(only_of(doc, type_))
