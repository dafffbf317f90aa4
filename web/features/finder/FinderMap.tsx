import { Link } from 'react-router';
import type { Coordinates } from '../../../contracts/finder.ts';
import { equirectangularFrame, mercatorFrame, scaleBar, tileUrl } from './projection.ts';

export interface MapMarker {
  id: string;
  number: number;
  name: string;
  coordinates: Coordinates;
}

const WIDTH = 640;
const HEIGHT = 420;
const PADDING = 36;

/**
 * The results on a map drawn in SVG, so that it works without Internet. With a tile server
 * configured (MAP_TILES_URL), its tiles go under the markers in Web Mercator. Decorative for screen
 * readers: the list is the accessible equivalent (markers are links for the mouse only).
 */
export function FinderMap({
  origin,
  markers,
  tiles,
}: {
  origin: Coordinates | null;
  markers: MapMarker[];
  tiles: { url: string; attribution: string } | null;
}) {
  const points = [...(origin ? [origin] : []), ...markers.map((m) => m.coordinates)];
  if (points.length === 0) return null;
  const frame = tiles ? mercatorFrame(points, WIDTH, HEIGHT, PADDING) : equirectangularFrame(points, WIDTH, HEIGHT, PADDING);
  const bar = scaleBar(frame);
  const here = origin ? frame.project(origin) : null;
  return (
    <figure className="relais-finder-map fr-mb-3w">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" focusable="false" role="presentation">
        <rect width={WIDTH} height={HEIGHT} className="relais-finder-map__background" />
        {tiles
          ? frame.tiles.map((t) => (
              <image
                key={`${t.z}-${t.x}-${t.y}-${t.left}`}
                href={tileUrl(tiles.url, t)}
                x={t.left}
                y={t.top}
                width={t.size}
                height={t.size}
              />
            ))
          : [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => (
              <g key={`grid-${i}`} className="relais-finder-map__grid">
                <line x1={(WIDTH / 8) * i} y1={0} x2={(WIDTH / 8) * i} y2={HEIGHT} />
                <line x1={0} y1={(HEIGHT / 8) * i} x2={WIDTH} y2={(HEIGHT / 8) * i} />
              </g>
            ))}
        {here && (
          <g className="relais-finder-map__origin">
            <circle cx={here.x} cy={here.y} r={14} opacity={0.25} />
            <circle cx={here.x} cy={here.y} r={6} />
          </g>
        )}
        {[...markers].reverse().map((m) => {
          const p = frame.project(m.coordinates);
          return (
            <Link key={m.id} to={`/lieux/${m.id}`} tabIndex={-1} className="relais-finder-map__marker">
              <title>{`${m.number}. ${m.name}`}</title>
              <path d={`M${p.x} ${p.y} l-11 -16 a13 13 0 1 1 22 0 z`} />
              <text x={p.x} y={p.y - 21} textAnchor="middle">
                {m.number}
              </text>
            </Link>
          );
        })}
        <g className="relais-finder-map__scale" transform={`translate(${16} ${HEIGHT - 18})`}>
          <rect x={-6} y={-20} width={bar.units + 12} height={28} rx={3} />
          <path d={`M0 -4 V2 H${bar.units} V-4`} fill="none" />
          <text x={bar.units / 2} y={-7} textAnchor="middle">
            {bar.label}
          </text>
        </g>
      </svg>
      <figcaption className="fr-text--xs fr-mb-0">
        {here ? 'Le point bleu marque le lieu recherché ; les numéros renvoient à la liste. ' : 'Les numéros renvoient à la liste. '}
        {tiles ? `Fond de carte : ${tiles.attribution}.` : 'Distances à vol d’oiseau.'}
      </figcaption>
    </figure>
  );
}
