import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { ProConnectButton } from '@codegouvfr/react-dsfr/ProConnectButton.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { type AuthConfig, LoginBody, type Me } from '../../../contracts/accounts.ts';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldState, formText, validate } from '../../components/form.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { meQueryKey, useMe } from '../../session/session.ts';
import { signOut } from '../../session/useSignOut.ts';
import { describeSignInProblem, safeReturnPath, signInMessages } from './messages.ts';

export function LoginPage() {
  const [params] = useSearchParams();
  const returnTo = safeReturnPath(params.get('retour'));
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const config = useQuery({ queryKey: ['auth-config'], queryFn: () => api.get<z.infer<typeof AuthConfig>>('/api/auth/config') });
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    signOut.done = false; // the sign-out has been acknowledged on this page
  }, []);
  const login = useMutation({
    mutationFn: (body: z.infer<typeof LoginBody>) => api.post<Me>('/api/auth/login', body, { allowUnauthenticated: true }),
    onSuccess: async (data) => {
      queryClient.setQueryData(meQueryKey, data);
      await navigate(returnTo, { replace: true });
    },
  });
  if (me.data && !login.isPending) return <Navigate to={returnTo} replace />;

  const oidcError = params.get('erreur');
  const shown = login.error
    ? describeSignInProblem(login.error)
    : oidcError
      ? (signInMessages[oidcError] ?? { title: 'Connexion impossible', description: 'La connexion n’a pas abouti. Réessayez.' })
      : null;

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <PageTitle>Se connecter à Relais</PageTitle>
        {params.get('deconnexion') && !shown && (
          <Alert className="fr-mb-3w" severity="success" small role="status" description="Vous êtes déconnecté(e). À bientôt !" />
        )}
        {shown && <Alert className="fr-mb-3w" severity="error" role="alert" title={shown.title} description={shown.description} />}
        {config.data?.oidc.enabled && (
          <section className="fr-mb-4w" aria-labelledby="titre-proconnect">
            <h2 id="titre-proconnect" className="fr-h5">
              Avec {config.data.oidc.label}
            </h2>
            <ProConnectButton url={`/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`} />
            <p className="fr-hr-or fr-mt-3w">ou</p>
          </section>
        )}
        <form
          noValidate
          aria-labelledby="titre-formulaire-connexion"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            const checked = validate(LoginBody, { email: formText(form, 'email'), password: formText(form, 'password') });
            setErrors(checked.ok ? {} : checked.errors);
            if (checked.ok) login.mutate(checked.data);
          }}
        >
          <h2 id="titre-formulaire-connexion" className="fr-h5">
            Avec votre adresse e-mail
          </h2>
          <Input
            label="Adresse e-mail"
            hintText="Format attendu : nom@domaine.fr"
            nativeInputProps={{ name: 'email', type: 'email', autoComplete: 'username', required: true }}
            {...fieldState('email', errors, login.error)}
          />
          <Input
            label="Mot de passe"
            nativeInputProps={{ name: 'password', type: 'password', autoComplete: 'current-password', required: true }}
            {...fieldState('password', errors, login.error)}
          />
          <p className="fr-mb-3w">
            <Link to="/mot-de-passe-oublie" className="fr-link">
              Mot de passe oublié ?
            </Link>
          </p>
          <Button type="submit" disabled={login.isPending}>
            {login.isPending ? 'Connexion…' : 'Se connecter'}
          </Button>
        </form>
      </div>
    </div>
  );
}
