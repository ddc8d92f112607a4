"""The loader's own reading keeps no scene file's node tree once the file is validated
(yamlsrc.Placed keeps its places): every problem and every scene's origin must come out
exactly as when the whole documents are kept, as lint and the language server keep them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from neuripsquest.format import yamlsrc
from neuripsquest.store import loader
from neuripsquest.store.loader import check_world, read_sources
from tests.conftest import MINI, ROOT, WORLD

WORLDS = [WORLD, *sorted((ROOT / "tests" / "worlds").iterdir())] + sorted(
    (ROOT / "tests" / "broken").iterdir()
)

# Problems in a second and a third scene file: a duplicate id (located at the first
# definition's `id` key), a goto to nowhere, an unknown name on a later line of a block.
MORE = """\
- id: far
  title: Far
  place: hall
  text: Far away.
  choices:
    - text: Nowhere
      goto: nowhere
- id: a
  title: Again
  place: hall
  text: A second a.
  choices:
    - text: Back
      goto: far
"""
LAST = """\
- id: last
  title: Last
  place: hall
  text: The last one.
  choices:
    - text: Try
      if: |
        energy >= 1 and
          bogus
      goto: a
"""


def kept_whole(root: Path):
    """The world and problems as read keeping every document (the tools' way)."""
    world, problems, _, _ = read_sources(root, yamlsrc.read)
    return world, problems


def origins(world) -> dict[str, tuple[str, int]]:
    return {sid: world.scenes[sid].origin for sid in world.scenes}


@pytest.mark.parametrize("root", WORLDS, ids=lambda p: p.name)
def test_same_problems_and_places_as_with_whole_documents(root):
    world, problems = check_world(root)
    whole_world, whole_problems = kept_whole(root)
    assert problems == whole_problems
    assert (world is None) == (whole_world is None)
    if world is not None:
        assert origins(world) == origins(whole_world)


def test_problems_in_later_files_are_placed_alike(tmp_path):
    root = tmp_path / "w"
    shutil.copytree(MINI, root)
    (root / "scenes" / "more.yaml").write_text(MORE, encoding="utf-8")
    (root / "scenes" / "zlast.yaml").write_text(LAST, encoding="utf-8")
    _, problems = check_world(root)
    _, whole_problems = kept_whole(root)
    assert problems == whole_problems
    said = "\n".join(str(p) for p in problems)
    assert "duplicate scene id 'a'" in said and "nowhere" in said and "'bogus'" in said


def test_no_scene_file_tree_reaches_the_build(monkeypatch):
    seen = {}
    real = loader.build

    def spy(world_path, world_spec, entries, fingerprint, docs, *args, **kwargs):
        seen.update(docs)
        return real(world_path, world_spec, entries, fingerprint, docs, *args, **kwargs)

    monkeypatch.setattr(loader, "build", spy)
    world, problems = check_world(WORLD)
    assert world is not None and not problems
    scene_docs = {p: d for p, d in seen.items() if "/scenes/" in p.replace("\\", "/")}
    assert scene_docs
    assert all(isinstance(d, yamlsrc.Placed) for d in scene_docs.values())
