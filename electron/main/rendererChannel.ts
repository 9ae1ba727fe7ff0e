/**
 * Events for the renderer, held until it says it listens (watcher events can arrive before React
 * mounts), then sent in order. A reload makes it wait again.
 */
import type { WebContents } from 'electron';
import type { AppEvent } from '../../shared/contract.js';
import type { LanguageSetting } from '../../shared/i18n/language.js';
import { IPC, type MenuCommandMessage } from '../../shared/ipc.js';

type Payload = AppEvent | MenuCommandMessage | LanguageSetting;

const MAX_QUEUED = 5000;

export class RendererChannel {
  private ready = false;
  private queue: { channel: string; payload: Payload }[] = [];

  constructor(private readonly contents: WebContents) {
    contents.on('did-start-loading', () => {
      this.ready = false;
    });
  }

  markReady(): void {
    this.ready = true;
    const queued = this.queue;
    this.queue = [];
    for (const { channel, payload } of queued) this.contents.send(channel, payload);
  }

  sendEvent(event: AppEvent): void {
    this.send(IPC.event, event);
  }

  sendCommand(message: MenuCommandMessage): void {
    this.send(IPC.menuCommand, message);
  }

  /** The language changed (the native menu, or the window itself). */
  sendLanguage(setting: LanguageSetting): void {
    this.send(IPC.languageChanged, setting);
  }

  private send(channel: string, payload: Payload): void {
    if (this.contents.isDestroyed()) return;
    if (this.ready) {
      this.contents.send(channel, payload);
      return;
    }
    // The renderer reloads its state when it starts; only the most recent events matter.
    if (this.queue.length >= MAX_QUEUED) this.queue.shift();
    this.queue.push({ channel, payload });
  }
}
