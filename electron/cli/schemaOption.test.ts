/**
 * Issue 14.8 at the command line's door: `--schema` checks sessions with 4D's own
 * mobileSessionSchema.json, `check` says which schema it used, `getState` carries it, and a file
 * that cannot be used is refused with its reason. The 4D schema here is a stand-in file written
 * by the test (no 4D installation here), stricter than the built-in one so the difference shows.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test/support/cliRun.js';
import { makeTempDir, removeDir, writeSession } from '../../test/support/fixtures.js';
import { EXIT } from './program.js';

let base: string;
let root: string;
let schema: string;

beforeEach(async () => {
  base = await makeTempDir('ms-schema-');
  root = path.join(base, 'MobileApps');
  await writeSession(root);
  schema = path.join(base, 'mobileSessionSchema.json');
  await fs.writeFile(
    schema,
    JSON.stringify({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['only4D'],
    }),
  );
});
afterEach(async () => {
  await removeDir(base);
});

const cli = (...args: string[]) => runCliCaptured(args, { dataDir: path.join(base, 'data') });

describe('--schema', () => {
  it('checks with the built-in schema by default and says so', async () => {
    const result = await cli('check', root);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain('Checked with the built-in schema');
  });

  it("checks with 4D's schema when given, says which, and getState shows it", async () => {
    const result = await cli('check', root, '--schema', schema);
    expect(result.code, result.stderr).toBe(EXIT.problems);
    expect(result.stdout).toContain('only4D');
    expect(result.stdout).toContain(`Checked with 4D's schema ${schema}.`);
    const state = await cli('call', 'getState', '--schema', schema);
    expect(JSON.parse(state.stdout).sessionSchema).toEqual({ source: '4d', file: schema });
  });

  it('refuses a schema file that is not there, with the reason', async () => {
    const result = await cli('check', root, '--schema', path.join(base, 'none.json'));
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toContain('No mobileSessionSchema.json at');
    expect(result.stdout).toBe('');
  });
});
