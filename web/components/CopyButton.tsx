import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useState } from 'react';

/** Copies a text to the clipboard and says so. */
export function CopyButton({ text, label = 'Copier' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <Button
        type="button"
        priority="secondary"
        size="small"
        iconId="fr-icon-clipboard-line"
        onClick={async () => {
          await navigator.clipboard.writeText(text).catch(() => {});
          setCopied(true);
        }}
      >
        {label}
      </Button>
      <span role="status" className="fr-ml-2w fr-text--sm">
        {copied ? 'Copié dans le presse-papiers' : ''}
      </span>
    </>
  );
}
