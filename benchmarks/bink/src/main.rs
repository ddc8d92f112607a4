//! The bladeink (blade-ink-rs, "bink") side of benchmarks/ink_speed.py: the protocol of
//! benchmarks/ink_walk.js, one JSON command a line on stdin, one JSON answer a line on stdout.
//!
//!   {"load": "story.json"}       load an ink story compiled to JSON (bladeink has no
//!                                compiler; inkjs's `Compiler(src).Compile().ToJson()`)
//!                                -> {"seconds": s}
//!   {"replay": "walk.json"}      replay a walk our engine recorded -> {"ok": n} or
//!                                {"mismatch": "what differed", "step": k}
//!   {"walk": steps, "seed": s}   a timed random walk -> {"seconds": s, "restarts": r}
//!
//! `replay` and `walk` do what ink_walk.js's do, step for step: the same generator
//! (xorshift32) drawn in the same order, so the walks of both are the same walk.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::error::Error;
use std::io::{self, BufRead, Write};
use std::rc::Rc;
use std::time::Instant;

use bladeink::story::external_functions::ExternalFunction;
use bladeink::story::Story;
use bladeink::value_type::ValueType;
use serde_json::{json, Value};

type Res<T> = Result<T, Box<dyn Error>>;

/// xorshift32, as ink_walk.js's `rand`: uniform enough to pick among three choices, and cheap.
struct XorShift(u32);

impl XorShift {
    /// `seed >>> 0 || 1`: the seed modulo 2^32, and 1 instead of 0 (a fixed point)
    fn new(seed: f64) -> Self {
        let x = (seed.trunc().rem_euclid(4294967296.0)) as u32;
        XorShift(if x == 0 { 1 } else { x })
    }

    /// a float in [0, 1), as `x / 4294967296` in JavaScript
    fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x as f64 / 4294967296.0
    }

    /// `Math.floor(rand() * n)`
    fn below(&mut self, n: usize) -> usize {
        (self.next() * n as f64).floor() as usize
    }
}

/// Where the story's EXTERNAL draw(n) gets its answer: `nextDraw` in ink_walk.js.
enum Draws {
    None,
    /// replay: the draws recorded for the step (`draws.shift()`)
    Recorded(VecDeque<i32>),
    /// walk: `Math.floor(rand() * n)` from the walk's own generator, which also picks choices
    Rand(Rc<RefCell<XorShift>>),
}

struct Draw(Rc<RefCell<Draws>>);

impl ExternalFunction for Draw {
    fn call(&mut self, _name: &str, args: Vec<ValueType>) -> Option<ValueType> {
        match &mut *self.0.borrow_mut() {
            Draws::None => None,
            // an empty queue answers nothing, as `[].shift()` gives undefined
            Draws::Recorded(q) => q.pop_front().map(ValueType::Int),
            Draws::Rand(rng) => {
                let n = args
                    .first()
                    .and_then(|a| a.coerce_to_int().ok())
                    .unwrap_or(0);
                let d = (rng.borrow_mut().next() * n as f64).floor();
                Some(ValueType::Int(d as i32))
            }
        }
    }
}

const VARS: [&str; 9] = [
    "energy", "clout", "compute", "met", "danced", "read", "pretzel", "ticket", "clock",
];

struct Driver {
    story: Option<Story>,
    draws: Rc<RefCell<Draws>>,
}

