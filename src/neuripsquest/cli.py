"""The `neuripsquest` command. Bare, it plays; writers' and CI's commands are subcommands.

Heavy imports wait for the command that needs them: Textual only for the TUI (about 0.25 s),
pydantic and PyYAML only when a world or playthrough must be parsed (the play path usually
reads the validated-world cache instead).
"""

from __future__ import annotations

import argparse
import errno
import gc
import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from neuripsquest.errors import ExitCode

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = ExitCode.OK, ExitCode.PROBLEMS, ExitCode.USAGE
# What textual-serve sets in its children's environment: their standard streams are pipes
# carrying a browser terminal's protocol, so the TUI it is, not plain mode.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"

if TYPE_CHECKING:  # argparse names its subcommand table only privately
    from typing import TypeAlias

    from neuripsquest.core.state import State
    from neuripsquest.core.world import World

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


class _NotOnlyPlay(Exception):
    """The command line is more than the play options: the whole parser must read it."""


class _PlayOnlyParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotOnlyPlay(message)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line, read. Most starts are the game with play options only: those are
    read by a parser of the play options alone, as the whole one would read them (a test
    holds the two to the same answers), since building every subcommand's parser costs more
    than the rest of reading them (about 6 ms, a few per cent of the time to the title)."""
    args = sys.argv[1:] if argv is None else argv
    quick = _PlayOnlyParser(prog="neuripsquest", add_help=False, allow_abbrev=False)
    _play_options(quick)
    try:
        ns, rest = quick.parse_known_args(args)
    except _NotOnlyPlay:  # a mistake: the whole parser words it
        return _parser().parse_args(args)
    if rest:  # a command, --help, an option of a command: the whole parser
        return _parser().parse_args(args)
    ns.command = None
    return ns


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="neuripsquest",
        description="A text adventure set during one week of NeurIPS 2025 in San Diego.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    _add_play_and_check(sub)
    _add_story_checks(sub)
    _add_story_views(sub)
    _add_editor_tools(sub)
    _add_agents(sub)
    _add_serve(sub)
    _play_options(p)
    return p


def _add_play_and_check(sub: Subparsers) -> None:
    play = sub.add_parser("play", help="play the game (the default command)")
    # SUPPRESS: an option given before `play` must not be reset by play's own default
    _play_options(play, default=argparse.SUPPRESS)

    check = sub.add_parser("check", help="report every problem in a world, as file:line:column")
    check.add_argument("world_dir", nargs="?", help="world folder (default: ./world)")


def _add_story_checks(sub: Subparsers) -> None:
    """replay, lint, explore: the tools that fail a build."""
    replay = sub.add_parser("replay", help="run scripted playthroughs headlessly")
    replay.add_argument("files", nargs="+", help="playthrough YAML files")
    replay.add_argument("--world", help="world folder for files that do not name one")
    replay.add_argument(
        "--update",
        action="store_true",
        help="rewrite expectations that no longer hold (after an intended story change), "
        "showing a diff of each change",
    )
    replay.add_argument(
        "--lang",
        default="en",
        help="replay in a translation (e.g. zh-Hant): the same steps must reach the same "
        "scenes, values and endings",
    )

    lint = sub.add_parser(
        "lint", help="check, plus warnings: unreachable scenes, dead ends, unused names, ..."
    )
    lint.add_argument("world_dir", nargs="?", help="world folder (default: ./world)")
    lint.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    lint.add_argument("--format", choices=["text", "json"], default="text")
    lint.add_argument(
        "--ignore", action="append", default=[], metavar="CODE", help="leave out a warning code"
    )

    explore = sub.add_parser(
        "explore", help="play every reachable state: unreachable content, softlocks, endings"
    )
    explore.add_argument("world_dir", nargs="?", help="world folder (default: ./world)")
    explore.add_argument(
        "--max-states",
        type=_positive,
        default=None,
        help="bound on the states walked (default: 200,000)",
    )
    explore.add_argument(
        "--probes",
        type=_count,
        default=None,
        help="random probe runs when the bound is hit (default: 2,000)",
    )
    explore.add_argument("--coverage", action="store_true", help="show states per scene")
    explore.add_argument("--format", choices=["text", "json"], default="text")
    explore.add_argument(
        "--full-keys",
        "--no-reduce",
        dest="full_keys",
        action="store_true",
        help="keep every variable in the memo key (no liveness or counter reductions; slower)",
    )
    explore.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        help="processes to use (default: one per core): when the walk is large, the proof "
        "starts in a second one while the walk goes on; with --full-keys, the walk's worker "
        "processes (only when given; the reduced walk always runs in this process, where it "
        "is fastest)",
    )
    explore.add_argument(
        "--no-proof",
        dest="proof",
        action="store_false",
        help="when the walk stops at its bound, do not try to prove that no softlock is "
        "possible (the proof takes about 5 s on the shipped world, 2 s from a start it learnt)",
    )
    explore.add_argument(
        "--max-abstract",
        type=_positive,
        default=None,
        help="the proof gives up past this many abstract states (default: 150,000; a few GB "
        "of memory at most)",
    )
    explore.add_argument(
        "--require-proof",
        action="store_true",
        help="fail (exit 1) unless the walk is exhaustive or the proof holds",
    )
    explore.add_argument(
        "--save-hints",
        action="store_true",
        help="write what the proof learnt to track into the world folder (.explore-hints.json) "
        "so that runs with no cache yet (a fresh clone, CI) start the proof from it",
    )


def _add_story_views(sub: Subparsers) -> None:
    """randomtest, graph, report: the tools that show a writer the story's shape."""
    rt = sub.add_parser("randomtest", help="many seeded random playthroughs, and what they saw")
    rt.add_argument("world_dir", nargs="?", help="world folder (default: ./world)")
    rt.add_argument("--runs", type=_positive, default=1000, help="how many runs (default: 1000)")
    rt.add_argument("--seed", type=int, default=0, help="seed of all the runs (default: 0)")
    rt.add_argument(
        "--avoid-used",
        action="store_true",
        help="prefer the choices taken least so far (spreads the runs over the story)",
    )
    rt.add_argument(
        "--max-steps", type=_positive, default=1000, help="steps before a run counts as looping"
    )
    rt.add_argument("--format", choices=["text", "json"], default="text")

    graph = sub.add_parser("graph", help="the scene graph, as Mermaid or Graphviz DOT")
    graph.add_argument("world_dir", nargs="?", help="world folder (default: ./world)")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    graph.add_argument("-o", "--output", help="write to this file instead of standard output")

    report = sub.add_parser(
        "report",
        help="one HTML file: the scene graph coloured by random runs' coverage, endings, stats",
        description="Write one self-contained HTML page (it opens from disk, no server): the "
        "scene graph grouped by place, each scene coloured by how many random runs reached it "
        "(as `randomtest` plays them); click a scene for its text, choices and the choices no "
        "run took. Below it: how the runs ended and the stats at each ending.",
    )
    report.add_argument("world_dir", nargs="?", help="world folder (default: ./world)")
    report.add_argument(
        "-o", "--output", default="report.html", help="the page to write (default: report.html)"
    )
    report.add_argument(
        "--runs", type=_positive, default=1000, help="how many random runs (default: 1000)"
    )
    report.add_argument("--seed", type=int, default=0, help="seed of all the runs (default: 0)")


