import { useEffect, useRef } from 'react';
import { pushDocsHtml } from '../pushDocs.js';

/** The Push documentation (docs/push.md, built in) in a dialog of its own, over Push Setup. */
export function PushDocs({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="modal docs" aria-label="Push: the 4D side" onClose={onClose}>
      <div className="modal-actions docs-actions">
        <button type="button" className="primary" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
      {/* Our own page, bundled at build time: no device's or server's text reaches it. */}
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: docs/push.md rendered by marked at our build */}
      <div className="docs-page" dangerouslySetInnerHTML={{ __html: pushDocsHtml() }} />
    </dialog>
  );
}
