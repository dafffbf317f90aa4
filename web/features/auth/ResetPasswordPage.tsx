import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { PasswordResetConfirmBody } from '../../../contracts/accounts.ts';
import { api } from '../../api/client.ts';
import { type FieldErrors, formText, validate } from '../../components/form.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { checkConfirmation, NewPasswordFields } from './NewPasswordFields.tsx';

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('jeton') ?? '';
  const [errors, setErrors] = useState<FieldErrors>({});
  const reset = useMutation({
    mutationFn: (body: z.infer<typeof PasswordResetConfirmBody>) => api.post('/api/auth/password-reset/confirm', body),
  });
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <PageTitle>Choisir un nouveau mot de passe</PageTitle>
        {token.length < 20 ? (
          <Alert
            severity="error"
            title="Lien incomplet"
            description="Ce lien ne contient pas de jeton. Utilisez le lien reçu par e-mail, ou faites une nouvelle demande."
          />
        ) : reset.isSuccess ? (
          <Alert
            severity="success"
            role="status"
            title="Mot de passe modifié"
            description="Vos autres sessions ont été fermées. Vous pouvez maintenant vous connecter avec votre nouveau mot de passe."
          />
        ) : (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const password = formText(form, 'password');
              const checked = validate(PasswordResetConfirmBody, { token, password });
              const found = checkConfirmation(checked.ok ? {} : checked.errors, password, formText(form, 'confirmation'));
              setErrors(found);
              if (checked.ok && !Object.keys(found).length) reset.mutate(checked.data);
            }}
          >
            <ProblemAlert error={reset.error} />
            <NewPasswordFields errors={errors} apiError={reset.error} />
            <Button type="submit" disabled={reset.isPending}>
              Enregistrer le mot de passe
            </Button>
          </form>
        )}
        <p className="fr-mt-4w">
          <Link to={reset.isSuccess ? '/connexion' : '/mot-de-passe-oublie'} className="fr-link">
            {reset.isSuccess ? 'Se connecter' : 'Demander un nouveau lien'}
          </Link>
        </p>
      </div>
    </div>
  );
}
