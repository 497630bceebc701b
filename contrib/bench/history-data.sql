-- history-data.sql - psql script: fills termgate.command_history with
-- :rows commands (default in contrib/bench/history: 1,000,000) of
-- :users users ("hu0001"...) on :hosts hosts ("hh01"...), over the last
-- 120 days, so that a quarter of them is past a 90-day retention; the
-- first :heavy of them (0: none) are one heavy user's, hu0000.
--
-- Commands are real shell command lines: a template from the list below
-- with its {p}ath, {f}ile, {s}ervice, {h}ost, {w}ord, {n}amespace,
-- {k}package and {g}it words drawn from lists of their own, so that a
-- user's history has the repetition (cd, ls, git status) and the long
-- tail (a grep for a word in a path) of a real one. Each user works on
-- five hosts; 85% of commands succeed; 10% are 'typed' (no exit status).
-- A user's sessions are 64-hex ids made from the user and a day.

\set ON_ERROR_STOP on
-- The same rows and the same questions for the same seed (BENCH_SEED).
SELECT setseed(:seed) \g /dev/null

INSERT INTO termgate.users (username)
SELECT 'hu' || lpad(u::text, 4, '0') FROM generate_series(0, :users) u
ON CONFLICT DO NOTHING;
INSERT INTO termgate.hosts (id, name, address)
SELECT 'hh' || lpad(h::text, 2, '0'), 'hh' || lpad(h::text, 2, '0') ||
    '.bench.lan', '10.0.' || h || '.1'
FROM generate_series(1, :hosts) h
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE words AS SELECT
ARRAY['cd {p}', 'ls', 'ls -la', 'ls -la {p}', 'll', 'pwd', 'cd ..',
    'cd -', 'git status', 'git diff', 'git log --oneline -20',
    'git pull --rebase', 'git push origin {g}', 'git checkout {g}',
    'git commit -am "{w}"', 'git add {f}', 'git stash', 'git fetch --all',
    'docker ps', 'docker ps -a', 'docker logs -f --tail 100 {s}',
    'docker compose up -d', 'docker compose down', 'docker exec -it {s} sh',
    'docker images', 'kubectl get pods -n {n}', 'kubectl get svc -n {n}',
    'kubectl describe pod {s}-7d9f8 -n {n}', 'kubectl logs -f {s}-7d9f8 -n {n}',
    'kubectl rollout restart deploy/{s} -n {n}', 'systemctl status {s}',
    'systemctl restart {s}', 'sudo systemctl reload {s}',
    'journalctl -u {s} --since today', 'journalctl -xe', 'journalctl -fu {s}',
    'tail -f /var/log/{s}/error.log', 'tail -n 200 /var/log/syslog',
    'less /var/log/{s}/access.log', 'grep -rn "{w}" {p}',
    'grep -i {w} /var/log/syslog', 'grep -v "^#" /etc/{s}/{s}.conf',
    'vim {f}', 'vi /etc/{s}/{s}.conf', 'nano {f}', 'cat {f}', 'cat /etc/hosts',
    'head -50 {f}', 'ssh root@{h}', 'ssh -A admin@{h}', 'scp {f} {h}:/tmp/',
    'ping -c 3 {h}', 'curl -sI https://{h}/health', 'curl -s localhost:8080/metrics',
    'dig +short {h}', 'nc -zv {h} 443', 'df -h', 'du -sh {p}', 'du -sh * | sort -h',
    'free -m', 'uptime', 'top', 'htop', 'ps aux | grep {s}',
    'ps -ef --sort=-%mem | head', 'kill -HUP $(pidof {s})', 'apt update',
    'apt upgrade -y', 'apt install -y {k}', 'apt-cache policy {k}',
    'dpkg -l | grep {k}', 'make -j4', 'make clean', 'make check',
    './configure --prefix=/usr', 'python3 manage.py migrate',
    'python3 -m venv .venv', 'pip install -r requirements.txt',
    'npm ci', 'npm run build', 'cargo build --release', 'go test ./...',
    'tar czf /tmp/{s}-backup.tgz {p}', 'tar xzf {f}',
    'rsync -avz {p} backup:{p}', 'chmod 644 {f}', 'chmod +x {f}',
    'chown -R www-data: {p}', 'find {p} -name "*.log" -mtime +7 -delete',
    'find / -xdev -size +500M', 'ss -tlnp', 'netstat -tlnp', 'ip addr',
    'ip route', 'iptables -L -n -v', 'nft list ruleset', 'mount | grep {p}',
    'lsblk', 'zpool status', 'zfs list -t snapshot', 'qm list', 'pct list',
    'pvesm status', 'pvecm status', 'qm start 1{k2}', 'pct enter 2{k2}',
    'psql -U postgres -c "select count(*) from {w}"', 'pg_dump {w} > /tmp/{w}.sql',
    'mysql -e "show processlist"', 'redis-cli info memory',
    'nginx -t', 'certbot renew --dry-run', 'openssl x509 -in {f} -noout -dates',
    'crontab -l', 'history | grep {w}', 'echo $PATH', 'export EDITOR=vim',
    'source ~/.bashrc', 'watch -n1 "ss -s"', 'sudo -i', 'exit', 'clear',
    'man {s}', 'which {k}', 'whoami', 'hostname -f', 'date', 'sync',
    'reboot', 'ansible-playbook site.yml -l {h} --check',
    'terraform plan', 'terraform apply', 'helm upgrade {s} ./chart -n {n}',
    'strace -p $(pidof {s})', 'lsof -i :443', 'vmstat 1 5', 'iostat -x 1 3',
    'dmesg -T | tail -30', 'sed -i "s/{w}/{w}2/g" {f}',
    'awk ''{print $1}'' /var/log/{s}/access.log | sort | uniq -c | sort -rn | head'
    ] AS t,
