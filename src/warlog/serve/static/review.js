// The review queue: events in the order a check is worth most, with the map's filters; keyboard and mouse.
"use strict";
const PAGE = 50;
const form = document.getElementById("filters");
const q = { offset: 0, rows: [], sel: 0, session: { reviews: false, signed_in: false }, history: [] };
const tbody = document.querySelector("#queue tbody");

function canReview() { return q.session.reviews && q.session.signed_in; }
const urlBbox = new URLSearchParams(location.search).get("bbox");  // from the map's "review these" link
function params() {
  const p = formFilters(form);
  if (urlBbox) p.set("bbox", urlBbox);
  if (form.elements.include_reviewed.checked) p.set("include_reviewed", "true");
  return p;
}
async function load() {
  const p = params(); p.set("limit", String(PAGE)); p.set("offset", String(q.offset));
  const d = await getJSON("/api/review/queue?" + p);
  q.rows = d.events; q.sel = Math.min(q.sel, Math.max(0, q.rows.length - 1));
  render();
  document.getElementById("counts").textContent = `${d.total} events to check`;
  const last = q.offset + d.events.length;
  document.getElementById("page-info").textContent = d.total ? `${q.offset + 1}–${last} of ${d.total}` : "nothing to check";
  document.getElementById("prev").disabled = q.offset === 0;
  document.getElementById("next").disabled = last >= d.total;
  const u = formFilters(form);
  if (urlBbox) u.set("bbox", urlBbox);
  history.replaceState(null, "", "/review" + (u.toString() ? "?" + u.toString().replace(/%2C/g, ",") : ""));
  document.getElementById("scope").textContent = urlBbox ? `in the map view ${urlBbox}` : "";
  document.body.setAttribute("data-ready", "1");
}
function render() {
  tbody.replaceChildren();
  q.rows.forEach((e, i) => {
    const actions = canReview() ? h("td", {},
      h("button", { type: "button", class: "confirm", onclick: () => decide(i, "confirm") }, "confirm"),
      h("button", { type: "button", class: "reject", onclick: () => decide(i, "reject") }, "reject"),
      h("button", { type: "button", class: "edit", onclick: () => edit(i) }, "edit")) : h("td", {}, h("a", { href: "/event/" + e.event_id, text: "open" }));
    const tr = h("tr", { "data-event-id": e.event_id, "aria-selected": i === q.sel ? "true" : "false", onclick: (ev) => { if (!ev.target.closest("button, a, input, select")) select(i); } },
      h("td", { text: q.offset + i + 1 }), h("td", { text: e.review_score.toFixed(2) }),
      h("td", { class: "reasons", text: e.review_reasons.join("; ") || "—" }),
      h("td", { text: e.event_date ?? "?" }),
      h("td", {}, h("span", { class: "swatch", style: `background:${typeColour(e.event_type)}`, "aria-hidden": "true" }),
        h("a", { href: "/event/" + e.event_id, text: e.sub_event_type || e.event_type })),
      h("td", { text: `${e.location ?? "not placed"}${e.country ? " (" + e.country + ")" : ""}` }),
      h("td", { text: actors(e) }), h("td", { text: fmtDeaths(e) }),
      h("td", { class: `status status-${e.review_status}`, text: e.review_status }), actions);
    tbody.append(tr);
  });
}
function select(i) {
  if (!q.rows.length) return;
  q.sel = Math.max(0, Math.min(q.rows.length - 1, i));
  for (const [j, tr] of [...tbody.querySelectorAll("tr[data-event-id]")].entries()) tr.setAttribute("aria-selected", j === q.sel ? "true" : "false");
  tbody.querySelectorAll("tr[data-event-id]")[q.sel]?.scrollIntoView({ block: "nearest" });
}
async function decide(i, action) {
  if (!canReview()) { flash("sign in with your token to review", true); return; }
  const e = q.rows[i];
  try {
    const a = await postReview(e.event_id, { action });
    q.history.push({ event_id: e.event_id, review_id: a.review_id });
    e.review_status = action === "confirm" ? "confirmed" : "rejected";
    const cell = tbody.querySelectorAll("tr[data-event-id]")[i]?.querySelector("td.status");
    if (cell) { cell.textContent = e.review_status; cell.className = `status status-${e.review_status}`; }
    flash(`${action}: ${e.sub_event_type} ${e.location ?? ""} ${e.event_date ?? ""} (by ${a.author}; u to undo)`);
    select(i + 1);
  } catch (err) { flash(`${action}: ${err.message}`, true); }
}
async function undoLast() {
  const last = q.history.pop();
  if (!last) { flash("nothing to undo on this page"); return; }
  try {
    await postReview(last.event_id, { action: "undo", value: last.review_id });
    const i = q.rows.findIndex((r) => r.event_id === last.event_id);
    if (i >= 0) {
      const ev = await getJSON("/api/events/" + last.event_id);
      q.rows[i].review_status = ev.review_status;
      const cell = tbody.querySelectorAll("tr[data-event-id]")[i]?.querySelector("td.status");
      if (cell) { cell.textContent = ev.review_status; cell.className = `status status-${ev.review_status}`; }
      select(i);
    }
    flash("undone");
  } catch (err) { flash(`undo: ${err.message}`, true); }
}
async function edit(i) {
  if (!canReview()) { flash("sign in with your token to review", true); return; }
  select(i);
  const e = await getJSON("/api/events/" + q.rows[i].event_id);
  tbody.querySelector("tr.editor")?.remove();
  const tr = tbody.querySelectorAll("tr[data-event-id]")[i];
  const refreshRow = async (a) => {
    if (a && a.review_id) q.history.push({ event_id: e.event_id, review_id: a.review_id });
    const ev = await getJSON("/api/events/" + e.event_id);
    Object.assign(q.rows[i], ev);
    const cell = tr.querySelector("td.status"); cell.textContent = ev.review_status; cell.className = `status status-${ev.review_status}`;
    const tds = tr.querySelectorAll("td");  // the corrected values show in the row at once
    tds[4].querySelector("a").textContent = ev.sub_event_type || ev.event_type;
    tds[5].textContent = `${ev.location ?? "not placed"}${ev.country ? " (" + ev.country + ")" : ""}`;
    tds[6].textContent = actors(ev); tds[7].textContent = fmtDeaths(ev);
    editor.querySelector(".trail").replaceChildren(reviewList(ev, true, refreshRow));
  };
  const editor = h("tr", { class: "editor" }, h("td", { colspan: 10 }, reviewPanel(e, refreshRow),
    h("div", { class: "trail" }, reviewList(e, true, refreshRow)),
    h("button", { type: "button", class: "close-editor", onclick: () => { editor.remove(); tr.querySelector("button.edit")?.focus(); } }, "close (Esc)")));
  tr.after(editor);
  editor.querySelector("select")?.focus();
}
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") { const ed = tbody.querySelector("tr.editor"); if (ed) { ed.remove(); document.getElementById("queue").focus(); } return; }
  if (ev.target.closest("input, select, textarea, button") || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const k = ev.key;
  if (k === "j" || k === "ArrowDown") { select(q.sel + 1); ev.preventDefault(); }
  else if (k === "k" || k === "ArrowUp") { select(q.sel - 1); ev.preventDefault(); }
  else if (k === "c") decide(q.sel, "confirm");
  else if (k === "r") decide(q.sel, "reject");
  else if (k === "e") edit(q.sel);
  else if (k === "u") undoLast();
  else if (k === "Enter" && q.rows[q.sel]) location.href = "/event/" + q.rows[q.sel].event_id;
});
form.addEventListener("submit", (e) => { e.preventDefault(); q.offset = 0; q.sel = 0; load(); });
document.getElementById("prev").addEventListener("click", () => { q.offset = Math.max(0, q.offset - PAGE); q.sel = 0; load(); });
document.getElementById("next").addEventListener("click", () => { q.offset += PAGE; q.sel = 0; load(); });
fillForm(form, new URLSearchParams(location.search));
setupSignIn(document.getElementById("signin"), (s) => { q.session = s; render(); })
  .then((s) => { q.session = s; return load(); })
  .catch((e) => { document.getElementById("counts").textContent = "error: " + e.message; });
