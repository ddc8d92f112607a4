"""The collector at start-up: the CLI turns it off while it imports the TUI (fewer walks of a
growing heap before the title); the app must turn it back on once the title is drawn, or a
long game would never free a reference cycle."""

from __future__ import annotations

import gc

from .helpers import SIZE, build, until


async def test_collector_back_on_once_the_title_is_drawn(long_world, tmp_path):
    gc.disable()  # as the CLI leaves it for run_app
    try:
        app = build(long_world, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.first_frame_done, "the start-up work")
            assert gc.isenabled()
    finally:
        gc.enable()
