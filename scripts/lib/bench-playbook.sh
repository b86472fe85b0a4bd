# Sourced by scripts/bench for `scripts/bench playbook N FORKS [ROUNDS]`: the same playbook
# through provision and through ansible-playbook (SSH pipelining on, the same key, forks and
# sshd), on N loopback hosts, cold (nothing there yet) and re-run (everything already right,
# the converged run users repeat), rounds interleaved. Uses what scripts/bench set up: $W,
# $PORT, $USER_NAME, $N, $FORKS, $ROUNDS, $PROVISION, inventories, known_hosts, measure, col.

bench_playbook() {
  local play="$W/play"
  mkdir -p "$play/out"
  chmod 1777 "$play/out"
  # Every loopback "host" is this machine: each writes under its own inventory name.
  cat > "$play/bench.conf.j2" <<'J2'
# {{ inventory_hostname }}
[server]
name = {{ inventory_hostname }}
port = {{ app_port }}
{% for u in app_users %}
user.{{ loop.index }} = {{ u }}
{% endfor %}
J2
  cat > "$play/site.yml" <<YML
- hosts: all
  gather_facts: false
  vars:
    base: "$play/out/{{ inventory_hostname }}"
    app_port: 8080
    app_users: [alice, bob, carol]
  tasks:
    - name: directory
      file: {path: "{{ base }}", state: directory, mode: "0755"}
    - name: a file from content
      copy: {dest: "{{ base }}/motd", content: "hello {{ inventory_hostname }}\n", mode: "0644"}
    - name: a templated config
      template: {src: "$play/bench.conf.j2", dest: "{{ base }}/app.conf", mode: "0644"}
    - name: a line in another file
      lineinfile: {path: "{{ base }}/extra.conf", line: "extra = 1", create: true, mode: "0644"}
    - name: a link
      file: {src: "{{ base }}/motd", dest: "{{ base }}/motd.link", state: link}
    - name: a read-only command
      command: cat {{ base }}/motd
      changed_when: false
YML
  # As for `exec`: no persisted master (it would outlive the run and skip the next logins).
  ansible_measure() (
    export ANSIBLE_SSH_ARGS="-o ControlMaster=no -o ControlPersist=no" ANSIBLE_HOST_KEY_CHECKING=True \
      ANSIBLE_PIPELINING=True ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_NOCOLOR=1
    measure "$1" ansible-playbook -i "$W/inventory.ini" -f "$FORKS" "$play/site.yml"
  )
  echo "==> playbook of 6 tasks on $N hosts, forks $FORKS, $ROUNDS rounds, cold and re-run"
  local t
  for t in provision-cold provision-rerun ansible-cold ansible-rerun; do : > "$W/$t.times"; done
  for _ in $(seq 1 "$ROUNDS"); do
    rm -rf "$play/out/"*
    measure provision-cold "$PROVISION" run "$play/site.yml" -i "$W/inventory.yml" --forks "$FORKS" \
      --known-hosts "$W/known_hosts" --host-key-checking strict
    measure provision-rerun "$PROVISION" run "$play/site.yml" -i "$W/inventory.yml" --forks "$FORKS" \
      --known-hosts "$W/known_hosts" --host-key-checking strict
    rm -rf "$play/out/"*
    ansible_measure ansible-cold
    ansible_measure ansible-rerun
  done
  printf "\n%-16s %10s %12s %14s %12s %6s %18s\n" run "wall (s)" "cpu (s)" "cpu/host (ms)" "peak (MB)" exit \
    "sshd cpu/host (ms)"
  for t in provision-cold ansible-cold provision-rerun ansible-rerun; do
    printf "%-16s %10s %12s %14.2f %12.1f %6s %18.1f\n" "$t" "$(col $t 1)" "$(col $t 2)" \
      "$(echo "$(col $t 2) * 1000 / $N" | bc -l)" "$(echo "$(col $t 3) / 1024" | bc -l)" "$(col $t 4)" \
      "$(echo "$(col $t 5) * 1000 / $N" | bc -l)"
  done
  printf "\nansible / provision wall: cold %.1fx, re-run %.1fx\n" \
    "$(echo "$(col ansible-cold 1) / $(col provision-cold 1)" | bc -l)" \
    "$(echo "$(col ansible-rerun 1) / $(col provision-rerun 1)" | bc -l)"
  printf "provision re-run recap: %s\n" "$(grep -E 'ok=|changed=' "$W/provision-rerun.out" | tail -n 1)"
  printf "ansible re-run recap:   %s\n" "$(grep -E 'ok=' "$W/ansible-rerun.out" | tail -n 1)"
  local failed=0
  for t in provision-cold provision-rerun ansible-cold ansible-rerun; do
    if [ "$(col $t 4)" != "0" ]; then
      echo "error: $t exited $(col $t 4); last output:" >&2
      tail -n 8 "$W/$t.out" "$W/$t.err" >&2
      failed=1
    fi
  done
  # A re-run that changes something is not converged: the comparison would be meaningless.
  if grep -Eq 'changed=[1-9]' "$W/provision-rerun.out" "$W/ansible-rerun.out"; then
    echo "error: a re-run reported changes" >&2; failed=1
  fi
  return $failed
}
