/** The native folder picker and confirmation: their own words in the app's language now. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createTranslator, type Translate } from '../../shared/i18n/translator.js';
import {
  asBrowserWindow,
  dialog,
  FakeBrowserWindow,
  resetElectronDouble,
} from '../../test/support/electronDouble.js';
import { nativeDialogs } from './dialogs.js';

beforeEach(() => resetElectronDouble());

describe('nativeDialogs', () => {
  it('words the folder picker and the default Cancel in the language in use at each call', async () => {
    let t: Translate = createTranslator('en');
    const dialogs = nativeDialogs(() => t);
    const window = asBrowserWindow(new FakeBrowserWindow());
    dialog.showOpenDialog.mockResolvedValue({ canceled: true, filePaths: [] });
    dialog.showMessageBox.mockResolvedValue({ response: 1, checkboxChecked: false });

    await dialogs.pickFolder(window);
    t = createTranslator('fr');
    await dialogs.pickFolder(window);
    await dialogs.confirm(window, {
      message: 'Placer 2 sessions dans la corbeille ?',
      confirmLabel: 'Placer',
    });

    expect(dialog.showOpenDialog.mock.calls.map((call) => (call as unknown[])[1])).toEqual([
      { title: 'Open MobileApps Folder', buttonLabel: 'Open', properties: ['openDirectory'] },
      { title: 'Ouvrir un dossier MobileApps', buttonLabel: 'Ouvrir', properties: ['openDirectory'] },
    ]);
    expect((dialog.showMessageBox.mock.calls[0] as unknown[])[1]).toMatchObject({
      buttons: ['Placer', 'Annuler'],
    });
  });
});
