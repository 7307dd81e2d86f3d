// Imported first by the UPnP child. A terminal's Ctrl-C (SIGINT to the process group), a
// service manager's stop (SIGTERM to the group or the whole cgroup) and a closed terminal
// (SIGHUP) reach this child at the same moment as its parent. Dying then would leave the router
// forwarding the port for the rest of the lease: the parent's ordered shutdown (the room's
// goodbye, then the unmapping) still needs this process. So the child ignores them and serves
// until its parent lets it go:
// * child_process.fork: the port mapper kills it with SIGKILL, and it exits on 'disconnect',
//   which also comes when the parent itself is killed with SIGKILL;
// * Electron utilityProcess: kill() sends SIGTERM, then SIGKILL 2 s later if the process is
//   still there, and a utility process ends with the main process.

// A listener replaces Node's default action (terminate). SIGINT is also how a Windows console's
// Ctrl-C arrives; listening for the other two there is harmless.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
