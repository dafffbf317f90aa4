import { NATIONAL_SHARES_SOURCE, type VisitsDashboard } from '../../../contracts/observatory.ts';
import { ChartFigure, DataTable, HorizontalBars, Legend, MonthColumns } from './charts.tsx';
import { comparisonLabel, formatCount, formatGrowth, formatMinutes, formatShare, monthLabel, periodLabel } from './format.ts';
import { fromTo, Tile, Tiles } from './parts.tsx';
import { leadersSentence, monthsSentence, partnersSentence } from './summary.ts';

type Row = VisitsDashboard['byGroup'][number];

/** A breakdown as a figure: bars (with the comparison period), summary and table (count, previous, share). */
export function BreakdownFigure({
  title,
  rows,
  noun,
  hasPrevious,
  summary,
  chartLimit,
}: {
  title: string;
  rows: Row[];
  noun: string;
  hasPrevious: boolean;
  summary?: string;
  /** Only the first rows in the drawing (the table keeps them all). */
  chartLimit?: number;
}) {
  const sorted = [...rows].sort((a, b) => b.count - a.count);
  return (
    <ChartFigure
      title={title}
      summary={summary ?? leadersSentence(sorted)}
      table={
        <DataTable
          caption={title}
          rows={sorted}
          rowKey={(r) => r.code}
          columns={[
            { header: noun, cell: (r) => r.label },
            { header: 'Nombre', cell: (r) => formatCount(r.count), numeric: true },
            ...(hasPrevious ? [{ header: 'Période de comparaison', cell: (r: Row) => formatCount(r.previous), numeric: true }] : []),
            { header: 'Part', cell: (r) => formatShare(r.share), numeric: true },
          ]}
        />
      }
    >
      {sorted.length > 0 && (
        <HorizontalBars
          rows={sorted
            .slice(0, chartLimit ?? sorted.length)
            .map((r) => ({ label: r.label, value: r.count, previous: hasPrevious ? r.previous : null }))}
        />
      )}
    </ChartFigure>
  );
}

export function PeriodLegend({ from, to, previousFrom, previousTo }: VisitsDashboard['period']) {
  return (
    <Legend
      current={`Période : ${periodLabel(from, to).replace(/^en /, '')}`}
      previous={previousFrom && previousTo ? `Comparaison : ${periodLabel(previousFrom, previousTo).replace(/^en /, '')} (hachuré)` : null}
    />
  );
}

/** The visits (accueils) of a period: headline figures, by month, by partner (vs national), by group, contact point, channel… */
export function VisitsSection({ data, headingLevel = 2 }: { data: VisitsDashboard; headingLevel?: 2 | 3 }) {
  const { totals, period } = data;
  const hasPrevious = period.previousFrom !== null;
  const against = comparisonLabel(period);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <>
      <H className="fr-h4">Accueils {periodLabel(period.from, period.to)}</H>
      <Tiles>
        <Tile
          value={formatCount(totals.visits)}
          label="Accueils"
          detail={
            totals.previous !== null && against ? (
              <>
                {fromTo(totals.previous, totals.visits)} ({formatGrowth(totals.growth)} par rapport à {against})
              </>
            ) : undefined
          }
        />
        <Tile value={formatMinutes(totals.averageMinutes)} label="Durée moyenne" detail="Des accueils dont la durée est renseignée" />
        <Tile value={formatShare(totals.withPersonShare)} label="Part avec dossier" detail="Accueils liés à un dossier d’usager" />
      </Tiles>
      <ChartFigure
        title="Accueils par mois"
        summary={monthsSentence(data.byMonth, period, 'accueil')}
        table={
          <DataTable
            caption="Accueils par mois"
            rows={data.byMonth}
            rowKey={(m) => m.month}
            columns={[
              { header: 'Mois', cell: (m) => monthLabel(m.month) },
              { header: 'Accueils', cell: (m) => formatCount(m.count), numeric: true },
              ...(hasPrevious
                ? [
                    {
                      header: 'Même mois, période de comparaison',
                      cell: (m: (typeof data.byMonth)[number]) => formatCount(m.previous),
                      numeric: true,
                    },
                  ]
                : []),
            ]}
          />
        }
      >
        <MonthColumns months={data.byMonth} />
        <PeriodLegend {...period} />
      </ChartFigure>
      <ChartFigure
        title="Partenaires cités"
        summary={partnersSentence(data.byPartner)}
        table={
          <>
            <DataTable
              caption="Partenaires cités dans les accueils, comparés aux parts nationales"
              rows={[...data.byPartner].sort((a, b) => b.count - a.count)}
              rowKey={(r) => r.code}
              columns={[
                { header: 'Partenaire', cell: (r) => r.label },
                { header: 'Accueils', cell: (r) => formatCount(r.count), numeric: true },
                ...(hasPrevious
                  ? [
                      {
                        header: 'Période de comparaison',
                        cell: (r: (typeof data.byPartner)[number]) => formatCount(r.previous),
                        numeric: true,
                      },
                    ]
                  : []),
                { header: 'Part', cell: (r) => formatShare(r.share), numeric: true },
                { header: 'Part nationale', cell: (r) => formatShare(r.nationalShare), numeric: true },
              ]}
            />
            <p className="fr-text--xs">Parts nationales : {NATIONAL_SHARES_SOURCE}</p>
          </>
        }
      >
        {data.byPartner.length > 0 && (
          <HorizontalBars
            rows={[...data.byPartner]
              .sort((a, b) => b.count - a.count)
              .map((r) => ({ label: r.label, value: r.count, previous: hasPrevious ? r.previous : null }))}
          />
        )}
      </ChartFigure>
      <BreakdownFigure title="Motifs par groupe" rows={data.byGroup} noun="Groupe" hasPrevious={hasPrevious} />
      <BreakdownFigure title="Accueils par lieu" rows={data.byContactPoint} noun="Lieu d’accueil" hasPrevious={hasPrevious} />
      <BreakdownFigure title="Accueils par canal" rows={data.byChannel} noun="Canal" hasPrevious={hasPrevious} />
      <BreakdownFigure title="Actions réalisées" rows={data.byAction} noun="Action" hasPrevious={hasPrevious} />
      <BreakdownFigure title="Autonomie des usagers" rows={data.byAutonomy} noun="Niveau d’autonomie" hasPrevious={hasPrevious} />
      <BreakdownFigure title="Thèmes" rows={data.byTheme} noun="Thème" hasPrevious={hasPrevious} chartLimit={12} />
    </>
  );
}
