import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { ApiClient } from '../../test/api-client.ts';
import { type MailCatcher, startMailCatcher } from '../../test/mail-catcher.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { requestWorld, type World } from './requests.fixtures.ts';
import { applyRequestRetention, sweepDeadlines } from './requests.jobs.ts';
import { requestAttachments, requestEvents, requestMessages, requests } from './requests.schema.ts';

/**
 * Around the conversation: attachments, the public status page, the receipt, the partner API,
 * the reminders (through a real SMTP server) and the end of retention.
 */
// Friday 4 December 2026, 09:00 Paris.
const START = new Date('2026-12-04T08:00:00Z');
const clock = fixedClock(START);
let t: TestApp;
let mail: MailCatcher;
let w: World;
beforeAll(async () => {
  mail = await startMailCatcher();
  t = await createTestApp({ clock, env: { SMTP_URL: mail.url, SESSION_TTL_HOURS: String(24 * 90), WEBHOOKS_ALLOW_PRIVATE: 'true' } });
  w = await requestWorld(t);
});
afterAll(async () => {
  await t.close();
  await mail.close();
});
beforeEach(() => clock.set(START));

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const upload = (client: ApiClient, url: string, bytes: Buffer, name: string) =>
  client.request('POST', `${url}/attachments`, {
    rawBody: bytes as unknown as string,
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
  });

