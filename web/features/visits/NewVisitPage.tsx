import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { PersonView } from '../../../contracts/people.ts';
import type { VisitView } from '../../../contracts/visits.ts';
import { ApiError, api } from '../../api/client.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { scopeLabel, useMandates } from '../mandates/queries.ts';
import { useOrganisations } from '../network/queries.ts';
import { personName } from '../people/queries.ts';
import { type AgentPlace, useContactPointChoice } from './contact-point-choice.ts';
import { createBody, emptyDraft, localDateTime, type VisitDraft } from './draft.ts';
import { PendingVisits } from './PendingVisits.tsx';
import { useBusStopsOfDay, useTaxonomy, useVisitShortcuts, visitKeys } from './queries.ts';
import { newIdempotencyKey } from './queue.ts';
import { useVisitQueue, visitsPath } from './useVisitQueue.ts';
import { VisitForm } from './VisitForm.tsx';

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' });

/** "Nouvel accueil": an agent logs a visit in a few keys, online or not. */
export function NewVisitPage() {
  const { me, context } = useSession();
  const territoryId = useTerritoryId();
  const { places, current, choose } = useContactPointChoice(me, context, territoryId);
  return (
    <>
      <PageTitle>Nouvel accueil</PageTitle>
      <p>
        Enregistrez chaque visite, appel ou contact : l’accueil reste anonyme. <Link to="/mes-accueils">Voir mes accueils du jour</Link>
      </p>
      {current ? (
        <NewVisit key={current.id} territoryId={territoryId} place={current} places={places} onChoose={choose} />
      ) : (
        <p>Vous n’êtes agent d’aucun lieu d’accueil de ce territoire : demandez à votre coordination de vous y ajouter.</p>
      )}
    </>
  );
}

