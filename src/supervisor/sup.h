/*
 * sup.h - the supervisor's internal state, shared by its few files.
 *
 * main.c sets up and runs the poll() loop and is called by nobody;
 * events.c turns notifications, timer ticks and process ends into
 * database updates; spawn.c turns a starting session row into a running
 * terminal; reconcile.c makes terminals and rows agree again; gc.c runs
 * the collector. Below them, each with one job and calling nothing
 * above it: term.c keeps the list of terminals and moves each through
 * its states (the table is fsm.c's), launch.c forks and execs a
 * terminal's processes, tproc.c holds and signals a running process by
 * its pidfd, probe.c probes readiness and ports, ident.c recognises a
 * process in /proc. gw.c keeps the node's gateway (terminal_gateway: one
 * ttyd for every session), which is no terminal's. One struct sup holds everything; each terminal the
 * supervisor knows of is one struct term in its list.
 */
#ifndef TG_SUP_H
#define TG_SUP_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/resource.h>

#include <stdint.h>

#include "argv.h"
#include "cfg.h"
#include "endpoint.h"
#include "fsm.h"
#include "tok.h"

struct proto_rx;

/* What the database is told when a stopping terminal is gone. */
enum term_mark { MARK_NONE, MARK_EXITED, MARK_SPAWN_FAILED };

/* One process of a terminal: its backend, or its pty holder. */
struct tproc {
	pid_t		 pid;		/* 0: none, or gone */
	int		 pidfd;		/* -1: none */
	int		 child;		/* ours to reap; else adopted */
};

/* One account of run_as_pool (pool.c). */
struct acct {
	char		 name[40];	/* run_as_pool (24) and a number */
	uid_t		 uid;
	gid_t		 gid;
	int		 dirty;		/* not seen clean since its last lease */
	char		 last_user[64];	/* its last lessee, "" none */
};

struct term {
	TAILQ_ENTRY(term) entry;
	char		 id[TOK_ID_LEN + 1];
	char		 user[64];	/* the session's, with a pool */
	int		 acct;		/* its pool account, or -1 */
	enum term_state	 state;		/* changed by term_event only */
	enum term_mark	 mark;		/* for T_STOPPING */
	int		 probe;		/* connecting socket or -1 */
	struct tg_endpoint ep;		/* the backend's, ep_parse_session */
	struct tg_endpoint pty;		/* the holder's: socket_dir/ID.pty */
	struct tproc	 backend;
	struct tproc	 holder;
	off_t		 ingested;	/* of the command file, as we know */
	int		 dirty;		/* the command file grew */
	int64_t		 started;	/* clock_ms */
	int64_t		 deadline;	/* ms: ready by, or SIGKILL at */
	int		 seen;		/* reconcile: row is live */
	int		 gw;		/* no backend of its own: the gateway's */
	int		 mon;		/* following its holder's clients; -1 */
	int		 mon_done;	/* followed once already (mon.c) */
	int		 mon_idx;	/* its pollfd this turn */
	struct proto_rx	*mon_rx;	/* what the holder sent */
};

/* The node's gateway (gw.c): one ttyd, `termgate-pty attach -d DIR ID`
 * for each WebSocket, ID from the query nginx wrote. */
struct gateway {
	struct tproc	 p;
	char		 sock[256];	/* socket_dir/gateway.sock */
	int		 up;		/* accepts; its socket given to nginx */
	int		 fails;		/* early deaths in a row */
	int64_t		 started;	/* ms */
	int64_t		 next;		/* ms: start again from then */
};

TAILQ_HEAD(term_list, term);

