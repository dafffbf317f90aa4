import { useQuery } from '@tanstack/react-query';
import type { CreateSurveyLinkBody, SurveyLinksView, SurveyLinkView } from '../../../contracts/surveys.ts';
import { api } from '../../api/client.ts';

export const surveyLinksPath = (territoryId: string) => `/api/territories/${territoryId}/observatory/survey-links`;

export const surveyKeys = {
  links: (territoryId: string, contactPointId: string) => ['territory', territoryId, 'survey-links', contactPointId] as const,
  receipt: (territoryId: string, visitId: string) => ['territory', territoryId, 'survey-receipt', visitId] as const,
};

export const useSurveyLinks = (territoryId: string, contactPointId: string) =>
  useQuery({
    queryKey: surveyKeys.links(territoryId, contactPointId),
    queryFn: () => api.get<SurveyLinksView>(`${surveyLinksPath(territoryId)}?contactPointId=${contactPointId}`),
  });

export const createSurveyLink = (territoryId: string, body: CreateSurveyLinkBody) =>
  api.post<SurveyLinkView>(surveyLinksPath(territoryId), body);

/** The short address printed under a QR code: without the scheme. */
export const shortUrl = (url: string) => url.replace(/^https?:\/\//, '');
