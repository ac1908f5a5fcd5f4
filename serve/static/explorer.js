// The retsim explorer: controls whose state lives in the URL's query, a run
// per change (a newer change aborts the run it makes stale) and charts drawn
// as inline SVG. No network beyond this server.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);

const state = {
  scenarios: [],   // {name, description, values}
  dials: [],       // {key, min, max, step, doc}
  moved: {},       // dial key -> value as text, the dials moved from the scenario's own values
  ref: "", scenario: "", reps: 8,
  controller: null, // AbortController of the run in flight
  timer: 0,
};

function choice(name) { return state.scenarios.find((s) => s.name === name); }

// query is the page's state as a query string: what the URL keeps and the run reads.
function query() {
  const q = new URLSearchParams();
  q.set("ref", state.ref);
  q.set("scenario", state.scenario);
  q.set("reps", String(state.reps));
  for (const d of state.dials) {
    if (d.key in state.moved) q.set(d.key, state.moved[d.key]);
  }
  return q.toString();
}

function fromURL(defaults, defaultReps) {
  const q = new URLSearchParams(location.search);
  const names = state.scenarios.map((s) => s.name);
  const pick = (v, prefs) => (v !== null && names.includes(v)) ? v : (prefs.find((p) => names.includes(p)) || names[0]);
  state.ref = pick(q.get("ref"), [defaults[0], names[0]]);
  state.scenario = pick(q.get("scenario"), [defaults[1], names[1]]);
  state.reps = q.has("reps") ? q.get("reps") : defaultReps;
  state.moved = {};
  for (const d of state.dials) {
    if (q.has(d.key)) state.moved[d.key] = q.get(d.key);
  }
}

// show sets every control from the state.
function show() {
  $("ref").value = state.ref;
  $("scenario").value = state.scenario;
  const sc = choice(state.scenario);
  $("description").textContent = sc ? sc.description : "";
  for (const d of state.dials) {
    const input = $("dial-" + d.key);
    const moved = d.key in state.moved;
    input.value = moved ? state.moved[d.key] : sc.values[d.key];
    $("out-" + d.key).textContent = moved ? state.moved[d.key] : String(sc.values[d.key]);
    input.parentElement.classList.toggle("moved", moved);
    input.parentElement.classList.remove("bad");
  }
  $("reps").value = state.reps;
  $("reps-value").textContent = state.reps;
}

function build(data) {
  state.scenarios = data.scenarios;
  state.dials = data.dials;
  for (const id of ["ref", "scenario"]) {
    const sel = $(id);
    for (const s of state.scenarios) {
      const o = document.createElement("option");
      o.value = o.textContent = s.name;
      sel.appendChild(o);
    }
    sel.addEventListener("change", () => {
      state[id] = sel.value;
      if (id === "scenario") state.moved = {};
      changed();
    });
  }
  for (const d of state.dials) {
    const label = document.createElement("label");
    label.title = d.doc;
    label.append(d.key + " ");
    const out = document.createElement("output");
    out.id = "out-" + d.key;
    label.appendChild(out);
    const input = document.createElement("input");
    Object.assign(input, { type: "range", id: "dial-" + d.key, name: d.key, min: d.min, max: d.max, step: d.step });
    const move = () => { state.moved[d.key] = input.value; changed(); };
    input.addEventListener("input", move);
    input.addEventListener("change", move);
    label.appendChild(input);
    $("dials").appendChild(label);
  }
  $("reps").max = data.max_replications;
  const reps = () => { state.reps = $("reps").value; changed(); };
  $("reps").addEventListener("input", reps);
  $("reps").addEventListener("change", reps);
  $("reset").addEventListener("click", () => { state.moved = {}; changed(); });
  window.addEventListener("popstate", () => { fromURL(data.defaults, data.default_replications); show(); run(); });
  fromURL(data.defaults, data.default_replications);
  show();
  run();
}

// changed keeps the state in the URL and starts a run shortly, aborting the
// one in flight: its answer would be stale.
function changed() {
  show();
  history.replaceState(null, "", "?" + query());
  if (state.controller) state.controller.abort();
  clearTimeout(state.timer);
  state.timer = setTimeout(run, 150);
}

