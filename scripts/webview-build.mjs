// The plan view's browser bundle (client/webview/planview.ts): Vue, pev2 and Bootstrap's CSS inlined
// into planview.js + planview.css, because the webview's CSP allows no network at all.
// Shared by scripts/build.mjs and test/client/plan-pev2.test.ts (which builds into a temp folder).
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

export const WEBVIEW_ENTRY = 'client/webview/planview.ts';

/** Builds into `outdir`; returns the sizes in bytes of the two files. */
export async function buildWebview(root, outdir) {
  await esbuild.build({
    entryPoints: [path.join(root, WEBVIEW_ENTRY)],
    outfile: path.join(outdir, 'planview.js'),
    bundle: true,
    platform: 'browser',
    // VS Code's webviews are the Chromium of its Electron.
    target: 'chrome114',
    format: 'iife',
    // pev2 is 800 KB of unminified JavaScript and the .vsix carries it, so it is always minified.
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    // Vue's esm-bundler build reads these compile-time flags: production, no devtools.
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
  return {
    js: fs.statSync(path.join(outdir, 'planview.js')).size,
    css: fs.statSync(path.join(outdir, 'planview.css')).size,
  };
}
