import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { BusStopView } from '../../../contracts/partners.ts';
import { SURVEY_ANONYMITY_NOTE, SURVEY_POSTER_TEXT, type SurveyLinkView } from '../../../contracts/surveys.ts';
import { api } from '../../api/client.ts';
import { formatDate } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { useContactPoint } from '../network/queries.ts';
import { QrCode } from './QrCode.tsx';
import { createSurveyLink, shortUrl, surveyKeys, surveyLinksPath, useSurveyLinks } from './queries.ts';
import './survey.css';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The survey posters of a contact point: at the counter and at the bus's stops. Create, print, revoke. */
export function SurveyLinksPage() {
  const territoryId = useTerritoryId();
  const { id = '' } = useParams();
  const place = useContactPoint(territoryId, id);
  const links = useSurveyLinks(territoryId, id);
  const queryClient = useQueryClient();
  const [printing, setPrinting] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (!printing) return;
    window.print();
    setPrinting(null);
  }, [printing]);
  const revoke = useMutation({
    mutationFn: (linkId: string) => api.post<SurveyLinkView>(`${surveyLinksPath(territoryId)}/${linkId}/revoke`),
    onSuccess: () => {
      setMessage('Affiche retirée : son QR code ne permet plus de répondre.');
      void queryClient.invalidateQueries({ queryKey: surveyKeys.links(territoryId, id) });
    },
  });
  const name = place.data?.name ?? 'Lieu d’accueil';
  return (
    <>
      <div className="relais-no-print">
        <Breadcrumb
          currentPageLabel="Questionnaire de satisfaction"
          homeLinkProps={{ to: '/' }}
          segments={[
            { label: 'Réseau', linkProps: { to: '/reseau' } },
            { label: name, linkProps: { to: `/reseau/lieux/${id}` } },
          ]}
        />
        <PageTitle title={`Questionnaire de satisfaction · ${name}`}>Questionnaire de satisfaction</PageTitle>
        <p>
          Affichez un QR code au comptoir ou à l’arrêt du bus : les personnes répondent en une minute depuis leur téléphone. Chaque reçu de
          passage porte aussi son propre QR code (une réponse).
        </p>
        <p className="fr-text--sm">{SURVEY_ANONYMITY_NOTE}</p>
        <div role="status" aria-live="polite">
          {message && <SuccessAlert>{message}</SuccessAlert>}
        </div>
        <NewPoster
          territoryId={territoryId}
          contactPointId={id}
          onCreated={(l) => {
            setMessage(l.context === 'arret_bus' ? 'Affiche de l’arrêt créée.' : 'Affiche du comptoir créée.');
            void queryClient.invalidateQueries({ queryKey: surveyKeys.links(territoryId, id) });
          }}
        />
        <ProblemAlert error={revoke.error} />
        <h2 className="fr-h4 fr-mt-4w">Affiches</h2>
      </div>
      <QueryState query={links}>
        {(list) =>
          list.items.length === 0 ? (
            <p>Aucune affiche pour l’instant.</p>
          ) : (
            <div className={printing ? 'relais-posters relais-posters--one' : 'relais-posters'}>
              {list.items.map((l) => (
                <article
                  key={l.id}
                  className="relais-poster"
                  data-print={printing === l.id ? 'true' : undefined}
                  aria-label={posterTitle(l)}
                >
                  <p className="fr-h3 fr-mb-1w">{SURVEY_POSTER_TEXT}</p>
                  <p className="fr-mb-0">{`${l.contactPoint}${l.busStop ? ` — arrêt ${l.busStop}` : ''}`}</p>
                  <QrCode svg={l.qrSvg} label={`QR code du questionnaire : ${posterTitle(l)}`} />
                  <p className="relais-survey-url">{shortUrl(l.url)}</p>
                  <div className="relais-no-print">
                    <p className="fr-text--sm">
                      {`${posterTitle(l)} · créée le ${formatDate(l.createdAt)} · ${l.answers} réponse${l.answers > 1 ? 's' : ''}`}
                      {l.revokedAt ? ` · retirée le ${formatDate(l.revokedAt)}` : ''}
                    </p>
                    {!l.revokedAt && (
                      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--center fr-btns-group--icon-left">
                        <li>
                          <Button iconId="fr-icon-printer-line" size="small" onClick={() => setPrinting(l.id)}>
                            {`Imprimer l’affiche`}
                          </Button>
                        </li>
                        <li>
                          <Button
                            iconId="fr-icon-close-circle-line"
                            size="small"
                            priority="secondary"
                            disabled={revoke.isPending}
                            onClick={() => revoke.mutate(l.id)}
                            nativeButtonProps={{ 'aria-label': `Retirer l’affiche : ${posterTitle(l)}` }}
                          >
                            Retirer
                          </Button>
                        </li>
                      </ul>
                    )}
                  </div>
                </article>
              ))}
            </div>
          )
        }
      </QueryState>
    </>
  );
}

