/**
 * The Clean-up view: the admin picks rules, sees what each proposes (per rule, per app, every
 * candidate with its reasons and age), unticks rows, and moves the rest to the Trash in one batch
 * with one Undo; the view then ends with Push. Nothing moves without this preview
 * (docs/cleanup.md). The candidate list is virtualized: only the rows on screen exist in the DOM.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CLEANUP_RULES, type CleanupCandidate } from '../../../shared/cleanup.js';
import { reasonWords, statusWord } from '../cleanupTexts.js';
import { useFormats } from '../i18n/LanguageProvider.js';
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
  const { t } = useTranslation();

  return (
    <section className="cleanup" aria-label={t('cleanup:label')}>
      <h2>{t('cleanup:title')}</h2>
      <p className="hint">{t('cleanup:intro')}</p>

      <fieldset className="cleanup-rules" disabled={removing}>
        <legend>{t('cleanup:rules.legend')}</legend>
        <label>
          {t('cleanup:rules.app')}{' '}
          <select
            aria-label={t('cleanup:rules.appLabel')}
            value={choices.folder ?? ''}
            onChange={(e) => void choose({ folder: e.target.value || null })}
          >
            <option value="">{t('cleanup:rules.allApps')}</option>
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
          {t('cleanup:rules.superseded')}
        </label>
        <label className="check sub">
          <input
            type="checkbox"
            checked={choices.sameEmail}
            disabled={!choices.superseded}
            onChange={(e) => void choose({ sameEmail: e.target.checked })}
          />
          {t('cleanup:rules.sameEmail')}
        </label>
        <div className="check">
          <label>
            <input
              type="checkbox"
              checked={choices.stale}
              onChange={(e) => void choose({ stale: e.target.checked })}
            />
            {t('cleanup:rules.stale')}
          </label>{' '}
          <StaleDays
            value={choices.staleDays}
            onChange={(staleDays) => void choose({ staleDays })}
            suggested={preview?.suggestedStaleDays ?? null}
          />
        </div>
        <p className="hint sub" id="stale-basis">
          {t('cleanup:rules.ageBasis')}
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={choices.simulators}
            onChange={(e) => void choose({ simulators: e.target.checked })}
          />
          {t('cleanup:rules.simulators')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={choices.guests}
            onChange={(e) => void choose({ guests: e.target.checked })}
          />
          {t('cleanup:rules.guests')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={choices.includePending}
            onChange={(e) => void choose({ includePending: e.target.checked })}
          />
          {t('cleanup:rules.includePending')}
        </label>
      </fieldset>

      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}

      {done ? (
        <div className="cleanup-done" role="status">
          <p>{t('cleanup:done.moved', { removed: done.removed, failed: done.failed })}</p>
          <div className="cleanup-actions">
            {done.batch && (
              <button
                type="button"
                onClick={async () => {
                  await run('undo', { batch: done.batch });
                  await previewAgain();
                }}
              >
                {t('cleanup:done.undo')}
              </button>
            )}
            <button type="button" onClick={() => void previewAgain()}>
              {t('cleanup:done.previewAgain')}
            </button>
            <button type="button" className="primary" onClick={() => void run('push')}>
              {t('cleanup:done.push')}
            </button>
          </div>
          <p className="hint">{t('cleanup:done.pushHint')}</p>
        </div>
      ) : !previewRules || !anyRule(previewRules) ? (
        <p className="empty" role="status">
          {previewing ? t('cleanup:previewing') : t('cleanup:pickRule')}
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
                  {t('cleanup:tickAll')}
                </button>
                <button type="button" onClick={() => tickAll(false)}>
                  {t('cleanup:untickAll')}
                </button>
                <span className="muted" aria-live="polite">
                  {t('cleanup:ticked', { ticked, total: preview.candidates.length })}
                </span>
                <button
                  type="button"
                  className="primary"
                  disabled={ticked === 0 || removing || previewing}
                  onClick={() => void runCleanup()}
                >
                  {removing ? t('cleanup:moving') : t('cleanup:move', { count: ticked })}
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
  const { t } = useTranslation();
  const number = Number(text);
  const valid = /^\d+$/.test(text) && number >= 1 && number <= MAX_STALE_DAYS;
  return (
    <span className="stale-days">
      <input
        type="number"
        min={1}
        max={MAX_STALE_DAYS}
        aria-label={t('cleanup:rules.staleDaysLabel')}
        aria-describedby="stale-basis"
        aria-invalid={!valid}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const next = Number(e.target.value);
          if (/^\d+$/.test(e.target.value) && next >= 1 && next <= MAX_STALE_DAYS) onChange(next);
        }}
      />{' '}
      {t('cleanup:rules.staleDaysUnit', { count: valid ? number : 0 })}
      {suggested !== null && (
        <span className="muted"> {t('cleanup:rules.suggested', { days: suggested })}</span>
      )}
      {!valid && <span className="problem"> {t('cleanup:rules.invalidDays', { max: MAX_STALE_DAYS })}</span>}
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
  const { t } = useTranslation();
  const { number } = useFormats();
  return (
    <div className="cleanup-counts" role="status" aria-label={t('cleanup:counts.label')}>
      <p>
        <strong>{t('cleanup:counts.proposed', { count: total })}</strong>
        {pendingLeftOut > 0 && (
          <span className="muted"> · {t('cleanup:counts.pendingLeftOut', { count: pendingLeftOut })}</span>
        )}
      </p>
      <dl className="counts">
        {CLEANUP_RULES.map((rule) => (
          <div key={rule} data-rule={rule}>
            <dt>{t(`cleanup:ruleLabel.${rule}`)}</dt>
            <dd>{number(byRule[rule] ?? 0)}</dd>
          </div>
        ))}
      </dl>
      {Object.keys(byApp).length > 0 && (
        <dl className="counts">
          {Object.entries(byApp).map(([folder, count]) => (
            <div key={folder} data-app={folder}>
              <dt>{appName(folder)}</dt>
              <dd>{number(count)}</dd>
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
  const { t } = useTranslation();
  const { dateTime } = useFormats();
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
          aria-label={t('cleanup:list.label')}
          aria-rowcount={candidates.length + 1}
        >
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">{t('cleanup:list.remove')}</th>
              <th scope="col">{t('cleanup:list.device')}</th>
              <th scope="col">{t('cleanup:list.app')}</th>
              <th scope="col">{t('cleanup:list.email')}</th>
              <th scope="col">{t('cleanup:list.status')}</th>
              <th scope="col" title={t('cleanup:rules.ageBasis')}>
                {t('cleanup:list.age')}
              </th>
              <th scope="col">{t('cleanup:list.why')}</th>
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
                      aria-label={
                        c.device
                          ? t('cleanup:list.removeDevice', { device: c.device, ref: c.ref })
                          : t('cleanup:list.removeSession', { ref: c.ref })
                      }
                      onChange={() => toggle(c.ref)}
                    />
                  </td>
                  <td>{c.device ?? '—'}</td>
                  <td>{appName(c.folder)}</td>
                  <td>{c.email || t('cleanup:list.guest')}</td>
                  <td>{statusWord(c.status, t)}</td>
                  <td title={dateTime(c.modified)}>{t('cleanup:list.ageDays', { count: c.ageDays })}</td>
                  <td>{reasonWords(c.reasons, t)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
