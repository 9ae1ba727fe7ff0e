import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessions } from '../store/StoreContext.js';
import type { SessionsState } from '../store/storeTypes.js';
import { bulkActions } from './tableLogic.js';

/** Search box and filters; the counts update as the admin types. */
export function FilterBar() {
  const filters = useSessions((s) => s.filters);
  const setFilters = useSessions((s) => s.setFilters);
  const matching = useSessions((s) => s.matching);
  const matchingPending = useSessions((s) => s.matchingPending);
  const selection = useSessions((s) => s.selection);
  // The blocks: a selected row's status decides which bulk action would change it.
  useSessions((s) => s.blocks);
  const rowByRef = useSessions((s) => s.rowByRef);
  const run = useSessions((s) => s.run);
  const [search, setSearch] = useState(filters.search);
  const { t } = useTranslation();

  useEffect(() => setSearch(filters.search), [filters.search]);

  const bulk = bulkActions(selection, { matching, matchingPending }, rowByRef);

  return (
    <div className="filter-bar">
      <input
        type="search"
        aria-label={t('window:filters.search')}
        placeholder={t('window:filters.searchPlaceholder')}
        value={search}
        onChange={(event) => {
          setSearch(event.target.value);
          setFilters({ search: event.target.value });
        }}
      />
      <FilterSelects
        status={filters.status}
        os={filters.os}
        simulator={filters.simulator}
        guest={filters.guest}
        setFilters={setFilters}
      />
      <span className="matching" aria-live="polite">
        {t('window:filters.matching', { matching, pending: matchingPending })}
      </span>
      <BulkActions count={bulk.count} accept={bulk.accept} setPending={bulk.setPending} run={run} />
    </div>
  );
}

interface BulkActionsProps {
  count: number;
  accept: boolean;
  setPending: boolean;
  run: SessionsState['run'];
}

/**
 * Accept and Set pending, for the rows selected. Memoized, as the filters' menus: their catalog
 * messages (a plural each) change with the selection, not with every keystroke and answer.
 */
const BulkActions = memo(function BulkActions({ count, accept, setPending, run }: BulkActionsProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="bulk">
      <legend className="visually-hidden">{t('window:filters.bulkActions')}</legend>
      <button type="button" className="primary" disabled={!accept} onClick={() => void run('accept')}>
        {t('window:filters.accept', { count })}
      </button>
      <button type="button" disabled={!setPending} onClick={() => void run('set-pending')}>
        {t('window:filters.setPending', { count })}
      </button>
    </fieldset>
  );
});

type Filters = SessionsState['filters'];

/** The filters but the search: a keystroke changes none of them. */
interface FilterSelectsProps extends Pick<Filters, 'status' | 'os' | 'simulator' | 'guest'> {
  setFilters: SessionsState['setFilters'];
}

/**
 * The filters' menus. Memoized: the search box and the counts render on every keystroke and every
 * answer, and these twenty catalog messages cost more than the rest of the bar (profiled).
 */
const FilterSelects = memo(function FilterSelects({ setFilters, ...filters }: FilterSelectsProps) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('window:filters.status')}{' '}
        <select
          aria-label={t('window:filters.statusFilter')}
          value={filters.status ?? ''}
          onChange={(e) => setFilters({ status: (e.target.value || null) as 'accepted' | 'pending' | null })}
        >
          <option value="">{t('window:filters.any')}</option>
          <option value="pending">{t('window:filters.pending')}</option>
          <option value="accepted">{t('window:filters.accepted')}</option>
        </select>
      </label>
      <label>
        {t('window:filters.os')}{' '}
        <select
          aria-label={t('window:filters.osFilter')}
          value={filters.os ?? ''}
          onChange={(e) => setFilters({ os: e.target.value || null })}
        >
          <option value="">{t('window:filters.any')}</option>
          <option value="iOS">iOS</option>
          <option value="iPadOS">iPadOS</option>
          <option value="Android">Android</option>
        </select>
      </label>
      <label>
        {t('window:filters.devices')}{' '}
        <select
          aria-label={t('window:filters.simulatorFilter')}
          value={filters.simulator === null ? '' : filters.simulator ? 'simulator' : 'device'}
          onChange={(e) =>
            setFilters({ simulator: e.target.value === '' ? null : e.target.value === 'simulator' })
          }
        >
          <option value="">{t('window:filters.all')}</option>
          <option value="device">{t('window:filters.realDevices')}</option>
          <option value="simulator">{t('window:filters.simulators')}</option>
        </select>
      </label>
      <label>
        {t('window:filters.users')}{' '}
        <select
          aria-label={t('window:filters.guestFilter')}
          value={filters.guest === null ? '' : filters.guest ? 'guest' : 'email'}
          onChange={(e) => setFilters({ guest: e.target.value === '' ? null : e.target.value === 'guest' })}
        >
          <option value="">{t('window:filters.all')}</option>
          <option value="email">{t('window:filters.withEmail')}</option>
          <option value="guest">{t('window:filters.guests')}</option>
        </select>
      </label>
    </>
  );
});
