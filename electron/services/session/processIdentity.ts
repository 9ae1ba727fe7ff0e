/**
 * Which process made something (a work folder, a lock, an in-flight marker), and whether it still
 * runs: its pid and, on Linux, its start time, so that a pid reused after a reboot or a wrap does
 * not pass for the dead process.
 */
import { readFileSync } from 'node:fs';
import { errnoCode } from '../fsErrors.js';

export interface ProcessIdentity {
  pid: number;
  /** When the process started, in clock ticks since boot (Linux); '0' where the platform does not say. */
  start: string;
}

/** A process's start time from /proc (Linux), or '0'. Field 22 of /proc/<pid>/stat. */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return /^\d+$/.test(fields[19] ?? '') ? (fields[19] as string) : '0';
  } catch {
    return '0';
  }
}

let ownStart: string | null = null;
/** This process, as work folders and in-flight markers name it. */
export function thisProcess(): ProcessIdentity {
  ownStart ??= processStart(process.pid);
  return { pid: process.pid, start: ownStart };
}

/**
 * Whether the process that made something still runs. EPERM means it runs under another user. A
 * pid reused by a later process (after a reboot, or once pids wrap) has another start time.
 */
export function processIsAlive(owner: ProcessIdentity): boolean {
  if (owner.pid === process.pid && owner.start === thisProcess().start) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if (errnoCode(error) !== 'EPERM') return false;
  }
  return owner.start === '0' || processStart(owner.pid) === '0' || processStart(owner.pid) === owner.start;
}
