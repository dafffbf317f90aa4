/**
 * The emails of notifications, as plain French text. What they say comes from the caller of
 * `notify()` (a subject and a short line with no personal data beyond what the recipient may see)
 * and a link back to the app, where the details are shown to whoever may read them.
 */

export const SIGNATURE = '— Relais';

export interface PendingNotification {
  subject: string;
  body: string;
  link: string | null;
}

const accountLine = (publicUrl: string, mode: 'immediat' | 'quotidien') =>
  mode === 'immediat'
    ? `Pour recevoir plutôt un résumé par jour, changez votre choix dans « Mon compte » : ${publicUrl}/compte`
    : `Pour recevoir plutôt chaque notification à part, changez votre choix dans « Mon compte » : ${publicUrl}/compte`;

const withPrefix = (subject: string) => (subject.startsWith('Relais') ? subject : `Relais : ${subject}`);

/** One notification, one email (the « immédiat » mode). */
export function notificationEmail(n: PendingNotification, publicUrl: string) {
  const lines = [n.body.trim()];
  if (n.link) lines.push('', n.link);
  lines.push('', SIGNATURE, '', accountLine(publicUrl, 'immediat'));
  return { subject: withPrefix(n.subject), text: lines.join('\n') };
}

/** Every pending notification of one person in one email (the « quotidien » mode). */
export function digestEmail(items: PendingNotification[], publicUrl: string) {
  const count = items.length;
  const subject = `Relais : votre résumé du jour (${count} notification${count > 1 ? 's' : ''})`;
  const lines = ['Bonjour,', '', 'Voici ce qui vous attend dans Relais :', ''];
  for (const n of items) {
    lines.push(`- ${n.subject}`);
    if (n.link) lines.push(`  ${n.link}`);
  }
  lines.push('', SIGNATURE, '', accountLine(publicUrl, 'quotidien'));
  return { subject, text: lines.join('\n') };
}

/** The link of a notification, absolute on the app's public address; anything else is a programming error. */
export function absoluteLink(publicUrl: string, link: string): string {
  if (link.startsWith('/') && !link.startsWith('//')) return `${publicUrl}${link}`;
  if (link === publicUrl || link.startsWith(`${publicUrl}/`)) return link;
  throw new Error(`notify(): the link must be a path of the app or an address under ${publicUrl}, got ${link}`);
}

/**
 * Single-use secrets in links (`?jeton=…` of password-reset and invitation emails) blanked out,
 * for outbox readers other than the recipient: a coordinator or an administrator reads the email,
 * not a way into someone else's account.
 */
export function maskSecrets(text: string): string {
  return text.replace(/([?&](?:jeton|token)=)[A-Za-z0-9_-]+/gi, '$1(masqué)');
}
