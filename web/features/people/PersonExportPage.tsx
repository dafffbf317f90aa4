import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { ConsentHowLabels, InformedHowLabels } from '../../../contracts/people.ts';
import type { PersonExport } from '../../../contracts/people-lifecycle.ts';
import { themeLabel } from '../../../contracts/themes.ts';
import { VisitActionLabels, VisitChannelLabels } from '../../../contracts/visits.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { downloadJson, fetchExport } from './lifecycle-queries.ts';
import { formatBirthDate, peopleKeys, personName } from './queries.ts';
import './print.css';

const label = (labels: Record<string, string>, code: string | null) => (code ? (labels[code] ?? code) : '—');

/** The answer to a person's access request: everything Relais holds on them, printable, and as a JSON file. */
export function PersonExportPage() {
  const territoryId = useTerritoryId();
  const { id = '' } = useParams();
  // One export per visit of the page: each one is journaled.
  const exported = useQuery({
    queryKey: [...peopleKeys.person(territoryId, id), 'export'],
    queryFn: () => fetchExport(territoryId, id),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
    retry: false,
  });
  return (
    <>
      <Breadcrumb
        currentPageLabel="Export (demande d’accès)"
        homeLinkProps={{ to: '/' }}
        segments={[
          { label: 'Usagers', linkProps: { to: '/usagers' } },
          { label: exported.data ? personName(exported.data.person) : 'Fiche', linkProps: { to: `/usagers/${id}` } },
        ]}
      />
      <QueryState query={exported}>{(data) => <ExportContent data={data} />}</QueryState>
    </>
  );
}

function ExportContent({ data }: { data: PersonExport }) {
  const p = data.person;
  return (
    <div className="relais-export">
      <PageTitle title={`Export du dossier de ${personName(p)}`}>Vos données enregistrées dans Relais</PageTitle>
      <p>
        Document établi le {formatDateTime(data.exportedAt)} par la coordination du territoire {data.territory}, en réponse à la demande
        d’accès de {p.firstName} {p.lastName} (article 15 du RGPD).
      </p>
      <ul className="fr-btns-group fr-btns-group--inline-md relais-no-print">
        <li>
          <Button iconId="fr-icon-printer-line" onClick={() => window.print()}>
            Imprimer
          </Button>
        </li>
        <li>
          <Button priority="secondary" iconId="fr-icon-download-line" onClick={() => downloadJson(data, `dossier-usager-${p.id}.json`)}>
            Télécharger le fichier (JSON)
          </Button>
        </li>
      </ul>
      <Part title="Identité et coordonnées">
        <dl>
          <Item term="Nom et prénom">{`${p.lastName} ${p.firstName}`}</Item>
          <Item term="Nom de naissance">{p.birthName}</Item>
          <Item term="Date de naissance">{p.birthDate ? formatBirthDate(p.birthDate) : null}</Item>
          <Item term="Téléphone">{p.phone}</Item>
          <Item term="Adresse e-mail">{p.email}</Item>
          <Item term="Adresse">{[p.address, [p.postcode, p.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null}</Item>
          <Item term="Langue préférée">{p.preferredLanguage}</Item>
          <Item term="Numéro de sécurité sociale">{p.nir}</Item>
          <Item term="Numéro d’allocataire CAF">{p.cafNumber}</Item>
          <Item term="Numéro fiscal">{p.taxNumber}</Item>
          <Item term="Identifiant France Travail">{p.franceTravailId}</Item>
          <Item term="Information donnée">
            {p.informedAt ? `${formatDate(p.informedAt)} (${label(InformedHowLabels, p.informedHow)})` : null}
          </Item>
          <Item term="Lieux d’accueil qui tiennent le dossier">{data.contactPoints.join(', ') || null}</Item>
        </dl>
      </Part>
      <Part title="Accords de partage avec des partenaires">
        {data.consents.length === 0 ? (
          <p>Aucun.</p>
        ) : (
          <ul>
            {data.consents.map((c) => (
              <li key={`${c.organisation}-${c.givenAt}`}>
                {c.organisation} : {label(ConsentHowLabels, c.how)} le {formatDate(c.givenAt)}
                {c.withdrawnAt ? `, retiré le ${formatDate(c.withdrawnAt)}` : ''}
              </li>
            ))}
          </ul>
        )}
      </Part>
      <Part title="Mandats">
        {data.mandates.length === 0 ? (
          <p>Aucun.</p>
        ) : (
          <ul>
            {data.mandates.map((m) => (
              <li key={m.id}>
                {m.contactPoint}, du {formatDate(m.startsAt)} au {formatDate(m.endsAt)}
                {m.scope.all ? ' (toutes démarches)' : m.scope.organisations.length ? ` (${m.scope.organisations.join(', ')})` : ''}
                {m.revokedAt ? `, révoqué le ${formatDate(m.revokedAt)}` : ''}
                {m.documents.length ? ` — documents : ${m.documents.map((d) => d.fileName).join(', ')}` : ''}
              </li>
            ))}
          </ul>
        )}
      </Part>
      <Part title={`Accueils (${data.visits.length})`}>
        {data.visits.length === 0 ? (
          <p>Aucun.</p>
        ) : (
          <ul>
            {data.visits.map((v) => (
              <li key={v.id}>
                {formatDateTime(v.occurredAt)} — {v.contactPoint}, {label(VisitChannelLabels, v.channel)}
                {v.underMandate ? ', sous mandat' : ''}
                {v.organisations.length ? ` — ${v.organisations.join(', ')}` : ''}
                {v.themeCodes.length ? ` — ${v.themeCodes.map(themeLabel).join(', ')}` : ''}
                {v.actions.length ? ` — ${v.actions.map((a) => label(VisitActionLabels, a)).join(', ')}` : ''}
                {v.comment ? ` — « ${v.comment} »` : ''}
              </li>
            ))}
          </ul>
        )}
      </Part>
      <Part title="Qui a consulté ou modifié le dossier">
        <div className="fr-table">
          <table>
            <caption>Journal des accès au dossier</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Action</th>
                <th scope="col">Personne</th>
                <th scope="col">Rôle</th>
                <th scope="col">Écran</th>
              </tr>
            </thead>
            <tbody>
              {data.accessLog.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: journal entries have no id in the export; the order is fixed
                <tr key={i}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.label}</td>
                  <td>{e.who ?? '—'}</td>
                  <td>{e.role ?? '—'}</td>
                  <td>{e.screen ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Part>
    </div>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="fr-mt-4w">
      <h2 className="fr-h4">{title}</h2>
      {children}
    </section>
  );
}

function Item({ term, children }: { term: string; children: string | null }) {
  return (
    <div className="fr-mb-1w">
      <dt className="fr-text--bold fr-mb-0">{term}</dt>
      <dd className="fr-ml-0">{children || 'Non renseigné'}</dd>
    </div>
  );
}
