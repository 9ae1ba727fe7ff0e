/**
 * The built-in reading of the session format page (section 3) as a JSON Schema: required fields,
 * and the types of the optional ones when they are present; unknown keys are normal. Plain data,
 * so that the builds can turn it into code ahead of time (precompileBuiltInValidator.ts).
 */

const string = { type: 'string' } as const;
const boolean = { type: 'boolean' } as const;
const object = { type: 'object' } as const;

export const SESSION_SCHEMA = {
  type: 'object',
  required: ['application', 'email', 'device', 'session', 'status', 'token'],
  properties: {
    application: {
      type: 'object',
      required: ['id'],
      properties: { id: string, name: string, version: string },
    },
    team: { type: 'object', properties: { id: string, name: string } },
    language: { type: 'object', properties: { id: string, code: string, region: string } },
    email: string,
    device: {
      type: 'object',
      properties: {
        id: string,
        description: string,
        version: string,
        os: string,
        simulator: boolean,
        token: string,
        jb: boolean,
      },
    },
    send: string,
    session: { type: 'object', required: ['id'], properties: { id: string, ip: string } },
    status: { enum: ['accepted', 'pending'] },
    token: string,
    parameters: object,
    userInfo: object,
  },
} as const;

/** Ajv's options for it: every error, not only the first (the details name up to five). */
export const SESSION_SCHEMA_OPTIONS = { allErrors: true } as const;
