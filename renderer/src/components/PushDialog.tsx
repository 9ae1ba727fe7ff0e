/**
 * Push, in plain words: set up the server once, see what the server will do, push, see what it
 * did. Failures say what to do (docs/push.md has the 4D side).
 */
import { useEffect, useRef, useState } from 'react';
import type { PushAuthKind } from '../../../shared/push.js';
import { plural } from '../../../shared/text.js';
import { settingsAdvice } from '../pushAdvice.js';
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
  return (
    <Modal title="Push setup" onClose={close}>
      <p>
        Push asks your 4D Server to run <code>MOBILE APP REFRESH SESSIONS</code>. The server needs a few lines
        of 4D code first.{' '}
        <button type="button" className="link" onClick={() => setShowDocs(true)}>
          Show the 4D code and how to set it up
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
          Server URL
          <input
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://server.example.com/mobile-sessions/refresh"
          />
        </label>
        <label>
          Authentication
          <select value={auth} onChange={(e) => setAuth(e.target.value as PushAuthKind)}>
            <option value="bearer">Shared secret (Bearer)</option>
            <option value="basic">User and password (Basic)</option>
            <option value="rest-login">4D REST login</option>
            <option value="none">None</option>
          </select>
        </label>
        {(auth === 'basic' || auth === 'rest-login') && (
          <label>
            User
            <input value={user} onChange={(e) => setUser(e.target.value)} />
          </label>
        )}
        {auth !== 'none' && (
          <label>
            {auth === 'bearer' ? 'Secret' : 'Password'}
            <input
              type="password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              placeholder={current?.hasSecret ? 'unchanged' : ''}
              autoComplete="off"
            />
          </label>
        )}
        <label className="check">
          <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} />
          Trust this server's own (self-signed) certificate
        </label>
        <div className="modal-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save and Continue
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
  if (!dialog) return null;
  if (dialog.mode === 'setup') return <SetupForm />;

  if (dialog.mode === 'check') {
    const { check } = dialog;
    const nothing = check.unpushed.counts.total === 0;
    return (
      <Modal title="Push to the 4D Server" onClose={close}>
        {nothing ? (
          <p>
            {check.unpushed.lastPush
              ? 'Nothing changed since the last push.'
              : 'No change to push, and no push yet from this folder.'}{' '}
            Push anyway to make the server re-read its sessions?
          </p>
        ) : (
          <ul className="push-plan">
            <li>{plural(check.reload.length, 'changed session')} will be reloaded.</li>
            <li>
              {plural(check.remove.length, 'deleted session')} will be removed from the server's memory.
            </li>
          </ul>
        )}
        {check.drop.length > 0 && (
          <section aria-label="Sessions the server will drop">
            <p>
              {plural(check.drop.length, 'file')} fail the server's checks: the server will drop{' '}
              {check.drop.length === 1 ? 'it' : 'them'}.
            </p>
            <ul className="dropped">
              {check.drop.map((file) => (
                <li key={file.path}>
                  <code>{file.path}</code>:{' '}
                  {file.problems.map((p) => `${p.code}${p.mobi ? ` (mobi ${p.mobi})` : ''}`).join(', ')}
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="modal-actions">
          <button type="button" onClick={openSetup}>
            Push Setup…
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={pushing} onClick={() => void confirm()}>
            {pushing ? 'Pushing…' : 'Push'}
          </button>
        </div>
      </Modal>
    );
  }

  const { result } = dialog;
  const errors = result.serverErrors.length;
  const title =
    result.outcome === 'failed'
      ? 'Push failed'
      : errors > 0 || result.outcome === 'reloaded-with-errors'
        ? `Pushed, with ${plural(errors || 1, 'error')} from the server`
        : 'Pushed';
  return (
    <Modal title={title} onClose={close}>
      <p role="status">{result.message}</p>
      {result.failure?.fix ? <p className="hint">{settingsAdvice(result.failure.fix)}</p> : null}
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
            Push Setup…
          </button>
        ) : null}
        <button type="button" className="primary" onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}
