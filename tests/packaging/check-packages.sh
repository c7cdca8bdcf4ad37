#!/usr/bin/env bash
# Builds the .deb and the .tar.gz of a built tree with CPack and checks them as Debian's tools and
# a user would: lintian, desktop-file-validate and appstreamcli on the installed files, the
# package's metadata and contents, then the packaged program itself, run headless on a small
# batch from a root the .deb was unpacked into.
# Usage: check-packages.sh CPACK BUILD_DIR WORK_DIR
# WORK_DIR is emptied first and kept afterwards, to look at after a failure.
set -euo pipefail

cpack=$1
build=$2
work=$3
id=io.github.workdeck.Workdeck

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== $*"; }

rm -rf "$work"
mkdir -p "$work"

step "cpack: DEB and TGZ from $build"
"$cpack" --config "$build/CPackConfig.cmake" -G "DEB;TGZ" -B "$work/cpack" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack failed (the log is above)"; }
debs=("$work"/cpack/workdeck_*.deb)
tgzs=("$work"/cpack/workdeck-*.tar.gz)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one workdeck_*.deb in $work/cpack"
[[ ${#tgzs[@]} -eq 1 && -f ${tgzs[0]} ]] || fail "expected one workdeck-*.tar.gz in $work/cpack"
deb=${debs[0]}
tgz=${tgzs[0]}

step "lintian $(basename "$deb")"
# Errors and warnings fail. Lintian 2.116 (Debian 12) reports only information tags today:
# hardening-no-bindnow and hardening-no-fortify-functions (the project's compile flags, not the
# packaging's) and binary-has-unneeded-section (.comment, which
# CMake's plain strip keeps). A warning that must be accepted one day gets a line with its
# reason in a lintian overrides file installed as /usr/share/lintian/overrides/workdeck.
lintian --fail-on error,warning --display-info "$deb" || fail "lintian found problems (above)"

step "package metadata"
version=$(dpkg-deb --field "$deb" Version)
depends=$(dpkg-deb --field "$deb" Depends)
echo "Version: $version"
echo "Depends: $depends"
# libqt6widgets6 is there only if dpkg-shlibdeps ran; the other two are what it cannot see.
depended=$(tr ',|' '\n' <<<"$depends" | sed -e 's/^ *//' -e 's/[ (].*//')
for package in libqt6widgets6 libqt6sql6-sqlite qt6-qpa-plugins; do
    grep -qx "$package" <<<"$depended" || fail "Depends lacks $package"
done
[[ $(dpkg-deb --field "$deb" Section) == utils ]] || fail "Section is not utils"

step "unpack into a temporary root"
root=$work/root
dpkg-deb -x "$deb" "$root"
expected=(
    usr/bin/workdeck
    "usr/share/applications/$id.desktop"
    "usr/share/metainfo/$id.metainfo.xml"
    "usr/share/icons/hicolor/scalable/apps/$id.svg"
    usr/share/man/man1/workdeck.1.gz
    usr/share/doc/workdeck/copyright
    usr/share/doc/workdeck/changelog.gz
)
for size in 16 24 32 48 64 128 256; do
    expected+=("usr/share/icons/hicolor/${size}x$size/apps/$id.png")
done
for file in "${expected[@]}"; do
    [[ -f $root/$file ]] || fail "the package lacks /$file"
done
for size in 16 24 32 48 64 128 256; do
    file "$root/usr/share/icons/hicolor/${size}x$size/apps/$id.png" | grep -q "PNG image data, $size x $size," ||
        fail "the ${size}x$size icon is not a $size x $size PNG"
done

step "desktop-file-validate"
report=$(desktop-file-validate "$root/usr/share/applications/$id.desktop" 2>&1) || true
[[ -z $report ]] || fail "desktop-file-validate: $report"
grep -qx "Exec=workdeck" "$root/usr/share/applications/$id.desktop" || fail "the desktop entry does not run workdeck"
grep -qx "Icon=$id" "$root/usr/share/applications/$id.desktop" || fail "the desktop entry's icon is not $id"

step "appstreamcli validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/$id.metainfo.xml" || fail "appstreamcli found problems (above)"
newest=$(grep -o -m1 '<release version="[^"]*"' "$root/usr/share/metainfo/$id.metainfo.xml" | cut -d'"' -f2)
[[ $newest == "$version" ]] || fail "the newest release in the metainfo is $newest, the package is $version: write its release notes"

step "tarball contents"
listing=$(tar -tzf "$tgz")
for file in bin/workdeck "share/applications/$id.desktop" "share/metainfo/$id.metainfo.xml" share/man/man1/workdeck.1.gz; do
    grep -q "^[^/]*/$file\$" <<<"$listing" || fail "$(basename "$tgz") lacks $file"
done

step "the packaged program"
workdeck=$root/usr/bin/workdeck
# Nothing of the caller's: settings, data and display.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
export QT_QPA_PLATFORM=offscreen
unset DISPLAY WAYLAND_DISPLAY
mkdir -p "$HOME"
[[ $("$workdeck" --version) == "workdeck $version" ]] || fail "--version does not print 'workdeck $version'"
"$workdeck" --help | grep -q -- "--headless" || fail "--help does not describe --headless"

cat >"$work/batch.jsonl" <<'BATCH'
{"kind":"simulate","duration_ms":1}
{"kind":"simulate","duration_ms":1,"priority":5}
{"kind":"simulate","duration_ms":2}
{"kind":"simulate","duration_ms":1,"fail_attempts":1,"max_retries":0}
BATCH
status=0
summary=$("$workdeck" --headless --db "$work/run.sqlite" --batch "$work/batch.jsonl" --workers 2) || status=$?
echo "$summary (exit status $status)"
[[ $status -eq 1 ]] || fail "--headless with a failing task exited $status, not 1"
[[ $summary =~ ^\{\"imported\":4,\"succeeded\":3,\"failed\":1,\"cancelled\":0,\"elapsed_ms\":[0-9]+\}$ ]] ||
    fail "unexpected --headless summary: $summary"
totals=$("$workdeck" --status --db "$work/run.sqlite")
echo "$totals"
[[ $totals == '{"users":0,"pending":0,"running":0,"retrying":0,"succeeded":3,"failed":1,"cancelled":0}' ]] ||
    fail "unexpected --status after the run: $totals"

echo "PASS: $(basename "$deb") and $(basename "$tgz")"
