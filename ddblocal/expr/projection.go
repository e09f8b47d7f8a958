package expr

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Projection is a parsed ProjectionExpression.
type Projection struct {
	paths []Path
	root  *projNode
}

// projNode is a step of the tree the projected paths form: leaf when a
// projected path ends here (the whole value is kept), else children by map
// key or by list index.
type projNode struct {
	leaf    bool
	keys    map[string]*projNode
	indexes map[int]*projNode
}

// ParseProjection parses and checks a ProjectionExpression; placeholders it
// uses are recorded in used.
func ParseProjection(src string, a Attrs, used *Used) (*Projection, error) {
	p := newParser(src, "ProjectionExpression")
	var raws [][]rawElem
	if err := p.parse(func() { raws = p.pathList() }); err != nil {
		return nil, err
	}
	ch := newChecker(p, a, used)
	if err := ch.walkPaths(raws); err != nil {
		return nil, err
	}
	// DynamoDB Local resolves and checks the paths last first, inserting
	// each into the tree that finds overlaps; doing the same finds the same
	// first problem and names the same two paths.
	paths := make([]Path, len(raws))
	tree := &pathTree{}
	for i := len(raws) - 1; i >= 0; i-- {
		path, err := ch.path(raws[i])
		if err != nil {
			return nil, err
		}
		if err := tree.insert(p, path); err != nil {
			return nil, err
		}
		paths[i] = path
	}
	return projectionOf(paths), nil
}

// projectionOf is the projection of paths, which must neither overlap nor
// conflict.
func projectionOf(paths []Path) *Projection {
	pr := &Projection{paths: paths, root: &projNode{}}
	for _, path := range paths {
		n := pr.root
		for _, e := range path {
			n = n.child(e)
		}
		n.leaf = true
	}
	return pr
}

func (n *projNode) child(e PathElem) *projNode {
	if e.IsIndex {
		if n.indexes == nil {
			n.indexes = map[int]*projNode{}
		}
		if n.indexes[e.Index] == nil {
			n.indexes[e.Index] = &projNode{}
		}
		return n.indexes[e.Index]
	}
	if n.keys == nil {
		n.keys = map[string]*projNode{}
	}
	if n.keys[e.Name] == nil {
		n.keys[e.Name] = &projNode{}
	}
	return n.keys[e.Name]
}

// Paths returns the projected paths in source order.
func (p *Projection) Paths() []Path { return p.paths }

// Apply returns the parts of item the projection names. As in DynamoDB,
// the elements of a list that several indexes select are returned as one
// list in index order, and a path that does not resolve contributes
// nothing (no empty map or list is left for it).
func (p *Projection) Apply(item Item) Item {
	out := Item{}
	for name, n := range p.root.keys {
		if v, ok := item[name]; ok {
			if pv := n.project(v); pv != nil {
				out[name] = pv
			}
		}
	}
	return out
}

// project returns the part of v that n selects, or nil.
func (n *projNode) project(v types.AttributeValue) types.AttributeValue {
	if n.leaf {
		return deepCopy(v)
	}
	switch x := v.(type) {
	case *types.AttributeValueMemberM:
		if len(n.keys) == 0 {
			return nil
		}
		m := map[string]types.AttributeValue{}
		for k, c := range n.keys {
			if e, ok := x.Value[k]; ok {
				if pv := c.project(e); pv != nil {
					m[k] = pv
				}
			}
		}
		if len(m) == 0 {
			return nil
		}
		return &types.AttributeValueMemberM{Value: m}
	case *types.AttributeValueMemberL:
		if len(n.indexes) == 0 {
			return nil
		}
		idx := make([]int, 0, len(n.indexes))
		for i := range n.indexes {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		var l []types.AttributeValue
		for _, i := range idx {
			if i < len(x.Value) {
				if pv := n.indexes[i].project(x.Value[i]); pv != nil {
					l = append(l, pv)
				}
			}
		}
		if len(l) == 0 {
			return nil
		}
		return &types.AttributeValueMemberL{Value: l}
	}
	return nil
}
