/** An app folder's label from its manifest.json, as 4D's mobile editor and 4D's own components write it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ANDROID_BUNDLE,
  BUNDLE,
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  writeFile,
} from '../../../test/support/fixtures.js';
import { readAppManifest } from './appFolder.js';

let root: string;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(async () => {
  await removeDir(root);
});

const manifest = (target: unknown) => ({
  application: { id: BUNDLE, name: 'Contact' },
  team: { id: '' },
  info: { target },
});

describe('readAppManifest', () => {
  it('reads info.target given as one target', async () => {
    await writeFile(root, IOS_FOLDER, 'manifest.json', manifest('iOS'));
    await writeFile(root, ANDROID_BUNDLE, 'manifest.json', manifest('android'));
    expect(readAppManifest(`${root}/${IOS_FOLDER}`)).toMatchObject({
      name: 'Contact',
      platform: 'ios',
      teamId: null,
    });
    expect(readAppManifest(`${root}/${ANDROID_BUNDLE}`)?.platform).toBe('android');
  });

  it('reads info.target given as a collection, as 4D writes it ("android", "iOS"): the folder tells which', async () => {
    // 4D-Mobile-App-Server's createTestSession writes compact JSON with a collection of targets.
    await writeFile(root, IOS_FOLDER, 'manifest.json', JSON.stringify(manifest(['android', 'iOS'])));
    await writeFile(root, ANDROID_BUNDLE, 'manifest.json', JSON.stringify(manifest(['android', 'iOS'])));
    await writeFile(root, 'com.only.ios', 'manifest.json', `\uFEFF${JSON.stringify(manifest(['iOS']))}`);
    expect(readAppManifest(`${root}/${IOS_FOLDER}`)?.platform).toBe('ios');
    expect(readAppManifest(`${root}/${ANDROID_BUNDLE}`)?.platform).toBe('android');
    expect(readAppManifest(`${root}/com.only.ios`)?.platform).toBe('ios');
  });

  it('reads no platform from an unknown or missing target, and no manifest from a broken file', async () => {
    await writeFile(root, IOS_FOLDER, 'manifest.json', manifest(['watchOS', 7]));
    expect(readAppManifest(`${root}/${IOS_FOLDER}`)?.platform).toBeNull();
    await writeFile(root, ANDROID_BUNDLE, 'manifest.json', '{broken');
    expect(readAppManifest(`${root}/${ANDROID_BUNDLE}`)).toBeNull();
  });
});
