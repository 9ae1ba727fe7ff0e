import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { sessionJson } from '../../../test/support/fixtures.js';
import { editStatus } from './statusEdit.js';

const edit = (text: string | Buffer, after: 'accepted' | 'pending' = 'accepted') =>
  editStatus(Buffer.isBuffer(text) ? text : Buffer.from(text), after);

describe('editStatus changes the top-level status value and not one other byte', () => {
  it("keeps 4D's pretty printing, key order and unknown keys", () => {
    const original = JSON.stringify(sessionJson({ status: 'pending', extra: { zzz: { a: 1 } } }), null, 2);
    const result = edit(original);
    expect(result.changed).toBe(true);
    expect(result.before).toBe('pending');
    expect(result.bytes.toString()).toBe(original.replace('"status": "pending"', '"status": "accepted"'));
  });

  it('keeps a BOM, CRLF line endings, tabs and escapes', () => {
    const body =
      '{\r\n\t"email": "zo\\u00eb@example.com",\r\n\t"status" :\t"pending" ,\r\n\t"x": "\\/"\r\n}\r\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
    const result = edit(bytes);
    expect(result.bytes).toEqual(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body.replace('"pending"', '"accepted"'))]),
    );
  });

  it('edits the top-level key, not a nested one that comes first', () => {
    const text =
      '{"userInfo":{"status":"pending"},"parameters":{"x":{"status":"pending"}},"status":"pending"}';
    expect(edit(text).bytes.toString()).toBe(
      '{"userInfo":{"status":"pending"},"parameters":{"x":{"status":"pending"}},"status":"accepted"}',
    );
  });

  it('keeps multi-byte characters before the value intact', () => {
    const text = '{"email":"山田@例え.jp 🎉","status":"accepted"}';
    expect(edit(text, 'pending').bytes.toString()).toBe('{"email":"山田@例え.jp 🎉","status":"pending"}');
  });

  it('writes nothing when the status is already the one asked', () => {
    const bytes = Buffer.from('{ "status" : "accepted" }');
    const result = edit(bytes, 'accepted');
    expect(result.changed).toBe(false);
    expect(result.bytes).toBe(bytes);
  });

  it('refuses what is not an editable session', () => {
    for (const text of [
      '{"status":',
      '{"status":"maybe"}',
      '{}',
      '[]',
      '{"status":"pending","status":"pending"}',
    ]) {
      expect(() => edit(text), text).toThrowError(AppError);
      try {
        edit(text);
      } catch (error) {
        expect((error as AppError).code).toBe('not-a-session');
      }
    }
  });
});
