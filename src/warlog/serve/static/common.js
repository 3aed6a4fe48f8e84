// Shared by the map, the review queue and the event page: filters <-> URL, API calls, the reviewer's token.
"use strict";
const TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
  "Strategic developments"];
const TYPE_COLOURS = { "Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e", "Violence against civilians": "#9467bd",
  "Protests": "#2ca02c", "Riots": "#8c564b", "Strategic developments": "#1f77b4" };
const FILTER_KEYS = ["date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor",
  "min_fatalities", "max_fatalities", "q"];
const TOKEN_KEY = "warlog-token";

function typeColour(t) { return TYPE_COLOURS[t] || "#555"; }
function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of kids) if (c != null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
// the filter form's values (only those set), as URLSearchParams
function formFilters(form) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const el = form.elements[k];
    if (el && el.value !== "") p.set(k, el.value.trim());
  }
  return p;
}
function fillForm(form, params) {
  for (const k of FILTER_KEYS) if (form.elements[k] && params.has(k)) form.elements[k].value = params.get(k);
}
function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }
function authHeaders() { const t = token(); return t ? { "X-Warlog-Token": t } : {}; }
async function getJSON(url) {
  const r = await fetch(url, { headers: authHeaders() });
  if (!r.ok) throw new Error(`${url}: ${r.status} ${(await r.text()).slice(0, 200)}`);
  return r.json();
}
// one review action; resolves to the server's answer or throws with its message
async function postReview(eventId, body) {
  const r = await fetch(`/api/events/${encodeURIComponent(eventId)}/review`, {
    method: "POST", headers: { "Content-Type": "application/json", ...authHeaders() }, body: JSON.stringify(body),
  });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail || r.status));
  return data;
}
// The sign-in box: shown only where the server takes reviews. Resolves to the session (reviews, signed_in, user).
async function setupSignIn(container, onChange) {
  let s = await getJSON("/api/session");
  container.replaceChildren();
  if (!s.reviews) { container.hidden = true; return s; }
  container.hidden = false;
  const render = () => {
    container.replaceChildren();
    if (s.signed_in) {
      container.append(h("span", { class: "signed-in", text: `reviewing as ${s.user || "shared token"}` }), " ",
        h("button", { type: "button", id: "sign-out", onclick: () => { sessionStorage.removeItem(TOKEN_KEY); refresh(); } }, "sign out"));
    } else {
      const input = h("input", { id: "token-input", type: "password", autocomplete: "off", size: 18 });
      const form = h("form", { id: "sign-in", onsubmit: (ev) => { ev.preventDefault(); sessionStorage.setItem(TOKEN_KEY, input.value.trim()); refresh(); } },
        h("label", { for: "token-input" }, "token"), " ", input, " ", h("button", { type: "submit" }, "sign in"));
      container.append(form);
      if (s.error) container.append(h("span", { class: "error", role: "alert", text: s.error }));
    }
  };
  const refresh = async () => {
    s = await getJSON("/api/session");
    if (token() && !s.signed_in) { sessionStorage.removeItem(TOKEN_KEY); s.error = " wrong token"; }
    render();
    if (onChange) onChange(s);
  };
  if (token() && !s.signed_in) { sessionStorage.removeItem(TOKEN_KEY); s.error = " wrong token"; }
  render();
  return s;
}
function fmtDeaths(e) { return e.fatalities_best == null ? "?" : String(e.fatalities_best); }
function actors(e) { return [e.actor1, e.actor2].filter(Boolean).join(" vs ") || "unknown actors"; }

// ---- the review panel (queue and event page) -----------------------------------------------------------------------
const CORRECT_FIELDS = ["event_type", "sub_event_type", "actor1", "actor2", "event_date", "fatalities_low", "fatalities_best",
  "fatalities_high", "civilian_fatalities", "location", "admin1", "country", "latitude", "longitude", "geo_precision"];
