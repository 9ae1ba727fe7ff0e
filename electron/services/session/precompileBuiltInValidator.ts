/**
 * A build step (a Vite plugin, used by vite.node.config.ts and electron.vite.config.ts): the module
 * builtInValidator.ts is replaced by Ajv's standalone code for the built-in session schema,
 * generated at build time into the bundle (nothing generated is kept in the source tree or in
 * git). Compiling the schema at start-up cost every process (the command line, the app, each scan
 * worker) loading Ajv and running its compiler, about a tenth of a second each.
 */
import path from 'node:path';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { Plugin } from 'vite';
import { SESSION_SCHEMA, SESSION_SCHEMA_OPTIONS } from './sessionSchema.js';

const REPLACED = path.join('electron', 'services', 'session', 'builtInValidator.ts');

/** The ES module that stands for builtInValidator.ts: the same export, as generated code. */
export function builtInValidatorSource(): string {
  const ajv = new Ajv({ ...SESSION_SCHEMA_OPTIONS, code: { source: true, esm: true } });
  const code = standaloneCode(ajv, ajv.compile(SESSION_SCHEMA));
  return `${code}\nexport const validateBuiltIn = validate;\n`;
}

export function precompiledSessionValidator(): Plugin {
  return {
    name: 'precompiled-session-validator',
    load(id) {
      return path.normalize(id.split('?')[0] ?? id).endsWith(REPLACED) ? builtInValidatorSource() : null;
    },
  };
}
