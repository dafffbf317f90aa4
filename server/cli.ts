import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { DataDirectoryLockedError } from './db/lock.ts';
import { migrateDatabase } from './db/migrate.ts';
import { users, userTokens } from './modules/accounts/accounts.schema.ts';
import { CliUsageError, exportCommand, importCommand } from './modules/network/import/import.cli.ts';
import { rotateKeyCommand } from './ops/rotate-key.cli.ts';
import { KeyRotationError } from './ops/rotate-key.ts';
import { recordAudit } from './platform/audit.ts';
import { newSecretToken } from './platform/crypto.ts';
import { startRelais } from './runtime.ts';
import { seedDemo } from './seed/demo.ts';

// Opening hours are computed with the process's local time: keep it UTC, whatever the host says (ADR 8).
process.env.TZ = 'UTC';

const HELP = `Relais — commandes d'administration (npm run cli -- <commande>)

  migrate                      applique les migrations de la base
  seed-demo                    crée les territoires de démonstration (Perche, Lot) s'ils manquent
  create-admin --email E --name N
                               crée un administrateur de la plateforme et affiche un lien
                               (valable 7 jours) pour choisir son mot de passe
  run-job <nom>                exécute maintenant une tâche planifiée
                               (accounts.deactivate-inactive, people.retention, webhooks.sweep)
  check-config                 vérifie les variables d'environnement et affiche la configuration
  rotate-key                   rechiffre identifiants et secrets avec une nouvelle clé secrète :
                               NEW_SECRET_KEY (base64, 32 octets) ; en mode embarqué sans
                               SECRET_KEY, la nouvelle clé est générée et remplace DATA_DIR/secret.key.
                               Serveur arrêté ; relançable si elle est interrompue.
  import anct <fichier.csv> --territory <identifiant> [--dry-run] [--all-departments]
  import data-inclusion <fichier.json> --territory <identifiant> [--dry-run]
                               importe des lieux d'accueil (liste France Services de l'ANCT,
                               export data·inclusion) et affiche le rapport ; --dry-run montre
                               les différences sans rien écrire ; --all-departments garde les
                               lignes des autres départements
  export data-inclusion --territory <identifiant> [--out <dossier>]
                               écrit le réseau du territoire au format data·inclusion (JSON)

La configuration vient des variables d'environnement (voir .env.example). En mode embarqué,
arrêtez d'abord le serveur : une seule application peut ouvrir DATA_DIR à la fois.`;

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      territory: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'all-departments': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    console.log(HELP);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'check-config': {
      const { secretKey: _secret, oidc, files, ...shown } = config;
      const storage = files.fileStorage.kind === 's3' ? { ...files.fileStorage, secretAccessKey: '(masqué)' } : files.fileStorage;
      console.log(
        JSON.stringify(
          { ...shown, oidc: oidc ? { issuer: oidc.issuer, clientId: oidc.clientId } : null, files: { ...files, fileStorage: storage } },
          null,
          2,
        ),
      );
      return 0;
    }
    case 'migrate': {
      const database = await openDatabase(config.database);
      try {
        const { applied } = await migrateDatabase(database);
        console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'La base est à jour.');
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'seed-demo': {
      const relais = await startRelais({ ...config, jobs: false }, { logger: false });
      try {
        const { created } = await seedDemo(relais.ctx, { now: relais.ctx.clock.now() });
        console.log(created ? 'Territoires de démonstration créés.' : 'Les territoires de démonstration existent déjà.');
      } finally {
        await relais.close();
      }
      return 0;
    }
    case 'create-admin': {
      if (!values.email || !values.name) throw new UsageError('create-admin demande --email et --name');
      const relais = await startRelais({ ...config, jobs: false }, { logger: false });
      try {
        const email = values.email.trim().toLowerCase();
        const { token, hash } = newSecretToken();
        const invited = await relais.ctx.db.transaction(async (tx) => {
          const [existing] = await tx.select().from(users).where(eq(users.email, email));
          const [user] = existing
            ? await tx.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, existing.id)).returning()
            : await tx.insert(users).values({ email, displayName: values.name!, status: 'invited', isPlatformAdmin: true }).returning();
          await tx.insert(userTokens).values({
            userId: user!.id,
            purpose: existing ? 'password_reset' : 'invitation',
            tokenHash: hash,
            expiresAt: new Date(Date.now() + 7 * 86_400_000),
          });
          await recordAudit(
            tx,
            {},
            { type: 'membership.granted', targetType: 'user', targetId: user!.id, data: { role: 'platform_admin', via: 'cli' } },
          );
          return !existing;
        });
        const path = invited ? 'invitation' : 'reinitialiser-mot-de-passe';
        console.log(
          `Administrateur ${email} prêt. Lien pour choisir le mot de passe (7 jours) :\n${config.publicUrl}/${path}?jeton=${token}`,
        );
      } finally {
        await relais.close();
      }
      return 0;
    }
    case 'rotate-key':
      return rotateKeyCommand(config);
    case 'run-job': {
      const [name] = rest;
      if (!name) throw new UsageError('run-job demande le nom de la tâche');
      const relais = await startRelais({ ...config, jobs: false }, { logger: false });
      try {
        await relais.ctx.jobs.runNow(name);
        console.log(`Tâche ${name} exécutée.`);
      } finally {
        await relais.close();
      }
      return 0;
    }
    case 'import':
    case 'export': {
      const relais = await startRelais({ ...config, jobs: false }, { logger: false });
      try {
        const [format, file] = rest;
        return command === 'import'
          ? await importCommand(relais.ctx, {
              format,
              file,
              territory: values.territory,
              dryRun: values['dry-run'] ?? false,
              allDepartments: values['all-departments'] ?? false,
            })
          : await exportCommand(relais.ctx, { format, territory: values.territory, out: values.out });
      } catch (error) {
        if (error instanceof CliUsageError) throw new UsageError(error.message);
        throw error;
      } finally {
        await relais.close();
      }
    }
    default:
      throw new UsageError(`commande inconnue : ${command}`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${HELP}`);
    else if (error instanceof ConfigError || error instanceof DataDirectoryLockedError || error instanceof KeyRotationError)
      console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
