/**
 * Push, in plain words: set up the server once, see what the server will do, push, see what it
 * did. Failures say what to do (docs/push.md has the 4D side).
 */
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { PushAuthKind } from '../../../shared/push.js';
import { useLanguage } from '../i18n/LanguageProvider.js';
import { problemTitle } from '../problemTexts.js';
import { settingsAdvice } from '../pushAdvice.js';
import { engineDetail, resultSummary, resultTitle } from '../pushTexts.js';
import { useSessions } from '../store/StoreContext.js';
import { PushDocs } from './PushDocs.js';

function Modal({
  title,
  children,
  onClose,
}: {
  title: string;
  children: React.ReactNode;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="modal" aria-labelledby="modal-title" onClose={onClose}>
      <h2 id="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}

/** The authentications Push Setup offers, in the order shown. */
const AUTH_CHOICES: readonly PushAuthKind[] = ['bearer', 'basic', 'rest-login', 'none'];

function SetupForm() {
  const current = useSessions((s) => s.pushState?.settings);
  const save = useSessions((s) => s.saveServerSettings);
  const close = useSessions((s) => s.closePushDialog);
  const [url, setUrl] = useState(current?.url ?? '');
  const [auth, setAuth] = useState<PushAuthKind>(current?.auth ?? 'bearer');
  const [user, setUser] = useState(current?.user ?? '');
  const [secret, setSecret] = useState('');
  const [trust, setTrust] = useState(current?.tls.trustSelfSigned ?? false);
  const [showDocs, setShowDocs] = useState(false);
  const { t } = useTranslation();
  return (
    <Modal title={t('push:setup.title')} onClose={close}>
      <p>
        <Trans i18nKey="push:setup.intro" components={{ code: <code /> }} />{' '}
        <button type="button" className="link" onClick={() => setShowDocs(true)}>
          {t('push:setup.showDocs')}
        </button>
      </p>
      {showDocs && <PushDocs onClose={() => setShowDocs(false)} />}
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void save(
            {
              url: url.trim(),
              auth,
              ...(auth === 'basic' || auth === 'rest-login' ? { user: user.trim() || null } : {}),
              tls: { trustSelfSigned: trust },
            },
            secret || undefined,
          );
        }}
      >
        <label>
          {t('push:setup.url')}
          <input
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://server.example.com/mobile-sessions/refresh"
          />
        </label>
        <label>
          {t('push:setup.auth')}
          <select value={auth} onChange={(e) => setAuth(e.target.value as PushAuthKind)}>
            {AUTH_CHOICES.map((kind) => (
              <option key={kind} value={kind}>
                {t(`push:setup.authKind.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        {(auth === 'basic' || auth === 'rest-login') && (
          <label>
            {t('push:setup.user')}
            <input value={user} onChange={(e) => setUser(e.target.value)} />
          </label>
        )}
        {auth !== 'none' && (
          <label>
            {auth === 'bearer' ? t('push:setup.secret') : t('push:setup.password')}
            <input
              type="password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              placeholder={current?.hasSecret ? t('push:setup.unchanged') : ''}
              autoComplete="off"
            />
          </label>
        )}
        <label className="check">
          <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} />
          {t('push:setup.trust')}
        </label>
        <div className="modal-actions">
          <button type="button" onClick={close}>
            {t('push:setup.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('push:setup.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function PushDialog() {
  const dialog = useSessions((s) => s.pushDialog);
  const close = useSessions((s) => s.closePushDialog);
  const confirm = useSessions((s) => s.confirmPush);
  const pushing = useSessions((s) => s.pushing);
  const openSetup = useSessions((s) => s.openPushSetup);
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (!dialog) return null;
  if (dialog.mode === 'setup') return <SetupForm />;

  if (dialog.mode === 'check') {
    const { check } = dialog;
    const nothing = check.unpushed.counts.total === 0;
    return (
      <Modal title={t('push:check.title')} onClose={close}>
        {nothing ? (
          <p>
            {check.unpushed.lastPush ? t('push:check.nothingSinceLastPush') : t('push:check.nothingEver')}
          </p>
        ) : (
          <ul className="push-plan">
            <li>{t('push:check.reload', { count: check.reload.length })}</li>
            <li>{t('push:check.remove', { count: check.remove.length })}</li>
          </ul>
        )}
        {check.drop.length > 0 && (
          <section aria-label={t('push:check.dropLabel')}>
            <p>{t('push:check.drop', { count: check.drop.length })}</p>
            <ul className="dropped">
              {check.drop.map((file) => (
                <li key={file.path}>
                  <code>{file.path}</code>: {file.problems.map((p) => problemTitle(p, t)).join(', ')}
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="modal-actions">
          <button type="button" onClick={openSetup}>
            {t('commands:push-setup')}
          </button>
          <button type="button" onClick={close}>
            {t('push:check.cancel')}
          </button>
          <button type="button" className="primary" disabled={pushing} onClick={() => void confirm()}>
            {pushing ? t('push:check.pushing') : t('commands:push')}
          </button>
        </div>
      </Modal>
    );
  }

  const { result } = dialog;
  const detail = engineDetail(result, language);
  return (
    <Modal title={resultTitle(result, t)} onClose={close}>
      <p role="status">{resultSummary(result, language, t)}</p>
      {result.failure?.fix ? <p className="hint">{settingsAdvice(result.failure.fix, t)}</p> : null}
      {detail ? (
        <details className="hint">
          <summary>{t('push:result.engineDetail')}</summary>
          <p lang="en">{detail}</p>
        </details>
      ) : null}
      {result.serverErrors.length > 0 && (
        <ul className="dropped">
          {result.serverErrors.map((e) => (
            <li key={`${e.component}${e.code}${e.message}`}>
              {e.component} {e.code}: {e.message}
              {/* The path once: most messages name it already. */}
              {e.path && !e.message.includes(e.path) ? (
                <>
                  {' '}
                  (<code>{e.path}</code>)
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <div className="modal-actions">
        {result.failure?.kind === 'credentials-refused' ||
        (result.failure?.fix && result.failure.fix.setting !== 'timeout') ? (
          <button type="button" onClick={openSetup}>
            {t('commands:push-setup')}
          </button>
        ) : null}
        <button type="button" className="primary" onClick={close}>
          {t('push:result.close')}
        </button>
      </div>
    </Modal>
  );
}
