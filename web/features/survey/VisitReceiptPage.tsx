import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { SURVEY_POSTER_TEXT } from '../../../contracts/surveys.ts';
import { VisitActionLabels, VisitChannelLabels, type VisitView } from '../../../contracts/visits.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { WeekSchedule } from '../network/HoursDisplay.tsx';
import { useContactPoint } from '../network/queries.ts';
import { useTaxonomy } from '../visits/queries.ts';
import { QrCode } from './QrCode.tsx';
import { receiptSurveyLink, shortUrl, surveyKeys } from './queries.ts';
import './survey.css';

/**
 * « Reçu de passage »: what was done at the visit, the contact point's phone and hours, and a QR code
 * to the anonymous survey (a one-answer link made for this receipt, naming no visit). Printable, A5.
 */
export function VisitReceiptPage() {
  const territoryId = useTerritoryId();
  const { id = '' } = useParams();
  const visit = useQuery({
    queryKey: ['visits', territoryId, 'visit', id],
    queryFn: () => api.get<VisitView>(`/api/territories/${territoryId}/visits/${id}`),
  });
  return (
    <>
      <div className="relais-no-print">
        <Breadcrumb
          currentPageLabel="Reçu de passage"
          homeLinkProps={{ to: '/' }}
          segments={[{ label: 'Mes accueils', linkProps: { to: '/mes-accueils' } }]}
        />
      </div>
      <QueryState query={visit}>{(v) => <Receipt territoryId={territoryId} visit={v} />}</QueryState>
    </>
  );
}

function Receipt({ territoryId, visit: v }: { territoryId: string; visit: VisitView }) {
  const place = useContactPoint(territoryId, v.contactPointId);
  const taxonomy = useTaxonomy(territoryId);
  // One link per receipt: the same one when the receipt is shown again in this tab (reload, reprint).
  const link = useQuery({
    queryKey: surveyKeys.receipt(territoryId, v.id),
    queryFn: () => receiptSurveyLink(territoryId, v),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const themes = new Map((taxonomy.data?.themes ?? []).map((t) => [t.code, t.label]));
  const done = [...v.themeCodes.map((c) => themes.get(c) ?? c), ...v.actions.map((a) => VisitActionLabels[a])];
  const cp = place.data;
  return (
    <article className="relais-visit-receipt">
      <PageTitle title="Reçu de passage">Reçu de passage</PageTitle>
      <p className="fr-text--lead fr-mb-2w">{`${v.contactPointName} — ${formatDateTime(v.occurredAt)}`}</p>
      <dl>
        <dt className="fr-text--bold">Accueil</dt>
        <dd className="fr-ml-0 fr-mb-1w">{VisitChannelLabels[v.channel]}</dd>
        <dt className="fr-text--bold">Ce qui a été fait</dt>
        <dd className="fr-ml-0 fr-mb-1w">{done.length ? done.join(', ') : '—'}</dd>
        {cp?.phone && (
          <>
            <dt className="fr-text--bold">Téléphone</dt>
            <dd className="fr-ml-0 fr-mb-1w">{cp.phone}</dd>
          </>
        )}
        {cp?.address && (
          <>
            <dt className="fr-text--bold">Adresse</dt>
            <dd className="fr-ml-0 fr-mb-1w">{`${cp.address}, ${cp.postcode ?? ''} ${cp.commune}`.replace(/\s+/g, ' ')}</dd>
          </>
        )}
      </dl>
      {cp?.week.some((d) => d.intervals.length) && (
        <>
          <h2 className="fr-h6 fr-mb-1w">Horaires de la semaine</h2>
          <WeekSchedule week={cp.week} caption={`Horaires de ${cp.name}`} />
        </>
      )}
      <section className="fr-mt-3w" aria-labelledby="titre-avis">
        <h2 id="titre-avis" className="fr-h5 fr-mb-1w">
          {SURVEY_POSTER_TEXT}
        </h2>
        <QueryState query={link}>
          {(l) => (
            <div className="fr-grid-row fr-grid-row--middle fr-grid-row--gutters">
              <div className="fr-col-auto">
                <QrCode svg={l.qrSvg} label="QR code du questionnaire de satisfaction" />
              </div>
              <div className="fr-col">
                <p className="fr-mb-1w">Scannez le QR code ou ouvrez l’adresse :</p>
                <p className="relais-survey-url fr-mb-1w">
                  <a href={l.url}>{shortUrl(l.url)}</a>
                </p>
                <p className="fr-text--sm fr-mb-0">
                  4 questions sur votre accueil, une seule réponse avec ce reçu, jusqu’au{' '}
                  {l.expiresAt
                    ? new Date(l.expiresAt).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' })
                    : '—'}
                  . Votre réponse n’est reliée ni à ce passage ni à votre nom.
                </p>
              </div>
            </div>
          )}
        </QueryState>
      </section>
      <div className="relais-no-print fr-mt-4w">
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button iconId="fr-icon-printer-line" onClick={() => window.print()} disabled={!link.data}>
              Imprimer le reçu
            </Button>
          </li>
          <li>
            <Link className="fr-btn fr-btn--secondary" to="/mes-accueils">
              Retour à mes accueils
            </Link>
          </li>
        </ul>
      </div>
    </article>
  );
}
