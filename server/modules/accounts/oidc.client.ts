import * as oidc from 'openid-client';
import type { AppContext } from '../../app-context.ts';

const cache = new WeakMap<AppContext, Promise<oidc.Configuration>>();

/**
 * The provider's configuration, discovered on first use and kept per app; a failed discovery is
 * retried next time. Null when OIDC is not configured.
 */
export function oidcConfiguration(ctx: AppContext): Promise<oidc.Configuration> | null {
  const settings = ctx.config.oidc;
  if (!settings) return null;
  let discovered = cache.get(ctx);
  if (!discovered) {
    discovered = oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret, // sent as client_secret_post, as ProConnect expects
        undefined,
        { execute: settings.allowHttp ? [oidc.allowInsecureRequests] : [], timeout: 10 },
      )
      .catch((error) => {
        cache.delete(ctx);
        throw error;
      });
    cache.set(ctx, discovered);
  }
  return discovered;
}

/**
 * Where to send the browser so the person is signed out of the provider too (ProConnect keeps
 * its own session: without this, the next "ProConnect" click signs the person straight back in,
 * which matters on a shared front-desk computer). Null when the provider offers no logout or
 * cannot be reached: the local sign-out has happened anyway.
 */
export async function oidcLogoutUrl(ctx: AppContext, sealedIdToken: string | null): Promise<string | null> {
  const configuration = oidcConfiguration(ctx);
  if (!configuration || !sealedIdToken) return null;
  try {
    const config = await configuration;
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      id_token_hint: ctx.secretBox.open(sealedIdToken),
      post_logout_redirect_uri: `${ctx.config.publicUrl}/connexion`,
      state: oidc.randomState(),
    }).href;
  } catch {
    return null;
  }
}