const posterTitle = (l: SurveyLinkView) =>
  l.context === 'arret_bus' ? `Affiche d’arrêt (${l.busStop ?? 'arrêt'})` : 'Affiche du comptoir';

function NewPoster(props: { territoryId: string; contactPointId: string; onCreated: (l: SurveyLinkView) => void }) {
  const [context, setContext] = useState<'lieu' | 'arret_bus'>('lieu');
  const [busStopId, setBusStopId] = useState('');
  const today = new Date();
  const stops = useQuery({
    queryKey: ['territory', props.territoryId, 'bus-stops', props.contactPointId, 'survey'],
    queryFn: () =>
      api.get<BusStopView[]>(
        `/api/territories/${props.territoryId}/contact-points/${props.contactPointId}/bus-stops?from=${isoDay(today)}&to=${isoDay(new Date(today.getTime() + 90 * 86_400_000))}`,
      ),
    staleTime: 5 * 60_000,
  });
  const create = useMutation({
    mutationFn: () =>
      createSurveyLink(props.territoryId, {
        contactPointId: props.contactPointId,
        context,
        ...(context === 'arret_bus' && busStopId ? { busStopId } : {}),
      }),
    onSuccess: props.onCreated,
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const upcoming = (stops.data ?? []).filter((s) => !s.cancelledAt);
  return (
    <form onSubmit={onSubmit} aria-labelledby="titre-nouvelle-affiche" className="fr-mt-3w">
      <h2 id="titre-nouvelle-affiche" className="fr-h4">
        Nouvelle affiche
      </h2>
      <RadioButtons
        legend="Où sera-t-elle affichée ?"
        name="contexte"
        orientation="horizontal"
        options={[
          { label: 'Au comptoir du lieu', nativeInputProps: { checked: context === 'lieu', onChange: () => setContext('lieu') } },
          {
            label: 'À un arrêt du bus',
            nativeInputProps: { checked: context === 'arret_bus', onChange: () => setContext('arret_bus') },
          },
        ]}
      />
      {context === 'arret_bus' && (
        <Select
          label="Arrêt"
          hint={upcoming.length ? 'Les arrêts des 90 prochains jours' : 'Aucun arrêt prévu dans les 90 prochains jours'}
          nativeSelectProps={{ id: 'affiche-arret', value: busStopId, onChange: (e) => setBusStopId(e.target.value) }}
        >
          <option value="">Choisir un arrêt</option>
          {upcoming.map((s) => (
            <option key={s.id} value={s.id}>{`${s.commune} — ${s.place} (${s.date} ${s.startTime})`}</option>
          ))}
        </Select>
      )}
      <ProblemAlert error={create.error} />
      <Button type="submit" iconId="fr-icon-add-line" disabled={create.isPending}>
        Créer l’affiche
      </Button>
    </form>
  );
}
