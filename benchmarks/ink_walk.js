// The inkjs side of benchmarks/ink_speed.py: one process, driven by lines on stdin, answering
// one JSON line each on stdout.
//
//   {"load": "story.ink", "json": p}     compile it with inkjs's compiler -> {"seconds": s};
//                                        with "json", also write the compiled story there
//   {"replay": "walk.json"}              replay a walk our engine recorded -> {"ok": n} or
//                                        {"mismatch": "what differed", "step": k}
//   {"walk": steps, "seed": s}           a timed random walk -> {"seconds": s, "restarts": r}
//
// The story asks its host for the random choice's draw (EXTERNAL draw(n)): a replay answers
// with the draw our engine made, a timed walk with this script's own generator.

"use strict";
const fs = require("fs");
const readline = require("readline");
const { Story } = require("inkjs");
const { Compiler } = require("inkjs/compiler/Compiler");

let story = null;
let nextDraw = null; // () => the next draw, set by replay or walk

function load(path, out) {
  const t0 = process.hrtime.bigint();
  const json = new Compiler(fs.readFileSync(path, "utf8")).Compile().ToJson();
  story = new Story(json);
  story.BindExternalFunction("draw", (n) => nextDraw(n), true);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (out) fs.writeFileSync(out, json); // for bink, which has no compiler
  return { seconds };
}

function text() {
  const lines = [];
  while (story.canContinue) lines.push(story.Continue().trim());
  return lines.filter((l) => l !== "").join("\n");
}

const VARS = ["energy", "clout", "compute", "met", "danced", "read", "pretzel", "ticket", "clock"];

function replay(path) {
  // each step: {text, choices: [text...], pick: index, or -1 at an ending (a new game),
  // draw: the random choice's draw or null, after: the values once the step is taken}
  const steps = JSON.parse(fs.readFileSync(path, "utf8"));
  let draws = [];
  nextDraw = () => draws.shift();
  story.ResetState();
  let said = text();
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k];
    if (said !== s.text) return { mismatch: `text: ${JSON.stringify(said)}`, step: k };
    const shown = story.currentChoices.map((c) => c.text);
    if (JSON.stringify(shown) !== JSON.stringify(s.choices)) {
      return { mismatch: `choices: ${JSON.stringify(shown)}`, step: k };
    }
    if (s.pick < 0) {
      story.ResetState();
      said = text();
      continue;
    }
    draws = s.draw === null ? [] : [s.draw];
    story.ChooseChoiceIndex(s.pick);
    said = text(); // the next scene's: the choice's effects have run once it is read
    if (draws.length) return { mismatch: "the story did not ask for the draw", step: k };
    for (const name of VARS) {
      const v = story.variablesState[name];
      if ((typeof v === "boolean" ? v : Number(v)) !== s.after[name]) {
        return { mismatch: `${name} = ${v}, ours ${s.after[name]}`, step: k };
      }
    }
  }
  return { ok: steps.length };
}

function walk(n, seed) {
  // xorshift32: uniform enough to pick among three choices, and cheap
  let x = seed >>> 0 || 1;
  const rand = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  nextDraw = (m) => Math.floor(rand() * m);
  story.ResetState();
  let restarts = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    while (story.canContinue) story.Continue();
    const choices = story.currentChoices;
    if (choices.length === 0) {
      story.ResetState();
      restarts++;
      continue;
    }
    story.ChooseChoiceIndex(Math.floor(rand() * choices.length));
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, restarts };
}

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  let out;
  try {
    const cmd = JSON.parse(line);
    if ("load" in cmd) out = load(cmd.load, cmd.json);
    else if ("replay" in cmd) out = replay(cmd.replay);
    else if ("walk" in cmd) out = walk(cmd.walk, cmd.seed);
    else out = { error: `unknown command ${line}` };
  } catch (e) {
    out = { error: String(e && e.stack ? e.stack : e) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
