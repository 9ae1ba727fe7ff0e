/**
 * The architecture's import rules are enforced by the linter (biome.json); these tests prove the
 * rules are live, so a config edit cannot switch them off unnoticed. Probe files are linted in a
 * temporary copy of the layout, with the project's own linter rules.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIOME = path.resolve('node_modules/@biomejs/biome/bin/biome');
const sandbox = mkdtempSync(path.join(os.tmpdir(), 'ms-layering-'));
const config = JSON.parse(readFileSync('biome.json', 'utf8'));
writeFileSync(
  path.join(sandbox, 'biome.json'),
  JSON.stringify({ ...config, $schema: undefined, vcs: { enabled: false }, files: undefined }),
);
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/** Lints `source` as if it were the project's file at `filePath`; returns what biome reports. */
function lint(filePath: string, source: string): string {
  const file = path.join(sandbox, filePath);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, source);
  const result = spawnSync(process.execPath, [BIOME, 'lint', filePath], { cwd: sandbox, encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}

const importsElectron = "import { app } from 'electron';\nexport const name = app.name;\n";
const importsFs = "import fs from 'node:fs';\nexport const read = fs.readFileSync;\n";

describe('layering rules', () => {
  it('only electron/main and electron/preload may import electron', () => {
    expect(lint('electron/services/probe.ts', importsElectron)).toMatch(/noRestrictedImports/);
    expect(lint('electron/cli/probe.ts', importsElectron)).toMatch(/noRestrictedImports/);
    expect(lint('electron/web/probe.ts', importsElectron)).toMatch(/noRestrictedImports/);
    expect(lint('renderer/src/probe.ts', importsElectron)).toMatch(/noRestrictedImports/);
    expect(lint('electron/main/probe.ts', importsElectron)).toMatch(/Checked 1 file/);
    expect(lint('electron/preload/probe.ts', importsElectron)).toMatch(/Checked 1 file/);
    expect(lint('electron/main/probe.ts', importsElectron)).not.toMatch(/noRestrictedImports/);
  });

  it('the renderer and shared code import no Node module', () => {
    expect(lint('renderer/src/probe.ts', importsFs)).toMatch(/noNodejsModules/);
    expect(lint('shared/probe.ts', importsFs)).toMatch(/noNodejsModules/);
    expect(lint('electron/services/probe2.ts', importsFs)).not.toMatch(/noNodejsModules/);
  });
});
