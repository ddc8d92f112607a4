"""NeurIPS Quest for the agents people build: a Gymnasium environment (`env`, needs the `rl`
extra), a line-by-line JSON protocol for agents in any language (`jsonl`), goals and rewards
(`goals`), the reference walkthroughs (`walkthroughs`), and baseline agents with their report
(`baselines`, `oracle`, `table`). See docs/agents.md.

Everything here is a front end over `core` and `play`: what a choice does, which choices are
open and why, and how an amount is read all come from there. Only `env` imports Gymnasium and
NumPy, so the protocol and the baselines run without them.
"""
