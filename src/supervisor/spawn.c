/*
 * spawn.c - from a starting session row to a running terminal.
 *
 * A session inserted 'starting' for this node (termgate_spawn wakes the
 * loop, which calls spawn_pending) is turned into the backend's command
 * line, built word by word from the host's fields without a shell
 * (argv.c; the holder's by holder.c), and forked (launch.c). The row is
 * trusted for nothing it could turn against the node: its endpoint must
 * be the one this supervisor would have chosen (ep_parse_session), its
 * host fields are validated again by argv_command. Whatever cannot run
 * ends the session spawn_failed at once with a reason in the log, so the
 * worker waiting for it answers without waiting for spawn_timeout.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "node.h"
#include "holder.h"
#include "sess.h"
#include "sessfile.h"
#include "sup.h"

void
spawn_failed(struct sup *sup, const char *id, const char *why)
{
	log_warn("session=%.12s spawn_failed reason=%s", id, why);
	(void)sess_set_spawn_error(sup->db, id, why);
	(void)sess_close(sup->db, id, SESS_REASON_SPAWN, NULL, NULL);
}

/* Fills B for a session on EP; -1 if it cannot run there. */
static int
backend_of(struct sup *sup, struct argv_backend *b,
    const struct tg_endpoint *ep, const char *cred, const char *base)
{
	memset(b, 0, sizeof(*b));
	b->shellinabox = sup->cfg.backend == TG_BACKEND_SHELLINABOX;
	b->path = sup->path;
	b->user = sup->user;
	b->group = sup->group;
	b->home = sup->home;
	b->base = base;
	b->max_clients = sup->cfg.max_clients;
	/* A shared client's mode and grant: the arg=s authorize wrote. */
	b->url_arg = !b->shellinabox;
	if (ep->kind == EP_UNIX) {
		b->socket = ep->path;
		return 0;
	}
	b->port = ep->port;
	b->cred = cred;
	return cred == NULL && !b->shellinabox ? -1 : 0;
}

/*
 * Another program listens on the port a session was given: a probe would
 * take it for the terminal, and nginx would hand it the session's
 * credential. Fail the session and keep the port out of the pool a while.
 */
static void
port_busy(struct sup *sup, const char *id, int port)
{
	log_warn("session=%.12s port=%d is taken by another program", id,
	    port);
	(void)node_port_busy(sup->db, sup->cfg.node, port);
	spawn_failed(sup, id, "port_in_use");
}

/* Appends WORDS (NULL-terminated) to ARGV; 0 or -1 when full. */
static int
words(struct tg_argv *argv, const char *const *w)
{
	for (; *w != NULL; w++)
		if (argv_push(argv, *w) == -1)
			return -1;
	return 0;
}

/*
 * The holder's command line (holder.c): termgate-pty hold on T's pty
 * socket, its recording and command file as the node says, then CMD
 * (the session's terminal command) after "--".
 */
static int
holder_of(struct sup *sup, struct term *t, const struct tg_argv *cmd,
    struct tg_argv *argv)
{
	char cast[512], cmds[512], cgroups[800], cpu[256];
	struct holder_opts o;

	holder_defaults(&o);
	o.sock = t->pty.path;
	o.grace = sup->cfg.kill_grace;
	if (sup->cfg.recording) {
		if (sessfile_path(cast, sizeof(cast), &sup->cfg,
		    SESSFILE_CAST, t->id) == -1)
			return -1;
		o.cast = cast;
		o.maxbytes = sup->cfg.recording_max_bytes;
	}
	o.scrollback = sup->cfg.scrollback_lines;
	/* ttyd's -m counts a whole gateway: the holder counts the session. */
	if (t->gw)
		o.clients = sup->cfg.max_clients < HOLDER_CLIENTS_MAX ?
		    sup->cfg.max_clients : HOLDER_CLIENTS_MAX;
	if (sup->cfg.capture) {
		if (sessfile_path(cmds, sizeof(cmds), &sup->cfg,
		    SESSFILE_CMDS, t->id) == -1)
			return -1;
		o.cmdfile = cmds;
		o.rate = sup->cfg.capture_rate;
		o.capmax = sup->cfg.capture_max_bytes;
	}
	if (t->acct >= 0) {
		if (cg_make(sup, sup->pool[t->acct].name, cgroups,
		    sizeof(cgroups)) == -1)
			return -1;
		o.cgroups = cgroups[0] != '\0' ? cgroups : NULL;
		cg_cpu(sup, sup->pool[t->acct].name, cpu, sizeof(cpu));
		o.cpu_group = cpu[0] != '\0' ? cpu : NULL;
		o.shell_as = sup->pool[t->acct].name;
		o.hold_as = sup->user;
		o.nproc = sup->cfg.terminal_max_procs;
	}
	o.argv = cmd->v;
	o.argc = cmd->n;
	return holder_argv(argv, launch_pty_path(sup), &o);
}

