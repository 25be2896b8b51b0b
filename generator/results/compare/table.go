package compare

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// table is rows of cells rendered either aligned for a terminal or as a
// GitHub Markdown table.
type table struct {
	header []string
	right  []bool // right-align the column (numbers)
	rows   [][]string
}

// writeText pads columns two spaces apart; numbers align on the right.
func (t table) writeText(w io.Writer) error {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range append([][]string{t.header}, t.rows...) {
		cells := make([]string, len(row))
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if t.right[i] {
				cells[i] = pad + c
			} else {
				cells[i] = c + pad
			}
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(strings.Join(cells, "  "), " ")); err != nil {
			return err
		}
	}
	return nil
}

// writeMarkdown writes a GitHub table; pipes in cells are escaped.
func (t table) writeMarkdown(w io.Writer) error {
	align := make([]string, len(t.header))
	for i := range align {
		align[i] = "---"
		if t.right[i] {
			align[i] = "--:"
		}
	}
	for _, row := range append([][]string{t.header, align}, t.rows...) {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		if _, err := fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | ")); err != nil {
			return err
		}
	}
	return nil
}
