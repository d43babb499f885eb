package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"maillab/lessons/i18n"
)

// newServeCmd is browser mode; the work is the app layer's (env.Serve).
func newServeCmd(env Env) *cobra.Command {
	var f ServeFlags
	var lf limitFlags
	var worldFile string
	var cmd *cobra.Command
	cmd = &cobra.Command{
		Use:   "serve",
		Short: i18n.T(env.Lang, "cli.cmd.serve", nil),
		Args:  noArgs(env),
		RunE: func(*cobra.Command, []string) error {
			if !CheckPortBase(f.PortBase, env) || !checkLang(f.Lang, env) {
				return exit(2)
			}
			lim, err := lf.parse(f.Lang)
			if err != nil {
				fmt.Fprintln(env.Stderr, err)
				return exit(2)
			}
			spec, ok := loadWorldFile(worldFile, lim, cmd.Flags().Changed, f.Lang, env)
			if !ok {
				return exit(2)
			}
			f.Limits, f.Spec = lim, spec
			if spec != nil {
				f.Limits = LimitsOf(*spec)
				if !checkThirdPortBase(f.PortBase, *spec, f.Lang, env) {
					return exit(2)
				}
			}
			return exit(env.Serve(f))
		},
	}
	fs := cmd.Flags()
	t := func(key string) string { return i18n.T(env.Lang, key, nil) }
	fs.StringVar(&f.Addr, "addr", "127.0.0.1:8025", t("cli.flag.addr"))
	fs.StringVar(&f.Bind, "bind", "127.0.0.1", t("cli.flag.bind"))
	fs.IntVar(&f.PortBase, "port-base", 10000, t("cli.flag.port-base"))
	fs.StringVar(&f.CAFile, "ca-file", DefaultCAFile(), t("cli.flag.ca-file"))
	langFlag(cmd, &f.Lang, env)
	fs.BoolVar(&f.AllowPlaintextAuth, "allow-plaintext-auth", false, t("cli.flag.allow-plaintext-auth"))
	addLimitFlags(fs, &lf, env.Lang)
	worldFileFlag(fs, &worldFile, env.Lang)
	return cmd
}
