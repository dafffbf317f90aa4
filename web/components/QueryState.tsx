import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { ForbiddenContent } from './ForbiddenContent.tsx';
import { Loading } from './Loading.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';

/** Renders a query's data, or its loading state, or its error (a 403 shows the access-denied message). */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 403) return <ForbiddenContent />;
    return <ProblemAlert error={query.error} />;
  }
  return <>{children(query.data)}</>;
}
