import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  type NotificationMode,
  NotificationModeLabels,
  NotificationModes,
  type NotificationPreferences,
} from '../../../contracts/notifications.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { notificationKeys, useNotificationPreferences } from '../notifications/queries.ts';

const hints: Record<NotificationMode, string> = {
  immediat: 'Dès qu’une saisine arrive, reçoit une réponse ou approche de son délai (aux heures ouvrées).',
  quotidien: 'Tout ce qui est arrivé depuis le résumé précédent, en un seul courriel, chaque jour ouvré à 8 h.',
};

/** « Mon compte » : each email at once, or one digest a day. */
export function NotificationsForm() {
  const preferences = useNotificationPreferences();
  return <QueryState query={preferences}>{(current) => <ModeForm initial={current.mode} />}</QueryState>;
}

function ModeForm({ initial }: { initial: NotificationMode }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<NotificationMode>(initial);
  const save = useMutation({
    mutationFn: (body: NotificationPreferences) => api.put<NotificationPreferences>('/api/me/notifications', body),
    onSuccess: (saved) => queryClient.setQueryData(notificationKeys.preferences, saved),
  });
  return (
    <form
      noValidate
      className="fr-col-12 fr-col-md-8 fr-px-0"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ mode });
      }}
    >
      {save.isSuccess && <SuccessAlert>Votre choix est enregistré.</SuccessAlert>}
      <ProblemAlert error={save.error} />
      <RadioButtons
        legend="Comment voulez-vous être prévenu(e) par courriel ?"
        name="mode"
        options={NotificationModes.map((value) => ({
          label: NotificationModeLabels[value],
          hintText: hints[value],
          nativeInputProps: { value, checked: mode === value, onChange: () => setMode(value) },
        }))}
      />
      <Button type="submit" disabled={save.isPending}>
        Enregistrer mon choix
      </Button>
    </form>
  );
}