/*
 * The two command lines of row R: the holder's around the terminal
 * command, and the backend's around "termgate-pty attach" (none for the
 * gateway's terminal: BACKEND is left empty); 0, or -1 with WHY.
 */
static int
command_of(struct sup *sup, struct term *t, const struct sess_row *r,
    struct tg_argv *holder, struct tg_argv *backend, const char **why)
{
	static struct tg_argv cmd;	/* 12 KB: kept off the stack */
	const char *attach[] = { launch_pty_path(sup), "attach", t->pty.path,
	    NULL };
	struct argv_fields f;
	struct argv_backend b;
	char err[160] = "the holder's command line is too long", base[256];

	f.session_id = r->id;
	f.address = r->address;
	f.ssh_user = r->ssh_user;
	f.ssh_port = r->ssh_port;
	f.host_id = r->host_id;
	f.host_name = r->host_name;
	snprintf(base, sizeof(base), "%s/%s", sup->cfg.url_prefix, r->id);
	if (backend_of(sup, &b, &t->ep, r->backend_auth, base) == -1) {
		*why = "bad_endpoint";
		return -1;
	}
	if (argv_command(&cmd, sup->cfg.terminal_command, &f, err,
	    sizeof(err)) == -1 || holder_of(sup, t, &cmd, holder) == -1) {
		log_warn("session=%.12s argv: %s", r->id, err);
		*why = "bad_command";
		return -1;
	}
	argv_reset(backend);
	if (t->gw)
		return 0;	/* the gateway attaches it */
	argv_reset(&cmd);
	if (words(&cmd, attach) == -1 ||
	    argv_backend(backend, &b, &cmd, err, sizeof(err)) == -1) {
		log_warn("session=%.12s argv: %s", r->id, err);
		*why = "bad_command";
		return -1;
	}
	return 0;
}

/*
 * With run_as_pool: T's account, noted on its row; -1 when the pool is
 * used up (T is freed and the session failed: the worker answers 503).
 */
static int
lease(struct sup *sup, struct term *t, const struct sess_row *r)
{
	const struct acct *a;

	if (r->user == NULL || pool_lease(sup, t, r->user) == -1) {
		log_warn("session=%.12s user=%s: every account of run_as_pool "
		    "(%d) is leased to another user or not yet clean; raise "
		    "run_as_pool_size", r->id, r->user != NULL ? r->user :
		    "?", sup->npool);
		spawn_failed(sup, r->id, SPAWN_NO_ACCOUNT);
		term_free(sup, t);
		return -1;
	}
	a = &sup->pool[t->acct];
	log_info("session=%.12s user=%s runs as %s uid=%ld", r->id, r->user,
	    a->name, (long)a->uid);
	(void)sess_set_run(sup->db, r->id, (long)a->uid, a->name);
	return 0;
}

/* Spawns the holder and the backend of starting row R unless running. */
static void
spawn_row(void *arg, const struct sess_row *r)
{
	static struct tg_argv holder, backend;	/* kept off the stack */
	struct sup *sup = arg;
	struct tg_endpoint ep;
	const char *why = NULL;
	struct term *t;

	if (term_find(sup, r->id) != NULL)
		return;
	if (r->address == NULL)
		why = "host_removed";
	else if (r->endpoint == NULL || ep_parse_session(&ep, r->endpoint,
	    sup->cfg.socket_dir, r->id) == -1)
		why = "bad_endpoint";
	if (why != NULL) {
		spawn_failed(sup, r->id, why);
		return;
	}
	if (ep.kind == EP_TCP && ep_port_taken(ep.port)) {
		port_busy(sup, r->id, ep.port);
		return;
	}
	if ((t = term_new(sup, r->id, &ep)) == NULL) {
		spawn_failed(sup, r->id, "out_of_memory");
		return;
	}
	if (sup->npool > 0 && lease(sup, t, r) == -1)
		return;
	if (t->ep.kind == EP_UNIX)
		(void)unlink(t->ep.path);	/* a stale socket of this id */
	if (command_of(sup, t, r, &holder, &backend, &why) == -1 ||
	    (why = "fork", launch(sup, t, &t->holder, &holder)) == -1 ||
	    (!t->gw && launch(sup, t, &t->backend, &backend) == -1)) {
		spawn_failed(sup, r->id, why);
		term_stop(sup, t, MARK_NONE, why);
		if (t->holder.pid == 0 && t->backend.pid == 0)
			term_free(sup, t);
		return;
	}
	/* (the gateway is a ttyd) */
	(void)sess_set_pid(sup->db, r->id, t->gw ? gw_pid(sup) :
	    t->backend.pid, t->holder.pid, sup->cfg.backend ==
	    TG_BACKEND_SHELLINABOX && !t->gw ? "shellinabox" : "ttyd");
}

void
spawn_pending(struct sup *sup)
{
	(void)sess_each_starting(sup->db, sup->cfg.node, spawn_row, sup);
}