def _add_editor_tools(sub: Subparsers) -> None:
    schema = sub.add_parser("schema", help="JSON Schema of the world files, for editors")
    schema.add_argument(
        "--kind", choices=["world", "scenes", "playthrough"], default="world", help="which file"
    )
    schema.add_argument("--write", metavar="DIR", help="write every schema file into DIR")
    schema.add_argument(
        "--check", metavar="DIR", help="exit 1 if the schema files in DIR are out of date"
    )

    lsp = sub.add_parser(
        "lsp", help="language server for editors, over stdin/stdout (docs/editors.md)"
    )
    lsp.add_argument("--stdio", action="store_true", help="accepted for editors that pass it")

    l10n = sub.add_parser(
        "l10n", help="translations of the world: what is missing or stale; add new strings"
    )
    l10n.add_argument(
        "action",
        choices=["status", "update"],
        help="status: every missing, stale, orphaned or mismatched string, as file:line:column; "
        "update: add new strings to the translation files as TODOs (done work is never touched)",
    )
    l10n.add_argument("lang", help="the language, as its folder under locales/ (e.g. zh-Hant)")
    l10n.add_argument("world_dir", nargs="?", help="world folder (default: ./world)")


def _add_agents(sub: Subparsers) -> None:
    agents = sub.add_parser("agents", help="baseline agents and their scores (docs/agents.md)")
    what = agents.add_subparsers(dest="agents_command", metavar="COMMAND", required=True)
    ev = what.add_parser("eval", help="play episodes with a baseline agent and score them")
    ev.add_argument("--agent", choices=["random", "novelty", "oracle"], default="random")
    ev.add_argument("--goal", default="any", help="industry, hinton, number, any or an ending id")
    ev.add_argument("--episodes", type=_positive, default=20, help="how many (default: 20)")
    ev.add_argument("--seed", type=int, default=0, help="episode i plays seed + i (default: 0)")
    ev.add_argument("--max-steps", type=_positive, default=500, help="steps before giving up")
    ev.add_argument("--world", help="world folder (default: ./world, else the bundled one)")
    ev.add_argument("--format", choices=["text", "json"], default="text")


