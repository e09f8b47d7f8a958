package executor

import (
	"context"
	"io"
	"sync"
)

// parallelStream runs several pagers at once — the segments of a parallel
// Scan, the Queries of an IN list, the chunks of a BatchGetItem — on at most
// `workers` goroutines, which hand their pages to the consumer over a
// channel holding one page per worker. A worker blocks when the consumer
// falls behind, so memory stays bounded by about two pages per worker.
// Pages of different pagers interleave in no particular order.
type parallelStream struct {
	ctx    context.Context
	cancel context.CancelFunc
	pages  chan page
	// finished is closed once every worker has returned.
	finished chan struct{}

	mu  sync.Mutex
	err error
}

func startParallel(ctx context.Context, pagers []pager, workers int) *parallelStream {
	ctx, cancel := context.WithCancel(ctx)
	workers = min(workers, len(pagers))
	s := &parallelStream{
		ctx:      ctx,
		cancel:   cancel,
		pages:    make(chan page, workers),
		finished: make(chan struct{}),
	}
	tasks := make(chan pager, len(pagers))
	for _, p := range pagers {
		tasks <- p
	}
	close(tasks)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { s.work(ctx, tasks) })
	}
	go func() {
		wg.Wait()
		close(s.pages)
		close(s.finished)
	}()
	return s
}

// work runs pagers from tasks to their last page.
func (s *parallelStream) work(ctx context.Context, tasks <-chan pager) {
	for p := range tasks {
		for more := true; more; {
			var pg page
			var err error
			pg, more, err = p.next(ctx)
			if err != nil {
				s.fail(err)
				return
			}
			if len(pg.items) == 0 && pg.count == 0 {
				continue
			}
			select {
			case s.pages <- pg:
			case <-ctx.Done():
				return
			}
		}
	}
}

// fail records the first error and stops the other workers.
func (s *parallelStream) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	s.cancel()
}

func (s *parallelStream) firstError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *parallelStream) nextPage() (page, error) {
	if err := s.firstError(); err != nil {
		return page{}, err
	}
	pg, ok := <-s.pages
	if !ok {
		if err := s.firstError(); err != nil {
			return page{}, err
		}
		// Workers stopped by cancellation return without an error of
		// their own; the stream is then cut short, not complete.
		if err := s.ctx.Err(); err != nil {
			return page{}, err
		}
		return page{}, io.EOF
	}
	return pg, nil
}

func (s *parallelStream) close() {
	s.cancel()
	<-s.finished
}
