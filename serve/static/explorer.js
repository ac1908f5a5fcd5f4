// The retsim explorer: controls whose state lives in the URL's query, a run
// per change (a newer change aborts the run it makes stale) and charts drawn
// as inline SVG. No network beyond this server.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);

const state = {
  scenarios: [],   // {name, description, values}
  dials: [],       // {key, min, max, step, doc}
  params: [],      // {key, unit, range, doc, source, dial, step}: every parameter the panel sets
  moved: {},       // parameter key -> value as text, the parameters moved from the scenario's own values
  ref: "", scenario: "", reps: 8,
  rep: "0", customer: "0", // whose story is told
  report: false,   // whether the server writes the report
  controller: null, // AbortController of the run in flight
  storyController: null, // and of the story
  timer: 0,
};

function choice(name) { return state.scenarios.find((s) => s.name === name); }

// query is the page's state as a query string: what the URL keeps and the run reads.
// reps, if given, replaces the replications (a run's first answer).
function query(reps) {
  const q = new URLSearchParams();
  q.set("ref", state.ref);
  q.set("scenario", state.scenario);
  q.set("reps", String(reps || state.reps));
  q.set("rep", String(state.rep));
  q.set("customer", String(state.customer));
  for (const p of state.params) {
    if (p.key in state.moved) q.set(p.key, state.moved[p.key]);
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
  state.rep = q.has("rep") ? q.get("rep") : "0";
  state.customer = q.has("customer") ? q.get("customer") : "0";
  state.moved = {};
  for (const p of state.params) {
    if (q.has(p.key)) state.moved[p.key] = q.get(p.key);
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
  for (const p of state.params) {
    const input = $("param-" + p.key);
    const moved = p.key in state.moved;
    input.value = moved ? state.moved[p.key] : sc.values[p.key];
    input.closest(".param").classList.toggle("moved", moved);
    input.closest(".param").classList.remove("bad");
  }
  for (const e of document.querySelectorAll(".field-error")) e.textContent = "";
  $("reps").value = state.reps;
  $("reps-value").textContent = state.reps;
  $("rep").value = state.rep;
  $("rep").max = state.reps - 1;
  $("customer").value = state.customer;
  const q = query();
  $("dl-yaml").href = "api/scenario.yaml?" + q;
  $("dl-csv").href = "api/data.csv?" + q;
  $("dl-report").href = "api/report.html?" + q;
  $("dl-report").hidden = !state.report;
}

// showError puts a refusal's message beside the control at fault, and in
// the form's message line.
function showError(field, message) {
  $("error").textContent = message;
  if (!field) return;
  const dial = $("dial-" + field);
  if (dial) dial.parentElement.classList.add("bad");
  const param = $("param-" + field);
  if (param) {
    param.closest(".param").classList.add("bad");
    $("panel").open = true;
  }
  const beside = $("err-" + field);
  if (beside) beside.textContent = message;
}

// paramRow is the panel's control of one parameter: its key, an input,
// its unit, range and source, and a place for its error.
function paramRow(p) {
  const row = document.createElement("div");
  row.className = "param";
  row.dataset.search = (p.key + " " + p.unit + " " + p.source).toLowerCase();
  const label = document.createElement("label");
  label.title = p.doc;
  label.append(p.key + " ");
  const input = document.createElement("input");
  Object.assign(input, { type: "number", id: "param-" + p.key, name: p.key, step: p.step || "any" });
  input.addEventListener("change", () => { state.moved[p.key] = input.value; changed(); });
  label.appendChild(input);
  row.appendChild(label);
  const info = document.createElement("p");
  info.className = "doc";
  info.textContent = (p.unit ? p.unit + ", " : "") + p.range + ". Source: " + p.source + ".";
  row.appendChild(info);
  const err = document.createElement("p");
  err.className = "field-error";
  err.id = "err-" + p.key;
  row.appendChild(err);
  return row;
}

function build(data) {
  state.scenarios = data.scenarios;
  state.dials = data.dials;
  state.params = data.params;
  state.report = data.report;
  for (const p of state.params) $("param-list").appendChild(paramRow(p));
  $("param-filter").addEventListener("input", () => {
    const f = $("param-filter").value.toLowerCase();
    for (const row of document.querySelectorAll(".param")) row.hidden = !row.dataset.search.includes(f);
  });
  for (const id of ["rep", "customer"]) {
    $(id).addEventListener("change", () => { state[id] = $(id).value; shown(); story(); });
  }
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
  shown();
  if (state.controller) state.controller.abort();
  clearTimeout(state.timer);
  state.timer = setTimeout(run, 150);
}

// shown sets the controls from the state and keeps it in the URL.
function shown() {
  show();
  history.replaceState(null, "", "?" + query());
}

// firstReps is the replications of a run's first answer: a run of more
// answers first from these, the same first replications as the full run's
// (a replication depends only on the seed and its index), then refines.
const firstReps = 2;

async function run() {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  $("error").textContent = "";
  const full = Number(state.reps);
  const stages = full > firstReps ? [firstReps, full] : [full];
  try {
    for (const [i, reps] of stages.entries()) {
      $("status").textContent = "Simulating " + reps + " replications…";
      const resp = await fetch("api/run?" + query(reps), { signal: controller.signal });
      const body = await resp.json();
      if (controller !== state.controller) return;
      if (!resp.ok) {
        showError(body.field, body.error);
        $("status").textContent = "Not run.";
        return;
      }
      $("verdict").textContent = body.verdict;
      state.periodName = body.period_name;
      $("status").textContent = body.replications + " replications of " + body.periods + " " + body.period_name + "s, " +
        body.scenario + " against " + body.reference + " on common random numbers." +
        (i < stages.length - 1 ? " Refining to " + full + "…" : "");
      draw(body.charts);
      if (i === 0) story();
    }
  } catch (e) {
    if (e.name !== "AbortError") $("error").textContent = String(e);
  } finally {
    if (controller === state.controller) state.controller = null;
  }
}

// story fetches and shows the chosen customer's story under both
// policies, aborting the one in flight.
async function story() {
  if (state.storyController) state.storyController.abort();
  const controller = new AbortController();
  state.storyController = controller;
  for (const id of ["err-rep", "err-customer"]) $(id).textContent = "";
  try {
    const resp = await fetch("api/story?" + query(), { signal: controller.signal });
    const body = await resp.json();
    if (controller !== state.storyController) return;
    if (!resp.ok) {
      showError(body.field, body.error);
      $("story-table").replaceChildren();
      $("story-summary").textContent = "";
      return;
    }
    tell(body);
  } catch (e) {
    if (e.name !== "AbortError") $("error").textContent = String(e);
  }
}

const fixed = (x, n) => (Math.abs(x) < 0.5 * Math.pow(10, -n) ? 0 : x).toFixed(n);
const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

// events says in words what happened to a customer in one period.
function events(p) {
  const out = [];
  if (p.Contacts) {
    const self = p.Contacts - p.HumanContacts;
    out.push(plural(p.Contacts, "contact") + " (" + [p.HumanContacts ? p.HumanContacts + " by a person" : "", self ? self + " self-service" : ""].filter(Boolean).join(", ") +
      "; " + (p.Unresolved ? p.Unresolved + " unresolved" : "resolved") + ")");
  }
  if (p.Incidents) {
    let s = plural(p.Incidents, "incident");
    if (p.Gestures) s += ", " + plural(p.Gestures, "gesture");
    if (p.Fees) s += ", fee " + fixed(p.Fees, 2);
    out.push(s);
  }
  if (p.PriceChange) out.push("price " + (p.PriceChange > 0 ? "+" : "") + fixed(100 * p.PriceChange, 1) + "%");
  if (p.Advised) out.push(p.MovedDown ? "advised a cheaper plan, moved down" : "advised a cheaper plan");
  if (p.Upsold) out.push("upsold to a dearer plan");
  if (p.Referred) out.push(p.Converted ? "recommended the firm: a new customer" : "recommended the firm");
  if (p.Left) out.push("leaves");
  return out.join("; ");
}

function leaving(s) {
  return s.Left >= 0 ? "leaves at the end of period " + s.Left : "is still a customer at the horizon";
}

// tell shows two stories of one customer side by side.
function tell(body) {
  const [a, b] = body.stories;
  $("story-summary").textContent = "Customer " + a.Customer + " of replication " + a.Replication + ": base churn " +
    fixed(100 * a.Theta, 2) + "% a period, resistance " + fixed(a.Resistance, 3) + ", likelihood-to-recommend offset " +
    fixed(a.LTROffset, 2) + (a.Overpay ? ", starts on too dear a plan" : "") + ". Under " + body.reference + " the customer " +
    leaving(a) + "; under " + body.scenario + " the customer " + leaving(b) + ".";
  const table = $("story-table");
  table.replaceChildren();
  const head = table.createTHead();
  const top = head.insertRow();
  const th = (row, text, attrs) => { const c = document.createElement("th"); c.textContent = text; Object.assign(c, attrs || {}); row.appendChild(c); return c; };
  th(top, "Period", { rowSpan: 2 });
  th(top, body.reference, { colSpan: 4, className: "ref" });
  th(top, body.scenario, { colSpan: 4, className: "alt" });
  const sub = head.insertRow();
  for (let i = 0; i < 2; i++) for (const h of ["Goodwill", "What happened", "Margin", "Recommends"]) th(sub, h);
  const tbody = table.createTBody();
  const n = Math.max(a.Periods.length, b.Periods.length);
  for (let t = 0; t < n; t++) {
    const row = tbody.insertRow();
    row.insertCell().textContent = t;
    for (const s of [a, b]) {
      const p = s.Periods[t];
      if (!p) {
        const c = row.insertCell();
        c.colSpan = 4;
        c.className = "gone";
        c.textContent = "gone";
        continue;
      }
      row.insertCell().textContent = fixed(p.Goodwill, 2);
      const ev = row.insertCell();
      ev.textContent = events(p);
      if (p.Left) ev.className = "left";
      row.insertCell().textContent = fixed(p.Margin, 2);
      const cls = row.insertCell();
      cls.textContent = p.LTR + " " + p.Class;
      cls.className = p.Class;
    }
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
  for (const t of n > 1 ? ticks(0, n - 1) : [0]) {
    if (!Number.isInteger(t)) continue;
    el("text", { x: x(t), y: H - B + 14, "text-anchor": "middle" }, svg).textContent = t;
  }
  el("text", { x: W - R, y: H - 2, "text-anchor": "end" }, svg).textContent = (state.periodName || "period") + " (0 = first)";
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
    key.style.color = cls === "ref" ? "#E69F00" : "#0072B2";
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
