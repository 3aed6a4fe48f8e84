// Build src/warlog/serve/static/basemap.json: country outlines for the offline web map.
// Source: the npm package world-atlas (Natural Earth 1:50m admin-0 countries, public domain; world-atlas is ISC),
// converted from TopoJSON to GeoJSON with topojson-client and rounded to 0.01 degree.
// Run: (cd tools && npm install --no-save world-atlas@2.0.2 topojson-client@3.1.0 && node build_basemap.mjs)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { feature } = require("topojson-client");
const topo = JSON.parse(readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"));
const fc = feature(topo, topo.objects.countries);
const round = (c) => (typeof c[0] === "number" ? [Math.round(c[0] * 100) / 100, Math.round(c[1] * 100) / 100] : c.map(round));
const out = {
  type: "FeatureCollection",
  attribution: "Natural Earth (public domain) via world-atlas (ISC)",
  features: fc.features.map((f) => ({ type: "Feature", properties: { name: f.properties.name }, geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) } })),
};
const dest = new URL("../src/warlog/serve/static/basemap.json", import.meta.url);
writeFileSync(dest, JSON.stringify(out));
console.log(`wrote ${out.features.length} countries to ${dest.pathname}`);
