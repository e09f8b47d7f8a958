package executor

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func txParam(i int) parser.Expr { return &parser.Param{Index: i} }

// txWrites prepares an INSERT, an UPDATE and a DELETE.
func txWrites(t *testing.T, e *Executor) []*TxAction {
	t.Helper()
	item := &types.AttributeValueMemberM{Value: Item{"pk": avS("c"), "n": avN("3")}}
	plans := []struct {
		p      *planner.Plan
		params []types.AttributeValue
	}{
		{&planner.Plan{Root: &planner.PutItem{Table: "T", Item: txParam(0), KeyAttrs: []string{"pk"}}, NumParams: 1},
			[]types.AttributeValue{item}},
		{&planner.Plan{Root: &planner.UpdateItem{Table: "T", Key: planner.Key{{Attr: "pk", Value: txParam(0)}},
			Update: "SET #a0 = #a0 + :v0", Condition: "attribute_exists(#k0)",
			Names: map[string]string{"#a0": "n", "#k0": "pk"}, Values: map[string]parser.Expr{":v0": txParam(1)}}, NumParams: 2},
			[]types.AttributeValue{avS("a"), avN("1")}},
		{&planner.Plan{Root: &planner.DeleteItem{Table: "T", Key: planner.Key{{Attr: "pk", Value: txParam(0)}}}, NumParams: 1},
			[]types.AttributeValue{avS("b")}},
	}
	var out []*TxAction
	for i, p := range plans {
		a, err := e.PrepareTx(p.p, p.params, []string{"INSERT ...", "UPDATE ...", "DELETE ..."}[i])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func TestCommitWritesInput(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{})
	actions := txWrites(t, e)
	if tags := []string{actions[0].Tag, actions[1].Tag, actions[2].Tag}; tags[0] != "INSERT (pending)" ||
		tags[1] != "UPDATE (pending)" || tags[2] != "DELETE (pending)" {
		t.Errorf("tags %q", tags)
	}
	res, err := e.CommitWrites(context.Background(), actions, "tok-1")
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "COMMIT" || res.RowsAffected != 3 {
		t.Errorf("result %+v, want COMMIT with 3 rows affected", res)
	}
	sameInput(t, api.calls[0].In, &dynamodb.TransactWriteItemsInput{
		ClientRequestToken:     aws.String("tok-1"),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{
				TableName:                aws.String("T"),
				Item:                     Item{"pk": avS("c"), "n": avN("3")},
				ConditionExpression:      aws.String("attribute_not_exists(#k0)"),
				ExpressionAttributeNames: map[string]string{"#k0": "pk"},
			}},
			{Update: &types.Update{
				TableName:                 aws.String("T"),
				Key:                       Item{"pk": avS("a")},
				UpdateExpression:          aws.String("SET #a0 = #a0 + :v0"),
				ConditionExpression:       aws.String("attribute_exists(#k0)"),
				ExpressionAttributeNames:  map[string]string{"#a0": "n", "#k0": "pk"},
				ExpressionAttributeValues: Item{":v0": avN("1")},
			}},
			{Delete: &types.Delete{
				TableName: aws.String("T"),
				Key:       Item{"pk": avS("b")},
			}},
		},
	})
	// A COMMIT repeated with the same token sends the same request.
	if _, err := e.CommitWrites(context.Background(), actions, "tok-1"); err != nil {
		t.Fatal(err)
	}
	sameInput(t, api.calls[1].In, api.calls[0].In)
}

func TestCommitWritesReasons(t *testing.T) {
	reasons := func(codes ...string) error {
		r := make([]types.CancellationReason, len(codes))
		for i, c := range codes {
			r[i] = types.CancellationReason{Code: aws.String(c)}
		}
		return &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: r}
	}
	for _, tc := range []struct {
		err           error
		code, message string
	}{
		{reasons("None", "ConditionalCheckFailed", "None"), sqlerr.CheckViolation,
			"transaction canceled, nothing applied: pending statement 2 did not apply: its item does not match the condition"},
		{reasons("ConditionalCheckFailed", "None", "None"), sqlerr.UniqueViolation,
			`transaction canceled, nothing applied: pending statement 1: duplicate key: an item with key {pk='c'} already exists in "T"`},
		{reasons("None", "None", "TransactionConflict"), sqlerr.SerializationFailure,
			"transaction canceled, nothing applied: pending statement 3 conflicts with another transaction on the same item"},
		{apiError("ValidationException", "bad"), sqlerr.InvalidParameter, "DynamoDB rejected the request: bad"},
	} {
		api := &scriptedAPI{respond: func(string, any) (any, error) { return nil, tc.err }}
		e := New(api, Options{})
		_, err := e.CommitWrites(context.Background(), txWrites(t, e), "tok")
		se := wantState(t, err, tc.code, tc.message)
		if tc.code != sqlerr.InvalidParameter && se.Detail == "" {
			t.Errorf("%s: no detail naming the statement", tc.code)
		}
	}
}

