import { z } from 'zod';

/**
 * General themes of a public-service request. Until the front-desk issue brings the full taxonomy,
 * contact points, partners and referents are tagged with these codes.
 */
export const Themes = [
  { code: 'papiers-citoyennete', label: 'Papiers et citoyenneté' },
  { code: 'famille', label: 'Famille' },
  { code: 'social-sante', label: 'Social et santé' },
  { code: 'emploi-formation', label: 'Emploi et formation' },
  { code: 'logement', label: 'Logement' },
  { code: 'mobilite', label: 'Mobilité et transports' },
  { code: 'argent-impots', label: 'Argent et impôts' },
  { code: 'justice', label: 'Justice et droits' },
  { code: 'etrangers', label: 'Étrangers en France' },
  { code: 'retraite', label: 'Retraite' },
  { code: 'numerique', label: 'Numérique' },
] as const;

export type ThemeCode = (typeof Themes)[number]['code'];
export const ThemeCodes = Themes.map((t) => t.code) as unknown as readonly [ThemeCode, ...ThemeCode[]];
export const ThemeCode = z.enum(ThemeCodes, { message: 'thème inconnu' });
/** A list of theme codes, each at most once. */
export const ThemeList = z
  .array(ThemeCode)
  .max(ThemeCodes.length)
  .refine((t) => new Set(t).size === t.length, { message: 'thème en double' });
export const ThemeLabels = Object.fromEntries(Themes.map((t) => [t.code, t.label])) as Record<ThemeCode, string>;

/** The French label of a theme code; the code itself when it is not (or no longer) in the list. */
export function themeLabel(code: string): string {
  return (ThemeLabels as Record<string, string>)[code] ?? code;
}
