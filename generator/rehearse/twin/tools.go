package twin

import (
	"fmt"
	"os"
	"path/filepath"
)

// scratch is the twin's own temporary directory (scripts' runs, the
// tools' bin directory), made on first use and removed by Close; "" (the
// system's) if it cannot be made.
func (t *Twin) scratch() string {
	t.scratchOnce.Do(func() {
		t.scratchDir, _ = os.MkdirTemp("", "lowlat-twin-")
	})
	return t.scratchDir
}

// toolsBin is a directory holding oc and kubectl, both the Spec's kubectl:
// OpenShift's cli image has both, and scripts call either.
func (t *Twin) toolsBin() (string, error) {
	t.toolsOnce.Do(func() {
		t.toolsErr = t.makeToolsBin()
	})
	return filepath.Join(t.scratch(), "bin"), t.toolsErr
}

func (t *Twin) makeToolsBin() error {
	if t.spec.Kubectl == "" {
		return fmt.Errorf("the twin has no kubectl to run scripts with")
	}
	kubectl, err := filepath.Abs(t.spec.Kubectl)
	if err != nil {
		return err
	}
	if _, err := os.Stat(kubectl); err != nil {
		return fmt.Errorf("kubectl for scripts: %w (run make e2e-tools)", err)
	}
	bin := filepath.Join(t.scratch(), "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	for _, name := range []string{"oc", "kubectl"} {
		if err := os.Symlink(kubectl, filepath.Join(bin, name)); err != nil {
			return err
		}
	}
	return nil
}