// txSession answers the session functions as a session named "app_owner"
// with application_name set would.
type txSession struct{}

func (txSession) Get(name string) (string, error) {
	if name == "application_name" {
		return "billing", nil
	}
	return "", sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
}
func (txSession) SetConfig(string, string, bool) (string, error) { return "", nil }
func (txSession) User() string                                   { return "app_owner" }
func (txSession) Database() string                               { return "db" }
func (txSession) BackendPID() int32                              { return 7 }

// TestPrepareTxSessionFunctions checks that a transaction's writes are
// evaluated with the session, as statements run at once are: current_user
// and current_setting() give the session's answers, not defaults.
func TestPrepareTxSessionFunctions(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{Session: txSession{}})
	item := &parser.MapExpr{Entries: []parser.MapEntry{
		{Key: "pk", Value: &parser.FuncCall{Name: "current_user", NoParens: true}},
		{Key: "app", Value: &parser.FuncCall{Name: "current_setting", Args: []parser.Expr{xStr("application_name")}}},
	}}
	a, err := e.PrepareTx(&planner.Plan{Tag: "INSERT", Root: &planner.PutItem{Table: "T", Item: item, KeyAttrs: []string{"pk"}}}, nil, "INSERT ...")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.CommitWrites(context.Background(), []*TxAction{a}, "tok"); err != nil {
		t.Fatal(err)
	}
	put := api.calls[0].In.(*dynamodb.TransactWriteItemsInput).TransactItems[0].Put
	sameInput(t, put.Item, Item{"pk": avS("app_owner"), "app": avS("billing")})
	if a.Target != `{pk='app_owner'} in "T"` {
		t.Errorf("target %s", a.Target)
	}
}

func TestPrepareTxRefuses(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{})
	for _, p := range []*planner.Plan{
		{Tag: "INSERT", Root: &planner.PutItems{Table: "T"}},
		{Tag: "UPDATE", Root: &planner.WriteEach{}},
		{Tag: "UPDATE", Root: &planner.UpdateItem{Table: "T", Returning: parser.ReturnAllNew}},
		{Tag: "DELETE", Root: &planner.DeleteItem{Table: "T", Returning: parser.ReturnAllOld}},
		{Tag: "CREATE TABLE", Root: &planner.CreateTable{}},
		{Tag: "COPY", Root: &planner.CopyFrom{}},
		// Reads run at once, never through a transaction.
		{Tag: "SELECT", Root: &planner.Read{Path: planner.GetItem, Table: "T"}},
	} {
		_, err := e.PrepareTx(p, nil, "x")
		wantState(t, err, sqlerr.FeatureNotSupported, "")
	}
	if len(api.calls) != 0 {
		t.Errorf("refused statements made calls: %v", api.calls)
	}
	many := make([]*TxAction, MaxTransactionActions+1)
	_, err := e.CommitWrites(context.Background(), many, "t")
	wantState(t, err, sqlerr.ProgramLimitExceeded, "")
}

