import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickLanguage } from '../../shared/i18n/language.js';
import { createI18n } from '../../shared/i18n/translator.js';
import { App } from './App.js';
import { createClient } from './api/client.js';
import { LanguageProvider } from './i18n/LanguageProvider.js';
import { domEnvironment } from './store/domEnvironment.js';
import { StoreProvider } from './store/StoreContext.js';
import { createSessionsStore } from './store/sessionsStore.js';
import './styles.css';

async function start(container: HTMLElement) {
  const api = createClient();
  // Known before the first render, so the window never shows English first and then switches.
  const setting = await api.language
    .read()
    .catch(() => ({ choice: 'system', language: pickLanguage(navigator.languages) }));
  const i18n = createI18n(setting.language);
  // The store's own words (notices, questions) come from the same instance, in its current language.
  const store = createSessionsStore(
    api,
    domEnvironment,
    (key, values) => i18n.t(key, values) as string,
    () => i18n.language,
  );
  createRoot(container).render(
    <StrictMode>
      <LanguageProvider i18n={i18n} door={api.language} initial={setting}>
        <StoreProvider store={store}>
          <App />
        </StoreProvider>
      </LanguageProvider>
    </StrictMode>,
  );
}

const container = document.getElementById('root');
if (container) void start(container);
