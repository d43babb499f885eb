package worldspec

import (
	"reflect"

	"go.yaml.in/yaml/v3"
)

// DecodeNode decodes n into v (a pointer) as Load decodes a world file's
// parts: an unknown key, a key given twice or a value of the wrong type
// is a *FieldError with its path (path is n's own) and line. Files that
// hold more than a world (a challenge file) check their other parts with
// it.
func DecodeNode(n *yaml.Node, path string, v any) error {
	c := checker{lines: map[string]int{}}
	if err := c.walk(n, reflect.TypeOf(v).Elem(), path); err != nil {
		return err
	}
	if err := n.Decode(v); err != nil {
		return &FieldError{Path: path, Line: n.Line, Msg: err.Error()}
	}
	return nil
}
