/**
 * Small JSON files in the data directory (server settings, push history, encrypted secrets): read
 * tolerantly (missing or damaged means empty, never a crash), written atomically and owner-only,
 * and updated one at a time within this process.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { errnoCode } from '../fsErrors.js';

/** Updates of the same file within one process run one after the other. */
const queues = new Map<string, Promise<unknown>>();

export class JsonDataFile<T> {
  constructor(
    readonly file: string,
    private readonly empty: () => T,
    /** Returns the value when the parsed JSON has the expected shape, else null (the file is then ignored). */
    private readonly accept: (json: unknown) => T | null,
  ) {}

  async read(): Promise<T> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return this.empty();
      throw error;
    }
    try {
      return this.accept(JSON.parse(text)) ?? this.empty();
    } catch {
      return this.empty();
    }
  }

  async write(value: T): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  }

  /** Read, change, write, with no other update of this file in this process in between. */
  update<R>(change: (value: T) => R | Promise<R>): Promise<R> {
    const previous = queues.get(this.file) ?? Promise.resolve();
    const run = previous.then(async () => {
      const value = await this.read();
      const result = await change(value);
      await this.write(value);
      return result;
    });
    const settled = run.catch(() => {});
    queues.set(this.file, settled);
    void settled.then(() => {
      if (queues.get(this.file) === settled) queues.delete(this.file);
    });
    return run;
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
