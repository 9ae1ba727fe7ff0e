/**
 * Changes the top-level `status` value of a session file and nothing else: every other byte
 * (indentation, key order, line endings, BOM, escapes, unknown keys, nested `status` keys)
 * stays as it was. jsonc-parser (VS Code's) finds the value's exact offsets; the strict
 * JSON.parse in parseSessionBytes decides what is valid, since jsonc-parser is lenient.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Node, parseTree } from 'jsonc-parser';
import { AppError } from '../../../shared/errors.js';
import type { SessionStatus } from '../../../shared/session.js';
import { type ParsedSessionFile, parseSessionBytes } from './sessionFile.js';

export interface StatusEdit {
  before: SessionStatus;
  /** The new file content; identical to the input when the status was already `after`. */
  bytes: Buffer;
  changed: boolean;
}

function topLevelStatusValue(text: string): Node {
  const tree = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  const statusProperties = (tree?.children ?? []).filter(
    (property) => property.type === 'property' && property.children?.[0]?.value === 'status',
  );
  if (statusProperties.length !== 1) {
    throw new AppError(
      'not-a-session',
      statusProperties.length === 0
        ? 'The file has no top-level "status" key.'
        : 'The file has "status" more than once at the top level: fix it by hand before changing it here.',
    );
  }
  const value = statusProperties[0]?.children?.[1];
  if (!value) throw new AppError('not-a-session', 'The file\'s "status" key has no value.');
  return value;
}

/** Computes the edited bytes. Throws `not-a-session` when the bytes are not a session we may edit. */
export function editStatus(bytes: Buffer, after: SessionStatus): StatusEdit {
  const parsed = parseSessionBytes(bytes);
  if (!parsed.ok) throw new AppError('not-a-session', parsed.problem.message);
  const before = parsed.json.status;
  if (before !== 'accepted' && before !== 'pending') {
    throw new AppError(
      'not-a-session',
      `The file's status is ${JSON.stringify(before)}, not "accepted" or "pending".`,
    );
  }
  if (before === after) return { before, bytes, changed: false };

  try {
    return { before, bytes: spliceStatus(bytes, parsed, after), changed: true };
  } catch (error) {
    // Absurd nesting overflows the stack of jsonc-parser and of the deep comparison.
    if (error instanceof RangeError) {
      throw new AppError('not-a-session', 'The file is nested too deeply to be edited safely.', {
        cause: error,
      });
    }
    throw error;
  }
}

function spliceStatus(
  bytes: Buffer,
  parsed: Extract<ParsedSessionFile, { ok: true }>,
  after: SessionStatus,
): Buffer {
  const body = parsed.bom ? parsed.text.slice(1) : parsed.text;
  const value = topLevelStatusValue(body);
  const prefix = (parsed.bom ? '\uFEFF' : '') + body.slice(0, value.offset);
  const start = Buffer.byteLength(prefix, 'utf8');
  const end = start + Buffer.byteLength(body.slice(value.offset, value.offset + value.length), 'utf8');
  const edited = Buffer.concat([
    bytes.subarray(0, start),
    Buffer.from(JSON.stringify(after)),
    bytes.subarray(end),
  ]);

  // Belt and braces: the result must be the same JSON with only `status` changed.
  const check = parseSessionBytes(edited);
  if (!check.ok || !isDeepStrictEqual(check.json, { ...parsed.json, status: after })) {
    throw new AppError('not-a-session', 'The status could not be changed without touching other content.');
  }
  return edited;
}
