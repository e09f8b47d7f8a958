package format

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// unmarshalPlainItem parses one plain JSON object as an item (the jsonl
// format); see NewReader for the mapping.
func unmarshalPlainItem(data []byte) (Item, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	it, err := decodePlainItem(d)
	if err != nil {
		return nil, err
	}
	if tok, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s after the object; expected one object per line", describeToken(tok, err))
	}
	return it, nil
}

// decodePlainItem reads one plain JSON object as an item: attribute names
// must be non-empty and distinct.
func decodePlainItem(d *json.Decoder) (Item, error) {
	if err := expectDelim(d, '{', "an object"); err != nil {
		return nil, err
	}
	it := make(Item)
	for d.More() {
		tok, err := next(d)
		if err != nil {
			return nil, err
		}
		k := tok.(string)
		if k == "" {
			return nil, errors.New("empty attribute name; DynamoDB names have at least one character")
		}
		if _, dup := it[k]; dup {
			return nil, atKey(k, errors.New("attribute named twice"))
		}
		v, err := decodePlain(d, 1)
		if err != nil {
			return nil, atKey(k, err)
		}
		it[k] = v
	}
	_, err := next(d)
	return it, err
}

// decodePlain reads one plain JSON value as an AttributeValue.
func decodePlain(d *json.Decoder, depth int) (types.AttributeValue, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested more than %d levels deep (DynamoDB's limit)", maxDepth)
	}
	tok, err := next(d)
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case string:
		return &types.AttributeValueMemberS{Value: tok}, nil
	case json.Number:
		if err := validateNumber(string(tok)); err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberN{Value: string(tok)}, nil
	case bool:
		return &types.AttributeValueMemberBOOL{Value: tok}, nil
	case nil:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case json.Delim:
		switch tok {
		case '{':
			m := map[string]types.AttributeValue{}
			for d.More() {
				kt, err := next(d)
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				if _, dup := m[k]; dup {
					return nil, atKey(k, errors.New("key named twice"))
				}
				v, err := decodePlain(d, depth+1)
				if err != nil {
					return nil, atKey(k, err)
				}
				m[k] = v
			}
			_, err := next(d)
			return &types.AttributeValueMemberM{Value: m}, err
		case '[':
			l := []types.AttributeValue{}
			for d.More() {
				v, err := decodePlain(d, depth+1)
				if err != nil {
					return nil, atIndex(len(l), err)
				}
				l = append(l, v)
			}
			_, err := next(d)
			return &types.AttributeValueMemberL{Value: l}, err
		}
	}
	return nil, fmt.Errorf("unexpected %s", describeToken(tok, nil))
}
