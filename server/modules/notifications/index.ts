/** What other modules use of notifications: tell people something, and when a reminder may leave. */
export { type NotifyInput, notify } from './notify.ts';
export { nextBusinessInstant, type Zone, zoneOf } from './schedule.ts';
