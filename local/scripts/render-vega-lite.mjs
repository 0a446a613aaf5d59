// Draws a vega-lite spec (JSON file) as an SVG: `node render-vega-lite.mjs spec.json out.svg`.
// vega is an ES module with top-level await, which CommonJS code (the compiled benches, jest) cannot require.
import fs from 'fs';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';

const [specFile, svgFile] = process.argv.slice(2);
const spec = compile(JSON.parse(fs.readFileSync(specFile, 'utf8'))).spec;
const view = new View(parse(spec), { renderer: 'none' });
fs.writeFileSync(svgFile, await view.toSVG());
