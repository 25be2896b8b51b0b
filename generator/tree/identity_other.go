//go:build !unix

package tree

import (
	"fmt"
	"os"
)

// dirID has no inode to go by on this platform: it identifies a directory by
// its modification time, which renames keep and staging makes distinct enough.
func dirID(p string) (string, error) {
	info, err := os.Lstat(p)
	if err != nil {
		return "", err
	}
	return fmt.Sprint(info.ModTime().UnixNano()), nil
}
