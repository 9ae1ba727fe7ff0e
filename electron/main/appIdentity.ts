/**
 * Who the app is to the OS. `APP_ID` is electron-builder.yml's `appId` (packaging.test.ts keeps the
 * two equal): Windows shows the notifications of an app only under the user model id of its
 * Start-menu shortcut, which the installer sets to the appId.
 */
export const APP_ID = 'com.mobilesessions.app';
