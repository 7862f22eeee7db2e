// The dashboard page. Every value from the store (run names, specs, configs) is written with textContent, never as
// HTML, so a run named "<script>…" is shown as that text; the server's Content-Security-Policy forbids inline script.
"use strict";
const charts = {};

function showError(message) {
  const e = document.getElementById("error");
  e.textContent = message;
  e.hidden = false;
}

async function getJson(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  row.appendChild(td);
}

function pct(v) { return v === null || v === undefined ? "" : (100 * v).toFixed(2) + " %"; }

function draw(id, labels, datasets, xTitle) {
  if (charts[id]) charts[id].destroy();
  charts[id] = new Chart(document.getElementById(id), {
    type: "line",
    data: { labels, datasets: datasets.map(d => ({ label: d.label, data: d.data, borderWidth: 2, pointRadius: 0, spanGaps: true })) },
    options: { animation: false, responsive: false, scales: { x: { title: { display: true, text: xTitle } } } },
  });
}

async function loadRuns() {
  const form = new FormData(document.getElementById("filters"));
  const query = new URLSearchParams();
  for (const [k, v] of form.entries()) if (v) query.set(k, v);
  const runs = await getJson("/api/runs?" + query.toString());
  const body = document.querySelector("#runs tbody");
  body.replaceChildren();
  for (const r of runs) {
    const tr = document.createElement("tr");
    tr.className = "run";
    tr.dataset.id = r.id;
    [r.id, r.kind, r.status, r.name, r.data, r.model, r.activation, r.seed, pct(r.final.test_accuracy), r.started.replace("T", " ").slice(0, 19)]
      .forEach(v => cell(tr, v));
    tr.addEventListener("click", () => showRun(r.id).catch(e => showError(e.message)));
    body.appendChild(tr);
  }
  document.body.dataset.runs = String(runs.length);
}

async function showRun(id) {
  const d = await getJson(`/api/runs/${id}`);
  document.getElementById("run-detail").hidden = false;
  document.getElementById("run-title").textContent = `run ${d.run.id}: ${d.run.kind} ${d.run.name ?? ""} (${d.run.status})`;
  const epochs = d.epochs.map(e => e.epoch);
  const series = key => d.epochs.map(e => e.metrics[key] ?? null);
  draw("curve-acc", epochs, [{ label: "test accuracy", data: series("test_accuracy") }, { label: "train accuracy", data: series("train_accuracy") }], "epoch");
  draw("curve-loss", epochs, [{ label: "test loss", data: series("test_loss") }, { label: "train loss", data: series("train_loss") }], "epoch");
  document.getElementById("run-config").textContent = JSON.stringify({ config: d.config, environment: d.environment }, null, 2);
  document.body.dataset.curve = String(d.run.id);
}

async function loadStudies() {
  const studies = await getJson("/api/studies");
  const body = document.querySelector("#studies tbody");
  body.replaceChildren();
  for (const s of studies)
    for (const row of s.table) {
      const tr = document.createElement("tr");
      [s.name, row.data, row.model, row.activation, row.runs, `${pct(row.accuracy)} ± ${pct(row.accuracy_std)}`, row.loss === null ? "" : row.loss.toFixed(4)]
        .forEach(v => cell(tr, v));
      body.appendChild(tr);
    }
}

async function plotActivation() {
  const spec = document.getElementById("act-spec").value;
  const d = await getJson("/api/activations/curve?spec=" + encodeURIComponent(spec));
  draw("act-chart", d.x.map(x => x.toFixed(2)), [{ label: `${d.spec}: f(x)`, data: d.f }, { label: "f′(x)", data: d.df }], "x");
}

async function loadActivationNames() {
  const names = await getJson("/api/activations");
  const list = document.getElementById("act-names");
  for (const a of names) { const o = document.createElement("option"); o.value = a.name; list.appendChild(o); }
}

document.getElementById("filters").addEventListener("submit", ev => { ev.preventDefault(); loadRuns().catch(e => showError(e.message)); });
document.getElementById("act-plot").addEventListener("click", () => plotActivation().catch(e => showError(e.message)));
Promise.all([loadRuns(), loadStudies(), loadActivationNames(), plotActivation()])
  .then(() => { document.body.dataset.ready = "1"; })
  .catch(e => showError(e.message));
