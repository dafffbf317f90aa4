import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { createModal } from '@codegouvfr/react-dsfr/Modal/index.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { type RequestDetails, UsefulnessLabels, UsefulnessRatings } from '../../../contracts/requests.ts';
import { ApiError, api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { useOrganisations } from '../network/queries.ts';
import { requestKeys, requestPath, useAssignees } from '../requests/queries.ts';
import { otherRequestQueries } from './queries.ts';
import type { Notice } from './RequestThreadPage.tsx';

const rerouteModal = createModal({ id: 'saisine-reorienter', isOpenedByDefault: false });
const inviteModal = createModal({ id: 'saisine-inviter', isOpenedByDefault: false });
const closeModal = createModal({ id: 'saisine-cloturer', isOpenedByDefault: false });
const reopenModal = createModal({ id: 'saisine-rouvrir', isOpenedByDefault: false });

interface ActionInput {
  path: string;
  body?: unknown;
  success: (details: RequestDetails) => string;
  after?: (details: RequestDetails) => void;
  /** Sent from a dialog, which shows the error itself (the page's notice is hidden behind it). */
  inDialog?: boolean;
}

/** Posts one action on the request; the answer (the new details) replaces the page's data. */
function useRequestAction(territoryId: string, request: RequestDetails, onNotice: (n: Notice) => void) {
  const queryClient = useQueryClient();
  const key = requestKeys.one(territoryId, request.id);
  return useMutation({
    mutationFn: (input: ActionInput) => api.post<RequestDetails>(`${requestPath(territoryId, request.id)}/${input.path}`, input.body ?? {}),
    onSuccess: (details, input) => {
      queryClient.setQueryData(key, details);
      void queryClient.invalidateQueries(otherRequestQueries(territoryId));
      onNotice({ kind: 'success', text: input.success(details) });
      input.after?.(details);
    },
    onError: (error, input) => {
      // Someone else changed it first (REQUEST_ALREADY_TAKEN, a stale version): show theirs.
      if (error instanceof ApiError && error.status === 409) void queryClient.invalidateQueries({ queryKey: key });
      if (!input.inDialog) onNotice({ kind: 'error', error });
    },
  });
}

/** The actions the API allows on this request (take, assign, reroute, invite, close, reopen, archive, rate). */
export function ThreadActions({
  territoryId,
  request,
  onNotice,
}: {
  territoryId: string;
  request: RequestDetails;
  onNotice: (n: Notice) => void;
}) {
  const act = useRequestAction(territoryId, request, onNotice);
  const can = (a: RequestDetails['allowedActions'][number]) => request.allowedActions.includes(a);
  const buttons = can('take') || can('reroute') || can('invite') || can('close') || can('reopen') || can('archive');
  if (!buttons && !can('assign') && !can('rate')) return null;
  return (
    <section className="fr-mt-3w" aria-labelledby="titre-actions">
      <h2 id="titre-actions" className="fr-h5">
        Actions
      </h2>
      {buttons && (
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          {can('take') && (
            <li>
              <Button
                iconId="fr-icon-user-add-line"
                disabled={act.isPending}
                onClick={() =>
                  act.mutate({
                    path: 'take',
                    body: { expectedVersion: request.version },
                    success: () => 'Vous avez pris en charge cette saisine.',
                  })
                }
              >
                Prendre en charge
              </Button>
            </li>
          )}
          {can('reroute') && (
            <li>
              <Button priority="secondary" iconId="fr-icon-arrow-go-forward-line" nativeButtonProps={rerouteModal.buttonProps}>
                Ce n’est pas pour nous : réorienter
              </Button>
            </li>
          )}
          {can('invite') && (
            <li>
              <Button priority="secondary" iconId="fr-icon-team-line" nativeButtonProps={inviteModal.buttonProps}>
                Inviter un collègue / un organisme
              </Button>
            </li>
          )}
          {can('close') && (
            <li>
              <Button priority="secondary" iconId="fr-icon-checkbox-circle-line" nativeButtonProps={closeModal.buttonProps}>
                Clôturer
              </Button>
            </li>
          )}
          {can('reopen') && (
            <li>
              <Button priority="secondary" iconId="fr-icon-refresh-line" nativeButtonProps={reopenModal.buttonProps}>
                Rouvrir
              </Button>
            </li>
          )}
          {can('archive') && (
            <li>
              <Button
                priority="tertiary"
                iconId="fr-icon-archive-line"
                disabled={act.isPending}
                onClick={() => {
                  if (window.confirm('Archiver cette saisine ?'))
                    act.mutate({ path: 'archive', success: () => 'La saisine est archivée.' });
                }}
              >
                Archiver
              </Button>
            </li>
          )}
        </ul>
      )}
      {can('assign') && <AssignForm territoryId={territoryId} request={request} act={act} />}
      {can('rate') && <RateForm request={request} act={act} />}
      {can('reroute') && <RerouteDialog territoryId={territoryId} request={request} act={act} />}
      {can('invite') && <InviteDialog territoryId={territoryId} request={request} act={act} />}
      {can('close') && <CloseDialog act={act} />}
      {can('reopen') && <ReopenDialog act={act} />}
    </section>
  );
}

type Act = ReturnType<typeof useRequestAction>;

function AssignForm({ territoryId, request, act }: { territoryId: string; request: RequestDetails; act: Act }) {
  const assignees = useAssignees(territoryId, request.organisation.id);
  const [userId, setUserId] = useState('');
  const { me, context } = useSession();
  // As the API decides: the organisation's managers, and the person in charge, assign to anyone;
  // the other referents only to themselves (taking over from a colleague).
  const manager =
    context.kind === 'membership' &&
    context.membership.role === 'manager' &&
    context.membership.organisation?.id === request.organisation.id;
  const anyone = manager || request.assignee?.id === me.user.id;
  const choices = (assignees.data?.items ?? []).filter((u) => u.id !== request.assignee?.id && (anyone || u.id === me.user.id));
  if (assignees.isSuccess && choices.length === 0) return null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!userId) return;
    const name = userId === me.user.id ? 'vous-même' : (assignees.data?.items.find((u) => u.id === userId)?.name ?? '');
    act.mutate({
      path: 'assign',
      body: { userId, expectedVersion: request.version },
      success: () => `Saisine attribuée à ${name}.`,
      after: () => setUserId(''),
    });
  };
  return (
    <form className="fr-grid-row fr-grid-row--bottom fr-mb-2w" onSubmit={onSubmit}>
      <Select
        className="fr-mr-2w fr-mb-0"
        label="Attribuer à…"
        nativeSelectProps={{ value: userId, onChange: (e) => setUserId(e.target.value), name: 'assignee' }}
      >
        <option value="">Choisir une personne</option>
        {choices.map((u) => (
          <option key={u.id} value={u.id}>
            {u.id === me.user.id ? `${u.name} (moi)` : u.name}
          </option>
        ))}
      </Select>
      <Button type="submit" priority="secondary" disabled={!userId || act.isPending}>
        Attribuer
      </Button>
    </form>
  );
}

