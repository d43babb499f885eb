package worldspec

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaxFileBytes bounds a world file (mailboxes included).
const MaxFileBytes = 16 << 20

// FieldError is what is wrong with one field of a world: its path as the
// file spells it (providers[1].accounts[0].address) and, when it came
// from a file, the line.
type FieldError struct {
	Path string
	Line int // 0: not from a file
	Msg  string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	return b.String()
}

// ErrVersion is wrapped by the error for a file of another format version.
var ErrVersion = errors.New("unsupported world-file version")

// Load reads a world file: YAML with "maillab-world: 1" and only the
// fields this version knows. A key it does not know, a value of the
// wrong type or a world that is not valid (Validate) is an error that
// names the field and its line; several problems are joined
// (errors.Join), each a *FieldError.
func Load(r io.Reader) (Spec, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return Spec{}, err
	}
	if len(data) > MaxFileBytes {
		return Spec{}, &FieldError{Msg: fmt.Sprintf("the file is larger than %s, more than a world file needs", FormatSize(MaxFileBytes))}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Spec{}, &FieldError{Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return Spec{}, &FieldError{Msg: "the file is empty; a world file starts with \"" + VersionKey + ": 1\""}
	}
	return LoadNode(doc.Content[0])
}

// LoadNode reads a world file already parsed as YAML: root is its top
// mapping, which may sit inside a larger file (a challenge file embeds a
// world), so the lines in the errors are the larger file's.
func LoadNode(root *yaml.Node) (Spec, error) {
	if err := checkVersion(root); err != nil {
		return Spec{}, err
	}
	c := checker{lines: map[string]int{}}
	if err := c.walk(root, reflect.TypeFor[Spec](), ""); err != nil {
		return Spec{}, err
	}
	var s Spec
	if err := root.Decode(&s); err != nil { // the walk found every problem Decode could
		return Spec{}, &FieldError{Msg: err.Error()}
	}
	if err := s.validate(c.lines); err != nil {
		return Spec{}, err
	}
	return s, nil
}

// LoadFile reads the world file at path.
func LoadFile(path string) (Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return Spec{}, err
	}
	defer f.Close()
	return Load(f)
}

func checkVersion(root *yaml.Node) error {
	if root.Kind != yaml.MappingNode {
		return &FieldError{Line: root.Line, Msg: "not a Maillab world file: it must be keys and values, starting with \"" + VersionKey + ": 1\""}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != VersionKey {
			continue
		}
		v := root.Content[i+1]
		n, err := strconv.Atoi(v.Value)
		switch {
		case v.Kind != yaml.ScalarNode || err != nil:
			return &FieldError{Path: VersionKey, Line: v.Line, Msg: fmt.Sprintf("%q is not a version number (this Maillab reads version %d)", v.Value, Version)}
		case n > Version:
			return &FieldError{Path: VersionKey, Line: v.Line, Msg: fmt.Sprintf("%v %d: the file was written for a newer Maillab; this one reads version %d",
				ErrVersion, n, Version)}
		case n != Version:
			return &FieldError{Path: VersionKey, Line: v.Line, Msg: fmt.Sprintf("%v %d: this Maillab reads version %d", ErrVersion, n, Version)}
		}
		return nil
	}
	return &FieldError{Line: root.Line, Msg: "not a Maillab world file: the line \"" + VersionKey + ": 1\" is missing"}
}

// Unwrap lets errors.Is(err, ErrVersion) find a version error.
func (e *FieldError) Unwrap() error {
	if strings.HasPrefix(e.Msg, ErrVersion.Error()) {
		return ErrVersion
	}
	return nil
}

// checker walks the YAML tree beside the Go type, so that an unknown key
// or a wrong type is reported with its path, and remembers each path's
// line for the validation that follows.
type checker struct {
	lines  map[string]int
	visits int // values looked at, aliases counted each time they are used
}

// maxValues bounds the values a file may hold, aliases (*name) expanded:
// a few aliases must not make the check run for hours.
const maxValues = 100_000

var (
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	timeType        = reflect.TypeFor[time.Time]()
)

