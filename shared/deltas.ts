/**
 * What the workspace tells its listeners after start-up: small messages about what changed,
 * never whole lists (architecture: "incremental by default").
 */
import type { AppSummary, FileProblem, SessionSummary } from './session.js';

/** `watching`: native events; `polling`: periodic re-check (network shares, or watching failed); `root-missing`: waiting for the folder to come back. */
export type WatcherState = 'starting' | 'watching' | 'polling' | 'root-missing' | 'stopped';

export type WorkspaceDelta =
  | { type: 'session-added' | 'session-changed'; ref: string; folder: string; session: SessionSummary }
  | { type: 'session-removed'; ref: string; folder: string }
  /** A file that is not a usable session: its problems now (an empty list: the problem is gone). */
  | { type: 'problems-changed'; path: string; folder: string; problems: FileProblem[] }
  | { type: 'app-added' | 'app-changed'; folder: string; app: AppSummary }
  /** The app folder is gone, and with it all its sessions and problems. */
  | { type: 'app-removed'; folder: string }
  | { type: 'watcher-state'; state: WatcherState; message: string }
  | { type: 'scan-progress'; scanned: number; total: number };

export type DeltaListener = (deltas: WorkspaceDelta[]) => void;
