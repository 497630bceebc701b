-- 022_node_cgroup.sql - how a node bounds its terminals.
--
-- With run_as_pool, each leased account gets a cgroup with a process
-- and a memory limit (terminal_max_procs, terminal_max_memory): 'v2 DIR'
-- where cgroup v2 is delegated to the supervisor, 'v1 DIR' on the
-- hybrid layout's pids and memory hierarchies, 'none' where neither can
-- be had (RLIMIT_NPROC alone). NULL: no pool. termgate-admin doctor
-- reads it.
ALTER TABLE termgate.supervisors ADD COLUMN cgroup text;
