/**
 * The Clean-up view: the admin picks rules, sees what each proposes (per rule, per app, every
 * candidate with its reasons and age), unticks rows, and moves the rest to the Trash in one batch
 * with one Undo; the view then ends with Push. Nothing moves without this preview
 * (docs/cleanup.md). The candidate list is virtualized: only the rows on screen exist in the DOM.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import {
  CLEANUP_RULES,
  type CleanupCandidate,
  RULE_LABELS,
  reasonText,
  STALE_AGE_BASIS,
} from '../../../shared/cleanup.js';
import { plural } from '../../../shared/text.js';
import { anyRule, tickedRefs } from '../store/cleanup.js';
import { useSessions } from '../store/StoreContext.js';
import './cleanup.css';

const ROW_HEIGHT = 34;
const MAX_STALE_DAYS = 36_500;

export function CleanupView() {
  const cleanup = useSessions((s) => s.cleanup);
  const apps = useSessions((s) => s.apps);
  const choose = useSessions((s) => s.chooseCleanup);
  const runCleanup = useSessions((s) => s.runCleanup);
  const tickAll = useSessions((s) => s.tickAllCleanupRows);
  const previewAgain = useSessions((s) => s.previewCleanup);
  const run = useSessions((s) => s.run);
  const { choices, preview, previewRules, unticked, previewing, removing, error, done } = cleanup;
  const ticked = tickedRefs(preview, unticked).length;
  const appName = (folder: string) => apps.find((a) => a.folder === folder)?.name ?? folder;

  return (
    <section className="cleanup" aria-label="Clean-up">
      <h2>Clean up sessions</h2>
      <p className="hint">
        Pick the rules, check what they propose, untick what should stay. Nothing is removed until you press
        the button below; the sessions go to the Trash in one change that one Undo restores.
      </p>

      <fieldset className="cleanup-rules" disabled={removing}>
        <legend>Rules</legend>
        <label>
          App{' '}
          <select
            aria-label="Clean-up app"
            value={choices.folder ?? ''}
            onChange={(e) => void choose({ folder: e.target.value || null })}
          >
            <option value="">All apps</option>
            {apps.map((app) => (
              <option key={app.folder} value={app.folder}>
                {app.name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={choices.superseded}
            onChange={(e) => void choose({ superseded: e.target.checked })}
          />
          Superseded: older sessions of a device (same app, same device ID) that has a newer one
        </label>
        <label className="check sub">
          <input
            type="checkbox"
            checked={choices.sameEmail}
            disabled={!choices.superseded}
            onChange={(e) => void choose({ sameEmail: e.target.checked })}
          />
          only when the newer session has the same e-mail
        </label>
        <div className="check">
          <label>
            <input
              type="checkbox"
              checked={choices.stale}
              onChange={(e) => void choose({ stale: e.target.checked })}
            />
            Stale: files unchanged for
          </label>{' '}
          <StaleDays
            value={choices.staleDays}
            onChange={(staleDays) => void choose({ staleDays })}
            suggested={preview?.suggestedStaleDays ?? null}
          />
        </div>
        <p className="hint sub" id="stale-basis">
          {STALE_AGE_BASIS}
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={choices.simulators}
            onChange={(e) => void choose({ simulators: e.target.checked })}
          />
          Simulators
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={choices.guests}
            onChange={(e) => void choose({ guests: e.target.checked })}
          />
          Guests: sessions without an e-mail
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={choices.includePending}
            onChange={(e) => void choose({ includePending: e.target.checked })}
          />
          Include pending sessions (devices waiting for a decision are left out otherwise)
        </label>
      </fieldset>

      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}

      {done ? (
        <div className="cleanup-done" role="status">
          <p>
            {plural(done.removed, 'session')} moved to the Trash in one change
            {done.failed ? `; ${done.failed} could not be removed` : ''}. The notice's Undo (or Ctrl/Cmd+Z)
            puts them back.
          </p>
          <div className="cleanup-actions">
            {done.batch && (
              <button
                type="button"
                onClick={async () => {
                  await run('undo', { batch: done.batch });
                  await previewAgain();
                }}
              >
                Undo Clean-up
              </button>
            )}
            <button type="button" onClick={() => void previewAgain()}>
              Preview Again
            </button>
            <button type="button" className="primary" onClick={() => void run('push')}>
              Push to the 4D Server
            </button>
          </div>
          <p className="hint">
            The server keeps removed sessions in memory until it reloads them: Push tells it to.
          </p>
        </div>
      ) : !previewRules || !anyRule(previewRules) ? (
        <p className="empty" role="status">
          {previewing ? 'Previewing…' : 'Pick at least one rule.'}
        </p>
      ) : preview ? (
        <>
          <Counts
            byRule={preview.counts.byRule}
            byApp={preview.counts.byApp}
            total={preview.counts.total}
            pendingLeftOut={preview.counts.pendingLeftOut}
            appName={appName}
          />
          {preview.candidates.length > 0 && (
            <>
              <CandidateList candidates={preview.candidates} appName={appName} />
              <div className="cleanup-actions">
                <button type="button" onClick={() => tickAll(true)}>
                  Tick All
                </button>
                <button type="button" onClick={() => tickAll(false)}>
                  Untick All
                </button>
                <span className="muted" aria-live="polite">
                  {ticked} of {preview.candidates.length} ticked
                </span>
                <button
                  type="button"
                  className="primary"
                  disabled={ticked === 0 || removing || previewing}
                  onClick={() => void runCleanup()}
                >
                  {removing ? 'Moving to the Trash…' : `Move ${plural(ticked, 'Session')} to the Trash`}
                </button>
              </div>
            </>
          )}
        </>
      ) : null}
    </section>
  );
}

function StaleDays({
  value,
  suggested,
  onChange,
}: {
  value: number | null;
  suggested: number | null;
  onChange: (days: number) => void;
}) {
  // What the admin types, kept as text: a half-typed number is not sent.
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => setText(value === null ? '' : String(value)), [value]);
  const number = Number(text);
  const valid = /^\d+$/.test(text) && number >= 1 && number <= MAX_STALE_DAYS;
  return (
    <span className="stale-days">
      <input
        type="number"
        min={1}
        max={MAX_STALE_DAYS}
        aria-label="Stale after days"
        aria-describedby="stale-basis"
        aria-invalid={!valid}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const next = Number(e.target.value);
          if (/^\d+$/.test(e.target.value) && next >= 1 && next <= MAX_STALE_DAYS) onChange(next);
        }}
      />{' '}
      days
      {suggested !== null && <span className="muted"> (suggested for this folder: {suggested})</span>}
      {!valid && <span className="problem"> A whole number of days from 1 to {MAX_STALE_DAYS}.</span>}
    </span>
  );
}

function Counts({
  total,
  byRule,
  byApp,
  pendingLeftOut,
  appName,
}: {
  total: number;
  byRule: Record<string, number>;
  byApp: Record<string, number>;
  pendingLeftOut: number;
  appName: (folder: string) => string;
}) {
  return (
    <div className="cleanup-counts" role="status" aria-label="Clean-up counts">
      <p>
        <strong>{plural(total, 'session')} proposed</strong>
        {pendingLeftOut > 0 && (
          <span className="muted">
            {' '}
            · {plural(pendingLeftOut, 'pending session')} left out (tick "Include pending" to propose{' '}
            {pendingLeftOut === 1 ? 'it' : 'them'})
          </span>
        )}
      </p>
      <dl className="counts">
        {CLEANUP_RULES.map((rule) => (
          <div key={rule} data-rule={rule}>
            <dt>{RULE_LABELS[rule]}</dt>
            <dd>{byRule[rule] ?? 0}</dd>
          </div>
        ))}
      </dl>
      {Object.keys(byApp).length > 0 && (
        <dl className="counts">
          {Object.entries(byApp).map(([folder, count]) => (
            <div key={folder} data-app={folder}>
              <dt>{appName(folder)}</dt>
              <dd>{count}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function CandidateList({
  candidates,
  appName,
}: {
  candidates: CleanupCandidate[];
  appName: (folder: string) => string;
}) {
  const unticked = useSessions((s) => s.cleanup.unticked);
  const toggle = useSessions((s) => s.toggleCleanupRow);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: candidates.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  // A real table, virtualized: the rows on screen, with the height of the others as padding.
  const above = items[0]?.start ?? 0;
  const below = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div className="cleanup-scroll" ref={scrollRef}>
      <div style={{ paddingTop: above, paddingBottom: below }}>
        <table
          className="cleanup-list"
          aria-label="Clean-up candidates"
          aria-rowcount={candidates.length + 1}
        >
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Remove</th>
              <th scope="col">Device</th>
              <th scope="col">App</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col" title={STALE_AGE_BASIS}>
                Age (last change)
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const c = candidates[item.index] as CleanupCandidate;
              const isTicked = !unticked.has(c.ref);
              return (
                <tr
                  key={c.ref}
                  className={isTicked ? undefined : 'unticked'}
                  aria-rowindex={item.index + 2}
                  data-ref={c.ref}
                  style={{ height: ROW_HEIGHT }}
                >
                  <td>
                    <input
                      type="checkbox"
                      checked={isTicked}
                      aria-label={`Remove ${c.device ?? 'session'} ${c.ref}`}
                      onChange={() => toggle(c.ref)}
                    />
                  </td>
                  <td>{c.device ?? '—'}</td>
                  <td>{appName(c.folder)}</td>
                  <td>{c.email || 'guest'}</td>
                  <td>{c.status ?? 'invalid'}</td>
                  <td title={c.modified}>{plural(c.ageDays, 'day')}</td>
                  <td>{c.reasons.map(reasonText).join('; ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
