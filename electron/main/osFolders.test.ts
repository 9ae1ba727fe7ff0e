import { describe, expect, it, vi } from 'vitest';
import { fakeEvent } from '../../test/support/electronDouble.js';
import { FolderRequests, listenForOpenFile, RecentDocuments } from './osFolders.js';

describe('RecentDocuments', () => {
  it('adds each folder once when it becomes the open one, never the demo', () => {
    const added: string[] = [];
    const recent = new RecentDocuments((folder) => added.push(folder));
    recent.stateChanged({ root: null, demo: false });
    recent.stateChanged({ root: '/srv/MobileApps', demo: false });
    recent.stateChanged({ root: '/srv/MobileApps', demo: false });
    recent.stateChanged({ root: '/data/demo', demo: true });
    recent.stateChanged({ root: null, demo: false });
    recent.stateChanged({ root: '/srv/MobileApps', demo: false });
    expect(added).toEqual(['/srv/MobileApps', '/srv/MobileApps']);
  });
});

describe('FolderRequests', () => {
  it('keeps folders until released, in order, then opens the next ones at once', () => {
    const opened: string[] = [];
    const requests = new FolderRequests((folder) => opened.push(folder));
    expect(requests.hasWaiting()).toBe(false);
    requests.request('/a');
    requests.request('/b');
    expect(opened).toEqual([]);
    expect(requests.hasWaiting()).toBe(true);
    requests.release();
    expect(opened).toEqual(['/a', '/b']);
    expect(requests.hasWaiting()).toBe(false);
    requests.request('/c');
    expect(opened).toEqual(['/a', '/b', '/c']);
  });

  it('takes open-file, telling macOS the app handled it', () => {
    const listeners: ((event: { preventDefault(): void }, path: string) => void)[] = [];
    const requests = new FolderRequests(vi.fn());
    listenForOpenFile({ on: (_name, listener) => listeners.push(listener) }, requests);
    const event = fakeEvent();
    for (const listener of listeners) listener(event, '/dropped');
    expect(event.defaultPrevented).toBe(true);
    expect(requests.hasWaiting()).toBe(true);
  });
});
