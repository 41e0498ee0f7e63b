"""Accept All and Reject All in LibreOffice, run by tests/libreoffice_review.py under the system python.

Debian's python3-uno serves /usr/bin/python3 only, so this script is not imported by the
tests: it runs in a subprocess, reads a JSON request on stdin

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
    """The desktop of the LibreOffice listening on `pipe`, waiting for it to start."""
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
    return desktop, dispatcher


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
        desktop, dispatcher = _connect(pipe, process, deadline)
        results = []
        for index, path in enumerate(request["files"]):
            if time.monotonic() > deadline:
                raise SystemExit(f"out of time before {path}")
            if not os.path.isfile(path):
                raise SystemExit(f"no such file: {path}")
            copy = shutil.copyfile(path, os.path.join(copies, f"{index}{os.path.splitext(path)[1]}"))
            try:
                results.append(review(desktop, dispatcher, copy))
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
