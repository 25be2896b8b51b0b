//go:build linux

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProcessThatExitsEarlyReportsItsLog(t *testing.T) {
	dir := t.TempDir()
	p, err := startProcess("server", "/bin/sh", filepath.Join(dir, "log"), "-c", "echo listen: address already in use; exit 3")
	if err != nil {
		t.Fatal(err)
	}
	err = poll(context.Background(), p, time.Minute, func() error { return errNotReady })
	if err == nil || !strings.Contains(err.Error(), "server exit status 3 before it was ready") ||
		!strings.Contains(err.Error(), "address already in use") {
		t.Errorf("got %v", err)
	}
}

func TestStopEndsTheWholeProcessGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// A grandchild that a signal to the shell alone would leave running.
	p, err := startProcess("server", "/bin/sh", filepath.Join(dir, "log"), "-c", "sleep 60 & echo $! > "+pidFile+"; wait")
	if err != nil {
		t.Fatal(err)
	}
	var pid string
	for i := 0; i < 100 && pid == ""; i++ {
		data, _ := os.ReadFile(pidFile)
		pid = strings.TrimSpace(string(data))
		time.Sleep(20 * time.Millisecond)
	}
	p.stop(5 * time.Second)
	if !p.exited() {
		t.Fatal("the shell still runs")
	}
	for i := 0; i < 100 && running(pid); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if running(pid) {
		t.Errorf("the shell's child %s still runs", pid)
	}
}

// running reports whether a process exists and is not a zombie waiting to be
// reaped.
func running(pid string) bool {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
