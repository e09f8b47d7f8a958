package parser

import "fmt"

// FormatExpr renders an expression as SQL. (Replaced by the full formatter.)
func FormatExpr(e Expr) string { return fmt.Sprintf("%T", e) }
