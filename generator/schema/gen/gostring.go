package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
)

// goStringEntry returns the string value of key in the first map literal of
// a Go file, such as KubeVirt's CRDsValidation["virtualmachine"].
func goStringEntry(file string, src []byte, key string) ([]byte, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, src, 0)
	if err != nil {
		return nil, err
	}
	var value string
	var found bool
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok || found {
			return !found
		}
		if k, ok := kv.Key.(*ast.BasicLit); ok && k.Kind == token.STRING && unquote(k.Value) == key {
			if v, ok := kv.Value.(*ast.BasicLit); ok && v.Kind == token.STRING {
				value, found = unquote(v.Value), true
			}
		}
		return !found
	})
	if !found {
		return nil, fmt.Errorf("%s: no string entry %q", file, key)
	}
	return []byte(value), nil
}

func unquote(lit string) string {
	s, err := strconv.Unquote(lit)
	if err != nil {
		return ""
	}
	return s
}
