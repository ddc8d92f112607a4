"""The clock Textual stamps every event with (textual/_time.py), so that the time a key or a
click was made can be compared with the time a list went on screen."""

from __future__ import annotations

import sys
import time

get_time = time.perf_counter if sys.platform == "win32" else time.monotonic
