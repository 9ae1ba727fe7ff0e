/** How sessions and apps are worded on every side (issue 18, item 9). */
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from './session.js';
import { androidVersion, appLabel, osLabel } from './text.js';

const session = (os: string | null, version: string | null) =>
  ({ device: { os, version } }) as unknown as SessionSummary;

describe('osLabel', () => {
  it("names Android by its version number, from 4D's API level and code name", () => {
    expect(osLabel(session('Android', '34 (Android UPSIDE_DOWN_CAKE)'))).toBe('Android 14');
    expect(osLabel(session('Android', '33 (Android TIRAMISU)'))).toBe('Android 13');
    expect(osLabel(session('Android', '32 (Android S_V2)'))).toBe('Android 12L');
    expect(osLabel(session('Android', 'UPSIDE_DOWN_CAKE'))).toBe('Android 14');
    expect(osLabel(session('Android', 'Android VANILLA_ICE_CREAM'))).toBe('Android 15');
    expect(osLabel(session('Android', '29'))).toBe('Android 10');
    expect(osLabel(session(null, '35 (Android VANILLA_ICE_CREAM)'))).toBe('Android 15');
  });

  it('keeps what it cannot map, and leaves other systems as they are', () => {
    expect(osLabel(session('Android', '14'))).toBe('Android 14'); // a version number already
    expect(osLabel(session('Android', '99 (Android FUTURE_CAKE)'))).toBe('Android API 99');
    expect(osLabel(session('Android', 'FUTURE_CAKE'))).toBe('Android FUTURE_CAKE');
    expect(osLabel(session('iOS', '18.1'))).toBe('iOS 18.1');
    expect(osLabel(session(null, '17.5'))).toBe('17.5');
    expect(osLabel(session(null, null))).toBe('—');
    expect(androidVersion('17.5.1')).toBeNull();
  });
});

describe('appLabel', () => {
  it('tells the iOS and the Android build of one app apart', () => {
    expect(appLabel({ name: 'Field Service', platform: 'ios' })).toBe('Field Service · iOS');
    expect(appLabel({ name: 'Field Service', platform: 'android' })).toBe('Field Service · Android');
    expect(appLabel({ name: 'Tasks', platform: null })).toBe('Tasks');
  });
});
