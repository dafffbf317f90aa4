import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { ProposalView, SheetView } from '../../../contracts/knowledge.ts';
import { ApiError, api } from '../../api/client.ts';
import { ForbiddenContent } from '../../components/ForbiddenContent.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { knowledgeKeys, sheetPath, useSheet } from './queries.ts';
import { ConflictAlert } from './SheetEditPage.tsx';
import { proposalBodyOf, SheetForm, sheetValues } from './SheetForm.tsx';
import './knowledge.css';

/** « Proposer une modification »: an agent suggests a new text; the sheet's owner accepts or refuses it. */
export function SheetProposePage() {
  const territoryId = useTerritoryId();
  const { sheetId = '' } = useParams();
  const sheet = useSheet(territoryId, sheetId);
  return (
    <>
      <PageTitle>Proposer une modification</PageTitle>
      <QueryState query={sheet}>
        {(s) => (s.can.propose ? <Propose key={s.version} territoryId={territoryId} sheet={s} /> : <ForbiddenContent />)}
      </QueryState>
    </>
  );
}

function Propose({ territoryId, sheet }: { territoryId: string; sheet: SheetView }) {
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: (values: ReturnType<typeof sheetValues>) =>
      api.post<ProposalView>(`${sheetPath(territoryId, sheet.id)}/proposals`, { ...proposalBodyOf(values), baseVersion: sheet.version }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(territoryId) }),
  });
  const owner = sheet.organisation ? `aux référents ${sheet.organisation.acronym}` : 'à la coordination du réseau';
  const reviewer = sheet.organisation ? `par les référents ${sheet.organisation.acronym}` : 'par la coordination du réseau';
  if (send.data)
    return (
      <>
        <SuccessAlert>{`Votre proposition est envoyée ${owner}, qui l’acceptera ou la refusera. Merci !`}</SuccessAlert>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Link className="fr-btn" to={`/fiches/${sheet.id}`}>
              Revenir à la fiche
            </Link>
          </li>
          <li>
            <Link className="fr-btn fr-btn--secondary" to="/fiches/propositions">
              Voir les propositions
            </Link>
          </li>
        </ul>
      </>
    );
  return (
    <>
      <p>
        {`Modifiez le texte de « ${sheet.title} » : votre proposition sera examinée ${reviewer}. `}
        <Link to={`/fiches/${sheet.id}`}>Retour à la fiche</Link>
      </p>
      <SheetForm
        mode="proposal"
        territoryId={territoryId}
        initial={sheetValues(sheet)}
        label="Proposition de modification"
        submitLabel="Envoyer la proposition"
        pending={send.isPending}
        error={send.error}
        onSubmit={(values) => send.mutate(values)}
      >
        {send.error instanceof ApiError && send.error.code === 'SHEET_VERSION_CONFLICT' && <ConflictAlert sheetId={sheet.id} />}
      </SheetForm>
    </>
  );
}
