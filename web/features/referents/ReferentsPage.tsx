import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { Tag } from '@codegouvfr/react-dsfr/Tag.js';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { DirectoryEntry } from '../../../contracts/partners.ts';
import { Themes, themeLabel } from '../../../contracts/themes.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { useOrganisations } from '../network/queries.ts';
import { useDirectory } from '../partners/queries.ts';
import { ContactLinks } from './ContactLinks.tsx';

/** Who to call at the CAF, the CPAM...: the referents of the territory's partners, searched without caring for accents. */
export function ReferentsPage() {
  const territoryId = useTerritoryId();
  const [params] = useSearchParams();
  // Filters live in the page's state: changing the address on each keystroke would move the focus to the title.
  const [filters, setFilters] = useState(() => ({
    q: params.get('q') ?? '',
    theme: params.get('theme') ?? '',
    organisationId: params.get('organisationId') ?? '',
  }));
  const { q, theme, organisationId } = filters;
  const deferredQ = useDeferredValue(q);
  const directory = useDirectory(territoryId, { q: deferredQ, theme, organisationId });
  const organisations = useOrganisations(territoryId);
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Agents come here to type a name or a procedure: the search field takes the focus on load.
    search.current?.focus();
  }, []);
  const set = (key: keyof typeof filters, value: string) => setFilters((f) => ({ ...f, [key]: value }));
  return (
    <>
      <PageTitle>Référents partenaires</PageTitle>
      <p>Les personnes à joindre chez les partenaires du territoire, par nom, organisme, démarche ou thème.</p>
      <form aria-label="Rechercher un référent" className="fr-grid-row fr-grid-row--gutters" onSubmit={(e) => e.preventDefault()}>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Rechercher"
            hintText="Un nom, un organisme (CAF, MSA…) ou une démarche (prime d’activité, carte Vitale…)"
            nativeInputProps={{
              ref: search,
              type: 'search',
              name: 'q',
              value: q,
              autoComplete: 'off',
              onChange: (e) => set('q', e.target.value),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Select label="Thème" nativeSelectProps={{ name: 'theme', value: theme, onChange: (e) => set('theme', e.target.value) }}>
            <option value="">Tous les thèmes</option>
            {Themes.map((t) => (
              <option key={t.code} value={t.code}>
                {t.label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Select
            label="Partenaire"
            nativeSelectProps={{ name: 'organisationId', value: organisationId, onChange: (e) => set('organisationId', e.target.value) }}
          >
            <option value="">Tous les partenaires</option>
            {(organisations.data ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.acronym} — {o.name}
              </option>
            ))}
          </Select>
        </div>
      </form>
      <QueryState query={directory}>{(entries) => <Results entries={entries} />}</QueryState>
    </>
  );
}

function Results({ entries }: { entries: DirectoryEntry[] }) {
  return (
    <section aria-labelledby="titre-resultats">
      <h2 id="titre-resultats" className="fr-h5" aria-live="polite">
        {entries.length === 0
          ? 'Aucun référent ne correspond à cette recherche'
          : `${entries.length} référent${entries.length > 1 ? 's' : ''}${entries.length === 200 ? ' (les 200 premiers)' : ''}`}
      </h2>
      <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list">
        {entries.map((r) => (
          <li key={r.id} className="fr-col-12 fr-col-md-6 fr-col-lg-4">
            <ReferentCard referent={r} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReferentCard({ referent: r }: { referent: DirectoryEntry }) {
  return (
    <article className="fr-card fr-card--no-arrow">
      <div className="fr-card__body">
        <div className="fr-card__content">
          <h3 className="fr-card__title">{r.fullName}</h3>
          <p className="fr-card__desc fr-mb-1w">
            {r.title ? `${r.title}, ` : ''}
            <Link to={`/reseau/partenaires/${r.organisation.id}`}>
              {r.organisation.acronym} — {r.organisation.name}
            </Link>
          </p>
          <ContactLinks phone={r.phone} email={r.email} />
          {r.availability && <p className="fr-text--sm fr-mb-1w">Disponibilité : {r.availability}</p>}
          {(r.organisation.phone || r.organisation.email) && (
            <p className="fr-text--sm fr-mb-1w">
              Standard de l’organisme : <ContactLinksInline phone={r.organisation.phone} email={r.organisation.email} />
            </p>
          )}
          {r.themes.length > 0 && (
            <ul className="fr-tags-group" aria-label="Thèmes">
              {r.themes.map((t) => (
                <li key={t}>
                  <Tag small>{themeLabel(t)}</Tag>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </article>
  );
}

function ContactLinksInline({ phone, email }: { phone: string | null; email: string | null }) {
  return (
    <>
      {phone && <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>}
      {phone && email && ' · '}
      {email && <a href={`mailto:${email}`}>{email}</a>}
    </>
  );
}
