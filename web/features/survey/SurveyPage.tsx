import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ResolvedLabels, ResolvedValues, SatisfactionLabels, type SurveyAnswerBody } from '../../../contracts/observatory.ts';
import { type PublicSurveyView, SURVEY_ANONYMITY_NOTE } from '../../../contracts/surveys.ts';
import { ApiError, api } from '../../api/client.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import './survey.css';

const LEVELS = [4, 3, 2, 1] as const;
const LISTENED_LABELS: Record<number, string> = {
  4: 'Oui, tout à fait',
  3: 'Plutôt oui',
  2: 'Plutôt non',
  1: 'Non, pas du tout',
};
export const COMMENT_MAX = 500;

/** What the person chose; checked before sending (only the first question is required). */
export interface SurveyDraft {
  satisfaction: string;
  resolved: string;
  listened: string;
  recommend: string;
  comment: string;
}

export function checkSurvey(d: SurveyDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!d.satisfaction) errors.satisfaction = 'Choisissez une réponse à cette question : c’est la seule obligatoire.';
  if (d.comment.length > COMMENT_MAX) errors.comment = `Votre commentaire dépasse ${COMMENT_MAX} caractères.`;
  return errors;
}

export function surveyBody(d: SurveyDraft): SurveyAnswerBody {
  const comment = d.comment.trim();
  return {
    satisfaction: Number(d.satisfaction),
    ...(d.resolved ? { resolved: d.resolved as SurveyAnswerBody['resolved'] } : {}),
    ...(d.listened ? { listened: Number(d.listened) } : {}),
    ...(d.recommend ? { recommend: d.recommend === 'oui' } : {}),
    ...(comment ? { comment } : {}),
  };
}

const placeOf = (s: PublicSurveyView) =>
  s.busStop ? `${s.contactPoint}, à l’arrêt ${s.busStop}` : s.commune ? `${s.contactPoint} (${s.commune})` : s.contactPoint;

