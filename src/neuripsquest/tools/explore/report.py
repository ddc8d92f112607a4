"""The whole exploration and its report: walk, analyse, back a walk cut short up with probes,
the search and the static proofs, then say it as text or JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import IO, Any

from neuripsquest import collector
from neuripsquest.core.world import World
from neuripsquest.lang.analyse import Var
from neuripsquest.problems import plural
from neuripsquest.store.loader import shown_path
from neuripsquest.tools.explore import hints
from neuripsquest.tools.explore.alongside import Alongside
from neuripsquest.tools.explore.escape import DEFAULT_MAX_ABSTRACT, Proof, prove
from neuripsquest.tools.explore.probes import back_up, merge
from neuripsquest.tools.explore.softlocks import Softlock, analyse, from_graph
from neuripsquest.tools.explore.walk import (
    DEFAULT_MAX_STATES,
    Action,
    Graph,
    Walker,
    can_fork,
    default_jobs,
    ways,
)
from neuripsquest.tools.facts import Sources, load_or_report
from neuripsquest.tools.lint import Possible, possible
from neuripsquest.tools.randomtest import Run, Tally

DEFAULT_PROBES = 2000


# The proof aimed at what nothing played (see `_report`) is for a few stragglers: with more
# than AIM_MOST, the walk and the probe runs fell far short (`--probes 0`, say: 91 on the
# shipped world, where aiming at them all took 6 s and 1 GB and ruled out none), and more
# probe runs are the answer. It may track more than the proof that held only so far: at most
# AIM_ROUNDS rounds, AIM_GROWTH times its abstract states, and as long as that proof took
# (at least AIM_MIN_SECONDS).
AIM_MOST = 16
AIM_MIN_SECONDS = 2.0
AIM_ROUNDS = 10
AIM_GROWTH = 2
AIM_MIN_STATES = 20_000


@dataclass
class Report:
    graph: Graph
    complete: bool  # every reachable state was walked: the answers are exact
    reached: set[str]  # scenes
    taken: set[tuple[str, str]]  # (scene, choice id or "#j")
    endings: dict[str, dict[str, int]]  # ending -> {"states", "reach", "runs", "search"}
    unreached: list[tuple[str, bool]]  # (scene, proven unreachable)
    untaken: list[tuple[str, str, bool]]  # (scene, choice, proven)
    softlocks: list[Softlock]
    unsure_loops: list[Run]  # probe runs that never ended, not shown to be softlocks
    probes: Tally | None  # when probe runs were needed
    coverage: dict[str, int]
    proof: Proof | None = None  # the proof that no softlock is possible, when the walk stopped
    # the same proof aimed at what no walk or probe run played (see escape.prove's `aim`)
    aimed: Proof | None = None

    @property
    def proven(self) -> bool:
        """Whether "no softlock" is certain: the walk was exhaustive, or the proof holds."""
        return self.complete or (self.proof is not None and self.proof.proven)

    @property
    def exact(self) -> bool:
        """Whether the report finds what an exhaustive walk would (its counts of states apart):
        the walk was exhaustive, or the proof holds and every scene and way on not seen is
        proven out of reach (what was seen, a walk or a probe run played)."""
        if self.complete:
            return True
        return (
            self.proven
            and all(sure for _, sure in self.unreached)
            and all(sure for _, _, sure in self.untaken)
        )

    @property
    def failed(self) -> bool:
        unreached_ending = any(
            not (v["states"] or v["runs"] or v["search"]) for v in self.endings.values()
        )
        return bool(self.unreached or self.untaken or unreached_ending or self.softlocks)


@collector.pausing  # the walk and the proof keep millions of small objects to the end
def explore(
    src: Sources,
    max_states: int = DEFAULT_MAX_STATES,
    exact: bool = False,
    probes: int = DEFAULT_PROBES,
    verify_states: int = 50_000,
    search_steps: int = 300_000,
    jobs: int | None = None,
    want_proof: bool = True,
    start: dict[str, list[Var]] | None = None,
    max_abstract: int = DEFAULT_MAX_ABSTRACT,
) -> Report:
    """Walk every state up to the bound. If the bound is hit, back the partial walk up with
    probe runs (random playthroughs that prefer what has not been done yet) to show that the
    rest can be reached, and with the linter's static reading to show what cannot.

    `jobs`: processes to use (None: one per core). With two or more, once the walk is large
    the proof starts in a second process (alongside.py); a `--full-keys` walk shares its
    levels out to `jobs` workers only when `jobs` is given. `max_abstract`: the proof gives
    up past this many abstract states."""
    world = src.world
    assert world is not None
    walker = Walker(src, exact)
    # Started from what the last proof of this world learnt (kept in the cache folder, else
    # in the world's folder): the start only steers which values are tracked, the proof is
    # sound whatever it is.
    proof_start = (hints.load(src.root) or start) if want_proof else None
    early: Alongside | None = None

    def big() -> None:  # the walk is large: it may well stop at its bound
        nonlocal early
        if want_proof and (jobs or default_jobs()) > 1 and can_fork():
            early = Alongside(src, proof_start, max_abstract)

    try:
        g = walker.walk(max_states, jobs=jobs or 1, big=big)
        return _report(
            src,
            walker,
            g,
            probes,
            verify_states,
            search_steps,
            want_proof,
            early,
            proof_start,
            max_abstract,
        )
    finally:
        if early is not None:
            early.cancel()


def _report(
    src: Sources,
    walker: Walker,
    g: Graph,
    probes: int,
    verify_states: int,
    search_steps: int,
    want_proof: bool,
    early: Alongside | None,
    proof_start: dict[str, list[Var]] | None,
    max_abstract: int = DEFAULT_MAX_ABSTRACT,
) -> Report:
    world = walker.world
    a = analyse(g)
    coverage = dict.fromkeys(g.scene_names, 0)
    for sn in g.scene:
        coverage[g.scene_names[sn]] += 1
    reached = {sid for sid, n in coverage.items() if n}
    taken = set(g.taken)
    endings: dict[str, dict[str, int]] = {
        e: {"states": 0, "reach": 0, "runs": 0, "search": 0} for e in world.endings
    }
    ending_of = [world.scenes[sid].ending for sid in g.scene_names]
    for sn in g.scene:
        e = ending_of[sn]
        if e is not None:
            endings[e]["states"] += 1
    for e, bit in a.ending_bits.items():
        endings[e]["reach"] = sum(1 for c in a.comp if a.mask[c] & bit)
    locks = from_graph(g, a)
    tally = None
    unsure: list[Run] = []
    proof = possible(src) if g.bound_hit else None
    if proof is not None and probes > 0:
        more = back_up(walker, proof, reached, taken, probes, verify_states, search_steps)
        tally, unsure = more.tally, more.unsure
        reached |= more.reached
        taken |= more.taken
        for e, n in tally.endings.items():
            endings[e]["runs"] = n
        for e in more.searched:
            endings[e]["search"] = 1
        locks += more.softlocks
    unreached, untaken = _unseen(world, reached, taken, proof)
    # A walk cut short says nothing of the states beyond it; the proof speaks for them all.
    escape = aimed = None
    if want_proof and g.bound_hit:
        # From the second process if it was started and answers, else proven here.
        escape = early.result() if early is not None else None
        if escape is None:
            escape = prove(src, max_abstract, start=proof_start)
        if escape.proven:
            hints.save(src.root, escape.learnt)
            unreached, untaken = _ruled_out(escape, unreached, untaken)
            aim: list[tuple[str, str | None]] = [(s, None) for s, sure in unreached if not sure]
            aim += [(s, k) for s, k, sure in untaken if not sure]
            if 0 < len(aim) <= AIM_MOST:  # unplayed: track more, to rule them out if it can
                # Within bounds: tracking more multiplies the abstract states, and a walk
                # cut short with few probe runs can leave hundreds of ways unplayed.
                aimed = prove(
                    src,
                    max_states=min(max_abstract, max(AIM_MIN_STATES, AIM_GROWTH * escape.states)),
                    rounds=AIM_ROUNDS,
                    start=escape.learnt,
                    aim=aim,
                    seconds=max(AIM_MIN_SECONDS, escape.seconds),
                )
                if aimed.proven:
                    unreached, untaken = _ruled_out(aimed, unreached, untaken)
                else:
                    aimed = None
    return Report(
        g,
        not g.bound_hit,
        reached,
        taken,
        endings,
        unreached,
        untaken,
        merge(locks),
        unsure,
        tally,
        coverage,
        escape,
        aimed,
    )


def _ruled_out(
    proof: Proof, unreached: list[tuple[str, bool]], untaken: list[tuple[str, str, bool]]
) -> tuple[list[tuple[str, bool]], list[tuple[str, str, bool]]]:
    """The scenes and ways on not seen, each proven out of reach also where a proof's may
    graph lacks it: that graph holds every scene and way on the game can reach, so what it
    lacks can never happen, which the static reading alone may not have shown."""
    return (
        [(s, sure or s not in proof.scenes) for s, sure in unreached],
        [(s, k, sure or (s, k) not in proof.taken) for s, k, sure in untaken],
    )


def _unseen(
    world: World, reached: set[str], taken: set[tuple[str, str]], proof: Possible | None
) -> tuple[list[tuple[str, bool]], list[tuple[str, str, bool]]]:
    """The scenes not reached and the ways on not taken from the scenes reached, each with
    whether the static reading proves it can never happen (always so after a complete walk)."""

    def proven(scene: str, key: str | None = None) -> bool:
        if proof is None:
            return True
        if key is None:
            return scene not in proof.scenes
        return (scene, key) not in proof.choices

    unreached = [(sid, proven(sid)) for sid in world.scenes if sid not in reached]
    untaken = []
    for sid, sc in world.scenes.items():
        if sid in reached:
            untaken += [(sid, k, proven(sid, k)) for k in ways(sc) if (sid, k) not in taken]
    return unreached, untaken


# ---------------------------------------------------------------- as text and JSON


def _where(src: Sources, sid: str, choice: str | None = None) -> str:
    sf = src.scenes[sid]
    if choice is None:
        line, col = src.where(sf.path, [*sf.loc, "id"])
    elif choice.startswith("#"):
        line, col = src.where(sf.path, [*sf.loc, "input", "outcomes", int(choice[1:])])
    else:
        k = next(i for i, cf in enumerate(sf.choices) if cf.choice.id == choice)
        line, col = src.where(sf.path, sf.choices[k].loc)
    return f"{sf.path}:{line}:{col}"


def _steps(path: list[Any]) -> list[Any]:
    return [p.step() if isinstance(p, Action) else p for p in path]


def _path_text(world: World, path: list[Any]) -> str:
    if not path:
        return f"{world.start} (the start)"
    if isinstance(path[0], Action):
        return " -> ".join(f"{p.scene}: {p.label(world)}" for p in path)
    return ", ".join(p if isinstance(p, str) else f"type {p['type']}" for p in path)


def verdict(r: Report) -> str:
    """Whether the walk, or the proof beside it, proves anything, in a sentence or two."""
    n = r.graph.states
    if r.complete:
        what = (
            "there are no softlocks but those listed" if r.softlocks else "no softlock is possible"
        )
        return (
            f"All {n:,} reachable states explored: the walk is exhaustive, so what follows is "
            f"exact: {what}."
        )
    said = (
        f"Stopped at the bound of {n:,} states: the walk is not exhaustive, so it proves "
        "nothing about the states beyond it."
    )
    p = r.proof
    if p is None:
        return said
    if p.proven:
        exact = (
            " Every scene and choice below was reached by the walk or a probe run, or is "
            "proven out of reach, so what follows is what an exhaustive walk would find, but for "
            "its counts."
            if r.exact
            else ""
        )
        return (
            f"{said} But no softlock is possible: proven over {p.states:,} abstract states (a "
            "scene, the time and the values that decide the way on there, standing for every "
            f"state that agrees with them), {_learnt(p)}.{exact}"
        )
    where = ", ".join(f"'{s}'" for s in sorted({s for s, _ in p.unsafe})[:5])
    return f"{said} The proof that no softlock is possible gave up ({p.reason})" + (
        f"; a player may be caught at {where}." if where else "."
    )


def _learnt(p: Proof) -> str:
    rounds = f"{p.rounds} round{'s' if p.rounds != 1 else ''}"
    if p.started_from:
        return (
            f"in {rounds} in {p.seconds:.1f} s, starting from what an earlier proof of this "
            "world learnt to track"
        )
    return f"learnt in {rounds} in {p.seconds:.1f} s"


def write_text(src: Sources, r: Report, out: IO[str], coverage: bool = False) -> None:
    g = r.graph
    rate = g.states / g.seconds if g.seconds > 0 else 0.0
    out.write(
        f"Walked {g.states:,} states and {g.edges:,} transitions in {g.seconds:.2f} s "
        f"({rate:,.0f} states/s).\n"
    )
    out.write(verdict(r) + "\n")
    if not r.complete:
        runs = r.probes.runs if r.probes is not None else 0
        out.write(
            f"So {runs:,} probe runs (random playthroughs preferring what was not done yet) "
            "looked further, and the static reading of the files (and the proof, when it "
            "holds) shows what can never happen. "
            + (
                "Softlocks below are certain; as proven above, there are no others.\n"
                if r.proof is not None and r.proof.proven
                else "Softlocks below are certain; one the walk and the probes did not meet "
                "may still exist.\n"
            )
        )
    _write_unseen(src, r, out)
    _write_endings(r, out)
    _write_softlocks(src, r, out)
    for run in r.unsure_loops[:3]:
        out.write(
            f"Probe run {run.number} did not end within 1000 steps (at '{run.state.scene}'); "
            f"replay it with seed: {run.seed}, steps: {json.dumps(run.steps)}\n"
        )
    if coverage:
        out.write("Coverage (walked states per scene):\n")
        width = max(len(s) for s in r.coverage)
        for sid, n in r.coverage.items():
            extra = ""
            if r.probes is not None:
                extra = f"  {r.probes.scenes.get(sid, 0):>9,} probe visits"
            out.write(f"  {sid:<{width}}  {n:>9,}{extra}\n")


def _write_unseen(src: Sources, r: Report, out: IO[str]) -> None:
    world = r.graph.world
    nsc = len(world.scenes)
    out.write(f"Scenes: {nsc - len(r.unreached)} of {nsc} reached.\n")
    for sid, sure in r.unreached:
        why = "can never be reached" if sure else "was not reached (it may be reachable)"
        out.write(f"{_where(src, sid)}: scene '{sid}' {why}\n")
    nch = sum(len(ways(sc)) for sc in world.scenes.values())
    gone = sum(len(ways(world.scenes[s])) for s, _ in r.unreached)
    out.write(f"Choices: {nch - gone - len(r.untaken)} of {nch} taken.\n")
    for sid, cid, sure in r.untaken:
        what = (
            f"input outcome {int(cid[1:]) + 1} of scene '{sid}'"
            if cid.startswith("#")
            else f"choice '{cid}' in scene '{sid}'"
        )
        why = "can never be taken" if sure else "was never taken (it may be possible)"
        if cid.startswith("#"):
            why = "can never happen" if sure else "never happened (it may be possible)"
        out.write(f"{_where(src, sid, cid)}: {what} {why}\n")


def _write_endings(r: Report, out: IO[str]) -> None:
    out.write("Endings:\n")
    width = max((len(e) for e in r.endings), default=0)
    for e, v in r.endings.items():
        if not (v["states"] or v["runs"] or v["search"]):
            out.write(f"  {e:<{width}}  NEVER REACHED\n")
            continue
        parts = []
        if v["states"]:
            lead = "leads" if v["reach"] == 1 else "lead"
            parts.append(
                f"reached in {plural(v['states'], 'state')}; "
                f"{plural(v['reach'], 'state')} {lead} to it"
            )
        elif v["reach"]:
            lead = "leads" if v["reach"] == 1 else "lead"
            parts.append(f"{plural(v['reach'], 'walked state')} {lead} to it")
        if r.probes is not None:
            parts.append(f"{v['runs']:,} of {r.probes.runs:,} probe runs end here")
        if v["search"] and not v["runs"]:
            parts.append("reached by the search")
        out.write(f"  {e:<{width}}  {'; '.join(parts)}\n")


def _write_softlocks(src: Sources, r: Report, out: IO[str]) -> None:
    world = r.graph.world
    if not r.softlocks:
        if r.complete:
            out.write("Softlocks: none: an ending can be reached from every state.\n")
        else:
            out.write("Softlocks: none found.\n")
        return
    out.write(f"Softlocks: {plural(len(r.softlocks), 'place')} where no ending can be reached:\n")
    for s in r.softlocks:
        names = ", ".join(f"'{x}'" for x in s.scenes)
        if s.kind == "stuck":
            head = f"stuck in scene {names}: no choice can be taken"
        else:
            head = f"no way out of scenes {names}: they lead only to each other"
        count = f" ({plural(s.states, 'state')})" if s.states else ""
        out.write(f"{_where(src, s.scenes[0])}: {head}{count}\n")
        steps = plural(len(s.path), "step")
        out.write(f"  shortest known path ({steps}): {_path_text(world, s.path)}\n")
        if s.no_return is not None:
            step, scene, what = s.no_return
            out.write(
                f"  point of no return: step {step}, in '{scene}': {what}; "
                "no ending can be reached after it\n"
            )
        if s.seed is not None:
            out.write(f"  as a playthrough: seed: {s.seed}, steps: {json.dumps(_steps(s.path))}\n")


def to_json(src: Sources, r: Report, coverage: bool = False) -> dict[str, Any]:
    g = r.graph
    blob: dict[str, Any] = {
        "states": g.states,
        "transitions": g.edges,
        "seconds": round(g.seconds, 3),
        "complete": r.complete,
        "exhaustive": r.complete,
        "exact": r.exact,
        "verdict": verdict(r),
        "no_softlock_proven": r.proven and not r.softlocks,
        "proof": None
        if r.proof is None
        else {
            "proven": r.proof.proven,
            "abstract_states": r.proof.states,
            "rounds": r.proof.rounds,
            "seconds": round(r.proof.seconds, 3),
            "reason": r.proof.reason,
            "started_from_last_proof": r.proof.started_from > 0,
            "unsafe": [{"scene": s, "clock": c} for s, c in r.proof.unsafe],
        },
        "aimed_proof": None
        if r.aimed is None
        else {
            "abstract_states": r.aimed.states,
            "rounds": r.aimed.rounds,
            "seconds": round(r.aimed.seconds, 3),
        },
        "probe_runs": r.probes.runs if r.probes is not None else 0,
        "unreached_scenes": [
            {"scene": s, "where": _where(src, s), "proven": p} for s, p in r.unreached
        ],
        "untaken_choices": [
            {"scene": s, "choice": c, "where": _where(src, s, c), "proven": p}
            for s, c, p in r.untaken
        ],
        "endings": r.endings,
        "softlocks": [
            {
                "kind": s.kind,
                "scenes": s.scenes,
                "states": s.states,
                "where": _where(src, s.scenes[0]),
                "path": _steps(s.path),
                "seed": s.seed,
                "point_of_no_return": (
                    dict(zip(("step", "scene", "action"), s.no_return, strict=True))
                    if s.no_return
                    else None
                ),
                "found_by": s.found_by,
            }
            for s in r.softlocks
        ],
        "ok": not r.failed,
    }
    if coverage:
        blob["coverage"] = r.coverage
    return blob


def run(
    root: Any,
    max_states: int,
    exact: bool,
    coverage: bool,
    fmt: str,
    out: IO[str],
    err: IO[str],
    probes: int = DEFAULT_PROBES,
    jobs: int | None = None,
    proof: bool = True,
    require_proof: bool = False,
    save_hints: bool = False,
    max_abstract: int = DEFAULT_MAX_ABSTRACT,
) -> int:
    src = load_or_report(root, err)
    if src is None:
        return 1
    start, why = hints.read_file(src.root) if proof else (None, "")
    if why:
        err.write(f"{why}; the proof starts without it\n")
    r = explore(
        src,
        max_states,
        exact,
        probes,
        jobs=jobs,
        want_proof=proof,
        start=start,
        max_abstract=max_abstract,
    )
    if save_hints:
        if r.proof is not None and r.proof.proven:
            err.write(f"wrote {shown_path(hints.write_file(src.root, r.proof.learnt))}\n")
        else:
            why = "the walk was exhaustive" if r.proof is None else "the proof did not hold"
            err.write(f"--save-hints: {why}, so there is nothing to save\n")
    if fmt == "json":
        out.write(json.dumps(to_json(src, r, coverage), indent=2) + "\n")
    else:
        write_text(src, r, out, coverage)
    return 1 if r.failed or (require_proof and not r.proven) else 0
