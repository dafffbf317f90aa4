import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AttachmentView, MessageView, RequestDetails } from '../../../contracts/requests.ts';
import { MessageKindLabels } from '../../../contracts/requests.ts';
import { themeLabel } from '../../../contracts/themes.ts';
import { ApiError } from '../../api/client.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { DeadlineBadge, RequestStatusBadge } from '../requests/badges.tsx';
import { Composer } from './Composer.tsx';
import { deadlineSentence, formatSize, ofName } from './deadline.ts';
import { attachmentHref, useRequestDetails } from './queries.ts';
import { ThreadActions } from './ThreadActions.tsx';
import './thread.css';

const problemTitle = (error: unknown) =>
  error instanceof ApiError && error.code === 'REQUEST_ALREADY_TAKEN' ? 'Saisine déjà prise en charge' : undefined;

/** What the last action did (announced, and focused so that keyboard users land on it). */
export type Notice = { kind: 'success'; text: string } | { kind: 'error'; error: unknown };

/** A request (saisine) and its conversation, for both sides: the API's `side` and `allowedActions` decide what shows. */
export function RequestThreadPage() {
  const territoryId = useTerritoryId();
  const { requestId = '' } = useParams();
  const details = useRequestDetails(territoryId, requestId);
  return (
    <>
      <Breadcrumb
        currentPageLabel={details.data?.reference ?? 'Saisine'}
        homeLinkProps={{ to: '/' }}
        segments={
          !details.data
            ? []
            : details.data.side === 'partner'
              ? [{ label: 'Boîte de réception', linkProps: { to: `/organisations/${details.data.organisation.id}/saisines` } }]
              : [{ label: 'Saisines', linkProps: { to: '/saisines' } }]
        }
      />
      {details.data ? (
        // Once loaded, a failed refresh leaves the page (and the message being written) in place.
        <Thread territoryId={territoryId} request={details.data} />
      ) : (
        <QueryState query={details}>{(request) => <Thread territoryId={territoryId} request={request} />}</QueryState>
      )}
    </>
  );
}

function Thread({ territoryId, request }: { territoryId: string; request: RequestDetails }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const [focusMessage, setFocusMessage] = useState<string | null>(null);
  const showNotice = useCallback((n: Notice) => {
    setNotice(n);
    // After the render: move focus to the message so that keyboard and screen reader users hear it;
    // again once a closing dialog has given the focus back to its button.
    const focus = () => {
      if (noticeRef.current && !noticeRef.current.contains(document.activeElement)) noticeRef.current.focus();
    };
    requestAnimationFrame(focus);
    setTimeout(focus, 400);
  }, []);
  useEffect(() => {
    if (!focusMessage) return;
    document.getElementById(`message-${focusMessage}`)?.focus();
    setFocusMessage(null);
  }, [focusMessage]);
  const sentence = deadlineSentence(request.deadline, request.status);
  const loose = request.attachments.filter((a) => !a.messageId);
  return (
    <>
      <p className="fr-mb-1v fr-text--sm">
        Saisine <strong>{request.reference}</strong>
      </p>
      <PageTitle title={`${request.reference} · ${request.subject}`}>{request.subject}</PageTitle>
      <ul className="fr-badges-group fr-mb-1w" aria-label="État">
        <li>
          <RequestStatusBadge status={request.status} label={request.statusLabel} />
        </li>
        <li>
          <DeadlineBadge deadline={request.deadline} hideWhenNone />
        </li>
      </ul>
      {sentence && <p className="fr-text--lg fr-mb-2w">{sentence}</p>}
      <div ref={noticeRef} tabIndex={-1} className="relais-thread-notice" aria-live="polite">
        {notice?.kind === 'success' && <SuccessAlert>{notice.text}</SuccessAlert>}
        {notice?.kind === 'error' && <ProblemAlert error={notice.error} title={problemTitle(notice.error)} />}
      </div>
      {request.wiped && <p className="fr-mb-2w">Le contenu de cette saisine a été effacé au terme de sa durée de conservation.</p>}
      <div className="fr-grid-row fr-grid-row--gutters">
        <section className="fr-col-12 fr-col-md-6" aria-labelledby="titre-saisine">
          <h2 id="titre-saisine" className="fr-h5">
            La saisine
          </h2>
          <dl className="relais-facts">
            <Fact label="Organisme">
              {request.organisation.acronym} — {request.organisation.name}
            </Fact>
            <Fact label="Lieu d’accueil">{request.contactPoint.name}</Fact>
            {request.themeCode && <Fact label="Thème">{themeLabel(request.themeCode)}</Fact>}
            {request.procedure && <Fact label="Démarche">{request.procedure}</Fact>}
            {request.addressedTo && <Fact label="Adressée à">{request.addressedTo.name}</Fact>}
            <Fact label="Prise en charge par">{request.assignee?.name ?? 'Personne pour l’instant'}</Fact>
            <Fact label="Envoyée le">{formatDateTime(request.sentAt ?? request.createdAt)}</Fact>
            {request.participants.length > 0 && (
              <Fact label="Invités">{request.participants.map((p) => p.user?.name ?? p.organisation?.acronym ?? '').join(', ')}</Fact>
            )}
            {request.side === 'agent' && (
              <Fact label="Ce que voit la personne">
                {request.publicStatus.label} — {request.publicStatus.nextStep}
              </Fact>
            )}
          </dl>
        </section>
        <PersonBlock request={request} />
      </div>
      <ThreadActions territoryId={territoryId} request={request} onNotice={showNotice} />
      <section className="fr-mt-4w" aria-labelledby="titre-echanges">
        <h2 id="titre-echanges" className="fr-h4">
          Échanges
        </h2>
        <ol className="fr-raw-list">
          <li>
            <article className={`relais-message relais-message--agent`} aria-labelledby="message-initial-titre">
              <h3 id="message-initial-titre" className="fr-text--md fr-mb-1v">
                Demande {ofName(request.contactPoint.name)}
                <span className="fr-text--regular fr-text--sm">
                  {' '}
                  · <time dateTime={request.sentAt ?? request.createdAt}>{formatDateTime(request.sentAt ?? request.createdAt)}</time>
                </span>
              </h3>
              <p className="relais-message__body">{request.description}</p>
              <Attachments territoryId={territoryId} requestId={request.id} items={loose} />
            </article>
          </li>
          {request.messages.map((m) => (
            <li key={m.id}>
              <Message territoryId={territoryId} requestId={request.id} message={m} />
            </li>
          ))}
        </ol>
        {request.messages.length === 0 && <p className="fr-text--sm">Pas encore de réponse.</p>}
      </section>
      <WaitingForInformation request={request} />
      <Composer
        territoryId={territoryId}
        request={request}
        onSent={(next) => {
          setNotice(null);
          setFocusMessage(next.messages.at(-1)?.id ?? null);
        }}
      />
      <details className="fr-mt-4w">
        <summary className="fr-h6">Historique ({request.events.length})</summary>
        <ol className="fr-mt-2w">
          {request.events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time> — {e.text}
            </li>
          ))}
        </ol>
      </details>
    </>
  );
}