def _add_serve(sub: Subparsers) -> None:
    serve = sub.add_parser(
        "serve",
        help="play in a browser: a small web service, one game per visitor (docs/serve.md)",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: "
        "127.0.0.1, this machine only; anything else is said loudly)",
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.add_argument("--lang", help="language of the games (passed to each game's `play`)")
    serve.add_argument("--world", help="world folder (default: ./world, else the bundled one)")
    serve.add_argument(
        "--saves",
        metavar="DIR",
        help="folder that holds one folder per "
        "visitor, under visitors/ (default: the saves folder `play` uses)",
    )
    serve.add_argument(
        "--max-games",
        type=_positive,
        default=8,
        help="games at once; beyond it visitors see a 'full' page (default: 8)",
    )
    serve.add_argument(
        "--idle-minutes",
        type=_minutes,
        default=30.0,
        help="a game with no key for this long ends (default: 30)",
    )


def _port(text: str) -> int:
    n = _count(text)
    if n > 65535:
        raise argparse.ArgumentTypeError("a port is at most 65535")
    return n


def _minutes(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of minutes") from None
    if not 0 < n < 1e6:
        raise argparse.ArgumentTypeError("must be more than 0 minutes")
    return n


def _positive(text: str) -> int:
    n = _count(text)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _count(text: str) -> int:
    try:
        n = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return n


def _play_options(p: argparse.ArgumentParser, default: object = None) -> None:
    flag: dict[str, Any] = {} if default is None else {"default": default}
    p.add_argument(
        "--plain", action="store_true", help="line-by-line text mode (accessible)", **flag
    )
    p.add_argument("--world", help="world folder (default: ./world, else the bundled one)", **flag)
    p.add_argument("--seed", type=int, help="random seed (default: a fresh one)", **flag)
    p.add_argument(
        "--saves",
        metavar="DIR",
        help="folder for saves, settings and the endings record (default: $NEURIPSQUEST_SAVES, "
        "else ./saves if it exists, else your user data folder; `help` in the game names it)",
        **flag,
    )
    p.add_argument(
        "--new",
        action="store_true",
        help="start a new game instead of continuing the autosave; the last game stays "
        "loadable as the save 'autosave-previous'",
        **flag,
    )
    p.add_argument(
        "--from",
        dest="from_scene",
        metavar="SCENE",
        help="start a new game at this scene (for writers; implies --new)",
        **flag,
    )
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        metavar="NAME=VALUE",
        help="with --from: a stat (a whole number), flag or item (true/false) to start with, "
        "or day=N / slot=NAME for the clock; repeatable (implies --new)",
        **flag,
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="reload the world when its files change (for writers)",
        **flag,
    )
    p.add_argument(
        "--debug",
        action="store_true",
        help="for writers: see and set every stat, flag, item, visit count and the clock, and "
        "jump to any scene (Shift+D in the game; `debug` commands in --plain). Each change is "
        "an undoable step. Not with --record",
        **flag,
    )
    p.add_argument(
        "--lang",
        metavar="LANG",
        help="the language of the story and the interface: en or zh-Hant (繁體中文); "
        "default: the one chosen in Settings, else the locale (LC_ALL, LC_MESSAGES, LANG: "
        "zh_TW, zh_HK or zh_Hant pick Chinese), else English",
        **flag,
    )
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="for agents: one JSON object per line out, one per line in (docs/agents.md); "
        "no saves are read or written",
        **flag,
    )
    p.add_argument(
        "--record",
        metavar="FILE",
        help="write the session as a playthrough file that `replay` reproduces (implies "
        "--new: a recording starts from the beginning of the game)",
        **flag,
    )


