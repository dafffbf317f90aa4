import { describe, expect, it } from 'vitest';
import { SurveyAnswerBody } from '../../../contracts/observatory.ts';
import { checkSurvey, surveyBody } from './SurveyPage.tsx';

const empty = { satisfaction: '', resolved: '', listened: '', recommend: '', comment: '' };

describe('the survey form', () => {
  it('requires the first question only, and at most 500 characters of comment', () => {
    expect(checkSurvey(empty)).toEqual({ satisfaction: expect.stringContaining('seule obligatoire') });
    expect(checkSurvey({ ...empty, satisfaction: '3' })).toEqual({});
    expect(checkSurvey({ ...empty, satisfaction: '3', comment: 'x'.repeat(501) })).toEqual({ comment: expect.stringContaining('500') });
  });

  it('sends only what was answered, in the shape the API accepts', () => {
    expect(surveyBody({ ...empty, satisfaction: '4', comment: '   ' })).toEqual({ satisfaction: 4 });
    const full = surveyBody({ satisfaction: '2', resolved: 'en_partie', listened: '3', recommend: 'non', comment: ' Merci ' });
    expect(full).toEqual({ satisfaction: 2, resolved: 'en_partie', listened: 3, recommend: false, comment: 'Merci' });
    expect(SurveyAnswerBody.safeParse(full).success).toBe(true);
  });
});