function RateForm({ request, act }: { request: RequestDetails; act: Act }) {
  const [value, setValue] = useState(request.usefulness ?? '');
  return (
    <form
      className="fr-mt-2w"
      onSubmit={(event) => {
        event.preventDefault();
        if (value) act.mutate({ path: 'rate', body: { usefulness: value }, success: () => 'Merci pour votre avis.' });
      }}
    >
      <RadioButtons
        legend="Cette réponse vous a-t-elle aidé ?"
        orientation="horizontal"
        name="usefulness"
        options={UsefulnessRatings.map((r) => ({
          label: UsefulnessLabels[r],
          nativeInputProps: { value: r, checked: value === r, onChange: () => setValue(r) },
        }))}
      />
      <Button type="submit" priority="secondary" size="small" disabled={!value || act.isPending}>
        Envoyer mon avis
      </Button>
    </form>
  );
}

function RerouteDialog({ territoryId, request, act }: { territoryId: string; request: RequestDetails; act: Act }) {
  const organisations = useOrganisations(territoryId);
  const navigate = useNavigate();
  const [organisationId, setOrganisationId] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const others = (organisations.data ?? []).filter((o) => o.id !== request.organisation.id);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!organisationId || !reason.trim()) {
      setError(!organisationId ? 'Choisissez l’organisme qui doit traiter la saisine.' : 'Expliquez pourquoi en une phrase.');
      return;
    }
    setError(null);
    const target = others.find((o) => o.id === organisationId);
    const from = request.organisation.id;
    act.mutate({
      path: 'reroute',
      inDialog: true,
      body: { organisationId, reason: reason.trim() },
      success: () => `Saisine réorientée vers ${target?.acronym ?? 'l’autre organisme'}.`,
      after: () => {
        rerouteModal.close();
        setReason('');
        setOrganisationId('');
        // The partner hands it over: back to its inbox, where the notice is repeated.
        if (request.side === 'partner')
          navigate(`/organisations/${from}/saisines`, {
            state: { notice: `Saisine ${request.reference} réorientée vers ${target?.acronym ?? 'l’autre organisme'}.` },
          });
      },
    });
  };
  return (
    <rerouteModal.Component title="Ce n’est pas pour nous : réorienter">
      <form onSubmit={onSubmit} noValidate>
        <p>La saisine est transmise à l’organisme choisi ; le lieu d’accueil en est informé avec votre explication.</p>
        <Select
          label="Organisme qui doit la traiter"
          state={error && !organisationId ? 'error' : 'default'}
          stateRelatedMessage={error && !organisationId ? error : undefined}
          nativeSelectProps={{ value: organisationId, onChange: (e) => setOrganisationId(e.target.value), name: 'organisationId' }}
        >
          <option value="">Choisir un organisme</option>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {o.acronym} — {o.name}
            </option>
          ))}
        </Select>
        <Input
          label="Pourquoi ?"
          hintText="Par exemple : « Ce dossier relève de la CPAM (complémentaire santé solidaire). »"
          textArea
          state={error && organisationId && !reason.trim() ? 'error' : 'default'}
          stateRelatedMessage={error && organisationId ? error : undefined}
          nativeTextAreaProps={{ value: reason, onChange: (e) => setReason(e.target.value), name: 'reason', rows: 3 }}
        />
        <ProblemAlert error={act.variables?.inDialog ? act.error : null} />
        <Button type="submit" disabled={act.isPending}>
          Réorienter
        </Button>
      </form>
    </rerouteModal.Component>
  );
}

