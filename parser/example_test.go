package parser_test

import (
	"fmt"

	"github.com/ddbsql/ddbsql/parser"
)

func Example() {
	stmt, err := parser.ParseOne(`SELECT name, size(tags) AS n FROM Users WHERE userId = ? AND size(tags) > 1`)
	if err != nil {
		fmt.Println(err)
		return
	}
	sel := stmt.(*parser.Select)
	fmt.Println(sel.From.(*parser.TableName).Name)
	fmt.Println(sel.Items[1].Alias)
	where := sel.Where.(*parser.BinaryExpr)
	fmt.Println(where.Op)
	fmt.Printf("%+v\n", *where.L.(*parser.BinaryExpr).R.(*parser.Param))
	fmt.Println(parser.FormatExpr(sel.Where))
	fmt.Println(parser.Format(stmt))
	// Output:
	// Users
	// n
	// AND
	// {Pos:{Offset:55 Line:1 Column:56} Index:0 Dollar:false}
	// "userId" = ? AND size(tags) > 1
	// SELECT name, size(tags) AS n FROM "Users" WHERE "userId" = ? AND size(tags) > 1
}

func ExampleParse() {
	_, err := parser.Parse("SELECT 1;\nSELECT * FORM t")
	fmt.Println(err)
	// Output:
	// line 2, column 10: syntax error at or near "FORM": expected one of: ",", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "WITH", ";"
}

func ExampleSplit() {
	for _, c := range parser.Split("SELECT 'a;b';\n  DELETE FROM t WHERE k = 1;") {
		fmt.Printf("%d:%d %s\n", c.Pos.Line, c.Pos.Column, c.Text)
	}
	// Output:
	// 1:1 SELECT 'a;b'
	// 2:3 DELETE FROM t WHERE k = 1
}

func ExampleIncomplete() {
	fmt.Println(parser.Incomplete("SELECT * FROM t WHERE a IN (1, 2"))
	fmt.Println(parser.Incomplete("SELECT 'it''s"))
	fmt.Println(parser.Incomplete("SELECT 1"))
	fmt.Println(parser.Incomplete("SELECT 1;"))
	// Output:
	// ( true
	// ' true
	//  true
	//  false
}
