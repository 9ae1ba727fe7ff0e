/**
 * The built-in schema's validator (sessionSchema.ts). Run from source (the tests), Ajv compiles it
 * when this module loads. The builds replace this module with Ajv's standalone code generated from
 * the same schema and options (precompileBuiltInValidator.ts): the app, its scan workers and the
 * command line then judge sessions without loading Ajv or compiling anything at start-up.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { SESSION_SCHEMA, SESSION_SCHEMA_OPTIONS } from './sessionSchema.js';

export const validateBuiltIn: ValidateFunction = new Ajv(SESSION_SCHEMA_OPTIONS).compile(SESSION_SCHEMA);
