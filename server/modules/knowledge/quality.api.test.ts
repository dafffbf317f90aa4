import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUALITY_SET } from '../../seed/knowledge/quality-set.ts';
import { demoSheetFiles } from '../../seed/knowledge.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { importFiles } from './io.ts';

/**
 * The search quality set against the demo base, through the real endpoint: a floor under which
 * a change to the search or the synonyms is a regression (the figures themselves are in
 * BENCHMARKS.md, `npm run bench -- knowledge`).
 */
let t: TestApp;
let agent: ApiClient;
let territoryId: string;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.ctx.db;
  territoryId = (await createTerritory(db)).id;
  const codes = ['CAF', 'CPAM', 'CNAV', 'MSA', 'FRANCE_TRAVAIL', 'LA_POSTE', 'DGFIP', 'JUSTICE', 'ANTS'];
  for (const code of [...codes, 'DEPARTEMENT', 'MISSION_LOCALE', 'CCAS', 'MDPH', 'UDAF', 'CIDFF', 'ADIL'])
    await createOrganisation(db, territoryId, { nationalCode: code, acronym: code });
  const place = await createContactPoint(db, territoryId);
  agent = await t.signIn(await createUser(db, { memberships: [{ territoryId, role: 'agent', contactPointId: place.id }] }));
  await db.transaction((tx) => importFiles(tx, territoryId, demoSheetFiles(), null, false, new Date()));
});
afterAll(() => t?.close());

describe('search quality on the demo base', () => {
  it('puts the expected sheet first for most queries and in the top 3 for nearly all', async () => {
    let top1 = 0;
    let top3 = 0;
    let reciprocal = 0;
    const misses: string[] = [];
    for (const q of QUALITY_SET) {
      const res = await agent.get(`/api/territories/${territoryId}/knowledge/sheets?limit=10&q=${encodeURIComponent(q.query)}`);
      expect(res.status).toBe(200);
      const slugs = (res.body.items as { slug: string }[]).map((i) => i.slug);
      const rank = slugs.findIndex((s) => q.expected.includes(s));
      if (rank === 0) top1++;
      if (rank >= 0 && rank < 3) top3++;
      else misses.push(`${q.query} → ${slugs.slice(0, 3).join(', ')} (attendu ${q.expected.join(' | ')})`);
      if (rank >= 0) reciprocal += 1 / (rank + 1);
    }
    const n = QUALITY_SET.length;
    const report = `top-1 ${(top1 / n).toFixed(3)}, top-3 ${(top3 / n).toFixed(3)}, MRR ${(reciprocal / n).toFixed(3)} on ${n} queries\n${misses.join('\n')}`;
    console.info(report);
    expect(n).toBeGreaterThanOrEqual(50);
    expect(top1 / n, report).toBeGreaterThanOrEqual(0.85);
    expect(top3 / n, report).toBeGreaterThanOrEqual(0.95);
  });
});
