// Derives static/world.json, the dashboard's compact world map, from npm `world-atlas`
// (Natural Earth 1:110m admin-0 countries, public domain) and `i18n-iso-countries` (ISO
// numeric → alpha-3). Run: `npm install && npm run derive-map`; the output is committed.
//
// Output format (documented in web/README.md):
//   { "source": "...", "projection": "...", "width": 3600, "height": 1800,
//     "countries": [ { "iso3": "KEN" | null, "name": "Kenya", "d": "M x y l dx dy … z …" } ] }
// Coordinates are pre-projected (equirectangular) into tenths of a degree:
//   x = round((lon + 180) * 10), y = round((90 - lat) * 10)
// so `d` is a ready SVG path for a viewBox of 0 0 3600 1800; after the first point of each
// ring every step is relative (`l dx dy …`), which keeps the file small.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'));
const version = JSON.parse(readFileSync(require.resolve('world-atlas/package.json'), 'utf8')).version;
const geo = feature(topo, topo.objects.countries);

// Natural Earth units without an ISO numeric code, by name.
const EXTRA = { Kosovo: 'XKX', Somaliland: 'SOM', 'N. Cyprus': 'CYP' };

const q = ([lon, lat]) => [Math.round((lon + 180) * 10), Math.round((90 - lat) * 10)];

// A ring that crosses the antimeridian (Russia's far east, Fiji) would draw a line across
// the whole map: its western-hemisphere points are moved east by 360° instead, so the ring
// stays whole and the part beyond x = 3600 falls outside the map's view box.
function unwrap(points) {
  let crosses = false;
  for (let i = 1; i < points.length; i++) {
    if (Math.abs(points[i][0] - points[i - 1][0]) > 180) crosses = true;
  }
  return crosses ? points.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]) : points;
}

function ring(points) {
  points = unwrap(points);
  const out = [];
  let prev = null;
  for (const p of points) {
    const [x, y] = q(p);
    if (prev && prev[0] === x && prev[1] === y) continue;
    if (!prev) out.push(`M${x} ${y}l`);
    else out.push(`${x - prev[0]} ${y - prev[1]}`);
    prev = [x, y];
  }
  if (out.length < 3) return '';
  return out[0] + out.slice(1).join(' ') + 'z';
}

const out = [];
for (const f of geo.features) {
  const name = f.properties.name;
  let iso3 = f.id ? countries.numericToAlpha3(f.id) : undefined;
  if (!iso3) iso3 = EXTRA[name] ?? null;
  if (iso3 === 'ATA') continue; // Antarctica: no events, a lot of outline
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const d = polys.flatMap((rings) => rings.map(ring)).filter(Boolean).join('');
  if (d) out.push({ iso3, name, d });
}
out.sort((a, b) => a.name.localeCompare(b.name));
const doc = {
  source: `Made with Natural Earth (public domain): admin-0 countries 1:110m, via world-atlas ${version}`,
  projection: 'equirectangular; x = (lon + 180) * 10, y = (90 - lat) * 10',
  width: 3600,
  height: 1800,
  countries: out,
};
writeFileSync(new URL('../static/world.json', import.meta.url), JSON.stringify(doc) + '\n');
console.log(`world.json: ${out.length} countries, ${JSON.stringify(doc).length} bytes`);
