import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { VisitView } from '../../../contracts/visits.ts';
import { VisitActionLabels, VisitAutonomyLabels, VisitChannelLabels } from '../../../contracts/visits.ts';
import { api } from '../../api/client.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { useOrganisations } from '../network/queries.ts';
import { type AgentPlace, useContactPointChoice } from './contact-point-choice.ts';
import { correctionBody, draftOf, type VisitDraft } from './draft.ts';
import { PendingVisits } from './PendingVisits.tsx';
import { useDayVisits, useTaxonomy, visitKeys } from './queries.ts';
import { useVisitQueue } from './useVisitQueue.ts';
import { VisitForm } from './VisitForm.tsx';

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' });

/** The day shown (?jour=2026-11-23, a past day still open to corrections), today by default. */
function useDay(): { day: Date; param: string; isToday: boolean; shift: (days: number) => string } {
  const [params] = useSearchParams();
  const [now] = useState(() => new Date());
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(params.get('jour') ?? '');
  const parsed = match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
  const day = parsed && !Number.isNaN(parsed.getTime()) && parsed <= now ? parsed : now;
  const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const isToday = iso(day) === iso(now);
  return {
    day,
    param: isToday ? '' : `?jour=${iso(day)}`,
    isToday,
    shift: (days) => {
      const other = new Date(day.getFullYear(), day.getMonth(), day.getDate() + days);
      return iso(other) === iso(now) ? '' : `?jour=${iso(other)}`;
    },
  };
}

const dayLabel = (day: Date) => day.toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long' });

