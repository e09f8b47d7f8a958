package testbackend

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Environment variables read by the harness; see the package documentation.
const (
	envBackends        = "DDBSQL_TEST_BACKENDS"
	envRequire         = "DDBSQL_REQUIRE_BACKENDS"
	envEndpointPrefix  = "DDBSQL_TEST_ENDPOINT_"
	defaultBackendList = DynamoDBLocal + "," + Dynalite + "," + Engine
)

// selected returns the backend names listed in DDBSQL_TEST_BACKENDS, in order
// and without repeats.
func selected() ([]string, error) {
	list := os.Getenv(envBackends)
	if strings.TrimSpace(list) == "" {
		list = defaultBackendList
	}
	return parseBackendList(list)
}

func parseBackendList(list string) ([]string, error) {
	var names []string
	for _, f := range strings.Split(list, ",") {
		name := strings.ToLower(strings.TrimSpace(f))
		if name == "" || slices.Contains(names, name) {
			continue
		}
		if _, ok := kinds[name]; !ok {
			return nil, fmt.Errorf("testbackend: %s names unknown backend %q (known: %s)", envBackends, name, knownNames())
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("testbackend: %s=%q selects no backend (known: %s)", envBackends, list, knownNames())
	}
	return names, nil
}

func knownNames() string {
	names := make([]string, 0, len(kinds))
	for name := range kinds {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// requireBackends reports whether a backend that cannot be started must fail
// the test rather than skip it.
func requireBackends() bool {
	return os.Getenv(envRequire) == "1"
}

// endpointVar is the variable that points the harness at a running server:
// "dynamodb-local" reads DDBSQL_TEST_ENDPOINT_DYNAMODB_LOCAL.
func endpointVar(name string) string {
	return envEndpointPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

func endpointOverride(name string) string {
	return strings.TrimRight(strings.TrimSpace(os.Getenv(endpointVar(name))), "/")
}

// inPrivateNetwork reports whether this process is in a network namespace
// whose only interface is the loopback "lo", and if not, why. The list comes
// from netlink, which answers for the caller's namespace; /sys/class/net is
// not used because it shows the namespace of whoever mounted sysfs.
func inPrivateNetwork() (bool, string) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return false, fmt.Sprintf("cannot list network interfaces: %v", err)
	}
	names := make([]string, 0, len(ifaces))
	for _, ifc := range ifaces {
		names = append(names, ifc.Name)
	}
	return onlyLoopback(names)
}

func onlyLoopback(names []string) (bool, string) {
	if len(names) == 1 && names[0] == "lo" {
		return true, ""
	}
	return false, fmt.Sprintf("this process is not in a private network namespace (interfaces: %s; expected only lo)", strings.Join(names, ", "))
}

// repoRoot walks up from the working directory to the directory holding
// go.mod, where package.json and node_modules live too.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod found above the working directory")
		}
		dir = parent
	}
}
