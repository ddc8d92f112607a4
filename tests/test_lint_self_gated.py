"""`self-gated-choice`: a choice whose `if` needs a flag or item that only the choice itself
sets or gives can never be taken; the warning is at that name inside the `if`."""

from neuripsquest.tools import facts, lint

WORLD = """\
title: Gates
start: hall
clock: {days: [Mon], slots: [morning]}
stats:
  energy: {initial: 1, min: 0, max: 5}
flags:
  code: You learnt the code
  met: You met someone
  lucky: You felt lucky
  done: You were done
items:
  coin: {name: A coin}
endings:
  home: {title: Home}
"""

SCENES = """\
- id: hall
  title: Hall
  text: A hall.
  choices:
    - id: open_vault
      text: Open the vault
      if: energy >= 1 and code
      do: [set code]
      goto: home
    - id: pick_coin
      text: Pick up the coin
      if: |
        energy >= 0 and
          (has coin and energy <= 5)
      random:
        - {weight: 1, goto: home, do: [give coin]}
        - {weight: 1, goto: home, do: [give coin, energy -= 1]}
    - id: greet
      text: Greet them again
      if: met
      do: [set met]
      goto: home
    - id: meet
      text: Meet someone
      do: [set met, set done]
      goto: home
    - id: gamble
      text: Gamble
      if: lucky or energy > 3
      do: [set lucky]
      goto: home
    - id: finish
      text: Finish
      if: not done
      do: [set done]
      goto: home
- id: home
  title: Home
  text: Home.
  ending: home
"""


def test_a_choice_gated_on_what_only_it_sets_is_warned_at_the_name(tmp_path):
    (tmp_path / "scenes").mkdir()
    (tmp_path / "world.yaml").write_text(WORLD)
    (tmp_path / "scenes" / "main.yaml").write_text(SCENES)
    found = [f for f in lint.lint(facts.load(tmp_path)) if f.code == "self-gated-choice"]
    lines = SCENES.splitlines()
    assert [(f.line, f.column, f.message) for f in found] == [
        (
            7,
            27,
            "choice 'open_vault' can never be taken: its `if` needs flag 'code', and only "
            "this choice sets it; set it somewhere the player passes first, or take it out "
            "of the `if`",
        ),
        (
            14,
            12,
            "choice 'pick_coin' can never be taken: its `if` needs item 'coin', and only "
            "this choice gives it; give it somewhere the player passes first, or take it out "
            "of the `if`",
        ),
    ]
    assert lines[6][26:].startswith("code")
    assert lines[13][11:].startswith("has coin")
    # Never taken, so not a way on either: its target still counts as reached through others.
    possible = lint.possible(facts.load(tmp_path))
    assert ("hall", "open_vault") not in possible.choices
    assert ("hall", "greet") in possible.choices
