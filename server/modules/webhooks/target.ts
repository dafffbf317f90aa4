import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../../platform/errors.ts';
import { refusedRange } from './ip-policy.ts';

export interface ResolvedTarget {
  url: URL;
  /** Every address the host resolved to, all checked: the delivery connects to these only. */
  addresses: { address: string; family: 4 | 6 }[];
}

const DNS_TIMEOUT_MS = 5000;
const refused = (message: string) => new AppError('WEBHOOK_URL_REFUSED', 422, message);

async function resolveHost(host: string): Promise<ResolvedTarget['addresses']> {
  if (isIP(host)) return [{ address: host, family: isIP(host) as 4 | 6 }];
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), DNS_TIMEOUT_MS);
      }),
    ]);
    return found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks a webhook's address and resolves its host, at creation and before each delivery:
 * https only (http too when private addresses are allowed), no credentials, and every address
 * the name resolves to must be public (ip-policy.ts) unless WEBHOOKS_ALLOW_PRIVATE. Throws
 * 422 WEBHOOK_URL_REFUSED with the reason in French.
 */
export async function resolveWebhookTarget(raw: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('Cette adresse de webhook n’est pas une URL valide.');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw refused('L’adresse d’un webhook doit commencer par https://.');
  }
  if (url.username || url.password) {
    throw refused('L’adresse d’un webhook ne peut pas contenir d’identifiant ni de mot de passe : le secret de signature suffit.');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await resolveHost(host);
  if (!addresses.length) throw refused(`Le nom « ${host} » ne correspond à aucune adresse : vérifiez l’adresse du webhook.`);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const why = refusedRange(address);
      if (why) {
        throw refused(`L’adresse « ${host} » mène à ${address}, ${why} : un webhook doit joindre un serveur public sur Internet.`);
      }
    }
  }
  return { url, addresses };
}
