/**
 * The main window in French (issue 17): the components rendered to HTML (react-dom/server: there is
 * no DOM in these tests, the e2e specs drive the real one) over a store driven against the engine
 * double, and the store's own words. English stays as the e2e specs read it.
 */
import type { i18n } from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { LanguageSetting } from '../../../shared/i18n/language.js';
import { createI18n, createTranslator } from '../../../shared/i18n/translator.js';
import { ApiClientDouble, type DoubleSession } from '../../../test/support/web/apiClientDouble.js';
import { htmlText } from '../../../test/support/web/htmlText.js';
import { App } from '../App.js';
import { engineErrorText } from '../engineErrorText.js';
import { LanguageProvider } from '../i18n/LanguageProvider.js';
import { StoreProvider } from '../store/StoreContext.js';
import { createSessionsStore, type SessionsStore } from '../store/sessionsStore.js';

/** Noon UTC: the 1st of January 2026 in every time zone from UTC−11 to UTC+11. */
const NEW_YEAR_NOON = '2026-01-01T12:00:00.000Z';

const sessions: DoubleSession[] = [
  { folder: 'A', id: 'a1', status: 'pending', email: 'ana@example.com', firstSeen: NEW_YEAR_NOON },
  { folder: 'A', id: 'a2', status: 'pending', simulator: true },
  { folder: 'A', id: 'a3', status: 'accepted' },
];

interface Window {
  engine: ApiClientDouble;
  store: SessionsStore;
  i18n: i18n;
  html(): string;
}

async function openWindow(language: string, choice = 'system', root?: null): Promise<Window> {
  const engine = new ApiClientDouble(sessions, { root });
  engine.language = { choice, language };
  const i18n = createI18n(language);
  const client = engine.client('browser');
  const store = createSessionsStore(
    client,
    undefined,
    (key, values) => i18n.t(key, values) as string,
    () => i18n.language,
  );
  await store.getState().start();
  await store.getState().loadBlock(0);
  await vi.runAllTimersAsync();
  const initial: LanguageSetting = engine.language;
  // Rendering to a string reads a zustand store's server snapshot, its initial state: here, the state now.
  store.getInitialState = store.getState;
  const html = () =>
    renderToStaticMarkup(
      <LanguageProvider i18n={i18n} door={client.language} initial={initial}>
        <StoreProvider store={store}>
          <App />
        </StoreProvider>
      </LanguageProvider>,
    );
  return { engine, store, i18n, html };
}

const text = htmlText;

/** Every `aria-label`, `title` and `placeholder` of the page. */
const attributes = (html: string) =>
  [...html.matchAll(/(?:aria-label|title|placeholder)="([^"]*)"/g)].map((m) => m[1]);

