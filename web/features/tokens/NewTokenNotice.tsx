import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { useEffect, useRef } from 'react';
import type { z } from 'zod';
import type { CreatedApiToken } from '../../../contracts/members.ts';
import { CopyButton } from '../../components/CopyButton.tsx';

/** The new token's secret, shown once; focus moves here so that it is not missed. */
export function NewTokenNotice({ token, onDismiss }: { token: z.infer<typeof CreatedApiToken>; onDismiss: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-4w">
      <Alert
        severity="success"
        closable
        onClose={onDismiss}
        title={`Jeton « ${token.name} » créé`}
        description={
          <>
            <span className="fr-mb-1w" style={{ display: 'block' }}>
              Copiez-le maintenant : il ne sera plus jamais affiché.
            </span>
            <code className="relais-token fr-mr-2w">{token.token}</code>
            <CopyButton text={token.token} label="Copier le jeton" />
          </>
        }
      />
    </div>
  );
}
