import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { useEffect, useRef } from 'react';
import { CopyButton } from '../../components/CopyButton.tsx';

/** A webhook's signing secret, shown once (creation or renewal); focus moves here so that it is not missed. */
export function NewSecretNotice({ url, secret, onDismiss }: { url: string; secret: string; onDismiss: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-4w">
      <Alert
        severity="success"
        closable
        onClose={onDismiss}
        title="Secret de signature du webhook"
        description={
          <>
            <span className="fr-mb-1w" style={{ display: 'block' }}>
              Pour {url}. Copiez-le maintenant et enregistrez-le dans le système d’information du partenaire : il ne sera plus jamais
              affiché.
            </span>
            <code className="relais-token fr-mr-2w">{secret}</code>
            <CopyButton text={secret} label="Copier le secret" />
          </>
        }
      />
    </div>
  );
}
