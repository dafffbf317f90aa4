import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import type { ReactNode } from 'react';

/** What a form just did, above the form (announced to screen readers). */
export function SuccessAlert({ children }: { children: NonNullable<ReactNode> }) {
  return <Alert className="fr-mb-3w" severity="success" small role="status" description={children} />;
}