/// JSON.stringify of a string or a list of strings (no spaces, as JavaScript writes it)
fn js(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `${v}` in JavaScript, for the mismatch message
fn js_show(v: &Option<ValueType>) -> String {
    match v {
        None => "undefined".into(),
        Some(ValueType::Bool(b)) => b.to_string(),
        Some(ValueType::Int(i)) => i.to_string(),
        Some(ValueType::Float(f)) => serde_json::Number::from_f64(*f as f64)
            .map(|n| n.to_string())
            .unwrap_or_else(|| "NaN".into()),
        Some(other) => other.coerce_to_string().unwrap_or_default(),
    }
}

/// `(typeof v === "boolean" ? v : Number(v)) !== ours`, negated: booleans compare as
/// booleans, anything else as a number (never equal to a boolean, or to a missing value)
fn same(v: &Option<ValueType>, ours: Option<&Value>) -> bool {
    let num = match v {
        Some(ValueType::Bool(b)) => return ours == Some(&Value::Bool(*b)),
        Some(ValueType::Int(i)) => *i as f64,
        Some(ValueType::Float(f)) => *f as f64,
        Some(ValueType::String(_)) => {
            let s = v.as_ref().unwrap().coerce_to_string().unwrap_or_default();
            let t = s.trim();
            if t.is_empty() {
                0.0
            } else {
                t.parse::<f64>().unwrap_or(f64::NAN)
            }
        }
        _ => f64::NAN,
    };
    matches!(ours, Some(Value::Number(n)) if n.as_f64() == Some(num))
}

impl Driver {
    fn story(&mut self) -> Res<&mut Story> {
        self.story.as_mut().ok_or_else(|| "no story loaded".into())
    }

    fn load(&mut self, path: &str) -> Res<String> {
        let t0 = Instant::now();
        let text = std::fs::read_to_string(path)?;
        let mut story = Story::new(&text)?;
        // lookahead-safe, as ink_walk.js binds it (`true`)
        story.bind_external_function(
            "draw",
            Rc::new(RefCell::new(Draw(self.draws.clone()))),
            true,
        )?;
        self.story = Some(story);
        Ok(json!({"seconds": t0.elapsed().as_secs_f64()}).to_string())
    }

    /// the scene's text: Continue while it can, each line trimmed, empty lines dropped
    fn text(story: &mut Story) -> Res<String> {
        let mut lines = Vec::new();
        while story.can_continue() {
            let line = story.cont()?;
            let line = line.trim();
            if !line.is_empty() {
                lines.push(line.to_string());
            }
        }
        Ok(lines.join("\n"))
    }

    fn replay(&mut self, path: &str) -> Res<String> {
        // each step: {text, choices: [text...], pick: index, or -1 at an ending (a new game),
        // draw: the random choice's draw or null, after: the values once the step is taken}
        let steps: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let draws = self.draws.clone();
        *draws.borrow_mut() = Draws::Recorded(VecDeque::new());
        let story = self.story()?;
        story.reset_state()?;
        let mut said = Self::text(story)?;
        let mismatch =
            |what: String, k: usize| Ok(format!("{{\"mismatch\":{},\"step\":{k}}}", js(&what)));
        for (k, s) in steps.iter().enumerate() {
            if s["text"].as_str() != Some(said.as_str()) {
                return mismatch(format!("text: {}", js(&said)), k);
            }
            let shown: Vec<String> = story
                .get_current_choices()
                .iter()
                .map(|c| c.text.clone())
                .collect();
            if js(&shown) != js(&s["choices"]) {
                return mismatch(format!("choices: {}", js(&shown)), k);
            }
            let pick = s["pick"].as_i64().ok_or("a step without a pick")?;
            if pick < 0 {
                story.reset_state()?;
                said = Self::text(story)?;
                continue;
            }
            let recorded: VecDeque<i32> =
                s["draw"].as_i64().map(|d| d as i32).into_iter().collect();
            *draws.borrow_mut() = Draws::Recorded(recorded);
            story.choose_choice_index(pick as usize)?;
            said = Self::text(story)?; // the next scene's: the choice's effects have run once it is read
            if matches!(&*draws.borrow(), Draws::Recorded(q) if !q.is_empty()) {
                return mismatch("the story did not ask for the draw".into(), k);
            }
            for name in VARS {
                let v = story.get_variable(name);
                let ours = s["after"].get(name);
                if !same(&v, ours) {
                    let ours = ours.map_or("undefined".to_string(), |o| o.to_string());
                    return mismatch(format!("{name} = {}, ours {ours}", js_show(&v)), k);
                }
            }
        }
        Ok(format!("{{\"ok\":{}}}", steps.len()))
    }

    fn walk(&mut self, n: u64, seed: f64) -> Res<String> {
        let rng = Rc::new(RefCell::new(XorShift::new(seed)));
        *self.draws.borrow_mut() = Draws::Rand(rng.clone());
        let story = self.story()?;
        story.reset_state()?;
        let mut restarts = 0u64;
        let t0 = Instant::now();
        for _ in 0..n {
            while story.can_continue() {
                story.cont()?;
            }
            let choices = story.get_current_choices().len();
            if choices == 0 {
                story.reset_state()?;
                restarts += 1;
                continue;
            }
            let pick = rng.borrow_mut().below(choices);
            story.choose_choice_index(pick)?;
        }
        let seconds = t0.elapsed().as_secs_f64();
        Ok(format!(
            "{{\"seconds\":{},\"restarts\":{restarts}}}",
            json!(seconds)
        ))
    }

    fn command(&mut self, line: &str) -> Res<String> {
        let cmd: Value = serde_json::from_str(line)?;
        if let Some(p) = cmd.get("load") {
            self.load(p.as_str().ok_or("load: a path")?)
        } else if let Some(p) = cmd.get("replay") {
            self.replay(p.as_str().ok_or("replay: a path")?)
        } else if let Some(n) = cmd.get("walk") {
            let n = n.as_f64().ok_or("walk: a number of steps")?;
            let seed = cmd.get("seed").and_then(Value::as_f64).unwrap_or(0.0);
            self.walk(n.max(0.0).ceil() as u64, seed)
        } else {
            Err(format!("unknown command {line}").into())
        }
    }
}

fn main() {
    let mut driver = Driver {
        story: None,
        draws: Rc::new(RefCell::new(Draws::None)),
    };
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let answer = driver
            .command(&line)
            .unwrap_or_else(|e| json!({"error": e.to_string()}).to_string());
        // a line each, flushed: the caller waits for it before its next command
        if writeln!(out, "{answer}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
}