function InviteDialog({ territoryId, request, act }: { territoryId: string; request: RequestDetails; act: Act }) {
  const partner = request.side === 'partner';
  const assignees = useAssignees(territoryId, partner ? request.organisation.id : '');
  const organisations = useOrganisations(territoryId);
  const [who, setWho] = useState<'collegue' | 'organisme'>(partner ? 'collegue' : 'organisme');
  const [id, setId] = useState('');
  const choose = (next: 'collegue' | 'organisme') => {
    setWho(next);
    setId('');
  };
  const colleagues = (assignees.data?.items ?? []).filter((u) => u.id !== request.assignee?.id);
  const others = (organisations.data ?? []).filter((o) => o.id !== request.organisation.id);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!id) return;
    const name = who === 'collegue' ? colleagues.find((u) => u.id === id)?.name : others.find((o) => o.id === id)?.acronym;
    act.mutate({
      path: 'invite',
      inDialog: true,
      body: who === 'collegue' ? { userId: id } : { organisationId: id },
      success: () => `${name ?? 'L’invité'} peut maintenant suivre la saisine.`,
      after: () => {
        inviteModal.close();
        setId('');
      },
    });
  };
  return (
    <inviteModal.Component title="Inviter un collègue / un organisme">
      <form onSubmit={onSubmit}>
        <p>La personne ou l’organisme invité voit la saisine et peut y écrire.</p>
        {partner && (
          <RadioButtons
            legend="Qui inviter ?"
            orientation="horizontal"
            name="invite-kind"
            options={[
              {
                label: 'Un collègue',
                nativeInputProps: { checked: who === 'collegue', onChange: () => choose('collegue') },
              },
              {
                label: 'Un autre organisme',
                nativeInputProps: { checked: who === 'organisme', onChange: () => choose('organisme') },
              },
            ]}
          />
        )}
        <Select
          label={who === 'collegue' ? 'Collègue à inviter' : 'Organisme à inviter'}
          nativeSelectProps={{ value: id, onChange: (e) => setId(e.target.value), name: 'invite' }}
        >
          <option value="">Choisir</option>
          {who === 'collegue'
            ? colleagues.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))
            : others.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.acronym} — {o.name}
                </option>
              ))}
        </Select>
        <ProblemAlert error={act.variables?.inDialog ? act.error : null} />
        <Button type="submit" disabled={!id || act.isPending}>
          Inviter
        </Button>
      </form>
    </inviteModal.Component>
  );
}

function CloseDialog({ act }: { act: Act }) {
  const [reason, setReason] = useState('');
  return (
    <closeModal.Component title="Clôturer la saisine">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          act.mutate({
            path: 'close',
            inDialog: true,
            body: reason.trim() ? { reason: reason.trim() } : {},
            success: () => 'La saisine est clôturée.',
            after: () => {
              closeModal.close();
              setReason('');
            },
          });
        }}
      >
        <Input
          label="Motif (facultatif)"
          textArea
          nativeTextAreaProps={{ value: reason, onChange: (e) => setReason(e.target.value), name: 'reason', rows: 3 }}
        />
        <ProblemAlert error={act.variables?.inDialog ? act.error : null} />
        <Button type="submit" disabled={act.isPending}>
          Clôturer
        </Button>
      </form>
    </closeModal.Component>
  );
}

function ReopenDialog({ act }: { act: Act }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState(false);
  return (
    <reopenModal.Component title="Rouvrir la saisine">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!reason.trim()) return setError(true);
          setError(false);
          act.mutate({
            path: 'reopen',
            inDialog: true,
            body: { reason: reason.trim() },
            success: () => 'La saisine est rouverte.',
            after: () => {
              reopenModal.close();
              setReason('');
            },
          });
        }}
      >
        <Input
          label="Pourquoi la rouvrir ?"
          textArea
          state={error ? 'error' : 'default'}
          stateRelatedMessage={error ? 'Expliquez pourquoi en une phrase.' : undefined}
          nativeTextAreaProps={{ value: reason, onChange: (e) => setReason(e.target.value), name: 'reason', rows: 3 }}
        />
        <ProblemAlert error={act.variables?.inDialog ? act.error : null} />
        <Button type="submit" disabled={act.isPending}>
          Rouvrir
        </Button>
      </form>
    </reopenModal.Component>
  );
}
