import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const reactDsfrCli = resolve(import.meta.dirname, '../node_modules/@codegouvfr/react-dsfr/bin/react-dsfr.js');

/**
 * DSFR icons are CSS masks over SVG files in public/dsfr; react-dsfr's `update-icons` keeps only the
 * icons the code uses. Running it before each build means a newly used icon never shows up empty.
 */
const dsfrIcons = (): Plugin => ({
  name: 'relais-dsfr-icons',
  apply: 'build',
  buildStart() {
    execFileSync(process.execPath, [reactDsfrCli, 'update-icons', '--projectDir', import.meta.dirname, '--silent'], { stdio: 'inherit' });
  },
});

// `npm run build` writes the app to dist/web, which the server serves at / with an SPA fallback.
// react-dsfr's `copy-static-assets` (npm postinstall) reads publicDir below to know where to copy the DSFR assets.
export default defineConfig({
  root: import.meta.dirname,
  publicDir: 'public',
  plugins: [react(), dsfrIcons()],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
