"""The no-softlock proof in a second process, started while the walk is still going: the two
need nothing of each other (the proof reads only the world), and on the shipped world both
are needed (the walk stops at its bound, then the proof speaks for every state). With two
cores the proof's seconds then overlap the walk's and the probe runs' instead of following
them.

The child is forked, so it has the compiled world (closures, which cannot be pickled) without
loading it again; it sends back the Proof, a plain dataclass. Anything that goes wrong there
(an error, the child killed, a broken pipe) is not an answer: `result` gives None, and the
caller proves in its own process, as it would have without the second one."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterable, Mapping
from multiprocessing.connection import Connection
from typing import Any

from neuripsquest.lang.analyse import Var
from neuripsquest.tools.explore.escape import DEFAULT_MAX_ABSTRACT, Proof, prove
from neuripsquest.tools.facts import Sources


class Alongside:
    """`prove(src, max_abstract, start=start)`, running in a forked child from now on."""

    def __init__(
        self,
        src: Sources,
        start: Mapping[str, Iterable[Var]] | None,
        max_abstract: int = DEFAULT_MAX_ABSTRACT,
    ):
        ctx = multiprocessing.get_context("fork")
        self._conn, theirs = ctx.Pipe(duplex=False)
        args = (src, start, max_abstract, theirs)
        self._proc: Any = ctx.Process(target=_serve, args=args, daemon=True)
        self._proc.start()
        theirs.close()
        self._over = False

    def result(self) -> Proof | None:
        """The child's proof, waited for; None if it gave none."""
        try:
            got = self._conn.recv()
        except (EOFError, OSError):  # the child died without a word
            got = None
        self.cancel()
        return got if isinstance(got, Proof) else None

    def cancel(self) -> None:
        """Stop the child (its answer is not needed, or was read)."""
        if self._over:
            return
        self._over = True
        self._conn.close()
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._proc.close()


def _serve(
    src: Sources,
    start: Mapping[str, Iterable[Var]] | None,
    max_abstract: int,
    conn: Connection,
) -> None:
    # Ctrl+C is the parent's to answer: it stops, and its daemon children with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        answer: Any = prove(src, max_abstract, start=start)
    except Exception as exc:  # noqa: BLE001  # told to the parent, which proves by itself
        answer = f"{type(exc).__name__}: {exc}"
    try:
        conn.send(answer)
    except OSError:  # the parent no longer listens
        pass
    finally:
        conn.close()
