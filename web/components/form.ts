import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { ApiError } from '../api/client.ts';

export type FieldErrors = Record<string, string>;

/** Checks a form with the contract's zod schema before sending it; errors are keyed by field name. */
export function validate<S extends z.ZodType>(
  schema: S,
  values: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || '_';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** DSFR input state for one field: the client-side message first, then the API's. */
export function fieldState(name: string, errors: FieldErrors, apiError: unknown) {
  const message = errors[name] ?? (apiError instanceof ApiError ? apiError.fieldError(name) : undefined);
  return message ? ({ state: 'error', stateRelatedMessage: message } as const) : {};
}

/** The text of a form field, from a submitted form. */
export const formText = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/**
 * A form checked on submit with a contract's zod schema: `read` turns the submitted fields into
 * the request body, `submit` receives the valid body and the form element (to reset it).
 */
export function useValidatedForm<S extends z.ZodType>(
  schema: S,
  read: (form: FormData) => unknown,
  submit: (data: z.infer<S>, form: HTMLFormElement) => void,
) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const checked = validate(schema, read(new FormData(formElement)));
    setErrors(checked.ok ? {} : checked.errors);
    if (checked.ok) submit(checked.data, formElement);
  };
  return { errors, onSubmit };
}
