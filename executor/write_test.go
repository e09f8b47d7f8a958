package executor

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func avS(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func avN(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

// wantState fails t unless err carries code and message.
func wantState(t *testing.T, err error, code, message string) *sqlerr.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s %q", code, message)
	}
	var e *sqlerr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v carries no SQLSTATE, want %s", err, err, code)
	}
	if e.Code != code || (message != "" && e.Message != message) {
		t.Fatalf("error %s %q, want %s %q", e.Code, e.Message, code, message)
	}
	return e
}

// drain reads every row of r and closes it.
func readAllRows(t *testing.T, r RowIter) []Item {
	t.Helper()
	var rows []Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, it)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestPutInsertGuardsTheKey(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{})
	node := &planner.PutItem{Table: "Orders", KeyAttrs: []string{"customerId", "date"}}
	item := Item{"customerId": avS("c1"), "date": avN("20240101"), "total": avN("5")}
	res, err := e.sendPut(context.Background(), testEnv(), node, item)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "INSERT 0 1" || res.RowsAffected != 1 || res.Rows != nil {
		t.Errorf("result %+v, want tag INSERT 0 1, 1 row affected, no rows", res)
	}
	sameInput(t, api.calls[0].In, &dynamodb.PutItemInput{
		TableName:                aws.String("Orders"),
		Item:                     item,
		ConditionExpression:      aws.String("attribute_not_exists(#k0) AND attribute_not_exists(#k1)"),
		ExpressionAttributeNames: map[string]string{"#k0": "customerId", "#k1": "date"},
		ReturnConsumedCapacity:   types.ReturnConsumedCapacityTotal,
	})
}

