"""`neuripsquest serve`: the Textual game in a browser, one child process per visitor.

`visitors` names each visitor's saves folder from the id their browser keeps; `games` runs and
bounds the child processes; `server` is the web service (aiohttp, with textual-serve's browser
terminal). aiohttp and textual-serve are imported here and nowhere else (pyproject.toml's
import-linter contract).
"""
