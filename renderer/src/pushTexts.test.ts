/**
 * A push's outcome in the window's words, from the engine's structured result: every failure kind
 * has its own French text (none falls back to English), a reload is counted with each language's
 * plurals, and the engine's English sentence is shown as it is in English only.
 */
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../shared/i18n/translator.js';
import type { PushFailure, PushResult, UnpushedChange } from '../../shared/push.js';
import { engineDetail, failureText, PUSH_FAILURE_KINDS, resultSummary, resultTitle } from './pushTexts.js';

const en = createTranslator('en');
const fr = createTranslator('fr');
const SERVER = 'https://srv.example:8443/mobile-sessions/refresh';

const change = (ref: string, kind: UnpushedChange['kind']): UnpushedChange => ({
  ref,
  kind,
  atLastPush: { present: true, status: 'pending' },
  now: { present: true, status: 'accepted' },
  changedAt: '2026-11-30T22:00:00.000Z',
});

const result = (patch: Partial<PushResult>): PushResult => ({
  root: '/srv/MobileApps',
  server: SERVER,
  outcome: 'reloaded',
  nothingToPush: false,
  changes: [],
  serverErrors: [],
  failure: null,
  pushedAt: '2026-11-30T22:00:00.000Z',
  durationMs: 12,
  message: 'The engine’s own sentence.',
  ...patch,
});

const failed = (failure: Partial<PushFailure>, changes: UnpushedChange[] = []): PushResult =>
  result({
    outcome: 'failed',
    changes,
    nothingToPush: changes.length === 0,
    pushedAt: null,
    message: 'Nothing answers at https://srv.example:8443/mobile-sessions/refresh (HTTP 404): …',
    failure: {
      kind: 'endpoint-missing',
      message: '…',
      fix: null,
      status: 404,
      fingerprint256: null,
      ...failure,
    },
  });

describe('the failure kinds', () => {
  it('each have a French text of their own, with the server and the HTTP status the engine gave', () => {
    expect(PUSH_FAILURE_KINDS).toHaveLength(14);
    for (const kind of PUSH_FAILURE_KINDS) {
      const french = failureText(kind, { server: SERVER, status: 500 }, fr);
      const english = failureText(kind, { server: SERVER, status: 500 }, en);
      expect(french, kind).not.toBe(english);
      expect(french, kind).not.toMatch(/push:|failure\./);
      expect(english, kind).not.toMatch(/push:|failure\./);
    }
    expect(failureText('endpoint-missing', { server: SERVER, status: 404 }, fr)).toBe(
      'Le code 4D du Push n’est pas installé ou pas chargé sur srv.example:8443 (HTTP 404)\u00a0: installez-le comme l’explique la page Push, puis redémarrez le serveur web.',
    );
    expect(failureText('credentials-refused', { server: SERVER, status: null }, fr)).toBe(
      'srv.example:8443 a refusé le secret ou l’identification\u00a0: vérifiez le nom d’utilisateur et le secret.',
    );
  });
});

describe('the result of a push', () => {
  it('is titled by its outcome, with the count of the server’s errors', () => {
    expect(resultTitle(failed({}), fr)).toBe('Échec du Push');
    expect(resultTitle(result({}), en)).toBe('Pushed');
    const withErrors = result({
      outcome: 'reloaded-with-errors',
      serverErrors: [1, 2].map((n) => ({
        component: 'mobi',
        code: n,
        message: 'x',
        path: null,
        matchedBy: null,
      })),
    });
    expect(resultTitle(withErrors, en)).toBe('Pushed, with 2 errors from the server');
    expect(resultTitle(withErrors, fr)).toBe('Push effectué, avec 2 erreurs du serveur');
  });

  it('words a reload from its counts: in English as the engine does, in French with French plurals', () => {
    const three = result({
      changes: [change('A/1', 'status'), change('A/2', 'deleted'), change('A/3', 'deleted')],
    });
    expect(resultSummary(three, 'en', en)).toBe(
      'The server at srv.example:8443 reloaded its sessions with your 3 changes (1 changed, 2 deleted).',
    );
    expect(resultSummary(three, 'fr', fr)).toBe(
      'Le serveur srv.example:8443 a rechargé ses sessions avec vos 3 modifications (1 modifiée et 2 supprimées).',
    );
    const one = result({ changes: [change('A/1', 'restored')] });
    expect(resultSummary(one, 'en', en)).toBe(
      'The server at srv.example:8443 reloaded its sessions with your 1 change (1 restored).',
    );
    expect(resultSummary(one, 'fr', fr)).toBe(
      'Le serveur srv.example:8443 a rechargé ses sessions avec votre modification (1 restaurée).',
    );
    const nothing = result({
      nothingToPush: true,
      outcome: 'reloaded-with-errors',
      serverErrors: [{ component: 'mobi', code: 2, message: 'x', path: null, matchedBy: null }],
    });
    expect(resultSummary(nothing, 'en', en)).toBe(
      'There were no unpushed changes; the server at srv.example:8443 reloaded its sessions anyway, and reported 1 error: the files concerned were dropped from its memory.',
    );
    expect(resultSummary(nothing, 'fr', fr)).toBe(
      'Il n’y avait aucune modification non envoyée\u00a0; le serveur srv.example:8443 a tout de même rechargé ses sessions, et a signalé 1 erreur\u00a0: les fichiers concernés ont été retirés de sa mémoire.',
    );
  });

  it('shows a failure as the engine says it in English, and by its kind in French, the engine’s sentence a detail', () => {
    const kept = failed({}, [change('A/1', 'status'), change('A/2', 'status')]);
    expect(resultSummary(kept, 'en', en)).toBe(kept.message);
    expect(engineDetail(kept, 'en')).toBeNull();
    expect(resultSummary(kept, 'fr', fr)).toBe(
      'Le code 4D du Push n’est pas installé ou pas chargé sur srv.example:8443 (HTTP 404)\u00a0: installez-le comme l’explique la page Push, puis redémarrez le serveur web. 2 modifications non envoyées sont conservées\u00a0: relancez le Push une fois le problème corrigé.',
    );
    expect(engineDetail(kept, 'fr')).toBe(kept.message);
    const notConfigured = failed({ kind: 'not-configured', status: null });
    expect(resultSummary({ ...notConfigured, server: null }, 'fr', fr)).toBe(
      'Aucun serveur 4D n’est défini pour ce dossier\u00a0: indiquez l’adresse de son point d’accès Push\u00a0; la page Push donne le code 4D à installer sur le serveur.',
    );
    expect(engineDetail(result({}), 'fr')).toBeNull();
  });
});
