package lesson

import "fmt"

// List returns the lessons of lang in menu order.
func (c *Catalog) List(lang string) []Summary {
	out := []Summary{}
	for _, id := range c.order {
		l := c.byLang[lang][id]
		out = append(out, Summary{ID: l.ID, Number: l.Number, Scenario: l.Scenario, Title: l.Title, Summary: l.Summary})
	}
	return out
}

// Get returns one lesson in lang.
func (c *Catalog) Get(id, lang string) (Lesson, error) {
	m, ok := c.byLang[lang]
	if !ok {
		return Lesson{}, fmt.Errorf("unknown language %q", lang)
	}
	l, ok := m[id]
	if !ok {
		return Lesson{}, fmt.Errorf("unknown lesson %q", id)
	}
	return l, nil
}

// IDs lists the lesson ids in menu order.
func (c *Catalog) IDs() []string { return append([]string(nil), c.order...) }