ARRAY['/etc', '/var/log', '/srv/www', '/opt/app', '/home/deploy',
    '/var/lib/postgresql', '/etc/nginx/sites-enabled', '/tmp', '/root',
    '/usr/local/bin', '/var/www/html', '/opt/monitoring', '/data/backups',
    '/etc/systemd/system', '/var/lib/docker/volumes', '~/src/api',
    '~/src/frontend', '/mnt/nas', '/var/spool/cron', '/etc/pve'] AS p,
ARRAY['app.py', 'config.yml', 'docker-compose.yml', '.env', 'Makefile',
    'nginx.conf', 'README.md', 'main.go', 'index.js', 'settings.py',
    'backup.sh', 'deploy.sh', 'values.yaml', 'Dockerfile', 'cert.pem',
    'id_rsa.pub', 'crontab', 'requirements.txt', 'package.json',
    'release.tar.gz'] AS f,
ARRAY['nginx', 'postgresql', 'docker', 'sshd', 'redis', 'grafana',
    'prometheus', 'node-exporter', 'haproxy', 'php8.2-fpm', 'mysql',
    'rabbitmq', 'api', 'worker', 'frontend', 'cron', 'pveproxy',
    'corosync', 'zfs-zed', 'fail2ban'] AS s,
ARRAY['db1', 'db2', 'web1', 'web2', 'lb1', 'cache1', 'mon1', 'pve1',
    'pve2', 'pve3', 'nas', 'backup', 'git.internal', 'ci-runner',
    'vpn', 'mail', 'dns1', 'k8s-master', 'k8s-node1', 'k8s-node2'] AS h,
ARRAY['error', 'timeout', 'refused', 'OOM', 'panic', 'users', 'orders',
    'session', 'deadlock', 'TODO', 'fixme', 'token', 'memory', 'disk',
    'slow query', 'upstream', 'certificate', 'backup', 'cron', 'failed'] AS w,
ARRAY['default', 'kube-system', 'monitoring', 'prod', 'staging',
    'ingress-nginx', 'cert-manager', 'logging'] AS n,
ARRAY['htop', 'jq', 'curl', 'vim', 'tmux', 'git', 'rsync', 'nmap',
    'tcpdump', 'iotop', 'ncdu', 'postgresql-client', 'python3-pip',
    'build-essential', 'zstd'] AS k,
ARRAY['main', 'develop', 'feature/login', 'fix/timeout', 'release-2.4',
    'hotfix/cve'] AS g;

-- pick(a): a random element; the first ones more often (a Zipf-ish
-- habit: everyone types "ls" more than "zpool status").
CREATE FUNCTION pg_temp.pick(a text[]) RETURNS text LANGUAGE sql VOLATILE
AS $$ SELECT a[1 + floor(cardinality(a) * power(random(), 1.6))::int] $$;

INSERT INTO termgate.command_history (session_id, host_id, user_id,
    command, exit_status, cwd, started_at, finished_at, source,
    recording_offset)
SELECT lpad(to_hex(r.u), 8, '0') || repeat('0', 48) ||
    lpad(to_hex(extract(doy FROM r.at)::int), 8, '0'),
    'hh' || lpad((1 + (r.u * 7 + floor(random() * 5)::int) % :hosts)::text,
    2, '0'), usr.id,
    replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(pg_temp.pick(w.t), '{p}', pg_temp.pick(w.p)), '{f}',
    pg_temp.pick(w.f)), '{s}', pg_temp.pick(w.s)), '{h}', pg_temp.pick(w.h)),
    '{w}', pg_temp.pick(w.w)), '{n}', pg_temp.pick(w.n)), '{k2}',
    lpad((floor(random() * 100))::text, 2, '0')), '{k}', pg_temp.pick(w.k)),
    '{g}', pg_temp.pick(w.g)), '  ', ' '),
    CASE WHEN r.typed THEN NULL WHEN random() < 0.85 THEN 0
    ELSE (ARRAY[1, 1, 1, 2, 127, 130, 137, 255])[1 + floor(random() * 8)::int]
    END,
    pg_temp.pick(w.p), r.at,
    CASE WHEN r.typed THEN NULL
    ELSE r.at + make_interval(secs => -ln(1 - random()) * 2) END,
    CASE WHEN r.typed THEN 'typed' ELSE 'shell' END,
    round((random() * 3600)::numeric, 3)
FROM (SELECT CASE WHEN g <= :heavy THEN 0
    ELSE 1 + floor(random() * :users)::int END AS u,
    now() - random() * interval '120 days' AS at,
    random() < 0.10 AS typed
    FROM generate_series(1, :rows) g) r
JOIN termgate.users usr ON usr.username = 'hu' || lpad(r.u::text, 4, '0'),
    words w;