struct sup {
	struct tg_cfg	 cfg;
	const char	*cfgfile;
	struct tg_db	*db;
	struct term_list terms;
	int		 nterms;
	int		 sigfd;
	int		 timerfd;
	int		 ino;		/* inotify (spool_dir, socket_dir) */
	int		 spool_wd;	/* its watch on spool_dir, or -1 */
	int		 sock_wd;	/* its watch on socket_dir, or -1 */
	int		 stop_terminals;
	int		 quit;
	int		 scan;		/* rescan starting rows */
	int		 more;		/* a command file had more: poll no wait */
	unsigned	 db_gen;	/* db_generation we reconciled */
	int64_t		 next_gc;
	int64_t		 next_retention;	/* recording sweep */
	int64_t		 next_retry;	/* reconnect back-off */
	int64_t		 judge_from;	/* ms: may end lost nodes from */
	int		 backoff;	/* ms */
	char		 path[256];	/* backend binary */
	char		 user[64];	/* backend runs as */
	char		 group[64];	/* the backend user's own group */
	char		 home[256];
	uid_t		 uid;		/* run_as, or -1 */
	uid_t		 db_uid;	/* database_os_user, or -1 */
	gid_t		 gid;
	gid_t		 groups[64];	/* run_as's groups, for setgroups */
	int		 ngroups;	/* -1: look them up in the child */
	gid_t		 sock_gid;
	struct rlimit	 nofile;	/* as we got it: our children's */
	struct acct	*pool;		/* run_as_pool's accounts */
	int		 npool;		/* 0: no pool */
	int64_t		 next_sweep;	/* ms */
	char		 cg_dir[3][256];	/* cgroup.c: where groups go: */
#define CG_PIDS		0		/* v1 pids, or v2's one */
#define CG_MEMORY	1		/* v1 memory */
#define CG_CPU		2		/* v1 cpu, if there */
	int		 cg_ndir;	/* 0: no cgroup */
	int		 cg_v2;
	char		 cg_mode[300];	/* "v1 DIR", "v2 DIR", "none" */
	struct gateway	 gw;		/* with terminal_gateway */
};

/* term.c */
struct term	*term_find(struct sup *, const char *id);
/* The term one of whose children is PID, with *P that process. */
struct term	*term_find_pid(struct sup *, pid_t, struct tproc **p);
/* A new starting term for session ID on EP, in the list; NULL (logged). */
struct term	*term_new(struct sup *, const char *id,
		    const struct tg_endpoint *ep);
void		 term_free(struct sup *, struct term *);
/*
 * Moves T by EVENT as fsm.c's table says and does what the move does
 * (TE_STOP: MARK for the end, WHY in the log); 0, or -1 when the table
 * refuses EVENT in T's state (logged, nothing changed).
 */
int		 term_event(struct sup *, struct term *, enum term_event,
		    enum term_mark mark, const char *why);
/* term_event(TE_STOP): SIGTERMs T (SIGKILL later from ev_tick). */
void		 term_stop(struct sup *, struct term *, enum term_mark,
		    const char *why);
/* 1 while T is starting (ready or not), or stopping (killed or not). */
int		 term_starting(const struct term *);
int		 term_stopping(const struct term *);

/* launch.c */
/* termgate-pty: pty_path, or the one installed beside the supervisor. */
const char	*launch_pty_path(const struct sup *);
/* Forks and execs ARGV as process P of T; 0, or -1 (logged). */
int		 launch(struct sup *, struct term *, struct tproc *p,
		    struct tg_argv *argv);
/* Forks and execs ARGV as the terminals' user, for session ID (in its
 * environment; NULL: none), as P; 0, or -1 (logged). ROOT: stays root. */
int		 launch_proc(struct sup *, const char *id, struct tproc *p,
		    struct tg_argv *argv, int root);
/* Gives unix socket PATH (of WHO, for the log) to root:socket_group,
 * 0660, so that nginx alone can connect; logged on failure. */
void		 launch_give_socket(struct sup *, const char *path,
		    const char *who);

/* tproc.c */
/* Holds PID (not our child) as P by a pidfd, before its identity is
 * checked; 0, or -1 when it is gone. */
int		 tproc_watch(struct tproc *p, pid_t pid);
/* P was reaped or seen gone: lets go of it. */
void		 tproc_gone(struct tproc *p);
/* 1 when P is gone (an adopted one by its pidfd). */
int		 tproc_exited(const struct tproc *p);
/* Signals both processes of T and their groups. */
void		 tproc_signal(struct term *, int sig);

/* probe.c */
/* Probes a starting term: 1 when both its processes listen (the holder
 * alone for a gateway's), else 0. */
int		 probe_ready(struct term *);
/* Closes T's probe socket, if any. */
void		 probe_close(struct term *);

/* ident.c */
/* 1 if PID runs the backend on EP (by /proc/PID/cmdline). */
int		 ident_backend(struct sup *, pid_t, const struct tg_endpoint *);
/* 1 if PID runs termgate-pty hold on the socket PTY. */
int		 ident_holder(struct sup *, pid_t,
		    const struct tg_endpoint *pty);
