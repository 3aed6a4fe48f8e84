// Event page: every evidence sentence with its extracted spans highlighted, the claims, the cluster's articles.
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
async function load() {
  const id = location.pathname.split("/").pop();
  const r = await fetch("/api/events/" + encodeURIComponent(id));
  if (!r.ok) { document.getElementById("title").textContent = "not found"; return; }
  const e = await r.json();
  document.getElementById("title").textContent = `${e.event_date ?? "?"} · ${e.sub_event_type} · ${e.location ?? "?"}`;
  const f = document.getElementById("fields");
  const show = [["event", e.event_id], ["date", `${e.event_date} (precision ${e.date_precision}, ${e.date_source})`],
    ["type", `${e.event_type} / ${e.sub_event_type}`], ["actor 1", `${e.actor1 ?? ""} (inter ${e.inter1})`],
    ["actor 2", `${e.actor2 ?? ""} (inter ${e.inter2})`], ["interaction", e.interaction],
    ["place", `${e.location ?? ""}, ${e.admin1 ?? ""}, ${e.country ?? ""} (${e.latitude}, ${e.longitude}; precision ${e.geo_precision}, ${e.geo_method})`],
    ["killed", `low ${e.fatalities_low ?? "?"} / best ${e.fatalities_best ?? "?"} / high ${e.fatalities_high ?? "?"}; civilians ${e.civilian_fatalities ?? "?"}`],
    ["source", `${e.title ?? ""} — ${e.article_source}`], ["review", e.review_status]];
  for (const [k, v] of show) f.append(row([k, v]));
  const ss = document.getElementById("sentences");
  for (const s of e.sentences) ss.append(highlight(s));
  const cb = document.querySelector("#claims tbody");
  for (const c of e.claims) cb.append(row([c.kind, c.source ?? "", c.via ?? "", c.text, `${c.low ?? ""}/${c.best ?? ""}/${c.high ?? ""}`]));
  const cl = document.getElementById("cluster");
  if (e.cluster) {
    const t = document.createElement("table");
    t.append(row(["date", "type", "place", "killed", "article"], "th"));
    for (const m of e.cluster.members) {
      const a = Object.assign(document.createElement("a"), { href: "/event/" + m.event_id, textContent: m.title || m.article_source });
      t.append(row([m.event_date, m.sub_event_type, m.location, m.fatalities_best ?? "", a]));
    }
    cl.append(text(`${e.cluster.n_events} reports from ${e.cluster.source_count} sources; killed low ${e.cluster.fatalities_low} / best ${e.cluster.fatalities_best} / high ${e.cluster.fatalities_high}`), t);
  }
  document.getElementById("reviews").textContent = e.reviews.length ? e.reviews.map((r) => `${r.created_at} ${r.author}: ${r.action} ${r.field ?? ""} ${r.value ?? ""}`).join("\n") : "none";
  document.body.setAttribute("data-ready", "1");
}
load();
