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

/** A free-text field: trimmed, never empty (null clears it on update). */
export const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'ne peut pas être vide (laissez le champ vide pour l’effacer)' })
    .max(max, { message: `au plus ${max} caractères` });
/** French numbers: 10 digits from 0 (01 to 09), +33 or an overseas prefix, or a 4-digit service number (3646). */
const PHONE = /^(?:(?:0|\+33|\+262|\+269|\+508|\+590|\+594|\+596|\+681|\+687|\+689)[1-9][0-9]{8}|[1-9][0-9]{3})$/;
export const Phone = z
  .string()
  .trim()
  .max(30, { message: 'numéro de téléphone trop long' })
  .refine((v) => PHONE.test(v.replace(/[\s.\-()]/g, '').replace(/^\+33\(?0\)?/, '+33')), {
    message: 'numéro de téléphone français attendu, par exemple 02 33 25 00 00, +33 2 33 25 00 00 ou 3646',
  });
/** http(s) only: a javascript: or data: link would run in the browsers of whoever follows it. */
export const WebUrl = z
  .url({ protocol: /^https?$/, hostname: z.regexes.domain, message: 'adresse web commençant par https:// ou http://' })
  .max(500, { message: 'adresse web trop longue' });
/** A public contact address (of a place, an organisation or a referent). */
export const ContactEmail = z.email({ message: 'adresse e-mail invalide' }).max(254).trim().toLowerCase();
