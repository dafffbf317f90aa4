import type { SatisfactionDashboard } from '../../../contracts/observatory.ts';
import { formatDate } from '../../components/format.ts';
import { ChartFigure, DataTable, HorizontalBars } from './charts.tsx';
import { formatCount, formatShare, monthLabel, periodLabel } from './format.ts';
import { Tile, Tiles } from './parts.tsx';
import { leadersSentence, plural } from './summary.ts';

type Rated = SatisfactionDashboard['byContactPoint'][number];

function RatedFigure({ title, noun, rows }: { title: string; noun: string; rows: Rated[] }) {
  const sorted = [...rows].sort((a, b) => b.count - a.count);
  return (
    <ChartFigure
      title={title}
      summary={leadersSentence(sorted, 'Aucune réponse sur la période.')}
      table={
        <DataTable
          caption={title}
          rows={sorted}
          rowKey={(r) => r.code}
          columns={[
            { header: noun, cell: (r) => r.label },
            { header: 'Réponses', cell: (r) => formatCount(r.count), numeric: true },
            { header: 'Part des réponses', cell: (r) => formatShare(r.share), numeric: true },
            { header: 'Satisfaits', cell: (r) => formatShare(r.satisfiedShare), numeric: true },
          ]}
        />
      }
    >
      {sorted.length > 0 && <HorizontalBars rows={sorted.map((r) => ({ label: r.label, value: r.count }))} />}
    </ChartFigure>
  );
}

/** The satisfaction survey's answers: the share satisfied (with its definition and count), by level, place, channel, month. */
export function SatisfactionSection({ data, headingLevel = 2 }: { data: SatisfactionDashboard; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const { period } = data;
  return (
    <>
      <H className="fr-h4">Satisfaction {periodLabel(period.from, period.to)}</H>
      <p>
        {data.definition} Sur {plural(data.answers, 'réponse')}.
      </p>
      <Tiles>
        <Tile value={formatShare(data.satisfiedShare)} label="Satisfaits" detail={plural(data.answers, 'réponse')} />
        <Tile
          value={formatShare(data.resolvedShare)}
          label="Démarche résolue"
          detail="Réponses « Oui » à « Votre démarche a-t-elle abouti ? »"
        />
        <Tile value={formatShare(data.recommendShare)} label="Recommanderaient le lieu" />
      </Tiles>
      <ChartFigure
        title="Réponses par niveau de satisfaction"
        summary={leadersSentence(data.bySatisfaction, 'Aucune réponse sur la période.')}
        table={
          <DataTable
            caption="Réponses par niveau de satisfaction"
            rows={data.bySatisfaction}
            rowKey={(r) => r.code}
            columns={[
              { header: 'Niveau', cell: (r) => r.label },
              { header: 'Réponses', cell: (r) => formatCount(r.count), numeric: true },
              { header: 'Part', cell: (r) => formatShare(r.share), numeric: true },
            ]}
          />
        }
      >
        {data.answers > 0 && <HorizontalBars rows={data.bySatisfaction.map((r) => ({ label: r.label, value: r.count }))} />}
      </ChartFigure>
      <RatedFigure title="Satisfaction par lieu d’accueil" noun="Lieu d’accueil" rows={data.byContactPoint} />
      <RatedFigure title="Satisfaction par canal" noun="Canal" rows={data.byChannel} />
      <RatedFigure title="Satisfaction selon l’origine de la réponse" noun="Origine" rows={data.byContext} />
      <DataTable
        caption="Satisfaction par mois"
        rows={data.byMonth}
        rowKey={(m) => m.month}
        columns={[
          { header: 'Mois', cell: (m) => monthLabel(m.month) },
          { header: 'Réponses', cell: (m) => formatCount(m.answers), numeric: true },
          { header: 'Satisfaits', cell: (m) => formatShare(m.satisfiedShare), numeric: true },
        ]}
      />
      {data.comments.length > 0 && (
        <>
          <H className="fr-h5 fr-mt-4w">Derniers commentaires</H>
          <ul>
            {data.comments.map((c) => (
              <li key={`${c.answeredOn}-${c.contactPoint}-${c.comment}`}>
                <blockquote className="fr-mb-1w">« {c.comment} »</blockquote>
                <p className="fr-text--sm">
                  {c.contactPoint}, {formatDate(c.answeredOn)}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
