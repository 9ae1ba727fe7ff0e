import { useSessions } from '../store/StoreContext.js';

/** Short notices after each change, with Undo; errors say what happened and what to do. */
export function Notices() {
  const notices = useSessions((s) => s.notices);
  const dismiss = useSessions((s) => s.dismiss);
  const undo = useSessions((s) => s.undo);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`}>
          <span>{n.message}</span>
          {n.path && (
            <>
              <code className="path">{n.path}</code>
              <button type="button" onClick={() => void navigator.clipboard?.writeText(n.path ?? '')}>
                Copy path
              </button>
            </>
          )}
          {n.undoBatch && (
            <button
              type="button"
              onClick={() => {
                dismiss(n.id);
                void undo(n.undoBatch);
              }}
            >
              Undo
            </button>
          )}
          <button type="button" aria-label="Dismiss" className="dismiss" onClick={() => dismiss(n.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
