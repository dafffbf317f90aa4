import { describe, expect, it } from 'vitest';
import { equirectangularFrame, mercatorFrame, scaleBar, tileUrl } from './projection.ts';

const mortagne = { lat: 48.52018, lon: 0.54734 };
const belleme = { lat: 48.3733, lon: 0.57005 };
const longny = { lat: 48.5333, lon: 0.75 };

describe('finder map projection', () => {
  it('keeps every point inside the frame, north up, with distances true to the cos(latitude) correction', () => {
    const frame = equirectangularFrame([mortagne, belleme, longny], 600, 400, 30);
    for (const p of [mortagne, belleme, longny].map(frame.project)) {
      expect(p.x).toBeGreaterThanOrEqual(29.9);
      expect(p.x).toBeLessThanOrEqual(570.1);
      expect(p.y).toBeGreaterThanOrEqual(29.9);
      expect(p.y).toBeLessThanOrEqual(370.1);
    }
    expect(frame.project(belleme).y).toBeGreaterThan(frame.project(mortagne).y); // Bellême is south
    const a = frame.project(mortagne);
    const b = frame.project(longny);
    // Mortagne → Longny is about 15 km.
    expect(Math.hypot(a.x - b.x, a.y - b.y) * frame.kmPerUnit).toBeCloseTo(15, 0);
  });

  it('places Web Mercator tiles under the points and measures the same distances', () => {
    const frame = mercatorFrame([mortagne, belleme, longny], 600, 400, 30);
    expect(frame.tiles.length).toBeGreaterThan(0);
    expect(new Set(frame.tiles.map((t) => t.z)).size).toBe(1);
    const a = frame.project(mortagne);
    const b = frame.project(longny);
    expect(Math.hypot(a.x - b.x, a.y - b.y) * frame.kmPerUnit).toBeGreaterThan(14);
    expect(Math.hypot(a.x - b.x, a.y - b.y) * frame.kmPerUnit).toBeLessThan(16);
    expect(tileUrl('https://tile.openstreetmap.org/{z}/{x}/{y}.png', { z: 10, x: 513, y: 354 })).toBe(
      'https://tile.openstreetmap.org/10/513/354.png',
    );
  });

  it('draws a scale bar of a round length', () => {
    const bar = scaleBar(equirectangularFrame([mortagne, belleme, longny], 600, 400, 30));
    expect([1, 2, 5, 10, 20].includes(bar.km)).toBe(true);
    expect(bar.label).toBe(`${bar.km} km`);
    expect(bar.units).toBeGreaterThan(0);
    expect(bar.units).toBeLessThanOrEqual(150);
  });
});
