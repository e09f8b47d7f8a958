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

// ptNode is a node of a pathTree. kids[e] is nil where a path ends at e.
type ptNode struct {
	order []PathElem // children in insertion order
	kids  map[PathElem]*ptNode
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

// first is the child a java.util.HashMap of n's children iterates first:
// the lowest bucket, and in it the earliest inserted.
func (n *ptNode) first() PathElem {
	size := 16
	for len(n.order) > size*3/4 {
		size *= 2
	}
	bucket := func(e PathElem) uint32 {
		h := uint32(elemHash(e))
		return (h ^ h>>16) & uint32(size-1)
	}
	i := 0
	for j, e := range n.order {
		if cmp.Less(bucket(e), bucket(n.order[i])) {
			i = j
		}
	}
	return n.order[i]
}

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