describe('attachments', () => {
  it('are typed from their content, sealed at rest, joined to a message and downloadable by the parties only', async () => {
    const sent = await w.send();
    const url = `${w.base}/${sent.body.id}`;
    const added = await upload(w.c.agentA, url, PDF, 'avis d’imposition 2026.jpg');
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({ contentType: 'application/pdf', side: 'agent', messageId: null });
    expect(added.body.fileName).toBe('avis d’imposition 2026.pdf');
    const exe = await upload(w.c.agentA, url, Buffer.from('MZ\x90\x00 this is a program'), 'facture.pdf');
    expect(exe.status).toBe(415);
    expect(exe.body.code).toBe('ATTACHMENT_TYPE_REFUSED');
    const empty = await upload(w.c.agentA, url, Buffer.alloc(0), 'vide.pdf');
    expect([400, 422]).toContain(empty.status);
    const big = await upload(w.c.agentA, url, Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), 'gros.pdf');
    expect(big.status).toBe(413);

    // Sealed at rest: the bytes on disk are not the PDF.
    const [row] = await t.ctx.db.select().from(requestAttachments).where(eq(requestAttachments.id, added.body.id));
    const stored = await t.ctx.files.get(row!.storageKey);
    expect(stored.equals(PDF)).toBe(true);
    const onDisk = findFile(join(t.ctx.config.dataDir, 'files'), row!.storageKey);
    if (onDisk) expect(readFileSync(onDisk).includes(Buffer.from('%PDF'))).toBe(false);

    const withMessage = await w.c.agentA.post(`${url}/messages`, { body: 'Voici le document.', attachmentIds: [added.body.id] });
    expect(withMessage.status).toBe(201);
    expect(withMessage.body.messages.at(-1).attachments.map((a: { id: string }) => a.id)).toEqual([added.body.id]);
    const reuse = await w.c.agentA.post(`${url}/messages`, { body: 'Encore.', attachmentIds: [added.body.id] });
    expect(reuse.status).toBe(400);
    expect(reuse.body.code).toBe('ATTACHMENT_UNKNOWN');

    const download = await w.c.referent1.get(`${url}/attachments/${added.body.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain('attachment');
    expect(download.text).toContain('%PDF-1.4');
    expect((await w.c.agentB.get(`${url}/attachments/${added.body.id}`)).status).toBe(404);
    expect((await w.c.cpamReferent.get(`${url}/attachments/${added.body.id}`)).status).toBe(404);
  });
});

function findFile(dir: string, name: string): string | null {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const found = findFile(path, name);
        if (found) return found;
      } else if (entry.name.startsWith(name)) return path;
    }
  } catch {
    return null;
  }
  return null;
}

describe('status by reference and code', () => {
  it('shows the status and next step with no personal data, and the same 404 for a wrong code or reference', async () => {
    const sent = await w.send();
    const anonymous = new ApiClient(t.baseUrl);
    const ok = await anonymous.post('/api/public/request-status', {
      reference: sent.body.reference.toLowerCase(),
      code: sent.body.statusCode.toLowerCase(),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.reference).toBe(sent.body.reference);
    expect(ok.body.status).toBeTruthy();
    expect(ok.body.nextStep).toMatch(/4 jours ouvrés/);
    expect(ok.body.organisation).toBe('CAF de l’Orne');
    const text = JSON.stringify(ok.body);
    for (const personal of ['Josiane', 'Prime', 'justificatifs', '06 11']) expect(text).not.toContain(personal);
    const wrongCode = await anonymous.post('/api/public/request-status', { reference: sent.body.reference, code: 'AAAA-AAAA' });
    const wrongRef = await anonymous.post('/api/public/request-status', { reference: 'RLS-2026-999999', code: sent.body.statusCode });
    expect(wrongCode.status).toBe(404);
    expect(wrongRef.status).toBe(404);
    expect(wrongCode.body.detail).toBe(wrongRef.body.detail);
  });

  it('refuses lookups for 15 minutes after 10 failures from one address', async () => {
    const sent = await w.send();
    const anonymous = new ApiClient(t.baseUrl);
    // Earlier tests in this file already failed from this address: start a fresh window.
    clock.set(new Date(START.getTime() + 60 * 60_000));
    for (let i = 0; i < 10; i++) {
      const r = await anonymous.post('/api/public/request-status', { reference: 'RLS-2026-000001', code: `ZZZZ-ZZ${i}${i}` });
      expect(r.status).toBe(404);
    }
    const blocked = await anonymous.post('/api/public/request-status', { reference: sent.body.reference, code: sent.body.statusCode });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('STATUS_LOOKUP_THROTTLED');
    clock.set(new Date(START.getTime() + 76 * 60_000));
    expect(
      (await anonymous.post('/api/public/request-status', { reference: sent.body.reference, code: sent.body.statusCode })).status,
    ).toBe(200);
  });
});

describe('receipt', () => {
  it('gives the agent side the reference, the code and the status URL, and sends them by SMS to the file’s number', async () => {
    const sent = await w.send();
    const url = `${w.base}/${sent.body.id}`;
    const receipt = await w.c.agentA.get(`${url}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ reference: sent.body.reference, statusCode: sent.body.statusCode, days: 4 });
    expect(receipt.body.statusUrl).toContain(`/suivi?reference=${sent.body.reference}`);
    expect((await w.c.referent1.get(`${url}/receipt`)).status).toBe(403);
    const sms = await w.c.agentA.post(`${url}/receipt/sms`, {});
    expect(sms.status).toBe(204);
    const outbox = await w.c.agentA.get(`/api/territories/${w.tid}/sms-outbox`);
    expect(outbox.body.items[0].body).toContain(sent.body.reference);
    expect(outbox.body.items[0].body).toContain(sent.body.statusCode);
  });
});

describe('partner integration API', () => {
  it('lets the organisation’s system list its inbox, read, answer with an Idempotency-Key and close; never another organisation’s', async () => {
    const sent = await w.send();
    const created = await w.c.manager.post(`/api/territories/${w.tid}/api-tokens`, { organisationId: w.caf.id, name: 'SI de la CAF' });
    expect(created.status).toBe(201);
    const si = new ApiClient(t.baseUrl);
    const auth = { authorization: `Bearer ${created.body.token}` };
    const list = await si.get('/api/partner/v1/requests?filtre=nouvelles', auth);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(sent.body.id);
    const read = await si.get(`/api/partner/v1/requests/${sent.body.id}`, auth);
    expect(read.status).toBe(200);
    const key = randomUUID();
    const answer = await si.post(
      `/api/partner/v1/requests/${sent.body.id}/messages`,
      { kind: 'reponse', body: 'Traité par le service.' },
      { ...auth, 'idempotency-key': key },
    );
    expect(answer.status).toBe(201);
    expect(answer.body.status).toBe('repondue');
    const replay = await si.post(
      `/api/partner/v1/requests/${sent.body.id}/messages`,
      { kind: 'reponse', body: 'Traité par le service.' },
      { ...auth, 'idempotency-key': key },
    );
    expect(replay.status).toBe(200);
    const messages = await t.ctx.db.select().from(requestMessages).where(eq(requestMessages.requestId, sent.body.id));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.authorTokenId).toBe(created.body.id);
    expect((await si.post(`/api/partner/v1/requests/${sent.body.id}/close`, {}, auth)).body.status).toBe('cloturee');
    // The token cannot use the people's routes, nor another organisation's requests.
    expect((await si.get(`${w.base}/${sent.body.id}`, auth)).status).toBe(403);
    const cpamRequest = await w.send(w.c.agentA, { organisationId: w.cpam.id });
    expect((await si.get(`/api/partner/v1/requests/${cpamRequest.body.id}`, auth)).status).toBe(404);
  });
});

