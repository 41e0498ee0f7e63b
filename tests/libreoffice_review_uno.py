"""Accept All and Reject All in LibreOffice, or an edit with Track Changes on, run by tests/libreoffice_review.py.

Debian's python3-uno serves /usr/bin/python3 only, so this script is not imported by the
tests: it runs in a subprocess under the system python, reads a JSON request on stdin

    {"soffice": "/usr/bin/soffice", "profile": "/tmp/…", "pipe": "…", "files": ["a.docx", …], "timeout": 120}

starts one headless LibreOffice for the whole batch (in a profile directory of its own,
listening on a private pipe), and for each file writes back, as one JSON list on stdout,

    {"changes": n, "kinds": [RedlineType, …], "accepted": [...], "rejected": [...],
     "left_after_accept": n, "left_after_reject": n}

`changes` counts the document's redlines (XRedlinesSupplier) as loaded; `accepted` and
`rejected` read the body after Edit > Track Changes > Accept All (or Reject All) on a
fresh load of the file. A body reads as tests/docx_review.py's `body_texts` reads a
`w:body`: one string per paragraph, one per table cell (rows in order, a cell's
paragraphs joined with "\\n"), fields as their shown result.

With `"edit": {"author": …, "replace": [[old, new], …], "comment": {"at": text, "text": …} | null,
"targets": ["a-edited.docx", …]}` each file is instead edited as a reviewer would: the user's
name set to `author` (Tools > Options > User Data, which LibreOffice writes as the changes'
author), Edit > Track Changes > Record on, each `old` (found exactly once) replaced by
`new`, the comment put on the text `at`, and the file saved as "MS Word 2007 XML" to its
target (the comment first, so it is no tracked change); the answer per file is
{"changes": n}, the tracked changes listed before saving.

Each file is opened from a copy in the profile directory, so no lock file of
LibreOffice's lands beside it, and none left there by a crash blocks it (a locked file
fails to load headless). A failure is a message on stderr (naming the file, with the end
of LibreOffice's own output) and exit status 1.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

TABLE = "com.sun.star.text.TextTable"


def _property(name: str, value) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe: str, process: subprocess.Popen, deadline: float):
    """The context, desktop and dispatcher of the LibreOffice listening on `pipe`, waiting for it to start."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if process.poll() is not None:
                raise SystemExit(f"LibreOffice exited with status {process.returncode} before accepting a connection")
            if time.monotonic() > deadline:
                raise SystemExit("LibreOffice did not accept a connection in time")
            time.sleep(0.1)
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    return context, desktop, dispatcher


# Every UNO object this script obtains is held here until LibreOffice quits. Dropping one
# makes the bridge release it on a thread of its own, racing the document's main thread:
# LibreOffice 7.4 then aborts now and then (SwX objects' destructors broadcasting without
# the SolarMutex). Nothing is released while the documents are in use, so nothing races.
_held: list = []


def _hold(uno_object):
    _held.append(uno_object)
    return uno_object


def _load(desktop, path: str):
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    # Hidden, no macros, no link updates, no repair dialogue: a reader's view without a window.
    document = _hold(desktop.loadComponentFromURL(url, "_blank", 0, (
        _property("Hidden", True), _property("ReadOnly", False), _property("UpdateDocMode", 0),
        _property("MacroExecutionMode", 0), _property("RepairPackage", False))))
    if document is None or not document.supportsService("com.sun.star.text.TextDocument"):
        raise SystemExit(f"LibreOffice could not open {path} as a text document")
    return document


def _story_texts(text) -> list[str]:
    """A body's (or a cell's) paragraphs and tables in order, read as body_texts reads them."""
    texts: list[str] = []
    enumeration = _hold(text.createEnumeration())
    while enumeration.hasMoreElements():
        element = _hold(enumeration.nextElement())
        if element.supportsService(TABLE):
            texts.extend(_table_texts(element))
        else:
            texts.append(element.getString())  # fields as shown, a line break as "\n", a tab as "\t"
    return texts