func TestPutUpsertReplaces(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{})
	node := &planner.PutItem{Table: "Users", KeyAttrs: []string{"userId"}, Upsert: true}
	item := Item{"userId": avS("u1")}
	if _, err := e.sendPut(context.Background(), testEnv(), node, item); err != nil {
		t.Fatal(err)
	}
	sameInput(t, api.calls[0].In, &dynamodb.PutItemInput{
		TableName:              aws.String("Users"),
		Item:                   item,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
}

func TestPutDuplicateKey(t *testing.T) {
	api := &scriptedAPI{respond: func(string, any) (any, error) {
		return nil, &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
	}}
	e := New(api, Options{})
	node := &planner.PutItem{Table: "Orders", KeyAttrs: []string{"customerId", "date"}}
	_, err := e.sendPut(context.Background(), testEnv(), node,
		Item{"customerId": avS("it's"), "date": avN("7")})
	wantState(t, err, sqlerr.UniqueViolation,
		`duplicate key: an item with key {customerId='it''s', date=7} already exists in "Orders"`)
}

func TestWriteToUnknownTable(t *testing.T) {
	api := &scriptedAPI{respond: func(string, any) (any, error) {
		return nil, apiError("ResourceNotFoundException", "Requested resource not found")
	}}
	e := New(api, Options{})
	_, err := e.sendPut(context.Background(), testEnv(), &planner.PutItem{Table: "Nope", KeyAttrs: []string{"id"}},
		Item{"id": avS("1")})
	wantState(t, err, sqlerr.UndefinedTable, `table "Nope" does not exist`)
	_, err = e.sendDelete(context.Background(), testEnv(), &planner.DeleteItem{Table: "Nope"}, Item{"id": avS("1")}, nil)
	wantState(t, err, sqlerr.UndefinedTable, `table "Nope" does not exist`)
}

func TestUpdateInput(t *testing.T) {
	for _, tc := range []struct {
		returning parser.Returning
		want      types.ReturnValue
	}{
		{parser.ReturnNothing, ""},
		{parser.ReturnAllOld, types.ReturnValueAllOld},
		{parser.ReturnModifiedOld, types.ReturnValueUpdatedOld},
		{parser.ReturnAllNew, types.ReturnValueAllNew},
		{parser.ReturnModifiedNew, types.ReturnValueUpdatedNew},
	} {
		api := &scriptedAPI{}
		e := New(api, Options{})
		node := &planner.UpdateItem{
			Table:     "Users",
			Key:       planner.Key{{Attr: "userId"}},
			Update:    "SET #a0 = :v0",
			Condition: "attribute_exists(#k0)",
			Names:     map[string]string{"#a0": "name", "#k0": "userId"},
			Returning: tc.returning,
		}
		key := Item{"userId": avS("u1")}
		values := Item{":v0": avS("Ann")}
		res, err := e.sendUpdate(context.Background(), testEnv(), node, key, values)
		if err != nil {
			t.Fatal(err)
		}
		sameInput(t, api.calls[0].In, &dynamodb.UpdateItemInput{
			TableName:                 aws.String("Users"),
			Key:                       key,
			UpdateExpression:          aws.String("SET #a0 = :v0"),
			ConditionExpression:       aws.String("attribute_exists(#k0)"),
			ExpressionAttributeNames:  node.Names,
			ExpressionAttributeValues: values,
			ReturnValues:              tc.want,
			ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
		})
		if res.RowsAffected != 1 {
			t.Errorf("RowsAffected %d, want 1", res.RowsAffected)
		}
		if tc.returning == parser.ReturnNothing {
			if res.Tag != "UPDATE 1" || res.Rows != nil {
				t.Errorf("result %+v, want tag UPDATE 1 and no rows", res)
			}
		} else if res.Tag != "UPDATE" || len(readAllRows(t, res.Rows)) != 1 {
			t.Errorf("RETURNING: result %+v, want tag UPDATE and one row", res)
		}
	}
}

func TestUpdateOmitsEmptyMaps(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{})
	node := &planner.UpdateItem{Table: "T", Key: planner.Key{{Attr: "id"}}, Update: "REMOVE a"}
	if _, err := e.sendUpdate(context.Background(), testEnv(), node, Item{"id": avN("1")}, Item{}); err != nil {
		t.Fatal(err)
	}
	sameInput(t, api.calls[0].In, &dynamodb.UpdateItemInput{
		TableName:              aws.String("T"),
		Key:                    Item{"id": avN("1")},
		UpdateExpression:       aws.String("REMOVE a"),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
}

func TestUpdateReturnsAttributes(t *testing.T) {
	newItem := Item{"userId": avS("u1"), "visits": avN("2")}
	api := &scriptedAPI{respond: func(string, any) (any, error) {
		return &dynamodb.UpdateItemOutput{Attributes: newItem}, nil
	}}
	e := New(api, Options{})
	node := &planner.UpdateItem{Table: "Users", Key: planner.Key{{Attr: "userId"}}, Update: "SET visits = visits + :one",
		Returning: parser.ReturnAllNew}
	res, err := e.sendUpdate(context.Background(), testEnv(), node, Item{"userId": avS("u1")}, Item{":one": avN("1")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Columns != nil {
		t.Errorf("Columns %v, want nil (every attribute)", res.Columns)
	}
	rows := readAllRows(t, res.Rows)
	if len(rows) != 1 || !sameItem(rows[0], newItem) {
		t.Errorf("rows %s, want [%s]", jsonText(rows), jsonText(newItem))
	}
}

func sameItem(a, b Item) bool { return jsonText(a) == jsonText(b) }

func TestUpdateConditionFailed(t *testing.T) {
	api := &scriptedAPI{respond: func(string, any) (any, error) {
		return nil, apiError("ConditionalCheckFailedException", "The conditional request failed")
	}}
	e := New(api, Options{})
	node := &planner.UpdateItem{Table: "Orders", Key: planner.Key{{Attr: "customerId"}, {Attr: "date"}}, Update: "SET a = :a"}
	_, err := e.sendUpdate(context.Background(), testEnv(), node, Item{"customerId": avS("c1"), "date": avN("3")}, Item{":a": avN("1")})
	se := wantState(t, err, sqlerr.CheckViolation,
		"UPDATE did not apply: no item with key {customerId='c1', date=3} matches the condition")
	if se.Detail != "ConditionalCheckFailedException" {
		t.Errorf("Detail %q", se.Detail)
	}
}

func TestDelete(t *testing.T) {
	old := Item{"userId": avS("u1"), "name": avS("Ann")}
	for _, tc := range []struct {
		name      string
		found     bool
		returning parser.Returning
		tag       string
		rows      int
		affected  int64
	}{
		{"deleted", true, parser.ReturnNothing, "DELETE 1", -1, 1},
		{"missing", false, parser.ReturnNothing, "DELETE 0", -1, 0},
		{"deleted returning", true, parser.ReturnAllOld, "DELETE", 1, 1},
		{"missing returning", false, parser.ReturnAllOld, "DELETE", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &scriptedAPI{respond: func(string, any) (any, error) {
				if tc.found {
					return &dynamodb.DeleteItemOutput{Attributes: old}, nil
				}
				return &dynamodb.DeleteItemOutput{}, nil
			}}
			e := New(api, Options{})
			node := &planner.DeleteItem{Table: "Users", Key: planner.Key{{Attr: "userId"}}, Returning: tc.returning}
			res, err := e.sendDelete(context.Background(), testEnv(), node, Item{"userId": avS("u1")}, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameInput(t, api.calls[0].In, &dynamodb.DeleteItemInput{
				TableName:              aws.String("Users"),
				Key:                    Item{"userId": avS("u1")},
				ReturnValues:           types.ReturnValueAllOld,
				ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
			})
			if res.Tag != tc.tag || res.RowsAffected != tc.affected {
				t.Errorf("tag %q affected %d, want %q %d", res.Tag, res.RowsAffected, tc.tag, tc.affected)
			}
			if tc.rows < 0 {
				if res.Rows != nil {
					t.Error("rows without RETURNING")
				}
				return
			}
			if got := readAllRows(t, res.Rows); len(got) != tc.rows {
				t.Errorf("%d rows, want %d", len(got), tc.rows)
			}
		})
	}
}

func TestDeleteConditionFailed(t *testing.T) {
	api := &scriptedAPI{respond: func(string, any) (any, error) {
		return nil, apiError("ConditionalCheckFailedException", "The conditional request failed")
	}}
	e := New(api, Options{})
	node := &planner.DeleteItem{Table: "Users", Key: planner.Key{{Attr: "userId"}}, Condition: "#a = :v",
		Names: map[string]string{"#a": "status"}}
	_, err := e.sendDelete(context.Background(), testEnv(), node, Item{"userId": avS("u1")}, Item{":v": avS("x")})
	wantState(t, err, sqlerr.CheckViolation, "DELETE did not apply: no item with key {userId='u1'} matches the condition")
	sameInput(t, api.calls[0].In, &dynamodb.DeleteItemInput{
		TableName:                 aws.String("Users"),
		Key:                       Item{"userId": avS("u1")},
		ConditionExpression:       aws.String("#a = :v"),
		ExpressionAttributeNames:  map[string]string{"#a": "status"},
		ExpressionAttributeValues: Item{":v": avS("x")},
		ReturnValues:              types.ReturnValueAllOld,
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
}

func TestFormatKey(t *testing.T) {
	got := formatKey([]string{"pk", "my key", "b"}, Item{
		"pk":     avS("a'b"),
		"my key": avN("-1.5"),
		"b":      &types.AttributeValueMemberB{Value: []byte{0x0a, 0xff}},
	})
	want := `{pk='a''b', "my key"=-1.5, b='\x0aff'}`
	if got != want {
		t.Errorf("formatKey = %s, want %s", got, want)
	}
}

func TestRunInsertNeedsAMap(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{})
	plan := &planner.Plan{Root: &planner.PutItem{Table: "T", Item: &parser.Param{Index: 0}, KeyAttrs: []string{"id"}}, NumParams: 1}
	_, err := e.Run(context.Background(), plan, []types.AttributeValue{avN("1")})
	wantState(t, err, sqlerr.InvalidParameter, "INSERT needs a map value, got a number (N)")
	if len(api.calls) != 0 {
		t.Errorf("calls %v, want none", api.ops())
	}

	res, err := e.Run(context.Background(), plan, []types.AttributeValue{&types.AttributeValueMemberM{Value: Item{"id": avN("1")}}})
	if err != nil || res.Tag != "INSERT 0 1" {
		t.Fatalf("%v, %v", res, err)
	}
	if got := api.calls[0].In.(*dynamodb.PutItemInput).Item; !sameItem(got, Item{"id": avN("1")}) {
		t.Errorf("item %s", jsonText(got))
	}
}
