import { describe, expect, it } from 'vitest';
import { NO_PROBLEMS, refOf, sharedApplication, sharedLanguage, sharedTeam } from './sessionFile.js';

describe('the parts sessions share', () => {
  it('gives sessions with the same application, team or language one frozen object, and others their own', () => {
    const a = sharedApplication('com.acme.app', 'Acme', '1.0');
    expect(sharedApplication('com.acme.app', 'Acme', '1.0')).toBe(a);
    expect(a).toEqual({ id: 'com.acme.app', name: 'Acme', version: '1.0' });
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as { version: string | null }).version = '2.0';
    }).toThrow(TypeError);
    // Values never meet: a null is not the text "null", and no two fields run together.
    expect(sharedApplication('com.acme.app', 'Acme', null)).toEqual({
      id: 'com.acme.app',
      name: 'Acme',
      version: null,
    });
    expect(sharedApplication('com.acme.app', null, 'Acme')).toEqual({
      id: 'com.acme.app',
      name: null,
      version: 'Acme',
    });
    expect(sharedApplication('com.acme.app', 'Acme', 'null').version).toBe('null');
    expect(sharedTeam('T1', 'Acme')).toBe(sharedTeam('T1', 'Acme'));
    expect(sharedTeam('T1', 'Acme')).not.toBe(sharedTeam('T1', 'Acme Inc'));
    expect(sharedLanguage('fr_FR', 'fr', 'FR')).toEqual({ id: 'fr_FR', code: 'fr', region: 'FR' });
    expect(sharedLanguage(null, null, null)).toBe(sharedLanguage(null, null, null));
  });

  it('builds a ref as the folder, a slash and the file name, and shares one frozen empty problem list', () => {
    expect(refOf('TEAM.com.acme.app', 'ABC123')).toBe('TEAM.com.acme.app/ABC123');
    expect(refOf('TEAM.com.acme.app', 'DEF456')).toBe('TEAM.com.acme.app/DEF456');
    expect(NO_PROBLEMS).toEqual([]);
    expect(() => NO_PROBLEMS.push({ code: 'location', message: 'x' } as never)).toThrow(TypeError);
  });
});