def main(argv: list[str] | None = None) -> int:
    """Run a command; whatever the surroundings (closed or full standard streams, undecodable
    input), the worst outcome is one line on stderr and a nonzero exit, never a traceback."""
    if sys.stdout is None:  # started with `>&-`
        _complain("standard output is closed, so there is nowhere to show anything")
        return EXIT_USAGE
    _tolerant_streams()
    args = _parse(argv)
    playing = args.command in (None, "play")
    if playing and sys.stdin is None:  # started with `<&-`
        _complain("standard input is closed: give the game a terminal, a file or a pipe")
        return EXIT_USAGE
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "replay":
            return _replay(args)
        if args.command in _TOOLS:
            return _TOOLS[args.command](args)
        if getattr(args, "jsonl", False):
            return _play_jsonl(args)
        _tidy_saves(args)
        return _play(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`neuripsquest play --plain | head`): nothing left to say.
        # Point stdout at /dev/null so the interpreter's final flush does not complain.
        _silence_stdout()
        return 0
    except OSError as exc:
        # Saves and the cache handle their own files' errors: one without a file name comes
        # from the standard streams (`> /dev/full`, a disk that filled up, a dead terminal).
        if _stdout_broken() or (exc.filename is None and exc.errno in _OUTPUT_ERRNOS):
            _silence_stdout()
            _complain(f"cannot write to standard output ({exc.strerror or exc})")
        else:
            where = f": {exc.filename}" if exc.filename else ""
            _complain(f"{exc.strerror or exc}{where}")
        return EXIT_PROBLEMS


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _complain(message: str) -> None:
    """One line on stderr, if there is a stderr to write to."""
    try:
        if sys.stderr is not None:
            print(f"neuripsquest: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _tolerant_streams() -> None:
    """Bytes that are not UTF-8 arrive as U+FFFD instead of failing the read, and text the
    terminal cannot encode goes out escaped instead of failing the write."""
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=errors)
            except (OSError, ValueError):
                pass


