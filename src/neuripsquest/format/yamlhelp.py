"""Plain words for the YAML mistakes writers make, at the line they have to change.

PyYAML reports where its grammar gave up, in parser words: a missing colon shows up on the
next scene's line, an unclosed quote at the end of the file. Each diagnosis here reads the
text around that place for one typical mistake, and all but the certain ones are confirmed
by mending the text the way the message says and parsing it again: a hint is given only
when that mend gets the parser past the place where it failed. When no diagnosis fits,
`explain` answers None and the caller keeps PyYAML's own message.
"""

from __future__ import annotations

import re

import yaml

from neuripsquest.problems import plural

# How far back to look for the line a mistake is on, how many mends to try, and how many
# characters they may parse in all: mending means parsing again (the pure parser reads about
# half a million characters a second), so a huge file gets fewer mends, or only the hints
# that need none.
_LOOK_BACK = 60
_MAX_MENDS = 12
_MEND_CHARS = 1_000_000
_MAX_SHIFT = 2  # a line indented further off than this was not meant for its neighbours
_CLEAR = 2  # lines a mended text must parse past the failure before another may come
_AFTER = 20  # lines after the failure that a mend parses: enough to tell it got past

_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what PyYAML counts as a new line
_KEY_LINE = re.compile(r"( *)((?:- +)*)([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]|$)")
_ITEM_LINE = re.compile(r"( *)- ")
_BARE_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]+(\S.*?)\s*$")
_OPENS_QUOTE = re.compile(r" *(?:- +)*(?:[^\s:#'\"][^:#]*?:[ \t]+)?([\"'])")
# Both parsers' words for "the next line does not fit the block it is in".
_STRUCTURE = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "expected <block end>",
    "mapping values are not allowed",
)

Found = tuple[int, int, str]


def explain(text: str, exc: yaml.MarkedYAMLError, loader: type) -> Found | None:
    """(line, column, message) naming the writer's mistake, or None when no diagnosis fits."""
    if exc.problem_mark is None:
        return None
    src = _Source(text, exc, exc.problem_mark, loader)
    for diagnose in (
        _tab,
        _quote_to_the_end,
        _missing_colon,
        _colon_in_text,
        _quote_runs_on,
        _indentation,
    ):
        found = diagnose(src)
        if found is not None:
            line, col, message = found
            return line, col, f"YAML: {message}"
    return None


def known_keys() -> frozenset[str]:
    """Every key the world and playthrough formats define (only asked once a file has failed to
    parse, so importing the models then costs nothing on a clean start)."""
    from neuripsquest.format.validate import known_keys as keys

    return frozenset(keys())


# What one item of each list-valued key is called, for the message when it is not a list.
_ITEM_NAMES = {
    "choices": "choice",
    "do": "effect",
    "random": "outcome",
    "extra": "extra text",
    "outcomes": "outcome",
    "flags_exactly": "flag",
    "items_exactly": "item",
}


def not_a_list(field: str, error_type: str) -> str | None:
    """The message for a list-valued key written as a mapping (or a single value), which
    pydantic words as "Input should be a valid list"; None for any other error."""
    item = _ITEM_NAMES.get(field)
    if item is None or error_type != "list_type":
        return None
    return f"`{field}` is a list: start each {item} with `- `"


class _Source:
    """The failed text as lines (numbered from 1, as PyYAML's marks are once shifted), where
    the parser stopped, and a way to ask whether a mended copy parses further."""

    def __init__(self, text: str, exc: yaml.MarkedYAMLError, mark: yaml.Mark, loader: type):
        self.lines = _BREAKS.split(text)
        self.line, self.col = mark.line + 1, mark.column + 1
        ctx = exc.context_mark
        self.context_at = (ctx.line + 1, ctx.column + 1) if ctx else None
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        self.loader = loader
        self.mends = _MAX_MENDS
        self.chars = _MEND_CHARS

    def text(self, n: int) -> str:
        return self.lines[n - 1] if 0 < n <= len(self.lines) else ""

    def mended(self, changes: dict[int, str]) -> bool:
        """Whether the text with these lines replaced parses past the line it failed on.

        Line numbers stay the same, so a later failure is another mistake further down."""
        lines = list(self.lines[: self.line + _CLEAR + _AFTER])
        for n, new in changes.items():
            if n <= len(lines):
                lines[n - 1] = new
        text = "\n".join(lines)
        if self.mends <= 0 or len(text) > self.chars:
            return False
        self.mends -= 1
        self.chars -= len(text)
        try:
            for _ in yaml.parse(text, Loader=self.loader):
                pass
        except yaml.MarkedYAMLError as exc:
            # A fix of the wrong line often gets the parser a line further before it fails
            # again: count only a failure well below, as another mistake.
            return exc.problem_mark is not None and exc.problem_mark.line + 1 > self.line + _CLEAR
        except (yaml.YAMLError, RecursionError):
            return False
        return True

    def neighbour_columns(self, n: int, item: bool) -> list[int]:
        """Where the lines near `n` put their list items (`item`) or their keys: the lines
        above first, nearest first, then the lines below."""
        out: list[int] = []
        above = range(n - 1, max(n - _LOOK_BACK, 0), -1)
        below = range(n + 1, min(n + _LOOK_BACK, len(self.lines)) + 1)
        for side in (above, below):
            found = 0
            for k in side:
                dash, key = _columns(self.text(k))
                col = dash if item else key
                if col is not None and col not in out:
                    out.append(col)
                    found += 1
                    if found == 2:
                        break
        return out


