"""Attribution of novels and dialogue on invented text: hard-wrapped lines, unattributed turns, alternating speakers."""
from quotedesk.core.attribution import attribute_text

from .quote_checks import quotes

WRAPPED = (
    "The rain had not stopped since the ferry left the quay, and the deck was\n"
    "slick under their boots when the captain came up from below.\n"
    "\n"
    "\"We will not make the harbour before dark,\" said Mara Voss, \"and the\n"
    "pilot boat will not come out for us in this weather.\"\n"
    "\n"
    "Her mate looked at the sky and said nothing for a long time, then went\n"
    "down to tell the passengers.\n"
    "\n"
    "The lamps were lit along the rail one by one as the light went, and the\n"
    "gulls followed the wake until the last of the coast was gone.\n"
)


def test_a_quotation_wrapped_over_two_lines_is_one_quote():
    doc = attribute_text(WRAPPED)
    direct = [(t, s) for ty, t, s in quotes(doc) if ty == "direct"]
    assert direct == [("We will not make the harbour before dark,", "Mara Voss"),
                      ("and the\npilot boat will not come out for us in this weather.", "Mara Voss")], quotes(doc)
