/** Push to the 4D Server: its state (settings, unpushed changes), the check before, the result after. */
import type { PushSlice, StoreContext } from './storeTypes.js';

export function createPushSlice({ api, set, get, fail }: StoreContext): PushSlice {
  return {
    pushState: null,
    pushDialog: null,
    pushing: false,

    async loadPushState() {
      if (!get().app?.root) return;
      try {
        set({ pushState: await api.request('getPushState', {}) });
      } catch {
        // The push state is a convenience: the folder may be closing.
      }
    },

    async startPush() {
      await get().loadPushState();
      if (!get().pushState?.settings) {
        set({ pushDialog: { mode: 'setup' } });
        return;
      }
      try {
        set({ pushDialog: { mode: 'check', check: await api.request('prePushCheck', {}) } });
      } catch (error) {
        fail(error);
      }
    },

    openPushSetup() {
      set({ pushDialog: { mode: 'setup' } });
    },

    async confirmPush() {
      set({ pushing: true });
      try {
        const result = await api.request('push', {});
        set({ pushDialog: { mode: 'result', result } });
        await get().loadPushState();
      } catch (error) {
        fail(error);
      } finally {
        set({ pushing: false });
      }
    },

    async saveServerSettings(settings, secret) {
      try {
        set({
          pushState: await api.request('saveServerSettings', { settings, ...(secret ? { secret } : {}) }),
        });
        await get().startPush();
      } catch (error) {
        fail(error);
      }
    },

    closePushDialog() {
      set({ pushDialog: null });
    },
  };
}
