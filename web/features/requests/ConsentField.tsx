import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import type { MandateView } from '../../../contracts/mandates.ts';
import { ConsentHowLabels } from '../../../contracts/people.ts';
import { formatDate } from '../../components/format.ts';
import { scopeLabel } from '../mandates/queries.ts';

export type ConsentChoice = { kind: 'consentement' } | { kind: 'mandat'; mandateId: string | null } | null;

/** The person's active mandates held by this contact point that cover the organisation (all partners, or it by name). */
export function coveringMandates(mandates: MandateView[], organisationId: string, contactPointId: string | undefined): MandateView[] {
  return mandates.filter(
    (m) =>
      m.status === 'actif' &&
      (!contactPointId || m.contactPoint.id === contactPointId) &&
      (m.scope.all || m.scope.organisations.some((o) => o.id === organisationId)),
  );
}

/** How the person agreed that their file goes to the partner: at the desk, or a mandate of this contact point. */
export function ConsentField({
  organisationName,
  recordedConsent,
  mandates,
  value,
  onChange,
  disabled,
  error,
}: {
  organisationName: string;
  /** A sharing agreement with this organisation already on the person's file. */
  recordedConsent?: { givenAt: string; how: string };
  mandates: MandateView[];
  value: ConsentChoice;
  onChange: (value: ConsentChoice) => void;
  disabled?: boolean;
  error?: string;
}) {
  const state = error ? ({ state: 'error', stateRelatedMessage: error } as const) : {};
  return (
    <>
      <RadioButtons
        legend="Consentement de la personne"
        name="consentement"
        disabled={disabled}
        {...state}
        options={[
          {
            label: `La personne accepte que son dossier soit transmis à ${organisationName}`,
            hintText: recordedConsent
              ? `Accord de partage déjà enregistré sur la fiche le ${formatDate(recordedConsent.givenAt)} (${(ConsentHowLabels as Record<string, string>)[recordedConsent.how] ?? recordedConsent.how}) ; confirmez-le avec la personne.`
              : 'Accord donné au guichet ; il est noté dans la saisine.',
            nativeInputProps: {
              value: 'consentement',
              checked: value?.kind === 'consentement',
              onChange: () => onChange({ kind: 'consentement' }),
            },
          },
          {
            label: 'Sous mandat',
            hintText:
              mandates.length === 0
                ? `Aucun mandat en cours de votre lieu d’accueil ne couvre ${organisationName}.`
                : `${mandates.length} mandat${mandates.length > 1 ? 's' : ''} en cours couvr${mandates.length > 1 ? 'ent' : 'e'} ${organisationName}.`,
            nativeInputProps: {
              value: 'mandat',
              disabled: mandates.length === 0,
              checked: value?.kind === 'mandat',
              onChange: () => onChange({ kind: 'mandat', mandateId: mandates.length === 1 ? (mandates[0]?.id ?? null) : null }),
            },
          },
        ]}
      />
      {value?.kind === 'mandat' && mandates.length > 1 && (
        <RadioButtons
          legend="Mandat utilisé"
          name="mandat"
          small
          disabled={disabled}
          options={mandates.map((m) => ({
            label: `${scopeLabel(m.scope)}, jusqu’au ${formatDate(m.endsAt)}`,
            nativeInputProps: {
              value: m.id,
              checked: value.mandateId === m.id,
              onChange: () => onChange({ kind: 'mandat', mandateId: m.id }),
            },
          }))}
        />
      )}
    </>
  );
}
