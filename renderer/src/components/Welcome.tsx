import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { commandLabel } from '../../../shared/commands.js';
import { useSessions } from '../store/StoreContext.js';
import { LanguageSelect } from './LanguageSelect.js';
import { markers, richText } from './richText.js';

/** The folder names the introduction shows as code, in every language. */
const INTRO_CODE = { folder: <code>MobileApps</code>, projectPath: <code>Data/MobileApps</code> };

/** A full path on the server: `/…` (macOS, Linux), `C:\…` or `\\server\share` (Windows). */
export const isAbsolutePath = (typed: string): boolean =>
  typed.startsWith('/') || /^[A-Za-z]:[\\/]/.test(typed) || typed.startsWith('\\\\');

/** No folder open: open one, or try the demo. */
export function Welcome() {
  const api = useSessions((s) => s.api);
  const openRoot = useSessions((s) => s.openRoot);
  const openDemo = useSessions((s) => s.openDemo);
  const recent = useSessions((s) => s.recentRoots);
  const busy = useSessions((s) => s.busy);
  const [path, setPath] = useState('');
  const [pathError, setPathError] = useState<string | null>(null);

  const run = useSessions((s) => s.run);
  const { t } = useTranslation();

  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Mobile Sessions</h1>
      <p>{richText(t('window:welcome.intro', markers(INTRO_CODE)), INTRO_CODE)}</p>
      <div className="welcome-actions">
        {api.pickFolder ? (
          <button type="button" className="primary" onClick={() => void run('open-folder')} disabled={busy}>
            {commandLabel('open-folder', 'browser', t)}
          </button>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              const typed = path.trim();
              if (!typed) return;
              // Relative to what? The server's working folder, which the admin cannot see: ask for the full path.
              if (!isAbsolutePath(typed)) {
                setPathError(t('window:welcome.pathNotAbsolute', { typed }));
                return;
              }
              setPathError(null);
              void openRoot(typed);
            }}
          >
            <label htmlFor="root-path">{t('window:welcome.pathLabel')}</label>
            <div className="row">
              <input
                id="root-path"
                value={path}
                onChange={(e) => {
                  setPath(e.target.value);
                  setPathError(null);
                }}
                placeholder={t('window:welcome.pathPlaceholder')}
                aria-invalid={pathError !== null}
                aria-describedby={pathError ? 'root-path-error' : undefined}
              />
              <button type="submit" className="primary" disabled={busy || !path.trim()}>
                {t('window:welcome.openTyped')}
              </button>
            </div>
            {pathError && (
              <p id="root-path-error" className="field-error" role="alert">
                {pathError}
              </p>
            )}
          </form>
        )}
        <button type="button" onClick={() => void openDemo()} disabled={busy}>
          {t('window:welcome.demo')}
        </button>
      </div>
      {recent.length > 0 && (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">{t('window:welcome.recent')}</h2>
          <ul className="recent">
            {recent.map((root) => (
              <li key={root}>
                <button type="button" className="link" onClick={() => void openRoot(root)}>
                  {root}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <footer className="welcome-footer">
        <LanguageSelect />
      </footer>
    </main>
  );
}
