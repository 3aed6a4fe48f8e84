// warlog map page: Leaflet on offline vector layers (Natural Earth countries and admin-1, gazetteer places),
// events clustered in the browser by supercluster, a brushable timeline and a sortable, paged table of the events
// in view. The URL holds the view and the filters (/?bbox=W,S,E,N&date_from=...): opening it restores them.
"use strict";
const PAGE = 25;
const form = document.getElementById("filters");
const state = { sort: "date", descending: true, offset: 0, points: null, point: null, index: null, bucket: "week" };
const t0 = performance.now();
const timings = {};  // ms since page start of each loading step, in body[data-timings] (see the 50,000-event test)
const mark = (k) => { timings[k] = Math.round(performance.now() - t0); };

// ---- map ---------------------------------------------------------------------------------------------------------
const map = L.map("map", { preferCanvas: true, minZoom: 2, maxZoom: 16, worldCopyJump: true, zoomControl: true,
  keyboard: true, attributionControl: true });
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution("Natural Earth (public domain) · places: GeoNames (CC-BY 4.0) · Leaflet");
const admin1Layer = L.geoJSON(null, { interactive: false, style: { color: "#8a8a8a", weight: 0.6, dashArray: "3 3", fill: false } });
const placesLayer = L.layerGroup();
const eventsLayer = L.layerGroup().addTo(map);
let basemapLayer = null;

function radiusFor(deaths) { return Math.round(6 + Math.min(15, 2 * Math.sqrt(deaths || 0))); }
function eventIcon(p) {
  const d = 2 * radiusFor(p.fatalities_best);
  return L.divIcon({ className: "ev-marker", iconSize: [d, d],
    html: `<span style="background:${typeColour(p.event_type)}"></span>` });
}
function clusterIcon(n, deaths) {
  const d = Math.round(26 + Math.min(30, 6 * Math.log10(n + 1) + 3 * Math.log10(deaths + 1)));
  return L.divIcon({ className: "ev-cluster", iconSize: [d, d], html: `<span>${n >= 1000 ? Math.round(n / 100) / 10 + "k" : n}</span>` });
}
function popupHtml(e) {
  const div = h("div", { class: "popup", "data-event-id": e.event_id },
    h("strong", { text: `${e.event_date ?? "date unknown"}` }), h("br"),
    h("span", { text: `${e.event_type ?? ""} — ${e.sub_event_type ?? ""}` }), h("br"),
    h("span", { text: actors(e) }), h("br"),
    h("span", { text: `killed: ${fmtDeaths(e)}${e.civilian_fatalities ? ` (civilians ${e.civilian_fatalities})` : ""}` }), h("br"),
    h("span", { text: `${e.location ?? "?"}${e.admin1 ? ", " + e.admin1 : ""} (${e.country ?? ""})` }), h("br"),
    h("a", { href: "/event/" + e.event_id, text: "event page and evidence" }));
  return div;
}
function drawMarkers() {
  if (!state.index) return;
  const b = map.getBounds(), z = Math.round(map.getZoom());
  const west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
  const items = state.index.getClusters([west, Math.max(-85, b.getSouth()), east, Math.min(85, b.getNorth())], z);
  eventsLayer.clearLayers();
  const seen = new Map();  // identical places spread in a small ring so each report stays clickable
  for (const it of items) {
    const [lon, lat] = it.geometry.coordinates;
    if (it.properties.cluster) {
      const m = L.marker([lat, lon], { icon: clusterIcon(it.properties.point_count, it.properties.deaths), keyboard: true,
        title: `${it.properties.point_count} events, ${it.properties.deaths} killed: zoom in`, riseOnHover: true });
      m.on("click", () => map.flyTo([lat, lon], Math.min(state.index.getClusterExpansionZoom(it.properties.cluster_id), 16), { duration: 0.4 }));
      eventsLayer.addLayer(m);
      m.getElement().setAttribute("data-cluster-size", it.properties.point_count);
      continue;
    }
    const p = state.point(it.properties.i), key = `${lat},${lon}`, k = seen.get(key) || 0;
    seen.set(key, k + 1);
    let ll = L.latLng(lat, lon);
    if (k) {  // offset in screen pixels
      const pt = map.latLngToLayerPoint(ll), a = k * 2.4, r = 14 + 4 * k;
      ll = map.layerPointToLatLng(L.point(pt.x + r * Math.cos(a), pt.y + r * Math.sin(a)));
    }
    const m = L.marker(ll, { icon: eventIcon(p), keyboard: true, riseOnHover: true,
      title: `${p.event_date ?? "?"} ${p.event_type}, ${p.fatalities_best ?? "?"} killed` });
    m.bindPopup(h("div", { class: "popup", "data-event-id": p.event_id }, "loading…"), { autoPanPadding: [20, 20] });
    m.once("popupopen", () => getJSON("/api/events/" + p.event_id).then((e) => m.setPopupContent(popupHtml(e)))
      .catch((err) => m.setPopupContent(String(err))));
    eventsLayer.addLayer(m);
    const el = m.getElement();
    el.setAttribute("data-event-id", p.event_id);
    el.setAttribute("data-event-type", p.event_type || "");
  }
  document.getElementById("map").setAttribute("data-markers", String(items.length));
}

