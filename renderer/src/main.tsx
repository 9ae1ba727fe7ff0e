import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createClient } from './api/client.js';
import { StoreProvider } from './store/StoreContext.js';
import { createSessionsStore } from './store/sessionsStore.js';
import './styles.css';

const store = createSessionsStore(createClient());
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
