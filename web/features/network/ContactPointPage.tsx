import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { type ContactPointDetails, ContactPointKindLabels, type ContactPointView } from '../../../contracts/network.ts';
import { themeLabel } from '../../../contracts/themes.ts';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { ContactPointDetailsForm } from './ContactPointDetailsForm.tsx';
import { HoursStatusBadge, WeekSchedule } from './HoursDisplay.tsx';
import { LabelCheckPanel } from './LabelCheckPanel.tsx';
import { NextStopBadge } from './NextStopBadge.tsx';
import { PartnersServedForm } from './PartnersServedForm.tsx';
import { networkKeys, useContactPoint, useTerritories } from './queries.ts';

/** A contact point: its card for every member of the territory, its forms for the coordination. */
export function ContactPointPage() {
  const territoryId = useTerritoryId();
  const { id = '' } = useParams();
  const contactPoint = useContactPoint(territoryId, id);
  return (
    <>
      <Breadcrumb
        currentPageLabel={contactPoint.data?.name ?? 'Lieu d’accueil'}
        homeLinkProps={{ to: '/' }}
        segments={[{ label: 'Réseau', linkProps: { to: '/reseau' } }]}
      />
      <QueryState query={contactPoint}>{(cp) => <ContactPointContent territoryId={territoryId} cp={cp} />}</QueryState>
    </>
  );
}

const row = (label: string, value: string | null | undefined) => (
  <div key={label}>
    <dt className="fr-text--bold fr-mb-0">{label}</dt>
    <dd className="fr-ml-0 fr-mb-1w">{value || '—'}</dd>
  </div>
);

