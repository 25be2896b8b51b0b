//go:build !unix

package e2e

import (
	"os"
	"syscall"
)

func sysProcAttr() *syscall.SysProcAttr { return nil }

// signalGroup can only kill the process itself where there are no process
// groups.
func signalGroup(p *os.Process, _ bool) { _ = p.Kill() }
