import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Tag } from '@codegouvfr/react-dsfr/Tag.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { OrganisationDetails, ReferentView } from '../../../contracts/partners.ts';
import { themeLabel } from '../../../contracts/themes.ts';
import { api } from '../../api/client.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { RequestLinks } from '../inbox/RequestLinks.tsx';
import { ContactLinks } from '../referents/ContactLinks.tsx';
import { OrganisationEditForm } from './OrganisationEditForm.tsx';
import { partnerKeys, useOrganisationDetails } from './queries.ts';
import { ReferentForm } from './ReferentForm.tsx';

/** A partner organisation: what it handles, its online services and the referents agents can call. */
export function PartnerPage() {
  const territoryId = useTerritoryId();
  const { id = '' } = useParams();
  const organisation = useOrganisationDetails(territoryId, id);
  return (
    <>
      <Breadcrumb
        currentPageLabel={organisation.data?.acronym ?? 'Partenaire'}
        homeLinkProps={{ to: '/' }}
        segments={[{ label: 'Réseau', linkProps: { to: '/reseau' } }]}
      />
      <QueryState query={organisation}>{(o) => <PartnerContent territoryId={territoryId} organisation={o} />}</QueryState>
    </>
  );
}

function PartnerContent({ territoryId, organisation: o }: { territoryId: string; organisation: OrganisationDetails }) {
  const [editing, setEditing] = useState(false);
  return (
    <>
      <PageTitle>{`${o.acronym} — ${o.name}`}</PageTitle>
      {o.description && <p>{o.description}</p>}
      <RequestLinks organisationId={o.id} />
      <div className="fr-grid-row fr-grid-row--gutters">
        <section className="fr-col-12 fr-col-md-6" aria-labelledby="titre-contacts">
          <h2 id="titre-contacts" className="fr-h5">
            Coordonnées
          </h2>
          <ContactLinks phone={o.phone} email={o.email} website={o.website} />
          <h2 className="fr-h5 fr-mt-3w">Services en ligne</h2>
          {o.links.length ? (
            <ul>
              {o.links.map((l) => (
                <li key={l.url}>
                  <a href={l.url} target="_blank" rel="noopener noreferrer" title={`${l.label} - nouvelle fenêtre`}>
                    {l.label}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p>Aucun service en ligne renseigné.</p>
          )}
        </section>
        <section className="fr-col-12 fr-col-md-6" aria-labelledby="titre-demarches">
          <h2 id="titre-demarches" className="fr-h5">
            Démarches
          </h2>
          {o.procedures.length ? (
            <ul>
              {o.procedures.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : (
            <p>Aucune démarche renseignée.</p>
          )}
          <h2 className="fr-h5 fr-mt-3w">Thèmes</h2>
          {o.themes.length ? (
            <ul className="fr-tags-group">
              {o.themes.map((t) => (
                <li key={t}>
                  <Tag small>{themeLabel(t)}</Tag>
                </li>
              ))}
            </ul>
          ) : (
            <p>Aucun thème renseigné.</p>
          )}
        </section>
      </div>
      {o.canEdit && (
        <div className="fr-mt-2w">
          {editing ? (
            <section aria-labelledby="titre-modifier-partenaire">
              <h2 id="titre-modifier-partenaire" className="fr-h5">
                Modifier le partenaire
              </h2>
              <OrganisationEditForm territoryId={territoryId} organisation={o} onDone={() => setEditing(false)} />
            </section>
          ) : (
            <Button priority="secondary" iconId="fr-icon-edit-line" onClick={() => setEditing(true)}>
              Modifier le partenaire
            </Button>
          )}
          <p className="fr-mt-2w">
            <Link className="fr-link fr-icon-arrow-right-line fr-link--icon-right" to={`/reseau/partenaires/${o.id}/webhooks`}>
              Webhooks du système d’information du partenaire
            </Link>
          </p>
        </div>
      )}
      <ReferentsSection territoryId={territoryId} organisation={o} />
    </>
  );
}

function ReferentsSection({ territoryId, organisation: o }: { territoryId: string; organisation: OrganisationDetails }) {
  return (
    <section className="fr-mt-5w" aria-labelledby="titre-referents">
      <h2 id="titre-referents" className="fr-h4">
        Référents
      </h2>
      {o.referents.length === 0 && <p>Aucun référent pour l’instant.</p>}
      <ul className="fr-raw-list">
        {o.referents.map((r) => (
          <li key={r.id} className="fr-mb-3w">
            <ReferentItem territoryId={territoryId} organisation={o} referent={r} />
          </li>
        ))}
      </ul>
      {o.canEdit && (
        <section className="fr-mt-3w" aria-labelledby="titre-nouveau-referent">
          <h3 id="titre-nouveau-referent" className="fr-h5">
            Ajouter un référent
          </h3>
          <ReferentForm territoryId={territoryId} organisation={o} />
        </section>
      )}
    </section>
  );
}

function ReferentItem({
  territoryId,
  organisation: o,
  referent: r,
}: {
  territoryId: string;
  organisation: OrganisationDetails;
  referent: ReferentView;
}) {
  const [editing, setEditing] = useState(false);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/territories/${territoryId}/referents/${r.id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: partnerKeys.organisation(territoryId, o.id) }),
  });
  return (
    <article className="fr-p-2w" style={{ border: '1px solid var(--border-default-grey)' }} aria-labelledby={`referent-${r.id}`}>
      <h3 id={`referent-${r.id}`} className="fr-h6 fr-mb-1v">
        {r.fullName}
        {!r.active && <span className="fr-badge fr-badge--sm fr-ml-1w">Inactif</span>}
      </h3>
      {r.title && <p className="fr-mb-1v">{r.title}</p>}
      <ContactLinks phone={r.phone} email={r.email} />
      {r.availability && <p className="fr-text--sm fr-mb-1v">Disponibilité : {r.availability}</p>}
      {r.themes.length > 0 && <p className="fr-text--sm fr-mb-1v">Thèmes : {r.themes.map(themeLabel).join(', ')}</p>}
      {r.account && <p className="fr-text--sm fr-mb-1v">Compte Relais : {r.account.displayName}</p>}
      {o.canEdit && (
        <>
          <ProblemAlert error={remove.error} />
          {editing ? (
            <ReferentForm territoryId={territoryId} organisation={o} referent={r} onDone={() => setEditing(false)} />
          ) : (
            <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w">
              <li>
                <Button priority="secondary" size="small" onClick={() => setEditing(true)} title={`Modifier ${r.fullName}`}>
                  Modifier
                </Button>
              </li>
              <li>
                <Button
                  priority="tertiary"
                  size="small"
                  disabled={remove.isPending}
                  title={`Retirer ${r.fullName}`}
                  onClick={() => {
                    if (window.confirm(`Retirer ${r.fullName} des référents ?`)) remove.mutate();
                  }}
                >
                  Retirer
                </Button>
              </li>
            </ul>
          )}
        </>
      )}
    </article>
  );
}
