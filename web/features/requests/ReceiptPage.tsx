import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useMutation } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import type { ReceiptView } from '../../../contracts/requests.ts';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { requestPath, useReceipt, useRequest, workingDays } from './queries.ts';
import './requests.css';

/** « ABCDEFGH » or « ABCD-EFGH » → the two groups of four, as printed. */
export const codeGroups = (code: string) => {
  const plain = code.replace(/[\s-]/g, '');
  return [plain.slice(0, 4), plain.slice(4)].filter(Boolean);
};

/** The receipt handed to the person: reference, code for the status page, who answers and when. Printable. */
export function ReceiptPage() {
  const territoryId = useTerritoryId();
  const { requestId = '' } = useParams();
  const receipt = useReceipt(territoryId, requestId);
  const { state } = useLocation() as { state: { justSent?: boolean } | null };
  return (
    <>
      <div className="relais-no-print">
        <Breadcrumb
          currentPageLabel="Récépissé"
          homeLinkProps={{ to: '/' }}
          segments={[
            { label: 'Saisines', linkProps: { to: '/saisines' } },
            { label: receipt.data?.reference ?? 'Saisine', linkProps: { to: `/saisines/${requestId}` } },
          ]}
        />
      </div>
      <QueryState query={receipt}>
        {(r) => <ReceiptDocument territoryId={territoryId} requestId={requestId} receipt={r} justSent={!!state?.justSent} />}
      </QueryState>
    </>
  );
}

function ReceiptDocument(props: { territoryId: string; requestId: string; receipt: ReceiptView; justSent: boolean }) {
  const { receipt: r } = props;
  const cp = r.contactPoint;
  return (
    <article className="relais-receipt">
      {props.justSent && (
        <div className="relais-no-print">
          <SuccessAlert>{`Saisine envoyée à ${r.organisation.acronym}. Remettez ce récépissé à la personne.`}</SuccessAlert>
        </div>
      )}
      <PageTitle title={`Récépissé ${r.reference}`}>Récépissé de votre demande</PageTitle>
      <p className="fr-text--lead">
        {`Votre demande a été transmise à ${r.organisation.name} (${r.organisation.acronym}) par ${cp.name}.`}
      </p>
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
        <div className="fr-col-12 fr-col-md-6">
          <dl>
            <dt>Référence</dt>
            <dd className="fr-text--lg fr-text--bold">{r.reference}</dd>
            <dt>Objet</dt>
            <dd>{r.subject}</dd>
            <dt>Partenaire</dt>
            <dd>{`${r.organisation.name} (${r.organisation.acronym})`}</dd>
            <dt>Date d’envoi</dt>
            <dd>{formatDateTime(r.sentAt)}</dd>
            <dt>Délai de réponse</dt>
            <dd>{`Réponse attendue sous ${workingDays(r.days)}${r.sentAt ? ` (envoyée le ${formatDate(r.sentAt)})` : ''}`}</dd>
          </dl>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <p className="fr-text--bold fr-mb-1w" id="titre-code">
            Code de suivi
          </p>
          <div className="relais-receipt-code">
            <p className="relais-status-code" aria-hidden="true">
              {codeGroups(r.statusCode).join(' ')}
            </p>
            <p className="fr-sr-only">{r.statusCode.replace(/[\s-]/g, '').split('').join(' ')}</p>
          </div>
          <p className="fr-text--sm fr-mt-1w">Gardez ce code : avec la référence, il permet de suivre la demande.</p>
        </div>
      </div>
      <h2 className="fr-h5">Suivre votre demande</h2>
      <p>
        {'Sur internet : '}
        <a href={r.statusUrl}>{r.statusUrl}</a>
        {', avec la référence et le code ci-dessus.'}
      </p>
      <p>
        {`Ou auprès de votre lieu d’accueil : ${cp.name}`}
        {cp.address ? `, ${cp.address}` : ''}
        {`, ${cp.commune}`}
        {cp.phone ? ` — téléphone ${cp.phone}` : ''}.
      </p>
      <div className="relais-no-print fr-mt-4w">
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button iconId="fr-icon-printer-line" onClick={() => window.print()}>
              Imprimer le récépissé
            </Button>
          </li>
          <li>
            <Link className="fr-btn fr-btn--secondary" to={`/saisines/${props.requestId}`}>
              Ouvrir la saisine
            </Link>
          </li>
        </ul>
        <SmsReceipt territoryId={props.territoryId} requestId={props.requestId} />
      </div>
    </article>
  );
}

/** « Envoyer par SMS »: the reference and code to the person's phone; disabled, with the reason, without a phone. */
function SmsReceipt({ territoryId, requestId }: { territoryId: string; requestId: string }) {
  const request = useRequest(territoryId, requestId);
  const send = useMutation({ mutationFn: () => api.post<null>(`${requestPath(territoryId, requestId)}/receipt/sms`, {}) });
  const person = request.data?.person ?? null;
  const reason = !request.data
    ? null
    : !person
      ? 'La saisine ne concerne pas de dossier : pas de téléphone où envoyer le récépissé.'
      : !person.phone
        ? 'Le dossier de la personne n’a pas de numéro de téléphone : ajoutez-le sur sa fiche pour envoyer le récépissé par SMS.'
        : null;
  return (
    <section className="fr-mt-2w" aria-labelledby="titre-sms">
      <h2 id="titre-sms" className="fr-h6">
        Par SMS
      </h2>
      {send.isSuccess ? (
        <SuccessAlert>La référence et le code ont été envoyés par SMS à la personne.</SuccessAlert>
      ) : (
        <>
          <p className="fr-text--sm" id="sms-explication">
            {reason ?? 'La personne reçoit la référence et le code de suivi sur son téléphone.'}
          </p>
          <Button
            priority="secondary"
            iconId="fr-icon-phone-line"
            disabled={!request.data || !!reason || send.isPending}
            onClick={() => send.mutate()}
            nativeButtonProps={{ 'aria-describedby': 'sms-explication' }}
          >
            Envoyer par SMS
          </Button>
        </>
      )}
      <ProblemAlert className="fr-mt-2w" error={send.error ?? (request.isError ? request.error : null)} />
    </section>
  );
}
