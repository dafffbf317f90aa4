import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PasswordResetRequestBody } from '../../../contracts/accounts.ts';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldState, formText, validate } from '../../components/form.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

export function ForgotPasswordPage() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const request = useMutation({ mutationFn: (email: string) => api.post('/api/auth/password-reset', { email }) });
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <PageTitle>Mot de passe oublié</PageTitle>
        {request.isSuccess ? (
          <Alert
            severity="success"
            role="status"
            title="Demande enregistrée"
            description="Si un compte existe avec cette adresse, vous allez recevoir un e-mail avec un lien pour choisir un nouveau mot de passe. Ce lien est valable une heure."
          />
        ) : (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const checked = validate(PasswordResetRequestBody, { email: formText(new FormData(event.currentTarget), 'email') });
              setErrors(checked.ok ? {} : checked.errors);
              if (checked.ok) request.mutate(checked.data.email);
            }}
          >
            <p>Indiquez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.</p>
            <ProblemAlert error={request.error} />
            <Input
              label="Adresse e-mail"
              hintText="Format attendu : nom@domaine.fr"
              nativeInputProps={{ name: 'email', type: 'email', autoComplete: 'email', required: true }}
              {...fieldState('email', errors, request.error)}
            />
            <Button type="submit" disabled={request.isPending}>
              Recevoir le lien
            </Button>
          </form>
        )}
        <p className="fr-mt-4w">
          <Link to="/connexion" className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
            Revenir à la connexion
          </Link>
        </p>
      </div>
    </div>
  );
}
