/**
 * The renderer's state (zustand), in slices: the open folder, the table, changes, the views beside
 * the table, notices, push, and the one command dispatcher they all sit behind. The rows live in
 * the engine; the store keeps only the blocks of rows the table shows, and keeps them equal to the
 * engine from its deltas (live.ts). Every store is whole on its own: nothing lives in the module.
 */
import { create } from 'zustand';
import { createTranslator, type Translate } from '../../../shared/i18n/translator.js';
import type { ApiClient } from '../api/client.js';
import { createChangesSlice } from './changes.js';
import { createCleanupSlice } from './cleanup.js';
import { createCommandsSlice } from './commands.js';
import { domEnvironment } from './domEnvironment.js';
import { createFolderSlice } from './folder.js';
import { createLiveUpdates } from './live.js';
import { createNoticesSlice } from './notices.js';
import { createPushSlice } from './push.js';
import type { SessionsState, StoreContext, StoreEnvironment } from './storeTypes.js';
import { createTableSlice } from './table.js';
import { createViewSlice } from './view.js';

export type { Filters, Notice, Selection, SessionsState } from './storeTypes.js';
export { BLOCK_SIZE } from './storeTypes.js';

/** `t`: the store's own words (notices, questions), in the window's language; English by default. */
export const createSessionsStore = (
  api: ApiClient,
  env: StoreEnvironment = domEnvironment,
  t: Translate = createTranslator('en'),
) =>
  create<SessionsState>()((set, get) => {
    const fail = (error: unknown) =>
      get().notify(error instanceof Error ? error.message : String(error), { kind: 'error' });
    const base = { api, env, t, set, get, fail };
    const ctx: StoreContext = { ...base, live: createLiveUpdates(base) };
    return {
      ...createNoticesSlice(ctx),
      ...createFolderSlice(ctx),
      ...createTableSlice(ctx),
      ...createChangesSlice(ctx),
      ...createViewSlice(ctx),
      ...createPushSlice(ctx),
      ...createCleanupSlice(ctx),
      ...createCommandsSlice(ctx),
    };
  });

export type SessionsStore = ReturnType<typeof createSessionsStore>;
