#!/usr/bin/env bash
# The incremental k8s.duplicate check of the pre-receive hook (a saved index
# of an earlier tree, minus what differs, plus those files read again) gives
# the verdict of a full check of the pushed tree. A seeded random walk of
# edits: files and folders added, changed, renamed, moved and deleted, a file
# turned into a folder of the same name and back, objects copied from
# elsewhere in the tree or revived from earlier trees, symbolic links named
# like manifests whose targets alone change; now and then on a new
# branch forked from an older commit or on such a branch again, and with the
# server's saved indexes deleted or damaged. Every round, `pushgate validate
# --rev HEAD` on the clone (the whole tree) decides whether the push must be
# accepted; when it is refused, the hook must name the same duplicated
# objects as the full check.
#
# E2E_SEED=N replays an earlier run.
# shellcheck source-path=SCRIPTDIR
# The edit_* functions are called by name, and pick reads arrays by name:
# shellcheck disable=SC2317,SC2034
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

k_rounds=40
k_start_files=60
seed=${E2E_SEED:-$$}
RANDOM=$seed
echo "random seed: E2E_SEED=$seed replays this run"

bare=$E2E_SRV/incr.git
make_bare incr
make_clone "file://$bare" dev
dev=$E2E_WORK/dev
pushgate=$PUSHGATE_BIN_DIR/pushgate

# ---------------------------------------------------------------- randomness

# Only ever read $RANDOM in this shell: a subshell ($(...), a pipeline) draws
# from a fresh seed, and the run could not be replayed.

# rand N: R is a random number in [0, N).
rand() { R=$((RANDOM % $1)); }

# pick ARRAY: P is a random element of the named array (which is not empty).
pick() {
  local -n pick_from=$1
  rand "${#pick_from[@]}"
  P=${pick_from[R]}
}

# ---------------------------------------------------------------- the tree

# Folders whose names sort around one another ('-' and '.' before '/'), so
# that a folder's files and its neighbours interleave in path order.
k_folders=(. a a/b a-b a.c c/d/e c/d-x)
k_namespaces=(default team-a team-b)
next_id=0   # names new objects, files and folders: each is used once

# configmap NAME NAMESPACE VALUE: a valid ConfigMap; line 4 holds the name.
configmap() {
  cat <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: $1
  namespace: $2
data:
  value: "$3"
EOF
}

# list_files: FILES holds the clone's files, DIRS its folders (no "."), by
# path; not the links and their targets, which only the link edits touch (so
# that no link dangles).
list_files() {
  local prune=(-path ./.git -prune -o -path ./links -prune -o -path ./targets -prune -o)
  mapfile -t FILES < <(cd "$dev" && find . -mindepth 1 "${prune[@]}" -type f -print | sed 's|^\./||' | sort)
  mapfile -t DIRS < <(cd "$dev" && find . -mindepth 1 "${prune[@]}" -type d -print | sed 's|^\./||' | sort)
}

