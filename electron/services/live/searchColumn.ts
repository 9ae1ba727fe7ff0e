/**
 * The search box's column for one sorted order of sessions: what a search looks in, in a few
 * contiguous strings, so a search is a pattern run over them instead of reading fields of 100,000
 * objects scattered in the heap (20–35 ms per pass).
 *
 * The column follows the order position by position. It is cut into chunks of about a thousand
 * rows; a chunk holds its rows' text, where each row starts, where its session id and IP start,
 * and a byte of flags per row (status, simulator, problems, guest: the filters other than the
 * search and the OS, and the pending count, need no object read). A change to the order
 * (`inserted`, `removed`) only changes a chunk's row count and marks it dirty: its text is built
 * again, from the order's rows, when it is next searched or refreshed. A burst of changes costs
 * the chunks it touched, once, never a rebuild per change.
 *
 * A row's text is `device ␀ e-mail ␀ session id ␀ IP ␀` (␀ = SEPARATOR), the fields as they are: a
 * needle without the separator can never match across two fields, and a hit in the id/IP part is
 * skipped for a needle that cannot be part of an id or an IP.
 *
 * Case is ignored by Unicode case folding (a `/…/iu` pattern, `needlePattern`), the meaning the
 * search has for one session too (`fieldMatches`): "zoë" finds "ZOË", "σ" finds "ς" and "Σ".
 * Matching on the text as it is, rather than on a lower-cased copy, is as fast (2–6 ms for 100,000
 * rows, measured) and allocates no copy.
 */
import { isGuest } from '../../../shared/cleanup.js';
import type { SessionSummary } from '../../../shared/session.js';

/** Between the fields of a row, and after its last one. A needle holding it is not searched here. */
export const SEPARATOR = '\u0000';

/**
 * Rows per chunk when the column is made; a chunk that grows to twice this is split. A change
 * costs its chunk's text built again: 256 rows (about 23 KB at 100,000 sessions) keep what the
 * changes of a busy server throw away small, where 1,024 made four times the garbage per change
 * and raised the engine's peak memory.
 */
const CHUNK_ROWS = 256;

export const ROW_PENDING = 1;
export const ROW_ACCEPTED = 2;
export const ROW_SIMULATOR = 4;
export const ROW_PROBLEMS = 8;
export const ROW_GUEST = 16;

export function rowFlags(s: SessionSummary): number {
  let flags = 0;
  if (s.status === 'pending') flags |= ROW_PENDING;
  else if (s.status === 'accepted') flags |= ROW_ACCEPTED;
  if (s.device.simulator) flags |= ROW_SIMULATOR;
  if (s.problems.length > 0) flags |= ROW_PROBLEMS;
  if (isGuest(s)) flags |= ROW_GUEST;
  return flags;
}

/** The needle as a pattern: literal, case-insensitive (Unicode case folding), global (searched from `lastIndex`). */
export function needlePattern(needle: string): RegExp {
  return new RegExp(needle.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'giu');
}

/** Whether one field holds the needle, as the column would find it. `pattern` is a `needlePattern`. */
export function fieldMatches(field: string | null, pattern: RegExp): boolean {
  if (!field) return false;
  pattern.lastIndex = 0;
  return pattern.test(field);
}

/**
 * The characters other than ASCII that match an ASCII character under `/iu` case folding: the
 * long s (s, S) and the Kelvin sign (k, K). No other character of Unicode does
 * (searchColumn.test.ts checks every code point against the engine's own patterns).
 */
const FOLDING_TO_ASCII = ['\u017F', '\u212A'];

/** `asciiVariants` of every ASCII character, by its code, made at the first search. */
let variantsByCode: string[][] | null = null;

function variantsOfEveryAscii(): string[][] {
  const table: string[][] = [];
  for (let code = 0; code <= 0x7f; code++) {
    const needle = String.fromCharCode(code);
    const pattern = needlePattern(needle);
    const candidates = new Set([needle, needle.toLowerCase(), needle.toUpperCase(), ...FOLDING_TO_ASCII]);
    table.push([...candidates].filter((c) => fieldMatches(c, pattern)));
  }
  return table;
}

/**
 * The characters a one-character ASCII needle matches, as its pattern would (its two cases, and
 * the long s or the Kelvin sign for s and k); null for any other needle. A lookup in a table made
 * once for all 128: a search's first letter made the search's compiled code take a path it had
 * never run, and V8 threw that code away in the middle of the search.
 */
export function asciiVariants(needle: string): string[] | null {
  if (needle.length !== 1) return null;
  const code = needle.charCodeAt(0);
  if (code > 0x7f) return null;
  variantsByCode ??= variantsOfEveryAscii();
  return variantsByCode[code] as string[];
}

/** A session id is hexadecimal and an IP hexadecimal digits, dots and colons. */
export const mayBeInIds = (needle: string) => /^[0-9a-f.:]*$/.test(needle);

