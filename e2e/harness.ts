import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../server/seed/demo.ts';
import { createTestApp, type TestApp } from '../server/test/test-app.ts';
import { type AxeFinding, type Browser, launchBrowser, seriousA11yViolations } from './browser.ts';

export const demo = {
  password: DEMO_PASSWORD,
  coordinator: { email: 'coordination@relais.demo', name: 'Claire Coordination' },
  agent: { email: 'agent.bretoncelles@relais.demo', name: 'Aurélie Agent' },
};

export interface Journey {
  app: TestApp;
  browser: Browser;
  page: Page;
  /** Waits for the page's h1, then scans it with axe; findings are kept for `a11yFindings`. */
  checkPage(heading: string | RegExp): Promise<void>;
  /** Scans the page as it is now (after an in-page change such as a new tab or a sent form). */
  scan(): Promise<void>;
  a11yFindings: AxeFinding[];
  /** Signs in through the API with the browser's own cookie jar (faster than the form). */
  signIn(email: string): Promise<void>;
  close(): Promise<void>;
}

/** The real app over a fresh database seeded with the demo territory, and a fresh Chromium. */
export async function startJourney(): Promise<Journey> {
  const app = await createTestApp();
  await seedDemo(app.ctx);
  const browser = await launchBrowser({ baseURL: app.baseUrl });
  const page = await browser.newPage();
  const a11yFindings: AxeFinding[] = [];
  return {
    app,
    browser,
    page,
    a11yFindings,
    async checkPage(heading) {
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Chargement' }).first().waitFor({ state: 'detached' });
      a11yFindings.push(...(await seriousA11yViolations(page)));
    },
    async scan() {
      a11yFindings.push(...(await seriousA11yViolations(page)));
    },
    async signIn(email) {
      const res = await page.request.post('/api/auth/login', { data: { email, password: DEMO_PASSWORD } });
      if (res.status() !== 200) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
    },
    async close() {
      await browser.close();
      await app.close();
    },
  };
}
