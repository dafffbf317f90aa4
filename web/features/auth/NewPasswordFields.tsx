import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { type FieldErrors, fieldState } from '../../components/form.ts';

/** A new password and its confirmation, with the ANSSI length rule stated up front. */
export function NewPasswordFields({ errors, apiError, name = 'password' }: { errors: FieldErrors; apiError: unknown; name?: string }) {
  return (
    <>
      <Input
        label="Nouveau mot de passe"
        hintText="Au moins 12 caractères. Une phrase de passe facile à retenir convient très bien."
        nativeInputProps={{ name, type: 'password', autoComplete: 'new-password', required: true, minLength: 12 }}
        {...fieldState(name, errors, apiError)}
      />
      <Input
        label="Confirmez le nouveau mot de passe"
        nativeInputProps={{ name: 'confirmation', type: 'password', autoComplete: 'new-password', required: true }}
        {...fieldState('confirmation', errors, apiError)}
      />
    </>
  );
}

/** Adds the "the two passwords differ" error to a validation result. */
export function checkConfirmation(errors: FieldErrors, password: string, confirmation: string): FieldErrors {
  return password === confirmation ? errors : { ...errors, confirmation: 'les deux mots de passe ne sont pas identiques' };
}
