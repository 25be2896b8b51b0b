package cli

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
)

const readme = "../../README.md"

// readmeCode returns the README's code: every `code span` and every line of
// a fenced or indented code block, which is where it shows commands.
func readmeCode(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fenced := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			fenced = !fenced
		case fenced || strings.HasPrefix(line, "    "):
			out = append(out, line)
		default:
			for _, m := range codeSpan.FindAllStringSubmatch(line, -1) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	// invocation is "lowlat" as a command word (also bin/lowlat), then its
	// arguments up to the end of the command: a comment, pipe, redirection
	// or closing bracket.
	invocation = regexp.MustCompile(`(?:^|[\s(/$])lowlat((?: +[^ #|&;<>)]+)*)`)
)

// invocations returns each README command line as its words after
// "lowlat", with the command they name.
func invocations(t *testing.T, root *cobra.Command) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for _, code := range readmeCode(t) {
		for _, m := range invocation.FindAllStringSubmatch(code, -1) {
			words := strings.Fields(m[1])
			cmd, rest, err := root.Find(words)
			if err != nil || cmd == root && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
				continue // prose such as `lowlat turns`, not a command
			}
			out[cmd.CommandPath()] = append(out[cmd.CommandPath()], words)
		}
	}
	return out
}

// TestReadmeCommandTableListsEveryCommand: the README's command table and
// the command tree name the same commands.
func TestReadmeCommandTableListsEveryCommand(t *testing.T) {
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	_, table, found := strings.Cut(string(data), "\n## Commands\n")
	if !found {
		t.Fatal("README has no Commands section")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	row := regexp.MustCompile("(?m)^\\| `lowlat ([a-z-]+)(?: ([a-z-]+(?:/[a-z-]+)*))?")
	listed := map[string]bool{}
	root := NewRootCommand()
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		listed[m[1]] = true
		for _, sub := range strings.Split(m[2], "/") {
			args := []string{m[1]}
			if sub != "" {
				args = append(args, sub)
			}
			if cmd, rest, err := root.Find(args); err != nil || len(rest) > 0 && cmd.HasSubCommands() {
				t.Errorf("README's command table lists lowlat %s, which is not a command", strings.Join(args, " "))
			}
		}
	}
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() && c.Name() != "help" && !listed[c.Name()] {
			t.Errorf("lowlat %s is missing from README's command table", c.Name())
		}
	}
}

// TestReadmeUsesOnlyFlagsTheCommandsHave: every flag of every lowlat
// command line in the README exists on that command.
func TestReadmeUsesOnlyFlagsTheCommandsHave(t *testing.T) {
	root := NewRootCommand()
	seen := 0
	for path, lines := range invocations(t, root) {
		cmd, _, _ := root.Find(strings.Fields(strings.TrimPrefix(path, "lowlat")))
		if cmd.DisableFlagParsing {
			continue // its flags are another binary's
		}
		cmd.InitDefaultHelpFlag()
		for _, words := range lines {
			seen++
			for _, w := range words {
				if name, ok := flagName(w); ok && !hasFlag(cmd, name) {
					t.Errorf("README runs %q, but %s has no flag %s", "lowlat "+strings.Join(words, " "), path, w)
				}
			}
		}
	}
	if seen < 20 {
		t.Errorf("found %d lowlat command lines in the README; the pattern misses them", seen)
	}
}

// flagName returns the name of a word that is a flag: "--name", "--name=v"
// or "-n".
func flagName(w string) (string, bool) {
	w, _, _ = strings.Cut(w, "=")
	w = strings.Trim(w, "[]().,")
	switch {
	case strings.HasPrefix(w, "--") && len(w) > 2:
		return w[2:], true
	case strings.HasPrefix(w, "-") && len(w) == 2 && w != "--":
		return w[1:], true
	}
	return "", false
}

func hasFlag(cmd *cobra.Command, name string) bool {
	if len(name) == 1 {
		return cmd.Flags().ShorthandLookup(name) != nil || cmd.InheritedFlags().ShorthandLookup(name) != nil
	}
	return cmd.Flags().Lookup(name) != nil || cmd.InheritedFlags().Lookup(name) != nil
}

// allCommands is the command tree, depth first.
func allCommands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		out = append(out, allCommands(sub)...)
	}
	return out
}

// TestHelpShowsRequiredOnlyWhatIsRequired: a flag a usage line shows
// outside brackets and parentheses is one cobra requires.
func TestHelpShowsRequiredOnlyWhatIsRequired(t *testing.T) {
	optional := regexp.MustCompile(`\[[^\]]*\]|\([^)]*\)`)
	for _, c := range allCommands(NewRootCommand()) {
		for _, w := range strings.Fields(optional.ReplaceAllString(c.Use, "")) {
			name, ok := flagName(w)
			if !ok {
				continue
			}
			f := c.Flags().Lookup(name)
			if len(name) == 1 {
				f = c.Flags().ShorthandLookup(name)
			}
			if f == nil {
				t.Errorf("%s: usage %q names %s, which it does not have", c.CommandPath(), c.Use, w)
			} else if _, required := f.Annotations[cobra.BashCompOneRequiredFlag]; !required {
				t.Errorf("%s: usage %q shows %s as required, but it is optional", c.CommandPath(), c.Use, w)
			}
		}
	}
}

// TestFlagPlaceholdersAreOneWord: a backquoted word in a flag's usage is
// the placeholder help shows after the flag, so it must be a name.
func TestFlagPlaceholdersAreOneWord(t *testing.T) {
	word := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)
	for _, c := range allCommands(NewRootCommand()) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if name, _ := pflag.UnquoteUsage(f); name != "" && !word.MatchString(name) {
				t.Errorf("%s --%s shows the placeholder %q", c.CommandPath(), f.Name, name)
			}
		})
	}
}

func helpOf(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := runLowlat("", append(args, "--help")...)
	if code != 0 {
		t.Fatalf("lowlat %s --help: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// The inventory's instanceType points readers at cpus --help for the
// catalog.
func TestCPUsHelpListsTheCatalog(t *testing.T) {
	help := helpOf(t, "cpus")
	for _, name := range catalog.Names() {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + ` `).MatchString(help) {
			t.Errorf("cpus --help does not list %s:\n%s", name, help)
		}
	}
}

func TestValidateHelpNamesEveryDirectoryItChecks(t *testing.T) {
	help := helpOf(t, "validate")
	for _, root := range layout.Roots {
		if !strings.Contains(help, root+"/") {
			t.Errorf("validate --help does not say it checks %s/ by default:\n%s", root, help)
		}
	}
	if !slices.Contains(layout.Roots, "krm") || !strings.Contains(help, "Inventory of each krm/<cluster>/") {
		t.Errorf("validate --help does not say how it checks krm/:\n%s", help)
	}
}

// The README's table of warning codes lists every code an inventory may
// acknowledge.
func TestReadmeListsEveryWarningCode(t *testing.T) {
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range inventory.WarningCodes {
		if !strings.Contains(string(data), "| `"+code+"` |") {
			t.Errorf("README's table of warning codes lacks %s", code)
		}
	}
}
