.PHONY: test demo build

# Every test, as CI runs them; extra go test flags: make test TESTFLAGS="-run X -v".
test:
	./scripts/test.sh $(TESTFLAGS)

# Load the sample data into the embedded engine (.demo/) and run sample queries.
demo:
	./scripts/demo.sh

build:
	go build -o bin/ddbsql ./cmd/ddbsql
