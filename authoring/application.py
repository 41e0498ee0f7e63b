"""The application class: a Flask app that can finish setting itself up on first use.

`create_app` may hand the expensive part of the setup (extensions, blueprints, the API, error
pages, template helpers, the clause library) to `defer_setup`; it then runs once, in whichever
thread first needs it, before:
- any request (`request_context`: the WSGI entry, `test_request_context`, the test client);
- any use of what the setup fills in: `url_map`, `view_functions`, `extensions` (the database
  session, Babel, the clause library), `jinja_env`;
- `flask shell` (`make_shell_context`), so the shell's `app` is complete;
- anything more added to the app (every Flask setup method: `register_blueprint`, `route`,
  `errorhandler`, ...), so what a caller adds comes after the app's own, as it would have;
- any command of the app's CLI (cli.register_commands).
Listing the CLI's commands (`flask --help`) needs none of these, so it does not set the app up.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask


def _finishes_setup(name: str) -> property:
    """An attribute Flask sets in its __init__ (kept as `_<name>`) whose every read finishes the setup first."""
    stored = f"_{name}"

    def read(app: "Accord") -> Any:
        app.finish_setup()
        return getattr(app, stored)

    def write(app: "Accord", value: Any) -> None:
        setattr(app, stored, value)

    return property(read, write)


class Accord(Flask):
    """A Flask app whose setup may be deferred to its first use (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Before Flask's own __init__, which already uses the attributes below.
        self._deferred_setup: Callable[[Flask], None] | None = None
        self._setup_failure: Exception | None = None
        self._setting_up = False
        self._setup_lock = threading.RLock()  # re-entered by the setup itself, which uses the attributes below
        super().__init__(*args, **kwargs)

    def defer_setup(self, setup: Callable[[Flask], None]) -> None:
        """Run `setup(self)` on first use instead of now."""
        self._deferred_setup = setup

    @property
    def setup_finished(self) -> bool:
        """False while a deferred setup has not run."""
        return self._deferred_setup is None

    def finish_setup(self) -> None:
        """Run the deferred setup if it has not run; at most once, however many threads ask."""
        if self._deferred_setup is None:
            return
        with self._setup_lock:
            if self._setup_failure is not None:
                # Half set up: every later use fails, naming the first failure (a fresh error each time,
                # so the stored one's traceback does not grow with every request).
                raise RuntimeError("The app's setup failed; fix the cause and restart it.") from self._setup_failure
            setup = self._deferred_setup
            if setup is None or self._setting_up:
                return
            self._setting_up = True
            try:
                setup(self)
            except Exception as failure:
                self._setup_failure = failure
                raise
            finally:
                self._setting_up = False
            self._deferred_setup = None

    # What the setup fills in: using it finishes the setup first.
    url_map = _finishes_setup("url_map")
    view_functions = _finishes_setup("view_functions")
    extensions = _finishes_setup("extensions")

    @property
    def jinja_env(self):
        self.finish_setup()
        return super().jinja_env

    @property
    def debug(self) -> bool:
        return super().debug

    @debug.setter
    def debug(self, value: bool) -> None:
        # Flask's setter would create the Jinja environment (to set auto_reload), and so the whole app:
        # `flask` sets debug on every app it loads, `--help` included. An environment created later
        # reads the setting from the config.
        self.config["DEBUG"] = value
        if "jinja_env" in self.__dict__ and self.config["TEMPLATES_AUTO_RELOAD"] is None:
            self.__dict__["jinja_env"].auto_reload = value

    def make_shell_context(self) -> dict:
        self.finish_setup()
        return super().make_shell_context()

    def request_context(self, environ: dict):
        self.finish_setup()
        return super().request_context(environ)

    def _check_setup_finished(self, f_name: str) -> None:
        # Flask calls this from every setup method (route, register_blueprint, errorhandler, ...).
        self.finish_setup()
        super()._check_setup_finished(f_name)
