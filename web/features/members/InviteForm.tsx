import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { MembershipView } from '../../../contracts/accounts.ts';
import { RoleLabels, Roles } from '../../../contracts/common.ts';
import { InviteBody, type InviteResult } from '../../../contracts/members.ts';
import { api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useContactPoints, useOrganisations } from '../network/queries.ts';
import { membersKey } from './queries.ts';

type Role = (typeof Roles)[number];

/** Invites a person with a role; a coordinator chooses any role, a partner manager only their organisation's. */
export function InviteForm({ territoryId, membership }: { territoryId: string; membership: MembershipView }) {
  const isCoordinator = membership.role === 'coordinator';
  const roles: Role[] = isCoordinator ? [...Roles] : ['referent', 'manager'];
  const [role, setRole] = useState<Role>(roles[0]!);
  const contactPoints = useContactPoints(territoryId);
  const organisations = useOrganisations(territoryId);
  const orgChoices = isCoordinator ? (organisations.data ?? []) : membership.organisation ? [membership.organisation] : [];
  const queryClient = useQueryClient();
  const invite = useMutation({
    mutationFn: (body: z.input<typeof InviteBody>) =>
      api.post<z.infer<typeof InviteResult>>(`/api/territories/${territoryId}/invitations`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersKey(territoryId) }),
  });
  const [sentTo, setSentTo] = useState<string | null>(null);

  const { errors, onSubmit } = useValidatedForm(
    InviteBody,
    (form) => ({
      email: formText(form, 'email'),
      displayName: formText(form, 'displayName'),
      role,
      contactPointId: role === 'agent' ? formText(form, 'contactPointId') || null : null,
      organisationId: role === 'referent' || role === 'manager' ? formText(form, 'organisationId') || null : null,
    }),
    (body, form) =>
      invite.mutate(body, {
        onSuccess: () => {
          setSentTo(body.email);
          form.reset();
        },
      }),
  );

  return (
    <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      {invite.isSuccess && sentTo && (
        <SuccessAlert>
          {invite.data.invited
            ? `Invitation envoyée à ${sentTo} : la personne reçoit un lien pour choisir son mot de passe.`
            : `${sentTo} avait déjà un compte : le rôle a été ajouté.`}
        </SuccessAlert>
      )}
      <ProblemAlert error={invite.error} />
      <Input
        label="Adresse e-mail"
        hintText="Format attendu : nom@domaine.fr"
        nativeInputProps={{ name: 'email', type: 'email', autoComplete: 'off', required: true }}
        {...fieldState('email', errors, invite.error)}
      />
      <Input
        label="Nom et prénom"
        nativeInputProps={{ name: 'displayName', autoComplete: 'off', required: true }}
        {...fieldState('displayName', errors, invite.error)}
      />
      <Select
        label="Rôle"
        nativeSelectProps={{ name: 'role', value: role, onChange: (e) => setRole(e.target.value as Role) }}
        {...fieldState('role', errors, invite.error)}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {RoleLabels[r]}
          </option>
        ))}
      </Select>
      {role === 'agent' && (
        <Select
          label="Lieu d’accueil"
          nativeSelectProps={{ name: 'contactPointId', defaultValue: '' }}
          {...fieldState('contactPointId', errors, invite.error)}
        >
          <option value="" disabled>
            Choisissez un lieu
          </option>
          {(contactPoints.data ?? []).map((cp) => (
            <option key={cp.id} value={cp.id}>
              {cp.name}
            </option>
          ))}
        </Select>
      )}
      {(role === 'referent' || role === 'manager') && (
        <Select
          label="Partenaire"
          nativeSelectProps={{ name: 'organisationId', defaultValue: orgChoices.length === 1 ? orgChoices[0]!.id : '' }}
          {...fieldState('organisationId', errors, invite.error)}
        >
          <option value="" disabled>
            Choisissez un partenaire
          </option>
          {orgChoices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.acronym} — {o.name}
            </option>
          ))}
        </Select>
      )}
      <Button type="submit" disabled={invite.isPending}>
        Envoyer l’invitation
      </Button>
    </form>
  );
}
