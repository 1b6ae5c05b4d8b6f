"""How the command line words the next step of a refusal (the desktop app words them in gui/wording.py)."""

from __future__ import annotations

from opensel_desktop.app.errors import Next, register_words

WORDS = {
    Next.FINISH_SECOND_ENTRY: "finish its second entry with `opensel enter --second` and resolve each difference "
                              "with `opensel diff`.",
    Next.RESOLVE_MISMATCHES: "compare the two entries with `opensel diff` and resolve each difference.",
    Next.RECORD_ACCOUNT_OR_OVERRIDE: "record the figures with `opensel account`, or go ahead with "
                                     "--override-reason REASON.",
    Next.DRAW_LOT: "draw it with `opensel lot` first.",
    Next.COUNT_FIRST: "count it first with `opensel count`.",
    Next.MERGE_OR_OVERRIDE: "merge its batch file with `opensel merge`, or go ahead with --override-reason saying "
                            "why the count goes on without it.",
    Next.AUDIT: "inspect it with `opensel audit`.",
    Next.USE_BACKUP: "use the copy of the saved contest you kept.",
    Next.RECOUNT_LINKED: "a recount now needs a new linked contest (`opensel recount-linked`).",
    Next.GIVE_REASON: "give it with --reason.",
    Next.CORRECT_INSTEAD: "correct it with `opensel enter --correct N` instead of entering it again.",
    Next.WITHDRAW_REJECTION_FIRST: "withdraw that rejection first with `opensel reject --withdraw`.",
    Next.OTHER_TELLER: "the other teller keys it with `opensel enter --second --teller NAME`.",
    Next.GIVE_KEY: "give it with --key OFFICER.key (the passphrase from OPENSEL_PASSPHRASE or a prompt).",
    Next.PIN_KEY: "pin it with `opensel new ... --key OFFICER.key`.",
    Next.OPEN_WRITABLE: "open a writable copy of the file.",
    Next.RESOLVE_BUNDLE: "resolve a difference with `opensel diff --resolve`.",
    Next.ENTER_PAPERS: "enter them with `opensel enter`, and finish the second entry of each batch.",
}

register_words("cli", WORDS)
