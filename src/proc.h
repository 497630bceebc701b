/*
 * proc.h - the process toolkit: signals as one descriptor, a child reset
 * before it execs, and what /proc says of a process.
 */
#ifndef TG_PROC_H
#define TG_PROC_H

#include <sys/types.h>

#include <stddef.h>

/*
 * Ignores SIGPIPE, blocks the N signals SIGS and returns a signalfd
 * (non-blocking, close-on-exec) that reads them; the caller owns it.
 * -1 with errno set on failure.
 */
int	proc_signalfd(const int *sigs, size_t n);
/*
 * In a child after fork: an empty signal mask, every disposition the
 * default, and a session and process group of its own. 0, or -1 when
 * setsid failed (the rest is done all the same).
 */
int	proc_child_reset(void);
/*
 * In a child: closes every descriptor from 3 on and runs ARGV (ARGV[0]
 * searched in PATH as execvp does when it has no '/') with ENVP, or the
 * current environment when ENVP is NULL. Returns -1 (errno set) only
 * when the exec failed; the caller reports it and _exits.
 */
int	proc_exec(char *const argv[], char *const envp[]);
/*
 * Runs ARGV (as proc_exec) with its standard output on a pipe and its
 * input and errors on /dev/null: the pipe's read end (close-on-exec, the
 * caller's), the child's pid in *PID for the caller to reap. -1 when no
 * pipe or no fork could be had.
 */
int	proc_reader(char *const argv[], pid_t *pid);
/* Reads /proc/PID/WHAT into BUF (LEN bytes, NUL-terminated); its length
 * (NULs inside as they are), or -1. */
ssize_t	proc_read(pid_t, const char *what, char *buf, size_t len);
/* Writes S to the existing file PATH in one write (a cgroup's control
 * files take each line whole), never following a link; 0, or -1 with
 * errno. */
int	proc_put(const char *path, const char *s);
/* 1 if PID is a process that has not exited (a zombie has); else 0. */
int	proc_alive(pid_t);

#endif
