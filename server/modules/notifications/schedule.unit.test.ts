import { describe, expect, it } from 'vitest';
import { absoluteLink, digestEmail, maskSecrets, notificationEmail } from './emails.ts';
import { isDigestDue, nextBusinessInstant } from './schedule.ts';

const paris = { timeZone: 'Europe/Paris', holidays: 'metropole' } as const;
const reunion = { timeZone: 'Indian/Reunion', holidays: 'reunion' } as const;

describe('business hours (working days, 08:00–18:00 local)', () => {
  it('keeps an instant that is already in business hours', () => {
    const at = new Date('2026-04-07T12:00:00Z'); // Tuesday 14:00 in Paris
    expect(nextBusinessInstant(at, paris)).toEqual(at);
  });

  it('moves an early morning to 08:00 the same day', () => {
    expect(nextBusinessInstant(new Date('2026-04-07T04:00:00Z'), paris)).toEqual(new Date('2026-04-07T06:00:00Z'));
  });

  it('moves a Friday evening to Monday 08:00, and skips Easter Monday', () => {
    expect(nextBusinessInstant(new Date('2026-03-27T17:30:00Z'), paris)).toEqual(new Date('2026-03-30T06:00:00Z'));
    // Friday 3 April 2026 at 19:00 → Monday 6 April is Easter Monday → Tuesday 7 April 08:00 (UTC+2)
    expect(nextBusinessInstant(new Date('2026-04-03T17:00:00Z'), paris)).toEqual(new Date('2026-04-07T06:00:00Z'));
  });

  it('uses the territory’s own zone: 08:00 in La Réunion is 04:00 UTC', () => {
    expect(nextBusinessInstant(new Date('2026-04-07T02:00:00Z'), reunion)).toEqual(new Date('2026-04-07T04:00:00Z'));
    // Abolition day in La Réunion (20 December 2027, a Monday) is not a working day there.
    expect(nextBusinessInstant(new Date('2027-12-17T16:00:00Z'), reunion)).toEqual(new Date('2027-12-21T04:00:00Z'));
  });
});

describe('daily digest time', () => {
  it('is due from 08:00 local on a working day, once that day', () => {
    expect(isDigestDue(new Date('2026-04-07T05:59:00Z'), paris, null)).toBe(false);
    expect(isDigestDue(new Date('2026-04-07T06:00:00Z'), paris, null)).toBe(true);
    expect(isDigestDue(new Date('2026-04-07T15:00:00Z'), paris, new Date('2026-04-06T06:00:00Z'))).toBe(true);
    expect(isDigestDue(new Date('2026-04-07T15:00:00Z'), paris, new Date('2026-04-07T06:00:00Z'))).toBe(false);
  });

  it('is never due on a weekend or a public holiday', () => {
    expect(isDigestDue(new Date('2026-04-04T08:00:00Z'), paris, null)).toBe(false); // Saturday
    expect(isDigestDue(new Date('2026-05-01T08:00:00Z'), paris, null)).toBe(false); // 1 May
  });
});

describe('notification emails', () => {
  const url = 'https://relais.exemple.fr';
  it('is one short line, the link back to the app and the signature', () => {
    const email = notificationEmail({ subject: 'Nouvelle saisine', body: 'Une saisine est arrivée.', link: `${url}/saisines/1` }, url);
    expect(email.subject).toBe('Relais : Nouvelle saisine');
    expect(email.text.split('\n').slice(0, 5)).toEqual(['Une saisine est arrivée.', '', `${url}/saisines/1`, '', '— Relais']);
    expect(email.text).toContain(`${url}/compte`);
  });

  it('lists every notification of the day in the digest', () => {
    const email = digestEmail(
      [
        { subject: 'A', body: 'a', link: `${url}/a` },
        { subject: 'B', body: 'b', link: `${url}/b` },
      ],
      url,
    );
    expect(email.subject).toBe('Relais : votre résumé du jour (2 notifications)');
    expect(email.text).toContain(`- A\n  ${url}/a\n- B\n  ${url}/b`);
    expect(email.text).toContain('— Relais');
  });

  it('makes paths absolute and refuses links to another site', () => {
    expect(absoluteLink(url, '/saisines/1')).toBe(`${url}/saisines/1`);
    expect(absoluteLink(url, `${url}/x`)).toBe(`${url}/x`);
    expect(() => absoluteLink(url, 'https://ailleurs.exemple/x')).toThrow();
    expect(() => absoluteLink(url, '//ailleurs.exemple/x')).toThrow();
    expect(() => absoluteLink(url, 'https://relais.exemple.fr.ailleurs.exemple/x')).toThrow();
  });

  it('masks single-use tokens for readers other than the recipient', () => {
    expect(maskSecrets(`ouvrez ${url}/invitation?jeton=abc_DEF-123 vite`)).toBe(`ouvrez ${url}/invitation?jeton=(masqué) vite`);
  });
});
