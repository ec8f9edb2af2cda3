// Bundles the console (src/main.jsx, src/styles.css) with esbuild into OUTDIR (default dist/):
// assets/main-HASH.js, assets/main-HASH.css (names carry a hash of the content, so the server
// lets browsers cache them for good) and index.html naming them. No inline script or style:
// the server's Content-Security-Policy forbids both. exceljs is loaded by import() when first
// needed (src/xlsx.js), so `splitting` puts it in a chunk of its own (assets/chunk-HASH.js),
// outside the main bundle. `node build.mjs [--outdir DIR]`.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--outdir');
const outdir = at >= 0 ? args[at + 1] : 'dist';

rmSync(outdir, { recursive: true, force: true });
mkdirSync(join(outdir, 'assets'), { recursive: true });
const result = await esbuild.build({
  entryPoints: ['src/main.jsx', 'src/styles.css'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  charset: 'ascii',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  outdir: join(outdir, 'assets'),
  metafile: true,
  logLevel: 'warning',
});
let js = '', css = '';
for (const out of Object.keys(result.metafile.outputs)) {
  const name = 'assets/' + basename(out);
  if (out.endsWith('.js') && result.metafile.outputs[out].entryPoint === 'src/main.jsx') js = name;
  if (out.endsWith('.css')) css = name;
}
copyFileSync('src/favicon.svg', join(outdir, 'assets', 'favicon.svg'));
const html = `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>passline 콘솔</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/${css}">
<script type="module" src="/${js}"></script>
</head>
<body>
<noscript>passline 콘솔은 JavaScript가 필요합니다. The passline console needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;
writeFileSync(join(outdir, 'index.html'), html);
console.log(`console: ${relative('.', outdir)}/index.html, ${js}, ${css}`);
