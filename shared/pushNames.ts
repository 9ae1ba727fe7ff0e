/**
 * The few push names and bounds the command line's options are made of, apart from push.ts's
 * schemas: `mobile-sessions --help` needs them, and loading Zod for them doubled its start-up.
 */

/** `rest-login`: the 4D REST login flow (an exposed authentication function, then the session cookie). */
/** How the app authenticates to the 4D Server's Push endpoint: the one list, for types and schemas. */
export const PUSH_AUTH_KINDS = ['none', 'bearer', 'basic', 'rest-login'] as const;
export type PushAuthKind = (typeof PUSH_AUTH_KINDS)[number];

export const MIN_PUSH_TIMEOUT_MS = 100;
export const MAX_PUSH_TIMEOUT_MS = 600_000;

/** The environment variable the command line reads a push secret from. */
export const PUSH_SECRET_ENV = 'MOBILE_SESSIONS_PUSH_SECRET';
