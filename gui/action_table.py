"""The window's commands: menu, label, shortcuts and the window method each one calls (one table)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionSpec:
    name: str  # also the method called: "do_<name>" of the window, or of its corpus glue
    menu: str
    text: str
    keys: tuple[str, ...] = ()
    tip: str = ""
    owner: str = "window"  # "window": ReviewWindow; "corpus": gui.corpus_mode.CorpusMode (enables its own)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "File", "&Open…", ("Ctrl+O",)),
    ActionSpec("open_corpus", "File", "Open c&orpus…", ("Ctrl+Shift+O",),
               "A folder of pages or a .jsonl file; reopening resumes at the last document", owner="corpus"),
    ActionSpec("paste_page", "File", "New from &clipboard", ("Ctrl+Shift+V",),
               "A new document from the page text on the clipboard"),
    ActionSpec("recover", "File", "Recover &unsaved document…", (),
               "Reopen the autosave of a pasted or dropped page that was never saved"),
    ActionSpec("save", "File", "&Save", ("Ctrl+S",)),
    ActionSpec("save_as", "File", "Save &as…", ("Ctrl+Shift+S",)),
    ActionSpec("export_document", "File", "&Export this document…", ("Ctrl+E",),
               "JSONL, brat, Label Studio annotations or predictions, CSV", owner="corpus"),
    ActionSpec("export_corpus", "File", "Export the &whole corpus…", ("Ctrl+Shift+E",),
               "Every annotated document of the corpus (unsaved edits included)", owner="corpus"),
    ActionSpec("import", "File", "&Import…", ("Ctrl+I",),
               "Annotations from JSONL, brat, Label Studio or CSV: into the corpus documents of the same "
               "id and text, or as a new document", owner="corpus"),
    ActionSpec("close_window", "File", "&Close", ("Ctrl+W",)),
    ActionSpec("quit", "File", "&Quit", ("Ctrl+Q",)),

    ActionSpec("mark_quote", "Annotate", "Mark selection as &quote", ("Q",)),
    ActionSpec("add_fragment", "Annotate", "Add selection as a &fragment of the quote", ("Shift+Return", "Shift+Enter"),
               "A discontinuous quote: the selected text joins the selected quote's group, same speaker and cue"),
    ActionSpec("mark_mention", "Annotate", "Mark selection as &speaker mention", ("S",),
               "Also links the selected quote when it has no speaker"),
    ActionSpec("mark_cue", "Annotate", "Mark selection as &cue", ("C",),
               "Also becomes the selected quote's cue"),
    ActionSpec("cycle_type", "Annotate", "Cycle quote &type", ("T",),
               "direct → mixed → indirect → unknown"),
    ActionSpec("link_mode", "Annotate", "&Link quote: click a speaker mention", ("L",),
               "Then click a mention; Esc cancels"),
    ActionSpec("link_entity", "Annotate", "Link quote to speaker from &list…", ("Shift+L",)),
    ActionSpec("accept", "Annotate", "&Accept suggestion", ("Return", "Enter")),
    ActionSpec("reject_or_delete", "Annotate", "&Reject suggestion / delete span", ("Delete",)),
    ActionSpec("delete_span", "Annotate", "&Delete selected span", ("Shift+Delete",)),
    ActionSpec("accept_all", "Annotate", "Accept a&ll suggestions", ("Ctrl+Shift+Return",)),
    ActionSpec("mark_done", "Annotate", "Mark document &reviewed", ("Ctrl+End",)),
    ActionSpec("cancel", "Annotate", "Cancel link mode / clear selection", ("Esc",)),

    ActionSpec("start_left", "Boundaries", "Start one word left", ("Alt+Left",)),
    ActionSpec("start_right", "Boundaries", "Start one word right", ("Alt+Right",)),
    ActionSpec("end_left", "Boundaries", "End one word left", ("Alt+Shift+Left",)),
    ActionSpec("end_right", "Boundaries", "End one word right", ("Alt+Shift+Right",)),
    ActionSpec("start_left_char", "Boundaries", "Start one character left", ("Ctrl+Alt+Left",)),
    ActionSpec("start_right_char", "Boundaries", "Start one character right", ("Ctrl+Alt+Right",)),
    ActionSpec("end_left_char", "Boundaries", "End one character left", ("Ctrl+Alt+Shift+Left",)),
    ActionSpec("end_right_char", "Boundaries", "End one character right", ("Ctrl+Alt+Shift+Right",)),
    ActionSpec("set_start_here", "Boundaries", "Set start at cursor", ("[",)),
    ActionSpec("set_end_here", "Boundaries", "Set end at cursor", ("]",)),

    ActionSpec("next_quote", "Go", "&Next quote", ("N", "Tab", "Shift+Right")),
    ActionSpec("previous_quote", "Go", "&Previous quote", ("P", "Shift+Tab", "Shift+Left")),
    ActionSpec("next_least_confident", "Go", "Next least &confident unreviewed quote", ("U",),
               "The suggestions most likely wrong first: unreviewed quotes in order of confidence"),

    ActionSpec("next_unreviewed", "Corpus", "&Next unreviewed document", ("Shift+PgDown",),
               "Saves this document into the corpus and opens the next one not yet reviewed", owner="corpus"),
    ActionSpec("preannotate", "Corpus", "&Pre-annotate all", (),
               "Machine suggestions for every new document; a person's work is never touched", owner="corpus"),
    ActionSpec("cancel_preannotate", "Corpus", "&Cancel pre-annotation", (),
               "Stop; the documents already done are kept", owner="corpus"),

    ActionSpec("rename_entity", "Speakers", "&Rename speaker…", ("F2",)),
    ActionSpec("merge_entity", "Speakers", "&Merge speaker into…", ("Ctrl+M",)),
    ActionSpec("split_entity", "Speakers", "&Split mentions off…", ()),

    ActionSpec("compare", "Tools", "&Compare with…", ("Ctrl+Shift+C",),
               "Agreement with another annotation set; double-click a disagreement to jump to it",
               owner="corpus"),

    ActionSpec("preferences", "View", "&Preferences…", ("Ctrl+,",)),

    ActionSpec("shortcuts", "Help", "&Keyboard shortcuts", ("F1",)),
)

HELP_NOTES = (
    "Select text in the article, then Q, S or C to mark it; or right-click for the same actions.",
    "Without a mouse: arrows move the caret, Ctrl+Shift+Left/Right and Shift+Home/End select text.",
    "Drag either end of the selected span with the mouse (the pointer turns into ↔ near it).",
    "Boundaries: Alt moves the start, Alt+Shift the end, by a word; add Ctrl to move by one character.",
    "Quote types are told apart by underline: direct solid, mixed dashed, indirect dotted, unknown wavy.",
    "Machine suggestions are pale; accepted or human quotes are tinted strongly.",
    "Quotes without a speaker (unattributed) are hatched grey; the Quotes panel can list only them.",
    "Double-click selects a word (inside a suggestion too); Delete or Ctrl+double-click rejects a suggestion.",
    "Q, S and C take whole words: a selection ending inside a word is widened to it; hold Alt while "
    "selecting with the mouse to keep the exact characters.",
    "In a corpus, moving to another document (Shift+PgDn, the list) saves this one into the corpus first.",
)
