"""Hot reload for `play --watch`: notice when a world file changes, and reload it.

Change detection compares each file's modification time and size (no extra dependency, and a
folder of a few dozen files is scanned in well under a millisecond). Front ends call `poll()`
when they like (plain mode before each prompt and on `reload`; the TUI on a timer) and get:

- None: nothing changed (or it is too soon to look again);
- a World: the files changed and load cleanly;
- a list of Problems: the files changed and have problems; keep playing the last good world.

`carry_over` moves a game state into the new world by names, as a save does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from neuripsquest.core.state import State, StateError, restore, to_json
from neuripsquest.core.world import World
from neuripsquest.problems import Problem, WorldError

POLL_SECONDS = 0.5

Snapshot = dict[str, tuple[int, int]]


class Watcher:
    """Watches the files of the world in `root` (world.yaml and every scene file)."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        interval: float = POLL_SECONDS,
        settle: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
        use_cache: bool = True,
        lang: str = "en",
    ):
        self.root = Path(root)
        self.lang = lang  # the translation played, whose files are watched too
        self.interval = interval
        self.settle = settle  # an editor that writes in pieces gets this long to finish
        self.clock = clock
        self.use_cache = use_cache
        self.snapshot = self.scan()
        self.last = clock()

    def scan(self) -> Snapshot:
        from neuripsquest.store.loader import LOCALES, world_files

        out: Snapshot = {}
        try:
            files = world_files(self.root)
            if self.lang != "en":
                files += sorted((self.root / LOCALES / self.lang).rglob("*.yaml"))
        except OSError:
            return out
        for p in files:
            try:
                st = p.stat()
            except OSError:
                continue
            out[str(p)] = (st.st_mtime_ns, st.st_size)
        return out

    def changed(self) -> bool:
        return self.scan() != self.snapshot

    def poll(self, force: bool = False) -> World | list[Problem] | None:
        now = self.clock()
        if not force and now - self.last < self.interval:
            return None
        self.last = now
        snap = self.scan()
        if snap == self.snapshot:
            return None
        for _ in range(5):  # wait until the files stop changing
            time.sleep(self.settle)
            again = self.scan()
            if again == snap:
                break
            snap = again
        self.snapshot = snap
        return self.load()

    def load(self) -> World | list[Problem]:
        from neuripsquest.store.loader import load_world
        from neuripsquest.store.locales import localised

        try:
            world = load_world(self.root, use_cache=self.use_cache)
            return localised(world, self.root, self.lang, use_cache=self.use_cache)
        except WorldError as exc:
            return exc.problems


def carry_over(old: World, new: World, state: State) -> State | None:
    """The state moved into the new world by names (stats, flags, items, visits, once-only
    choices), as a save is read: names changed with `renamed_from` are followed. None when
    its scene is gone (the front ends keep playing the old world until the player reaches a
    scene the new one has). Undo steps that no longer fit are dropped."""
    if not new.has_scene(state.scene):
        return None
    try:
        return restore(new, to_json(old, state), to_checkpoint=False).state
    except StateError:
        return None
