/**
 * The languages live in the catalogs (shared/i18n/locales/<language>/): a source file that named one
 * would have to change for the next language, which must be a folder of catalogs and nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('room for more languages', () => {
  it('no code names a language: a new catalog folder is all a language takes', () => {
    const sources = ['renderer/src', 'electron/main', 'electron/preload', 'shared'].flatMap((dir) =>
      (readdirSync(dir, { recursive: true }) as string[])
        .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
        .map((file) => path.join(dir, file)),
    );
    // A language named in code: its code as a string ('fr', "fr-FR") or its name (Français).
    const named = /(['"`])(fr|es|ja|pt|de)(-[A-Z]{2})?\1|Français|Español|日本語/;
    const offenders = sources.filter((file) => named.test(readFileSync(file, 'utf8')));
    expect(sources.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
