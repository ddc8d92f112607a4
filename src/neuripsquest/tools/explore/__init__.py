"""`neuripsquest explore`: play every reachable game state, and say what cannot be reached and
where a player can get stuck.

- `abstraction`: what of a state can still matter at each scene, packed into its key;
- `walk`: the breadth-first walk over the states those keys tell apart, as a compact graph,
  level by level (shared out to worker processes with `--jobs` when it has no shortcut);
- `keysteps`: the walk's shortcut, a successor's key worked out from its parent's key, the
  engine asked only what its tables have not seen;
- `softlocks`: which endings each state can reach, and the states that can reach none;
- `probes`: random runs and a search backing up a walk cut short by its bound;
- `report`: all of that together, as text or JSON.
"""

from neuripsquest.tools.explore.abstraction import Flow, Layout, layouts, liveness, saturation
from neuripsquest.tools.explore.escape import DEFAULT_MAX_ABSTRACT
from neuripsquest.tools.explore.probes import search
from neuripsquest.tools.explore.report import (
    DEFAULT_PROBES,
    Report,
    explore,
    run,
    to_json,
    verdict,
    write_text,
)
from neuripsquest.tools.explore.softlocks import Analysis, Softlock, analyse, from_graph, playable
from neuripsquest.tools.explore.walk import (
    DEFAULT_MAX_STATES,
    Action,
    Graph,
    Walker,
    default_jobs,
)

__all__ = [
    "DEFAULT_MAX_ABSTRACT",
    "DEFAULT_MAX_STATES",
    "DEFAULT_PROBES",
    "Action",
    "Analysis",
    "Flow",
    "Graph",
    "Layout",
    "Report",
    "Softlock",
    "Walker",
    "analyse",
    "default_jobs",
    "explore",
    "from_graph",
    "layouts",
    "liveness",
    "playable",
    "run",
    "saturation",
    "search",
    "to_json",
    "verdict",
    "write_text",
]
