#!/usr/bin/env bash
# Builds ARX (the Java library only, no GUI) from a checkout of its public
# repository and runs AdultModels.java on UCI Adult, printing one CSV line per
# case (see README.md beside this file).
#
# Usage: Benchmarks/arx/run.sh ARX_CHECKOUT [OUT_DIR]
#   ARX_CHECKOUT  a work tree of github.com/arx-deidentifier/arx (3.9.x); its
#                 lib/ant/ holds the dependency jars.
#   OUT_DIR       optional; receives each case's published table as CASE.csv.
# Environment: SHARED (default: ../shared beside the repository) holds bench/adult.
#              BUILD (default: /tmp/arx-build) receives the compiled classes.
#
# Three jars of ARX's lib/ant/ are too large for some mirrors of the repository
# (pdfbox-app, hadoop-core, poi-ooxml-schemas). The anonymisation code needs
# none of them at run time, but javac does: pdfbox comes from Debian's
# libpdfbox2-java, and hadoop's Writable (only named by Mahout's logistic
# regression, which these cases never call) gets a one-interface stand-in.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
arx=${1:?usage: run.sh ARX_CHECKOUT [OUT_DIR]}
out=${2:-}
shared=${SHARED:-$here/../../../shared}
build=${BUILD:-/tmp/arx-build}

[ -d "$arx/src/main/org/deidentifier/arx" ] || { echo "run.sh: $arx is not an ARX checkout (no src/main/org/deidentifier/arx)" >&2; exit 2; }
[ -f "$shared/bench/adult/adult.csv" ] || { echo "run.sh: $shared/bench/adult/adult.csv missing; set SHARED" >&2; exit 2; }

if [ ! -f /usr/share/java/pdfbox2.jar ]; then
    echo "run.sh: installing libpdfbox2-java (compile-time dependency of ARX's certificate code)" >&2
    apt-get install -y -qq libpdfbox2-java >/dev/null
fi

cp="$(find "$arx/lib/ant" -name '*.jar' ! -path '*swt*' ! -name '*win32*' | tr '\n' ':')/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar"

if [ ! -f "$build/main/org/deidentifier/arx/ARXAnonymizer.class" ]; then
    mkdir -p "$build/main" "$build/stub/org/apache/hadoop/io"
    if [ ! -f "$(find "$arx/lib/ant" -name 'hadoop-core*.jar' -size +1k | head -1)" ]; then
        cat > "$build/stub/org/apache/hadoop/io/Writable.java" <<'EOF'
package org.apache.hadoop.io;
public interface Writable {
    void write(java.io.DataOutput out) throws java.io.IOException;
    void readFields(java.io.DataInput in) throws java.io.IOException;
}
EOF
    fi
    echo "run.sh: compiling ARX into $build/main" >&2
    # shellcheck disable=SC2046
    javac -nowarn -encoding UTF-8 -d "$build/main" -cp "$cp" \
        $(find "$build/stub" -name '*.java') $(find "$arx/src/main" -name '*.java') 2>&1 | grep -v '^Note:' >&2 || true
    [ -f "$build/main/org/deidentifier/arx/ARXAnonymizer.class" ] || { echo "run.sh: ARX did not compile" >&2; exit 1; }
fi

mkdir -p "$build/driver"
javac -nowarn -d "$build/driver" -cp "$build/main:$cp" "$here/AdultModels.java"
[ -n "$out" ] && mkdir -p "$out"
exec java -Xmx2g -cp "$build/driver:$build/main:$cp" AdultModels "$shared/bench/adult" ${out:+"$out"}
