import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ServedPartner } from '../../../contracts/network.ts';
import { REQUIRED_OPERATOR_CODES } from '../../../contracts/partner-catalogue.ts';
import { ApiError, apiRequest } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { networkKeys, useOrganisations } from './queries.ts';

/** The partners served at a contact point: one checkbox per organisation of the territory, with a note each. */
export function PartnersServedForm(props: { territoryId: string; contactPointId: string; served: ServedPartner[] }) {
  const { territoryId, contactPointId } = props;
  const organisations = useOrganisations(territoryId);
  const queryClient = useQueryClient();
  const [checked, setChecked] = useState(() => new Set(props.served.map((p) => p.organisationId)));
  const save = useMutation({
    mutationFn: (partners: { organisationId: string; note: string | null }[]) =>
      apiRequest<ServedPartner[]>('PUT', `/api/territories/${territoryId}/contact-points/${contactPointId}/partners`, {
        body: { partners },
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: networkKeys.contactPoint(territoryId, contactPointId) });
      await queryClient.invalidateQueries({ queryKey: networkKeys.labelChecks(territoryId) });
    },
  });
  const notes = new Map(props.served.map((p) => [p.organisationId, p.note ?? '']));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const partners = form.getAll('organisationId').map((value) => {
      const id = String(value);
      const note = String(form.get(`note-${id}`) ?? '').trim();
      return { organisationId: id, note: note || null };
    });
    save.mutate(partners);
  };
  const noteError = (index: number) =>
    save.error instanceof ApiError ? save.error.errors.find((e) => e.path.startsWith(`body.partners.${index}.`))?.message : undefined;
  return (
    <QueryState query={organisations}>
      {(orgs) =>
        orgs.length === 0 ? (
          <p>Aucun partenaire dans le territoire pour l’instant : ajoutez-les dans l’onglet « Partenaires » du réseau.</p>
        ) : (
          <form noValidate onSubmit={onSubmit} aria-label="Partenaires servis dans ce lieu">
            {save.isSuccess && <Alert className="fr-mb-2w" severity="success" small role="status" description="Partenaires enregistrés." />}
            <ProblemAlert error={save.error} />
            <fieldset className="fr-fieldset" aria-labelledby="partenaires-servis-legende">
              <legend className="fr-fieldset__legend" id="partenaires-servis-legende">
                Partenaires servis (cochez ceux présents ou accompagnés ici, et précisez comment)
              </legend>
              {orgs.map((org) => {
                const id = `partenaire-${org.id}`;
                const on = checked.has(org.id);
                // The request lists the checked organisations in this order: its errors are indexed so.
                const position = orgs.filter((o) => checked.has(o.id)).findIndex((o) => o.id === org.id);
                const error = on ? noteError(position) : undefined;
                return (
                  <div key={org.id} className="fr-fieldset__element">
                    <div className="fr-checkbox-group">
                      <input
                        type="checkbox"
                        id={id}
                        name="organisationId"
                        value={org.id}
                        checked={on}
                        onChange={(e) =>
                          setChecked((prev) => {
                            const next = new Set(prev);
                            if (e.target.checked) next.add(org.id);
                            else next.delete(org.id);
                            return next;
                          })
                        }
                      />
                      <label className="fr-label" htmlFor={id}>
                        {org.name} ({org.acronym})
                        {(REQUIRED_OPERATOR_CODES as readonly (string | null)[]).includes(org.nationalCode)
                          ? ' · opérateur national du label'
                          : ''}
                      </label>
                    </div>
                    {on && (
                      <div className={`fr-input-group fr-ml-4w fr-mt-1w${error ? ' fr-input-group--error' : ''}`}>
                        <label className="fr-label" htmlFor={`${id}-note`}>
                          Modalités pour {org.acronym} (facultatif)
                          <span className="fr-hint-text">Par exemple : permanence le 1er mardi, visio sur rendez-vous</span>
                        </label>
                        <input className="fr-input" id={`${id}-note`} name={`note-${org.id}`} defaultValue={notes.get(org.id) ?? ''} />
                        {error && <p className="fr-error-text">{error}</p>}
                      </div>
                    )}
                  </div>
                );
              })}
            </fieldset>
            <Button type="submit" disabled={save.isPending}>
              Enregistrer les partenaires servis
            </Button>
          </form>
        )
      }
    </QueryState>
  );
}