/* 1 if PID leads its own session with TERMGATE_SESSION_ID=ID in its
 * environment: a process some supervisor started for ID. */
int		 ident_session(pid_t, const char *id);

/* cgroup.c */
/* Finds where the pool's cgroups go (v2, v1 or none); says so. */
void	 cg_init(struct sup *);
/* Account NAME's groups, made with their limits, as "DIR[:DIR]" into
 * DIRS for the holder's -C ("" when there are none); 0, or -1. */
int	 cg_make(struct sup *, const char *name, char *dirs, size_t len);
/* Account NAME's v1 cpu group (made by cg_make) into DIR, for the
 * holder's -G; "" when there is none (v2, or no cpu controller). */
void	 cg_cpu(struct sup *, const char *name, char *dir, size_t len);
/* Removes account NAME's groups, empty once it was swept; 0, or -1
 * while one still holds something (a zombie not yet reaped). */
int	 cg_remove(struct sup *, const char *name);

/* pool.c */
struct sess_row;
/* Resolves run_as_pool's accounts; fatal when one is missing or unfit. */
void	 pool_load(struct sup *);
/* Leases T (of USER) an account: USER's own if another of their
 * terminals holds one, or the one they left and that was not swept
 * since, else a clean free one; 0, or -1 when all are leased or not yet
 * clean. */
int	 pool_lease(struct sup *, struct term *t, const char *user);
/* T, adopted from row R, holds the account R names (if in the pool). */
void	 pool_adopt(struct sup *, struct term *t, const struct sess_row *r);
/* Kills what runs of each dirty account no terminal holds, and frees
 * it when none is left; at most once a second unless NOW. */
void	 pool_sweep(struct sup *, int now);
/* 1 while an account waits to be swept (the timer keeps ticking). */
int	 pool_pending(struct sup *);

/* spawn.c */
/* Starts a terminal for each starting row of the node that has none. */
void	 spawn_pending(struct sup *);
/* Ends session ID spawn_failed, saying WHY in the log. */
void	 spawn_failed(struct sup *, const char *id, const char *why);

/* events.c */
/* Handles notifications already read (and reads first if READABLE). */
void	 ev_notifies(struct sup *, int readable);
/* Probes, deadlines; run on every timer tick. */
void	 ev_tick(struct sup *);
/* Reaps exited children. */
void	 ev_reap(struct sup *);
/* Looks at adopted processes (their pidfds became readable). */
void	 ev_adopted(struct sup *);
/* Process P of T is gone (STATUS as from waitpid, -1 if unknown). */
void	 ev_ended(struct sup *, struct term *, struct tproc *p, int status);
/* Moves what T's holder captured into command_history. */
void	 ev_ingest(struct sup *, struct term *, int all);

/* gw.c */
/* Names the gateway's socket; fatal if the mode cannot have one. */
/* mon.c: who is attached, from each active terminal's holder */
/* Follows every active terminal not followed yet. */
void	 mon_sweep(struct sup *);
/* Reads what T's holder sent, and records it. */
void	 mon_read(struct sup *, struct term *t);
/* Stops following T. */
void	 mon_close(struct term *t);

void	 gw_init(struct sup *);
/* Starts the gateway when due, probes it while it starts. */
void	 gw_tick(struct sup *);
/* PID is the gateway's: it ended with STATUS; 1, else 0. */
int	 gw_reaped(struct sup *, pid_t pid, int status);
/* 1 while the gateway starts or waits to (the timer keeps ticking). */
int	 gw_busy(const struct sup *);
/* The gateway's pid, 0 when none runs. */
pid_t	 gw_pid(const struct sup *);
/* SIGTERMs the gateway (the supervisor stops). */
void	 gw_stop(struct sup *);

/* reconcile.c */
/* Compares the node's live rows with the terminals held and mends both. */
void	 reconcile_run(struct sup *);

/* gc.c */
/* One collector run: liveness, set-based expiry, figures. */
void	 gc_run(struct sup *);
/* Ends the sessions of nodes silent for node_lost_after, once this
 * supervisor has itself been connected that long. */
void	 gc_lost_nodes(struct sup *);
/* Another node_lost_after before lost nodes are judged (at start, and
 * after a reconnection: the others may have been away as long). */
void	 gc_judge_later(struct sup *);

#endif
