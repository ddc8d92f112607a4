"""The Textual front end. Imported only on the TUI path: nothing outside `tui/` imports it.

`app.make_app` builds the App (used by the CLI and the tests); `app.run_app` runs it.
"""