/** On the agent's side, while the partner waits: what it asked, right above the composer. */
function WaitingForInformation({ request }: { request: RequestDetails }) {
  if (request.side !== 'agent' || request.status !== 'attente_infos') return null;
  const asked = request.messages.filter((m) => m.kind === 'demande_infos').at(-1);
  return (
    <Alert
      className="fr-mt-4w"
      severity="warning"
      small
      description={
        <>
          <strong>{request.organisation.acronym} attend des informations pour avancer</strong>
          {asked ? ` : « ${asked.body} »` : '.'} Le délai de réponse reprend dès votre envoi.
        </>
      }
    />
  );
}

const Fact = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <div className="fr-mb-1w">
    <dt className="fr-text--bold fr-text--sm fr-mb-0">{label}</dt>
    <dd className="fr-ml-0">{children}</dd>
  </div>
);

const birthDate = (iso: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
};

/** The person the request is about, their identifiers and the consent or mandate; only when given. */
function PersonBlock({ request }: { request: RequestDetails }) {
  if (!request.person && request.identifiers.length === 0 && !request.consent) return null;
  return (
    <section className="fr-col-12 fr-col-md-6" aria-labelledby="titre-personne">
      <h2 id="titre-personne" className="fr-h5">
        Personne concernée
      </h2>
      <dl className="relais-facts">
        {request.person && (
          <Fact label="Nom">
            {request.side === 'agent' && request.person.id ? (
              <Link to={`/usagers/${request.person.id}`}>{request.person.name}</Link>
            ) : (
              request.person.name
            )}
          </Fact>
        )}
        {request.person?.birthDate && <Fact label="Date de naissance">{birthDate(request.person.birthDate)}</Fact>}
        {request.person?.phone && <Fact label="Téléphone">{request.person.phone}</Fact>}
        {request.identifiers.map((i) => (
          <Fact key={i.kind} label={i.label}>
            {i.value}
          </Fact>
        ))}
        {request.consent && <Fact label={request.consent.kind === 'mandat' ? 'Mandat' : 'Consentement'}>{request.consent.text}</Fact>}
      </dl>
    </section>
  );
}

const sideLabel = { agent: 'Lieu d’accueil', partner: 'Partenaire' } as const;

function Message({ territoryId, requestId, message: m }: { territoryId: string; requestId: string; message: MessageView }) {
  const kind = m.internal ? 'internal' : m.side;
  const titleId = `message-${m.id}-titre`;
  return (
    <article id={`message-${m.id}`} tabIndex={-1} className={`relais-message relais-message--${kind}`} aria-labelledby={titleId}>
      <h3 id={titleId} className="fr-text--md fr-mb-1v">
        {m.internal ? 'Note interne' : MessageKindLabels[m.kind]} {ofName(m.author)}
        <span className="fr-text--regular fr-text--sm">
          {' '}
          · {m.organisation ?? sideLabel[m.side]} · <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
        </span>
      </h3>
      {m.internal && (
        <p className="fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon fr-mb-1w">
          Note interne — visible de votre organisme seulement
        </p>
      )}
      <p className="relais-message__body">{m.body}</p>
      <Attachments territoryId={territoryId} requestId={requestId} items={m.attachments} />
    </article>
  );
}

function Attachments({ territoryId, requestId, items }: { territoryId: string; requestId: string; items: AttachmentView[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="fr-mb-0" aria-label="Pièces jointes">
      {items.map((a) => (
        <li key={a.id}>
          {a.scanStatus === 'infecte' ? (
            <span>{a.fileName} — bloqué : un virus a été détecté</span>
          ) : (
            <Fragment>
              <a
                className="fr-link fr-link--sm fr-icon-download-line fr-link--icon-left"
                href={attachmentHref(territoryId, requestId, a.id)}
                download
              >
                {a.fileName}
              </a>{' '}
              <span className="fr-text--xs">({formatSize(a.sizeBytes)})</span>
            </Fragment>
          )}
        </li>
      ))}
    </ul>
  );
}