async function loadBase() {
  const world = await getJSON("/static/basemap.json");
  mark("basemap_fetched");
  basemapLayer = L.geoJSON(world, { interactive: false,
    style: { color: "#7d7d7d", weight: 0.9, fillColor: "#f4f1e8", fillOpacity: 1 } }).addTo(map);
  basemapLayer.bringToBack();
}
function loadAdmin1() {  // after the events are drawn: 3.5 MB of boundaries must not delay them
  return getJSON("/static/admin1.json").then((topo) => {  // Natural Earth admin-1, drawn from zoom 4
    admin1Layer.addData(topojson.feature(topo, topo.objects.admin1));
    toggleLayers();
  }).catch((e) => console.error("admin1", e));
}
let placesTimer = null;
function toggleLayers() {
  const z = map.getZoom();
  if (z >= 4 && !map.hasLayer(admin1Layer)) admin1Layer.addTo(map);
  if (z < 4 && map.hasLayer(admin1Layer)) map.removeLayer(admin1Layer);
  clearTimeout(placesTimer);
  if (z >= 7) placesTimer = setTimeout(() => loadPlaces().catch((e) => console.error("places", e)), 150);
  else placesLayer.clearLayers();
}
async function loadPlaces() {  // towns and villages of the gazetteer as labels, the biggest first
  const b = map.getBounds(), z = map.getZoom();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)).toFixed(3)).join(",");
  const d = await getJSON(`/api/places?bbox=${bbox}&limit=${z >= 12 ? 400 : z >= 10 ? 150 : 60}`);
  placesLayer.clearLayers();
  for (const [name, lon, lat] of d.places) {
    L.circleMarker([lat, lon], { radius: 2, color: "#444", weight: 1, fillOpacity: 1, interactive: false })
      .bindTooltip(name, { permanent: true, direction: "right", className: "place-label", offset: [3, 0] }).addTo(placesLayer);
  }
  if (!map.hasLayer(placesLayer)) placesLayer.addTo(map);
}

// ---- legend ------------------------------------------------------------------------------------------------------
const legend = L.control({ position: "topright" });
legend.onAdd = () => {
  const div = h("details", { class: "legend", "aria-label": "legend", open: window.innerWidth > 900 },
    h("summary", { text: "Legend" }), h("strong", { text: "Event type" }));
  for (const t of TYPES) div.append(h("div", {}, h("span", { class: "swatch", style: `background:${typeColour(t)}` }), t));
  const sizes = h("div", { class: "sizes" }, h("strong", { text: "Killed" }));
  for (const n of [0, 10, 100]) {
    const d = 2 * radiusFor(n);
    sizes.append(h("span", { class: "size" }, h("span", { class: "dot", style: `width:${d}px;height:${d}px` }), String(n)));
  }
  div.append(sizes, h("div", {}, h("span", { class: "swatch cluster" }), "group of events (number): select to zoom in"));
  L.DomEvent.disableClickPropagation(div);
  return div;
};
legend.addTo(map);

