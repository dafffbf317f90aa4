// Every module's tables, for drizzle-kit and the typed query builder. Each module owns its own.
export * from '../modules/accounts/accounts.schema.ts';
export * from '../modules/audit/audit.schema.ts';
export * from '../modules/knowledge/knowledge.schema.ts';
export * from '../modules/network/network.schema.ts';
export * from '../modules/observatory/observatory.schema.ts';
export * from '../modules/people/people.schema.ts';
export * from '../modules/requests/requests.schema.ts';
export * from '../modules/visits/visits.schema.ts';
