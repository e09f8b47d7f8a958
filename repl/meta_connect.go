package repl

import (
	"context"
	"fmt"
	"strings"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// metaConnect is \c [--endpoint URL] [--region R] [--profile P] or \c URL:
// a new session on another endpoint, region or profile, with the parts not
// named kept and the settings carried over. When the new endpoint does not
// answer, the current session stays.
func (s *Script) metaConnect(ctx context.Context, m *metaCall) error {
	if s.Connect == nil {
		return sqlerr.New(sqlerr.InvalidParameter, `\c is not available here`)
	}
	to, err := connectArgs(s.Connection, m.args)
	if err != nil {
		return err
	}
	sess, info, err := s.Connect(ctx, to)
	if err != nil {
		e := sqlerr.As(err)
		if e.Hint == "" && s.ConnInfo != "" {
			e.Hint = "still " + s.ConnInfo
		}
		return e
	}
	for name, value := range s.Session.Settings() {
		if err := sess.Set(name, value); err != nil {
			return err
		}
	}
	s.Session, s.Connection, s.ConnInfo = sess, to, info
	fmt.Fprintf(s.output(), "You are now %s.\n", info)
	return nil
}

// connectArgs applies \c's arguments to the current connection: flags
// --endpoint, --region and --profile (also with one dash or NAME=VALUE),
// or one endpoint URL.
func connectArgs(cur Connection, args []string) (Connection, error) {
	usage := func(format string, a ...any) error {
		return sqlerr.New(sqlerr.SyntaxError, format, a...).
			WithHint(`\c [--endpoint URL] [--region REGION] [--profile PROFILE], or \c URL`)
	}
	positional := 0
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") {
			if positional++; positional > 1 {
				return cur, usage(`\c takes one endpoint URL; %q is one too many`, arg)
			}
			cur.Endpoint = arg
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !hasValue {
			if i+1 >= len(args) {
				return cur, usage(`\c %s needs a value`, arg)
			}
			i++
			value = args[i]
		}
		switch name {
		case "endpoint":
			cur.Endpoint = value
		case "region":
			cur.Region = value
		case "profile":
			cur.Profile = value
		default:
			return cur, usage(`\c: unknown option %q`, arg)
		}
	}
	return cur, nil
}
