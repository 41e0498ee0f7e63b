"""The agreement's comment threads in the redline's margin, as Word shows them (ooxml.comments)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from docx.document import Document as DocxDocument
from flask_babel import gettext as _

from ..ooxml.comments import WordComment, add_comment_thread
from ..ooxml.tracked import AnnotationIds
from .records import CommentThread


def add_comment_threads(document: DocxDocument, ids: AnnotationIds, threads: Sequence[CommentThread],
                        clause_text: Mapping[str, tuple[object, object]], title, direction: str = "ltr") -> None:
    """Write each thread as Word comments, anchored on its clause's text.

    `clause_text` maps a clause key to the first and last `w:p` element of that clause's
    text (not its heading); a thread on the whole agreement goes on the `title` paragraph.
    A thread on a clause neither revision has is kept, on the title, its first comment
    saying which clause it was on. `direction` is the document's ("ltr" or "rtl").
    """
    for thread in threads:
        comments = [WordComment(c.author, c.at, c.text) for c in thread.comments]
        if not comments:
            continue
        anchor = clause_text.get(thread.clause_key) if thread.clause_key is not None else (title, title)
        if anchor is None:
            first = comments[0]
            comments[0] = WordComment(first.author, first.at, _("On a clause no longer in the agreement (%(clause)s): "
                                                                "%(text)s", clause=thread.clause_key, text=first.text))
            anchor = (title, title)
        add_comment_thread(document, ids, anchor[0], anchor[1], comments, resolved=thread.resolved,
                           direction=direction)
