import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, testDriver } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('system endpoints', () => {
  it('reports health with the Node.js 24 runtime and the database it runs on', async () => {
    const res = await t.client().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.runtime.version.split('.')[0]).toBe('24');
    expect(res.body.database.kind).toBe(testDriver);
    expect(Number.parseInt(res.body.database.version, 10)).toBeGreaterThanOrEqual(15);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes an OpenAPI 3.1 document where every route declares its security', async () => {
    const res = await t.client().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const operations = Object.entries(res.body.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, security: op.security })),
    );
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) expect(op.security, `${op.method} ${op.path}`).toBeDefined();
    expect(res.body.paths['/api/health'].get.security).toEqual([]);
    expect(res.body.paths['/api/territories'].get.security).toEqual([{ cookieAuth: [] }]);
    expect(res.body.paths['/api/partner/v1/whoami'].get.security).toEqual([{ bearerAuth: [] }]);
  });

  it('answers 401 problem+json to anonymous callers of every protected route', async () => {
    const doc = (await t.client().get('/api/openapi.json')).body;
    const anonymous = t.client();
    const fakeId = '00000000-0000-4000-8000-000000000000';
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { security: unknown[] }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.security.length) continue;
        const url = path.replace(/\{[^}]+\}/g, fakeId);
        const res = await anonymous.request(method.toUpperCase(), url, method === 'get' || method === 'delete' ? {} : { body: {} });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    }
  });

  it('serves the API documentation page and Prometheus metrics', async () => {
    const docs = await t.client().get('/api/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
    await t.client().get('/api/health');
    const metrics = await t.client().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('relais_http_request_duration_seconds_count{method="GET",route="/api/health",status="200"}');
  });

  it('answers unknown API routes with a 404 problem in French', async () => {
    const res = await t.client().get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404, title: 'Introuvable' });
  });
});
