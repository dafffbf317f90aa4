import { resolve } from 'node:path';
import { build } from 'vite';

/** Builds the web app into dist/web with the project's Vite config (the server serves it). */
export async function buildWeb() {
  await build({ configFile: resolve(import.meta.dirname, '../web/vite.config.ts'), logLevel: 'warn' });
}

/** Vitest global setup of the e2e project: one fresh build per run, before any app starts. */
export default async function setup() {
  await buildWeb();
}
