/**
 * The writer child: "another process" (the 4D Server, an admin's script) changing session files
 * while the engine watches. It reports the absolute time right after each write returned.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeSessionToken } from '../electron/services/demo/demoFolder.js';
import type { SessionStatus } from '../shared/session.js';
import { absNow, type BurstOp, failChild, sendToParent, sleep, type ToWriter } from './protocol.js';

const BOM = '\uFEFF';

type Json = Record<string, unknown>;

function readJson(file: string): { json: Json; bom: boolean } {
  const text = readFileSync(file, 'utf8');
  const bom = text.startsWith(BOM);
  return { json: JSON.parse(bom ? text.slice(1) : text) as Json, bom };
}

/** Rewrites the file in place with its top-level status toggled; returns the new status. */
function toggleStatus(file: string): SessionStatus {
  const { json, bom } = readJson(file);
  const status: SessionStatus = json.status === 'pending' ? 'accepted' : 'pending';
  json.status = status;
  writeFileSync(file, `${bom ? BOM : ''}${JSON.stringify(json, null, 2)}`);
  return status;
}

/**
 * A new valid session for the same app as `template`: its own session id as file name, a token
 * naming it (encodeSessionToken), pending as a new login is, no push token yet.
 */
function newSessionText(root: string, template: string, ref: string): string {
  const { json } = readJson(path.join(root, template));
  const id = ref.slice(ref.lastIndexOf('/') + 1);
  const application = json.application as { id: string };
  const team = json.team as { id?: string } | undefined;
  const device = { ...(json.device as Json) };
  delete device.token;
  const session = { ...(json.session as Json), id };
  const fresh: Json = {
    ...json,
    device,
    session,
    status: 'pending',
    token: encodeSessionToken(application.id, id, team?.id ?? null),
  };
  return JSON.stringify(fresh, null, 2);
}

async function latency(root: string, refs: string[], gapMs: number): Promise<void> {
  const writes: { ref: string; at: number; status: SessionStatus }[] = [];
  for (const ref of refs) {
    const status = toggleStatus(path.join(root, ref));
    writes.push({ ref, at: absNow(), status });
    await sleep(gapMs);
  }
  await sendToParent({ type: 'latency-done', writes });
}

async function burst(root: string, ops: BurstOp[], durationMs: number): Promise<void> {
  // New files' contents are prepared up front: what is timed is the writing.
  const prepared = new Map<string, string>();
  for (const op of ops)
    if (op.kind === 'add') prepared.set(op.ref, newSessionText(root, op.template, op.ref));
  const step = ops.length > 1 ? durationMs / (ops.length - 1) : 0;
  const start = performance.now() + 5;
  let firstWriteAt = 0;
  let lastWriteAt = 0;
  let i = 0;
  while (i < ops.length) {
    const due = start + i * step;
    const now = performance.now();
    if (now < due) {
      await sleep(Math.max(0, due - now));
      continue;
    }
    const op = ops[i] as BurstOp;
    const file = path.join(root, op.ref);
    if (op.kind === 'add') writeFileSync(file, prepared.get(op.ref) as string, { flag: 'wx' });
    else if (op.kind === 'change') toggleStatus(file);
    else unlinkSync(file);
    lastWriteAt = absNow();
    if (i === 0) firstWriteAt = lastWriteAt;
    i++;
  }
  await sendToParent({ type: 'burst-done', firstWriteAt, lastWriteAt, count: ops.length });
}

export async function runWriter(root: string): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  let work: Promise<void> = Promise.resolve();
  process.on('message', (raw) => {
    const message = raw as ToWriter;
    work = work
      .then(async () => {
        switch (message.type) {
          case 'ping':
            await sendToParent({ type: 'pong', now: absNow() });
            break;
          case 'latency':
            await latency(root, message.refs, message.gapMs);
            break;
          case 'burst':
            await burst(root, message.ops, message.durationMs);
            break;
          case 'exit':
            process.exit(0);
        }
      })
      .catch((error: unknown) => failChild('writer', error));
  });
}
