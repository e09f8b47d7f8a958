.PHONY: test demo build

# Every test, as CI runs them; extra go test flags: make test TESTFLAGS="-run X -v".
test:
	./scripts/test.sh $(TESTFLAGS)

# Start a local DynamoDB (dynalite on 127.0.0.1:8000), load the sample data, run sample queries.
demo:
	./scripts/demo.sh

build:
	go build -o bin/ddbsql ./cmd/ddbsql
