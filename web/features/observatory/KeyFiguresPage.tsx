import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useSearchParams } from 'react-router';
import { type KeyFigures, NATIONAL_SHARES_SOURCE } from '../../../contracts/observatory.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { ChartFigure, DataTable, HorizontalBars, MonthColumns } from './charts.tsx';
import { parseYear } from './filters.ts';
import {
  comparisonLabel,
  formatCount,
  formatDays,
  formatGrowth,
  formatMinutes,
  formatShare,
  formatWorkingDays,
  monthLabel,
  periodLabel,
} from './format.ts';
import { fromTo, Tile, Tiles } from './parts.tsx';
import { useKeyFigures } from './queries.ts';
import { deadlinesSentence, monthsSentence, partnersSentence, plural, requestsSentence } from './summary.ts';
import { BreakdownFigure, PeriodLegend } from './VisitsSection.tsx';
import './observatory.css';

function Report({ data }: { data: KeyFigures }) {
  const v = data.visits;
  const r = data.requests;
  const s = data.satisfaction;
  const hasPrevious = v.period.previousFrom !== null;
  const against = comparisonLabel(v.period);
  const partners = [...v.byPartner].sort((a, b) => b.count - a.count);
  const orgs = [...r.byOrganisation].sort((a, b) => b.sent - a.sent);
  return (
    <div className="relais-report">
      <p>
        {data.territory.name} ·{' '}
        {data.months === 12
          ? `année ${data.year}`
          : `${data.year}, ${plural(data.months, 'mois entier', 'mois entiers')} (${periodLabel(v.period.from, v.period.to)})`}
      </p>
      <section aria-labelledby="cc-accueils">
        <h2 id="cc-accueils">Accueils</h2>
        <Tiles>
          <Tile
            value={formatCount(v.totals.visits)}
            label="Accueils"
            detail={
              v.totals.previous !== null && against
                ? `${fromTo(v.totals.previous, v.totals.visits)} (${formatGrowth(v.totals.growth)} par rapport à ${against})`
                : undefined
            }
          />
          <Tile value={formatMinutes(v.totals.averageMinutes)} label="Durée moyenne" />
          <Tile value={formatShare(v.totals.withPersonShare)} label="Part avec dossier" />
        </Tiles>
        <ChartFigure
          title="Accueils par mois"
          summary={monthsSentence(v.byMonth, v.period, 'accueil')}
          table={
            <DataTable
              caption="Accueils par mois"
              rows={v.byMonth}
              rowKey={(m) => m.month}
              columns={[
                { header: 'Mois', cell: (m) => monthLabel(m.month) },
                { header: String(data.year), cell: (m) => formatCount(m.count), numeric: true },
                ...(hasPrevious
                  ? [{ header: String(data.year - 1), cell: (m: (typeof v.byMonth)[number]) => formatCount(m.previous), numeric: true }]
                  : []),
              ]}
            />
          }
        >
          <MonthColumns months={v.byMonth} />
          <PeriodLegend {...v.period} />
        </ChartFigure>
      </section>
      <section aria-labelledby="cc-motifs">
        <h2 id="cc-motifs">Motifs et partenaires</h2>
        <BreakdownFigure title="Motifs par groupe" rows={v.byGroup} noun="Groupe" hasPrevious={hasPrevious} />
        <ChartFigure
          title="Partenaires cités, comparés aux parts nationales"
          summary={partnersSentence(v.byPartner)}
          table={
            <>
              <DataTable
                caption="Partenaires cités, comparés aux parts nationales"
                rows={partners}
                rowKey={(p) => p.code}
                columns={[
                  { header: 'Partenaire', cell: (p) => p.label },
                  { header: 'Accueils', cell: (p) => formatCount(p.count), numeric: true },
                  { header: 'Part', cell: (p) => formatShare(p.share), numeric: true },
                  { header: 'Part nationale', cell: (p) => formatShare(p.nationalShare), numeric: true },
                ]}
              />
              <p className="fr-text--xs">Parts nationales : {NATIONAL_SHARES_SOURCE}</p>
            </>
          }
        >
          {partners.length > 0 && (
            <HorizontalBars rows={partners.map((p) => ({ label: p.label, value: p.count, previous: hasPrevious ? p.previous : null }))} />
          )}
        </ChartFigure>
      </section>
      <section aria-labelledby="cc-lieux">
        <h2 id="cc-lieux">Lieux d’accueil</h2>
        <BreakdownFigure title="Accueils par lieu" rows={v.byContactPoint} noun="Lieu d’accueil" hasPrevious={hasPrevious} />
        <BreakdownFigure title="Accueils par canal" rows={v.byChannel} noun="Canal" hasPrevious={hasPrevious} />
      </section>
      <section aria-labelledby="cc-delais">
        <h2 id="cc-delais">Saisines et délais</h2>
        <p>{requestsSentence(r)}</p>
        <Tiles>
          <Tile value={formatCount(r.totals.sent)} label="Saisines envoyées" />
          <Tile value={formatShare(r.totals.inTimeShare)} label="Première réponse dans le délai" />
          <Tile
            value={formatWorkingDays(r.totals.medianDays)}
            label="Délai médian"
            detail={`p90 : ${formatWorkingDays(r.totals.p90Days)}`}
          />
        </Tiles>
        <ChartFigure
          title="Respect des délais par partenaire"
          summary={deadlinesSentence(orgs)}
          table={
            <DataTable
              caption="Respect des délais par partenaire"
              rows={orgs}
              rowKey={(o) => o.code}
              columns={[
                { header: 'Partenaire', cell: (o) => o.label },
                { header: 'Envoyées', cell: (o) => formatCount(o.sent), numeric: true },
                { header: 'Répondues', cell: (o) => formatCount(o.answered), numeric: true },
                { header: 'Dans le délai', cell: (o) => formatShare(o.inTimeShare), numeric: true },
                { header: 'Délai médian', cell: (o) => formatDays(o.medianDays), numeric: true },
                { header: 'Dépassements', cell: (o) => formatCount(o.breaches), numeric: true },
              ]}
            />
          }
        >
          {orgs.some((o) => o.inTimeShare !== null) && (
            <HorizontalBars
              rows={orgs
                .filter((o) => o.inTimeShare !== null)
                .map((o) => ({
                  label: o.label,
                  value: Math.round((o.inTimeShare ?? 0) * 100),
                  valueText: `${formatShare(o.inTimeShare)} dans le délai`,
                }))}
            />
          )}
        </ChartFigure>
      </section>
      <section aria-labelledby="cc-satisfaction">
        <h2 id="cc-satisfaction">Satisfaction</h2>
        <Tiles>
          <Tile value={formatShare(s.satisfiedShare)} label="Satisfaits" detail={plural(s.answers, 'réponse')} />
        </Tiles>
        <p className="fr-text--sm">
          Définition : {s.definition} Sur {plural(s.answers, 'réponse')}.
        </p>
      </section>
    </div>
  );
}

/** The yearly key figures of the territory (like a « chiffres clés » leaflet), printable to A4 or PDF. */
export function KeyFiguresPage() {
  const territoryId = useTerritoryId();
  const [params, setParams] = useSearchParams();
  const year = parseYear(params.get('annee'));
  const report = useKeyFigures(territoryId, year);
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  return (
    <>
      <PageTitle title={`Chiffres clés ${year}`}>{`Chiffres clés ${year}`}</PageTitle>
      <div className="relais-no-print fr-grid-row fr-grid-row--gutters fr-grid-row--bottom fr-mb-3w">
        <div className="fr-col-12 fr-col-sm-4 fr-col-md-3">
          <Select label="Année" nativeSelectProps={{ value: String(year), onChange: (e) => setParams({ annee: e.target.value }) }}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-sm-8 fr-col-md-9">
          <Button iconId="fr-icon-printer-line" iconPosition="left" priority="secondary" onClick={() => window.print()}>
            Imprimer / Enregistrer en PDF
          </Button>
        </div>
      </div>
      <QueryState query={report}>{(data) => <Report data={data} />}</QueryState>
    </>
  );
}