function flash(msg, isError = false) {
  const f = document.getElementById("flash");
  if (!f) return;
  f.textContent = msg; f.className = isError ? "error" : "muted";
}
// ev: the event as /api/events/{id} gives it; onDone(answer) after each successful action
function reviewPanel(ev, onDone) {
  const id = ev.event_id;
  const act = async (body, what) => {
    try { const a = await postReview(id, body); flash(`${what}: saved (review ${a.review_id.slice(0, 8)} by ${a.author})`); await onDone(a); return a; }
    catch (e) { flash(`${what}: ${e.message}`, true); throw e; }
  };
  const fieldSel = h("select", { id: `field-${id}`, name: "field" }, ...CORRECT_FIELDS.map((f) => h("option", { value: f, text: f.replace("_", " ") })));
  const valueIn = h("input", { id: `value-${id}`, name: "value", size: 24 });
  const setValue = () => { const v = ev[fieldSel.value]; valueIn.value = v == null ? "" : String(v); };
  fieldSel.addEventListener("change", setValue); setValue();
  const gazIn = h("input", { id: `gaz-${id}`, type: "search", size: 20, autocomplete: "off" });
  const gazList = h("ul", { class: "gaz-results", "aria-live": "polite" });
  let gazTimer = null;
  gazIn.addEventListener("input", () => {
    clearTimeout(gazTimer);
    gazTimer = setTimeout(async () => {
      const q = gazIn.value.trim();
      gazList.replaceChildren();
      if (q.length < 2) return;
      const d = await getJSON(`/api/gazetteer?limit=8&q=${encodeURIComponent(q)}`);
      for (const p of d.places) {
        gazList.append(h("li", {}, h("button", { type: "button", class: "gaz-pick", "data-gazetteer-id": p.gazetteer_id,
          onclick: () => choosePlace(p) }, `${p.name}${p.admin1 ? ", " + p.admin1 : ""}, ${p.country_name} (${p.latitude.toFixed(3)}, ${p.longitude.toFixed(3)}; ${p.kind}${p.population ? ", pop. " + p.population : ""})`)));
      }
      if (!d.places.length) gazList.append(h("li", { class: "muted", text: "no place of that name" }));
    }, 200);
  });
  const choosePlace = async (p) => {  // one correction per field, so each can be undone on its own
    const changes = { location: p.name, admin1: p.admin1 || "", country: p.country, latitude: p.latitude, longitude: p.longitude,
      geo_precision: p.geo_precision };
    try {
      for (const [field, value] of Object.entries(changes)) await postReview(id, { action: "correct", field, value: String(value), note: `place from gazetteer ${p.gazetteer_id}` });
      flash(`place: set to ${p.name} (${p.country})`); gazList.replaceChildren(); gazIn.value = "";
      await onDone({ action: "correct" });
    } catch (e) { flash(`place: ${e.message}`, true); }
  };
  const otherIn = h("input", { id: `other-${id}`, size: 18, pattern: "[0-9a-f]{16}", placeholder: "16-hex event id" });
  const note = h("input", { id: `note-${id}`, size: 24 });
  return h("div", { class: "review-panel", "data-event-id": id, role: "group", "aria-label": "review this event" },
    h("div", {}, h("button", { type: "button", class: "confirm", onclick: () => act({ action: "confirm", note: note.value || null }, "confirm") }, "Confirm (c)"),
      h("button", { type: "button", class: "reject", onclick: () => act({ action: "reject", note: note.value || null }, "reject") }, "Reject (r)"),
      " ", h("label", { for: `note-${id}` }, "note "), note),
    h("form", { class: "correct", onsubmit: (e) => { e.preventDefault(); act({ action: "correct", field: fieldSel.value, value: valueIn.value, note: note.value || null }, `correct ${fieldSel.value}`); } },
      h("fieldset", {}, h("legend", { text: "Correct a field" }), h("label", { for: `field-${id}` }, "field "), fieldSel, " ",
        h("label", { for: `value-${id}` }, "value "), valueIn, " ", h("button", { type: "submit", class: "save" }, "Save correction"))),
    h("fieldset", {}, h("legend", { text: "Place" }), h("label", { for: `gaz-${id}` }, "search the gazetteer "), gazIn, gazList),
    h("fieldset", {}, h("legend", { text: "Cluster" }), h("label", { for: `other-${id}` }, "other event "), otherIn, " ",
      h("button", { type: "button", class: "merge", onclick: () => act({ action: "merge", other_event_id: otherIn.value.trim() }, "merge") }, "Merge (same event)"),
      h("button", { type: "button", class: "split", onclick: () => act({ action: "split", other_event_id: otherIn.value.trim() }, "split") }, "Split (different events)")));
}
// the event's reviews, each with author and time; active ones can be undone
function reviewList(ev, canReview, onDone) {
  const rows = (ev.reviews || []).filter((r) => r.action !== "undo");
  if (!rows.length) return h("p", { class: "muted", text: "no reviews yet" });
  const ul = h("ul", { class: "reviews" });
  for (const r of rows) {
    const what = `${r.created_at.replace("T", " ").slice(0, 19)} · ${r.author}: ${r.action}` + (r.field ? ` ${r.field} = ${r.value ?? ""}` : "") +
      (r.other_event_id ? ` (${r.event_id === ev.event_id ? "with" : "from"} ${r.other_event_id === ev.event_id ? r.event_id : r.other_event_id})` : "") +
      (r.note ? ` — ${r.note}` : "");
    const li = h("li", { "data-review-id": r.review_id, class: r.undone_by ? "undone" : "" }, what);
    if (r.undone_by) li.append(h("span", { class: "muted", text: ` (undone by ${r.undone_author} ${String(r.undone_at).replace("T", " ").slice(0, 19)})` }));
    else if (canReview) li.append(" ", h("button", { type: "button", class: "undo", onclick: async () => {
      try { await postReview(ev.event_id, { action: "undo", value: r.review_id }); flash("undone"); await onDone({ action: "undo" }); }
      catch (e) { flash(`undo: ${e.message}`, true); } } }, "Undo"));
    ul.append(li);
  }
  return ul;
}
