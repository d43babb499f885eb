package imap

import (
	"slices"
	"strconv"

	goimap "github.com/emersion/go-imap/v2"
)

// node is a container of RFC 5256 §3 (REFERENCES): a message, or a dummy (msg nil)
// standing for a message that is referenced but not in the mailbox.
type node struct {
	msg      *threadMsg
	parent   *node
	children []*node
}

func (n *node) link(child *node) {
	child.parent = n
	n.children = append(n.children, child)
}

func (n *node) unlink() {
	if p := n.parent; p != nil {
		p.children = slices.DeleteFunc(p.children, func(c *node) bool { return c == n })
		n.parent = nil
	}
}

// above tells whether n is a or one of a's ancestors: linking a under n
// would then make a loop.
func (n *node) above(a *node) bool {
	for ; a != nil; a = a.parent {
		if a == n {
			return true
		}
	}
	return false
}

// first is the message that stands for a node when sorting or taking the
// thread subject: its own, or a dummy's first child's (REFERENCES steps 4–6).
func (n *node) first() *threadMsg {
	for n.msg == nil && len(n.children) > 0 {
		n = n.children[0]
	}
	return n.msg
}

func compareNodes(a, b *node) int { return a.first().compare(b.first()) }

// references is THREAD=REFERENCES (RFC 5256 §3), steps 1–6.
func references(msgs []*threadMsg) []goimap.ThreadData {
	roots := prune(linkAll(msgs), true) // steps 1–3
	for _, r := range roots {           // step 4
		slices.SortStableFunc(r.children, compareNodes)
	}
	slices.SortStableFunc(roots, compareNodes)
	roots = mergeSubjects(roots) // step 5
	sortTree(roots)              // step 6
	out := make([]goimap.ThreadData, len(roots))
	for i, r := range roots {
		out[i] = threadData(r)
	}
	return out
}

// linkAll is step 1 (parent/child links from Message-ID, References and
// In-Reply-To) and step 2 (the messages without a parent).
func linkAll(msgs []*threadMsg) []*node {
	ids := map[string]*node{}
	var order []*node
	get := func(id string) *node {
		n, ok := ids[id]
		if !ok {
			n = &node{}
			ids[id] = n
			order = append(order, n)
		}
		return n
	}
	for _, m := range msgs {
		id := m.id
		if id == "" || (ids[id] != nil && ids[id].msg != nil) {
			// No Message-ID, or a duplicate: a unique one of its own (step 1).
			id = "\x00" + strconv.FormatUint(uint64(m.seq), 10)
		}
		n := get(id)
		n.msg = m
		for i := 1; i < len(m.refs); i++ { // step 1.A
			parent, child := get(m.refs[i-1]), get(m.refs[i])
			if child.parent == nil && !child.above(parent) {
				parent.link(child)
			}
		}
		n.unlink() // step 1.B: the last reference is the parent
		if len(m.refs) > 0 {
			if parent := get(m.refs[len(m.refs)-1]); !n.above(parent) {
				parent.link(n)
			}
		}
	}
	var roots []*node
	for _, n := range order {
		if n.parent == nil {
			roots = append(roots, n)
		}
	}
	return roots
}

// prune is step 3: a dummy without children goes; a dummy with children
// gives them to its parent, except at the top where it stays if it has
// more than one.
func prune(list []*node, top bool) []*node {
	var out []*node
	for _, n := range list {
		n.children = prune(n.children, false)
		switch {
		case n.msg != nil || (top && len(n.children) > 1):
			out = append(out, n)
		default:
			for _, c := range n.children {
				c.parent = n.parent
			}
			out = append(out, n.children...)
		}
	}
	return out
}

// mergeSubjects is step 5: top-level threads with the same base subject
// are gathered under one.
func mergeSubjects(roots []*node) []*node {
	table := map[string]*node{} // 5.A
	for _, r := range roots {   // 5.B
		subj := r.first().subject
		if subj == "" {
			continue
		}
		old, ok := table[subj]
		if !ok || (old.msg != nil && (r.msg == nil || (old.msg.reply && !r.msg.reply))) {
			table[subj] = r
		}
	}
	var out []*node
	for _, r := range roots { // 5.C
		subj := r.first().subject
		t := table[subj]
		if subj == "" || t == r {
			out = append(out, r)
			continue
		}
		switch {
		case t.msg == nil && r.msg == nil:
			for _, c := range r.children {
				t.link(c)
			}
		case t.msg == nil, r.msg.reply && !t.msg.reply:
			t.link(r)
		default:
			// A new dummy takes t's place and holds both: t moves into
			// a fresh node, t itself becomes the dummy.
			moved := &node{msg: t.msg, children: t.children}
			for _, c := range moved.children {
				c.parent = moved
			}
			t.msg, t.children = nil, nil
			t.link(moved)
			t.link(r)
		}
	}
	return out
}

// sortTree is step 6: every set of siblings by sent date, children
// before their parents so a dummy sorts by its first child.
func sortTree(list []*node) {
	for _, n := range list {
		sortTree(n.children)
	}
	slices.SortStableFunc(list, compareNodes)
}

// threadData writes a thread as the response's nested lists: a chain of
// only children, then one list per branch.
func threadData(n *node) goimap.ThreadData {
	var t goimap.ThreadData
	if n.msg == nil && len(n.children) == 1 {
		n = n.children[0]
	}
	if n.msg != nil {
		t.Chain = append(t.Chain, n.msg.num)
		for len(n.children) == 1 && n.children[0].msg != nil {
			n = n.children[0]
			t.Chain = append(t.Chain, n.msg.num)
		}
	}
	for _, c := range n.children {
		t.SubThreads = append(t.SubThreads, threadData(c))
	}
	return t
}
