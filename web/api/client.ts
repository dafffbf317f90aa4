/** The one way the web app talks to the API: same-origin cookies, CSRF header on writes, problem+json errors. */

export interface FieldProblem {
  path: string;
  message: string;
}

/** An API answer that is not a success, read from its problem+json body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
    /** The problem's other members (e.g. survivorId of a merged file). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  /** The message for one form field (`email` matches the API path `body.email`). */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.path === field || e.path === `body.${field}`)?.message;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => {};

export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};
/** The session's CSRF token, for the few calls made outside apiRequest (uploads with progress). */
export const getCsrfToken = () => csrfToken;
/** Called on a 401 outside apiRequest: the session is gone. */
export const signalUnauthenticated = () => onUnauthenticated();
/** What to do when the session is gone (set once by the router: go to the sign-in page). */
export const setUnauthenticatedHandler = (handler: () => void) => {
  onUnauthenticated = handler;
};

interface RequestOptions {
  body?: unknown;
  /** Leave a 401 to the caller instead of sending the person to the sign-in page. */
  allowUnauthenticated?: boolean;
  signal?: AbortSignal;
  /** Extra headers (e.g. Idempotency-Key). */
  headers?: Record<string, string>;
}

async function readProblem(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const body = (await res.json().catch(() => null)) as
      | (Partial<{ code: string; detail: string; errors: FieldProblem[] }> & Record<string, unknown>)
      | null;
    if (body?.code) return new ApiError(res.status, body.code, body.detail ?? 'Une erreur est survenue.', body.errors ?? [], body);
  }
  return new ApiError(res.status, 'HTTP_ERROR', `Le serveur a répondu une erreur (${res.status}). Réessayez plus tard.`);
}

export async function apiRequest<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.');
  }
  if (!res.ok) {
    const problem = await readProblem(res);
    if (res.status === 401 && !options.allowUnauthenticated) onUnauthenticated();
    throw problem;
  }
  if (res.status === 204 || res.status === 202) return null as T;
  const text = await res.text();
  const data = (text ? JSON.parse(text) : null) as T;
  if (data && typeof data === 'object' && 'csrfToken' in data && typeof data.csrfToken === 'string') csrfToken = data.csrfToken;
  return data;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>('PATCH', path, { body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};
