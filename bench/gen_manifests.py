#!/usr/bin/env python3
"""Deterministic generator of Kubernetes manifests for pushgate's benchmarks.

Writes a tree of Deployments, Services and ConfigMaps with realistic 20-60
line bodies (labels, annotations, probes, resources, config data) into OUT.
The same arguments always give the same bytes, so runs are comparable.

    gen_manifests.py OUT --files 5000                  # 5,000 files
    gen_manifests.py OUT --resources 50000             # files until 50,000 resources
    gen_manifests.py OUT --files 100 --per-file 3      # 3 documents in every file
    gen_manifests.py OUT --files 100 --per-file mix    # default: ~75% single, rest 2-4

Every object has a unique (kind, namespace, name), so the tree has no errors
and pushes of it are accepted. It is not free of warnings: with the default
policy rules, a 50,000-resource tree gets about 75,000 (containers without a
securityContext or a livenessProbe, Services whose selector no pod carries),
so validation benchmarks also measure making and printing findings. Every document carries the annotation `bench.pushgate.dev/revision`,
which bench scripts bump to change a manifest without breaking it.
Prints one summary line: files, resources, bytes.
"""

import argparse
import os
import random
import sys

TEAMS = ["payments", "search", "identity", "catalog", "checkout", "billing", "media",
         "notify", "ledger", "profile", "gateway", "metrics"]
WORDS = ["api", "worker", "web", "cache", "queue", "sync", "indexer", "auth", "cron",
         "proxy", "render", "store", "events", "feed", "mailer", "report"]
IMAGES = ["nginx", "redis", "python", "node", "golang", "envoyproxy/envoy", "busybox", "httpd"]
PER_DIR = 50


def labels(name, team, rng, indent):
    pad = " " * indent
    lines = [
        f"{pad}app.kubernetes.io/name: {name}",
        f"{pad}app.kubernetes.io/part-of: {team}",
        f"{pad}app.kubernetes.io/managed-by: pushgate-bench",
    ]
    if rng.random() < 0.6:
        lines.append(f"{pad}app.kubernetes.io/version: \"1.{rng.randint(0, 30)}.{rng.randint(0, 9)}\"")
    if rng.random() < 0.5:
        lines.append(f"{pad}tier: {rng.choice(['frontend', 'backend', 'data'])}")
    return lines


def metadata(name, namespace, team, rng):
    lines = ["metadata:", f"  name: {name}", f"  namespace: {namespace}", "  labels:"]
    lines += labels(name, team, rng, 4)
    lines += [
        "  annotations:",
        "    bench.pushgate.dev/revision: \"0\"",
        f"    team.example.com/owner: {team}-oncall@example.com",
    ]
    if rng.random() < 0.4:
        lines.append(f"    description: \"{team} {rng.choice(WORDS)} service, generated for benchmarks\"")
    return lines


def deployment(name, namespace, team, rng):
    image = rng.choice(IMAGES)
    port = rng.choice([80, 8080, 8443, 9000, 3000])
    lines = ["apiVersion: apps/v1", "kind: Deployment"] + metadata(name, namespace, team, rng)
    lines += [
        "spec:",
        f"  replicas: {rng.randint(1, 6)}",
        "  revisionHistoryLimit: 5",
        "  selector:",
        "    matchLabels:",
        f"      app.kubernetes.io/name: {name}",
        "  strategy:",
        "    type: RollingUpdate",
        "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}",
        "  template:",
        "    metadata:",
        "      labels:",
        f"        app.kubernetes.io/name: {name}",
        f"        app.kubernetes.io/part-of: {team}",
        "    spec:",
        f"      serviceAccountName: {team}",
        "      containers:",
        f"        - name: {name.split('-')[-1]}",
        f"          image: registry.example.com/{image}:{rng.randint(1, 20)}.{rng.randint(0, 9)}",
        "          imagePullPolicy: IfNotPresent",
        "          ports:",
        f"            - containerPort: {port}",
        "              name: http",
        "          env:",
    ]
    for i in range(rng.randint(1, 5)):
        lines += [f"            - name: {team.upper()}_SETTING_{i}",
                  f"              value: \"{rng.choice(WORDS)}-{rng.randint(0, 999)}\""]
    lines += [
        "          resources:",
        f"            requests: {{cpu: {rng.choice([50, 100, 250])}m, memory: {rng.choice([64, 128, 256])}Mi}}",
        f"            limits: {{cpu: {rng.choice([500, 1000])}m, memory: {rng.choice([256, 512, 1024])}Mi}}",
        "          readinessProbe:",
        f"            httpGet: {{path: /healthz, port: {port}}}",
        "            periodSeconds: 10",
    ]
    if rng.random() < 0.5:
        lines += [
            "          livenessProbe:",
            f"            httpGet: {{path: /livez, port: {port}}}",
            "            initialDelaySeconds: 15",
            "            failureThreshold: 3",
        ]
    return lines


