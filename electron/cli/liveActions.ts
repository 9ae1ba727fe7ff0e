/**
 * What `watch` and `refresh` do (their options are in liveCommands.ts): both take the engine's
 * events, as the desktop and the browser mode do. Loaded only when one of them runs.
 */
import type { AppState } from '../../shared/contract.js';
import type { WorkspaceDelta } from '../../shared/deltas.js';
import { withEngine } from './engine.js';
import { deltaToJson, formatDelta } from './format.js';
import type { CommandContext } from './lazyAction.js';

export async function watch(
  { io }: CommandContext,
  root: string,
  options: { polling?: boolean; json?: boolean },
): Promise<void> {
  await withEngine(io, async (engine) => {
    const print = (delta: WorkspaceDelta) => {
      if (options.json) io.stdout(`${JSON.stringify(deltaToJson(delta))}\n`);
      else {
        const line = formatDelta(delta);
        if (line) io.stdout(`${line}\n`);
      }
    };
    // The watcher's state comes with the app's state: a line each time it changes.
    let watcher: AppState['watcher'] = { state: 'starting', message: '' };
    const printWatcher = (next: AppState['watcher']) => {
      if (next.state === watcher.state && next.message === watcher.message) return;
      watcher = next;
      // The folder gone is news for the person, not a change in it: said on stderr.
      if (next.state === 'root-missing' && !options.json)
        io.stderr(`${formatDelta({ type: 'watcher-state', ...next })}\n`);
      else print({ type: 'watcher-state', ...next });
    };
    // Until the folder is open, the deltas are the cached index catching up with the disk:
    // changes made before `watch` started, not live ones (`refresh` lists them). Counted, not printed.
    let live = false;
    let earlier = 0;
    engine.subscribe((event) => {
      if (!live) {
        if (event.type === 'deltas') earlier += event.deltas.filter((d) => 'ref' in d).length;
      } else if (event.type === 'deltas') for (const delta of event.deltas) print(delta);
      else printWatcher(event.state.watcher);
    });
    const opened = await engine.open(root, { polling: options.polling === true });
    live = true;
    if (earlier > 0 && !options.json)
      io.stdout(`(${earlier} changes made before watch started are not listed: refresh lists them.)\n`);
    printWatcher(opened.watcher);
    await io.untilInterrupted();
    printWatcher((await engine.request('closeRoot', {})).watcher);
  });
}

export async function refresh(
  { io }: CommandContext,
  root: string,
  options: { json?: boolean },
): Promise<void> {
  await withEngine(io, async (engine) => {
    // Opening from the cache checks it against the disk, and the refresh checks again: what
    // changed comes as deltas from either, each once, so the events are the whole answer.
    const deltas: WorkspaceDelta[] = [];
    engine.subscribe((event) => {
      if (event.type === 'deltas') deltas.push(...event.deltas);
    });
    const state = await engine.open(root);
    await engine.request('refresh', {});
    if (options.json) {
      for (const delta of deltas) io.stdout(`${JSON.stringify(deltaToJson(delta))}\n`);
      // Always a last line, so "nothing changed" is an answer too, not silence.
      const changes = deltas.filter((delta) => 'ref' in delta).length;
      io.stdout(
        `${JSON.stringify({ type: 'refreshed', changes, openedFrom: state.openedFrom ?? 'scan' })}\n`,
      );
      return;
    }
    if (state.openedFrom !== 'cache') {
      const apps = await engine.request('listApps', {});
      const sessions = apps.reduce((n, app) => n + app.counts.sessions, 0);
      io.stdout(
        `No cached index for ${state.root} yet: scanned ${sessions} sessions; the next refresh reports changes.\n`,
      );
      return;
    }
    const lines = deltas.map(formatDelta).filter((line): line is string => line !== null);
    io.stdout(lines.length ? `${lines.join('\n')}\n` : 'Nothing changed.\n');
  });
}
