/**
 * Desktop notifications that stay clickable. Electron keeps only a weak reference to a shown
 * `Notification`: once the garbage collector takes it, its `click` never arrives. Each one is held
 * here until it is clicked, closed or failed; the oldest are let go past a cap, since `close` is
 * not emitted everywhere (a notification that expires into the Windows action centre, for one).
 */
export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  show(): void;
}

export const MAX_HELD_NOTIFICATIONS = 50;

export class KeptNotifications {
  private readonly held = new Set<NotificationLike>();

  constructor(private readonly create: (options: { title: string; body: string }) => NotificationLike) {}

  show(title: string, body: string, onClick: () => void): void {
    const notification = this.create({ title, body });
    const release = () => {
      this.held.delete(notification);
    };
    notification.on('click', () => {
      release();
      onClick();
    });
    notification.on('close', release);
    notification.on('failed', release);
    this.held.add(notification);
    for (const oldest of this.held) {
      if (this.held.size <= MAX_HELD_NOTIFICATIONS) break;
      this.held.delete(oldest);
    }
    notification.show();
  }

  /** How many are held now. */
  get size(): number {
    return this.held.size;
  }
}
