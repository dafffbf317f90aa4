import { z } from 'zod';

export const Uuid = z.uuid({ message: 'identifiant invalide' });
export const Email = z
  .email({ message: 'adresse e-mail invalide' })
  .max(254)
  .transform((v) => v.trim().toLowerCase());
/** ANSSI: at least 12 characters; the upper bound keeps hashing cheap for an attacker-chosen input. */
export const NewPassword = z
  .string()
  .min(12, { message: 'le mot de passe doit contenir au moins 12 caractères' })
  .max(200, { message: 'le mot de passe doit contenir au plus 200 caractères' });
export const IdParams = z.strictObject({ id: Uuid });
export const TerritoryParams = z.strictObject({ territoryId: Uuid });
export const Roles = ['agent', 'referent', 'manager', 'coordinator'] as const;
export const Role = z.enum(Roles);
export const RoleLabels: Record<(typeof Roles)[number], string> = {
  agent: 'Agent d’accueil',
  referent: 'Référent partenaire',
  manager: 'Responsable partenaire',
  coordinator: 'Coordinateur du territoire',
};
