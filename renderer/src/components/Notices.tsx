import { useTranslation } from 'react-i18next';
import { useSessions } from '../store/StoreContext.js';

/** Short notices after each change, with Undo; errors say what happened and what to do. */
export function Notices() {
  const notices = useSessions((s) => s.notices);
  const dismiss = useSessions((s) => s.dismiss);
  const hold = useSessions((s) => s.holdNotice);
  const run = useSessions((s) => s.run);
  const besideDetails = useSessions((s) => s.details !== null);
  const { t } = useTranslation();
  return (
    <div className={besideDetails ? 'notices beside-details' : 'notices'} role="status" aria-live="polite">
      {notices.map((n) => (
        // biome-ignore lint/a11y/noStaticElementInteractions: pointer and focus only hold the notice open; its buttons act
        <div
          key={n.id}
          className={`notice ${n.kind}`}
          onPointerEnter={() => hold(n.id, true)}
          onPointerLeave={() => hold(n.id, false)}
          onFocus={() => hold(n.id, true)}
          onBlur={() => hold(n.id, false)}
        >
          <span>{n.message}</span>
          {n.path && (
            <>
              <code className="path">{n.path}</code>
              <button type="button" onClick={() => void navigator.clipboard?.writeText(n.path ?? '')}>
                {t('window:notices.copyPath')}
              </button>
            </>
          )}
          {n.undoBatch && (
            <button
              type="button"
              onClick={() => {
                dismiss(n.id);
                void run('undo', { batch: n.undoBatch });
              }}
            >
              {t('window:notices.undo')}
            </button>
          )}
          <button
            type="button"
            aria-label={t('window:notices.dismiss')}
            className="dismiss"
            onClick={() => dismiss(n.id)}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
