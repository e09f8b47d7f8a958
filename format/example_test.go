package format_test

import (
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/format"
)

func exampleItems() []format.Item {
	return []format.Item{
		{"pk": &types.AttributeValueMemberS{Value: "a"},
			"qty":  &types.AttributeValueMemberN{Value: "1.50"},
			"note": &types.AttributeValueMemberNULL{Value: true}},
		{"pk": &types.AttributeValueMemberS{Value: "b"},
			"qty":  &types.AttributeValueMemberN{Value: "12"},
			"tags": &types.AttributeValueMemberSS{Value: []string{"new", "sale"}}},
	}
}

func render(name string, opts format.Options) {
	w, err := format.New(name, os.Stdout, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	w.Begin(nil, []string{"pk"})
	for _, it := range exampleItems() {
		w.Row(it)
	}
	w.End()
}

func ExampleNew() {
	render("table", format.NewOptions())
	// Output:
	//  pk | note | qty  |       tags
	// ----+------+------+-------------------
	//  a  | NULL | 1.50 |
	//  b  |      |   12 | <<'new', 'sale'>>
	// (2 rows)
}

func ExampleNew_expanded() {
	opts := format.NewOptions()
	opts.Expanded = true
	render("table", opts)
	// Output:
	// -[ RECORD 1 ]-----------
	// pk   | a
	// note | NULL
	// qty  | 1.50
	// tags |
	// -[ RECORD 2 ]-----------
	// pk   | b
	// note |
	// qty  | 12
	// tags | <<'new', 'sale'>>
}

func ExampleNew_jsonl() {
	render("jsonl", format.NewOptions())
	// Output:
	// {"pk":"a","note":null,"qty":1.50}
	// {"pk":"b","qty":12,"tags":["new","sale"]}
}

func ExampleNew_ddbjson() {
	render("ddbjson", format.NewOptions())
	// Output:
	// {"pk":{"S":"a"},"note":{"NULL":true},"qty":{"N":"1.50"}}
	// {"pk":{"S":"b"},"qty":{"N":"12"},"tags":{"SS":["new","sale"]}}
}

func ExampleNew_csv() {
	render("csv", format.NewOptions())
	// Output:
	// pk,note,qty,tags
	// a,NULL,1.50,
	// b,,12,"<<'new', 'sale'>>"
}

func ExampleUnmarshalItemJSON() {
	it, err := format.UnmarshalItemJSON([]byte(`{"pk":{"S":"a"},"n":{"N":"1.50"},"tags":{"SS":["x","x"]}}`))
	fmt.Println(it == nil, err)
	it, err = format.UnmarshalItemJSON([]byte(`{"pk":{"S":"a"},"n":{"N":"1.50"}}`))
	fmt.Println(format.Text(it["n"]), err)
	// Output:
	// true invalid DynamoDB JSON item: attribute tags[1]: duplicate SS element (same as element 0)
	// 1.50 <nil>
}

func ExampleMarshalItemJSON() {
	data, _ := format.MarshalItemJSON(exampleItems()[1], []string{"pk"})
	fmt.Println(string(data))
	// Output:
	// {"pk":{"S":"b"},"qty":{"N":"12"},"tags":{"SS":["new","sale"]}}
}
