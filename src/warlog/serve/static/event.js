// Event page: the fields (with reviews applied), every evidence sentence with its spans highlighted, the claims, the
// cluster's reports and the review trail; on a server that takes reviews, a signed-in analyst reviews it here.
"use strict";
function text(t) { return document.createTextNode(t == null ? "" : String(t)); }
function row(cells, tag = "td") {
  const tr = document.createElement("tr");
  for (const c of cells) { const td = document.createElement(tag); td.append(c instanceof Node ? c : text(c)); tr.append(td); }
  return tr;
}
function highlight(s) {
  const div = document.createElement("div");
  div.className = "sentence";
  let pos = 0;
  for (const sp of s.spans) {
    if (sp.start < pos) continue;  // overlapping span: keep the first
    div.append(text(s.text.slice(pos, sp.start)));
    const m = document.createElement("mark");
    m.className = sp.role; m.title = sp.role; m.textContent = s.text.slice(sp.start, sp.end);
    div.append(m);
    pos = sp.end;
  }
  div.append(text(s.text.slice(pos)));
  return div;
}
const eventId = location.pathname.split("/").pop();
let session = { reviews: false, signed_in: false };
async function load() {
  const r = await fetch("/api/events/" + encodeURIComponent(eventId));
  if (!r.ok) { document.getElementById("title").textContent = "not found"; return; }
  const e = await r.json();
  document.title = `warlog — ${e.event_date ?? "?"} ${e.sub_event_type} ${e.location ?? ""}`;
  document.getElementById("title").textContent = `${e.event_date ?? "?"} · ${e.sub_event_type} · ${e.location ?? "?"}`;
  const f = document.getElementById("fields");
  f.replaceChildren();
  const show = [["event", e.event_id], ["date", `${e.event_date} (precision ${e.date_precision}, ${e.date_source})`],
    ["type", `${e.event_type} / ${e.sub_event_type}`], ["actor 1", `${e.actor1 ?? ""} (inter ${e.inter1})`],
    ["actor 2", `${e.actor2 ?? ""} (inter ${e.inter2})`], ["interaction", e.interaction],
    ["place", `${e.location ?? ""}, ${e.admin1 ?? ""}, ${e.country ?? ""} (${e.latitude}, ${e.longitude}; precision ${e.geo_precision}, ${e.geo_method})`],
    ["killed", `low ${e.fatalities_low ?? "?"} / best ${e.fatalities_best ?? "?"} / high ${e.fatalities_high ?? "?"}; civilians ${e.civilian_fatalities ?? "?"}`],
    ["confidence", e.confidence], ["source", `${e.title ?? ""} — ${e.article_source}`]];
  for (const [k, v] of show) f.append(row([k, v]));
  f.append(row(["review", h("span", { id: "review-status", class: `status-${e.review_status}`, text: e.review_status })]));
  const ss = document.getElementById("sentences"); ss.replaceChildren();
  for (const s of e.sentences) ss.append(highlight(s));
  const cb = document.querySelector("#claims tbody"); cb.replaceChildren();
  for (const c of e.claims) cb.append(row([c.kind, c.source ?? "", c.via ?? "", c.text, `${c.low ?? ""}/${c.best ?? ""}/${c.high ?? ""}`]));
  const canReview = session.reviews && session.signed_in;
  const cl = document.getElementById("cluster"); cl.replaceChildren();
  if (e.cluster) {
    const t = document.createElement("table");
    t.append(row(["date", "type", "place", "killed", "article", ""], "th"));
    for (const m of e.cluster.members) {
      const a = Object.assign(document.createElement("a"), { href: "/event/" + m.event_id, textContent: m.title || m.article_source });
      const btn = canReview && m.event_id !== e.event_id ? h("button", { type: "button", class: "split-member", "data-event-id": m.event_id,
        onclick: () => postReview(e.event_id, { action: "split", other_event_id: m.event_id }).then(() => { flash("split"); return load(); })
          .catch((err) => flash(`split: ${err.message}`, true)) }, "not the same event: split") : "";
      t.append(row([m.event_date, m.sub_event_type, m.location, m.fatalities_best ?? "", a, btn]));
    }
    cl.append(text(`${e.cluster.n_events} reports from ${e.cluster.source_count} sources; killed low ${e.cluster.fatalities_low} / best ${e.cluster.fatalities_best} / high ${e.cluster.fatalities_high}`), t);
  }
  const sec = document.getElementById("review-section");
  sec.hidden = !canReview;
  document.getElementById("review-panel").replaceChildren(...(canReview ? [reviewPanel(e, () => load())] : []));
  document.getElementById("reviews").replaceChildren(reviewList(e, canReview, () => load()));
  document.body.setAttribute("data-ready", "1");
}
document.addEventListener("keydown", (ev) => {
  if (!session.signed_in || ev.target.closest("input, select, textarea") || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === "c") document.querySelector(".review-panel button.confirm")?.click();
  if (ev.key === "r") document.querySelector(".review-panel button.reject")?.click();
  if (ev.key === "e") document.querySelector(".review-panel select")?.focus();
});
setupSignIn(document.getElementById("signin"), (s) => { session = s; load(); })
  .then((s) => { session = s; return load(); })
  .catch((e) => { document.getElementById("title").textContent = "error: " + e.message; });
