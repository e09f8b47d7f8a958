// Package format renders query results, DynamoDB items, for people and for
// other programs, and converts items to and from DynamoDB's AttributeValue
// JSON. A front end picks a format by name with New and feeds the Writer one
// row at a time: "table" is psql's aligned output (or its expanded \x
// display), "csv" is for spreadsheets, "json" and "jsonl" are plain JSON for
// jq and friends, and "ddbjson" is the lossless one-item-per-line form that
// the sample loader and COPY read back with UnmarshalItemJSON.
//
// Every one of DynamoDB's ten types keeps its exact value: numbers are
// written as the decimal text they are stored as (never through float64),
// binary as base64, and sets as sets. A missing attribute, absent from the
// item, is kept apart from one holding NULL: the table shows NULL as
// Options.NullText and a missing attribute as Options.MissingText; csv
// leaves a missing field empty and writes NullText for NULL; the JSON
// formats write null for NULL and leave missing attributes out.
//
// # Example
//
// Two items, one holding NULL in note and one without a note at all,
// rendered with the default options and the key column first:
//
//	items := []format.Item{
//		{"pk": &types.AttributeValueMemberS{Value: "a"},
//			"qty":  &types.AttributeValueMemberN{Value: "1.50"},
//			"note": &types.AttributeValueMemberNULL{Value: true}},
//		{"pk": &types.AttributeValueMemberS{Value: "b"},
//			"qty":  &types.AttributeValueMemberN{Value: "12"},
//			"tags": &types.AttributeValueMemberSS{Value: []string{"new", "sale"}}},
//	}
//	w, err := format.New("table", os.Stdout, format.NewOptions())
//	// handle err
//	w.Begin(nil, []string{"pk"}) // nil columns: every attribute, keys first
//	for _, it := range items {
//		w.Row(it)
//	}
//	w.End()
//
// prints
//
//	 pk | note | qty  |       tags
//	----+------+------+-------------------
//	 a  | NULL | 1.50 |
//	 b  |      |   12 | <<'new', 'sale'>>
//	(2 rows)
//
// The same rows as "jsonl" are
//
//	{"pk":"a","note":null,"qty":1.50}
//	{"pk":"b","qty":12,"tags":["new","sale"]}
//
// and as "ddbjson"
//
//	{"pk":{"S":"a"},"note":{"NULL":true},"qty":{"N":"1.50"}}
//	{"pk":{"S":"b"},"qty":{"N":"12"},"tags":{"SS":["new","sale"]}}
//
// Each ddbjson line goes back through UnmarshalItemJSON to an item equal to
// the one written.
package format
