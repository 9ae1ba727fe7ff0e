/**
 * The builds judge sessions with Ajv's standalone code for the built-in schema; the tests, run
 * from source, with the same schema compiled at run time (builtInValidator.ts). Both must give
 * the same verdict and the same errors (which become the problem's words) for every input.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, sessionJson } from '../../../test/support/fixtures.js';
import { validateBuiltIn } from './builtInValidator.js';
import { builtInValidatorSource, precompiledSessionValidator } from './precompileBuiltInValidator.js';

let scratch: string;
let precompiled: ValidateFunction;
beforeAll(async () => {
  scratch = await makeTempDir('ms-validator-');
  const file = path.join(scratch, 'builtInValidator.mjs');
  await fs.writeFile(file, builtInValidatorSource());
  precompiled = ((await import(pathToFileURL(file).href)) as { validateBuiltIn: ValidateFunction })
    .validateBuiltIn;
});
afterAll(async () => {
  await removeDir(scratch);
});

const valid = sessionJson();
const without = (key: string) => {
  const copy: Record<string, unknown> = { ...valid };
  delete copy[key];
  return copy;
};
const SAMPLES: [string, unknown][] = [
  ['a valid session', valid],
  ['every required field missing', {}],
  ['no status', without('status')],
  ['no application', without('application')],
  ['status "maybe"', { ...valid, status: 'maybe' }],
  ['status null', { ...valid, status: null }],
  ['application without id', { ...valid, application: { name: 'x' } }],
  [
    'wrong types at every depth',
    { ...valid, email: 3, device: { simulator: 'yes', jb: 1, os: [] }, team: [] },
  ],
  ['session id a number', { ...valid, session: { id: 7, ip: false } }],
  ['parameters a string', { ...valid, parameters: 'p', userInfo: null }],
  ['an array', []],
  ['a string', 'session'],
  ['null', null],
];

describe('the precompiled built-in validator', () => {
  it.each(SAMPLES)('judges %s as the run-time compiled one does, errors included', (_, input) => {
    const expected = validateBuiltIn(input);
    const expectedErrors = validateBuiltIn.errors ?? null;
    expect(precompiled(input)).toBe(expected);
    expect(precompiled.errors ?? null).toEqual(expectedErrors);
  });

  it('finds problems in the samples: the comparison is not between two validators that accept all', () => {
    expect(SAMPLES.filter(([, input]) => !precompiled(input)).length).toBe(SAMPLES.length - 1);
  });

  it('stands in for builtInValidator.ts only', () => {
    const plugin = precompiledSessionValidator();
    const load = plugin.load as (id: string) => string | null;
    expect(load(path.resolve('electron/services/session/builtInValidator.ts'))).toBe(
      builtInValidatorSource(),
    );
    expect(load(path.resolve('electron/services/session/sessionChecks.ts'))).toBeNull();
  });
});