function ContactPointCard({ cp }: { cp: ContactPointDetails }) {
  const address = [cp.address, cp.addressComplement, [cp.postcode, cp.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return (
    <dl>
      {row('Type', ContactPointKindLabels[cp.kind])}
      {cp.kind === 'france_services' && row('Matricule', cp.matricule)}
      {cp.kind === 'france_services' && row('Labellisée le', cp.labelDate ? formatDate(cp.labelDate) : null)}
      {row('Adresse', address)}
      {row('Code INSEE', cp.inseeCode)}
      {row('Téléphone', cp.phone)}
      {row('Adresse e-mail', cp.email)}
      {row('Site web', cp.website)}
      {row('Structure porteuse', [cp.managingBody, cp.managingBodyType].filter(Boolean).join(' · '))}
      {row('Présentation', cp.description)}
      {row('Accessible en fauteuil roulant', cp.wheelchairAccessible === null ? null : cp.wheelchairAccessible ? 'Oui' : 'Non')}
      {row('Accessibilité', cp.accessibility)}
      {row('Thèmes', cp.themes.map(themeLabel).join(', '))}
      {row('Horaires (syntaxe OpenStreetMap)', cp.openingHours ?? 'non renseignés')}
    </dl>
  );
}

function ContactPointContent({ territoryId, cp }: { territoryId: string; cp: ContactPointDetails }) {
  const { role, me } = useSession();
  const canEdit = role === 'coordinator';
  const timezone = useTerritories().data?.find((t) => t.id === territoryId)?.timezone ?? 'Europe/Paris';
  const queryClient = useQueryClient();
  const closing = useMutation({
    mutationFn: (action: 'close' | 'reopen') =>
      api.post<ContactPointView>(`/api/territories/${territoryId}/contact-points/${cp.id}/${action}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: networkKeys.contactPoints(territoryId) }),
  });
  return (
    <>
      <PageTitle>{cp.name}</PageTitle>
      <p>
        {ContactPointKindLabels[cp.kind]} · {cp.commune} ·{' '}
        {(cp.kind === 'bus' || cp.kind === 'antenne') && !cp.closedAt ? (
          <NextStopBadge stop={cp.nextStop} timeZone={timezone} />
        ) : (
          <HoursStatusBadge status={cp.now} timezone={timezone} />
        )}
      </p>
      {cp.nextStop && <p className="fr-text--sm">Lieu de l’arrêt : {cp.nextStop.place}.</p>}
      {(cp.kind === 'bus' || cp.kind === 'antenne') && (
        <p>
          <Link className="fr-link fr-icon-calendar-line fr-link--icon-left" to={`/reseau/bus/${cp.id}`}>
            Arrêts et tournées
          </Link>
        </p>
      )}
      {(role === 'coordinator' || (role === 'agent' && cp.agents.some((a) => a.userId === me.user.id))) && !cp.closedAt && (
        <p>
          <Link className="fr-link fr-icon-chat-check-line fr-link--icon-left" to={`/reseau/lieux/${cp.id}/questionnaire`}>
            Questionnaire de satisfaction : affiches et QR codes
          </Link>
        </p>
      )}
      {cp.closedAt && (
        <Alert className="fr-mb-3w" severity="info" small description={`Ce lieu est fermé depuis le ${formatDateTime(cp.closedAt)}.`} />
      )}

      {cp.labelCheck && (
        <section className="fr-mb-4w" aria-labelledby="titre-label">
          <h2 id="titre-label" className="fr-h4">
            Label France Services
          </h2>
          <LabelCheckPanel check={cp.labelCheck} />
        </section>
      )}

      <section className="fr-mb-4w" aria-labelledby="titre-semaine">
        <h2 id="titre-semaine" className="fr-h4">
          Horaires de la semaine
        </h2>
        {cp.openingHours ? (
          <>
            {cp.weeklyOpenHours !== null && (
              <p>{String(cp.weeklyOpenHours).replace('.', ',')} h d’ouverture sans rendez-vous par semaine en moyenne.</p>
            )}
            <WeekSchedule week={cp.week} caption="Horaires de la semaine" />
          </>
        ) : (
          <p>Horaires non renseignés.</p>
        )}
      </section>

      <section className="fr-mb-4w" aria-labelledby="titre-fiche">
        <h2 id="titre-fiche" className="fr-h4">
          {canEdit ? 'Modifier la fiche' : 'Fiche du lieu'}
        </h2>
        {canEdit ? <ContactPointDetailsForm territoryId={territoryId} cp={cp} /> : <ContactPointCard cp={cp} />}
      </section>

      <section className="fr-mb-4w" aria-labelledby="titre-partenaires">
        <h2 id="titre-partenaires" className="fr-h4">
          Partenaires servis
        </h2>
        {canEdit ? (
          <PartnersServedForm territoryId={territoryId} contactPointId={cp.id} served={cp.partners} />
        ) : cp.partners.length ? (
          <ul>
            {cp.partners.map((p) => (
              <li key={p.organisationId}>
                {p.name} ({p.acronym}){p.note ? ` : ${p.note}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p>Aucun partenaire renseigné.</p>
        )}
      </section>

      <section className="fr-mb-4w" aria-labelledby="titre-agents">
        <h2 id="titre-agents" className="fr-h4">
          Agents d’accueil
        </h2>
        {cp.agents.length ? (
          <ul>
            {cp.agents.map((a) => (
              <li key={a.userId}>
                {a.displayName} · <a href={`mailto:${a.email}`}>{a.email}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p>Aucun agent rattaché à ce lieu. Les agents s’invitent depuis la page « Membres ».</p>
        )}
      </section>

      {canEdit && (
        <section className="fr-mb-4w" aria-labelledby="titre-fermeture">
          <h2 id="titre-fermeture" className="fr-h4">
            {cp.closedAt ? 'Rouvrir le lieu' : 'Fermer le lieu'}
          </h2>
          <p>
            {cp.closedAt
              ? 'Le lieu redevient visible comme ouvert selon ses horaires.'
              : 'Un lieu fermé reste dans l’historique et le journal ; il n’est plus proposé comme ouvert.'}
          </p>
          <ProblemAlert error={closing.error} />
          <Button priority="secondary" disabled={closing.isPending} onClick={() => closing.mutate(cp.closedAt ? 'reopen' : 'close')}>
            {cp.closedAt ? 'Rouvrir ce lieu' : 'Fermer ce lieu'}
          </Button>
        </section>
      )}
    </>
  );
}