# Folders git does not track once their last file has gone.
drop_empty_folders() {
  local empty
  while :; do
    mapfile -t empty < <(find "$dev" -mindepth 1 -path "$dev/.git" -prune -o -type d -empty -print)
    ((${#empty[@]} > 0)) || return 0
    rmdir -- "${empty[@]}" || return 0
  done
}

# can_create PATH: nothing is at PATH in the clone, and no file stands where
# a folder above it would have to be.
can_create() {
  local p=$1
  [[ -e $dev/$p ]] && return 1
  while [[ $p == */* ]]; do
    p=${p%/*}
    [[ -e $dev/$p && ! -d $dev/$p ]] && return 1
  done
  return 0
}

# objects_in FILE: OBJECTS holds "NAME NAMESPACE" for each object FILE defines.
objects_in() {
  mapfile -t OBJECTS < <(awk '/^  name: /{n=$2} /^  namespace: /{print n, $2}' "$dev/$1")
}

# an_existing_object: ON and ONS name an object of a random file of the tree.
an_existing_object() {
  list_files
  pick FILES
  objects_in "$P"
  pick OBJECTS
  read -r ON ONS <<<"$P"
}

# a_folder: P is a folder to put something in: a usual one, an existing one,
# or (sometimes) a new one below either.
a_folder() {
  rand 2
  if ((R == 0 || ${#DIRS[@]} == 0)); then
    pick k_folders
    [[ $P == . ]] && P=
  else
    pick DIRS
  fi
  rand 6
  if ((R == 0)); then
    next_id=$((next_id + 1))
    P=${P:+$P/}n$next_id
  fi
}

# new_object: ON and ONS name an object no tree has held yet.
new_object() {
  next_id=$((next_id + 1))
  ON=cm-$next_id
  pick k_namespaces
  ONS=$P
  EVER+=("$ON $ONS")
}

# an_object_ever: ON and ONS name an object that some tree held at some time:
# gone now, renamed, on another branch, or still here (then a duplicate).
# What a saved index of another tree still lists must not count.
EVER=()
an_object_ever() {
  pick EVER
  read -r ON ONS <<<"$P"
}

# ---------------------------------------------------------------- edits

# Each edit changes the clone's work tree and appends what it did to EDITS;
# it does nothing (and says nothing) when the tree offers it no target.
EDITS=()
DUPLICATES=0   # edits so far that copied an object of the tree

# some_object: ON and ONS name an object to write, and WHAT says which:
# mostly a new one, sometimes a copy of one of the tree's (a duplicate) or
# one seen before.
some_object() {
  rand 8
  if ((R < 2)); then
    an_existing_object
    WHAT="a copy of $ON/$ONS"
    DUPLICATES=$((DUPLICATES + 1))
  elif ((R == 2)); then
    an_object_ever
    WHAT="$ON/$ONS, an object seen before"
  else
    new_object
    WHAT="new $ON/$ONS"
  fi
}

edit_add() {
  list_files
  a_folder
  local dir=$P what
  next_id=$((next_id + 1))
  local path=${dir:+$dir/}f$next_id.yaml
  can_create "$path" || return 0
  some_object
  what=$WHAT
  configmap "$ON" "$ONS" "v$next_id" | write_file "$dev" "$path"
  rand 6
  if ((R == 0)); then  # a second document in the same file
    new_object
    { echo ---; configmap "$ON" "$ONS" "v$next_id"; } >>"$dev/$path"
    what="$what, and new $ON/$ONS"
  fi
  EDITS+=("add $path: $what")
}

edit_change_data() {
  list_files
  pick FILES
  local path=$P
  next_id=$((next_id + 1))
  sed -i "s/^  value: .*/  value: \"v$next_id\"/" "$dev/$path"
  EDITS+=("change data in $path")
}

edit_rename_object() {
  list_files
  pick FILES
  local path=$P old
  objects_in "$path"
  old=${OBJECTS[0]% *}
  rand 8
  if ((R == 0)); then
    an_existing_object
    DUPLICATES=$((DUPLICATES + 1))
  elif ((R == 1)); then
    an_object_ever
  else
    new_object
  fi
  # The first object of the file takes the new name and namespace.
  awk -v name="$ON" -v ns="$ONS" '
    /^  name: / && !n {print "  name: " name; n=1; next}
    /^  namespace: / && !s {print "  namespace: " ns; s=1; next}
    {print}' "$dev/$path" >"$dev/$path.new" && mv "$dev/$path.new" "$dev/$path"
  EDITS+=("rename $old in $path to $ON/$ONS")
}

edit_delete_file() {
  list_files
  ((${#FILES[@]} > 30)) || return 0
  pick FILES
  git -C "$dev" rm -q -- "$P" >/dev/null 2>&1 || rm -f "$dev/$P"
  EDITS+=("delete $P")
}

edit_delete_folder() {
  list_files
  ((${#DIRS[@]} > 0)) || return 0
  pick DIRS
  local dir=$P n
  n=$(find "$dev/$dir" -type f | wc -l)
  ((${#FILES[@]} - n >= 30)) || return 0
  git -C "$dev" rm -r -q -- "$dir" >/dev/null 2>&1
  rm -rf "${dev:?}/$dir"
  EDITS+=("delete folder $dir/ ($n files)")
}

# mv_path FROM TO: git mv, or a plain mv for what git does not track yet.
mv_path() {
  mkdir -p "$(dirname "$dev/$2")"
  git -C "$dev" mv -k -- "$1" "$2" 2>/dev/null
  [[ -e $dev/$1 ]] && mv "$dev/$1" "$dev/$2"
  true
}

edit_move_file() {
  list_files
  pick FILES
  local from=$P
  a_folder
  local to=${P:+$P/}${from##*/}
  rand 3
  if ((R == 0)) || [[ -e $dev/$to ]]; then
    next_id=$((next_id + 1))
    to=${P:+$P/}m$next_id.yaml
  fi
  can_create "$to" || return 0
  mv_path "$from" "$to"
  EDITS+=("move $from to $to")
}

edit_move_folder() {
  list_files
  ((${#DIRS[@]} > 0)) || return 0
  pick DIRS
  local from=$P
  a_folder
  local parent=$P
  # Never into itself.
  [[ $parent == "$from" || $parent == "$from"/* ]] && parent=
  next_id=$((next_id + 1))
  local to=${parent:+$parent/}d$next_id
  rand 3
  ((R == 0)) && to=${parent:+$parent/}${from##*/}
  can_create "$to" || return 0
  mv_path "$from" "$to"
  EDITS+=("move folder $from/ to $to/")
}

# A manifest file becomes a folder of the same name holding its objects (and
# maybe a new one); a folder becomes a file of its name holding one object of
# its files.
edit_file_to_folder() {
  list_files
  pick FILES
  local path=$P held=$E2E_TMP/held.yaml
  mv "$dev/$path" "$held"
  mkdir -p "$dev/$path"
  next_id=$((next_id + 1))
  mv "$held" "$dev/$path/i$next_id.yaml"
  local what="with its file in it"
  rand 2
  if ((R == 0)); then
    new_object
    configmap "$ON" "$ONS" "v$next_id" | write_file "$dev" "$path/j$next_id.yaml"
    what="$what and new $ON/$ONS"
  fi
  EDITS+=("replace file $path by a folder $path/ $what")
}

edit_folder_to_file() {
  list_files
  # Prefer a folder that was a file (named *.yaml): the change back.
  local candidates=() d
  for d in "${DIRS[@]}"; do [[ $d == *.yaml ]] && candidates+=("$d"); done
  if ((${#candidates[@]} == 0)); then
    ((${#DIRS[@]} > 0)) || return 0
    candidates=("${DIRS[@]}")
  fi
  pick candidates
  local dir=$P n
  mapfile -t inside < <(cd "$dev" && find "$dir" -type f | sort)
  n=${#inside[@]}
  ((${#FILES[@]} - n + 1 >= 30)) || return 0
  local keep=$E2E_TMP/keep.yaml
  if ((n > 0)); then
    pick inside
    cp "$dev/$P" "$keep"
  else
    new_object
    configmap "$ON" "$ONS" "v$next_id" >"$keep"
  fi
  git -C "$dev" rm -r -q -- "$dir" >/dev/null 2>&1
  rm -rf "${dev:?}/$dir"
  # A folder not named *.yaml becomes a file that is no manifest: its
  # objects leave the tree.
  mv "$keep" "$dev/$dir"
  EDITS+=("replace folder $dir/ ($n files) by a file $dir")
}

# A symbolic link links/lN.yaml to targets/tN.txt (no manifest name): the
# hook validates the link as its target.
edit_link_add() {
  next_id=$((next_id + 1))
  local n=$next_id
  some_object
  configmap "$ON" "$ONS" "v$n" | write_file "$dev" "targets/t$n.txt"
  mkdir -p "$dev/links"
  ln -s "../targets/t$n.txt" "$dev/links/l$n.yaml"
  EDITS+=("link links/l$n.yaml to targets/t$n.txt: $WHAT")
}

# Only a link's target changes: the link is the same blob as before, so the
# hook must follow every link again to see it.
edit_link_retarget() {
  local targets path
  mapfile -t targets < <(cd "$dev" && find targets -type f 2>/dev/null | sort)
  ((${#targets[@]} > 0)) || return 0
  pick targets
  path=$P
  next_id=$((next_id + 1))
  some_object
  configmap "$ON" "$ONS" "v$next_id" >"$dev/$path"
  EDITS+=("only the link target $path changes: $WHAT")
}

k_edits=(add add add change_data change_data rename_object rename_object delete_file delete_folder
  move_file move_folder file_to_folder folder_to_file link_add link_retarget link_retarget)

# random_edits: 1-4 random edits of the clone's work tree.
random_edits() {
  local n e
  rand 4
  n=$((R + 1))
  for ((e = 0; e < n; e++)); do
    pick k_edits
    "edit_$P"
    drop_empty_folders
  done
}

# ---------------------------------------------------------------- the server

# Damages the server's saved tree indexes now and then: all gone, or some of
# them garbage, cut short, or four bytes overwritten in place (lengths and
# order may survive that: only the index's checksum tells).
tamper_with_indexes() {
  local trees=$bare/pushgate/trees f
  rand 12
  if ((R == 0)); then
    rm -rf "$trees"
    EDITS+=("server: delete pushgate/trees")
  elif ((R == 1)) && [[ -d $trees ]]; then
    local hit=()
    for f in "$trees"/*; do
      [[ -f $f ]] || continue
      rand 2
      ((R == 0)) || continue
      rand 3
      if ((R == 0)); then
        printf 'garbage\n' >"$f"
      elif ((R == 1)); then
        truncate -s $(($(stat -c %s "$f") / 2)) "$f"
      else  # four random bytes somewhere in the middle, the size unchanged
        local size at bytes="" b
        size=$(stat -c %s "$f")
        ((size > 0)) || continue
        at=$(((RANDOM * 32768 + RANDOM) % size))
        for b in 1 2 3 4; do
          b=$((RANDOM % 256))
          bytes+=$(printf '\\%03o' "$b")
        done
        # shellcheck disable=SC2059  # the format is the bytes
        printf "$bytes" | dd of="$f" bs=1 seek="$at" conv=notrunc status=none
      fi
      hit+=("${f##*/}")
    done
    ((${#hit[@]} == 0)) || EDITS+=("server: damage ${#hit[@]} saved indexes")
  fi
}

# Brings the clone back to the server's main, dropping local work.
reset_to_server() {
  if ! { git -C "$dev" checkout -q -f main && git -C "$dev" fetch -q --prune origin &&
    git -C "$dev" reset -q --hard origin/main && git -C "$dev" clean -qfdx; }; then
    die "cannot reset $dev to origin/main"
  fi
}

# The duplicated objects a check's output names, one per line, sorted.
duplicated_objects() {
  grep -o "\[k8s\.duplicate\] ConfigMap '[^']*' in namespace '[^']*'" | sed 's/^\[k8s\.duplicate\] //' | sort -u
}

# ---------------------------------------------------------------- start

test_case "start: $k_start_files distinct objects in nested folders are accepted"
for ((i = 0; i < k_start_files; i++)); do
  pick k_folders
  folder=${P#.}
  new_object
  configmap "$ON" "$ONS" "v$next_id" | write_file "$dev" "${folder:+$folder/}f$next_id.yaml"
done
commit_all "$dev" "start"
full=$("$pushgate" validate --rev HEAD --repo "$dev" --config "$bare/pushgate.yaml" 2>&1) ||
  die "the starting tree is not clean" "$full"
expect_push_ok "$dev" origin main
assert_ref_equals "$bare" refs/heads/main "$(rev "$dev" HEAD)"

# ---------------------------------------------------------------- rounds

branches=()   # branches the server accepted, other than main
rejected=0
mismatch=""
for ((round = 1; round <= k_rounds; round++)); do
  EDITS=()
  # Where this round commits: main, a new branch forked from one of main's
  # commits, or a branch pushed before.
  rand 10
  if ((R < 2)); then
    mapfile -t commits < <(git -C "$dev" rev-list origin/main)
    pick commits
    branch=b$round
    git -C "$dev" checkout -q -b "$branch" "$P" || die "cannot branch from $P"
    EDITS+=("new branch $branch from main~$R")
  elif ((R == 2 && ${#branches[@]} > 0)); then
    pick branches
    branch=$P
    git -C "$dev" checkout -q -B "$branch" "origin/$branch" || die "cannot check out $branch"
    EDITS+=("on branch $branch")
  else
    branch=main
  fi
  ref=refs/heads/$branch
  before=$(rev "$bare" "$ref")

  random_edits
  commit_all "$dev" "round $round"
  tamper_with_indexes
  ((${#EDITS[@]} > 0)) || EDITS=("no edit applied: an empty commit")
  test_case "round $round on $branch: $(IFS=';'; echo "${EDITS[*]}")"

  # The expected verdict: the whole tree, read by the full check.
  full=$("$pushgate" validate --rev HEAD --repo "$dev" --config "$bare/pushgate.yaml" 2>&1)
  full_rc=$?
  others=$(grep -E '^[^ ]+: (error|warning): \[' <<<"$full" | grep -v '\[k8s\.duplicate\]')
  if [[ -n $others ]] || ((full_rc > 1)) || { ((full_rc == 1)) && ! grep -qF '[k8s.duplicate]' <<<"$full"; }; then
    fail "the full check finds more than k8s.duplicate (exit $full_rc): the suite must make valid objects" "$full"
    mismatch="harness"
    break
  fi
  push "$dev" origin "$branch"
  if ((full_rc == 0)); then
    if ((E2E_RC == 0)); then
      pass "clean tree: push accepted"
      assert_ref_equals "$bare" "$ref" "$(rev "$dev" HEAD)"
      [[ $branch == main || " ${branches[*]} " == *" $branch "* ]] || branches+=("$branch")
    else
      fail "the full check finds no duplicate, yet the push was refused" "push:" "$E2E_OUT"
      mismatch="incremental rejects, full check clean"
    fi
  else
    rejected=$((rejected + 1))
    if ((E2E_RC == 0)); then
      fail "the full check finds duplicates, yet the push was accepted" "full check:" "$full" "push:" "$E2E_OUT"
      mismatch="incremental accepts, full check rejects"
    elif ! grep '^remote: ' <<<"$E2E_OUT" | grep -qF '[k8s.duplicate]'; then
      fail "push refused, but no remote: line shows [k8s.duplicate]" "$E2E_OUT"
      mismatch="refused for another reason"
    else
      pass "duplicates in the tree: push refused with [k8s.duplicate]"
      # Every duplicated object involves a file this push changed (the trees
      # accepted before were clean), so the hook names the same objects.
      hook_objects=$(grep '^remote: ' <<<"$E2E_OUT" | duplicated_objects)
      full_objects=$(duplicated_objects <<<"$full")
      if [[ $hook_objects == "$full_objects" ]]; then
        pass "the hook names the duplicated objects the full check names"
      else
        fail "the hook and the full check name different duplicated objects" \
          "hook:" "$hook_objects" "full check:" "$full_objects" "full check output:" "$full" "push:" "$E2E_OUT"
        mismatch="different objects"
      fi
    fi
    if [[ -n $before ]]; then assert_ref_equals "$bare" "$ref" "$before"; else assert_ref_missing "$bare" "$ref"; fi
  fi
  if [[ -n $mismatch ]]; then
    echo "MISMATCH ($mismatch) in round $round with E2E_SEED=$seed; the edits of this round:"
    printf '    %s\n' "${EDITS[@]}"
    echo "    the pushed commit against the server's $branch (or its fork point):"
    git -C "$dev" diff --no-renames --name-status "${before:-$(git -C "$dev" merge-base HEAD origin/main)}" HEAD | sed 's/^/      /'
    echo "stopping: the rounds after it would start from a tree the two checks disagree on"
    break
  fi
  # The next round starts from main as the server has it.
  if [[ $branch != main ]]; then
    git -C "$dev" checkout -q -f main || die "cannot go back to main"
    git -C "$dev" branch -q -D "$branch"
  fi
  reset_to_server
done

echo "$rejected of $((round > k_rounds ? k_rounds : round)) rounds were refused as duplicates ($DUPLICATES edits copied an object); ${#branches[@]} branches were accepted"
if [[ -z $mismatch ]]; then
  test_case "after $k_rounds rounds"
  check "some rounds were refused" test "$rejected" -gt 0
  check "some rounds were accepted" test "$rejected" -lt "$k_rounds"
fi

finish
