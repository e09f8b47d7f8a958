package repl

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// defaultWatchInterval is \watch's interval when none is given, as in psql.
const defaultWatchInterval = 2 * time.Second

// metaWatch is \watch [SECONDS] [c=COUNT]: the last statement again every
// SECONDS, each run under a header with the statement and the time, until
// Ctrl-C, COUNT runs, or a run fails.
func (s *Script) metaWatch(ctx context.Context, m *metaCall) error {
	interval, count, err := watchArgs(m.args)
	if err != nil {
		return err
	}
	if s.last == "" {
		return sqlerr.New(sqlerr.InvalidParameter, `\watch has no statement to run`).
			WithHint(`run a statement first; \watch repeats the last one`)
	}
	stmt := s.last
	if s.Terminal != nil && s.Terminal.Pager != "" {
		// Each run is shown as it comes, as psql does, not held in a pager.
		saved, direct := s.Terminal, *s.Terminal
		direct.Pager = ""
		s.Terminal = &direct
		defer func() { s.Terminal = saved }()
	}
	header := strings.Join(strings.Fields(stmt), " ")
	every := strconv.FormatFloat(interval.Seconds(), 'g', -1, 64) + "s"
	for n := 0; count == 0 || n < count; n++ {
		if n > 0 {
			select {
			case <-ctx.Done():
				return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled)
			case <-time.After(interval):
			}
		}
		fmt.Fprintf(s.output(), "%s  %s (every %s)\n\n", header, time.Now().Format(time.ANSIC), every)
		failures := s.failures
		err := s.runChunk(ctx, m.name, parser.Chunk{Text: stmt, Pos: parser.Pos{Line: 1, Column: 1}})
		if err != nil {
			if sqlerr.Code(err) == sqlerr.QueryCanceled {
				return err
			}
			return scriptStop{err} // reported already
		}
		if s.failures > failures {
			return nil // reported already; a failing statement is not watched
		}
		fmt.Fprintln(s.output())
	}
	return nil
}

// watchArgs reads \watch's arguments: the interval in seconds (bare or as
// i=/interval=) and the number of runs (c=/count=, 0: until Ctrl-C).
func watchArgs(args []string) (interval time.Duration, count int, err error) {
	interval = defaultWatchInterval
	for _, arg := range args {
		name, value, named := strings.Cut(arg, "=")
		if !named {
			name, value = "interval", arg
		}
		switch strings.ToLower(name) {
		case "i", "interval":
			secs, perr := strconv.ParseFloat(value, 64)
			if perr != nil || secs <= 0 || secs > 1e6 {
				return 0, 0, sqlerr.New(sqlerr.InvalidParameter, `\watch: invalid interval %q: want a number of seconds`, value)
			}
			interval = time.Duration(secs * float64(time.Second))
		case "c", "count":
			n, perr := strconv.Atoi(value)
			if perr != nil || n < 1 {
				return 0, 0, sqlerr.New(sqlerr.InvalidParameter, `\watch: invalid count %q: want a number of runs`, value)
			}
			count = n
		default:
			return 0, 0, sqlerr.New(sqlerr.SyntaxError, `\watch: unknown option %q`, arg).
				WithHint(`\watch [SECONDS] [c=COUNT]`)
		}
	}
	return interval, count, nil
}
