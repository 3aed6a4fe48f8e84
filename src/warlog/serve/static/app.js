// warlog web UI: offline SVG map (equirectangular), weekly timeline and event list, all from /api.
const W = 960, H = 480;
const svgNS = "http://www.w3.org/2000/svg";
let view = { x0: -180, y0: 90, k: W / 360 };  // lon/lat -> screen

function px(lon, lat) { return [(lon - view.x0) * view.k, (view.y0 - lat) * view.k]; }
function el(name, attrs, parent) {
  const e = document.createElementNS(svgNS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}
function ringPath(ring) { return ring.map((c, i) => (i ? "L" : "M") + px(c[0], c[1]).map((v) => v.toFixed(1)).join(",")).join("") + "Z"; }
function geomPath(g) {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  return polys.map((p) => p.map(ringPath).join("")).join("");
}
function fitTo(events) {
  const pts = events.filter((e) => e.latitude != null);
  if (!pts.length) { view = { x0: -180, y0: 90, k: W / 360 }; return; }
  let [w, e, s, n] = [180, -180, 90, -90];
  for (const p of pts) { w = Math.min(w, p.longitude); e = Math.max(e, p.longitude); s = Math.min(s, p.latitude); n = Math.max(n, p.latitude); }
  const pad = 4, span = Math.max(e - w + 2 * pad, (n - s + 2 * pad) * 2, 12);
  const cx = (w + e) / 2, cy = (s + n) / 2;
  view = { x0: cx - span / 2, y0: cy + span / 4, k: W / span };
}
let basemap = null;
async function drawMap(events) {
  const svg = document.getElementById("map");
  svg.replaceChildren();
  if (!basemap) basemap = await (await fetch("/static/basemap.json")).json();
  fitTo(events);
  const g = el("g", {}, svg);
  for (const f of basemap.features) el("path", { d: geomPath(f.geometry), class: "country" }, g).appendChild(
    Object.assign(document.createElementNS(svgNS, "title"), { textContent: f.properties.name }));
  const byDeaths = [...events].sort((a, b) => (b.fatalities_best || 0) - (a.fatalities_best || 0));
  for (const e of byDeaths) {  // large circles first, small ones drawn on top stay clickable
    if (e.latitude == null) continue;
    const [x, y] = px(e.longitude, e.latitude);
    const r = 4 + Math.sqrt(e.fatalities_best || 0);
    const c = el("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: Math.min(r, 30).toFixed(1), class: "event", "data-id": e.event_id }, svg);
    c.appendChild(Object.assign(document.createElementNS(svgNS, "title"),
      { textContent: `${e.event_date} ${e.sub_event_type} — ${e.location} (${e.fatalities_best ?? "?"} killed)` }));
    c.addEventListener("click", () => { location.href = "/event/" + e.event_id; });
  }
  svg.setAttribute("data-rendered", String(events.filter((e) => e.latitude != null).length));
}
function drawTimeline(periods) {
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  if (!periods.length) return;
  const maxE = Math.max(...periods.map((p) => p.events)), maxF = Math.max(1, ...periods.map((p) => p.fatalities));
  const bw = Math.max(2, (W - 20) / periods.length);
  periods.forEach((p, i) => {
    const x = 10 + i * bw;
    const he = (p.events / maxE) * 60, hf = (p.fatalities / maxF) * 60;
    el("rect", { x, y: 70 - he, width: bw * 0.45, height: he, class: "events" }, svg).appendChild(
      Object.assign(document.createElementNS(svgNS, "title"), { textContent: `${p.period}: ${p.events} events` }));
    el("rect", { x: x + bw * 0.5, y: 135 - hf, width: bw * 0.45, height: hf, class: "deaths" }, svg).appendChild(
      Object.assign(document.createElementNS(svgNS, "title"), { textContent: `${p.period}: ${p.fatalities} killed` }));
  });
  el("text", { x: 10, y: 12, "font-size": 11 }, svg).textContent =
    `${periods[0].period.slice(0, 10)} … ${periods[periods.length - 1].period.slice(0, 10)}`;
}
function params() {
  const fd = new FormData(document.getElementById("filters"));
  const p = new URLSearchParams();
  for (const [k, v] of fd.entries()) if (v) p.set(k, v);
  return p;
}
async function load() {
  const p = params();
  p.set("limit", "1000");
  const [ev, tl, fc] = await Promise.all([
    fetch("/api/events?" + p).then((r) => r.json()),
    fetch("/api/timeline?" + params()).then((r) => r.json()),
    fetch("/api/facets").then((r) => r.json()),
  ]);
  const events = ev.events || [];
  document.getElementById("counts").textContent =
    `${ev.total} events · ${fc.counts.clusters} distinct events after dedupe · ${fc.counts.articles} articles`;
  const tb = document.querySelector("#events tbody");
  tb.replaceChildren();
  for (const e of events.slice(0, 300)) {
    const tr = document.createElement("tr");
    const a = Object.assign(document.createElement("a"), { href: "/event/" + e.event_id, textContent: e.sub_event_type });
    const cells = [e.event_date ?? "?", a, `${e.location ?? "?"} (${e.country ?? ""})`, e.fatalities_best ?? ""];
    for (const c of cells) { const td = document.createElement("td"); td.append(c); tr.append(td); }
    tb.append(tr);
  }
  document.getElementById("more").textContent = ev.total > 300 ? `showing 300 of ${ev.total}` : "";
  await drawMap(events);
  drawTimeline(tl.periods || []);
  document.body.setAttribute("data-ready", "1");
}
document.getElementById("filters").addEventListener("submit", (e) => { e.preventDefault(); load(); });
load();
