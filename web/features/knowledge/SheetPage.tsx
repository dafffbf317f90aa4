import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { SHEET_REVIEW_MONTHS, SheetSectionKeys, SheetSectionLabels, type SheetView } from '../../../contracts/knowledge.ts';
import { api } from '../../api/client.ts';
import { formatDate } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { FeedbackQuestion, ServerHtml, SheetBadges, SheetTags } from './parts.tsx';
import { knowledgeKeys, sheetPath, useSheet } from './queries.ts';
import './knowledge.css';

/** One sheet, to read (and print) at the front desk; its owners verify, edit and archive it from here. */
export function SheetPage() {
  const territoryId = useTerritoryId();
  const { sheetId = '' } = useParams();
  const sheet = useSheet(territoryId, sheetId);
  return <QueryState query={sheet}>{(s) => <Sheet territoryId={territoryId} sheet={s} />}</QueryState>;
}

const verifiedText = (sheet: SheetView) =>
  sheet.verifiedAt
    ? `Vérifiée le ${formatDate(sheet.verifiedAt)}${sheet.verifiedBy ? ` par ${sheet.verifiedBy.name}` : ''}`
    : 'Jamais vérifiée';

function Sheet({ territoryId, sheet }: { territoryId: string; sheet: SheetView }) {
  const { role } = useSession();
  const queryClient = useQueryClient();
  // « Fiche créée », « Version 3 enregistrée » from the editor.
  const notice = (useLocation().state as { notice?: string } | null)?.notice ?? null;
  const [done, setDone] = useState<string | null>(notice);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const action = useMutation({
    mutationFn: (kind: 'verify' | 'archive') => api.post<SheetView>(`${sheetPath(territoryId, sheet.id)}/${kind}`),
    onSuccess: (updated, kind) => {
      queryClient.setQueryData(knowledgeKeys.sheet(territoryId, sheet.id), updated);
      void queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(territoryId) });
      setConfirmArchive(false);
      setDone(
        kind === 'verify'
          ? 'La fiche est marquée comme vérifiée aujourd’hui.'
          : 'La fiche est archivée : elle ne sort plus dans les recherches.',
      );
    },
  });
  const sections = SheetSectionKeys.filter((key) => sheet.sections[key].trim() !== '');

  return (
    <article className="relais-sheet">
      <p className="relais-no-print fr-mb-2w">
        <Link className="fr-link fr-icon-arrow-left-line fr-link--icon-left" to="/fiches">
          Toutes les fiches
        </Link>
      </p>
      <PageTitle title={`Fiche : ${sheet.title}`}>{sheet.title}</PageTitle>
      <SheetBadges stale={false} status={sheet.status} />
      {sheet.summary && <p className="fr-text--lead">{sheet.summary}</p>}
      <SheetTags hit={sheet} />
      <p className="fr-text--sm fr-mt-1w">
        {sheet.organisation ? `Fiche de ${sheet.organisation.name} (${sheet.organisation.acronym})` : 'Fiche du réseau'}
        {' · '}
        {verifiedText(sheet)}
        {' · '}
        {`version ${sheet.version} du ${formatDate(sheet.updatedAt)}`}
      </p>
      {sheet.stale && (
        <Alert
          className="fr-mb-3w"
          severity="warning"
          small
          description={`Cette fiche n’a pas été vérifiée depuis plus de ${SHEET_REVIEW_MONTHS} mois : les montants, délais et liens ont pu changer. Vérifiez auprès du partenaire en cas de doute.`}
        />
      )}

      <div className="relais-no-print">
        {done && <SuccessAlert>{done}</SuccessAlert>}
        <ProblemAlert error={action.error} />
        {sheet.can.edit && sheet.openProposals > 0 && (
          <p>
            <Link to="/fiches/propositions">
              {sheet.openProposals === 1
                ? '1 proposition de modification à examiner'
                : `${sheet.openProposals} propositions de modification à examiner`}
            </Link>
          </p>
        )}
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left fr-mb-3w">
          {sheet.can.edit && (
            <>
              <li>
                <Link className="fr-btn fr-btn--sm fr-icon-edit-line" to={`/fiches/${sheet.id}/modifier`}>
                  Modifier
                </Link>
              </li>
              <li>
                <Button
                  type="button"
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-check-line"
                  disabled={action.isPending}
                  onClick={() => action.mutate('verify')}
                >
                  Marquer comme vérifiée
                </Button>
              </li>
              {sheet.status !== 'archivee' && !confirmArchive && (
                <li>
                  <Button
                    type="button"
                    size="small"
                    priority="tertiary"
                    iconId="fr-icon-archive-line"
                    onClick={() => setConfirmArchive(true)}
                  >
                    Archiver
                  </Button>
                </li>
              )}
            </>
          )}
          {sheet.can.propose && (
            <li>
              <Link className="fr-btn fr-btn--sm fr-btn--secondary fr-icon-draft-line" to={`/fiches/${sheet.id}/proposer`}>
                Proposer une modification
              </Link>
            </li>
          )}
          <li>
            <Link className="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-time-line" to={`/fiches/${sheet.id}/historique`}>
              Historique
            </Link>
          </li>
          <li>
            <Button type="button" size="small" priority="tertiary" iconId="fr-icon-printer-line" onClick={() => window.print()}>
              Imprimer
            </Button>
          </li>
          {sheet.organisation && role === 'agent' && (
            <li>
              <Link
                className="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-mail-line"
                to={`/saisines/nouvelle?organisationId=${encodeURIComponent(sheet.organisation.id)}`}
              >
                {`Saisir le partenaire (${sheet.organisation.acronym})`}
              </Link>
            </li>
          )}
        </ul>
        {confirmArchive && (
          <div className="fr-alert fr-alert--warning fr-mb-3w" role="alert">
            <h2 className="fr-alert__title">Archiver cette fiche ?</h2>
            <p>Elle ne sortira plus dans les recherches ni les suggestions ; son historique est conservé.</p>
            <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-mt-1w">
              <li>
                <Button type="button" size="small" disabled={action.isPending} onClick={() => action.mutate('archive')}>
                  Confirmer l’archivage
                </Button>
              </li>
              <li>
                <Button type="button" size="small" priority="secondary" onClick={() => setConfirmArchive(false)}>
                  Annuler
                </Button>
              </li>
            </ul>
          </div>
        )}
      </div>

      {sections.map((key) => (
        <section key={key} className="relais-sheet-section" aria-labelledby={`section-${key}`}>
          <h2 id={`section-${key}`} className="fr-h4">
            {SheetSectionLabels[key]}
          </h2>
          <ServerHtml className="relais-sheet-section__body" html={sheet.html[key]} />
        </section>
      ))}

      <div className="relais-no-print">
        <FeedbackQuestion territoryId={territoryId} sheetId={sheet.id} context="consultation" question="Cette fiche vous a-t-elle aidé ?" />
        {sheet.can.edit && (
          <p className="fr-text--sm">{`Sur 12 mois : ${sheet.feedback.helpful} « oui », ${sheet.feedback.notHelpful} « non ».`}</p>
        )}
      </div>
    </article>
  );
}
