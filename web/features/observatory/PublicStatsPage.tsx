import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useParams, useSearchParams } from 'react-router';
import type { PublicStats } from '../../../contracts/observatory.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { ChartFigure, DataTable, HorizontalBars, MonthColumns } from './charts.tsx';
import { formatCount, formatGrowth, formatShare, formatWorkingDays, monthLabel } from './format.ts';
import { Tile, Tiles } from './parts.tsx';
import { publicCount } from './publicCount.ts';
import { usePublicStats } from './queries.ts';
import './observatory.css';

type Shared = { code: string; label: string; count: number | null; share: number | null };

function SharedFigure({ title, noun, rows, threshold }: { title: string; noun: string; rows: Shared[]; threshold: number }) {
  const known = rows.filter((r) => r.count !== null).sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
  const first = known[0];
  return (
    <ChartFigure
      title={title}
      summary={first ? `En tête : ${first.label} (${formatShare(first.share)}).` : `Moins de ${threshold} par ligne : rien à afficher.`}
      table={
        <DataTable
          caption={title}
          rows={rows}
          rowKey={(r) => r.code}
          columns={[
            { header: noun, cell: (r) => r.label },
            { header: 'Nombre', cell: (r) => publicCount(r.count, threshold), numeric: true },
            { header: 'Part', cell: (r) => (r.count === null ? '—' : formatShare(r.share)), numeric: true },
          ]}
        />
      }
    >
      {known.length > 0 && <HorizontalBars rows={known.map((r) => ({ label: r.label, value: r.count ?? 0 }))} />}
    </ChartFigure>
  );
}

function Stats({ data }: { data: PublicStats }) {
  const t = data.threshold;
  const growth = data.visits !== null && data.previousYearVisits ? (data.visits - data.previousYearVisits) / data.previousYearVisits : null;
  const anySuppressed =
    [data.visits, data.previousYearVisits, data.requests.sent, data.satisfaction.answers].includes(null) ||
    data.byMonth.some((m) => m.count === null) ||
    [...data.byGroup, ...data.byPartner, ...data.byChannel, ...data.contactPoints].some((r) => r.count === null);
  const months = data.byMonth.map((m) => ({ month: m.month, count: m.count ?? 0, previous: null }));
  return (
    <>
      <p>
        {data.months === 12 ? `Année ${data.year} entière.` : `${data.year} : ${data.months} mois entiers (l’année n’est pas terminée).`}{' '}
        Les chiffres ne contiennent aucune donnée personnelle.
      </p>
      {anySuppressed && (
        <div className="fr-callout fr-mb-4w">
          <p className="fr-callout__text">
            Un nombre inférieur à {t} est affiché « moins de {t} » : trop petit, il pourrait permettre de reconnaître une personne.
          </p>
        </div>
      )}
      <Tiles>
        <Tile
          value={publicCount(data.visits, t)}
          label="Accueils"
          detail={
            data.previousYearVisits !== null
              ? `${formatCount(data.previousYearVisits)} en ${data.year - 1}${growth !== null ? ` (${formatGrowth(growth)})` : ''}`
              : undefined
          }
        />
        <Tile
          value={publicCount(data.requests.sent, t)}
          label="Saisines des partenaires"
          detail={`${formatShare(data.requests.inTimeShare)} de premières réponses dans le délai`}
        />
        <Tile value={formatWorkingDays(data.requests.medianDays)} label="Délai médian de première réponse" />
        <Tile
          value={formatShare(data.satisfaction.satisfiedShare)}
          label="Usagers satisfaits"
          detail={`Sur ${publicCount(data.satisfaction.answers, t)} réponses à l’enquête de satisfaction`}
        />
      </Tiles>
      <ChartFigure
        title="Accueils par mois"
        summary={
          data.visits === null
            ? `Moins de ${t} accueils sur l’année.`
            : `${formatCount(data.visits)} accueils en ${data.year}${growth !== null ? `, soit ${formatGrowth(growth)} par rapport à ${data.year - 1}` : ''}.`
        }
        table={
          <DataTable
            caption="Accueils par mois"
            rows={data.byMonth}
            rowKey={(m) => m.month}
            columns={[
              { header: 'Mois', cell: (m) => monthLabel(m.month) },
              { header: 'Accueils', cell: (m) => publicCount(m.count, t), numeric: true },
            ]}
          />
        }
      >
        <MonthColumns months={months} />
      </ChartFigure>
      <SharedFigure title="Motifs par groupe" noun="Groupe" rows={data.byGroup} threshold={t} />
      <SharedFigure title="Partenaires cités" noun="Partenaire" rows={data.byPartner} threshold={t} />
      <SharedFigure title="Accueils par canal" noun="Canal" rows={data.byChannel} threshold={t} />
      <DataTable
        caption="Accueils par lieu"
        rows={data.contactPoints}
        rowKey={(c, i) => `${c.name}-${i}`}
        columns={[
          { header: 'Lieu d’accueil', cell: (c) => (c.commune ? `${c.name} (${c.commune})` : c.name) },
          { header: 'Accueils', cell: (c) => publicCount(c.count, t), numeric: true },
        ]}
      />
    </>
  );
}

/** A territory's public statistics (no sign-in): the year's figures, small counts shown as « moins de 10 ». */
export function PublicStatsPage() {
  const { slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('annee'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : null;
  const stats = usePublicStats(slug, year);
  const shown = stats.data?.year ?? year ?? new Date().getFullYear();
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 5 }, (_, i) => thisYear - i);
  return (
    <>
      <PageTitle>{stats.data ? `Statistiques : ${stats.data.territory.name}` : 'Statistiques du réseau'}</PageTitle>
      <div className="fr-grid-row fr-mb-3w">
        <div className="fr-col-12 fr-col-sm-4 fr-col-md-3">
          <Select label="Année" nativeSelectProps={{ value: String(shown), onChange: (e) => setParams({ annee: e.target.value }) }}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <QueryState query={stats}>{(data) => <Stats data={data} />}</QueryState>
    </>
  );
}
