package review

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// runGit runs git in repo and returns its trimmed output; a failure carries
// git's own message.
func runGit(ctx context.Context, repo string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", append(gitDir(repo), args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", gitError(args[0], err, &stderr)
	}
	return strings.TrimSpace(stdout.String()), nil
}

func gitDir(repo string) []string {
	if repo == "" {
		return nil
	}
	return []string{"-C", repo}
}

func gitError(what string, err error, stderr *bytes.Buffer) error {
	if msg := strings.TrimSpace(stderr.String()); msg != "" {
		return fmt.Errorf("git %s: %s", what, msg)
	}
	return fmt.Errorf("git %s: %w", what, err)
}
