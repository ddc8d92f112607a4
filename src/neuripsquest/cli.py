"""The `neuripsquest` command. Bare, it plays; writers' and CI's commands are subcommands.

Heavy imports wait for the command that needs them: Textual only for the TUI (about 0.25 s),
pydantic and PyYAML only when a world or playthrough must be parsed (the play path usually
reads the validated-world cache instead).
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="neuripsquest",
        description="A text adventure set during one week of NeurIPS 2025 in San Diego.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play the game (the default command)")
    # SUPPRESS: an option given before `play` must not be reset by play's own default
    _play_options(play, default=argparse.SUPPRESS)

    check = sub.add_parser("check", help="report every problem in a world, as file:line:column")
    check.add_argument("world_dir", nargs="?", help="world folder (default: ./world)")

    replay = sub.add_parser("replay", help="run scripted playthroughs headlessly")
    replay.add_argument("files", nargs="+", help="playthrough YAML files")
    replay.add_argument("--world", help="world folder for files that do not name one")

    _play_options(p)
    return p


def _play_options(p: argparse.ArgumentParser, default: object = None) -> None:
    flag = {} if default is None else {"default": default}
    p.add_argument(
        "--plain", action="store_true", help="line-by-line text mode (accessible)", **flag
    )
    p.add_argument("--world", help="world folder (default: ./world, else the bundled one)", **flag)
    p.add_argument("--seed", type=int, help="random seed (default: a fresh one)", **flag)
    p.add_argument("--saves", help="saves folder (default: $NEURIPSQUEST_SAVES or ./saves)", **flag)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "replay":
            return _replay(args)
        return _play(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`neuripsquest play --plain | head`): nothing left to say.
        # Point stdout at /dev/null so the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _check(args: argparse.Namespace) -> int:
    from .loader import check_world, resolve_world_dir

    root = resolve_world_dir(args.world_dir)
    world, problems = check_world(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        n = len(problems)
        print(f"{n} problem{'s' if n != 1 else ''} found", file=sys.stderr)
        return EXIT_PROBLEMS
    assert world is not None
    endings = sum(1 for s in world.scenes.values() if s.ending)
    print(f"{root}: {len(world.scenes)} scenes, {endings} ending scenes, no problems")
    return EXIT_OK


def _replay(args: argparse.Namespace) -> int:
    from .loader import resolve_world_dir
    from .replay import run_files

    return run_files(args.files, resolve_world_dir(args.world), sys.stdout)


def _wants_plain(args: argparse.Namespace) -> bool:
    if args.plain:
        return True
    if os.environ.get("TERM") == "dumb":
        return True
    return not (sys.stdin.isatty() and sys.stdout.isatty())


def _play(args: argparse.Namespace) -> int:
    from . import engine, saves
    from .loader import load_world, resolve_world_dir
    from .problems import WorldError

    root = resolve_world_dir(args.world)
    try:
        world = load_world(root)
    except WorldError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("The world has problems; run `neuripsquest check` for the list.", file=sys.stderr)
        return EXIT_PROBLEMS
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    folder = saves.saves_dir(args.saves)
    if not _wants_plain(args):
        try:
            from .tui.app import run_app
        except ImportError:
            pass  # no TUI in this build: plain mode still plays the whole game
        else:
            return run_app(world, seed=seed, saves_dir=folder, world_dir=root)
    from .plain import PlainGame

    game = PlainGame(world, engine.new_game(world, seed), folder, sys.stdout, seed=seed)
    return game.run(sys.stdin)