function NewVisit(props: { territoryId: string; place: AgentPlace; places: AgentPlace[]; onChoose: (id: string) => void }) {
  const { territoryId, place } = props;
  const { me } = useSession();
  const queryClient = useQueryClient();
  const queue = useVisitQueue(me.user.id, { sync: true });
  const shortcuts = useVisitShortcuts(territoryId, place.id);
  const taxonomy = useTaxonomy(territoryId);
  const organisations = useOrganisations(territoryId);
  const stops = useTodayBusStops(territoryId, place.id);
  const forPerson = usePersonOfVisit(territoryId, place.id);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [announce, setAnnounce] = useState('');
  // A visit noted « Transmis à un partenaire »: offer to write the request (saisine) now.
  const [escalate, setEscalate] = useState<string | null>(null);
  // The visit just saved: its « Reçu de passage » (with the survey's QR code) can be printed.
  const [savedId, setSavedId] = useState<string | null>(null);
  // One key per visit being typed: a retry of the same visit is stored once.
  const key = useRef(newIdempotencyKey());

  const submit = async (draft: VisitDraft): Promise<boolean> => {
    const body = createBody(draft, place.id, key.current, new Date());
    setPending(true);
    setError(null);
    setAnnounce('');
    setEscalate(null);
    setSavedId(null);
    try {
      const saved = await api.post<VisitView>(visitsPath(territoryId), body);
      setAnnounce(`Accueil de ${timeOf(saved.occurredAt)} enregistré. Prêt pour le suivant.`);
      if (saved.actions.includes('saisine_partenaire')) setEscalate(newRequestPathOf(saved));
      setSavedId(saved.id);
      void queryClient.invalidateQueries({ queryKey: visitKeys.all });
    } catch (caught) {
      if (!(caught instanceof ApiError) || caught.status !== 0) {
        setError(caught);
        return false;
      }
      queue.add({ key: body.idempotencyKey, userId: me.user.id, territoryId, body, queuedAt: new Date().toISOString() });
      setAnnounce('Pas de connexion : l’accueil est gardé dans ce navigateur et sera envoyé dès le retour du réseau.');
    } finally {
      setPending(false);
    }
    key.current = newIdempotencyKey();
    return true;
  };

  const contextFields = (
    <div className="fr-fieldset__element">
      {props.places.length > 1 ? (
        <Select
          label="Lieu d’accueil"
          hint="Retenu pour vos prochains accueils sur cet appareil"
          nativeSelectProps={{ id: 'accueil-lieu', value: place.id, onChange: (e) => props.onChoose(e.target.value) }}
        >
          {props.places.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      ) : (
        <p className="fr-mb-0">
          Lieu d’accueil : <strong>{place.name}</strong>
        </p>
      )}
      <p className="fr-mb-0">
        Agent : <strong>{me.user.displayName}</strong>
      </p>
    </div>
  );

  return (
    <>
      <div role="status" aria-live="polite" aria-atomic="true">
        {announce && (
          <div className="fr-alert fr-alert--success fr-alert--sm fr-mb-3w">
            <p>{announce}</p>
          </div>
        )}
      </div>
      {savedId && (
        <p className="fr-mb-3w">
          <Link className="fr-link fr-icon-printer-line fr-link--icon-left" to={`/mes-accueils/${savedId}/recu`}>
            Imprimer le reçu de passage
          </Link>{' '}
          <span className="fr-text--sm">avec le QR code du questionnaire de satisfaction</span>
        </p>
      )}
      {escalate && (
        <p className="fr-mb-3w">
          <Link className="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-mail-line" to={escalate}>
            Saisir un partenaire
          </Link>{' '}
          <span className="fr-text--sm">pour la demande transmise lors de cet accueil</span>
        </p>
      )}
      <PendingVisits queue={queue} />
      {forPerson.loading ? null : (
        <QueryState query={shortcuts}>
          {(quick) => (
            <QueryState query={taxonomy}>
              {(tax) => (
                <QueryState query={organisations}>
                  {(orgs) => (
                    <VisitForm
                      topPartners={quick.partners.map((p) => ({ value: p.organisationId, label: p.acronym || p.name }))}
                      topThemes={quick.themes.map((t) => ({ value: t.code, label: t.label }))}
                      allPartners={orgs.map((o) => ({ value: o.id, label: `${o.name} (${o.acronym})` }))}
                      allThemes={tax.themes.filter((t) => !t.archived).map((t) => ({ value: t.code, label: t.label }))}
                      busStops={stops.choices}
                      defaultBusStopId={stops.current}
                      person={forPerson.person}
                      initial={forPerson.initial}
                      context={contextFields}
                      submitLabel="Enregistrer l’accueil"
                      pending={pending}
                      error={error}
                      onSubmit={submit}
                    />
                  )}
                </QueryState>
              )}
            </QueryState>
          )}
        </QueryState>
      )}
    </>
  );
}

/**
 * « Noter un accueil » from a person's file (`?usager=`, and `&mandat=` from one of their mandates):
 * the visit is linked to them, and « Fait sous mandat » offers their active mandates held here.
 */
function usePersonOfVisit(territoryId: string, contactPointId: string) {
  const [params] = useSearchParams();
  const personId = params.get('usager') ?? '';
  const person = useQuery({
    queryKey: ['territory', territoryId, 'people', personId, 'accueil'],
    queryFn: () => api.get<PersonView>(`/api/territories/${territoryId}/people/${personId}?screen=accueil`),
    enabled: !!personId,
  });
  const mandates = useMandates(territoryId, personId, !!personId);
  if (!personId || !person.data || !mandates.data)
    return { loading: !!personId && (person.isPending || mandates.isPending), person: undefined, initial: undefined };
  const active = mandates.data.items.filter((m) => m.status === 'actif' && m.contactPoint.id === contactPointId);
  const chosen = active.find((m) => m.id === params.get('mandat'));
  return {
    loading: false,
    person: {
      id: personId,
      name: personName(person.data),
      mandates: active.map((m) => ({
        value: m.id,
        label: `${scopeLabel(m.scope)}, jusqu’au ${new Date(m.endsAt).toLocaleDateString('fr-FR')}`,
      })),
    },
    initial: {
      ...emptyDraft(),
      personId,
      mandateId: chosen?.id ?? null,
      actions: chosen ? (['sous_mandat'] as VisitDraft['actions']) : [],
    },
  };
}

/** The request form for a visit just logged: its person and first partner prefilled. */
function newRequestPathOf(visit: VisitView): string {
  const query = new URLSearchParams({ visitId: visit.id });
  if (visit.personId) query.set('personId', visit.personId);
  const organisationId = visit.organisationIds[0];
  if (organisationId) query.set('organisationId', organisationId);
  return `/saisines/nouvelle?${query}`;
}

/** A bus's or an antenna's stops of today (none for a fixed place), and the one where it stands now. */
function useTodayBusStops(territoryId: string, contactPointId: string) {
  const today = localDateTime(new Date()).slice(0, 10);
  const query = useBusStopsOfDay(territoryId, contactPointId, today);
  const stops = (query.data ?? []).filter((s) => !s.cancelledAt);
  const now = Date.now();
  const current = stops.find((s) => Date.parse(s.startsAt) <= now && now <= Date.parse(s.endsAt)) ?? null;
  return {
    choices: stops.map((s) => ({ value: s.id, label: `${s.startTime}–${s.endTime} · ${s.commune}, ${s.place}` })),
    current: current?.id ?? null,
  };
}