def _stdout_broken() -> bool:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _silence_stdout() -> None:
    """Send what stdout still holds to /dev/null, so the interpreter's final flush neither
    fails again nor prints 'Exception ignored'."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _tidy_saves(args: argparse.Namespace) -> None:
    """Temporary files of saves whose writer was killed mid-write go at start-up."""
    from neuripsquest.store import saves

    saves.clean_stale_temps(saves.saves_dir(getattr(args, "saves", None)))


def _check(args: argparse.Namespace) -> int:
    from neuripsquest.problems import plural
    from neuripsquest.store.loader import check_world, resolve_world_dir

    root = resolve_world_dir(args.world_dir)
    if not root.is_dir():  # a mistyped folder is the command's misuse, not a world's problem
        what = "is not a folder" if root.exists() else "no such world folder"
        print(f"neuripsquest check: {root}: {what}", file=sys.stderr)
        return EXIT_USAGE
    world, problems = check_world(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{plural(len(problems), 'problem')} found", file=sys.stderr)
        return EXIT_PROBLEMS
    assert world is not None
    endings = sum(1 for s in world.scenes.values() if s.ending)
    scenes = plural(len(world.scenes), "scene")
    print(f"{root}: {scenes}, {plural(endings, 'ending scene')}, no problems")
    return EXIT_OK


def _replay(args: argparse.Namespace) -> int:
    from neuripsquest.store.loader import resolve_world_dir

    if args.update:
        if args.lang != "en":
            _complain("--update rewrites the English expectations: leave out --lang")
            return EXIT_USAGE
        from neuripsquest.tools.replay_update import update_files

        return update_files(args.files, resolve_world_dir(args.world), sys.stdout)
    from neuripsquest.play.replay import run_files

    return run_files(args.files, resolve_world_dir(args.world), sys.stdout, args.lang)


def _root(args: argparse.Namespace) -> Path:
    from neuripsquest.store.loader import resolve_world_dir

    return resolve_world_dir(args.world_dir)


def _lint(args: argparse.Namespace) -> int:
    from neuripsquest.tools import lint

    return lint.run(_root(args), args.format, args.strict, args.ignore, sys.stdout, sys.stderr)


def _l10n(args: argparse.Namespace) -> int:
    from neuripsquest.tools import l10n

    return l10n.run(_root(args), args.action, args.lang, sys.stdout, sys.stderr)


def _explore(args: argparse.Namespace) -> int:
    from neuripsquest.tools import explore

    return explore.run(
        _root(args),
        args.max_states or explore.DEFAULT_MAX_STATES,
        args.full_keys,
        args.coverage,
        args.format,
        sys.stdout,
        sys.stderr,
        explore.DEFAULT_PROBES if args.probes is None else args.probes,
        args.jobs,
        args.proof,
        args.require_proof,
        args.save_hints,
        args.max_abstract or explore.DEFAULT_MAX_ABSTRACT,
    )


def _randomtest(args: argparse.Namespace) -> int:
    from neuripsquest.tools import randomtest

    return randomtest.run(
        _root(args),
        args.runs,
        args.seed,
        args.avoid_used,
        args.max_steps,
        args.format,
        sys.stdout,
        sys.stderr,
    )


def _graph(args: argparse.Namespace) -> int:
    from neuripsquest.tools import graph

    return graph.run(_root(args), args.format, args.output, sys.stdout, sys.stderr)


def _report(args: argparse.Namespace) -> int:
    from neuripsquest.tools import report

    return report.run(_root(args), args.output, args.runs, args.seed, sys.stderr)


def _schema(args: argparse.Namespace) -> int:
    from neuripsquest.format import schema

    return schema.run(args.kind, args.write, args.check, sys.stdout, sys.stderr)


def _missing(module: str, command: str, extra: str) -> bool:
    """True, having said how to install it, when an optional extra's package is absent."""
    if importlib.util.find_spec(module) is not None:
        return False
    package = module.replace("_", "-")
    print(
        f"neuripsquest {command} needs {package}: pip install 'neuripsquest[{extra}]' "
        f"(or pip install {package})",
        file=sys.stderr,
    )
    return True


def _lsp(args: argparse.Namespace) -> int:
    if _missing("pygls", "lsp", "lsp"):
        return EXIT_USAGE
    from neuripsquest.tools.lsp.server import run

    return run()


def _agents(args: argparse.Namespace) -> int:
    from neuripsquest.agents.baselines import run_eval
    from neuripsquest.store.loader import resolve_world_dir

    return run_eval(
        resolve_world_dir(args.world),
        args.agent,
        args.goal,
        args.episodes,
        args.seed,
        args.max_steps,
        args.format,
        sys.stdout,
        sys.stderr,
    )


