/** Notifications stay referenced until they are clicked, closed or failed, so their click still arrives. */
import { describe, expect, it, vi } from 'vitest';
import { Notification } from '../../test/support/electronDouble.js';
import { KeptNotifications, MAX_HELD_NOTIFICATIONS } from './notifications.js';

const kept = () => {
  const made: Notification[] = [];
  const notifications = new KeptNotifications((options) => {
    const notification = new Notification(options);
    made.push(notification);
    return notification;
  });
  return { notifications, made };
};

describe('KeptNotifications', () => {
  it('shows each one and holds it until it is clicked, closed or failed', () => {
    const { notifications, made } = kept();
    const onClick = vi.fn();
    notifications.show('A device is waiting', 'iPhone (A)', onClick);
    notifications.show('Two devices are waiting', 'Pixel, iPad', vi.fn());
    notifications.show('Another', 'x', vi.fn());
    expect(made.map((n) => n.options)).toEqual([
      { title: 'A device is waiting', body: 'iPhone (A)' },
      { title: 'Two devices are waiting', body: 'Pixel, iPad' },
      { title: 'Another', body: 'x' },
    ]);
    expect(Notification.shownRefs.slice(-3).map((ref) => ref.deref())).toEqual(made);
    expect(notifications.size).toBe(3);
    made[0]?.emit('click');
    expect(onClick).toHaveBeenCalledOnce();
    made[1]?.emit('close');
    made[2]?.emit('failed', {}, 'no notification server');
    expect(notifications.size).toBe(0);
  });

  it(`lets the oldest go past ${MAX_HELD_NOTIFICATIONS} (close is not emitted everywhere)`, () => {
    const { notifications, made } = kept();
    const clicks: number[] = [];
    for (let n = 0; n < MAX_HELD_NOTIFICATIONS + 5; n++)
      notifications.show(`n${n}`, '', () => clicks.push(n));
    expect(notifications.size).toBe(MAX_HELD_NOTIFICATIONS);
    // The newest still work.
    made.at(-1)?.emit('click');
    expect(clicks).toEqual([MAX_HELD_NOTIFICATIONS + 4]);
    expect(notifications.size).toBe(MAX_HELD_NOTIFICATIONS - 1);
  });
});
