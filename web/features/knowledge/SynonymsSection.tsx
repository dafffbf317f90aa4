import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { SynonymsView } from '../../../contracts/knowledge.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { knowledgeKeys, knowledgePath } from './queries.ts';

type Synonyms = z.infer<typeof SynonymsView>;

/** One group per line, expressions separated by commas (« RDV, rendez-vous »). */
export const groupsToText = (groups: string[][]) => groups.map((g) => g.join(', ')).join('\n');
export const textToGroups = (text: string) =>
  text
    .split('\n')
    .map((line) =>
      line
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .filter((g) => g.length > 0);

/** The coordination's own synonyms, searched like the built-in ones (« Recherche élargie »). */
export function SynonymsSection({ territoryId }: { territoryId: string }) {
  const queryClient = useQueryClient();
  const key = [...knowledgeKeys.all(territoryId), 'synonyms'];
  const synonyms = useQuery({ queryKey: key, queryFn: () => api.get<Synonyms>(`${knowledgePath(territoryId)}/synonyms`) });
  const [text, setText] = useState('');
  useEffect(() => {
    if (synonyms.data) setText(groupsToText(synonyms.data.groups));
  }, [synonyms.data]);
  const lonely = textToGroups(text).filter((g) => g.length < 2);
  const save = useMutation({
    mutationFn: () => api.put<Synonyms>(`${knowledgePath(territoryId)}/synonyms`, { groups: textToGroups(text) }),
    onSuccess: (data) => {
      queryClient.setQueryData(key, data);
      void queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(territoryId) });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (lonely.length) return;
    save.mutate();
  };
  return (
    <section aria-labelledby="titre-synonymes" className="fr-mt-6w">
      <h2 id="titre-synonymes" className="fr-h4">
        Synonymes de la recherche
      </h2>
      <p>
        Quand une personne cherche l’une des expressions d’un groupe, la recherche trouve aussi les fiches qui emploient les autres. Relais
        en connaît déjà {synonyms.data?.builtIn.length ?? '…'} groupes (sigles des organismes, anciens noms, mots de tous les jours) ;
        ajoutez ceux de votre territoire.
      </p>
      {synonyms.data && (
        <details className="fr-mb-3w">
          <summary>Voir les groupes fournis par Relais</summary>
          <ul className="fr-text--sm">
            {synonyms.data.builtIn.map((g) => (
              <li key={g.join('|')}>{g.join(' · ')}</li>
            ))}
          </ul>
        </details>
      )}
      <form noValidate onSubmit={onSubmit} aria-label="Synonymes du territoire" className="fr-col-12 fr-col-md-8 fr-px-0">
        <Input
          label="Groupes du territoire"
          hintText="Un groupe par ligne, expressions séparées par des virgules. Exemple : CIAS, centre intercommunal d’action sociale"
          textArea
          state={lonely.length ? 'error' : 'default'}
          stateRelatedMessage={
            lonely.length ? `Un groupe compte au moins deux expressions : « ${lonely[0]!.join('')} » est seul.` : undefined
          }
          nativeTextAreaProps={{ rows: 6, value: text, onChange: (e) => setText(e.target.value), name: 'synonyms' }}
        />
        <Button type="submit" disabled={save.isPending || !synonyms.data}>
          Enregistrer les synonymes
        </Button>
      </form>
      <div aria-live="polite">
        {save.isSuccess && <SuccessAlert>Synonymes enregistrés : la recherche les utilise dès maintenant.</SuccessAlert>}
        <ProblemAlert error={save.error ?? synonyms.error} />
      </div>
    </section>
  );
}
