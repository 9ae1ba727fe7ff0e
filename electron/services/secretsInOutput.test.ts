/**
 * No secret of a session file reaches any output the engine builds (issue "every door refuses bad
 * input plainly and shows no secret"): the details panel and its raw JSON, the table's rows, the
 * CSV export and the Problems view, for a valid session and for a broken one holding the same values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestSchemas } from '../../shared/contract.js';
import { testHooks } from '../../test/support/contractFixture.js';
import { tempFoldersPerTest, writeFile, writeSession } from '../../test/support/fixtures.js';
import { AppService } from './appService.js';

const SECRETS = {
  userSecret: 'user-secret-value-1',
  apiKey: 'api-key-value-2',
  pwd: 'pwd-value-3',
  pass: 'credentials-pass-4',
  pin: '98765',
  cookie: 'cookie-value-6',
  pushToken: `${'c'.repeat(60)}9f8e`,
};

const temp = tempFoldersPerTest();
let service: AppService | null = null;
afterEach(async () => {
  await service?.close();
  service = null;
});

describe('secrets in the engine outputs', () => {
  it('appear in none of them; the push token shows only its last characters', async () => {
    const session = await writeSession(temp.root, {
      extra: {
        device: { id: 'D1', description: 'iPhone', token: SECRETS.pushToken, simulator: false },
        userInfo: { secret: SECRETS.userSecret, apiKey: SECRETS.apiKey, pwd: SECRETS.pwd },
        parameters: { credentials: { pass: SECRETS.pass, pin: SECRETS.pin }, cookie: SECRETS.cookie },
      },
    });
    const broken = JSON.stringify({ ...session.json, userInfo: { secret: SECRETS.userSecret } }).slice(0, -1);
    await writeFile(temp.root, session.ref.split('/')[0] as string, 'a'.repeat(40), broken);
    service = new AppService({ dataDir: temp.dataDir, hooks: testHooks('linux', async () => temp.root) });
    await service.handlers.openRoot({ root: temp.root });

    const filter = requestSchemas.exportCsv.parse({ filter: {} }).filter;
    const details = await service.handlers.getSession({ ref: session.ref });
    const outputs = {
      details: JSON.stringify(details),
      rows: JSON.stringify(await service.handlers.querySessions({ filter, offset: 0, limit: 100 })),
      csv: (await service.handlers.exportCsv({ filter })).csv,
      problems: JSON.stringify(await service.handlers.listProblems({})),
    };
    const leaks = Object.entries(outputs).flatMap(([output, text]) =>
      Object.entries(SECRETS)
        .filter(([, secret]) => text.includes(secret))
        .map(([name]) => `${name} in ${output}`),
    );
    expect(leaks).toEqual([]);
    expect(JSON.parse(details.json).device.token).toBe('••••••9f8e');
    expect(JSON.parse(details.json).token).toBe('••••••');
  });
});
