import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { ChangePasswordBody } from '../../../contracts/accounts.ts';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldState, formText, validate } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { checkConfirmation, NewPasswordFields } from '../auth/NewPasswordFields.tsx';

export function ChangePasswordForm() {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const change = useMutation({
    mutationFn: (body: z.infer<typeof ChangePasswordBody>) => api.post('/api/account/password', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['account', 'sessions'] }),
  });
  return (
    <form
      noValidate
      className="fr-col-12 fr-col-md-8 fr-px-0"
      onSubmit={(event) => {
        event.preventDefault();
        const formElement = event.currentTarget;
        const form = new FormData(formElement);
        const newPassword = formText(form, 'newPassword');
        const checked = validate(ChangePasswordBody, { currentPassword: formText(form, 'currentPassword'), newPassword });
        const found = checkConfirmation(checked.ok ? {} : checked.errors, newPassword, formText(form, 'confirmation'));
        setErrors(found);
        if (checked.ok && !Object.keys(found).length) change.mutate(checked.data, { onSuccess: () => formElement.reset() });
      }}
    >
      {change.isSuccess && <SuccessAlert>Mot de passe modifié. Vos autres sessions ont été fermées.</SuccessAlert>}
      <ProblemAlert error={change.error} />
      <Input
        label="Mot de passe actuel"
        nativeInputProps={{ name: 'currentPassword', type: 'password', autoComplete: 'current-password', required: true }}
        {...fieldState('currentPassword', errors, change.error)}
      />
      <NewPasswordFields name="newPassword" errors={errors} apiError={change.error} />
      <Button type="submit" disabled={change.isPending}>
        Changer le mot de passe
      </Button>
    </form>
  );
}
