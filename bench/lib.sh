# Shared by the bench scripts: builds infra, starts a moto server through the test launcher (so the
# documented gaps are filled), copies TOPOLOGY without deletion protection into a work directory
# (protection would, rightly, stop the destroy being measured) and defines `measure`. The launcher inherits
# INFRA_EMULATOR_TIME_SCALE (realistic durations, see docs/emulator.md) when it is exported.
#   source bench/lib.sh TOPOLOGY
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
topology="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
"$root/infra" --version >/dev/null   # build once, outside the measurements

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MOTO_IAM_LOAD_MANAGED_POLICIES=true python3 "$root/providers/src/test/resources/dev/infra/providers/testing/moto_launcher.py" \
  -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
until curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; do sleep 0.2; done
work=$(mktemp -d)
cd "$work"
# The emulator has no Kubernetes API: the clusters' Helm releases go to the tests' fake helm, put first on PATH.
mkdir -p "$work/helm-bin"
install -m 755 "$root/providers/src/test/resources/dev/infra/providers/testing/fake_helm.py" "$work/helm-bin/helm"
export PATH="$work/helm-bin:$PATH"
sed 's/deletionProtection: true/deletionProtection: false/' "$topology" > "$work/topology.yaml"
topology="$work/topology.yaml"

measure() {   # NAME ARGS...: one run; prints wall s, peak RSS MiB, API calls
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o time.txt "$root/infra" "$@" -f "$topology" --endpoint-url "http://127.0.0.1:$port" \
    --stats >out.txt 2>err.txt || { echo "$name failed:" >&2; tail -5 err.txt >&2; exit 1; }
  read -r wall rss < time.txt
  calls=$(sed -n 's/^AWS API calls: //p' err.txt)
  printf '%-30s wall %6.2f s   peak %5d MiB   AWS calls %s\n' "$name" "$wall" $((rss / 1024)) "${calls:-0}"
}
