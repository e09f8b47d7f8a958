package expr

import (
	"cmp"
	"slices"
)

// pathTree checks that the document paths of a projection or an update
// neither overlap (one is a prefix of the other) nor conflict (a list index
// and a map key at the same place), as DynamoDB Local does: it inserts the
// paths one by one into a tree whose nodes keep their children in a
// java.util.HashMap, and on a clash names the path being inserted ("path
// one") and the path found by following, from the node where the clash
// is, each node's first child in the HashMap's iteration order down to a
// leaf ("path two") — which need not be the path clashed with. Reproducing
// the tree reproduces those messages.
type pathTree struct{ root ptNode }

// ptNode is a node of a pathTree. kids[e] is nil where a path ends at e;
// in an update's tree, acts[e] is then the action that writes there.
type ptNode struct {
	order []PathElem // children in insertion order
	kids  map[PathElem]*ptNode
	acts  map[PathElem]*updateStep
}

// insert adds path to the tree, or returns the overlap or conflict it
// makes with a path inserted before.
func (t *pathTree) insert(p *parser, path Path) error {
	n := &t.root
	for depth, e := range path {
		kid, ok := n.kids[e]
		if !ok {
			if len(n.order) > 0 && n.first().IsIndex != e.IsIndex {
				return p.fail("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", path, n.leafPath(path[:depth]))
			}
			n.add(e, newBranch(path[depth+1:]))
			return nil
		}
		if kid == nil || depth == len(path)-1 {
			return p.fail("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", path, n.leafPath(path[:depth]))
		}
		n = kid
	}
	return nil
}

// newBranch is the chain of nodes for the rest of a path (nil if none).
func newBranch(rest Path) *ptNode {
	if len(rest) == 0 {
		return nil
	}
	n := &ptNode{}
	n.add(rest[0], newBranch(rest[1:]))
	return n
}

func (n *ptNode) add(e PathElem, kid *ptNode) {
	if n.kids == nil {
		n.kids = map[PathElem]*ptNode{}
	}
	n.order = append(n.order, e)
	n.kids[e] = kid
}

// attach records st as the action of path, which insert has added.
func (t *pathTree) attach(path Path, st updateStep) {
	n := &t.root
	for _, e := range path[:len(path)-1] {
		n = n.kids[e]
	}
	if n.acts == nil {
		n.acts = map[PathElem]*updateStep{}
	}
	n.acts[path[len(path)-1]] = &st
}

// ordered returns n's children in the iteration order of a
// java.util.HashMap holding them: by bucket of the spread hash in a table
// of 16 buckets doubled past a load of 3/4, and within a bucket in
// insertion order.
func (n *ptNode) ordered() []PathElem {
	size := 16
	for len(n.order) > size*3/4 {
		size *= 2
	}
	bucket := func(e PathElem) uint32 {
		h := uint32(elemHash(e))
		return (h ^ h>>16) & uint32(size-1)
	}
	out := slices.Clone(n.order)
	slices.SortStableFunc(out, func(a, b PathElem) int { return cmp.Compare(bucket(a), bucket(b)) })
	return out
}

// first is the child a java.util.HashMap of n's children iterates first.
func (n *ptNode) first() PathElem { return n.ordered()[0] }

// leafPath is prefix followed by the first-child chain from n to a leaf.
func (n *ptNode) leafPath(prefix Path) Path {
	out := slices.Clone(prefix)
	for n != nil && len(n.order) > 0 {
		e := n.first()
		out = append(out, e)
		n = n.kids[e]
	}
	return out
}

// elemHash is the hashCode of DynamoDB Local's path elements: Apache
// Commons' HashCodeBuilder(8191, 127) over the map key or the list index.
func elemHash(e PathElem) int32 {
	const seed = 8191 * 127
	if e.IsIndex {
		return seed + int32(e.Index)
	}
	return seed + javaStringHash(e.Name)
}
