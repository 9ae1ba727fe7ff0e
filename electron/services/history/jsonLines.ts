/**
 * Streams the records of a JSON Lines file without ever holding more than one line: a line longer
 * than the limit, a line that is not JSON, or JSON that is not an object is counted as damaged and
 * skipped, so neither a torn write nor a gigabyte of garbage can crash a reader.
 */
import { createReadStream } from 'node:fs';
import { errnoCode } from '../fsErrors.js';

export const MAX_LINE_BYTES = 1024 * 1024;

export interface LineStats {
  /** Lines skipped because they were not a JSON object (torn, garbage, too long). */
  damaged: number;
}

export interface JsonLine {
  record: Record<string, unknown>;
  /** Byte offset just after this line: where a reader may resume. */
  end: number;
}

const NEWLINE = 0x0a;

/** Yields every JSON object line of `file` from byte `start`; a missing file yields nothing. */
export async function* readJsonLines(file: string, stats: LineStats, start = 0): AsyncGenerator<JsonLine> {
  const stream = createReadStream(file, { start, highWaterMark: 256 * 1024 });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  let offset = start;
  const finish = (lineEnd: number): JsonLine | null => {
    const line = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    const overlong = tooLong;
    parts = [];
    partBytes = 0;
    tooLong = false;
    if (overlong) {
      stats.damaged += 1;
      return null;
    }
    if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) return null;
    try {
      const value: unknown = JSON.parse(line.toString('utf8'));
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return { record: value as Record<string, unknown>, end: lineEnd };
      }
    } catch {
      // a torn or damaged line: counted below
    }
    stats.damaged += 1;
    return null;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      while (from < chunk.length) {
        const newline = chunk.indexOf(NEWLINE, from);
        const to = newline === -1 ? chunk.length : newline;
        if (!tooLong) {
          if (partBytes + (to - from) > MAX_LINE_BYTES) {
            tooLong = true;
            parts = [];
            partBytes = 0;
          } else if (to > from) {
            parts.push(chunk.subarray(from, to));
            partBytes += to - from;
          }
        }
        if (newline === -1) break;
        const line = finish(offset + newline + 1);
        if (line) yield line;
        from = newline + 1;
      }
      offset += chunk.length;
    }
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  // A last line without its newline was cut short by a crash: damaged unless it parses.
  if (partBytes > 0 || tooLong) {
    const line = finish(offset);
    if (line) yield line;
  }
}
