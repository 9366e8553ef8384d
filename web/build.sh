#!/usr/bin/env bash
# Builds the query page's YASGUI from the npm registry, reproducibly: `npm ci` installs exactly the
# versions package-lock.json pins, and the package's own built files are copied, unchanged, into
# assets/yasgui/, which is committed, so building ffkg needs no Node. Run it after changing the
# pinned version (`npm install --save-exact @zazuko/yasgui@X` here first), then commit assets/yasgui/.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

src=node_modules/@zazuko/yasgui
build=$src/build
# Built beside the old copy and swapped in at the end, so a failure leaves assets/yasgui/ as it was.
final=../assets/yasgui
out=$(mktemp -d ../assets/.yasgui.XXXXXX)
trap 'rm -rf "$out"' EXIT

# The browser bundle (UMD, sets window.Yasgui) and its stylesheet. The stylesheet references no
# fonts or images (its icons are inline SVG in the script); fail if a later version does, so they
# get copied too rather than go missing.
cp "$build/yasgui.min.js" "$build/yasgui.min.css" "$out/"
if grep -q 'url(' "$out/yasgui.min.css"; then
    echo "build.sh: yasgui.min.css now references files (url(...)); copy them too" >&2
    exit 1
fi

# The licence. The npm package ships none, so the text comes from the upstream repository
# (github.com/rdfjs/Yasgui, LICENSE, MIT), kept beside this script as yasgui-LICENSE.
if [ -f "$src/LICENSE" ]; then
    cp "$src/LICENSE" "$out/LICENSE"
else
    cp yasgui-LICENSE "$out/LICENSE"
fi

# The bundle includes its dependencies (CodeMirror, jQuery, DataTables, DOMPurify, lodash, N3 …):
# their licences, one after another, for the notices their licences ask to keep.
version=$(node -p "require('./$src/package.json').version")
{
    echo "YASGUI $version (@zazuko/yasgui) bundles the following packages in yasgui.min.js and"
    echo "yasgui.min.css. Their licences follow, as each package ships them."
    node -e '
        const fs = require("fs"), path = require("path");
        const lock = require("./package-lock.json");
        const names = Object.keys(lock.packages)
            .filter((p) => p.startsWith("node_modules/") && !lock.packages[p].dev)
            .sort();
        for (const dir of names) {
            const meta = require("./" + dir + "/package.json");
            const files = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|copying)/i.test(f)).sort();
            console.log("\n" + "=".repeat(78));
            console.log(`${meta.name} ${meta.version} (${meta.license || "see below"})`);
            console.log("=".repeat(78));
            for (const f of files) console.log("\n" + fs.readFileSync(path.join(dir, f), "utf8").trim());
            if (files.length) continue;
            // The @zazuko packages come from one repository, whose LICENSE is yasgui-LICENSE.
            if (meta.name.startsWith("@zazuko/")) {
                console.log("\n(from github.com/rdfjs/Yasgui, LICENSE)\n" + fs.readFileSync("yasgui-LICENSE", "utf8").trim());
            } else {
                console.log(`\n(the package ships no licence file; its package.json says ${meta.license || "nothing"})`);
            }
        }
    '
} > "$out/THIRD-PARTY-LICENSES"

chmod 755 "$out"
chmod 644 "$out"/*
rm -rf "$final"
mv "$out" "$final"
echo "assets/yasgui/ (YASGUI $version):"
( cd "$final" && ls -l | awk 'NR > 1 { printf "  %-22s %9d bytes\n", $9, $5 }' )
