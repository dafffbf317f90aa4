import { fr } from '@codegouvfr/react-dsfr/fr/index.js';
import { type ReactNode, useId } from 'react';
import { formatCount, shortMonthLabel } from './format.ts';

/**
 * Small SVG charts (no chart library). Each one sits in a <ChartFigure>: a visible title, a summary
 * written from the data, the drawing hidden from screen readers, then a table of the same data.
 * The current period is solid blue France, the comparison period hatched and lighter, with a legend:
 * no meaning carried by colour alone.
 */

const CURRENT = fr.colors.decisions.artwork.major.blueFrance.default;
const PREVIOUS_STROKE = fr.colors.decisions.artwork.major.blueFrance.default;
const PREVIOUS_FILL = fr.colors.decisions.background.contrast.blueFrance.default;
const TEXT = fr.colors.decisions.text.default.grey.default;
const AXIS = fr.colors.decisions.border.default.grey.default;

function Hatch({ id }: { id: string }) {
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" style={{ fill: PREVIOUS_FILL }} />
      <line x1="0" y1="0" x2="0" y2="6" style={{ stroke: PREVIOUS_STROKE, strokeWidth: 2 }} />
    </pattern>
  );
}

/** The legend of the two periods (hidden from screen readers like the drawing it explains). */
export function Legend({ current, previous }: { current: string; previous: string | null }) {
  const hatch = useId().replace(/:/g, '');
  return (
    <ul className="relais-chart__legend" aria-hidden="true">
      <li>
        <svg width="16" height="16" role="presentation">
          <rect width="16" height="16" style={{ fill: CURRENT }} />
        </svg>
        {current}
      </li>
      {previous && (
        <li>
          <svg width="16" height="16" role="presentation">
            <defs>
              <Hatch id={hatch} />
            </defs>
            <rect width="16" height="16" fill={`url(#${hatch})`} style={{ stroke: PREVIOUS_STROKE }} />
          </svg>
          {previous}
        </li>
      )}
    </ul>
  );
}

export interface BarRow {
  label: string;
  value: number;
  previous?: number | null;
  /** The text after the bar (the count by default). */
  valueText?: string;
}

const clip = (text: string, max = 30) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Horizontal bars: one per row, with the comparison period's bar under it when there is one. */
export function HorizontalBars({ rows }: { rows: BarRow[] }) {
  const hatch = useId().replace(/:/g, '');
  const withPrevious = rows.some((r) => r.previous !== null && r.previous !== undefined);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.value, r.previous ?? 0)));
  const labelWidth = 220;
  const barWidth = 340;
  const bar = 14;
  const rowHeight = withPrevious ? 2 * bar + 12 : bar + 12;
  const height = rows.length * rowHeight + 4;
  return (
    <svg
      className="relais-chart__svg"
      viewBox={`0 0 ${labelWidth + barWidth + 80} ${height}`}
      aria-hidden="true"
      focusable="false"
      preserveAspectRatio="xMinYMin meet"
    >
      <defs>
        <Hatch id={hatch} />
      </defs>
      {rows.map((r, i) => {
        const y = i * rowHeight + 4;
        const w = (r.value / max) * barWidth;
        const pw = ((r.previous ?? 0) / max) * barWidth;
        return (
          <g key={r.label}>
            <text x={labelWidth - 8} y={y + bar - 2} textAnchor="end" fontSize="13" style={{ fill: TEXT }}>
              {clip(r.label)}
            </text>
            <rect x={labelWidth} y={y} width={Math.max(w, r.value > 0 ? 1 : 0)} height={bar} style={{ fill: CURRENT }} />
            <text x={labelWidth + w + 6} y={y + bar - 2} fontSize="12" style={{ fill: TEXT }}>
              {r.valueText ?? formatCount(r.value)}
            </text>
            {withPrevious && (
              <rect
                x={labelWidth}
                y={y + bar + 2}
                width={Math.max(pw, (r.previous ?? 0) > 0 ? 1 : 0)}
                height={bar - 2}
                fill={`url(#${hatch})`}
                style={{ stroke: PREVIOUS_STROKE, strokeWidth: 0.5 }}
              />
            )}
          </g>
        );
      })}
      <line x1={labelWidth} x2={labelWidth} y1={0} y2={height} style={{ stroke: AXIS }} />
    </svg>
  );
}

