import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNir, maskIdentifier, maskNir, nirKey, normaliseNirInput, parseNir } from './nir.ts';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A random well-formed NIR with its computed key. */
const validNir = fc
  .record({
    sex: fc.constantFrom('1', '2', '3', '4', '7', '8'),
    year: digits(2),
    month: fc
      .oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 20, max: 42 }), fc.integer({ min: 50, max: 99 }))
      .map((m) => pad(m, 2)),
    dept: fc.oneof(
      fc.integer({ min: 1, max: 99 }).map((d) => pad(d, 2)),
      fc.constantFrom('2A', '2B'),
    ),
    commune: digits(3),
    order: fc.integer({ min: 1, max: 999 }).map((o) => pad(o, 3)),
  })
  .map(({ sex, year, month, dept, commune, order }) => {
    const body = `${sex}${year}${month}${dept}${commune}${order}`;
    return body + pad(nirKey(body), 2);
  });

describe('parseNir', () => {
  it('accepts a known number with spaces and dots, and normalises it', () => {
    // 1 85 05 78 006 084 key: 97 - (1850578006084 mod 97)
    const body = '1850578006084';
    const key = pad(97 - Number(BigInt(body) % 97n), 2);
    expect(parseNir(`1 85 05 78.006.084 ${key}`)).toEqual({ ok: true, nir: body + key });
  });

  it('reads 2A as 19 and 2B as 18 for the key', () => {
    expect(nirKey('28405' + '2A' + '123456')).toBe(97 - Number(2840519123456n % 97n));
    expect(nirKey('28405' + '2B' + '123456')).toBe(97 - Number(2840518123456n % 97n));
    const body = '184052a123456';
    expect(parseNir(body + pad(nirKey(body.toUpperCase()), 2))).toMatchObject({
      ok: true,
      nir: `${body.toUpperCase()}${pad(nirKey(body.toUpperCase()), 2)}`,
    });
  });

  it('tells a malformed number from a wrong key, in French', () => {
    for (const bad of [
      '',
      '12345',
      '5850578006084 12',
      '1851378006084 12',
      '1850500006084 12',
      '1850578006000 12',
      '1850578006084 1X',
      '18505780060841234',
    ]) {
      const r = parseNir(bad);
      expect(r).toMatchObject({ ok: false, reason: 'format', code: 'NIR_INVALID_FORMAT' });
      expect(r.ok || r.message).toMatch(/15 caractères/);
    }
    const r = parseNir('1850578006084 00');
    expect(r).toMatchObject({ ok: false, reason: 'key', code: 'NIR_INVALID_KEY' });
    expect(r.ok || r.message).toMatch(/clé de contrôle/);
  });

  it('accepts every generated valid number', () => {
    fc.assert(
      fc.property(validNir, (nir) => {
        expect(parseNir(nir)).toEqual({ ok: true, nir });
      }),
    );
  });

  it('rejects any single-digit change (by the key when the format still holds)', () => {
    fc.assert(
      fc.property(validNir, fc.nat(), fc.integer({ min: 1, max: 9 }), (nir, at, delta) => {
        const positions = [...nir].map((c, i) => (/[0-9]/.test(c) ? i : -1)).filter((i) => i >= 0);
        const i = positions[at % positions.length] as number;
        const changed = nir.slice(0, i) + String((Number(nir[i]) + delta) % 10) + nir.slice(i + 1);
        const r = parseNir(changed);
        expect(r.ok).toBe(false);
        if (!r.ok && r.reason === 'key') expect(r.code).toBe('NIR_INVALID_KEY');
      }),
    );
  });

  it('rejects any swap of two different adjacent digits', () => {
    fc.assert(
      fc.property(validNir, fc.nat(), (nir, at) => {
        const swaps = [...nir.slice(0, -1)]
          .map((_c, i) => i)
          .filter((i) => /[0-9]/.test(nir[i] as string) && /[0-9]/.test(nir[i + 1] as string) && nir[i] !== nir[i + 1]);
        fc.pre(swaps.length > 0);
        const i = swaps[at % swaps.length] as number;
        const swapped = nir.slice(0, i) + nir[i + 1] + nir[i] + nir.slice(i + 2);
        expect(parseNir(swapped).ok).toBe(false);
      }),
    );
  });

  it('normalisation is idempotent and survives formatting', () => {
    fc.assert(
      fc.property(validNir, (nir) => {
        const formatted = formatNir(nir);
        expect(normaliseNirInput(normaliseNirInput(formatted))).toBe(normaliseNirInput(formatted));
        expect(parseNir(formatted)).toEqual({ ok: true, nir });
        expect(parseNir(nir.toLowerCase())).toEqual({ ok: true, nir });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(normaliseNirInput(normaliseNirInput(s))).toBe(normaliseNirInput(s));
      }),
    );
  });
});

describe('masking', () => {
  it('keeps only the sex digit and the key of a NIR', () => {
    fc.assert(
      fc.property(validNir, (nir) => {
        const masked = maskNir(nir);
        expect(masked).toBe(`${nir[0]} ** ** ** *** *** ${nir.slice(13)}`);
        expect(masked.replace(/[\s*]/g, '')).toHaveLength(3);
      }),
    );
  });

  it('keeps only the last 2 characters of other identifiers', () => {
    expect(maskIdentifier('1234567')).toBe('*****67');
    expect(maskIdentifier('1234')).toBe('***34');
  });
});