def _table_texts(table) -> list[str]:
    """Each cell's text, rows in order (getCellNames lists them so), its paragraphs joined with "\\n"."""
    return ["\n".join(_story_texts(_hold(table.getCellByName(name)))) for name in table.getCellNames()]


def _kinds(document) -> list[str]:
    redlines = _hold(document.getRedlines())
    return [_hold(redlines.getByIndex(i)).getPropertyValue("RedlineType") for i in range(redlines.getCount())]


def _reviewed(desktop, dispatcher, path: str, command: str) -> tuple[list[str], list[str], int]:
    """Load `path`, note its changes, run `command` on it: (kinds before, body after, changes left after).

    The document stays open until LibreOffice quits (see `_held`).
    """
    document = _load(desktop, path)
    kinds = _kinds(document)
    frame = _hold(_hold(document.getCurrentController()).getFrame())
    _hold(dispatcher.executeDispatch(frame, command, "", 0, ()))
    return kinds, _story_texts(_hold(document.getText())), _hold(document.getRedlines()).getCount()


def review(desktop, dispatcher, path: str) -> dict:
    """One file: its tracked changes as loaded, its body after Accept All, and after Reject All on a fresh load."""
    kinds, accepted, left_after_accept = _reviewed(desktop, dispatcher, path, ".uno:AcceptAllTrackedChanges")
    _kinds_again, rejected, left_after_reject = _reviewed(desktop, dispatcher, path, ".uno:RejectAllTrackedChanges")
    return {"changes": len(kinds), "kinds": kinds, "accepted": accepted, "rejected": rejected,
            "left_after_accept": left_after_accept, "left_after_reject": left_after_reject}


def _set_author(context, name: str) -> None:
    """Tools > Options > User Data: the name LibreOffice writes on tracked changes."""
    provider = _hold(context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context))
    data = _hold(provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                      (_property("nodepath", "/org.openoffice.UserProfile/Data"),)))
    data.setPropertyValue("givenname", name)
    data.setPropertyValue("sn", "")
    data.commitChanges()


def _only(document, words: str):
    """A cursor selecting `words` where they stand in a body paragraph; SystemExit unless they stand there once.

    Found by reading the paragraphs: a search descriptor finds nothing in a document
    loaded without a view (LibreOffice 7.4), as the one `edit` works on is.
    """
    body = _hold(document.getText())
    places = []
    enumeration = _hold(body.createEnumeration())
    while enumeration.hasMoreElements():
        paragraph = _hold(enumeration.nextElement())
        if paragraph.supportsService(TABLE):
            continue
        text = paragraph.getString()
        places += [(paragraph, at) for at in range(len(text)) if text.startswith(words, at)]
    if len(places) != 1:
        raise SystemExit(f"{words!r} stands {len(places)} times in the document's paragraphs, not once")
    paragraph, at = places[0]
    cursor = _hold(body.createTextCursorByRange(_at(paragraph, at, ending=False)))
    cursor.gotoRange(_at(paragraph, at + len(words), ending=True), True)
    return cursor


def _at(paragraph, offset: int, ending: bool):
    """The place `offset` characters into the paragraph's string, counted through its text portions.

    A comment's anchor or a field takes a place in the text but reads as no string (or as
    its result), so places and the string's offsets part at each; within a plain text
    portion they agree. A place between portions lies in the one before when `ending`.
    """
    portions = _hold(paragraph.createEnumeration())
    seen = 0
    while portions.hasMoreElements():
        portion = _hold(portions.nextElement())
        length = len(portion.getString())
        inside = seen < offset <= seen + length if ending else seen <= offset < seen + length
        if portion.TextPortionType == "Text" and inside:
            cursor = _hold(_hold(portion.getText()).createTextCursorByRange(_hold(portion.getStart())))
            cursor.goRight(offset - seen, False)
            return cursor
        seen += length
    raise SystemExit(f"no plain text at character {offset} of {paragraph.getString()!r}")


