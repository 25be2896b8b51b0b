package schema

import (
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	sigsjson "sigs.k8s.io/json"
)

// strictFieldError matches the strict errors of sigs.k8s.io/json (the
// decoder the API server uses): `unknown field "spec.x"`, `duplicate field "y"`.
var strictFieldError = regexp.MustCompile(`^(unknown|duplicate) field "(.*)"$`)

// strictDecode decodes JSON into a Go type the way the API server does under
// strict field validation: case-sensitive, unknown and duplicate fields are
// errors. Paths in the errors are prefixed with base. Unknown and duplicate
// fields leave the rest of the object decoded; ok is false when the object
// could not be decoded at all (a wrong type).
func strictDecode(data []byte, into any, base *field.Path) (errs field.ErrorList, ok bool) {
	strict, err := sigsjson.UnmarshalStrict(data, into, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return field.ErrorList{field.Invalid(base, "", strings.TrimPrefix(err.Error(), "json: "))}, false
	}
	for _, e := range strict {
		m := strictFieldError.FindStringSubmatch(e.Error())
		if m == nil {
			errs = append(errs, field.Invalid(base, "", e.Error()))
			continue
		}
		p := join(base, m[2])
		if m[1] == "unknown" {
			errs = append(errs, field.Forbidden(p, unknownFieldDetail))
		} else {
			errs = append(errs, field.Duplicate(p, "set twice"))
		}
	}
	return errs, true
}

// join appends a dotted path to base.
func join(base *field.Path, dotted string) *field.Path {
	if base == nil {
		return pathOf(dotted)
	}
	for _, part := range strings.Split(dotted, ".") {
		base = base.Child(part)
	}
	return base
}
