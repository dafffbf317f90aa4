import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
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

/** "Mes accueils": today's visits of my contact point, with « Corriger » while the window is open. */
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
  const [today] = useState(() => new Date());
  const visits = useDayVisits(territoryId, place.id, today);
  const names = useNames(territoryId);
  return (
    <QueryState query={visits}>
      {(list) =>
        list.items.length === 0 ? (
          <p>Aucun accueil enregistré aujourd’hui à {place.name}.</p>
        ) : (
          <Table
            caption={`Accueils du ${today.toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long' })} à ${place.name} (${list.items.length})`}
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
              v.canCorrect ? (
                <Link key="corriger" to={`/mes-accueils/${v.id}`} title={`Corriger l’accueil de ${timeOf(v.occurredAt)}`}>
                  Corriger
                </Link>
              ) : v.correctedAt ? (
                'Corrigé'
              ) : (
                ''
              ),
            ])}
          />
        )
      }
    </QueryState>
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
  const [today] = useState(() => new Date());
  const visits = useDayVisits(territoryId, current?.id ?? '', today);
  return (
    <>
      <PageTitle>Corriger un accueil</PageTitle>
      <p>
        <Link to="/mes-accueils">Retour à mes accueils</Link>
      </p>
      <QueryState query={visits}>
        {(list) => {
          const visit = list.items.find((v) => v.id === id);
          if (!visit) return <p>Cet accueil n’est pas parmi ceux d’aujourd’hui de votre lieu.</p>;
          if (!visit.canCorrect) return <p>Le délai de correction de cet accueil est passé.</p>;
          return <Correction territoryId={territoryId} visit={visit} />;
        }}
      </QueryState>
    </>
  );
}

function Correction({ territoryId, visit }: { territoryId: string; visit: VisitView }) {
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
      void navigate('/mes-accueils');
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
              <Button priority="secondary" className="fr-mt-2w" linkProps={{ to: '/mes-accueils' }}>
                Annuler
              </Button>
            </>
          )}
        </QueryState>
      )}
    </QueryState>
  );
}
