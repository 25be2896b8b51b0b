package e2e

import "syscall"

// sysProcAttr puts a server in its own process group, and has the kernel kill
// it if the test process dies without cleaning up (a go test timeout panics
// past every deferred stop).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