def _play_jsonl(args: argparse.Namespace) -> int:
    from neuripsquest.agents import jsonl
    from neuripsquest.problems import WorldError
    from neuripsquest.store.loader import load_world, resolve_world_dir
    from neuripsquest.store.locales import localised

    root = resolve_world_dir(args.world)
    try:
        # only an explicit --lang: an agent's transcript must not depend on the locale
        world = localised(load_world(root), root, getattr(args, "lang", None) or "en")
    except WorldError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return EXIT_PROBLEMS
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    return jsonl.run(world, seed, sys.stdin, sys.stdout)


def _serve(args: argparse.Namespace) -> int:
    if _missing("textual_serve", "serve", "web"):
        return EXIT_USAGE
    from neuripsquest.frontends.web import server
    from neuripsquest.problems import WorldError
    from neuripsquest.store import saves
    from neuripsquest.store.loader import load_world, resolve_world_dir

    root = resolve_world_dir(args.world)
    try:
        load_world(root)  # every game would fail on a broken world; this also warms its cache
    except WorldError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("The world has problems; run `neuripsquest check` for the list.", file=sys.stderr)
        return EXIT_PROBLEMS
    if not server.is_loopback(args.host):
        print(server.EXPOSED.format(host=args.host, cap=args.max_games), file=sys.stderr)
    config = server.Config(
        host=args.host,
        port=args.port,
        saves_root=saves.saves_dir(args.saves),
        play=server.play_command(root, args.lang),
        max_games=args.max_games,
        idle_seconds=args.idle_minutes * 60,
    )
    return server.serve(config)


_TOOLS = {
    "lint": _lint,
    "explore": _explore,
    "randomtest": _randomtest,
    "graph": _graph,
    "report": _report,
    "schema": _schema,
    "lsp": _lsp,
    "l10n": _l10n,
    "agents": _agents,
    "serve": _serve,
}


def _plain_width() -> int | None:
    """Plain mode breaks lines itself only for Chinese on a terminal (which would break a
    line before ，or 。); English, pipes and screen readers get whole paragraphs."""
    from neuripsquest import i18n

    if i18n.is_english() or not sys.stdout.isatty():
        return None
    try:
        return max(os.get_terminal_size(sys.stdout.fileno()).columns - 1, 20)
    except (OSError, ValueError):
        return None


def _wants_plain(args: argparse.Namespace) -> bool:
    if args.plain:
        return True
    if os.environ.get("TERM") == "dumb":
        return True
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:  # `serve`'s child: a browser is the terminal
        return False
    return not (sys.stdin.isatty() and sys.stdout.isatty())