def _columns(line: str) -> tuple[int | None, int | None]:
    """Where a line's list item dash and its (known) key start, where it has them."""
    m = _KEY_LINE.match(line)
    if m:
        dash = len(m.group(1)) if m.group(2) else None
        key = len(m.group(1)) + len(m.group(2)) if m.group(3) in known_keys() else None
        return dash, key
    m = _ITEM_LINE.match(line)
    return (len(m.group(1)) if m else None), None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(n: int) -> str:
    return plural(n, "space")


def _short(value: str, limit: int = 30) -> str:
    return value if len(value) <= limit else value[: limit - 3].rstrip() + "..."


# ------------------------------------------------------------------ the diagnoses


def _tab(src: _Source) -> Found | None:
    """A tab in the indentation of the line the parser stopped on: always a mistake in YAML."""
    line = src.text(src.line)
    rest = line.lstrip(" \t")
    lead = line[: len(line) - len(rest)]
    if "\t" not in lead:
        return None
    message = "this line is indented with a tab; YAML indents with spaces, not tabs"
    for width in src.neighbour_columns(src.line, item=rest.startswith("- ")):
        if src.mended({src.line: " " * width + rest}):
            message += f" (the lines around it use {_spaces(width)})"
            break
    return src.line, lead.index("\t") + 1, message


def _quote_to_the_end(src: _Source) -> Found | None:
    """A quoted text still open when the file ends: the parser names where it opened."""
    if src.context != "while scanning a quoted scalar" or "end of stream" not in src.problem:
        return None
    if src.context_at is None:
        return None
    line, col = src.context_at
    quote = src.text(line)[col - 1 : col] or '"'
    return line, col, f"this quote is never closed: end the text with `{quote}`"


def _missing_colon(src: _Source) -> Found | None:
    """`goto taco_cook`: a line that had to be `key: value`. The parser fails only at the next
    line, having read the whole line as a key still waiting for its colon. Prose that goes on
    at its key's indentation fails the same way; when either mend would do, both are said."""
    if "expected ':'" not in src.problem or src.context_at is None:
        return None
    line, col = src.context_at
    text = src.text(line)
    m = _BARE_KEY.fullmatch(text[col - 1 :])
    if m is not None and m.group(1) not in known_keys():
        m = None
    if m is not None and not src.mended({line: text[: col - 1] + "{}: {}".format(*m.groups())}):
        m = None
    above = _continues(src, line, col)
    if m is not None:
        key, value = m.groups()
        write = f"write `{key}: {_short(value)}`"
        if above is None:
            return line, col, f"`{key}` needs a colon after it: {write}"
        return (
            line,
            col,
            (
                f"this line has no colon: if `{key}` is a key, {write}; if it goes on with the "
                f"text of `{above}`, indent it more or use `|`"
            ),
        )
    if above is not None:
        return (
            line,
            col,
            f"this line goes on with the text of `{above}`: indent it more, or use `|`",
        )
    return None


def _colon_mend(src: _Source, line: int, col: int, key: str, value: str) -> Found | None:
    text = src.text(line)
    if not src.mended({line: text[: col - 1] + f"{key}: {value}"}):
        return None
    return line, col, f"`{key}` needs a colon after it: write `{key}: {_short(value)}`"