// ---- URL state ---------------------------------------------------------------------------------------------------
function viewBbox() {
  const b = map.getBounds();
  return [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())]
    .map((v) => v.toFixed(3)).join(",");
}
function writeUrl() {
  const p = formFilters(form);
  p.set("bbox", viewBbox());
  if (state.sort !== "date" || !state.descending) { p.set("sort", state.sort); p.set("descending", String(state.descending)); }
  history.replaceState(null, "", "/?" + p.toString().replace(/%2C/g, ","));
  const dl = formFilters(form); dl.set("bbox", viewBbox());
  document.getElementById("dl-acled").href = "/api/export/acled.csv?" + dl;
  document.getElementById("dl-geojson").href = "/api/export/events.geojson?" + dl;
  document.getElementById("review-link").href = "/review?" + dl.toString().replace(/%2C/g, ",");
}

// ---- data --------------------------------------------------------------------------------------------------------
async function loadPoints() {
  const d = await getJSON("/api/points?" + formFilters(form));
  mark("points_fetched");
  const n = d.total, L_ = d.id_length, feats = new Array(n);
  for (let i = 0; i < n; i++) {
    feats[i] = { type: "Feature", geometry: { type: "Point", coordinates: [d.lon[i] / 1e5, d.lat[i] / 1e5] }, properties: { i } };
  }
  state.points = d;
  state.point = (i) => ({ event_id: d.ids.slice(i * L_, (i + 1) * L_), event_type: d.types[d.type[i]] ?? null,
    fatalities_best: d.deaths[i] < 0 ? null : d.deaths[i],
    event_date: d.day[i] == null ? null : new Date(d.day[i] * 86400000).toISOString().slice(0, 10) });
  state.index = new Supercluster({ radius: 48, maxZoom: 13, minPoints: 2,
    map: (p) => ({ deaths: Math.max(0, d.deaths[p.i]) }), reduce: (a, b) => { a.deaths += b.deaths; } }).load(feats);
  document.getElementById("map").setAttribute("data-points", String(n));
  mark("points_indexed");
  return d;
}
async function loadTable() {
  const p = formFilters(form);
  p.set("bbox", viewBbox()); p.set("sort", state.sort === "date" ? "date" : state.sort); p.set("descending", String(state.descending));
  p.set("limit", String(PAGE)); p.set("offset", String(state.offset));
  const d = await getJSON("/api/events?" + p);
  const tb = document.querySelector("#events tbody");
  tb.replaceChildren();
  for (const e of d.events) {
    tb.append(h("tr", { "data-event-id": e.event_id },
      h("td", { text: e.event_date ?? "?" }),
      h("td", {}, h("span", { class: "swatch", style: `background:${typeColour(e.event_type)}`, "aria-hidden": "true" }),
        h("a", { href: "/event/" + e.event_id, text: e.sub_event_type || e.event_type })),
      h("td", { text: `${e.location ?? "?"}${e.country ? " (" + e.country + ")" : ""}` }),
      h("td", { text: actors(e) }), h("td", { text: fmtDeaths(e) })));
  }
  const last = Math.min(d.total, state.offset + d.events.length);
  document.getElementById("page-info").textContent = d.total ? `${state.offset + 1}–${last} of ${d.total}` : "no events";
  document.getElementById("table-info").textContent = `${d.total} events in view`;
  document.getElementById("prev").disabled = state.offset === 0;
  document.getElementById("next").disabled = last >= d.total;
  for (const th of document.querySelectorAll("#events th")) {
    const b = th.querySelector("button");
    th.setAttribute("aria-sort", b.dataset.sort === state.sort ? (state.descending ? "descending" : "ascending") : "none");
  }
  document.getElementById("events").setAttribute("data-total", String(d.total));
}

