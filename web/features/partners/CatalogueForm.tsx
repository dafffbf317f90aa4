import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { PARTNER_CATALOGUE } from '../../../contracts/partner-catalogue.ts';
import type { OrganisationDetails } from '../../../contracts/partners.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { networkKeys, useOrganisations } from '../network/queries.ts';

/** Adds a partner of the national catalogue (CAF, CPAM…), prefilled with its procedures and online services. */
export function CatalogueForm({ territoryId }: { territoryId: string }) {
  const queryClient = useQueryClient();
  const organisations = useOrganisations(territoryId);
  const present = new Set((organisations.data ?? []).map((o) => o.nationalCode).filter(Boolean));
  const available = PARTNER_CATALOGUE.filter((e) => !present.has(e.code));
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const add = useMutation({
    mutationFn: (catalogueCode: string) =>
      api.post<OrganisationDetails>(`/api/territories/${territoryId}/organisations/from-catalogue`, { catalogueCode }),
    onSuccess: async () => {
      setCode('');
      await queryClient.invalidateQueries({ queryKey: networkKeys.organisations(territoryId) });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(!code);
    if (code) add.mutate(code);
  };
  const group = (required: boolean) =>
    available
      .filter((e) => e.required === required)
      .map((e) => (
        <option key={e.code} value={e.code}>
          {e.acronym === e.name ? e.name : `${e.acronym} — ${e.name}`}
        </option>
      ));
  return (
    <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      {add.isSuccess && (
        <SuccessAlert>
          Partenaire « {add.data.acronym} » ajouté.{' '}
          <Link to={`/reseau/partenaires/${add.data.id}`}>Compléter sa fiche et ses référents</Link>
        </SuccessAlert>
      )}
      <ProblemAlert error={add.error} />
      {available.length === 0 ? (
        <p>Tous les partenaires du catalogue national sont déjà présents.</p>
      ) : (
        <>
          <Select
            label="Partenaire du catalogue national"
            hint="Nom, sigle, thèmes, démarches et services en ligne sont préremplis."
            nativeSelectProps={{ name: 'catalogueCode', value: code, onChange: (e) => setCode(e.target.value), required: true }}
            {...(missing ? { state: 'error' as const, stateRelatedMessage: 'Choisissez un partenaire.' } : {})}
          >
            <option value="">Choisir un partenaire</option>
            {group(true).length > 0 && <optgroup label="Opérateurs nationaux de France Services">{group(true)}</optgroup>}
            {group(false).length > 0 && <optgroup label="Partenaires locaux courants">{group(false)}</optgroup>}
          </Select>
          <Button type="submit" disabled={add.isPending}>
            Ajouter depuis le catalogue
          </Button>
        </>
      )}
    </form>
  );
}
