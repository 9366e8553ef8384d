#!/usr/bin/env bash
# The client libraries that tests/clients.rs drives `ffkg serve` with:
#   - target/venv: a Python venv with tests/clients/requirements.txt (SPARQLWrapper, rdflib);
#   - tests/clients/node_modules: `npm ci` of tests/clients/package-lock.json (Comunica, and
#     Node 24 from npm, since Comunica 5 needs a newer Node than Debian's);
#   - target/jena: the classpath for Apache Jena's rsparql, when Debian's libapache-jena-java is
#     installed (this script installs no system package: .ci/run's packages step does that).
# Idempotent: a second run reuses the venv and skips npm ci when the lock file has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Python: Debian's own interpreter when there is one (python3 may be a pyenv shim).
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
if [ ! -x target/venv/bin/python ]; then
    mkdir -p target
    "$PYTHON" -m venv target/venv
fi
target/venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -r tests/clients/requirements.txt
echo "clients: $(target/venv/bin/python --version) in target/venv, with" \
    "$(target/venv/bin/python -m pip freeze --disable-pip-version-check | tr '\n' ' ')"

# Node: npm ci when node_modules is missing or older than the lock file.
lock=tests/clients/package-lock.json
stamp=tests/clients/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
    (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "clients: Node $(tests/clients/node_modules/.bin/node --version) and" \
    "@comunica/query-sparql $(tests/clients/node_modules/.bin/node -p \
        "require('./tests/clients/node_modules/@comunica/query-sparql/package.json').version")"

# Jena: Debian's jars, with one fix. Debian's build moves Jena's bundled Xerces classes from
# org.apache.jena.ext.xerces to xerces but leaves their message resources behind, and every Jena
# command then dies initialising XSD datatypes ("internal error" in XSSimpleTypeDecl); a copy
# of the resources at the classes' package makes them found. FFKG_JENA_JARS may name another
# directory to look in first (the jars of the Debian packages unpacked with dpkg -x).
jars=()
for dir in ${FFKG_JENA_JARS:-} /usr/share/java; do
    [ -d "$dir" ] && jars+=("$dir")
done
find_jar() {
    local dir
    for dir in "${jars[@]}"; do
        if [ -f "$dir/$1.jar" ]; then
            echo "$dir/$1.jar"
            return 0
        fi
    done
    return 1
}
rm -rf target/jena
if ! command -v java >/dev/null 2>&1; then
    echo "clients: no Jena (no java)"
elif core="$(find_jar jena-core)"; then
    classpath="$PWD/target/jena/resources"
    mkdir -p "$classpath"
    "$PYTHON" - "$core" "$classpath" <<'EOF'
import sys, zipfile, pathlib
core, out = sys.argv[1], pathlib.Path(sys.argv[2])
prefix = "org/apache/jena/ext/xerces/"
with zipfile.ZipFile(core) as jar:
    for name in jar.namelist():
        if name.startswith(prefix) and name.endswith(".properties"):
            target = out / "xerces" / name[len(prefix):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(jar.read(name))
EOF
    missing=()
    for jar in jena-arq jena-base jena-cmds jena-core jena-iri jena-rdfconnection \
        jena-dboe-base jena-dboe-index jena-dboe-storage jena-dboe-trans-data \
        jena-dboe-transaction jena-tdb jena-tdb2 jena-shacl jena-shex \
        commons-cli commons-codec commons-compress commons-csv commons-io commons-lang3 \
        commons-logging dexx.collection gson guava httpclient httpcore jackson-annotations \
        jackson-core jackson-databind jakarta.json-api jsonld-java protobuf thrift \
        titanium-json-ld slf4j-api slf4j-nop; do
        if path="$(find_jar "$jar")"; then
            classpath="$classpath:$path"
        else
            missing+=("$jar")
        fi
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "clients: no Jena: jars missing: ${missing[*]}"
        rm -rf target/jena
    else
        printf '%s\n' "$classpath" >target/jena/classpath
        echo "clients: Jena $(java -cp "$classpath" arq.rsparql --version 2>&1 | head -1 |
            sed 's/.*VERSION: //') (rsparql) from Debian's libapache-jena-java"
    fi
else
    echo "clients: no Jena (apt-get install libapache-jena-java for the rsparql test)"
fi