// TestCommitRetrySameToken sends a transaction through the real SDK client
// to a server that fails the first attempt: the retry carries the same
// ClientRequestToken, so DynamoDB would apply it once.
func TestCommitRetrySameToken(t *testing.T) {
	var (
		mu     sync.Mutex
		tokens []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var in struct{ ClientRequestToken string }
		_ = json.Unmarshal(body, &in)
		mu.Lock()
		tokens = append(tokens, in.ClientRequestToken)
		n := len(tokens)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"try again"}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	client, err := NewClient(context.Background(), ClientConfig{Endpoint: srv.URL, MaxAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	e := New(client, Options{})
	if _, err := e.CommitWrites(context.Background(), txWrites(t, e), "tok-retry"); err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 2 || tokens[0] != "tok-retry" || tokens[1] != "tok-retry" {
		t.Errorf("tokens sent %q, want tok-retry twice", tokens)
	}
}

func TestConditionCheckInTransaction(t *testing.T) {
	api := &scriptedAPI{respond: func(string, any) (any, error) {
		return nil, &types.TransactionCanceledException{CancellationReasons: []types.CancellationReason{
			{Code: aws.String("ConditionalCheckFailed")}, {Code: aws.String("None")}}}
	}}
	e := New(api, Options{})
	check := &planner.Plan{Tag: "EXISTS", Root: &planner.ConditionCheck{Table: "T", Key: planner.Key{{Attr: "pk", Value: txParam(0)}},
		Condition: "attribute_exists(#n0) AND #n1 > :v0", Names: map[string]string{"#n0": "pk", "#n1": "n"},
		Values: map[string]parser.Expr{":v0": txParam(1)}}, NumParams: 2}
	a, err := e.PrepareTx(check, []types.AttributeValue{avS("a"), avN("5")}, "EXISTS(...)")
	if err != nil {
		t.Fatal(err)
	}
	if a.Tag != "EXISTS (pending)" {
		t.Fatalf("action %+v, want a pending check", a)
	}
	actions := append([]*TxAction{a}, txWrites(t, e)[1])
	_, err = e.CommitWrites(context.Background(), actions, "tok")
	wantState(t, err, sqlerr.CheckViolation, "transaction canceled, nothing applied: pending statement 1: EXISTS found no item matching the condition")
	in := api.calls[0].In.(*dynamodb.TransactWriteItemsInput)
	sameInput(t, in.TransactItems[0].ConditionCheck, &types.ConditionCheck{
		TableName:                 aws.String("T"),
		Key:                       Item{"pk": avS("a")},
		ConditionExpression:       aws.String("attribute_exists(#n0) AND #n1 > :v0"),
		ExpressionAttributeNames:  map[string]string{"#n0": "pk", "#n1": "n"},
		ExpressionAttributeValues: Item{":v0": avN("5")},
	})
	// Outside a transaction the check is refused.
	_, err = e.Run(context.Background(), check, []types.AttributeValue{avS("a"), avN("5")})
	wantState(t, err, sqlerr.FeatureNotSupported, "")
}

func TestNotExistsCheckInTransaction(t *testing.T) {
	api := &scriptedAPI{respond: func(string, any) (any, error) {
		return nil, &types.TransactionCanceledException{CancellationReasons: []types.CancellationReason{
			{Code: aws.String("None")}, {Code: aws.String("ConditionalCheckFailed")}}}
	}}
	e := New(api, Options{})
	check := &planner.Plan{Tag: "NOT EXISTS", Root: &planner.ConditionCheck{Table: "T", Key: planner.Key{{Attr: "pk", Value: txParam(0)}},
		Condition: "attribute_not_exists(#n0) OR (NOT (#n1 > :v0))", Names: map[string]string{"#n0": "pk", "#n1": "n"},
		Values: map[string]parser.Expr{":v0": txParam(1)}, Not: true}, NumParams: 2}
	a, err := e.PrepareTx(check, []types.AttributeValue{avS("a"), avN("5")}, "NOT EXISTS(...)")
	if err != nil {
		t.Fatal(err)
	}
	if a.Tag != "NOT EXISTS (pending)" {
		t.Fatalf("action %+v, want a pending NOT EXISTS check", a)
	}
	actions := append([]*TxAction{txWrites(t, e)[1]}, a)
	_, err = e.CommitWrites(context.Background(), actions, "tok")
	wantState(t, err, sqlerr.CheckViolation, "transaction canceled, nothing applied: pending statement 2: NOT EXISTS found an item matching the condition")
	in := api.calls[0].In.(*dynamodb.TransactWriteItemsInput)
	sameInput(t, in.TransactItems[1].ConditionCheck, &types.ConditionCheck{
		TableName:                 aws.String("T"),
		Key:                       Item{"pk": avS("a")},
		ConditionExpression:       aws.String("attribute_not_exists(#n0) OR (NOT (#n1 > :v0))"),
		ExpressionAttributeNames:  map[string]string{"#n0": "pk", "#n1": "n"},
		ExpressionAttributeValues: Item{":v0": avN("5")},
	})
}