async function run() {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  $("status").textContent = "Simulating " + state.reps + " replications…";
  $("error").textContent = "";
  try {
    const resp = await fetch("api/run?" + query(), { signal: controller.signal });
    const body = await resp.json();
    if (controller !== state.controller) return;
    if (!resp.ok) {
      $("error").textContent = body.error;
      $("status").textContent = "Not run.";
      const input = body.field && $("dial-" + body.field);
      if (input) input.parentElement.classList.add("bad");
      return;
    }
    $("verdict").textContent = body.verdict;
    $("status").textContent = body.replications + " replications of " + body.periods + " periods, " +
      body.scenario + " against " + body.reference + " on common random numbers.";
    draw(body.charts);
  } catch (e) {
    if (e.name !== "AbortError") $("error").textContent = String(e);
  } finally {
    if (controller === state.controller) state.controller = null;
  }
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}

// tick formats an axis value with k, M or G.
function tick(v) {
  const a = Math.abs(v);
  for (const [d, u] of [[1e9, "G"], [1e6, "M"], [1e3, "k"]]) {
    if (a >= d) return +(v / d).toPrecision(3) + u;
  }
  return String(+v.toPrecision(3));
}

// ticks are about five round values (1, 2 or 5 times a power of ten apart) from lo to hi.
function ticks(lo, hi) {
  const raw = (hi - lo) / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function draw(charts) {
  const box = $("charts");
  box.replaceChildren();
  for (const c of charts) box.appendChild(chart(c));
}

// chart draws each line's mean and its band against the period.
function chart(c) {
  const W = 480, H = 240, L = 56, R = 10, T = 10, B = 28;
  const fig = document.createElement("figure");
  const cap = document.createElement("figcaption");
  cap.textContent = c.title + " (" + c.unit + ")";
  fig.appendChild(cap);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": c.title });
  let lo = Infinity, hi = -Infinity, n = 0;
  const isDiff = c.lines.length === 1;
  for (const l of c.lines) {
    n = Math.max(n, l.mean.length);
    for (const s of [l.low, l.high, l.mean]) for (const v of s) {
      if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  if (isDiff) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  if (!isFinite(lo)) { lo = 0; hi = 1; }
  if (hi === lo) { hi += 1; lo -= 1; }
  const x = (t) => L + (n > 1 ? t / (n - 1) : 0.5) * (W - L - R);
  const y = (v) => T + (hi - v) / (hi - lo) * (H - T - B);
  el("line", { class: "axis", x1: L, x2: L, y1: T, y2: H - B }, svg);
  el("line", { class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B }, svg);
  for (const v of ticks(lo, hi)) {
    el("line", { class: "axis", x1: L - 3, x2: L, y1: y(v), y2: y(v) }, svg);
    el("text", { x: L - 5, y: y(v) + 4, "text-anchor": "end" }, svg).textContent = tick(v);
  }
  for (let i = 0; i <= 4; i++) {
    const t = Math.round((n - 1) * i / 4);
    el("text", { x: x(t), y: H - B + 14, "text-anchor": "middle" }, svg).textContent = t;
  }
  el("text", { x: W - R, y: H - 2, "text-anchor": "end" }, svg).textContent = "period";
  if (isDiff && lo < 0 && hi > 0) el("line", { class: "zero", x1: L, x2: W - R, y1: y(0), y2: y(0) }, svg);
  const legend = document.createElement("p");
  legend.className = "legend";
  c.lines.forEach((l, i) => {
    const cls = isDiff ? "diff" : (i === 0 ? "ref" : "alt");
    const up = [], down = [], mean = [];
    for (let t = 0; t < l.mean.length; t++) {
      if (l.low[t] !== null && l.high[t] !== null) { up.push([x(t), y(l.high[t])]); down.unshift([x(t), y(l.low[t])]); }
      if (l.mean[t] !== null) mean.push([x(t), y(l.mean[t])]);
    }
    const path = (pts) => pts.map((p, k) => (k ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1)).join("");
    if (up.length) el("path", { class: "band " + cls, d: path(up.concat(down)) + "Z" }, svg);
    if (mean.length) el("path", { class: "mean " + cls, d: path(mean) }, svg);
    const key = document.createElement("span");
    key.className = cls;
    key.textContent = (i ? "; " : "") + "— " + l.name;
    key.style.color = cls === "ref" ? "#1b6ca8" : cls === "alt" ? "#d1495b" : "#2a9d8f";
    legend.appendChild(key);
  });
  legend.append(" (mean; shaded: " + c.band + ")");
  fig.appendChild(svg);
  fig.appendChild(legend);
  return fig;
}

fetch("api/scenarios")
  .then((r) => r.json())
  .then(build)
  .catch((e) => { $("error").textContent = String(e); });
