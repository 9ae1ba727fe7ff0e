import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/LanguageProvider.js';
import { useSessions } from '../store/StoreContext.js';
import { LanguageSelect } from './LanguageSelect.js';

/** Shown / total, pending, selected, watcher state, last push; the window's language. */
export function StatusBar() {
  const matching = useSessions((s) => s.matching);
  const total = useSessions((s) => s.total);
  const apps = useSessions((s) => s.apps);
  const selection = useSessions((s) => s.selection);
  const watcher = useSessions((s) => s.app?.watcher);
  const scan = useSessions((s) => s.app?.scan);
  const lastPush = useSessions((s) => s.pushState?.unpushed.lastPush ?? null);
  const { t } = useTranslation();
  const formats = useFormats();
  const pending = apps.reduce((n, a) => n + a.counts.pending, 0);
  const selected = selection.allMatching ? matching : selection.refs.size;
  const state = watcher?.state ?? 'stopped';
  return (
    <footer className="status-bar">
      <span>{t('window:statusBar.shown', { matching, total })}</span>
      <span>{t('window:statusBar.pending', { count: pending })}</span>
      <span>{t('window:statusBar.selected', { count: selected })}</span>
      {scan && <span>{t('window:statusBar.reading', { scanned: scan.scanned, total: scan.total })}</span>}
      {/* The label says the state in the window's words; the engine's own account of it is the detail. */}
      <span className={`watcher ${state}`} title={watcher?.message}>
        {t(`window:statusBar.watcher.${state}`)}
      </span>
      <span>
        {lastPush
          ? t('window:statusBar.lastPush', { when: formats.dateTime(lastPush.time) })
          : t('window:statusBar.notPushed')}
      </span>
      <LanguageSelect />
    </footer>
  );
}