/** "Mes accueils": the day's visits of my contact point (today by default), with « Corriger » while the window is open. */
export function MyVisitsPage() {
  const { me, context } = useSession();
  const territoryId = useTerritoryId();
  const { places, current, choose } = useContactPointChoice(me, context, territoryId);
  const queue = useVisitQueue(me.user.id, { sync: true });
  return (
    <>
      <PageTitle>Mes accueils</PageTitle>
      <p>
        <Link className="fr-btn fr-btn--icon-left fr-icon-add-line" to="/nouvel-accueil">
          Nouvel accueil
        </Link>
      </p>
      <PendingVisits queue={queue} />
      {places.length > 1 && current && (
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="mes-accueils-lieu">
            Lieu d’accueil
          </label>
          <select className="fr-select" id="mes-accueils-lieu" value={current.id} onChange={(e) => choose(e.target.value)}>
            {places.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {current ? (
        <DayVisits territoryId={territoryId} place={current} />
      ) : (
        <p>Vous n’êtes agent d’aucun lieu d’accueil de ce territoire.</p>
      )}
    </>
  );
}

function DayVisits({ territoryId, place }: { territoryId: string; place: AgentPlace }) {
  const { day, param, isToday, shift } = useDay();
  const visits = useDayVisits(territoryId, place.id, day);
  const names = useNames(territoryId);
  return (
    <>
      <nav aria-label="Jour affiché" className="fr-mb-2w">
        <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
          <li>
            <Link className="fr-btn fr-btn--tertiary" to={`/mes-accueils${shift(-1)}`}>
              Jour précédent
            </Link>
          </li>
          {!isToday && (
            <li>
              <Link className="fr-btn fr-btn--tertiary" to={`/mes-accueils${shift(1)}`}>
                Jour suivant
              </Link>
            </li>
          )}
          {!isToday && (
            <li>
              <Link className="fr-btn fr-btn--tertiary" to="/mes-accueils">
                Aujourd’hui
              </Link>
            </li>
          )}
        </ul>
      </nav>
      <QueryState query={visits}>
        {(list) =>
          list.items.length === 0 ? (
            <p>
              Aucun accueil enregistré {isToday ? 'aujourd’hui' : `le ${dayLabel(day)}`} à {place.name}.
            </p>
          ) : (
            <Table
              caption={`Accueils du ${dayLabel(day)} à ${place.name} (${list.items.length})`}
              headers={['Heure', 'Canal', 'Partenaires', 'Thèmes', 'Fait', 'Durée', 'Commentaire', 'Agent', 'Action']}
              data={list.items.map((v) => [
                timeOf(v.occurredAt),
                VisitChannelLabels[v.channel],
                v.organisationIds.map(names.partner).join(', ') || '—',
                v.themeCodes.map(names.theme).join(', ') || '—',
                [...v.actions.map((a) => VisitActionLabels[a]), ...(v.autonomy ? [VisitAutonomyLabels[v.autonomy]] : [])].join(', ') || '—',
                v.durationMinutes === null ? '—' : `${v.durationMinutes} min`,
                v.comment ?? '',
                v.agentName,
                <span key="actions" className="relais-visit-actions">
                  {v.canCorrect ? (
                    <Link to={`/mes-accueils/${v.id}${param}`} title={`Corriger l’accueil de ${timeOf(v.occurredAt)}`}>
                      Corriger
                    </Link>
                  ) : v.correctedAt ? (
                    'Corrigé'
                  ) : null}{' '}
                  <Link to={`/mes-accueils/${v.id}/recu`} title={`Reçu de passage de l’accueil de ${timeOf(v.occurredAt)}`}>
                    Reçu
                  </Link>
                </span>,
              ])}
            />
          )
        }
      </QueryState>
    </>
  );
}

/** Partner and theme names from the territory's lists (the code or id while they load). */
function useNames(territoryId: string) {
  const organisations = useOrganisations(territoryId);
  const taxonomy = useTaxonomy(territoryId);
  return {
    partner: (id: string) => organisations.data?.find((o) => o.id === id)?.acronym ?? id,
    theme: (code: string) => taxonomy.data?.themes.find((t) => t.code === code)?.label ?? code,
  };
}

/** Corrects one of today's visits (its agent, within the correction window). */
export function CorrectVisitPage() {
  const { id = '' } = useParams();
  const { me, context } = useSession();
  const territoryId = useTerritoryId();
  const { current } = useContactPointChoice(me, context, territoryId);
  const { day, param } = useDay();
  const visits = useDayVisits(territoryId, current?.id ?? '', day);
  return (
    <>
      <PageTitle>Corriger un accueil</PageTitle>
      <p>
        <Link to={`/mes-accueils${param}`}>Retour à mes accueils</Link>
      </p>
      <QueryState query={visits}>
        {(list) => {
          const visit = list.items.find((v) => v.id === id);
          if (!visit) return <p>Cet accueil n’est pas parmi ceux du {dayLabel(day)} de votre lieu.</p>;
          if (!visit.canCorrect)
            return <p>Vous ne pouvez pas corriger cet accueil : il n’est pas le vôtre ou son délai de correction est passé.</p>;
          return <Correction territoryId={territoryId} visit={visit} back={`/mes-accueils${param}`} />;
        }}
      </QueryState>
    </>
  );
}

function Correction({ territoryId, visit, back }: { territoryId: string; visit: VisitView; back: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const taxonomy = useTaxonomy(territoryId);
  const organisations = useOrganisations(territoryId);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (draft: VisitDraft) => {
    const body = correctionBody(draft, visit);
    setPending(true);
    setError(null);
    try {
      await api.patch<VisitView>(`/api/territories/${territoryId}/visits/${visit.id}`, body);
      await queryClient.invalidateQueries({ queryKey: visitKeys.all });
      void navigate(back);
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
    return false;
  };
  return (
    <QueryState query={taxonomy}>
      {(tax) => (
        <QueryState query={organisations}>
          {(orgs) => (
            <>
              <p className="fr-hint-text">Correction possible jusqu’à {new Date(visit.correctableUntil).toLocaleString('fr-FR')}.</p>
              <VisitForm
                topPartners={[]}
                topThemes={[]}
                allPartners={orgs.map((o) => ({ value: o.id, label: `${o.name} (${o.acronym})` }))}
                allThemes={tax.themes
                  .filter((t) => !t.archived || visit.themeCodes.includes(t.code))
                  .map((t) => ({ value: t.code, label: t.label }))}
                initial={draftOf(visit)}
                submitLabel="Enregistrer la correction"
                pending={pending}
                error={error}
                onSubmit={submit}
              />
              <Button priority="secondary" className="fr-mt-2w" linkProps={{ to: back }}>
                Annuler
              </Button>
            </>
          )}
        </QueryState>
      )}
    </QueryState>
  );
}
