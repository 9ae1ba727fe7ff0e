/**
 * The renderer's one way to the engine. Components never know which transport is underneath:
 * the preload's bridge in Electron; in a browser, requests over a WebSocket or HTTP and events over
 * Server-Sent Events.
 */
import type {
  AppEvent,
  Envelope,
  RequestName,
  RequestParams,
  RequestResult,
} from '../../../shared/contract.js';
import type { ErrorShape } from '../../../shared/errors.js';
import {
  type LanguageChoice,
  type LanguageSetting,
  pickLanguage,
  readChoice,
} from '../../../shared/i18n/language.js';
import type { ConfirmModel, DesktopBridge, MenuCommandMessage, MenuItemModel } from '../../../shared/ipc.js';
import { requestSocket, SocketClosedError, type SocketLike } from '../../../shared/requestSocket.js';

export class ApiError extends Error {
  readonly code: ErrorShape['code'];

  constructor(shape: ErrorShape) {
    super(shape.message);
    this.code = shape.code;
  }
}

export interface ApiClient {
  kind: 'desktop' | 'browser';
  request<M extends RequestName>(method: M, params: RequestParams<M>): Promise<RequestResult<M>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
  onMenuCommand(listener: (message: MenuCommandMessage) => void): () => void;
  /** Native menu in Electron; null in a browser, where the DOM menu shows the same model. */
  showNativeContextMenu: ((items: MenuItemModel[]) => Promise<string | null>) | null;
  /** Native folder picker in Electron; null in a browser, where the admin types the path. */
  pickFolder: (() => Promise<string | null>) | null;
  /** Native confirmation in Electron; null in a browser, where a DOM dialog asks. */
  confirm: ((model: ConfirmModel) => Promise<boolean>) | null;
  /** The path of a dropped folder (Electron only). */
  pathForFile(file: File): string | null;
  /** The language: the OS's (desktop) or the browser's, unless the admin chose one. */
  language: LanguageDoor;
}

export interface LanguageDoor {
  read(): Promise<LanguageSetting>;
  choose(choice: LanguageChoice): Promise<LanguageSetting>;
  /** Changes made elsewhere (the native menu, another tab). */
  onChange(listener: (setting: LanguageSetting) => void): () => void;
}

function unwrap<T>(envelope: Envelope<T> | null): T {
  if (envelope === null) throw new ApiError({ code: 'bad-request', message: 'The request was refused.' });
  if (!envelope.ok) throw new ApiError(envelope.error);
  return envelope.result;
}

export function desktopClient(bridge: DesktopBridge): ApiClient {
  void bridge.rendererReady();
  return {
    kind: 'desktop',
    request: async (method, params) =>
      unwrap((await bridge[method](params)) as Envelope<RequestResult<typeof method>> | null),
    subscribe: (listener) => bridge.onEvent(listener),
    onMenuCommand: (listener) => bridge.onMenuCommand(listener),
    showNativeContextMenu: (items) => bridge.showContextMenu(items),
    pickFolder: () => bridge.pickFolder(),
    confirm: (model) => bridge.confirm(model),
    pathForFile: (file) => bridge.pathForFile(file),
    language: {
      read: () => bridge.language(),
      choose: (choice) => bridge.setLanguage(choice),
      onChange: (listener) => bridge.onLanguageChanged(listener),
    },
  };
}

const LANGUAGE_KEY = 'mobile-sessions.language';

/** The browser mode: the browser's languages, and the admin's choice kept in this browser. */
export function browserLanguage(
  storage: Pick<Storage, 'getItem' | 'setItem'> = window.localStorage,
  preferred: () => readonly string[] = () => navigator.languages,
): LanguageDoor {
  const setting = (): LanguageSetting => {
    const choice = readChoice(storage.getItem(LANGUAGE_KEY));
    return { choice, language: pickLanguage(preferred(), choice) };
  };
  return {
    read: async () => setting(),
    choose: async (choice) => {
      storage.setItem(LANGUAGE_KEY, readChoice(choice));
      return setting();
    },
    onChange: (listener) => {
      // Another tab chose a language, or the browser's languages changed.
      const changed = (event: Event) => {
        if (!(event instanceof StorageEvent) || event.key === LANGUAGE_KEY) listener(setting());
      };
      window.addEventListener('storage', changed);
      window.addEventListener('languagechange', changed);
      return () => {
        window.removeEventListener('storage', changed);
        window.removeEventListener('languagechange', changed);
      };
    },
  };
}

export function browserClient(): ApiClient {
  // The token arrives in the URL once; the server answers with a cookie, so the URL can drop it.
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  // Requests go over a WebSocket when it is open (the cookie set with the page authorizes it), over
  // HTTP otherwise: requestSocket.ts says why.
  const socket = requestSocket({
    pageUrl: window.location.href,
    open: (url) => new WebSocket(url) as SocketLike,
  });
  return {
    kind: 'browser',
    request: async (method, params) => {
      const overSocket = socket.send(method, params);
      if (overSocket) {
        try {
          return unwrap((await overSocket) as Envelope<RequestResult<typeof method>>);
        } catch (error) {
          if (error instanceof SocketClosedError) throw new ApiError({ code: 'io', message: error.message });
          throw error;
        }
      }
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(params),
      });
      let envelope: Envelope<RequestResult<typeof method>>;
      try {
        envelope = await response.json();
      } catch {
        throw new ApiError({ code: 'io', message: `The server answered ${response.status} without JSON.` });
      }
      return unwrap(envelope);
    },
    subscribe: (listener) => {
      const source = new EventSource('/api/events');
      source.onmessage = (message) => listener(JSON.parse(message.data) as AppEvent);
      return () => source.close();
    },
    onMenuCommand: () => () => {},
    showNativeContextMenu: null,
    pickFolder: null,
    confirm: null,
    pathForFile: () => null,
    language: browserLanguage(),
  };
}

export function createClient(): ApiClient {
  const bridge = (window as { mobileSessions?: DesktopBridge }).mobileSessions;
  return bridge ? desktopClient(bridge) : browserClient();
}
