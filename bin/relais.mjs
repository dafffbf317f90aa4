#!/usr/bin/env node
// `relais …`: the administration CLI (server/cli.ts, same commands as `npm run cli -- …`), run
// from its TypeScript sources through tsx (a runtime dependency), without a build.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`relais demande Node 24 ou plus (ici ${process.version}) : lancez-le par « npx relais … » ou « npm run cli -- … ».`);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../server/cli.ts');
