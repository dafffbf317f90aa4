import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import type { EditableOwners, SheetView } from '../../../contracts/knowledge.ts';
import type { TaxonomyThemeView } from '../../../contracts/taxonomy.ts';
import { ApiError, api } from '../../api/client.ts';
import { ForbiddenContent } from '../../components/ForbiddenContent.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { useTaxonomy } from '../visits/queries.ts';
import { knowledgeKeys, knowledgePath, sheetPath, useEditableOwners, useSheet } from './queries.ts';
import { emptySheetValues, SheetForm, type SheetFormValues, sheetBodyOf, sheetValues } from './SheetForm.tsx';
import './knowledge.css';

/** « Nouvelle fiche »: for the referents of a partner and the coordinators (GET owners says for whom). */
export function NewSheetPage() {
  const territoryId = useTerritoryId();
  const owners = useEditableOwners(territoryId);
  const taxonomy = useTaxonomy(territoryId);
  return (
    <>
      <PageTitle>Nouvelle fiche</PageTitle>
      <QueryState query={owners}>
        {(list) =>
          list.length === 0 ? (
            <ForbiddenContent />
          ) : taxonomy.isPending ? (
            <Loading />
          ) : (
            <EditSheet territoryId={territoryId} owners={list} themes={taxonomy.data?.themes ?? []} />
          )
        }
      </QueryState>
    </>
  );
}

/** « Modifier la fiche »: a new version, based on the one the form was opened with. */
export function EditSheetPage() {
  const territoryId = useTerritoryId();
  const { sheetId = '' } = useParams();
  const sheet = useSheet(territoryId, sheetId);
  const owners = useEditableOwners(territoryId);
  const taxonomy = useTaxonomy(territoryId);
  return (
    <>
      <PageTitle>Modifier la fiche</PageTitle>
      <QueryState query={sheet}>
        {(s) =>
          !s.can.edit ? (
            <ForbiddenContent />
          ) : owners.isPending || taxonomy.isPending ? (
            <Loading />
          ) : (
            <EditSheet
              key={s.version}
              territoryId={territoryId}
              sheet={s}
              owners={withOwnerOf(s, owners.data ?? [])}
              themes={taxonomy.data?.themes ?? []}
            />
          )
        }
      </QueryState>
    </>
  );
}

/** The sheet's own owner stays a choice even if the caller could not pick it for a new sheet. */
const withOwnerOf = (sheet: SheetView, owners: EditableOwners): EditableOwners =>
  owners.some((o) => o.organisationId === (sheet.organisation?.id ?? null))
    ? owners
    : [{ organisationId: sheet.organisation?.id ?? null, label: sheet.organisation?.name ?? 'Réseau' }, ...owners];

function EditSheet(props: { territoryId: string; sheet?: SheetView; owners: EditableOwners; themes: TaxonomyThemeView[] }) {
  const { territoryId, sheet } = props;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (values: SheetFormValues) =>
      sheet
        ? api.put<SheetView>(sheetPath(territoryId, sheet.id), { ...sheetBodyOf(values), baseVersion: sheet.version })
        : api.post<SheetView>(`${knowledgePath(territoryId)}/sheets`, sheetBodyOf(values)),
    onSuccess: (saved) => {
      queryClient.setQueryData(knowledgeKeys.sheet(territoryId, saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(territoryId) });
      void navigate(`/fiches/${saved.id}`, { state: { notice: sheet ? `Version ${saved.version} enregistrée.` : 'Fiche créée.' } });
    },
  });
  const conflict = save.error instanceof ApiError && save.error.code === 'SHEET_VERSION_CONFLICT';
  return (
    <>
      {sheet && (
        <p>
          {`« ${sheet.title} », version ${sheet.version}. `}
          <Link to={`/fiches/${sheet.id}`}>Retour à la fiche sans enregistrer</Link>
        </p>
      )}
      <SheetForm
        mode="sheet"
        territoryId={territoryId}
        initial={sheet ? sheetValues(sheet) : emptySheetValues(props.owners[0]?.organisationId ?? null)}
        owners={props.owners}
        themes={props.themes}
        label={sheet ? 'Modifier la fiche' : 'Nouvelle fiche'}
        submitLabel={sheet ? 'Enregistrer la nouvelle version' : 'Créer la fiche'}
        pending={save.isPending}
        error={save.error}
        onSubmit={(values) => save.mutate(values)}
      >
        {conflict && sheet && <ConflictAlert sheetId={sheet.id} />}
      </SheetForm>
    </>
  );
}

/** Someone saved the sheet since the form was opened: say so, and how to start again from their version. */
export function ConflictAlert({ sheetId }: { sheetId: string }) {
  return (
    <Alert
      className="fr-mb-3w"
      severity="error"
      role="alert"
      title="La fiche a été modifiée entre-temps"
      description={
        <>
          Quelqu’un a enregistré une autre version pendant que vous écriviez : votre texte n’a pas été enregistré. Copiez vos ajouts, puis{' '}
          <a href={window.location.pathname}>rechargez le formulaire avec la version actuelle</a> (ou{' '}
          <Link to={`/fiches/${sheetId}`} target="_blank" rel="noopener">
            ouvrez la fiche actuelle dans un nouvel onglet
          </Link>
          ).
        </>
      }
    />
  );
}
