//go:build unix

package tree

import (
	"fmt"
	"os"
	"syscall"
)

// dirID identifies a directory by device and inode, which a rename keeps.
func dirID(p string) (string, error) {
	info, err := os.Lstat(p)
	if err != nil {
		return "", err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return "", fmt.Errorf("%s: no inode", p)
	}
	return formatID(uint64(st.Dev), uint64(st.Ino)), nil
}
