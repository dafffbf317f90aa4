import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { type BusSeriesResult, type BusStopView, CreateBusSeriesBody, CreateBusStopBody, Weekdays } from '../../../contracts/partners.ts';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { partnerKeys } from '../partners/queries.ts';

const orNull = (value: string) => value.trim() || null;
const number = (value: string) => (value.trim() ? Number(value.replace(',', '.')) : null);

const whereOf = (form: FormData) => ({
  commune: formText(form, 'commune'),
  inseeCode: formText(form, 'inseeCode').trim(),
  place: formText(form, 'place'),
  latitude: number(formText(form, 'latitude')),
  longitude: number(formText(form, 'longitude')),
  note: orNull(formText(form, 'note')),
});

function WhereFields({ prefix, errors, error }: { prefix: string; errors: FieldErrors; error: unknown }) {
  return (
    <>
      <Input
        label="Commune"
        nativeInputProps={{ id: `${prefix}-commune`, name: 'commune', required: true }}
        {...fieldState('commune', errors, error)}
      />
      <Input
        label="Code INSEE de la commune"
        hintText="5 caractères, par exemple 61038"
        nativeInputProps={{ id: `${prefix}-insee`, name: 'inseeCode', required: true, inputMode: 'numeric' }}
        {...fieldState('inseeCode', errors, error)}
      />
      <Input
        label="Lieu de l’arrêt"
        hintText="Par exemple : place de l’église, parking de la salle des fêtes"
        nativeInputProps={{ id: `${prefix}-lieu`, name: 'place', required: true }}
        {...fieldState('place', errors, error)}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-6">
          <Input
            label="Latitude (facultatif)"
            nativeInputProps={{ id: `${prefix}-lat`, name: 'latitude', inputMode: 'decimal' }}
            {...fieldState('latitude', errors, error)}
          />
        </div>
        <div className="fr-col-6">
          <Input
            label="Longitude (facultatif)"
            nativeInputProps={{ id: `${prefix}-lon`, name: 'longitude', inputMode: 'decimal' }}
            {...fieldState('longitude', errors, error)}
          />
        </div>
      </div>
      <Input
        label="Remarque (facultatif)"
        nativeInputProps={{ id: `${prefix}-note`, name: 'note' }}
        {...fieldState('note', errors, error)}
      />
    </>
  );
}

function TimeFields({ prefix, errors, error }: { prefix: string; errors: FieldErrors; error: unknown }) {
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-6">
        <Input
          label="Heure de début"
          hintText="Heure locale du territoire"
          nativeInputProps={{ id: `${prefix}-debut`, name: 'startTime', type: 'time', required: true }}
          {...fieldState('startTime', errors, error)}
        />
      </div>
      <div className="fr-col-6">
        <Input
          label="Heure de fin"
          hintText="Après l’heure de début"
          nativeInputProps={{ id: `${prefix}-fin`, name: 'endTime', type: 'time', required: true }}
          {...fieldState('endTime', errors, error)}
        />
      </div>
    </div>
  );
}

export function BusStopForm({ territoryId, contactPointId }: { territoryId: string; contactPointId: string }) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: z.infer<typeof CreateBusStopBody>) =>
      api.post<BusStopView>(`/api/territories/${territoryId}/contact-points/${contactPointId}/bus-stops`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: partnerKeys.busStops(territoryId, contactPointId) }),
  });
  const { errors, onSubmit } = useValidatedForm(
    CreateBusStopBody,
    (form) => ({
      ...whereOf(form),
      date: formText(form, 'date'),
      startTime: formText(form, 'startTime'),
      endTime: formText(form, 'endTime'),
    }),
    (body, form) => create.mutate(body, { onSuccess: () => form.reset() }),
  );
  return (
    <form noValidate onSubmit={onSubmit} aria-label="Ajouter un arrêt">
      {create.isSuccess && <SuccessAlert>{`Arrêt du ${create.data.date} à ${create.data.commune} ajouté.`}</SuccessAlert>}
      <ProblemAlert error={create.error} />
      <Input
        label="Date"
        nativeInputProps={{ id: 'arret-date', name: 'date', type: 'date', required: true }}
        {...fieldState('date', errors, create.error)}
      />
      <TimeFields prefix="arret" errors={errors} error={create.error} />
      <WhereFields prefix="arret" errors={errors} error={create.error} />
      <Button type="submit" disabled={create.isPending}>
        Ajouter l’arrêt
      </Button>
    </form>
  );
}

export function BusSeriesForm({ territoryId, contactPointId }: { territoryId: string; contactPointId: string }) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: z.infer<typeof CreateBusSeriesBody>) =>
      api.post<BusSeriesResult>(`/api/territories/${territoryId}/contact-points/${contactPointId}/bus-stops/series`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: partnerKeys.busStops(territoryId, contactPointId) }),
  });
  const { errors, onSubmit } = useValidatedForm(
    CreateBusSeriesBody,
    (form) => ({
      ...whereOf(form),
      from: formText(form, 'from'),
      to: formText(form, 'to'),
      weekday: formText(form, 'weekday'),
      startTime: formText(form, 'startTime'),
      endTime: formText(form, 'endTime'),
      skipHolidays: form.get('skipHolidays') === 'on',
    }),
    (body, form) => create.mutate(body, { onSuccess: () => form.reset() }),
  );
  return (
    <form noValidate onSubmit={onSubmit} aria-label="Ajouter une tournée hebdomadaire">
      {create.isSuccess && (
        <SuccessAlert>{`${create.data.created.length} arrêt(s) ajouté(s).${
          create.data.skipped.length ? ` Non créés : ${create.data.skipped.map((s) => `${s.date} (${s.reason})`).join(', ')}.` : ''
        }`}</SuccessAlert>
      )}
      <ProblemAlert error={create.error} />
      <Select
        label="Jour de la semaine"
        nativeSelectProps={{ id: 'serie-jour', name: 'weekday', required: true }}
        {...fieldState('weekday', errors, create.error)}
      >
        {Weekdays.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </Select>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-6">
          <Input
            label="Du"
            nativeInputProps={{ id: 'serie-du', name: 'from', type: 'date', required: true }}
            {...fieldState('from', errors, create.error)}
          />
        </div>
        <div className="fr-col-6">
          <Input
            label="Au"
            nativeInputProps={{ id: 'serie-au', name: 'to', type: 'date', required: true }}
            {...fieldState('to', errors, create.error)}
          />
        </div>
      </div>
      <TimeFields prefix="serie" errors={errors} error={create.error} />
      <WhereFields prefix="serie" errors={errors} error={create.error} />
      <Checkbox
        options={[
          { label: 'Pas d’arrêt les jours fériés', nativeInputProps: { id: 'serie-feries', name: 'skipHolidays', defaultChecked: true } },
        ]}
      />
      <Button type="submit" disabled={create.isPending}>
        Ajouter la tournée
      </Button>
    </form>
  );
}