func (c *checker) walk(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if c.visits++; c.visits > maxValues {
		return &FieldError{Path: path, Line: n.Line, Msg: "the file holds more than 100000 values (aliases counted each time they are used)"}
	}
	c.lines[path] = n.Line
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	bad := func(msg string) error { return &FieldError{Path: path, Line: n.Line, Msg: msg} }
	if reflect.PointerTo(t).Implements(unmarshalerType) || t == timeType {
		if n.Kind != yaml.ScalarNode {
			return bad("must be a single value, not a list or a set of keys")
		}
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			if t == timeType {
				return bad(fmt.Sprintf("%q is not a date and time (write 2026-03-01T09:30:00Z)", n.Value))
			}
			return bad(err.Error())
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return c.walk(n, t.Elem(), path)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return bad("must be a set of keys (name: value), not " + describeNode(n))
		}
		fields, names := yamlFields(t)
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			sub := join(path, key)
			if first, dup := seen[key]; dup {
				return &FieldError{Path: sub, Line: k.Line, Msg: fmt.Sprintf("given twice (first on line %d)", first)}
			}
			seen[key] = k.Line
			f, ok := fields[key]
			if !ok {
				where := path
				if where == "" {
					where = "the top level"
				}
				return &FieldError{Path: sub, Line: k.Line, Msg: fmt.Sprintf("unknown field %q in %s (known: %s)",
					key, where, strings.Join(names, ", "))}
			}
			if err := c.walk(v, f.Type, sub); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return bad("must be a list (one \"- \" line per item), not " + describeNode(n))
		}
		for i, e := range n.Content {
			if err := c.walk(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return bad("must be a single value, not " + describeNode(n))
	}
	if err := n.Decode(reflect.New(t).Interface()); err != nil {
		switch t.Kind() {
		case reflect.Bool:
			return bad(fmt.Sprintf("%q is not true or false", n.Value))
		case reflect.Int, reflect.Int64:
			return bad(fmt.Sprintf("%q is not a whole number", n.Value))
		}
		return bad(fmt.Sprintf("%q is not a %s", n.Value, t.Kind()))
	}
	return nil
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a set of keys"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

// yamlFields maps a struct's YAML keys to its fields; names in order.
func yamlFields(t reflect.Type) (map[string]reflect.StructField, []string) {
	fields := map[string]reflect.StructField{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f
		names = append(names, name)
	}
	return fields, names
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// header opens every saved file.
const header = `Maillab world file: the providers, their accounts and servers' policy,
the devices, the limits and (optionally) mail already in the mailboxes.
Open it with "maillab world --world FILE" or "maillab serve --world FILE".
Sizes: 2000, 512KiB, 50MiB or none; durations: 500ms, 2s, 1m.`

// comments explain the keys where they first appear (paths without indices).
var comments = map[string]string{
	"providers":                       "Each provider runs smtp.<domain> (MSA, 587/465), mx.<domain> (MX, 25),\nmda.<domain> (LMTP) and mail.<domain> (POP3 110/995, IMAP 143/993).",
	"providers.policy.plaintext-auth": "true: 587, 110 and 143 take a password before STARTTLS (unsafe).",
	"providers.policy.auth-checks":    "The MX checks SPF, DKIM and DMARC of incoming mail.",
	"providers.policy.mx-size-limit":  "The SIZE the MX announces (RFC 1870); bigger mail gets 552.",
	"providers.policy.mailbox-quota":  "Storage of each account; a full mailbox refuses mail (552 5.2.2).",
	"providers.accounts.quota":        "This account's storage (left out: the provider's mailbox-quota).",
	"providers.policy.starttls-on-25": "STARTTLS on the MX: offered, required (530 before it) or off.",
	"providers.policy.outgoing-tls":   "Sending MTA: opportunistic (clear text if no STARTTLS) or required (defer).",
	"providers.policy.greylisting":    "The MX answers a new (IP, sender, recipient) 450 once (RFC 6647).",
	"providers.policy.greylist-delay": "How long a greylisted sender must wait before its retry is accepted.",
	"providers.policy.queue-lifetime": "How long the sending MTA retries deferred mail before it bounces it (5d).",
	"providers.policy.relay-networks": "Client networks the MX relays for (CIDR); 0.0.0.0/0 is an open relay.",
	"providers.policy.down":           "Servers taken off the network: mx, submission, mailbox.",
	"devices":                         "The mail clients: protocol pop3 or imap, security starttls, implicit or plain.",
	"devices.leave-on-server":         "POP3 only: keep a copy on the server after downloading.",
	"devices.delete-after-days":       "POP3 with leave-on-server: delete from the server after so many days.",
	"limits":                          "Every server's limits; a key left out keeps the default.",
	"limits.session-timeout":          "Left out: SMTP 5m, POP3 10m, IMAP 30m after login.",
	"mailboxes":                       "Mail already stored when the world starts; raw is the RFC 5322 text.",
}

// Save writes s as a world file: the version line first, comments on the
// keys, each stored message as a literal block.
func Save(w io.Writer, s Spec) error {
	s = s.Clone()
	s.Version = Version
	for i := range s.Mailboxes {
		for j := range s.Mailboxes[i].Messages {
			m := &s.Mailboxes[i].Messages[j]
			m.Raw = strings.ReplaceAll(m.Raw, "\r\n", "\n")
		}
	}
	var root yaml.Node
	if err := root.Encode(s); err != nil {
		return err
	}
	root.HeadComment = header
	annotate(&root, "", map[string]bool{})
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return err
	}
	return enc.Close()
}

// annotate puts each key's comment on its first occurrence and makes
// multi-line values literal blocks.
func annotate(n *yaml.Node, path string, done map[string]bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			if c, ok := comments[p]; ok && !done[p] {
				k.HeadComment, done[p] = c, true
			}
			if v.Kind == yaml.ScalarNode && strings.Contains(v.Value, "\n") {
				v.Style = yaml.LiteralStyle
			}
			annotate(v, p, done)
		}
	case yaml.SequenceNode:
		for _, e := range n.Content {
			annotate(e, path, done)
		}
	}
}

// Marshal is Save into a string.
func Marshal(s Spec) (string, error) {
	var b strings.Builder
	if err := Save(&b, s); err != nil {
		return "", err
	}
	return b.String(), nil
}
