/**
 * `npx tsx e2e/screenshot.ts`: builds the web app, starts Relais on a throwaway embedded database
 * seeded with the demo territory, and saves the coordinator's home page at 1280x800 to
 * docs/screenshot.png (shown in the README). Extra paths as arguments are saved to /tmp as well.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { startRelais } from '../server/runtime.ts';
import { DEMO_PASSWORD, seedDemo } from '../server/seed/demo.ts';
import { launchBrowser } from './browser.ts';
import { buildWeb } from './build-web.ts';

await buildWeb();
const dataDir = mkdtempSync(join(tmpdir(), 'relais-screenshot-'));
const relais = await startRelais(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', JOBS: 'false', PORT: '0' }), { logger: false });
try {
  await seedDemo(relais.ctx);
  await relais.app.listen({ port: 0, host: '127.0.0.1' });
  const address = relais.app.server.address();
  const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchBrowser({ baseURL, viewport: { width: 1280, height: 800 } });
  try {
    const page = await browser.newPage();
    const who = process.env.SCREENSHOT_AS ?? 'coordination@relais.demo';
    await page.request.post('/api/auth/login', { data: { email: who, password: DEMO_PASSWORD } });
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByText('…', { exact: true }).first().waitFor({ state: 'detached' });
    await page.screenshot({ path: resolve(import.meta.dirname, '../docs/screenshot.png') });
    for (const path of process.argv.slice(2)) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForTimeout(1000);
      await page.screenshot({ path: `/tmp/relais${path.replace(/\W+/g, '-')}.png`, fullPage: true });
    }
  } finally {
    await browser.close();
  }
} finally {
  await relais.close();
  rmSync(dataDir, { recursive: true, force: true });
}
