import { useTranslation } from 'react-i18next';
import { SESSIONS_GRID_ID } from './SessionsTable.js';

/**
 * The window's first Tab stop, shown only while it has the focus: it takes the keyboard past the
 * toolbar, the app list and the filters straight to the sessions (or to the main view beside them).
 */
export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a
      className="skip-link"
      href={`#${SESSIONS_GRID_ID}`}
      onClick={(event) => {
        event.preventDefault();
        const target =
          document.getElementById(SESSIONS_GRID_ID) ?? document.querySelector<HTMLElement>('main');
        if (target && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target?.focus();
      }}
    >
      {t('window:skipLink')}
    </a>
  );
}
