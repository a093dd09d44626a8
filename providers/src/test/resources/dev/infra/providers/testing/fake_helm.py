#!/usr/bin/env python3
"""A stand-in for Helm 3 in the integration tests (the emulator has no Kubernetes API for a real one to talk to).

Answers the subcommands infra runs, as Helm 3 prints them: `upgrade --install`, `status -o json`, `get values -o json`,
`uninstall`. Releases are JSON files under `releases/` beside this script, keyed by the kubeconfig's server (the
cluster endpoint), namespace and name. Every call is appended to `calls.jsonl` beside it: its arguments, the time it
started and ended (epoch seconds), and what it found in the kubeconfig it was given (the file's mode, its server, and
the token checked as EKS's authenticator does: the presigned GetCallerIdentity URL, sent with its x-k8s-aws-id header,
answered by STS - here the emulator's).
"""
import base64
import json
import os
import stat
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
RELEASES = os.path.join(HERE, "releases")


def option(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def positional(args):
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a in ("--repo", "--version", "--namespace", "-f", "--kubeconfig", "--timeout", "--output", "-o", "-n"):
            skip = True
        elif not a.startswith("-"):
            out.append(a)
    return out


def check_token(kubeconfig):
    """What EKS's authenticator does with the token: decode the URL, send it with the cluster header to STS."""
    context = kubeconfig["current-context"]
    token = kubeconfig["users"][0]["user"]["token"]
    if not token.startswith("k8s-aws-v1."):
        return {"ok": False, "why": "no k8s-aws-v1. prefix"}
    body = token[len("k8s-aws-v1."):]
    url = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    request = urllib.request.Request(url, headers={"x-k8s-aws-id": context})
    with urllib.request.urlopen(request, timeout=10) as r:
        answer = r.read().decode()
    return {"ok": "GetCallerIdentityResponse" in answer and "<Arn>" in answer, "padded": "=" in body,
            "action": query.get("Action", [""])[0], "signedHeaders": query.get("X-Amz-SignedHeaders", [""])[0],
            "expires": query.get("X-Amz-Expires", [""])[0], "cluster": context}


def release_file(server, namespace, name):
    host = urllib.parse.urlparse(server).hostname
    return os.path.join(RELEASES, host, namespace, name + ".json")


def main(argv):
    started = time.time()
    record = {"args": argv, "start": started, "command": " ".join(argv[:2]) if argv[:1] == ["get"] else argv[0]}
    kubeconfig_path = option(argv, "--kubeconfig")
    exit_code, out, err = 1, "", ""
    try:
        mode = stat.S_IMODE(os.stat(kubeconfig_path).st_mode)
        with open(kubeconfig_path) as f:
            kubeconfig = json.load(f)
        server = kubeconfig["clusters"][0]["cluster"]["server"]
        record.update({"kubeconfig": kubeconfig_path, "kubeconfigMode": oct(mode), "server": server,
                       "token": check_token(kubeconfig)})
        namespace = option(argv, "--namespace", "default")
        words = positional(argv)
        if argv[0] == "upgrade":
            name, chart = words[1], words[2]
            with open(option(argv, "-f")) as f:
                values = json.load(f)
            path = release_file(server, namespace, name)
            revision = 1
            if os.path.exists(path):
                with open(path) as f:
                    revision = json.load(f)["version"] + 1
            release = {"name": name, "namespace": namespace, "version": revision,
                       "info": {"status": "deployed", "description": "Upgrade complete" if revision > 1 else "Install complete"},
                       "chart": {"metadata": {"name": chart, "version": option(argv, "--version"), "appVersion": "fake"}},
                       "config": values}
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                json.dump(release, f)
            record.update({"release": name, "namespace": namespace, "chart": chart, "version": option(argv, "--version"),
                           "repo": option(argv, "--repo"), "values": values, "wait": "--wait" in argv})
            exit_code, out = 0, "Release \"%s\" has been upgraded. Happy Helming!\n" % name
        elif argv[0] in ("status", "uninstall") or argv[:2] == ["get", "values"]:
            name = words[2] if argv[0] == "get" else words[1]
            record.update({"release": name, "namespace": namespace})
            path = release_file(server, namespace, name)
            if not os.path.exists(path):
                exit_code, err = 1, ("Error: uninstall: Release not loaded: %s: release: not found" % name
                                     if argv[0] == "uninstall" else "Error: release: not found")
            else:
                with open(path) as f:
                    release = json.load(f)
                exit_code = 0
                if argv[0] == "status":
                    out = json.dumps(release)
                elif argv[0] == "get":
                    out = json.dumps(release["config"] or None)
                else:
                    os.remove(path)
                    out = "release \"%s\" uninstalled\n" % name
        else:
            err = "Error: unknown command %r for fake helm" % argv[0]
    except Exception as e:  # recorded, so a test sees what went wrong
        err = "Error: fake helm: %r" % (e,)
    record.update({"exit": exit_code, "end": time.time(), "err": err})
    with open(os.path.join(HERE, "calls.jsonl"), "a") as f:
        f.write(json.dumps(record) + "\n")
    sys.stdout.write(out)
    sys.stderr.write(err + ("\n" if err else ""))
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
