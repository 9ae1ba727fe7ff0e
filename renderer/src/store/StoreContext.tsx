import { createContext, type ReactNode, useContext } from 'react';
import { useStore as useZustand } from 'zustand';
import type { SessionsState, SessionsStore } from './sessionsStore.js';

const StoreContext = createContext<SessionsStore | null>(null);

export function StoreProvider({ store, children }: { store: SessionsStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useSessions<T>(selector: (state: SessionsState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useSessions outside StoreProvider');
  return useZustand(store, selector);
}

export function useSessionsStore(): SessionsStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useSessionsStore outside StoreProvider');
  return store;
}
