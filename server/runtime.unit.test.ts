import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { contactPoints, territories } from './modules/network/network.schema.ts';
import { startRelais } from './runtime.ts';
import { DEMO_SLUG, seedDemo } from './seed/demo.ts';

const dir = mkdtempSync(join(tmpdir(), 'relais-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded database across restarts', () => {
  it('keeps the data and the generated secret key when Relais stops and starts again, and seeds the demo once', async () => {
    const env = { DATA_DIR: dir, LOG_LEVEL: 'silent', JOBS: 'false' };
    const first = await startRelais(loadConfig(env), { logger: false });
    expect((await seedDemo(first.ctx)).created).toBe(true);
    const [perche] = await first.ctx.db.select().from(territories).where(eq(territories.slug, DEMO_SLUG));
    const sealed = first.ctx.secretBox.seal(`secret-${randomBytes(4).toString('hex')}`);
    const plain = first.ctx.secretBox.open(sealed);
    const count = (await first.ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, perche!.id))).length;
    await first.close();

    const second = await startRelais(loadConfig(env), { logger: false });
    try {
      expect((await seedDemo(second.ctx)).created).toBe(false);
      const again = await second.ctx.db.select().from(territories).where(eq(territories.slug, DEMO_SLUG));
      expect(again.map((t) => t.id)).toEqual([perche!.id]);
      expect((await second.ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, perche!.id))).length).toBe(count);
      // Same key from DATA_DIR/secret.key: what was sealed before the restart still opens.
      expect(second.ctx.secretBox.open(sealed)).toBe(plain);
    } finally {
      await second.close();
    }
  }, 120_000);
});