describe('reminders and breach', () => {
  it('reminds the team at 50 % and 75 % within business hours, and tells managers and coordinators at breach', async () => {
    mail.messages.length = 0;
    const sent = await w.send(); // Friday 09:00: 96 working hours → Thursday 10 December 09:00
    await t.ctx.jobs.runNow('notifications.deliver');
    const created = mail.messages.filter((m) => m.subject.includes(sent.body.reference));
    expect(created.map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringContaining(`Nouvelle saisine ${sent.body.reference} pour ${w.caf.acronym}`)]),
    );
    expect(created.flatMap((m) => m.recipients).sort()).toEqual(
      [w.users.manager.email, w.users.referent1.email, w.users.referent2.email].map((e) => e.toLowerCase()).sort(),
    );
    for (const m of created) {
      expect(m.text).not.toContain('Josiane');
      expect(m.text).not.toContain('Prime');
      expect(m.text).toContain(`/saisines/${sent.body.id}`);
    }
    expect((await sweepDeadlines(t.ctx)).half).toBe(0);
    // Tuesday 8 December 09:00 Paris: 48 h of 96 → 50 %.
    clock.set(new Date('2026-12-08T08:00:00Z'));
    const first = await sweepDeadlines(t.ctx);
    expect(first.half).toBeGreaterThanOrEqual(1);
    expect((await sweepDeadlines(t.ctx)).half).toBe(0); // once
    mail.messages.length = 0;
    await t.ctx.jobs.runNow('notifications.deliver');
    expect(
      mail.messages.filter((m) => m.subject.includes(sent.body.reference) && m.subject.includes('mi-délai')).length,
    ).toBeGreaterThanOrEqual(1);
    // Wednesday 20:00 Paris: 15 + 24 + 24 + 20 = 83 h of 96 (86 %) found after business hours; the
    // reminder is logged now and emailed on Thursday at 08:00.
    clock.set(new Date('2026-12-09T19:00:00Z'));
    mail.messages.length = 0;
    expect((await sweepDeadlines(t.ctx)).three_quarters).toBeGreaterThanOrEqual(1);
    await t.ctx.jobs.runNow('notifications.deliver');
    expect(mail.messages.filter((m) => m.subject.includes(sent.body.reference))).toHaveLength(0);
    clock.set(new Date('2026-12-10T07:01:00Z'));
    await t.ctx.jobs.runNow('notifications.deliver');
    expect(
      mail.messages.filter((m) => m.subject.includes(sent.body.reference) && m.subject.includes('75 %')).length,
    ).toBeGreaterThanOrEqual(1);
    // Thursday 10:00 Paris: breach → managers and coordinators.
    clock.set(new Date('2026-12-10T09:00:00Z'));
    mail.messages.length = 0;
    expect((await sweepDeadlines(t.ctx)).breach).toBeGreaterThanOrEqual(1);
    await t.ctx.jobs.runNow('notifications.deliver');
    const breach = mail.messages.filter((m) => m.subject.includes('Délai dépassé') && m.subject.includes(sent.body.reference));
    expect(breach.flatMap((m) => m.recipients)).toEqual(
      expect.arrayContaining([w.users.coordinator.email.toLowerCase(), w.users.manager.email.toLowerCase()]),
    );
    const view = await w.c.referent1.get(`${w.base}/${sent.body.id}`);
    expect(view.body.deadline.level).toBe('depassee');
    expect(view.body.events.filter((e: { kind: string }) => e.kind === 'reminder')).toHaveLength(3);
  });
});

