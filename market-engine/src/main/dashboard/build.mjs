// Bundles the dashboard into the engine's classes (served at /dashboard/): app.js with Chart.js
// and the noble crypto bundled in (no CDN), the static pages, and Swagger UI for the API page.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, '..', '..', '..', 'target', 'classes', 'dashboard');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'app.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outfile: join(out, 'app.js'),
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css', 'api.html']) {
  cpSync(join(here, 'src', f), join(out, f));
}
const swagger = join(here, 'node_modules', 'swagger-ui-dist');
mkdirSync(join(out, 'swagger'), { recursive: true });
for (const f of ['swagger-ui.css', 'swagger-ui-bundle.js', 'LICENSE']) {
  cpSync(join(swagger, f), join(out, 'swagger', f));
}
console.log('dashboard built into ' + out);