// ---- timeline with a brush ----------------------------------------------------------------------------------------
const svgNS = "http://www.w3.org/2000/svg";
function sv(name, attrs, parent) {
  const e = document.createElementNS(svgNS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}
let periods = [];
async function loadTimeline() {
  const p = formFilters(form); p.delete("date_from"); p.delete("date_to");
  const range = (await getJSON("/api/timeline?bucket=month&" + p)).periods;
  if (!range.length) { periods = []; drawTimeline(); return; }
  const a = new Date(range[0].period), b = new Date(range[range.length - 1].period);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
  state.bucket = months > 18 ? "month" : months > 2 ? "week" : "day";
  const sparse = state.bucket === "month" ? range : (await getJSON(`/api/timeline?bucket=${state.bucket}&` + p)).periods;
  periods = fillGaps(sparse, state.bucket);  // a time axis: periods without events are drawn empty
  drawTimeline();
}
function fillGaps(sparse, bucket) {
  if (!sparse.length) return [];
  const byKey = new Map(sparse.map((p) => [p.period.slice(0, 10), p]));
  const out = [], d = new Date(sparse[0].period.slice(0, 10) + "T00:00:00Z"), end = sparse[sparse.length - 1].period.slice(0, 10);
  for (let n = 0; n < 5000; n++) {
    const k = iso(d);
    if (k > end) break;
    out.push(byKey.get(k) || { period: k, events: 0, fatalities: 0 });
    if (bucket === "day") d.setUTCDate(d.getUTCDate() + 1);
    else if (bucket === "week") d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}
function periodEnd(i) {  // last day of period i
  const next = i + 1 < periods.length ? new Date(periods[i + 1].period) : null;
  const d = new Date(periods[i].period);
  if (state.bucket === "day") return d;
  if (state.bucket === "week") { d.setUTCDate(d.getUTCDate() + 6); return d; }
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
  return next && next < m ? next : m;
}
const iso = (d) => d.toISOString().slice(0, 10);
function drawTimeline() {
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  const info = document.getElementById("timeline-info");
  if (!periods.length) { info.textContent = "no dated events"; return; }
  const W = 960, maxE = Math.max(...periods.map((p) => p.events)), bw = W / periods.length;
  const from = form.elements.date_from.value, to = form.elements.date_to.value;
  periods.forEach((p, i) => {
    const he = (p.events / maxE) * 100, inSel = (!from || iso(periodEnd(i)) >= from) && (!to || p.period.slice(0, 10) <= to);
    const r = sv("rect", { x: i * bw + bw * 0.1, y: 110 - he, width: Math.max(1, bw * 0.8), height: he,
      class: inSel ? "bar" : "bar out" }, svg);
    sv("title", {}, r).textContent = `${p.period.slice(0, 10)}: ${p.events} events, ${p.fatalities} killed`;
  });
  if (from || to) {
    const i0 = from ? periods.findIndex((p, i) => iso(periodEnd(i)) >= from) : 0;
    let i1 = periods.length - 1;
    if (to) { const j = periods.findIndex((p) => p.period.slice(0, 10) > to); i1 = j < 0 ? periods.length - 1 : j - 1; }
    if (i0 >= 0 && i1 >= i0) sv("rect", { x: i0 * bw, y: 0, width: (i1 - i0 + 1) * bw, height: 120, class: "brush" }, svg);
  }
  info.textContent = `${periods[0].period.slice(0, 10)} … ${periods[periods.length - 1].period.slice(0, 10)}, per ${state.bucket}` +
    (from || to ? ` · selected ${from || "start"} to ${to || "end"}` : " · drag across the bars to choose dates");
  document.getElementById("clear-dates").hidden = !(from || to);
}
(function brush() {
  const svg = document.getElementById("timeline");
  let start = null, live = null;
  const idx = (ev) => {
    const r = svg.getBoundingClientRect();
    return Math.max(0, Math.min(periods.length - 1, Math.floor(((ev.clientX - r.left) / r.width) * periods.length)));
  };
  svg.addEventListener("pointerdown", (ev) => { if (!periods.length) return; start = idx(ev); svg.setPointerCapture(ev.pointerId); });
  svg.addEventListener("pointermove", (ev) => {
    if (start == null) return;
    const i = idx(ev), a = Math.min(start, i), b = Math.max(start, i), bw = 960 / periods.length;
    if (!live) live = sv("rect", { y: 0, height: 120, class: "brush" }, svg);
    live.setAttribute("x", a * bw); live.setAttribute("width", (b - a + 1) * bw);
  });
  svg.addEventListener("pointerup", (ev) => {
    if (start == null) return;
    const i = idx(ev), a = Math.min(start, i), b = Math.max(start, i);
    start = null; live = null;
    form.elements.date_from.value = periods[a].period.slice(0, 10);
    form.elements.date_to.value = iso(periodEnd(b));
    refresh({ timeline: false });
  });
})();

// ---- wiring ------------------------------------------------------------------------------------------------------
async function refresh({ timeline = true, points = true } = {}) {
  state.offset = 0;
  const jobs = [loadTable()];
  if (points) jobs.push(loadPoints().then(drawMarkers));
  if (timeline) jobs.push(loadTimeline()); else drawTimeline();
  await Promise.all(jobs);
  writeUrl();
}
form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
document.getElementById("reset").addEventListener("click", () => { form.reset(); refresh(); });
document.getElementById("clear-dates").addEventListener("click", () => {
  form.elements.date_from.value = ""; form.elements.date_to.value = ""; refresh({ timeline: false }); });
for (const b of document.querySelectorAll("#events th button")) {
  b.addEventListener("click", () => {
    if (state.sort === b.dataset.sort) state.descending = !state.descending;
    else { state.sort = b.dataset.sort; state.descending = ["date", "fatalities"].includes(b.dataset.sort); }
    state.offset = 0; loadTable().then(writeUrl);
  });
}
document.getElementById("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadTable(); });
document.getElementById("next").addEventListener("click", () => { state.offset += PAGE; loadTable(); });
let moveTimer = null;
map.on("zoomend", () => document.getElementById("map").setAttribute("data-zoom", String(map.getZoom())));

async function start() {
  const url = new URLSearchParams(location.search);
  fillForm(form, url);
  if (url.has("sort")) state.sort = url.get("sort");
  if (url.has("descending")) state.descending = url.get("descending") !== "false";
  const bbox = (url.get("bbox") || "").split(",").map(Number);
  const timeline = loadTimeline();  // needs no view: in parallel with the points
  const [, fc] = await Promise.all([loadBase(), getJSON("/api/facets"), loadPoints()]);
  if (bbox.length === 4 && bbox.every(Number.isFinite)) map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]]);
  else if (state.points.total) {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    const P = state.points;
    for (let i = 0; i < P.total; i++) {
      w = Math.min(w, P.lon[i]); e = Math.max(e, P.lon[i]); s = Math.min(s, P.lat[i]); n = Math.max(n, P.lat[i]);
    }
    map.fitBounds([[s / 1e5, w / 1e5], [n / 1e5, e / 1e5]], { padding: [30, 30], maxZoom: 8 });
  } else map.setView([20, 20], 2);
  document.getElementById("counts").textContent =
    `${fc.counts.events} events · ${fc.counts.clusters} after dedupe · ${fc.counts.articles} articles`;
  drawMarkers(); toggleLayers();
  mark("markers_drawn");
  map.on("moveend", () => { drawMarkers(); toggleLayers(); clearTimeout(moveTimer);
    moveTimer = setTimeout(() => { state.offset = 0; loadTable().then(writeUrl); }, 200); });
  await Promise.all([loadTable(), timeline]);
  writeUrl();
  document.getElementById("map").setAttribute("data-zoom", String(map.getZoom()));
  mark("ready");
  document.body.setAttribute("data-render-ms", String(timings.ready));
  document.body.setAttribute("data-timings", JSON.stringify(timings));
  document.body.setAttribute("data-ready", "1");
  await loadAdmin1();
  document.body.setAttribute("data-admin1", "1");
}
start().catch((e) => { document.getElementById("counts").textContent = "error: " + e.message; console.error(e); });
