package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/lowlat/lowlat/generator/inventory"
)

// lineComment is a YAML comment after a value, or on a line of its own;
// the workshop's values hold no " #".
var lineComment = regexp.MustCompile(`(?m)\s+#.*$`)

// workshop is the inventory the fleets are made of.
var workshop = filepath.Join("..", "..", "fixtures", "inventories", "workshop.yaml")

// Fleet returns the workshop inventory with its cluster repeated n times
// under the names c0, c1, ..., each its own ArgoCD destination.
func Fleet(n int) (*inventory.Inventory, error) {
	data, err := os.ReadFile(workshop)
	if err != nil {
		return nil, err
	}
	one, err := inventory.Parse(data, workshop, filepath.Dir(workshop))
	if err != nil {
		return nil, err
	}
	text := string(data)
	i := strings.Index(text, "  clusters:\n")
	if i < 0 {
		return nil, fmt.Errorf("%s: no clusters list", workshop)
	}
	head, cluster := text[:i+len("  clusters:\n")], text[i+len("  clusters:\n"):]
	// The comments explain the workshop once; repeated 1,000 times they
	// would take a one-file fleet past inventory.MaxBytes.
	cluster = lineComment.ReplaceAllString(cluster, "")
	var b strings.Builder
	b.WriteString(head)
	for c := 0; c < n; c++ {
		// ArgoCD destinations must differ between clusters.
		named := fmt.Sprintf("- name: c%d\n    destination: {name: c%d}", c, c)
		b.WriteString(strings.Replace(cluster, "- name: "+one.Spec.Clusters[0].Name, named, 1))
	}
	return inventory.Parse([]byte(b.String()), workshop, filepath.Dir(workshop))
}
