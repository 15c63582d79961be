#!/usr/bin/env python3
"""Mixed text for bench/secret_scan.sh: what a repository holds besides
manifests, in files of about 100 KB: source code, YAML and JSON, prose,
base64 blobs, hex digests and UUIDs (near-misses), and about one made-up
secret per megabyte. Deterministic for a given --seed.

    bench/gen_mixed_text.py OUT --mb 100      prints: files=F bytes=B secrets=S
"""
import argparse
import base64
import os
import random
import string

WORDS = ("the deployment rolls out a new release when the health check passes and the previous one is kept "
         "for rollback while the operator reads the logs of every attempt in the notes of the commit").split()
ALNUM = string.ascii_letters + string.digits


def token(rng, n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def prose(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."


def code(rng):
    name = rng.choice(["config", "client", "request", "session", "token_cache", "password_policy"])
    return rng.choice([
        f"    {name} = load_{name}(path, timeout={rng.randint(1, 60)})",
        f"    if {name}.is_valid() and not {name}.expired:",
        f"        return {name}.get(\"{rng.choice(WORDS)}\", default=None)",
        f"def handle_{rng.choice(WORDS)}(self, {name}, *args, **kwargs):",
        f"    # TODO: the {rng.choice(WORDS)} should not depend on the {rng.choice(WORDS)}",
        f"    password = os.environ[\"DB_PASSWORD\"]",
    ])


def manifest(rng):
    return rng.choice([
        f"  replicas: {rng.randint(1, 9)}",
        f"        image: registry.example.com/app@sha256:{token(rng, 64, '0123456789abcdef')}",
        f"    app.kubernetes.io/name: {rng.choice(WORDS)}-{rng.choice(WORDS)}",
        f"      secretName: {rng.choice(WORDS)}-tls",
        f"  uid: {token(rng, 8, '0123456789abcdef')}-{token(rng, 4, '0123456789abcdef')}-4{token(rng, 3, '0123456789abcdef')}-a{token(rng, 3, '0123456789abcdef')}-{token(rng, 12, '0123456789abcdef')}",
        "    password: changeme  # set by the operator",
        f"  \"{rng.choice(WORDS)}\": {{\"enabled\": true, \"weight\": {rng.randint(0, 100)}}},",
    ])


def blob(rng):
    return base64.b64encode(rng.randbytes(57)).decode()


def secret(rng):
    return rng.choice([
        "AWS_ACCESS_KEY_ID=" + "AK" + "IA" + token(rng, 16, string.ascii_uppercase + "234567"),
        "github_token: " + "gh" + "p_" + token(rng, 36),
        "api_key = \"" + token(rng, 32, ALNUM + "!#%") + "\"",
        "STRIPE=" + "sk_" + "live_" + token(rng, 24),
    ])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    total, files, secrets, target = 0, 0, 0, args.mb << 20
    kinds = [prose] * 4 + [code] * 4 + [manifest] * 4 + [blob]
    while total < target:
        lines = []
        size = 0
        while size < 100_000:
            if rng.random() < 1 / 12_000:  # about one per megabyte
                lines.append(secret(rng))
                secrets += 1
            else:
                lines.append(rng.choice(kinds)(rng))
            size += len(lines[-1]) + 1
        text = "\n".join(lines) + "\n"
        with open(os.path.join(args.out, f"f{files:05d}.txt"), "w") as f:
            f.write(text)
        total += len(text)
        files += 1
    print(f"files={files} bytes={total} secrets={secrets}")


if __name__ == "__main__":
    main()
