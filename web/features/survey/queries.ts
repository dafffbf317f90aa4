import { useQuery } from '@tanstack/react-query';
import type { CreateSurveyLinkBody, SurveyLinksView, SurveyLinkView } from '../../../contracts/surveys.ts';
import type { VisitChannel } from '../../../contracts/visits.ts';
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

/**
 * The one-answer link of a visit's receipt. Kept in the tab's session storage (not on the server:
 * links name no visit) so that reloading or reprinting the receipt shows the same link instead of
 * making another one, until it expires or the tab is closed.
 */
export async function receiptSurveyLink(territoryId: string, visit: { id: string; contactPointId: string; channel: VisitChannel }) {
  const key = `relais.recu.${visit.id}`;
  const kept = readKept(key);
  if (kept) return kept;
  const link = await createSurveyLink(territoryId, {
    contactPointId: visit.contactPointId,
    context: 'accueil',
    channel: visit.channel,
  });
  try {
    sessionStorage.setItem(key, JSON.stringify(link));
  } catch {
    // Storage full or refused: the receipt still shows its link, a reload makes another.
  }
  return link;
}

function readKept(key: string): SurveyLinkView | null {
  try {
    const raw = sessionStorage.getItem(key);
    const link = raw ? (JSON.parse(raw) as SurveyLinkView) : null;
    if (link && (!link.expiresAt || Date.parse(link.expiresAt) > Date.now() + 60_000)) return link;
    sessionStorage.removeItem(key);
  } catch {
    // Unreadable: make a new link.
  }
  return null;
}