def service(name, namespace, team, rng):
    port = rng.choice([80, 443, 8080])
    lines = ["apiVersion: v1", "kind: Service"] + metadata(name, namespace, team, rng)
    lines += [
        "spec:",
        f"  type: {rng.choice(['ClusterIP', 'ClusterIP', 'NodePort'])}",
        "  selector:",
        f"    app.kubernetes.io/name: {name}",
        "  ports:",
        "    - name: http",
        f"      port: {port}",
        "      targetPort: http",
        "      protocol: TCP",
    ]
    if rng.random() < 0.3:
        lines += ["    - name: metrics", "      port: 9090", "      targetPort: 9090", "      protocol: TCP"]
    return lines


def configmap(name, namespace, team, rng):
    lines = ["apiVersion: v1", "kind: ConfigMap"] + metadata(name, namespace, team, rng)
    lines.append("data:")
    for i in range(rng.randint(2, 6)):
        lines.append(f"  {rng.choice(WORDS)}.key{i}: \"{rng.choice(WORDS)}-{rng.randint(0, 99999)}\"")
    lines.append("  app.properties: |")
    for i in range(rng.randint(4, 14)):
        lines.append(f"    {team}.{rng.choice(WORDS)}.setting{i}={rng.randint(0, 10000)}")
    return lines


KINDS = [("deployment", deployment), ("service", service), ("configmap", configmap)]


def documents_in_file(index, per_file, rng):
    if per_file != "mix":
        return int(per_file)
    # One file in four holds a small bundle, as app folders often do.
    return 1 if rng.random() < 0.75 else rng.randint(2, 4)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write into (created; must be empty or absent)")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--files", type=int, help="number of files to write")
    size.add_argument("--resources", type=int, help="write files until this many resources")
    parser.add_argument("--per-file", default="mix",
                        help="documents per file: a number, or 'mix' (default)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    if args.per_file != "mix" and (not args.per_file.isdigit() or int(args.per_file) < 1):
        parser.error("--per-file takes a positive number or 'mix'")
    if os.path.exists(args.out) and os.listdir(args.out):
        parser.error(f"{args.out} is not empty")

    rng = random.Random(args.seed)
    files = resources = total_bytes = 0
    while (args.files is not None and files < args.files) or \
          (args.resources is not None and resources < args.resources):
        team = TEAMS[files % len(TEAMS)]
        folder = os.path.join(args.out, team, f"group-{files // (PER_DIR * len(TEAMS)):03d}")
        count = documents_in_file(files, args.per_file, rng)
        if args.resources is not None:
            count = min(count, args.resources - resources)
        docs = []
        for d in range(count):
            kind_name, make = KINDS[(files + d) % len(KINDS)]
            name = f"{rng.choice(WORDS)}-{files:06d}-{d}-{kind_name}"
            namespace = f"{team}-{'prod' if files % 3 else 'staging'}"
            docs.append("\n".join(make(name, namespace, team, rng)) + "\n")
        text = "---\n" + "---\n".join(docs)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"app-{files:06d}.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        files += 1
        resources += count
        total_bytes += len(text.encode())
    print(f"files={files} resources={resources} bytes={total_bytes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