def _continues(src: _Source, line: int, col: int) -> str | None:
    """The key whose prose this line goes on with, at that key's indentation (which YAML reads
    as a new key), if indenting the line further mends the file."""
    if len(src.text(line)[col - 1 :].split()) < 3:
        return None  # more likely a key and its value than words
    above = src.text(_previous_filled(src, line))
    m = _KEY_LINE.match(above)
    if m is None or len(m.group(1)) + len(m.group(2)) != col - 1:
        return None
    if len(above[m.end() :].split()) < 2:
        return None
    if not src.mended({line: "  " + src.text(line)}):
        return None
    return m.group(3)


def _previous_filled(src: _Source, n: int) -> int:
    for k in range(n - 1, 0, -1):
        if src.text(k).strip():
            return k
    return 0


def _colon_in_text(src: _Source) -> Found | None:
    """`text: Note: the bar is closed`: a colon and a space inside unquoted prose start a key."""
    if not src.problem.startswith("mapping values are not allowed"):
        return None
    text = src.text(src.line)
    before = text[: src.col - 1]
    if text[src.col - 1 : src.col] != ":":
        return None
    body = before.lstrip(" ").lstrip("- ")
    # A lone word before the colon is a key on a wrongly indented line, not prose.
    if not re.match(r"[^\s:#]+:[ \t]", body) and not re.search(r"\S\s+\S", body):
        return None
    if not src.mended({src.line: before + "," + text[src.col :]}):
        return None
    message = "a colon followed by a space starts a key, so plain text cannot hold one"
    return src.line, src.col, f"{message}: quote this text or use `|`"


def _quote_runs_on(src: _Source) -> Found | None:
    """A quote left open on its line closes at the next quote in the file, however far down;
    the parser fails just after that. Close it where it opened and see that this is all."""
    tried = 0
    for n in range(src.line - 1, max(src.line - 4 * _LOOK_BACK, 0), -1):
        text = src.text(n)
        m = _OPENS_QUOTE.match(text)
        if m is None or _closed(text[m.end() :], m.group(1)):
            continue
        quote = m.group(1)
        if src.mended({n: text.rstrip() + quote}):
            message = (
                f"this quote is not closed on its line, so the text runs on to line {src.line}"
            )
            return n, m.start(1) + 1, f"{message}: end it with `{quote}`"
        tried += 1
        if tried == 2:
            break
    return None


def _closed(rest: str, quote: str) -> bool:
    """Whether a quoted text whose opening quote came just before `rest` ends on this line."""
    if quote == "'":
        return "'" in rest.replace("''", "")
    return '"' in re.sub(r"\\.", "", rest)


def _indentation(src: _Source) -> Found | None:
    """A key or list item indented a space or two off from the lines it belongs with. The
    parser often fails only on the line after such a line, or after a `- key value` that
    lacks its colon, so the line above is tried first."""
    if not src.problem.startswith(_STRUCTURE):
        return None
    above = next((k for k in range(src.line - 1, 0, -1) if _is_structure(src.text(k))), 0)
    for n in (above, src.line):
        if n == 0:
            continue
        text = src.text(n)
        m = _BARE_KEY.fullmatch(text.lstrip(" -"))
        if m and m.group(1) in known_keys():
            col = len(text) - len(text.lstrip(" -")) + 1
            found = _colon_mend(src, n, col, m.group(1), m.group(2))
            if found is not None:
                return found
        found = _misaligned(src, n)
        if found is not None:
            return found
    return None


def _is_structure(line: str) -> bool:
    return _ITEM_LINE.match(line) is not None or _KEY_LINE.match(line) is not None


def _misaligned(src: _Source, n: int) -> Found | None:
    text = src.text(n)
    own = _indent(text)
    item = text[own:].startswith("- ")
    if not item and _columns(text)[1] is None:
        return None
    for width in src.neighbour_columns(n, item):
        shift = width - own
        if shift == 0 or abs(shift) > _MAX_SHIFT:
            continue
        # The line alone, or with the lines nested under it (deeper than where it is and
        # where it goes): a slip of one line, or a block pasted at the wrong depth.
        block = [n]
        for k in range(n + 1, len(src.lines) + 1):
            line = src.text(k)
            if line.strip() and _indent(line) <= max(own, width):
                break
            if line.strip():
                block.append(k)
        for lines in ([n], block) if len(block) > 1 else ([n],):
            if src.mended({k: _shifted(src.text(k), shift) for k in lines}):
                message = f"this line is indented {_spaces(own)}; its neighbours use {width}"
                return n, own + 1, message
    return None


def _shifted(line: str, shift: int) -> str:
    return " " * shift + line if shift > 0 else line[min(-shift, _indent(line)) :]
