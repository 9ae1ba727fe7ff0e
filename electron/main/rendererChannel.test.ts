/** Events for the renderer: held until it listens, sent in order, held again after a reload. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent, AppState } from '../../shared/contract.js';
import { IPC } from '../../shared/ipc.js';
import { asWebContents, FakeWebContents, resetElectronDouble } from '../../test/support/electronDouble.js';
import { RendererChannel } from './rendererChannel.js';

const state = (n: number): AppEvent => ({
  type: 'state',
  state: {
    root: `/r${n}`,
    demo: false,
    watcher: { state: 'watching', message: '' },
    scan: null,
    revealKind: 'path',
    platform: 'linux',
  } as AppState,
});
const removed = (n: number): AppEvent => ({
  type: 'deltas',
  deltas: [{ type: 'session-removed', ref: `app/${n.toString(16)}`, folder: 'app' }],
});

let contents: FakeWebContents;
let channel: RendererChannel;
beforeEach(() => {
  resetElectronDouble();
  contents = new FakeWebContents();
  channel = new RendererChannel(asWebContents(contents));
});

describe('RendererChannel', () => {
  it('holds events and commands until the renderer is ready, then sends them in order', () => {
    channel.sendEvent(state(1));
    channel.sendCommand({ command: 'refresh' });
    channel.sendEvent(removed(2));
    expect(contents.sent).toEqual([]);
    channel.markReady();
    expect(contents.sent).toEqual([
      { channel: IPC.event, args: [state(1)] },
      { channel: IPC.menuCommand, args: [{ command: 'refresh' }] },
      { channel: IPC.event, args: [removed(2)] },
    ]);
    // Sent once only.
    channel.markReady();
    expect(contents.sent).toHaveLength(3);
  });

  it('sends at once while the renderer is ready', () => {
    channel.markReady();
    channel.sendEvent(removed(1));
    channel.sendCommand({ command: 'focus-session', ref: 'app/1' });
    expect(contents.sent).toEqual([
      { channel: IPC.event, args: [removed(1)] },
      { channel: IPC.menuCommand, args: [{ command: 'focus-session', ref: 'app/1' }] },
    ]);
  });

  it('holds events again after the page starts loading (a reload), until it says it is ready', () => {
    channel.markReady();
    channel.sendEvent(removed(1));
    contents.emit('did-start-loading');
    channel.sendEvent(removed(2));
    channel.sendEvent(removed(3));
    expect(contents.sent.map((s) => s.args[0])).toEqual([removed(1)]);
    channel.markReady();
    expect(contents.sent.map((s) => s.args[0])).toEqual([removed(1), removed(2), removed(3)]);
  });

  it('drops what is sent to destroyed contents, without throwing', () => {
    channel.sendEvent(removed(1));
    contents.destroy();
    expect(() => channel.sendEvent(removed(2))).not.toThrow();
    expect(() => channel.sendCommand({ command: 'refresh' })).not.toThrow();
    expect(contents.sent).toEqual([]);
  });

  it('keeps only the most recent 5000 while the renderer is not listening', () => {
    for (let n = 0; n < 5010; n++) channel.sendEvent(removed(n));
    channel.markReady();
    expect(contents.sent).toHaveLength(5000);
    expect(contents.sent[0]?.args[0]).toEqual(removed(10));
    expect(contents.sent.at(-1)?.args[0]).toEqual(removed(5009));
  });
});
