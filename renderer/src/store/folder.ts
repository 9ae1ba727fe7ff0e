/** The open MobileApps folder: starting up, opening, closing, Refresh. */
import { isMenuCommand } from '../../../shared/commands.js';
import type { AppState } from '../../../shared/contract.js';
import type { FolderSlice, StoreContext } from './storeTypes.js';

export function createFolderSlice({ api, env, t, set, get, fail, live }: StoreContext): FolderSlice {
  /** This store's subscriptions, once started (React's StrictMode runs effects twice in development). */
  let unsubscribe: (() => void)[] | null = null;

  const opening = async (open: () => Promise<AppState>) => {
    set({ busy: true });
    try {
      await live.afterOpen(await open());
    } catch (error) {
      fail(error);
      // A recent folder that failed to open is no longer offered (the engine forgot it).
      await api.request('recentRoots', {}).then(
        (recentRoots) => set({ recentRoots }),
        () => {},
      );
    } finally {
      set({ busy: false });
    }
  };

  /**
   * A wrong folder is easy to pick (an app folder itself, a folder that is no MobileApps folder):
   * the engine says what it looks like and the admin decides. Null: the admin cancelled.
   */
  const folderToOpen = async (root: string): Promise<string | null> => {
    const seen = await api.request('inspectFolder', { root }).catch(() => null); // the open says what is wrong
    if (seen?.kind === 'app-folder' && seen.parent) {
      const parent = seen.parent;
      // Worded by its kind and paths, in the window's language (the engine's message is English).
      const ok = await env.confirm({
        message: t('window:questions.appFolder.message', { root: seen.root, parent }),
        detail: t('window:questions.appFolder.detail', { parent }),
        confirmLabel: t('window:questions.appFolder.confirm'),
      });
      return ok ? parent : null;
    }
    if (seen?.kind === 'unrecognised') {
      const ok = await env.confirm({
        message: t('window:questions.unrecognised.message', { root: seen.root }),
        detail: t('window:questions.unrecognised.detail'),
        confirmLabel: t('window:questions.unrecognised.confirm'),
      });
      return ok ? root : null;
    }
    return root;
  };

  return {
    api,
    app: null,
    apps: [],
    recentRoots: [],
    busy: false,

    async start() {
      if (unsubscribe) return;
      unsubscribe = [
        api.subscribe((event) => live.onEvent(event)),
        // The native menu and a notification's click: the same dispatcher as keys and context menus.
        api.onMenuCommand(({ command, ref }) => {
          if (isMenuCommand(command)) void get().run(command, ref ? { ref } : {});
        }),
      ];
      try {
        const state = await api.request('getState', {});
        set({ app: state, recentRoots: await api.request('recentRoots', {}) });
        if (state.root) await live.afterOpen(state);
      } catch (error) {
        fail(error);
      }
    },

    stop() {
      for (const stop of unsubscribe ?? []) stop();
      unsubscribe = null;
      live.stop();
    },

    async openRoot(root) {
      const target = await folderToOpen(root);
      if (target !== null) await opening(() => api.request('openRoot', { root: target }));
    },
    openDemo: () => opening(() => api.request('openDemo', {})),

    async closeRoot() {
      try {
        const app = await api.request('closeRoot', {});
        set({ app, apps: [], blocks: new Map(), total: 0, matching: 0, matchingPending: 0, details: null });
        get().keepNoticesOf(app.root);
      } catch (error) {
        fail(error);
      }
    },

    async refresh() {
      try {
        const { changes } = await api.request('refresh', {});
        get().notify(t('window:notices.refreshed', { count: changes }));
        // The admin asked: everything on screen is fetched again, whatever the deltas said.
        await live.reloadAll();
      } catch (error) {
        fail(error);
      }
    },
  };
}
