import { formatDate } from '../format.js';
import { useSessions } from '../store/StoreContext.js';

const WATCHER_LABEL: Record<string, string> = {
  starting: 'Starting…',
  watching: 'Live',
  polling: 'Polling',
  'root-missing': 'Folder missing',
  stopped: 'Stopped',
};

/** Shown / total, pending, selected, watcher state, last push. */
export function StatusBar() {
  const matching = useSessions((s) => s.matching);
  const total = useSessions((s) => s.total);
  const apps = useSessions((s) => s.apps);
  const selection = useSessions((s) => s.selection);
  const watcher = useSessions((s) => s.app?.watcher);
  const scan = useSessions((s) => s.app?.scan);
  const lastPush = useSessions((s) => s.pushState?.unpushed.lastPush ?? null);
  const pending = apps.reduce((n, a) => n + a.counts.pending, 0);
  const selected = selection.allMatching ? matching : selection.refs.size;
  return (
    <footer className="status-bar">
      <span>
        {matching} of {total} sessions shown
      </span>
      <span>{pending} pending</span>
      <span>{selected} selected</span>
      {scan && (
        <span>
          Reading {scan.scanned} / {scan.total}
        </span>
      )}
      <span className={`watcher ${watcher?.state ?? 'stopped'}`} title={watcher?.message}>
        {WATCHER_LABEL[watcher?.state ?? 'stopped']}
      </span>
      <span>{lastPush ? `Last push ${formatDate(lastPush.time)}` : 'Not pushed yet'}</span>
    </footer>
  );
}
