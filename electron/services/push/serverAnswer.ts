/**
 * The 4D side's answer, read tolerantly: `{"success": bool, "errors": [{"component","code","message"}]}`
 * as docs/push.md's code sends it, also wrapped in `{"result": …}` (how the 4D REST server returns
 * a class function's value), and errors straight from 4D's `Last errors`
 * (`{"componentSignature","errCode","message"}`). Anything else is a garbage answer.
 */
import { z } from 'zod';
import type { DroppedFile, ServerError } from '../../../shared/push.js';

export interface RefreshAnswer {
  success: boolean;
  errors: { component: string; code: number | string; message: string }[];
}

const errorSchema = z
  .looseObject({
    component: z.string().optional(),
    componentSignature: z.string().optional(),
    code: z.union([z.number(), z.string()]).optional(),
    errCode: z.union([z.number(), z.string()]).optional(),
    message: z.string().optional(),
  })
  .transform((error) => ({
    component: error.component ?? error.componentSignature ?? '',
    code: error.code ?? error.errCode ?? '',
    message: error.message ?? '',
  }));

const answerSchema = z.looseObject({
  success: z.boolean(),
  errors: z.array(errorSchema).nullish(),
});

/** The answer, or null when the body is not one (not JSON, or not this shape). */
export function parseRefreshAnswer(body: Buffer): RefreshAnswer | null {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
  const candidates = [json];
  if (json !== null && typeof json === 'object' && 'result' in json) candidates.push(json.result);
  for (const candidate of candidates) {
    const parsed = answerSchema.safeParse(candidate);
    if (parsed.success) return { success: parsed.data.success, errors: parsed.data.errors ?? [] };
  }
  return null;
}

/** What a body looks like, in a few words, for the garbage-answer message. */
export function describeBody(body: Buffer, contentType: string | undefined): string {
  const text = body.toString('utf8').trim();
  if (!text) return 'an empty answer';
  const start = text.slice(0, 60).replace(/\s+/g, ' ');
  return `${contentType ? `${contentType.split(';')[0]} ` : ''}"${start}${text.length > 60 ? '…' : ''}"`;
}

const HEX_RUN = /[0-9a-f]{8,}/gi;

/**
 * Attaches each server error to the file it is about: a file the message names (its
 * `<folder>/<file>` path or its file name), else, for a mobi error, the one local file that
 * fails with that mobi code when there is exactly one.
 */
export function mapServerErrors(errors: RefreshAnswer['errors'], drop: DroppedFile[]): ServerError[] {
  const byName = new Map<string, DroppedFile[]>();
  for (const file of drop) {
    const name = (file.path.split('/')[1] ?? '').toLowerCase();
    if (name) byName.set(name, [...(byName.get(name) ?? []), file]);
  }
  const used = new Set<string>();
  const named = (message: string): string | null => {
    const lower = message.toLowerCase();
    const byPath = drop.find(
      (file) => file.path.endsWith('/') === false && lower.includes(file.path.toLowerCase()),
    );
    if (byPath) return byPath.path;
    for (const match of lower.match(HEX_RUN) ?? []) {
      const files = byName.get(match);
      if (files?.length === 1 && files[0]) return files[0].path;
    }
    return null;
  };
  const mapped: ServerError[] = errors.map((error) => {
    const path = named(error.message);
    if (path) used.add(path);
    return { ...error, path, matchedBy: path ? 'message' : null };
  });
  for (const error of mapped) {
    if (error.path || error.component.toLowerCase() !== 'mobi') continue;
    const code = Number(error.code);
    const candidates = drop.filter(
      (file) => !used.has(file.path) && file.problems.some((p) => p.mobi === code),
    );
    const sameCode = mapped.filter(
      (e) => !e.path && e.component.toLowerCase() === 'mobi' && Number(e.code) === code,
    );
    if (candidates.length === 1 && candidates[0] && sameCode.length === 1) {
      error.path = candidates[0].path;
      error.matchedBy = 'code';
      used.add(error.path);
    }
  }
  return mapped;
}