def _now():
    """The time now, in UTC, as a comment's date."""
    now = time.gmtime()
    when = uno.createUnoStruct("com.sun.star.util.DateTime")
    when.Year, when.Month, when.Day, when.Hours, when.Minutes, when.Seconds = now[:6]
    when.IsUTC = True
    return when


def edit(context, path: str, target: str, request: dict) -> dict:
    """Edit `path` as `request` says (its replacements with Track Changes on), save it as DOCX to `target`."""
    _set_author(context, request["author"])
    # The model alone, with no view: a view would lay the new comment out in a sidebar window, built
    # from UI files the headless (-nogui) LibreOffice does not have - it aborts.
    document = _hold(context.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", context))
    document.load((_property("URL", uno.systemPathToFileUrl(os.path.abspath(path))),
                   _property("FilterName", "MS Word 2007 XML"), _property("MacroExecutionMode", 0),
                   _property("UpdateDocMode", 0)))
    comment = request.get("comment")
    if comment:  # a comment is no tracked change (nor is it one in Word): put on before recording starts
        annotation = _hold(document.createInstance("com.sun.star.text.textfield.Annotation"))
        annotation.Author = request["author"]
        annotation.Content = comment["text"]
        annotation.DateTimeValue = _now()
        at = _only(document, comment["at"])
        _hold(at.getText()).insertTextContent(at, annotation, True)  # over the words selected: a range
    document.RecordChanges = True
    for old, new in request["replace"]:
        _only(document, old).setString(new)
    changes = _hold(document.getRedlines()).getCount()
    document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                        (_property("FilterName", "MS Word 2007 XML"),))
    return {"changes": changes}


def main() -> int:
    request = json.load(sys.stdin)
    deadline = time.monotonic() + float(request.get("timeout", 120))
    pipe = request["pipe"]
    copies = os.path.join(request["profile"], "files")
    os.makedirs(copies)
    log = open(os.path.join(request["profile"], "soffice.log"), "wb")  # read by nobody unless it fails
    options = [request["soffice"], "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
               "--nolockcheck", f"-env:UserInstallation={uno.systemPathToFileUrl(request['profile'])}"]
    process = subprocess.Popen(options + [f"--accept=pipe,name={pipe};urp;"],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    desktop = None
    try:
        context, desktop, dispatcher = _connect(pipe, process, deadline)
        edits = request.get("edit")
        results = []
        for index, path in enumerate(request["files"]):
            if time.monotonic() > deadline:
                raise SystemExit(f"out of time before {path}")
            if not os.path.isfile(path):
                raise SystemExit(f"no such file: {path}")
            copy = shutil.copyfile(path, os.path.join(copies, f"{index}{os.path.splitext(path)[1]}"))
            try:
                if edits is None:
                    results.append(review(desktop, dispatcher, copy))
                else:
                    results.append(edit(context, copy, edits["targets"][index], edits))
            except SystemExit as error:
                raise SystemExit(str(error).replace(copy, path)) from None
            except Exception as error:  # a UNO error: say which file, and whether LibreOffice died
                status = process.poll()
                state = "is still running" if status is None else f"exited with status {status}"
                raise SystemExit(f"{path}: {type(error).__name__}: {error} (LibreOffice {state})") from None
    except SystemExit as error:
        log.flush()
        with open(log.name, encoding="utf-8", errors="replace") as written:
            said = written.read()[-2000:].strip()
        raise SystemExit(f"{error}\n{said}" if said else str(error)) from None
    finally:
        if desktop is not None:
            try:
                desktop.terminate()
            except Exception:  # the bridge goes down with LibreOffice: nothing left to ask
                pass
        try:
            process.wait(timeout=max(1.0, min(10.0, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        log.close()
    json.dump(results, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