describe('end of retention', () => {
  it('archives closed requests after 30 days and wipes personal data and files after 24 months, keeping the skeleton', async () => {
    const sent = await w.send();
    const url = `${w.base}/${sent.body.id}`;
    const file = await upload(w.c.agentA, url, PDF, 'piece.pdf');
    expect(file.status).toBe(201);
    await w.c.referent1.post(`${url}/messages`, { kind: 'reponse', body: 'Réponse avec des détails personnels.' });
    await w.c.agentA.post(`${url}/close`, { reason: 'Résolu pour Josiane' });
    clock.set(new Date(START.getTime() + 31 * 86_400_000));
    const first = await applyRequestRetention(t.ctx);
    expect(first.archived).toBeGreaterThanOrEqual(1);
    const [archived] = await t.ctx.db.select().from(requests).where(eq(requests.id, sent.body.id));
    expect(archived!.status).toBe('archivee');
    expect(archived!.wipedAt).toBeNull();
    clock.set(new Date(START.getTime() + (31 + 25 * 31) * 86_400_000));
    const second = await applyRequestRetention(t.ctx);
    expect(second.wiped).toBeGreaterThanOrEqual(1);
    const [wiped] = await t.ctx.db.select().from(requests).where(eq(requests.id, sent.body.id));
    expect(wiped).toMatchObject({
      personId: null,
      identifiersSealed: null,
      statusCodeSealed: null,
      description: '',
      status: 'archivee',
      organisationId: w.caf.id,
    });
    expect(wiped!.firstAnsweredAt).not.toBeNull();
    const messages = await t.ctx.db.select().from(requestMessages).where(eq(requestMessages.requestId, sent.body.id));
    expect(messages.every((m) => m.body === '')).toBe(true);
    const [att] = await t.ctx.db.select().from(requestAttachments).where(eq(requestAttachments.id, file.body.id));
    expect(att!.deletedAt).not.toBeNull();
    await expect(t.ctx.files.get(att!.storageKey)).rejects.toThrow();
    const events = await t.ctx.db.select().from(requestEvents).where(eq(requestEvents.requestId, sent.body.id));
    expect(JSON.stringify(events)).not.toContain('Josiane');
    expect(events.map((e) => e.kind)).toContain('wiped');
    // The public page still answers (status only), the receipt is gone.
    const agentLater = await t.signIn(w.users.agentA);
    expect((await agentLater.get(`${url}/receipt`)).status).toBe(410);
  });
});

describe('webhooks of the organisation', () => {
  it('tells the partner’s system of a new request, its messages and status changes, signed, with no personal data', async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const hook = await w.c.manager.post(`/api/territories/${w.tid}/organisations/${w.caf.id}/webhooks`, {
        url: `http://127.0.0.1:${port}/relais`,
        events: ['request.created', 'request.status_changed', 'request.message_added'],
      });
      expect(hook.status, hook.text).toBe(201);
      const sent = await w.send();
      await w.c.referent1.post(`${w.base}/${sent.body.id}/messages`, { kind: 'reponse', body: 'Réponse pour Josiane.' });
      await waitFor(() => received.length >= 3);
      const events = received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
      expect(events.map((e) => e.type).sort()).toEqual(['request.created', 'request.message_added', 'request.status_changed']);
      expect(events.find((e) => e.type === 'request.status_changed')!.data).toMatchObject({
        reference: sent.body.reference,
        status: 'repondue',
        previousStatus: 'envoyee',
      });
      for (const r of received) {
        expect(r.body).not.toContain('Josiane');
        expect(r.body).not.toContain('Prime');
        const [, ts, sig] = String(r.headers['x-relais-signature']).match(/^t=(\d+),v1=([0-9a-f]+)$/) ?? [];
        expect(sig).toBe(createHmac('sha256', hook.body.secret).update(`${ts}.${r.body}`).digest('hex'));
      }
    } finally {
      server.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
