import { useEffect, useState } from 'react';
import { useSessions } from '../store/StoreContext.js';
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

  useEffect(() => setSearch(filters.search), [filters.search]);

  const bulk = bulkActions(selection, { matching, matchingPending }, rowByRef);
  const selected = bulk.count;

  return (
    <div className="filter-bar">
      <input
        type="search"
        aria-label="Search"
        placeholder="Search device, e-mail, session id, IP"
        value={search}
        onChange={(event) => {
          setSearch(event.target.value);
          setFilters({ search: event.target.value });
        }}
      />
      <label>
        Status{' '}
        <select
          aria-label="Status filter"
          value={filters.status ?? ''}
          onChange={(e) => setFilters({ status: (e.target.value || null) as 'accepted' | 'pending' | null })}
        >
          <option value="">Any</option>
          <option value="pending">Pending</option>
          <option value="accepted">Accepted</option>
        </select>
      </label>
      <label>
        OS{' '}
        <select
          aria-label="OS filter"
          value={filters.os ?? ''}
          onChange={(e) => setFilters({ os: e.target.value || null })}
        >
          <option value="">Any</option>
          <option value="iOS">iOS</option>
          <option value="iPadOS">iPadOS</option>
          <option value="Android">Android</option>
        </select>
      </label>
      <label>
        Devices{' '}
        <select
          aria-label="Simulator filter"
          value={filters.simulator === null ? '' : filters.simulator ? 'simulator' : 'device'}
          onChange={(e) =>
            setFilters({ simulator: e.target.value === '' ? null : e.target.value === 'simulator' })
          }
        >
          <option value="">All</option>
          <option value="device">Real devices</option>
          <option value="simulator">Simulators</option>
        </select>
      </label>
      <label>
        Users{' '}
        <select
          aria-label="Guest filter"
          value={filters.guest === null ? '' : filters.guest ? 'guest' : 'email'}
          onChange={(e) => setFilters({ guest: e.target.value === '' ? null : e.target.value === 'guest' })}
        >
          <option value="">All</option>
          <option value="email">With an e-mail</option>
          <option value="guest">Guests (no e-mail)</option>
        </select>
      </label>
      <span className="matching" aria-live="polite">
        {matching} shown · {matchingPending} pending
      </span>
      <fieldset className="bulk">
        <legend className="visually-hidden">Bulk actions</legend>
        <button type="button" className="primary" disabled={!bulk.accept} onClick={() => void run('accept')}>
          Accept{selected > 0 ? ` ${selected}` : ''}
        </button>
        <button type="button" disabled={!bulk.setPending} onClick={() => void run('set-pending')}>
          Set Pending{selected > 0 ? ` ${selected}` : ''}
        </button>
      </fieldset>
    </div>
  );
}
