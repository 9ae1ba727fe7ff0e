/**
 * New pending sessions, told to the admin: a desktop notification (click: that session) and the
 * pending count on the dock or taskbar badge (macOS and Linux Unity; Windows has no badge count).
 */
import type { WorkspaceDelta } from '../../shared/deltas.js';
import type { Translate } from '../../shared/i18n/translator.js';
import { folderOf } from '../../shared/text.js';

export interface NotifierPorts {
  notify: (title: string, body: string, onClick: () => void) => void;
  setBadgeCount: (count: number) => void;
  focusSession: (ref: string) => void;
}

/** The new pending sessions in a batch of deltas (not those read by the first scan). */
export function newPendingSessions(deltas: WorkspaceDelta[]): { ref: string; label: string }[] {
  return deltas.flatMap((delta) =>
    delta.type === 'session-added' && delta.session.status === 'pending'
      ? [{ ref: delta.ref, label: delta.session.device.description ?? delta.session.id }]
      : [],
  );
}

export function announcePending(deltas: WorkspaceDelta[], ports: NotifierPorts, t: Translate): void {
  const fresh = newPendingSessions(deltas);
  const first = fresh[0];
  if (!first) return;
  const title = t('desktop:notifications.pendingTitle', { count: fresh.length });
  // One device: its name and its app's folder; several: the first names (a list, not a sentence).
  const body =
    fresh.length === 1
      ? t('desktop:notifications.pendingDevice', { device: first.label, app: folderOf(first.ref) })
      : fresh
          .map((f) => f.label)
          .slice(0, 3)
          .join(', ');
  ports.notify(title, body, () => ports.focusSession(first.ref));
}
