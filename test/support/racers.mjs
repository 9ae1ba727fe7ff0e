/**
 * Processes that fight the one writer over a session file, for writer.attack.test.ts. Run with
 * `node racers.mjs <mode> <file> <max ms> [outside]`; each prints `ready` once it is running,
 * stops when a line arrives on stdin (or stdin closes, or its time or iteration budget runs out),
 * and then prints one JSON report line.
 *
 *  - `atomic`:  reads the file, checks `userInfo.counter` is the last counter it wrote (lower: a
 *               lost version), writes counter + 1 with the status it read: temp file + rename;
 *               then waits 1 to 3 ms (2 on average, at random), and PAUSE_MS every PAUSE_EVERY
 *               writes, so that some of the app's edits get through.
 *  - `inplace`: the same, written in place (fs.writeFileSync on the file: O_TRUNC).
 *  - `swap`:    swaps the session file for a symbolic link to `outside` and back, as fast as it
 *               can: hard link the real file aside, rename a link over the name, rename the real
 *               file back (one time in DWELL_EVERY the link stays a millisecond, so that writers
 *               read it and move it aside too). A link it finds at the name is replaced by the
 *               last real version it saw, and counted; so is whatever is at the name on stop, if
 *               it is not a regular file.
 */
import fs from 'node:fs';
import path from 'node:path';

const [mode, file, maxMs, outside] = process.argv.slice(2);
const MAX_MS = Math.min(Number(maxMs) || 20_000, 120_000);
const MAX_ITERATIONS = 200_000;
const PAUSE_EVERY = 25;
const PAUSE_MS = 30;
const DWELL_EVERY = 8;
const dir = path.dirname(file);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const code = (error) => (error && typeof error === 'object' && 'code' in error ? error.code : null);

let stopped = false;
process.stdin.on('data', () => {
  stopped = true;
});
process.stdin.on('end', () => {
  stopped = true;
});
process.stdin.on('error', () => {
  stopped = true;
});
const deadline = Date.now() + MAX_MS;
const running = () => !stopped && Date.now() < deadline;

async function race(inPlace) {
  const tmp = path.join(dir, '.racer.tmp');
  const report = {
    mode,
    iterations: 0,
    writes: 0,
    retries: 0,
    lost: 0,
    lostSamples: [],
    unexpected: 0,
    lastWritten: null,
    /** The longest write (ms): in place, the file is empty that long. */
    maxWriteMs: 0,
    /** Writes that took longer than 20 ms, the app's wait before it calls a file broken. */
    slowWrites: 0,
    totalWriteMs: 0,
    timedOut: false,
  };
  let announced = false;
  while (running() && report.iterations < MAX_ITERATIONS) {
    report.iterations += 1;
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if (code(error) !== 'ENOENT') throw error;
      report.retries += 1;
      await sleep(1);
      continue;
    }
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      report.retries += 1;
      await sleep(1);
      continue;
    }
    const counter = json.userInfo?.counter;
    if (report.lastWritten !== null && counter !== report.lastWritten) {
      if (typeof counter === 'number' && counter < report.lastWritten) {
        report.lost += 1;
        if (report.lostSamples.length < 10) {
          report.lostSamples.push({ read: counter, lastWritten: report.lastWritten, status: json.status });
        }
      } else report.unexpected += 1;
    }
    const next = { ...json, userInfo: { ...json.userInfo, counter: counter + 1 } };
    const bytes = JSON.stringify(next, null, 2);
    const writeStart = performance.now();
    if (inPlace) fs.writeFileSync(file, bytes);
    else {
      fs.writeFileSync(tmp, bytes);
      fs.renameSync(tmp, file);
    }
    const writeMs = performance.now() - writeStart;
    report.maxWriteMs = Math.max(report.maxWriteMs, Math.round(writeMs * 10) / 10);
    report.totalWriteMs += writeMs;
    if (writeMs > 20) report.slowWrites += 1;
    report.lastWritten = counter + 1;
    report.writes += 1;
    if (!announced) {
      process.stdout.write('ready\n');
      announced = true;
    }
    await sleep(report.writes % PAUSE_EVERY === 0 ? PAUSE_MS : 1 + Math.floor(Math.random() * 3));
  }
  report.timedOut = Date.now() >= deadline;
  report.totalWriteMs = Math.round(report.totalWriteMs);
  return report;
}

async function swap() {
  const link = path.join(dir, '.swap.link');
  const saved = path.join(dir, '.swap.saved');
  const restore = path.join(dir, '.swap.restore');
  const report = {
    mode,
    iterations: 0,
    swaps: 0,
    skipped: 0,
    /**
     * Times it found a link at the name when an iteration began. It always puts the real file
     * back right after its link, so such a link was put back by someone else after the real
     * file had come back: whoever had moved that real file aside then dropped it.
     */
    linkFound: 0,
    /** When it first found one, in ms since it started (null: never). */
    firstLinkFoundMs: null,
    endState: null,
    restored: false,
    timedOut: false,
  };
  const started = Date.now();
  let lastReal = fs.readFileSync(file);
  /** Puts the last real version it saw back at the name, in place of whatever is there. */
  const putBack = () => {
    fs.rmSync(restore, { force: true });
    fs.writeFileSync(restore, lastReal, { flag: 'wx' });
    fs.renameSync(restore, file);
  };
  let announced = false;
  while (running() && report.iterations < MAX_ITERATIONS) {
    report.iterations += 1;
    fs.rmSync(link, { force: true });
    fs.symlinkSync(outside, link);
    fs.rmSync(saved, { force: true });
    try {
      fs.linkSync(file, saved); // what is at the name now (link(2) does not follow a symlink)
    } catch (error) {
      if (code(error) !== 'ENOENT') throw error;
      report.skipped += 1; // the name is free (a writer's window, or deleted): nothing to swap
      await sleep(1);
      continue;
    }
    if (!fs.lstatSync(saved).isFile()) {
      report.linkFound += 1;
      report.firstLinkFoundMs ??= Date.now() - started;
      fs.rmSync(saved, { force: true });
      putBack(); // so that the attack goes on against a real file
      await sleep(1);
      continue;
    }
    lastReal = fs.readFileSync(saved);
    fs.renameSync(link, file); // the session's name now points outside
    // Mostly back at once; one time in DWELL_EVERY the link stays a millisecond.
    if (report.iterations % DWELL_EVERY === 0) await sleep(1);
    fs.renameSync(saved, file); // and the real file is back
    report.swaps += 1;
    if (!announced) {
      process.stdout.write('ready\n');
      announced = true;
    }
    // Yield now and then so that stdin (the stop line) is read.
    if (report.iterations % 20 === 0) await sleep(0);
  }
  report.timedOut = Date.now() >= deadline;
  fs.rmSync(link, { force: true });
  fs.rmSync(saved, { force: true });
  let stats = null;
  try {
    stats = fs.lstatSync(file);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
  report.endState =
    stats === null ? 'missing' : stats.isSymbolicLink() ? 'symlink' : stats.isFile() ? 'file' : 'other';
  if (report.endState !== 'file') {
    putBack(); // never through a link: a new file renamed over the name
    report.restored = true;
  }
  return report;
}

const report = mode === 'swap' ? await swap() : await race(mode === 'inplace');
process.stdout.write(`${JSON.stringify(report)}\n`);
process.stdin.destroy();
