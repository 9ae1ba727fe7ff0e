#!/bin/sh
# Regenerates every icon file in assets/ from assets/icon.svg (the only hand-made one).
#
#   scripts/generate-icons.sh
#
# Needs rsvg-convert (librsvg) and icotool (icoutils), plus Node for the .icns:
#   Debian/Ubuntu: sudo apt-get install librsvg2-bin icoutils
#   macOS (Homebrew): brew install librsvg icoutils
# With the same librsvg version, re-running it on an unchanged SVG rewrites identical bytes.
set -eu

cd "$(dirname "$0")/.."
svg=assets/icon.svg
for tool in rsvg-convert icotool node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "generate-icons: $tool not found (see the header of $0)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert --width "$size" --height "$size" --output "$tmp/$size.png" "$svg"
done

# electron-builder's fallback source and the 1024 px master (mac and Windows icons could be derived from it).
cp "$tmp/1024.png" assets/icon.png

# Linux: one PNG per size, named <size>x<size>.png (electron-builder's `linux.icon: assets/icons`).
rm -rf assets/icons
mkdir -p assets/icons
for size in 16 24 32 48 64 128 256 512; do
  cp "$tmp/$size.png" "assets/icons/${size}x${size}.png"
done

# Windows: 16–128 as 32-bit BMP entries (read by every Windows version and by NSIS), 256 as PNG.
icotool --create --output=assets/icon.ico \
  "$tmp/16.png" "$tmp/24.png" "$tmp/32.png" "$tmp/48.png" "$tmp/64.png" "$tmp/128.png" \
  --raw="$tmp/256.png"

# macOS: PNG entries 32–1024 px (ic07–ic14, see the header of scripts/make-icns.mjs).
node scripts/make-icns.mjs assets/icon.icns "$tmp"

echo "generate-icons: wrote assets/icon.png, assets/icon.ico, assets/icon.icns and assets/icons/*.png"
