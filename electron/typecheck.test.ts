/**
 * `npm run typecheck` once checked 0 files (a solution tsconfig that `tsc -p` does not follow).
 * This proves it covers every TypeScript file of the repository: each tracked .ts/.tsx file is in
 * the program of one of the projects the script checks.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TSC = path.resolve('node_modules/typescript/bin/tsc');

describe('npm run typecheck', () => {
  it('checks every TypeScript file of the repository', () => {
    const script = JSON.parse(readFileSync('package.json', 'utf8')).scripts.typecheck as string;
    const projects = [...script.matchAll(/tsc -p (\S+)/g)].map((match) => match[1] as string);
    expect(projects.length).toBeGreaterThan(0);
    const checked = new Set<string>();
    for (const project of projects) {
      const listed = execFileSync(process.execPath, [TSC, '-p', project, '--listFilesOnly'], {
        encoding: 'utf8',
        maxBuffer: 64e6,
      });
      for (const file of listed.split('\n')) if (file) checked.add(path.resolve(file.trim()));
    }
    const tracked = execFileSync('git', ['ls-files', '*.ts', '*.tsx'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((file) => path.resolve(file));
    expect(tracked.length).toBeGreaterThan(100);
    expect(tracked.filter((file) => !checked.has(file))).toEqual([]);
  });
});
