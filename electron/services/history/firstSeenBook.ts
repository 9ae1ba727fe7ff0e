/**
 * "First seen", kept by the engine: the files hold no timestamps and the app's own rewrites make a
 * new inode (and so a new birth time), so the first-seen time of every session the app rewrites
 * or restores is written down here, in the folder's history directory, before the rewrite. The
 * index prefers this book to the file system; a session the app never touched keeps its birth
 * time. One JSON line per ref, the first one recorded wins.
 */
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../fsErrors.js';

export type FirstSeenMap = ReadonlyMap<string, string>;

/** Whether a file's last line was cut short (a crash during an append). */
function endsMidLine(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

export class FirstSeenBook {
  readonly file: string;

  constructor(historyDir: string) {
    this.file = path.join(historyDir, 'first-seen.jsonl');
  }

  /** The recorded first-seen times by ref; damaged lines are skipped. */
  load(): Map<string, string> {
    const map = new Map<string, string>();
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      // Unreadable: sessions show their birth times instead; the history's own errors say why.
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'EACCES' || errnoCode(error) === 'EPERM')
        return map;
      throw error;
    }
    for (const line of text.split('\n')) {
      try {
        const { ref, firstSeen } = JSON.parse(line) as { ref?: unknown; firstSeen?: unknown };
        if (typeof ref === 'string' && typeof firstSeen === 'string' && !map.has(ref))
          map.set(ref, firstSeen);
      } catch {
        // a torn line
      }
    }
    return map;
  }

  /** Writes down the first-seen times not recorded yet (a few bytes per session the app rewrites). */
  record(known: Map<string, string>, entries: Array<{ ref: string; firstSeen: string }>): void {
    const fresh = entries.filter((e) => !known.has(e.ref));
    if (fresh.length === 0) return;
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const lead = endsMidLine(this.file) ? '\n' : '';
    appendFileSync(this.file, lead + fresh.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
    for (const e of fresh) known.set(e.ref, e.firstSeen);
  }
}