/** Whether the column can answer this (lower-cased) needle. */
export const searchable = (needle: string) => !needle.includes(SEPARATOR);

interface Chunk {
  size: number;
  /** null: dirty, built again from the order's rows when needed. */
  text: string | null;
  /** Where each row's text starts in `text`, and (at `size`) its end. */
  starts: Int32Array | null;
  /** Where each row's session id starts: a hit from here on is in the id or the IP. */
  ids: Int32Array | null;
  flags: Uint8Array | null;
}

const dirtyChunk = (size: number): Chunk => ({ size, text: null, starts: null, ids: null, flags: null });

export class SearchColumn {
  private chunks: Chunk[] = [];
  private total = 0;
  private readonly maxChunkRows: number;
  /** Filled by `searchChunk`: the places of the rows found in the chunk searched last. */
  readonly hits: Int32Array;

  /**
   * A column for `length` rows, every chunk dirty (nothing is read until it is refreshed or
   * searched). `chunkRows` is a test seam (small chunks split and empty in a few changes).
   */
  constructor(length: number, chunkRows = CHUNK_ROWS) {
    for (let left = length; left > 0; left -= chunkRows)
      this.chunks.push(dirtyChunk(Math.min(left, chunkRows)));
    this.total = length;
    this.maxChunkRows = 2 * chunkRows;
    this.hits = new Int32Array(this.maxChunkRows);
  }

  /** Rows in the column: always the order's length. */
  get length(): number {
    return this.total;
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  rowsIn(chunk: number): number {
    return (this.chunks[chunk] as Chunk).size;
  }

  /** A row was inserted into the order at `index`. */
  inserted(index: number): void {
    if (index < 0 || index > this.total) throw new RangeError(`Row ${index} is outside 0..${this.total}.`);
    this.total++;
    let start = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Chunk;
      if (index <= start + chunk.size) {
        this.chunks[c] = dirtyChunk(chunk.size + 1);
        if (chunk.size + 1 > this.maxChunkRows) {
          const half = (chunk.size + 1) >>> 1;
          this.chunks.splice(c, 1, dirtyChunk(half), dirtyChunk(chunk.size + 1 - half));
        }
        return;
      }
      start += chunk.size;
    }
    this.chunks.push(dirtyChunk(1));
  }

  /** The row at `index` was removed from the order. */
  removed(index: number): void {
    if (index < 0 || index >= this.total)
      throw new RangeError(`Row ${index} is outside 0..${this.total - 1}.`);
    this.total--;
    let start = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Chunk;
      if (index < start + chunk.size) {
        if (chunk.size === 1) this.chunks.splice(c, 1);
        else this.chunks[c] = dirtyChunk(chunk.size - 1);
        return;
      }
      start += chunk.size;
    }
  }

  /** Whether any chunk waits to be built again. */
  get dirty(): boolean {
    return this.chunks.some((chunk) => chunk.text === null);
  }

  /**
   * Builds dirty chunks from the order's rows until `timeUp()` says the slice is used up (checked
   * after each chunk, about a millisecond); returns whether every chunk is built.
   */
  refresh(rows: readonly SessionSummary[], timeUp: () => boolean): boolean {
    this.checkLength(rows);
    let start = 0;
    for (const chunk of this.chunks) {
      if (chunk.text === null) {
        build(chunk, rows, start);
        if (timeUp()) return !this.dirty;
      }
      start += chunk.size;
    }
    return true;
  }

  /**
   * Searches one chunk (building it first when dirty), whose first row is at `start` in `rows`:
   * puts in `hits`, in order, the place in the chunk of each row whose device or e-mail holds
   * `needle`, case ignored (or its id or IP, when `inIds`), and returns how many. An empty needle
   * finds every row. `needle` is `searchable`. The rows' flags are `flagsOf(index)`.
   *
   * Row numbers rather than a function called per row: a function made per search (or per chunk)
   * is a new call target for V8 each time, and the compiled loops were thrown away and made
   * again at the next search ("wrong call target"), which kept the first searches of a process
   * in the interpreter.
   */
  searchChunk(
    index: number,
    start: number,
    rows: readonly SessionSummary[],
    needle: string,
    inIds: boolean,
  ): number {
    const chunk = this.chunks[index] as Chunk;
    if (chunk.text === null) build(chunk, rows, start);
    const text = chunk.text as string;
    const starts = chunk.starts as Int32Array;
    const ids = chunk.ids as Int32Array;
    const hits = this.hits;
    if (needle === '') {
      for (let r = 0; r < chunk.size; r++) hits[r] = r;
      return chunk.size;
    }
    const variants = asciiVariants(needle);
    if (variants) return searchVariants(text, starts, ids, variants, inIds, hits);
    const pattern = this.patternOf(needle);
    pattern.lastIndex = 0;
    let found = 0;
    let r = 0;
    while (pattern.test(text)) {
      // The match's last character: inside one field (a needle holds no separator), so inside its row.
      const at = pattern.lastIndex - 1;
      while ((starts[r + 1] as number) <= at) r++;
      // The first hit in a row is in its id or IP only if its device and e-mail hold none. (The
      // id's start is compared first, whatever `inIds` says: code a process has not run yet has no
      // type feedback, and V8 throws the compiled loop away when a search first runs it.)
      if (at < (ids[r] as number) || inIds) hits[found++] = r;
      pattern.lastIndex = starts[r + 1] as number;
    }
    return found;
  }

  /** The flags (ROW_…) of a chunk's rows, by their place in it; the chunk is built (searched). */
  flagsOf(index: number): Uint8Array {
    const flags = (this.chunks[index] as Chunk).flags;
    if (!flags) throw new Error(`Chunk ${index} of the search column is not built.`);
    return flags;
  }

  /** The last needle's pattern: a search runs the same one over every chunk. */
  private pattern: { needle: string; regex: RegExp } | null = null;

  private patternOf(needle: string): RegExp {
    if (this.pattern?.needle !== needle) this.pattern = { needle, regex: needlePattern(needle) };
    return this.pattern.regex;
  }

  /** Bytes held by the built chunks (text at one or two bytes a character, as V8 stores it). */
  bytes(): number {
    let bytes = 0;
    for (const chunk of this.chunks) {
      if (chunk.text === null) continue;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the separator is a control character
      const wide = /[^\u0000-\u00ff]/.test(chunk.text);
      bytes += chunk.text.length * (wide ? 2 : 1);
      bytes +=
        (chunk.starts?.byteLength ?? 0) + (chunk.ids?.byteLength ?? 0) + (chunk.flags?.byteLength ?? 0);
    }
    return bytes;
  }

  private checkLength(rows: readonly SessionSummary[]): void {
    if (rows.length !== this.total)
      throw new Error(`The search column has ${this.total} rows, its order ${rows.length}.`);
  }
}

