/**
 * The renderer's state (zustand), in slices: the open folder, the table, changes, the views beside
 * the table, notices, push, and the one command dispatcher they all sit behind. The rows live in
 * the engine; the store keeps only the blocks of rows the table shows, and keeps them equal to the
 * engine from its deltas (live.ts). Every store is whole on its own: nothing lives in the module.
 */
import { create } from 'zustand';
import { REFERENCE_LANGUAGE } from '../../../shared/i18n/catalogs.js';
import { createTranslator, type Translate } from '../../../shared/i18n/translator.js';
import type { ApiClient } from '../api/client.js';
import { engineErrorText } from '../engineErrorText.js';
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

/**
 * `t`: the store's own words (notices, questions), in the window's language, which `language` says;
 * English by default.
 */
export const createSessionsStore = (
  api: ApiClient,
  env: StoreEnvironment = domEnvironment,
  t: Translate = createTranslator(REFERENCE_LANGUAGE),
  language: () => string = () => REFERENCE_LANGUAGE,
) =>
  create<SessionsState>()((set, get) => {
    // The engine speaks English: in English its sentence is the most precise there is; in another
    // language the error's code is worded, and the engine's sentence stays only where the code
    // cannot say it all (`io`) or is one this window does not know.
    const fail = (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown } | null)?.code;
      const worded =
        language() === REFERENCE_LANGUAGE || typeof code !== 'string'
          ? message
          : t('window:notices.failed', { reason: engineErrorText({ code, message }, t) });
      get().notify(worded, { kind: 'error' });
    };
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
