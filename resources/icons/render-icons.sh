#!/usr/bin/env bash
# Renders the checked-in icon files from the two SVG sources. Run it after editing either SVG
# and commit the results; the build only copies them, so no platform needs an SVG renderer.
#   hicolor/<N>x<N>/apps/*.png  the freedesktop theme sizes (16 and 24 from the simplified source)
#   workdeck.ico                the Windows executable and installer icon
#   workdeck.icns               the macOS bundle icon
# Needs rsvg-convert (librsvg2-bin), ImageMagick's convert and png2icns (icnsutils).
set -euo pipefail
cd "$(dirname "$0")"

id=io.github.workdeck.Workdeck
full=hicolor/scalable/apps/$id.svg
small=$id-small.svg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

render() { # size source output
    rsvg-convert --width "$1" --height "$1" --keep-aspect-ratio "$2" --output "$3"
    # Drop the timestamps and text chunks so that rendering again changes nothing.
    "${CONVERT:-convert}" "$3" -strip -define png:exclude-chunks=date,time "$3"
}

for size in 16 24 32 48 64 128 256; do
    source=$full
    [[ $size -le 24 ]] && source=$small
    mkdir -p "hicolor/${size}x${size}/apps"
    render "$size" "$source" "hicolor/${size}x${size}/apps/$id.png"
done
render 512 "$full" "$tmp/512.png"

ico=()
for size in 16 24 32 48 64 128 256; do
    ico+=("hicolor/${size}x${size}/apps/$id.png")
done
"${CONVERT:-convert}" "${ico[@]}" workdeck.ico
png2icns workdeck.icns hicolor/16x16/apps/$id.png hicolor/32x32/apps/$id.png \
    hicolor/48x48/apps/$id.png hicolor/128x128/apps/$id.png hicolor/256x256/apps/$id.png "$tmp/512.png" >/dev/null