/**
 * A one-character search by `indexOf` of each character it matches, rather than a pattern run per
 * row: at 100,000 rows, 1.0–2.9 ms where the pattern took 2.9–6.0 ms (half as much for the
 * broadest, one character matching nearly every row; a fifth for a rarer one). `next[i]` is where
 * `variants[i]` next occurs from the current row on (-1: nowhere), so the text is read once
 * whatever the number of variants. Puts the rows found in `hits`, returns how many.
 */
function searchVariants(
  text: string,
  starts: Int32Array,
  ids: Int32Array,
  variants: string[],
  inIds: boolean,
  hits: Int32Array,
): number {
  const next = variants.map((v) => text.indexOf(v));
  let found = 0;
  let r = 0;
  for (;;) {
    let at = -1;
    for (const p of next) if (p >= 0 && (at < 0 || p < at)) at = p;
    if (at < 0) return found;
    while ((starts[r + 1] as number) <= at) r++;
    // The first hit in the row: in its id or IP only if its device and e-mail hold none (the id's
    // start compared first, as in `searchChunk`).
    if (at < (ids[r] as number) || inIds) hits[found++] = r;
    const end = starts[r + 1] as number;
    for (let i = 0; i < next.length; i++) {
      const p = next[i] as number;
      if (p >= 0 && p < end) next[i] = text.indexOf(variants[i] as string, end);
    }
  }
}

/**
 * Builds a chunk's text from its rows: the fields as they are, joined into one string, made once
 * (no lower-cased copy: the search's pattern ignores case). At 100,000 rows a lower-cased copy
 * doubled what each build allocated, and the column is built again for every order searched and
 * after a burst of changes: that garbage raised the engine's peak memory by tens of megabytes.
 */
function build(chunk: Chunk, rows: readonly SessionSummary[], start: number): void {
  const size = chunk.size;
  const starts = new Int32Array(size + 1);
  const ids = new Int32Array(size);
  const flags = new Uint8Array(size);
  // Four fields per row, each followed by the separator (the empty last part gives the last one).
  const parts: string[] = new Array(size * 4 + 1);
  let length = 0;
  for (let r = 0; r < size; r++) {
    const s = rows[start + r] as SessionSummary;
    const device = s.device.description ?? '';
    const email = s.email ?? '';
    const ip = s.session.ip ?? '';
    starts[r] = length;
    ids[r] = length + device.length + email.length + 2;
    length += device.length + email.length + s.id.length + ip.length + 4;
    parts[r * 4] = device;
    parts[r * 4 + 1] = email;
    parts[r * 4 + 2] = s.id;
    parts[r * 4 + 3] = ip;
    flags[r] = rowFlags(s);
  }
  starts[size] = length;
  parts[size * 4] = '';
  chunk.text = parts.join(SEPARATOR);
  chunk.starts = starts;
  chunk.ids = ids;
  chunk.flags = flags;
}
