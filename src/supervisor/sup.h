/*
 * sup.h - the supervisor's internal state, shared by its few files.
 *
 * main.c sets up and runs the poll() loop and is called by nobody;
 * events.c turns notifications, timer ticks and process ends into
 * database updates; spawn.c turns a starting session row into a running
 * terminal; reconcile.c makes terminals and rows agree again; gc.c runs
 * the collector; proc.c, at the bottom, starts, probes, signals and
 * recognises processes and calls nothing above it. One struct sup holds
 * everything; each terminal the supervisor knows of is one struct term
 * in its list.
 */
#ifndef TG_SUP_H
#define TG_SUP_H

#include <sys/types.h>
#include <sys/queue.h>

#include <stdint.h>

#include "argv.h"
#include "cfg.h"
#include "endpoint.h"
#include "tok.h"

enum term_state {
	T_STARTING,		/* spawned, endpoint not yet accepting */
	T_ACTIVE,		/* marked active in the database */
	T_STOPPING		/* SIGTERM sent, waiting for it to go */
};

/* What the database is told when a stopping terminal is gone. */
enum term_mark { MARK_NONE, MARK_EXITED, MARK_SPAWN_FAILED };

struct term {
	TAILQ_ENTRY(term) entry;
	char		 id[TOK_ID_LEN + 1];
	pid_t		 pid;
	enum term_state	 state;
	enum term_mark	 mark;		/* for T_STOPPING */
	int		 adopted;	/* not our child: polled */
	int		 ready;		/* accepted, not yet marked active */
	int		 killed;	/* SIGKILL sent */
	int		 probe;		/* connecting socket or -1 */
	struct tg_endpoint ep;		/* checked by ep_parse_session */
	int64_t		 started;	/* clock_ms */
	int64_t		 deadline;	/* ms: ready by, or SIGKILL at */
	int		 seen;		/* reconcile: row is live */
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
	int		 stop_terminals;
	int		 quit;
	int		 scan;		/* rescan starting rows */
	unsigned	 db_gen;	/* db_generation we reconciled */
	int64_t		 next_gc;
	int64_t		 next_retry;	/* reconnect back-off */
	int		 backoff;	/* ms */
	char		 path[256];	/* backend binary */
	char		 user[64];	/* backend runs as */
	char		 group[64];	/* the backend user's own group */
	char		 home[256];
	uid_t		 uid;		/* run_as, or -1 */
	gid_t		 gid;
	gid_t		 sock_gid;
};

/* proc.c */
struct term	*proc_find(struct sup *, const char *id);
struct term	*proc_find_pid(struct sup *, pid_t);
/* Forks and execs ARGV for session ID on EP; the new term, or NULL
 * (logged). */
struct term	*proc_spawn(struct sup *, const char *id, struct tg_argv *,
		    const struct tg_endpoint *ep);
/* Probes a starting term's endpoint; 1 accepted, 0 not yet. */
int		 proc_probe(struct term *);
void		 proc_signal(struct term *, int sig);
/* SIGTERMs T's group (SIGKILL later from ev_tick); MARK for the end. */
void		 proc_stop(struct sup *, struct term *, enum term_mark,
		    const char *why);
/* 1 if PID runs the backend on EP (by /proc/PID/cmdline). */
int		 proc_matches(struct sup *, pid_t, const struct tg_endpoint *);
/* 1 if PID leads its own session with TERMGATE_SESSION_ID=ID in its
 * environment: a terminal process some supervisor started for ID. */
int		 proc_is_session(pid_t, const char *id);
int		 proc_alive(pid_t);
/* 1 if another program listens on 127.0.0.1:PORT. */
int		 proc_port_taken(int port);
/* Watches PID (not our child) as the active terminal of session ID. */
struct term	*proc_adopt(struct sup *, const char *id, pid_t,
		    const struct tg_endpoint *);
void		 proc_free(struct sup *, struct term *);

/* spawn.c */
/* Starts a terminal for each starting row of the node that has none. */
void	 spawn_pending(struct sup *);
/* Ends session ID spawn_failed, saying WHY in the log. */
void	 spawn_failed(struct sup *, const char *id, const char *why);

/* events.c */
/* Handles notifications already read (and reads first if READABLE). */
void	 ev_notifies(struct sup *, int readable);
/* Probes, deadlines and adopted processes; run on every timer tick. */
void	 ev_tick(struct sup *);
/* Reaps exited children. */
void	 ev_reap(struct sup *);
/* T's process is gone (STATUS as from waitpid, -1 if unknown). */
void	 ev_gone(struct sup *, struct term *, int status);

/* reconcile.c */
/* Compares the node's live rows with the terminals held and mends both. */
void	 reconcile_run(struct sup *);

/* gc.c */
/* One collector run: liveness, set-based expiry, figures. */
void	 gc_run(struct sup *);

#endif
