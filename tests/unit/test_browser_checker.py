"""How the browser check reads Chromium's log: script failures and console lines fail, chatter does not."""

from __future__ import annotations

from tests.browser import console_errors

LOG = """\
[1:1:1205/174413.075966:WARNING:ui/base/idle/idle_linux.cc:111] No D-Bus service could be used.
[1:1:1205/174413.534558:INFO:CONSOLE:1] "Uncaught Error: x", source: file:///tmp/broken.html (1)
[1:1:1205/174413.534597:INFO:CONSOLE:1] "bad", source: file:///tmp/broken.html (1)
[1:1:1205/174413.600000:ERROR:CONSOLE(3)] "Uncaught TypeError: y", source: file:///tmp/b.html (3)
"""


def test_console_lines_and_uncaught_exceptions_are_errors_and_browser_chatter_is_not() -> None:
    found = console_errors(LOG)
    assert len(found) == 3
    assert '"Uncaught Error: x"' in found[0]
    assert "D-Bus" not in "".join(found)
    assert console_errors("[1:1:1205/1.0:WARNING:sandbox_linux.cc:405] InitializeSandbox()\n") == []