describe('the main window in French', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says everything in French: app list, filters, columns, status bar, language setting', async () => {
    const { html } = await openWindow('fr');
    const page = html();
    const words = text(page);
    for (const expected of [
      'Toutes les apps',
      'Problèmes',
      'Actualiser',
      'Exporter en CSV',
      'Nettoyer…',
      'Statut',
      'En attente',
      'Acceptées',
      'Appareils réels',
      'Invités (sans e-mail)',
      '3 affichées · 2 en attente',
      'Appareil',
      'Version',
      'Apparue le',
      'Modifiée le',
      '3 sessions affichées sur 3',
      '2 en attente',
      '0 sélectionnée',
      'Aucun push pour l’instant',
      'Aller aux sessions',
      'Système (Français)',
    ]) {
      expect(words, expected).toContain(expected);
    }
    expect(attributes(page)).toEqual(
      expect.arrayContaining([
        'Rechercher',
        'Rechercher un appareil, un e-mail, un ID de session, une IP',
        'Filtre de statut',
        'Dossier MobileApps',
        'Sessions',
        'Langue',
        'Rien à envoyer',
      ]),
    );
    // None of the English it replaced is left.
    for (const english of ['All apps', 'Refresh', 'Export CSV', 'selected', 'Not pushed yet', 'First seen']) {
      expect(words).not.toContain(english);
    }
  });

  it('counts with French plurals (0 and 1 are singular) and writes dates the French way', async () => {
    const { store, html } = await openWindow('fr');
    const selectedWords = () => /(\d+ sélectionnées?)/.exec(text(html()))?.[1];
    expect(selectedWords()).toBe('0 sélectionnée');
    store.getState().select(0, 'replace');
    expect(selectedWords()).toBe('1 sélectionnée');
    store.getState().select(1, 'range');
    expect(selectedWords()).toBe('2 sélectionnées');
    expect(text(html())).toContain('Mettre 2 en attente');

    await store.getState().openDetails('A/a1');
    const details = text(html());
    expect(attributes(html())).toEqual(
      expect.arrayContaining(['Détails de la session', 'Fermer les détails']),
    );
    expect(details).toContain('Statut en attente');
    expect(details).toMatch(/Apparue le 01\/01\/2026 \d{2}:\d{2} /);
    expect(details).toContain('Notifications push non inscrit');
    expect(details).toContain('Afficher dans le dossier');
    expect(details).toContain('JSON brut');
  });

  it('words its notices and its question in French, Undo included', async () => {
    const { engine, store, html } = await openWindow('fr');
    await store.getState().setStatus(['A/a1'], 'accepted');
    await store.getState().setStatus(['A/a1', 'A/a2', 'A/a3'], 'pending');
    const notices = () => store.getState().notices.map((n) => n.message);
    expect(notices()).toEqual(['1 session acceptée.', '2 sessions mises en attente\u00a0; 1 l’était déjà.']);
    expect(text(html())).toMatch(/2 sessions mises en attente ; 1 l’était déjà\. Annuler/);

    await store.getState().deleteSessions(['A/a3']);
    expect(engine.confirmed.at(-1)).toMatchObject({
      message: 'Placer cette session dans la corbeille\u00a0?',
      confirmLabel: 'Placer dans la corbeille',
    });
    expect(notices().at(-1)).toBe('1 session placée dans la corbeille.');
    await store.getState().undo();
    expect(notices().at(-1)).toBe('Annulé\u00a0: 1 session restaurée depuis la corbeille.');

    await store.getState().refresh();
    expect(notices().at(-1)).toBe('Actualisé\u00a0: aucun changement.');
  });

  it('words a failed request by its code in French; in English the engine’s own sentence stays', async () => {
    const gone = new AppError('root-missing', 'The folder /srv/MobileApps is gone.');
    const failing = async (language: string) => {
      const { store } = await openWindow(language);
      store.getState().api.request = async () => {
        throw gone;
      };
      await store.getState().refresh();
      return store.getState().notices.at(-1)?.message;
    };
    expect(await failing('fr')).toBe('Échec\u00a0: le dossier MobileApps n’est plus là.');
    expect(await failing('en')).toBe('The folder /srv/MobileApps is gone.');
  });

  it('welcomes in French, with the language setting in its footer', async () => {
    const { html } = await openWindow('fr', 'system', null);
    const words = text(html());
    expect(words).toContain(
      'Examinez et approuvez les appareils des apps mobiles que sert votre serveur 4D. Ouvrez le dossier MobileApps du serveur',
    );
    expect(html()).toContain('<code>MobileApps</code>');
    for (const expected of [
      'Dossier MobileApps sur le serveur',
      'Ouvrir le dossier MobileApps',
      'Essayer la démo',
    ]) {
      expect(words).toContain(expected);
    }
    expect(attributes(html())).toContain('/chemin/vers/MobileApps');
    expect(html()).toMatch(/<footer class="welcome-footer">.*<select[^>]*aria-label="Langue"/);
  });

  it('words an engine error by its code; the engine’s English is only the detail of what it cannot word', () => {
    const fr = createTranslator('fr');
    const en = createTranslator('en');
    const conflict = {
      code: 'conflict',
      message: 'Another Mobile Sessions window is changing sessions of A.',
    };
    expect(engineErrorText(conflict, fr)).toBe(
      'le fichier a changé sur le disque entre-temps, ou une autre fenêtre ou commande Mobile Sessions le modifiait\u00a0; réessayez',
    );
    const io = { code: 'io', message: 'Could not write a1.json: permission denied.' };
    expect(engineErrorText(io, fr)).toBe(
      'le système de fichiers a refusé (Could not write a1.json: permission denied.)',
    );
    expect(engineErrorText(io, en)).toBe('Could not write a1.json: permission denied.');
    expect(engineErrorText({ code: 'from-a-newer-engine', message: 'Something new.' }, fr)).toBe(
      'Something new.',
    );
  });

  it('stays word for word in English, as the e2e specs read it', async () => {
    const { store, html } = await openWindow('en');
    const words = text(html());
    for (const expected of [
      'All apps',
      '3 shown · 2 pending',
      '0 selected',
      'Not pushed yet',
      'System (English)',
    ]) {
      expect(words).toContain(expected);
    }
    await store.getState().setStatus(['A/a1', 'A/a2'], 'accepted');
    expect(store.getState().notices.at(-1)?.message).toBe('2 sessions accepted.');
  });

  it('offers the system’s language and each catalog’s, each named in its own language', async () => {
    const { html } = await openWindow('fr', 'fr');
    const select = /<select[^>]*aria-label="Langue"[^>]*>(.*?)<\/select>/.exec(html())?.[1] ?? '';
    expect(select).toContain('<option value="fr" lang="fr" selected="">Français</option>');
    expect(select).toContain('<option value="en" lang="en">English</option>');
  });
});
