import { describe, expect, it } from 'vitest';
import type { DroppedFile } from '../../../shared/push.js';
import { describeBody, mapServerErrors, parseRefreshAnswer } from './serverAnswer.js';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseRefreshAnswer', () => {
  it('reads the documented answer, also wrapped in a REST result, also with Last errors fields', () => {
    expect(parseRefreshAnswer(body({ success: true, errors: [] }))).toEqual({ success: true, errors: [] });
    expect(parseRefreshAnswer(body({ success: true }))).toEqual({ success: true, errors: [] });
    expect(
      parseRefreshAnswer(
        body({ result: { success: false, errors: [{ component: 'mobi', code: 3, message: 'm' }] } }),
      ),
    ).toEqual({ success: false, errors: [{ component: 'mobi', code: 3, message: 'm' }] });
    expect(
      parseRefreshAnswer(
        body({ success: false, errors: [{ componentSignature: 'mobi', errCode: 1, message: 'x' }] }),
      ),
    ).toEqual({ success: false, errors: [{ component: 'mobi', code: 1, message: 'x' }] });
    expect(parseRefreshAnswer(body(`\uFEFF${JSON.stringify({ success: true })}`))).toEqual({
      success: true,
      errors: [],
    });
  });

  it('refuses garbage and other shapes', () => {
    expect(parseRefreshAnswer(body('<html>It works!</html>'))).toBeNull();
    expect(parseRefreshAnswer(body({ status: 'ok' }))).toBeNull();
    expect(parseRefreshAnswer(body({ success: 'yes' }))).toBeNull();
    expect(parseRefreshAnswer(body({ success: true, errors: 'none' }))).toBeNull();
    expect(parseRefreshAnswer(body('[]'))).toBeNull();
    expect(describeBody(body('<html>It works!</html>'), 'text/html; charset=utf-8')).toBe(
      'text/html "<html>It works!</html>"',
    );
    expect(describeBody(Buffer.alloc(0), undefined)).toBe('an empty answer');
  });
});

describe('mapServerErrors', () => {
  const drop: DroppedFile[] = [
    { path: 'T.app/aaaaaaaaaaaa', problems: [{ code: 'schema', mobi: 3, message: '' }], changedByApp: false },
    {
      path: 'T.app/bbbbbbbbbbbb',
      problems: [{ code: 'malformed', mobi: 2, message: '' }],
      changedByApp: false,
    },
    {
      path: 'T.app/cccccccccccc',
      problems: [{ code: 'malformed', mobi: 2, message: '' }],
      changedByApp: false,
    },
  ];

  it('maps an error to the file its message names, by path or by file name', () => {
    const mapped = mapServerErrors(
      [
        { component: 'mobi', code: 2, message: 'The json file is not correctly formed: T.app/bbbbbbbbbbbb' },
        { component: 'mobi', code: 2, message: 'Session CCCCCCCCCCCC is not well formed' },
      ],
      drop,
    );
    expect(mapped.map((e) => [e.path, e.matchedBy])).toEqual([
      ['T.app/bbbbbbbbbbbb', 'message'],
      ['T.app/cccccccccccc', 'message'],
    ]);
  });

  it('maps by code only when one file has it, and leaves the rest unmapped', () => {
    const mapped = mapServerErrors(
      [
        { component: 'mobi', code: 3, message: 'The json file does not validate the json schema' },
        { component: 'mobi', code: 2, message: 'The json file is not correctly formed' },
        { component: '4DRT', code: -1, message: 'other' },
      ],
      drop,
    );
    expect(mapped.map((e) => [e.path, e.matchedBy])).toEqual([
      ['T.app/aaaaaaaaaaaa', 'code'],
      [null, null],
      [null, null],
    ]);
  });
});
