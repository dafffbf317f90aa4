import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { AcceptInvitationBody, type InvitationPreview, type Me } from '../../../contracts/accounts.ts';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldState, formText, validate } from '../../components/form.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { meQueryKey } from '../../session/session.ts';
import { checkConfirmation, NewPasswordFields } from './NewPasswordFields.tsx';

export function InvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('jeton') ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api.get<z.infer<typeof InvitationPreview>>(`/api/auth/invitations/${encodeURIComponent(token)}`),
    enabled: token.length >= 20,
    retry: false,
  });
  const accept = useMutation({
    mutationFn: (body: z.infer<typeof AcceptInvitationBody>) => api.post<Me>('/api/auth/invitations/accept', body),
    onSuccess: async (me) => {
      queryClient.setQueryData(meQueryKey, me);
      await navigate('/', { replace: true });
    },
  });

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <PageTitle>Rejoindre Relais</PageTitle>
        {token.length < 20 ? (
          <Alert severity="error" title="Lien incomplet" description="Utilisez le lien complet reçu dans l’e-mail d’invitation." />
        ) : preview.isPending ? (
          <Loading />
        ) : preview.isError ? (
          <ProblemAlert error={preview.error} title="Invitation introuvable" />
        ) : (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const password = formText(form, 'password');
              const checked = validate(AcceptInvitationBody, { token, password, displayName: formText(form, 'displayName') });
              const found = checkConfirmation(checked.ok ? {} : checked.errors, password, formText(form, 'confirmation'));
              setErrors(found);
              if (checked.ok && !Object.keys(found).length) accept.mutate(checked.data);
            }}
          >
            <p>
              Vous êtes invité(e) avec l’adresse <strong>{preview.data.email}</strong>. Choisissez votre mot de passe pour activer votre
              compte.
            </p>
            <ProblemAlert error={accept.error} />
            <Input
              label="Votre nom tel qu’il sera affiché"
              nativeInputProps={{ name: 'displayName', defaultValue: preview.data.displayName, autoComplete: 'name', required: true }}
              {...fieldState('displayName', errors, accept.error)}
            />
            <NewPasswordFields errors={errors} apiError={accept.error} />
            <Button type="submit" disabled={accept.isPending}>
              Activer mon compte
            </Button>
          </form>
        )}
      </div>
    </div>
  );
}
