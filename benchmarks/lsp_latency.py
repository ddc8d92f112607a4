"""Keystroke to diagnostics in `neuripsquest lsp`, on the shipped world.

    python benchmarks/lsp_latency.py [EDITS] [SCENE_FILE] [--quick]

Starts the server over stdio as an editor does (pygls' client), opens a scene file of the
shipped world (default world/scenes/expo.yaml), then sends EDITS one-character edits (default
30), alternately breaking a `goto:` target (an `x` typed after it) and mending it (the `x`
deleted), and times each from its didChange to the publishDiagnostics for that document
version. Every broken version must get its error and every mended one none, so the figures
are of real checks. Target: diagnostics within 300 ms of a keystroke (median and p90). The
server waits DEBOUNCE (100 ms) after the last keystroke before it checks; that is included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))

from paired import Table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.300


async def measure(path: Path, edits: int) -> list[float]:
    client = LanguageClient("lsp-latency", "1")
    arrived: dict[int, tuple[float, list[lsp.Diagnostic]]] = {}
    wake = asyncio.Event()
    uri = path.resolve().as_uri()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        if params.uri == uri and params.version is not None:
            arrived[params.version] = (time.perf_counter(), list(params.diagnostics))
            wake.set()

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    await client.start_io(sys.executable, "-m", "neuripsquest", "lsp", env=env)

    async def until(version: int) -> tuple[float, list[lsp.Diagnostic]]:
        while version not in arrived:
            wake.clear()
            await asyncio.wait_for(wake.wait(), 30)
        return arrived[version]

    try:
        await client.initialize_async(
            lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), process_id=os.getpid())
        )
        client.initialized(lsp.InitializedParams())
        text = path.read_text(encoding="utf-8")
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
            )
        )
        _, first = await until(1)  # the first check reads every file: not a keystroke
        if any(d.severity == lsp.DiagnosticSeverity.Error for d in first):
            raise SystemExit(f"{path} has errors to begin with: {first[0].message}")
        lines = text.split("\n")
        line = next(i for i, ln in enumerate(lines) if ln.strip().startswith("goto:"))
        end = len(lines[line].rstrip())
        latencies = []
        for k in range(edits):
            version = k + 2
            broken = k % 2 == 0
            at = lsp.Position(line, end)
            rng = lsp.Range(at, at) if broken else lsp.Range(at, lsp.Position(line, end + 1))
            sent = time.perf_counter()
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[
                        lsp.TextDocumentContentChangePartial(range=rng, text="x" if broken else "")
                    ],
                )
            )
            when, diagnostics = await until(version)
            errors = [d for d in diagnostics if d.severity == lsp.DiagnosticSeverity.Error]
            if bool(errors) != broken:
                raise SystemExit(
                    f"edit {k}: expected {'an error' if broken else 'none'}, "
                    f"got {[d.message for d in errors]}"
                )
            latencies.append(when - sent)
        await client.shutdown_async(None)
        client.exit(None)
        return latencies
    finally:
        server = getattr(client, "_server", None)
        if server is not None and server.returncode is None and not client.stopped:
            await asyncio.sleep(0.5)  # time to act on `exit`; else it is stopped
            if server.returncode is None:
                server.terminate()
        await client.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("edits", type=int, nargs="?", default=30)
    ap.add_argument("scene_file", type=Path, nargs="?", default=ROOT / "world/scenes/expo.yaml")
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    args = ap.parse_args()
    if args.quick:
        args.edits = 4
    path = args.scene_file
    latencies = asyncio.run(measure(path, args.edits))
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"{len(latencies)} edits to {shown}")
    table = Table(f"lsp_latency: keystroke to diagnostics, {shown}")
    # even edits break a goto (check only), odd ones mend it (check, then lint)
    for label, part in (
        ("all", latencies),
        ("broken", latencies[::2]),
        ("mended", latencies[1::2]),
    ):
        ms = sorted(t * 1000 for t in part)
        p90 = ms[min(len(ms) - 1, int(0.9 * len(ms)))]
        print(
            f"{label:>7}: median {statistics.median(ms):4.0f} ms, p90 {p90:4.0f} ms, "
            f"max {ms[-1]:4.0f} ms"
        )
    ms = sorted(t * 1000 for t in latencies)
    median, p90 = statistics.median(ms), ms[min(len(ms) - 1, int(0.9 * len(ms)))]
    target = TARGET * 1000
    table.add(
        f"median of {len(ms)} edits", f"{median:.0f} ms", f"<= {target:.0f} ms", median <= target
    )
    table.add("90th percentile", f"{p90:.0f} ms", f"<= {target:.0f} ms", p90 <= target)
    table.add("max", f"{ms[-1]:.0f} ms")
    table.print()


if __name__ == "__main__":
    main()