/** The public survey (no sign-in), from a receipt, a poster's QR code or a closed request's status page. */
export function SurveyPage() {
  const { token = '' } = useParams();
  const survey = useQuery({
    queryKey: ['public-survey', token],
    queryFn: () => api.get<PublicSurveyView>(`/api/public/surveys/${encodeURIComponent(token)}`, { allowUnauthenticated: true }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [done, setDone] = useState(false);
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-7 relais-survey">
        {done ? (
          <Thanks />
        ) : survey.isPending ? (
          <>
            <PageTitle>Donnez votre avis</PageTitle>
            <Loading />
          </>
        ) : survey.isError ? (
          <Unavailable error={survey.error} />
        ) : (
          <SurveyForm token={token} survey={survey.data} onDone={() => setDone(true)} />
        )}
      </div>
    </div>
  );
}

function Unavailable({ error }: { error: unknown }) {
  const code = error instanceof ApiError ? error.code : '';
  const title =
    code === 'SURVEY_LINK_USED'
      ? 'Vous avez déjà répondu'
      : code === 'SURVEY_LINK_EXPIRED'
        ? 'Ce questionnaire n’est plus ouvert'
        : code === 'SURVEY_LINK_UNKNOWN'
          ? 'Questionnaire introuvable'
          : 'Questionnaire indisponible';
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <ProblemAlert error={error} title={title} />
      <p className="fr-mt-3w">
        {code === 'SURVEY_LINK_USED'
          ? 'Une seule réponse est possible par reçu. Merci d’avoir pris le temps de répondre.'
          : 'Vous pouvez toujours donner votre avis de vive voix à votre lieu d’accueil.'}{' '}
        <Link to="/trouver">Trouver un lieu d’accueil</Link>
      </p>
    </>
  );
}

function Thanks() {
  return (
    <>
      <PageTitle>Merci pour votre avis</PageTitle>
      <div className="fr-alert fr-alert--success fr-mb-3w" role="status">
        <h2 className="fr-alert__title">Votre réponse est enregistrée</h2>
        <p>Elle aide les lieux d’accueil à mieux vous recevoir. Elle reste anonyme.</p>
      </div>
      <p>
        <Link to="/trouver">Trouver un lieu d’accueil près de chez vous</Link>
      </p>
    </>
  );
}

function SurveyForm({ token, survey, onDone }: { token: string; survey: PublicSurveyView; onDone: () => void }) {
  const [draft, setDraft] = useState<SurveyDraft>({ satisfaction: '', resolved: '', listened: '', recommend: '', comment: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const summary = useRef<HTMLDivElement>(null);
  const send = useMutation({
    mutationFn: (body: SurveyAnswerBody) =>
      api.post<null>(`/api/public/surveys/${encodeURIComponent(token)}`, body, { allowUnauthenticated: true }),
    onSuccess: onDone,
  });
  const set = (field: keyof SurveyDraft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkSurvey(draft);
    setErrors(found);
    if (Object.keys(found).length) {
      document.querySelector<HTMLInputElement>(found.satisfaction ? 'input[name="satisfaction"]' : '#avis-commentaire')?.focus();
      return;
    }
    send.mutate(surveyBody(draft));
  };
  const radios = (field: keyof SurveyDraft, choices: { value: string; label: string }[]) =>
    choices.map((c) => ({
      label: c.label,
      nativeInputProps: { value: c.value, checked: draft[field] === c.value, onChange: () => set(field)(c.value) },
    }));
  return (
    <>
      <PageTitle>Donnez votre avis</PageTitle>
      <p className="fr-text--lead fr-mb-2w">{`Votre passage à ${placeOf(survey)} : 1 minute, 4 questions.`}</p>
      <p className="fr-text--sm relais-survey-anonymous">
        <span className="fr-icon-lock-line fr-icon--sm" aria-hidden="true" /> {SURVEY_ANONYMITY_NOTE}
      </p>
      <form noValidate aria-label="Questionnaire de satisfaction" onSubmit={onSubmit}>
        <div ref={summary} tabIndex={-1} aria-live="polite">
          <ProblemAlert error={send.error} className="fr-mb-3w" />
        </div>
        <RadioButtons
          legend="Êtes-vous satisfait(e) de l’accueil ?"
          hintText="Obligatoire"
          name="satisfaction"
          options={radios(
            'satisfaction',
            LEVELS.map((n) => ({ value: String(n), label: SatisfactionLabels[n] ?? String(n) })),
          )}
          state={errors.satisfaction ? 'error' : 'default'}
          stateRelatedMessage={errors.satisfaction}
        />
        <RadioButtons
          legend="Votre question ou démarche a-t-elle avancé ?"
          hintText="Facultatif"
          name="resolved"
          orientation="horizontal"
          options={radios(
            'resolved',
            ResolvedValues.map((v) => ({ value: v, label: ResolvedLabels[v] })),
          )}
        />
        <RadioButtons
          legend="Vous êtes-vous senti(e) écouté(e) et les explications étaient-elles claires ?"
          hintText="Facultatif"
          name="listened"
          options={radios(
            'listened',
            LEVELS.map((n) => ({ value: String(n), label: LISTENED_LABELS[n] ?? String(n) })),
          )}
        />
        <RadioButtons
          legend="Recommanderiez-vous ce lieu à un proche ?"
          hintText="Facultatif"
          name="recommend"
          orientation="horizontal"
          options={radios('recommend', [
            { value: 'oui', label: 'Oui' },
            { value: 'non', label: 'Non' },
          ])}
        />
        <Input
          textArea
          label="Un commentaire ? (facultatif, ne donnez pas d’informations personnelles)"
          hintText={`${COMMENT_MAX} caractères au plus — ${COMMENT_MAX - draft.comment.length} restants`}
          nativeTextAreaProps={{
            id: 'avis-commentaire',
            name: 'comment',
            rows: 4,
            maxLength: COMMENT_MAX,
            value: draft.comment,
            onChange: (e) => set('comment')(e.target.value),
          }}
          state={errors.comment ? 'error' : 'default'}
          stateRelatedMessage={errors.comment}
        />
        <Button type="submit" iconId="fr-icon-send-plane-line" iconPosition="right" disabled={send.isPending}>
          Envoyer mon avis
        </Button>
      </form>
    </>
  );
}