def _play(args: argparse.Namespace) -> int:
    from neuripsquest.problems import WorldError
    from neuripsquest.store import saves
    from neuripsquest.store.loader import load_world, resolve_world_dir
    from neuripsquest.store.locales import languages, localised

    folder = saves.saves_dir(args.saves)
    # The interface language, settled before the world loads: a translated world is chosen
    # by it (World.lang), and the front ends word everything around the story in it.
    lang = _choose_language(getattr(args, "lang", None), folder)
    if lang is None:
        return EXIT_USAGE
    from neuripsquest.i18n import _

    root = resolve_world_dir(args.world)
    # A world without this translation is told in English, around a translated interface.
    story_lang = lang if lang in languages(root) else "en"
    try:
        world = localised(load_world(root), root, story_lang)
    except WorldError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        said = _("The world has problems; run `neuripsquest check` for the list.")
        print(said, file=sys.stderr)
        return EXIT_PROBLEMS
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    watch = bool(getattr(args, "watch", False))
    record = getattr(args, "record", None)
    from_scene, sets = getattr(args, "from_scene", None), getattr(args, "sets", None) or []
    debugging = bool(getattr(args, "debug", False))
    refusal = _refused_together(record, debugging, from_scene is not None or bool(sets))
    if refusal:
        print(refusal, file=sys.stderr)
        return EXIT_USAGE
    start = None
    if from_scene is not None or sets:
        from neuripsquest.play import start as starting

        try:
            start = starting.start_at(world, seed, from_scene or world.start, sets)
        except starting.StartError as exc:
            print(f"neuripsquest play: {exc}", file=sys.stderr)
            return EXIT_USAGE
    # Any new game first moves the autosave to autosave-previous: no option or keystroke
    # may destroy a run.
    fresh = bool(getattr(args, "new", False) or record or start is not None)
    kept = False
    if fresh:
        try:
            kept = saves.keep_previous_run(folder)
        except saves.SaveError as exc:
            print(_("Not starting a new game: {why}").format(why=exc), file=sys.stderr)
            return EXIT_PROBLEMS
    watcher = recorder = None
    if watch:
        from neuripsquest.play.watch import Watcher

        watcher = Watcher(root, lang=story_lang)
    if record:
        from neuripsquest.play.record import Recorder

        default = resolve_world_dir(None)
        same = os.path.abspath(default) == os.path.abspath(root)
        recorder = Recorder(record, world, seed, world_dir=None if same else root)
    options = {"watch": watch, "watcher": watcher, "recorder": recorder, "debugging": debugging}
    try:
        return _run_front_end(args, world, seed, folder, root, fresh, start, kept, options)
    finally:
        if recorder is not None:  # closing twice is harmless; the TUI may have closed it
            print(recorder.close(), file=sys.stderr)


def _choose_language(flag: str | None, folder: Path) -> str | None:
    """Set the interface language for this run (flag > Settings > locale > English) and
    return it; None, with a message, when --lang names no language we have."""
    from neuripsquest import i18n
    from neuripsquest.store import saves

    if flag is not None and i18n.normalize(flag) is None:
        choices = ", ".join(i18n.LANGUAGES)
        print(f"neuripsquest play: --lang {flag!r}: choose one of {choices}", file=sys.stderr)
        return None
    lang, _source = i18n.resolve(flag, saves.remembered_language(folder), os.environ)
    return i18n.set_language(lang)


def _refused_together(record: str | None, debugging: bool, from_or_set: bool) -> str:
    """Why these options cannot go together, or ''."""
    if record and debugging:
        return (
            "--record cannot be combined with --debug: a playthrough cannot replay values set "
            "or scenes jumped to by hand."
        )
    if record and from_or_set:
        return (
            "--record cannot be combined with --from or --set: a recording replays from "
            "the beginning of the game."
        )
    return ""


def _run_front_end(
    args: argparse.Namespace,
    world: World,
    seed: int,
    folder: Path,
    root: Path,
    fresh: bool,
    start: State | None,
    kept: bool,
    options: dict[str, Any],
) -> int:
    if not _wants_plain(args) and importlib.util.find_spec("textual") is not None:
        # Only a missing Textual means plain mode; any other import error in the TUI is a bug
        # to see, not to hide behind a silent fall-back.
        # No cyclic collections until the title is drawn (run_app turns the collector back
        # on): importing Textual makes few cycles, and each collection walks the growing heap.
        gc.disable()
        try:
            from neuripsquest.frontends.tui.app import run_app

            return run_app(
                world,
                seed=seed,
                saves_dir=folder,
                world_dir=root,
                new=fresh,
                start=start,
                **options,
            )
        finally:
            gc.enable()  # also when the TUI never got as far as turning it back on
    from neuripsquest.frontends.plain import PlainGame, opening

    game = PlainGame(
        world,
        None,
        folder,
        sys.stdout,
        seed,
        options["watcher"],
        options["recorder"],
        debugging=options["debugging"],
        width=_plain_width(),
    )
    try:
        return game.run(sys.stdin, opening(game, fresh, start, kept))
    finally:
        game.session.close()
