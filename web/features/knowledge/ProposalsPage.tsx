import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Tabs } from '@codegouvfr/react-dsfr/Tabs.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type ProposalStatus, ProposalStatuses, ProposalStatusLabels, type ProposalView } from '../../../contracts/knowledge.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { DiffView } from './DiffView.tsx';
import { knowledgeKeys, proposalPath, useProposals } from './queries.ts';
import './knowledge.css';

const TAB_LABELS: Record<ProposalStatus, string> = { ouverte: 'À examiner', acceptee: 'Acceptées', refusee: 'Refusées' };

/** Proposed changes to sheets: those the caller may review (owners), or those they sent (agents). */
export function ProposalsPage() {
  const territoryId = useTerritoryId();
  const [params, setParams] = useSearchParams();
  const status = ProposalStatuses.find((s) => s === params.get('statut')) ?? 'ouverte';
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <PageTitle>Propositions de modification</PageTitle>
      <p>
        Les modifications de fiches proposées par les agents : le responsable de la fiche les accepte (une nouvelle version est créée) ou
        les refuse. <Link to="/fiches">Toutes les fiches</Link>
      </p>
      {notice && <SuccessAlert>{notice}</SuccessAlert>}
      <Tabs
        label="Propositions par statut"
        selectedTabId={status}
        onTabChange={(tabId) => {
          setNotice(null);
          setParams(tabId === 'ouverte' ? {} : { statut: tabId }, { replace: true });
        }}
        tabs={ProposalStatuses.map((s) => ({ tabId: s, label: TAB_LABELS[s] }))}
      >
        <ProposalList territoryId={territoryId} status={status} onReviewed={setNotice} />
      </Tabs>
    </>
  );
}

function ProposalList(props: { territoryId: string; status: ProposalStatus; onReviewed: (notice: string) => void }) {
  const proposals = useProposals(props.territoryId, props.status);
  return (
    <QueryState query={proposals}>
      {(list) =>
        list.length === 0 ? (
          <p>{props.status === 'ouverte' ? 'Aucune proposition à examiner.' : 'Aucune proposition.'}</p>
        ) : (
          list.map((p) => <Proposal key={p.id} territoryId={props.territoryId} proposal={p} onReviewed={props.onReviewed} />)
        )
      }
    </QueryState>
  );
}

function Proposal({
  territoryId,
  proposal: p,
  onReviewed,
}: {
  territoryId: string;
  proposal: ProposalView;
  onReviewed: (notice: string) => void;
}) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const review = useMutation({
    mutationFn: (decision: 'accept' | 'reject') =>
      api.post<ProposalView>(`${proposalPath(territoryId, p.id)}/${decision}`, comment.trim() ? { comment: comment.trim() } : {}),
    onSuccess: (_, decision) => {
      void queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(territoryId) });
      onReviewed(
        decision === 'accept'
          ? `Proposition acceptée : « ${p.sheetTitle} » a une nouvelle version.`
          : `Proposition refusée : « ${p.sheetTitle} » reste inchangée.`,
      );
    },
  });
  return (
    <article className="fr-mb-5w relais-proposal" aria-labelledby={headingId}>
      <h2 id={headingId} className="fr-h5 fr-mb-1w">
        <Link to={`/fiches/${p.sheetId}`}>{p.sheetTitle}</Link>
        {p.organisation && <span className="fr-text--sm fr-ml-1w">{`(${p.organisation.acronym})`}</span>}
      </h2>
      <p className="fr-text--sm fr-mb-1w">
        {`${ProposalStatusLabels[p.status]} · proposée par ${p.author?.name ?? 'un compte supprimé'} le ${formatDateTime(p.createdAt)}`}
        {` · sur la version ${p.baseVersion}`}
        {p.currentVersion !== p.baseVersion && (
          <strong>{` — la fiche est passée depuis à la version ${p.currentVersion} : vérifiez que la proposition reste juste`}</strong>
        )}
      </p>
      <p className="fr-mb-2w">
        <strong>{`Commentaire de ${p.author?.name ?? 'l’agent'} : `}</strong>
        {p.comment}
      </p>
      {p.reviewedAt && (
        <p className="fr-text--sm">
          {`${p.status === 'acceptee' ? 'Acceptée' : 'Refusée'} par ${p.reviewer?.name ?? '—'} le ${formatDateTime(p.reviewedAt)}`}
          {p.reviewComment ? ` : « ${p.reviewComment} »` : ''}
        </p>
      )}
      <h3 className="fr-h6 fr-mb-1w">Modifications proposées</h3>
      <DiffView changes={p.changes} headingLevel={4} />
      {p.status === 'ouverte' && p.can.review && (
        <div className="fr-mt-2w">
          <Input
            label="Commentaire pour l’agent (facultatif)"
            hintText="Surtout en cas de refus : ce qui ne va pas"
            textArea
            nativeTextAreaProps={{ rows: 2, maxLength: 2000, value: comment, onChange: (e) => setComment(e.target.value) }}
          />
          <ProblemAlert error={review.error} />
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
            <li>
              <Button
                type="button"
                iconId="fr-icon-check-line"
                disabled={review.isPending}
                nativeButtonProps={{ 'aria-describedby': headingId }}
                onClick={() => review.mutate('accept')}
              >
                Accepter
              </Button>
            </li>
            <li>
              <Button
                type="button"
                priority="secondary"
                iconId="fr-icon-close-line"
                disabled={review.isPending}
                nativeButtonProps={{ 'aria-describedby': headingId }}
                onClick={() => review.mutate('reject')}
              >
                Refuser
              </Button>
            </li>
          </ul>
        </div>
      )}
    </article>
  );
}
