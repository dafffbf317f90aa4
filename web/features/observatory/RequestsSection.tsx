import type { DeadlineRow, RequestsDashboard } from '../../../contracts/observatory.ts';
import { ChartFigure, DataTable, HorizontalBars, MonthColumns } from './charts.tsx';
import {
  comparisonLabel,
  formatCount,
  formatDays,
  formatGrowth,
  formatShare,
  formatWorkingDays,
  monthLabel,
  periodLabel,
} from './format.ts';
import { fromTo, Tile, Tiles } from './parts.tsx';
import { deadlinesSentence, monthsSentence, plural, requestsSentence } from './summary.ts';

function DeadlineFigure({ title, noun, rows }: { title: string; noun: string; rows: DeadlineRow[] }) {
  const sorted = [...rows].sort((a, b) => b.sent - a.sent);
  return (
    <ChartFigure
      title={title}
      summary={deadlinesSentence(sorted)}
      table={
        <DataTable
          caption={title}
          rows={sorted}
          rowKey={(r) => r.code}
          columns={[
            { header: noun, cell: (r) => r.label },
            { header: 'Envoyées', cell: (r) => formatCount(r.sent), numeric: true },
            { header: 'Répondues', cell: (r) => formatCount(r.answered), numeric: true },
            { header: 'Dans le délai', cell: (r) => formatShare(r.inTimeShare), numeric: true },
            { header: 'Délai médian', cell: (r) => formatDays(r.medianDays), numeric: true },
            { header: 'Délai p90', cell: (r) => formatDays(r.p90Days), numeric: true },
            { header: 'Dépassements', cell: (r) => formatCount(r.breaches), numeric: true },
            { header: 'En attente', cell: (r) => formatCount(r.openNow), numeric: true },
          ]}
        />
      }
    >
      {sorted.some((r) => r.inTimeShare !== null) && (
        <HorizontalBars
          rows={sorted
            .filter((r) => r.inTimeShare !== null)
            .map((r) => ({
              label: r.label,
              value: Math.round((r.inTimeShare ?? 0) * 100),
              valueText: `${formatShare(r.inTimeShare)} dans le délai`,
            }))}
        />
      )}
    </ChartFigure>
  );
}

/** The requests (saisines): sent, answered, deadlines (working days), breaches, backlog; by month, partner, theme, contact point. */
export function RequestsSection({ data, headingLevel = 2 }: { data: RequestsDashboard; headingLevel?: 2 | 3 }) {
  const { totals, period, backlog } = data;
  const against = comparisonLabel(period);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const months = data.byMonth.map((m) => ({ month: m.month, count: m.sent, previous: null }));
  return (
    <>
      <H className="fr-h4">Saisines {periodLabel(period.from, period.to)}</H>
      <p>{requestsSentence(data)}</p>
      <Tiles>
        <Tile
          value={formatCount(totals.sent)}
          label="Saisines envoyées"
          detail={
            totals.previous !== null && against ? (
              <>
                {fromTo(totals.previous, totals.sent)}
                {totals.previous > 0 && ` (${formatGrowth((totals.sent - totals.previous) / totals.previous)} par rapport à ${against})`}
              </>
            ) : undefined
          }
        />
        <Tile value={formatCount(totals.answered)} label="Répondues" detail={`${plural(totals.closed, 'clôturée', 'clôturées')}`} />
        <Tile value={formatShare(totals.inTimeShare)} label="Première réponse dans le délai" detail="Sur les saisines répondues" />
        <Tile
          value={formatWorkingDays(totals.medianDays)}
          label="Délai médian de première réponse"
          detail={`90 % des réponses en ${formatWorkingDays(totals.p90Days)} au plus`}
        />
        <Tile
          value={formatCount(totals.breaches)}
          label="Dépassements du délai"
          detail="Réponses en retard et saisines ouvertes hors délai"
        />
        <Tile
          value={formatCount(backlog.open)}
          label="En attente maintenant"
          detail={`dont ${formatCount(backlog.overdue)} hors délai et ${formatCount(backlog.waitingForInformation)} en attente d’informations`}
        />
      </Tiles>
      <ChartFigure
        title="Saisines envoyées par mois"
        summary={monthsSentence(months, { ...period, previousFrom: null, previousTo: null }, 'saisine envoyée', 'saisines envoyées')}
        table={
          <DataTable
            caption="Saisines par mois"
            rows={data.byMonth}
            rowKey={(m) => m.month}
            columns={[
              { header: 'Mois', cell: (m) => monthLabel(m.month) },
              { header: 'Envoyées', cell: (m) => formatCount(m.sent), numeric: true },
              { header: 'Répondues', cell: (m) => formatCount(m.answered), numeric: true },
              { header: 'Dans le délai', cell: (m) => formatCount(m.inTime), numeric: true },
              { header: 'Délai médian', cell: (m) => formatDays(m.medianDays), numeric: true },
            ]}
          />
        }
      >
        <MonthColumns months={months} />
      </ChartFigure>
      <DeadlineFigure title="Délais par partenaire" noun="Partenaire" rows={data.byOrganisation} />
      <DeadlineFigure title="Délais par thème" noun="Thème" rows={data.byTheme} />
      <DeadlineFigure title="Délais par lieu d’accueil" noun="Lieu d’accueil" rows={data.byContactPoint} />
      {totals.rated > 0 && (
        <p className="fr-text--sm">
          Réponses jugées utiles par les agents : {formatShare(totals.usefulShare)} (
          {plural(totals.rated, 'réponse notée', 'réponses notées')}).
        </p>
      )}
    </>
  );
}
