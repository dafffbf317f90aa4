import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, type Journey, startJourney } from './harness.ts';

describe('a keyboard user', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('reaches the sign-in form through the skip link and signs in with Tab and Enter only', async () => {
    const { page } = j;
    await page.goto('/connexion');
    await j.checkPage('Se connecter à Relais');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent ?? '');

    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Contenu');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('email');
    await page.keyboard.type(demo.coordinator.email);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('password');
    await page.keyboard.type(demo.password);
    await page.keyboard.press('Enter');

    await j.checkPage('Territoire Perche (Orne)');
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);
});
