import type { Coordinates } from '../../../contracts/finder.ts';

/**
 * Projections of the finder's map, pure. Without tiles: equirectangular with the cos(latitude)
 * correction around the points' bounding box (distances look right at the scale of a
 * département). With tiles: Web Mercator at the largest zoom that fits, as tile servers cut it.
 */

export interface Frame {
  width: number;
  height: number;
  /** Screen position of a point, in the SVG's user units. */
  project(c: Coordinates): { x: number; y: number };
  /** Kilometres per SVG unit (horizontally, at the frame's centre). */
  kmPerUnit: number;
  /** Web Mercator only: the tiles to draw under the points. */
  tiles: { z: number; x: number; y: number; left: number; top: number; size: number }[];
}

const KM_PER_DEGREE = (Math.PI * 6371) / 180;
const TILE = 256;

function bounds(points: Coordinates[]) {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  return { south: Math.min(...lats), north: Math.max(...lats), west: Math.min(...lons), east: Math.max(...lons) };
}

export function equirectangularFrame(points: Coordinates[], width: number, height: number, padding: number): Frame {
  const b = bounds(points);
  const lat0 = (b.south + b.north) / 2;
  const lon0 = (b.west + b.east) / 2;
  const cos = Math.cos((lat0 * Math.PI) / 180);
  // At least ~2 km across, so that a single point gets a sensible neighbourhood.
  const spanX = Math.max((b.east - b.west) * cos, 0.02);
  const spanY = Math.max(b.north - b.south, 0.02);
  const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
  return {
    width,
    height,
    project: (c) => ({ x: width / 2 + (c.lon - lon0) * cos * scale, y: height / 2 - (c.lat - lat0) * scale }),
    kmPerUnit: KM_PER_DEGREE / scale,
    tiles: [],
  };
}

const mercator = (c: Coordinates, z: number) => {
  const world = TILE * 2 ** z;
  const lat = Math.max(-85.0511, Math.min(85.0511, c.lat));
  const s = Math.sin((lat * Math.PI) / 180);
  return { x: ((c.lon + 180) / 360) * world, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * world };
};

export function mercatorFrame(points: Coordinates[], width: number, height: number, padding: number, maxZoom = 16): Frame {
  const b = bounds(points);
  let z = maxZoom;
  for (; z > 1; z--) {
    const nw = mercator({ lat: b.north, lon: b.west }, z);
    const se = mercator({ lat: b.south, lon: b.east }, z);
    if (se.x - nw.x <= width - 2 * padding && se.y - nw.y <= height - 2 * padding) break;
  }
  const nw = mercator({ lat: b.north, lon: b.west }, z);
  const se = mercator({ lat: b.south, lon: b.east }, z);
  const cx = (nw.x + se.x) / 2;
  const cy = (nw.y + se.y) / 2;
  const left = cx - width / 2;
  const top = cy - height / 2;
  const count = 2 ** z;
  const tiles: Frame['tiles'] = [];
  for (let ty = Math.floor(top / TILE); ty <= Math.floor((top + height) / TILE); ty++) {
    if (ty < 0 || ty >= count) continue;
    for (let tx = Math.floor(left / TILE); tx <= Math.floor((left + width) / TILE); tx++) {
      tiles.push({ z, x: ((tx % count) + count) % count, y: ty, left: tx * TILE - left, top: ty * TILE - top, size: TILE });
    }
  }
  const latC = (b.south + b.north) / 2;
  return {
    width,
    height,
    project: (c) => {
      const p = mercator(c, z);
      return { x: p.x - left, y: p.y - top };
    },
    kmPerUnit: (2 * Math.PI * 6371 * Math.cos((latC * Math.PI) / 180)) / (TILE * count),
    tiles,
  };
}

/** A round length for the scale bar (1, 2 or 5 × 10ⁿ km) about a quarter of the width. */
export function scaleBar(frame: Frame): { km: number; units: number; label: string } {
  const target = (frame.width / 4) * frame.kmPerUnit;
  const power = 10 ** Math.floor(Math.log10(target));
  const km = [5, 2, 1].map((m) => m * power).find((v) => v <= target) ?? power;
  const label = km >= 1 ? `${km.toLocaleString('fr-FR')} km` : `${Math.round(km * 1000)} m`;
  return { km, units: km / frame.kmPerUnit, label };
}

export const tileUrl = (template: string, t: { z: number; x: number; y: number }) =>
  template.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y)).replace('{s}', 'a');
