// Package lessons holds Maillab's teaching content: the lessons in
// content/ (one folder each: lesson.yaml plus en.md, de.md, pl.md), the
// explanations of every line, and the interface strings (i18n).
package lessons

import "embed"

// Content is the lesson folders, embedded in the binary.
//
//go:embed all:content
var Content embed.FS
