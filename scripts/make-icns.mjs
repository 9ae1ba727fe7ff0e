#!/usr/bin/env node
/**
 * Writes a macOS .icns from PNG renders: the PNG entry types of Apple's own app icons (ic07–ic14),
 * i.e. 128, 256 and 512 points at 1x and 16, 32, 128, 256 and 512 points at 2x (32–1024 px).
 * No icp4/icp5 (16/32 px PNG at 1x): Finder's list view shows those scrambled in an app bundle, and
 * it scales the 2x entries down well. No legacy RLE or JPEG 2000 entries either.
 *
 *   node scripts/make-icns.mjs <out.icns> <dir holding 32.png 64.png 128.png 256.png 512.png 1024.png>
 *
 * Called by scripts/generate-icons.sh; electron/packaging.test.ts reads the result back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** ICNS entry type → pixel size of its PNG (ic11–ic14 and ic10 are the @2x ones). */
const ICNS_PNG_TYPES = [
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
];

const [output, pngDir] = process.argv.slice(2);
if (!output || !pngDir) {
  console.error('usage: node scripts/make-icns.mjs <out.icns> <dir of <size>.png files>');
  process.exit(2);
}

const entries = ICNS_PNG_TYPES.map(([type, size]) => {
  const png = readFileSync(path.join(pngDir, `${size}.png`));
  const header = Buffer.alloc(8);
  header.write(type, 0, 'latin1');
  header.writeUInt32BE(8 + png.length, 4);
  return Buffer.concat([header, png]);
});
const body = Buffer.concat(entries);
const fileHeader = Buffer.alloc(8);
fileHeader.write('icns', 0, 'latin1');
fileHeader.writeUInt32BE(8 + body.length, 4);
writeFileSync(output, Buffer.concat([fileHeader, body]));
