package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"maillab/lessons/i18n"
)

// newManCmd writes the man pages (maillab.1, maillab-trace.1, …) from the
// same command tree: the Linux packages ship them. Hidden from the help.
func newManCmd(env Env) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  i18n.T(env.Lang, "cli.cmd.man", nil),
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			root.DisableAutoGenTag = true
			err := os.MkdirAll(args[0], 0o755)
			if err == nil {
				err = doc.GenManTree(root, &doc.GenManHeader{Title: "MAILLAB", Section: "1", Source: "Maillab " + env.Version,
					Manual: "Maillab"}, args[0])
			}
			if err != nil {
				fmt.Fprintln(env.Stderr, err)
				return exit(1)
			}
			return nil
		},
	}
}
