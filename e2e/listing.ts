/**
 * What the specs read from outside the window: the folder as the command line lists it, and the
 * session files themselves on disk.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppFixture } from './fixtures.js';

export interface ListedSession {
  ref: string;
  id: string;
  status: string;
  email: string;
  device: { description: string };
}

export interface ListedApp {
  folder: string;
  name: string;
  platform: string;
  counts: { sessions: number; pending: number };
  sessions: ListedSession[];
}

/** The folder's apps and sessions, from `mobile-sessions list --json`. */
export const listApps = (app: AppFixture): ListedApp[] =>
  JSON.parse(app.cli('list', app.root, '--json')).apps;

export const fileOf = (app: AppFixture, ref: string) => path.join(app.root, ...ref.split('/'));

/** The top-level `status` written in a session's file (a byte-order mark allowed). */
export const statusOnDisk = (app: AppFixture, ref: string) =>
  JSON.parse(readFileSync(fileOf(app, ref), 'utf8').replace(/^\uFEFF/, '')).status;
