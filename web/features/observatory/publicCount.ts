import { formatCount } from './format.ts';

/** A public count: null means suppressed (below the threshold), shown as « moins de 10 ». */
export const publicCount = (count: number | null, threshold: number) =>
  count === null ? `moins de ${formatCount(threshold)}` : formatCount(count);
