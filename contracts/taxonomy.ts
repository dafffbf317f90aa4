import { z } from 'zod';
import { Text, Uuid } from './common.ts';
import { type ThemeCode, Themes } from './themes.ts';

/**
 * The themes a visit is counted under, for one territory:
 * - the national themes (contracts/themes.ts);
 * - one theme per procedure of each partner of the territory (partner × procedure, code
 *   `p.<acronym>.<procedure>`, derived, never stored);
 * - the territory's own themes (table territory_themes, optionally under a parent theme);
 * and the reporting groups that count them (the territory's own, or the national default below).
 */

export const ThemeKinds = ['national', 'partenaire', 'territoire'] as const;
export type ThemeKind = (typeof ThemeKinds)[number];
export const ThemeKindLabels: Record<ThemeKind, string> = {
  national: 'Thème national',
  partenaire: 'Démarche d’un partenaire',
  territoire: 'Thème du territoire',
};

/**
 * National default grouping, modelled on the Lozère activity figures: used while a territory has
 * not defined its own reporting groups. Every national theme code is in exactly one group.
 */
export const DEFAULT_REPORTING_GROUPS: readonly { code: string; label: string; themeCodes: readonly ThemeCode[] }[] = [
  { code: 'emploi-formation', label: 'Emploi et formation', themeCodes: ['emploi-formation'] },
  { code: 'protection-sociale', label: 'Protection sociale', themeCodes: ['social-sante', 'famille', 'retraite'] },
  { code: 'action-sociale-logement', label: 'Action sociale et logement', themeCodes: ['logement'] },
  { code: 'services-etat', label: 'Services de l’État', themeCodes: ['papiers-citoyennete', 'argent-impots', 'etrangers', 'mobilite'] },
  { code: 'juridique', label: 'Juridique', themeCodes: ['justice'] },
  { code: 'autres', label: 'Autres', themeCodes: ['numerique'] },
];
/** The group a theme falls in when nothing places it. */
export const DEFAULT_GROUP_CODE = 'autres';

/** The default group of a national theme code (every one has one). */
export function defaultGroupOf(themeCode: string): string {
  return DEFAULT_REPORTING_GROUPS.find((g) => (g.themeCodes as readonly string[]).includes(themeCode))?.code ?? DEFAULT_GROUP_CODE;
}

/** Lower-case ASCII words joined by '-' (used for derived partner × procedure codes). */
export function slugify(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** The derived code of a partner's procedure theme. */
export function procedureThemeCode(acronym: string, procedure: string): string {
  return `p.${slugify(acronym)}.${slugify(procedure)}`;
}

/** Any theme code a visit may carry (national, partner × procedure, territory). */
export const ThemeRef = z
  .string()
  .trim()
  .min(1, { message: 'thème vide' })
  .max(140, { message: 'code de thème trop long' })
  .regex(/^[a-z0-9.-]+$/, { message: 'code de thème invalide' });

/** A code a coordinator gives to a territory theme: lower-case letters, digits and dashes. */
export const TerritoryThemeCode = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, { message: 'code : 2 à 60 lettres minuscules, chiffres ou tirets' })
  .refine((c) => !Themes.some((t) => t.code === c), { message: 'ce code est celui d’un thème national' });

export const TaxonomyThemeView = z.object({
  code: z.string(),
  label: z.string(),
  kind: z.enum(ThemeKinds),
  /** The national (or territory) theme it sits under, if any. */
  parentCode: z.string().nullable(),
  /** The partner organisation of a partner × procedure theme (or of a territory theme that names one). */
  organisationId: z.string().nullable(),
  /** The reporting group that counts it (null if the territory's groups leave it out). */
  groupCode: z.string().nullable(),
  /** Territory themes only: id for the coordinator's edits. */
  id: z.string().nullable(),
  archived: z.boolean(),
});
export type TaxonomyThemeView = z.infer<typeof TaxonomyThemeView>;

export const ReportingGroupView = z.object({
  /** null for the national default grouping (not stored). */
  id: z.string().nullable(),
  code: z.string(),
  label: z.string(),
  sortOrder: z.number().int(),
  themeCodes: z.array(z.string()),
});
export type ReportingGroupView = z.infer<typeof ReportingGroupView>;

export const TaxonomyView = z.object({
  /** Active themes first by kind (national, partner, territory), then archived territory themes. */
  themes: z.array(TaxonomyThemeView),
  groups: z.array(ReportingGroupView),
  /** true while the territory uses the national default grouping. */
  defaultGrouping: z.boolean(),
});
export type TaxonomyView = z.infer<typeof TaxonomyView>;

export const CreateTerritoryThemeBody = z.strictObject({
  code: TerritoryThemeCode,
  label: Text(120),
  parentCode: ThemeRef.nullable().optional(),
  organisationId: Uuid.nullable().optional(),
});
export type CreateTerritoryThemeBody = z.infer<typeof CreateTerritoryThemeBody>;

export const UpdateTerritoryThemeBody = z
  .strictObject({
    label: Text(120).optional(),
    /** true archives (no longer offered for new visits, still counted in past ones); false restores. */
    archived: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'rien à modifier' });
export type UpdateTerritoryThemeBody = z.infer<typeof UpdateTerritoryThemeBody>;

const GroupCode = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, { message: 'code : 2 à 60 lettres minuscules, chiffres ou tirets' });
const GroupThemes = z
  .array(ThemeRef)
  .max(500)
  .refine((t) => new Set(t).size === t.length, { message: 'thème en double' });

/** themeCodes: the themes this group counts; a theme counted by another group moves to this one. */
export const CreateReportingGroupBody = z.strictObject({
  code: GroupCode,
  label: Text(120),
  sortOrder: z.number().int().min(0).max(1000).optional(),
  themeCodes: GroupThemes.optional(),
});
export type CreateReportingGroupBody = z.infer<typeof CreateReportingGroupBody>;

/** themeCodes replaces the group's themes (those removed are left out of every group). */
export const UpdateReportingGroupBody = z
  .strictObject({
    label: Text(120).optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
    themeCodes: GroupThemes.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'rien à modifier' });
export type UpdateReportingGroupBody = z.infer<typeof UpdateReportingGroupBody>;

export const TaxonomyItemParams = z.strictObject({ territoryId: Uuid, id: Uuid });
