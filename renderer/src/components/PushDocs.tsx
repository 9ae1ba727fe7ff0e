import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../i18n/LanguageProvider.js';
import { pushDocsHtml } from '../pushDocs.js';

/** The Push documentation (docs/push.md, built in) in a dialog of its own, over Push Setup. */
export function PushDocs({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useTranslation();
  const { language } = useLanguage();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const page = pushDocsHtml(language);
  return (
    <dialog ref={ref} className="modal docs" aria-label={t('push:docs.label')} onClose={onClose}>
      <div className="modal-actions docs-actions">
        <button type="button" className="primary" onClick={() => ref.current?.close()}>
          {t('push:docs.close')}
        </button>
      </div>
      {/* Our own page, bundled at build time: no device's or server's text reaches it. */}
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: docs/push*.md rendered by marked at our build */}
      <div className="docs-page" lang={page.language} dangerouslySetInnerHTML={{ __html: page.html }} />
    </dialog>
  );
}
