# shellcheck shell=bash
# Shared by push_overhead.sh and hook_replay.sh: sourced after common.sh,
# never run.
#
# Gives: push_isolate_git (git settings of the benchmark only, with an
# ed25519 signing key when SIGNED=1), push_work_tree (FILES manifests
# committed in $work: their paths in `manifests`, gen_manifests.py's line in
# `summary`), push_new_bare NAME HOOKED (a bare
# repository in $bench_tmp, hooked with `pushgate install` of PUSHGATE_BIN
# or the folder given as third argument, schema check on and, with SIGNED=1,
# signatures required) and push_change_manifests ROUND (bumps CHANGED
# manifests of $work, spread over the tree, and commits).

# Keeps everyone's git settings out, on both ends of file:// and (through
# SendEnv/AcceptEnv) ssh://, so all repositories see the same configuration.
push_isolate_git() {
  printf '[user]\n\tname = bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n' \
    >"$bench_tmp/gitconfig"
  export GIT_CONFIG_GLOBAL=$bench_tmp/gitconfig GIT_CONFIG_NOSYSTEM=1
  if ((SIGNED)); then
    ssh-keygen -q -t ed25519 -N '' -C bench -f "$bench_tmp/signing_key"
    echo "bench@example.invalid namespaces=\"git\" $(cut -d' ' -f1,2 "$bench_tmp/signing_key.pub")" \
      >"$bench_tmp/allowed_signers"
    printf '[gpg]\n\tformat = ssh\n[user]\n\tsigningkey = %s\n[commit]\n\tgpgsign = true\n' \
      "$bench_tmp/signing_key" >>"$bench_tmp/gitconfig"
  fi
}

push_work_tree() {
  summary=$(python3 "$bench_dir/gen_manifests.py" "$work" --files "$FILES")
  git -C "$work" init -q -b main
  git -C "$work" add -A
  git -C "$work" commit -q -m "initial tree"
  mapfile -t manifests < <(git -C "$work" ls-files)
}

push_new_bare() {  # NAME HOOKED(yes|no) [BIN]
  local repo=$bench_tmp/$1.git
  git init -q --bare -b main "$repo"
  # No auto gc in the middle of a measurement, in either repository.
  git -C "$repo" config receive.autogc false
  git -C "$repo" config gc.auto 0
  if [[ $2 == yes ]]; then
    "${3:-$bench_bin}/pushgate" install "$repo" >/dev/null
    # The schema check on, as a server that cares would run it.
    sed -i "s|^  # schemas: .*|  schemas: [\"$schema\"]|" "$repo/pushgate.yaml"
    grep -q '^  schemas: ' "$repo/pushgate.yaml" || die "could not turn the schema check on in $repo/pushgate.yaml"
    if ((SIGNED)); then
      sed -i "/^  schemas: /a\\  signatures: [{branches: [main], allowed_signers: \"$bench_tmp/allowed_signers\"}]" \
        "$repo/pushgate.yaml"
    fi
  fi
}

# Changes CHANGED manifests spread over the tree (a stride through the sorted
# list in `manifests`) by bumping their revision annotation, and commits.
push_change_manifests() {  # ROUND
  local k index
  for ((k = 0; k < CHANGED; k++)); do
    index=$(((($1 * CHANGED + k) * 487) % ${#manifests[@]}))
    sed -i "s|bench.pushgate.dev/revision: \"[0-9]*\"|bench.pushgate.dev/revision: \"$(($1 + 1))\"|" \
      "$work/${manifests[$index]}"
  done
  git -C "$work" commit -q -am "round $1"
}
