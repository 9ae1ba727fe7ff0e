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

// --- the folder rules (dependency-cruiser, .dependency-cruiser.cjs) ---------------------------

const DEPCRUISE = path.resolve('node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const cruiseSandbox = mkdtempSync(path.join(os.tmpdir(), 'ms-cruise-'));
for (const file of ['.dependency-cruiser.cjs', 'tsconfig.base.json', 'tsconfig.node.json']) {
  writeFileSync(path.join(cruiseSandbox, file), readFileSync(file, 'utf8'));
}
afterAll(() => rmSync(cruiseSandbox, { recursive: true, force: true }));

/** Writes the files into a fresh copy of the layout and returns what the rules report. */
function cruise(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(cruiseSandbox, 'case-'));
  for (const name of ['.dependency-cruiser.cjs', 'tsconfig.base.json', 'tsconfig.node.json']) {
    writeFileSync(path.join(dir, name), readFileSync(path.join(cruiseSandbox, name), 'utf8'));
  }
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), source);
  }
  const roots = [...new Set(Object.keys(files).map((f) => f.split('/')[0] as string))];
  const result = spawnSync(
    process.execPath,
    [DEPCRUISE, ...roots, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
    { cwd: dir, encoding: 'utf8' },
  );
  return `${result.stdout}${result.stderr}`;
}

const exporting = 'export const value = 1;\n';
const importing = (from: string) => `import { value } from '${from}';\nexport const copy = value;\n`;

// Each cruise starts dependency-cruiser (seconds, more on a busy machine): the time allowed guards
// against a hang, it measures nothing.
describe('folder rules', { timeout: 300_000 }, () => {
  it('a clean layout passes: doors over the engine, the engine over shared', () => {
    expect(
      cruise({
        'shared/contract.ts': exporting,
        'electron/services/engine.ts': importing('../../shared/contract.js'),
        'electron/services/appService.ts': importing('./engine.js'),
        'electron/cli/door.ts': importing('../services/appService.js'),
        'electron/main/door.ts': importing('../services/engine.js'),
        'renderer/src/view.ts': importing('../../shared/contract.js'),
      }),
    ).toMatch(/no dependency violations/);
  });

  it('shared imports nothing of the project', () => {
    expect(
      cruise({
        'electron/services/engine.ts': exporting,
        'shared/contract.ts': importing('../electron/services/engine.js'),
      }),
    ).toMatch(/shared-imports-nothing-of-the-project/);
  });

  it('the engine imports no door and no renderer', () => {
    expect(
      cruise({
        'electron/main/door.ts': exporting,
        'electron/services/engine.ts': importing('../main/door.js'),
      }),
    ).toMatch(/engine-imports-only-shared/);
    expect(
      cruise({
        'renderer/src/view.ts': exporting,
        'electron/services/engine.ts': importing('../../renderer/src/view.js'),
      }),
    ).toMatch(/engine-imports-only-shared/);
  });

  it('a door imports no other door (but the CLI may start the browser-mode server)', () => {
    for (const [from, to, rule] of [
      ['electron/main/a.ts', '../web/b.js', 'door-main-imports-no-other-door'],
      ['electron/web/a.ts', '../cli/b.js', 'door-web-imports-no-other-door'],
      ['electron/cli/a.ts', '../main/b.js', 'door-cli-imports-no-other-door'],
      ['electron/preload/a.ts', '../main/b.js', 'door-preload-imports-no-other-door'],
    ] as const) {
      const target = path.join(path.dirname(from), to).replace(/\.js$/, '.ts');
      expect(cruise({ [target]: exporting, [from]: importing(to) })).toMatch(new RegExp(rule));
    }
    expect(
      cruise({ 'electron/web/server.ts': exporting, 'electron/cli/serve.ts': importing('../web/server.js') }),
    ).toMatch(/no dependency violations/);
  });

  it('the command line enters the engine only by its entrance', () => {
    // One cruise each way (a cruise takes seconds): every allowed module, then every kind of breach.
    const entrance = [
      'appService',
      'dispatch',
      'dataDir',
      'push/secretStore',
      'push/restSessions',
      'demo/demoFolder',
      'demo/demoServer',
    ];
    const allowed: Record<string, string> = {};
    for (const [i, module] of entrance.entries()) {
      allowed[`electron/services/${module}.ts`] = exporting;
      allowed[`electron/cli/door${i}.ts`] = importing(`../services/${module}.js`);
    }
    // The CLI's tests may reach further (test support, doubles).
    allowed['electron/services/live/workspace.ts'] = exporting;
    allowed['electron/cli/door.test.ts'] = importing('../services/live/workspace.js');
    expect(cruise(allowed)).toMatch(/no dependency violations/);

    const breaches = cruise({
      'electron/services/live/workspace.ts': exporting,
      'electron/services/history/sessionActions.ts': exporting,
      'electron/cli/list.ts': importing('../services/live/workspace.js'),
      'electron/cli/accept.ts': importing('../services/history/sessionActions.js'),
      // Not even for a type: what crosses the door is declared in shared/.
      'electron/services/history/auditLog.ts': 'export interface AuditEntry { id: string }\n',
      'electron/cli/format.ts':
        "import type { AuditEntry } from '../services/history/auditLog.js';\nexport const f = (e: AuditEntry) => e.id;\n",
    });
    for (const from of ['list', 'accept', 'format']) {
      expect(breaches).toMatch(
        new RegExp(`cli-enters-the-engine-by-its-entrance: electron/cli/${from}\\.ts`),
      );
    }
  });

  it('the renderer imports only shared', () => {
    expect(
      cruise({
        'electron/services/engine.ts': exporting,
        'renderer/src/view.ts': importing('../../electron/services/engine.js'),
      }),
    ).toMatch(/renderer-imports-only-shared/);
  });

  it('no import cycles, and no test support in the product', () => {
    expect(
      cruise({
        'electron/services/a.ts': `import { b } from './b.js';\nexport const a = () => b;\n`,
        'electron/services/b.ts': `import { a } from './a.js';\nexport const b = () => a;\n`,
      }),
    ).toMatch(/no-circular/);
    expect(
      cruise({
        'test/support/fixtures.ts': exporting,
        'electron/services/engine.ts': importing('../../test/support/fixtures.js'),
      }),
    ).toMatch(/product-imports-no-test-support/);
  });

  it('the demo stays off the engine core path: imported dynamically, or by a door', () => {
    const demo = { 'electron/services/demo/demoFolder.ts': exporting };
    expect(cruise({ ...demo, 'electron/services/appService.ts': importing('./demo/demoFolder.js') })).toMatch(
      /demo-off-the-engine-core-path/,
    );
    expect(
      cruise({
        ...demo,
        'electron/services/appService.ts': `export const load = () => import('./demo/demoFolder.js');\n`,
      }),
    ).toMatch(/no dependency violations/);
    expect(cruise({ ...demo, 'electron/cli/demo.ts': importing('../services/demo/demoFolder.js') })).toMatch(
      /no dependency violations/,
    );
  });
});
