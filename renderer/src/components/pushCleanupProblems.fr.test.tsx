/**
 * Push, Clean-up and Problems in French (issue 17): the components rendered to HTML
 * (react-dom/server; the e2e specs drive the real DOM, in English) over a store driven against the
 * engine double, with the state each view shows set as the engine would give it.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../../shared/i18n/translator.js';
import type { PrePushCheck, PushResult } from '../../../shared/push.js';
import type { FileProblem } from '../../../shared/session.js';
import { ApiClientDouble, type DoubleSession } from '../../../test/support/web/apiClientDouble.js';
import { htmlText } from '../../../test/support/web/htmlText.js';
import { LanguageProvider } from '../i18n/LanguageProvider.js';
import { StoreProvider } from '../store/StoreContext.js';
import { createSessionsStore, type SessionsStore } from '../store/sessionsStore.js';
import { CleanupView } from './CleanupView.js';
import { ProblemsView } from './ProblemsView.js';
import { PushDialog } from './PushDialog.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const sessions: DoubleSession[] = [
  { folder: 'A', id: 'a1', deviceId: 'd1', modified: new Date(NOW - 50 * DAY).toISOString() },
  { folder: 'A', id: 'a2', deviceId: 'd1', modified: new Date(NOW - 5 * DAY).toISOString() },
  { folder: 'A', id: 'a3', simulator: true, modified: new Date(NOW - 1 * DAY).toISOString() },
];

const PROBLEMS: FileProblem[] = [
  { path: 'A/x1', code: 'malformed', mobi: 2, message: 'The file is not valid JSON (Unexpected end).' },
  { path: 'A/x2', code: 'symlink', mobi: null, message: 'This is a symbolic link: the app never follows…' },
];

interface View {
  store: SessionsStore;
  html(view: 'push' | 'cleanup' | 'problems'): string;
}

async function open(language: string): Promise<View> {
  const engine = new ApiClientDouble(sessions, { now: NOW, suggestedStaleDays: 180 });
  engine.language = { choice: language, language };
  const i18n = createI18n(language);
  const client = engine.client('browser');
  const store = createSessionsStore(client, undefined, (key, values) => i18n.t(key, values) as string);
  await store.getState().start();
  await vi.runAllTimersAsync();
  // Rendering to a string reads a zustand store's server snapshot, its initial state: here, the state now.
  store.getInitialState = store.getState;
  const views = { push: <PushDialog />, cleanup: <CleanupView />, problems: <ProblemsView /> };
  const html = (view: keyof typeof views) =>
    renderToStaticMarkup(
      <LanguageProvider i18n={i18n} door={client.language} initial={engine.language}>
        <StoreProvider store={store}>{views[view]}</StoreProvider>
      </LanguageProvider>,
    );
  return { store, html };
}

const text = htmlText;

const check = (drop: number): PrePushCheck => ({
  root: '/srv/MobileApps',
  unpushed: {
    root: '/srv/MobileApps',
    lastPush: null,
    changes: [],
    counts: { changed: 0, deleted: 0, restored: 0, total: 0 },
  },
  reload: [],
  drop: PROBLEMS.slice(0, drop).map((p) => ({ path: p.path, problems: [p], changedByApp: false })),
  remove: [],
  summary: 'English summary',
});

const failedPush: PushResult = {
  root: '/srv/MobileApps',
  server: 'https://srv.example/mobile-sessions/refresh',
  outcome: 'failed',
  nothingToPush: true,
  changes: [],
  serverErrors: [],
  failure: {
    kind: 'tls-untrusted',
    message: 'The certificate of srv.example is not trusted: self-signed certificate.',
    fix: { setting: 'trust-certificate', fingerprint256: 'AB:CD' },
    status: null,
    fingerprint256: 'AB:CD',
  },
  pushedAt: null,
  durationMs: 3,
  message: 'The certificate of srv.example is not trusted: self-signed certificate.',
};

describe('Push, Clean-up and Problems in French', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('Push: setup, check and a failure, by its kind, the engine’s sentence a detail', async () => {
    const { store, html } = await open('fr');
    store.setState({ pushDialog: { mode: 'setup' } });
    const setup = text(html('push'));
    for (const words of [
      'Réglages du Push',
      'Le Push demande à votre serveur 4D d’exécuter MOBILE APP REFRESH SESSIONS .',
      'URL du serveur',
      'Secret partagé (Bearer)',
      'Connexion REST 4D',
      'Faire confiance au certificat propre (auto-signé) de ce serveur',
      'Enregistrer et continuer',
    ]) {
      expect(setup, words).toContain(words);
    }
    expect(html('push')).toContain('<code>MOBILE APP REFRESH SESSIONS</code>');

    store.setState({ pushDialog: { mode: 'check', check: check(2) } });
    const planned = text(html('push'));
    expect(planned).toContain('Aucune modification à envoyer, et aucun Push encore depuis ce dossier.');
    expect(planned).toContain('2 fichiers échouent aux contrôles du serveur : le serveur les abandonnera.');
    expect(planned).toContain('A/x1 : fichier mal formé (mobi 2)');
    expect(planned).toContain('A/x2 : lien symbolique');

    store.setState({ pushDialog: { mode: 'result', result: failedPush } });
    const failed = text(html('push'));
    expect(failed).toContain('Échec du Push');
    expect(failed).toContain('Le certificat de srv.example n’est pas reconnu.');
    expect(failed).toContain('une fois son empreinte (SHA-256 AB:CD) vérifiée sur le serveur.');
    expect(failed).toContain('Détails du moteur (en anglais)');
    expect(html('push')).toContain(`<p lang="en">${failedPush.message}</p>`);
  });

  it('Problems: each problem’s title, explanation and consequence by its code', async () => {
    const { store, html } = await open('fr');
    store.setState({ problems: PROBLEMS });
    const page = text(html('problems'));
    for (const words of [
      'Problèmes (2)',
      'Ce que fait le serveur',
      'fichier mal formé (mobi 2)',
      'Le fichier n’est pas un objet JSON en texte UTF-8.',
      'Le serveur ne peut pas lire ce fichier et abandonne la session.',
      'lien symbolique',
      'Placer dans la corbeille',
    ]) {
      expect(page, words).toContain(words);
    }
    expect(page).not.toContain('Unexpected end');
    expect(html('problems')).toContain(
      'title="Dans les termes du moteur (en anglais)\u00a0: The file is not valid JSON',
    );
  });

  it('Clean-up: rules, counts with French plurals, candidates with their reasons and status', async () => {
    const { store, html } = await open('fr');
    await store.getState().openCleanup();
    await store.getState().chooseCleanup({ simulators: true });
    const page = text(html('cleanup'));
    for (const words of [
      'Nettoyer les sessions',
      'Remplacées : sessions plus anciennes d’un appareil',
      'Anciennes : fichiers inchangés depuis',
      'jours',
      '(suggéré pour ce dossier : 180)',
      'Simulateurs',
      '2 sessions proposées',
      'Tout cocher',
      '2 sur 2 cochées',
      'Placer 2 sessions dans la corbeille',
    ]) {
      expect(page, words).toContain(words);
    }
    expect(page).not.toMatch(/proposed|Superseded|ticked/);
  });
});