export interface ColumnMonth {
  month: string;
  count: number;
  previous: number | null;
}

/** Monthly columns, the comparison period's column (hatched) beside each month's. */
export function MonthColumns({ months }: { months: ColumnMonth[] }) {
  const hatch = useId().replace(/:/g, '');
  const withPrevious = months.some((m) => m.previous !== null);
  const twoYears = new Set(months.map((m) => m.month.slice(0, 4))).size > 1;
  const max = Math.max(1, ...months.map((m) => Math.max(m.count, m.previous ?? 0)));
  const slot = 52;
  const top = 22;
  const chartHeight = 180;
  const width = Math.max(320, months.length * slot + 8);
  const col = withPrevious ? 18 : 28;
  return (
    <svg
      className="relais-chart__svg"
      viewBox={`0 0 ${width} ${top + chartHeight + 24}`}
      aria-hidden="true"
      focusable="false"
      preserveAspectRatio="xMinYMin meet"
    >
      <defs>
        <Hatch id={hatch} />
      </defs>
      <line x1={4} x2={width - 4} y1={top + chartHeight} y2={top + chartHeight} style={{ stroke: AXIS }} />
      {months.map((m, i) => {
        const x = 4 + i * slot + (slot - (withPrevious ? 2 * col + 2 : col)) / 2;
        const h = (m.count / max) * chartHeight;
        const ph = ((m.previous ?? 0) / max) * chartHeight;
        return (
          <g key={m.month}>
            {withPrevious && (
              <rect
                x={x}
                y={top + chartHeight - ph}
                width={col}
                height={ph}
                fill={`url(#${hatch})`}
                style={{ stroke: PREVIOUS_STROKE, strokeWidth: 0.5 }}
              />
            )}
            <rect x={withPrevious ? x + col + 2 : x} y={top + chartHeight - h} width={col} height={h} style={{ fill: CURRENT }} />
            <text
              x={withPrevious ? x + col + 2 + col / 2 : x + col / 2}
              y={top + chartHeight - h - 4}
              textAnchor="middle"
              fontSize="10"
              style={{ fill: TEXT }}
            >
              {formatCount(m.count)}
            </text>
            <text x={4 + i * slot + slot / 2} y={top + chartHeight + 16} textAnchor="middle" fontSize="11" style={{ fill: TEXT }}>
              {shortMonthLabel(m.month, twoYears)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A chart with its visible title, its text summary, the drawing (hidden from screen readers) and its table. */
export function ChartFigure({
  title,
  summary,
  children,
  table,
  headingLevel = 3,
}: {
  title: string;
  summary: string;
  children?: ReactNode;
  table: ReactNode;
  headingLevel?: 2 | 3;
}) {
  const id = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <figure className="relais-chart fr-mb-6w" aria-labelledby={id}>
      <figcaption>
        <Heading id={id} className="fr-h5 fr-mb-1w">
          {title}
        </Heading>
        <p className="relais-chart__summary">{summary}</p>
      </figcaption>
      {children}
      {table}
    </figure>
  );
}

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Right-aligned numbers. */
  numeric?: boolean;
}

/** A DSFR table: caption, column headers, the first column as row headers. */
export function DataTable<T>({
  caption,
  rows,
  rowKey,
  columns,
  empty = 'Aucune donnée sur la période.',
}: {
  caption: string;
  rows: T[];
  rowKey: (row: T, index: number) => string;
  columns: Column<T>[];
  empty?: string;
}) {
  const [first, ...rest] = columns;
  if (!first) return null;
  return (
    <div className="fr-table fr-table--sm fr-mb-2w relais-chart__table">
      <div className="fr-table__wrapper">
        {/* Focusable: a wide table scrolls sideways, and the keyboard must reach it. */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs keyboard access (WCAG 2.1.1). */}
        <section className="fr-table__container" tabIndex={0} aria-label={caption}>
          <div className="fr-table__content">
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c.header} scope="col" className={c.numeric ? 'relais-num' : undefined}>
                      {c.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={columns.length}>{empty}</td>
                  </tr>
                ) : (
                  rows.map((row, i) => (
                    <tr key={rowKey(row, i)}>
                      <th scope="row">{first.cell(row)}</th>
                      {rest.map((c) => (
                        <td key={c.header} className={c.numeric ? 'relais-num' : undefined}>
                          {c.cell(row)}
                        </td>
                      ))}
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </div>
  );
}
