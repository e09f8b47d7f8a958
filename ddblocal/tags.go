package ddblocal

import (
	"encoding/json"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// The tagging operations, as DynamoDB documents them. DynamoDB Local does
// not serve them (it answers UnknownOperationException); the engine keeps
// a table's tags in its metadata, where CreateTable's Tags already go.

// maxTags is DynamoDB's limit on the tags of one resource.
const maxTags = 50

type tagResourceInput struct {
	ResourceArn *string  `json:"ResourceArn"`
	Tags        []tag    `json:"Tags"`
	TagKeys     []string `json:"TagKeys"`
}

// taggedTable returns the name of the table arn names, or the error
// DynamoDB gives for an ARN that names no table of this engine.
func taggedTable(arn *string) (string, error) {
	if arn == nil {
		return "", validation("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null")
	}
	name, ok := strings.CutPrefix(*arn, arnPrefix)
	if !ok || name == "" || strings.Contains(name, "/") {
		return "", validation("Invalid TableArn: Invalid ResourceArn provided as input " + *arn)
	}
	return name, nil
}

// resourceNotFound is DynamoDB's answer to a tagging call for an ARN of a
// table that does not exist.
func resourceNotFound(arn string) *apiError {
	return &apiError{Type: "ResourceNotFoundException", Message: "Requested resource not found: ResourceArn: " + arn + " not found"}
}

// checkTags applies DynamoDB's rules for tag keys and values.
func checkTags(tags []tag) error {
	for _, t := range tags {
		switch {
		case t.Key == "" || len([]rune(t.Key)) > 128:
			return validation("One or more parameter values were invalid: Tag keys must be between 1 and 128 characters in length")
		case len([]rune(t.Value)) > 256:
			return validation("One or more parameter values were invalid: Tag values must be between 0 and 256 characters in length")
		case strings.HasPrefix(t.Key, "aws:"):
			return validation("One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use")
		}
	}
	return nil
}

func (db *DB) tagResource(body []byte) (any, error) {
	var in tagResourceInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	name, err := taggedTable(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	err = db.update(func(tx *bolt.Tx) error {
		t, err := loadTable(tx, name)
		if err != nil {
			return err
		}
		if t == nil {
			return resourceNotFound(*in.ResourceArn)
		}
		for _, nt := range in.Tags {
			i := slices.IndexFunc(t.Tags, func(old tag) bool { return old.Key == nt.Key })
			if i >= 0 {
				t.Tags[i].Value = nt.Value
			} else {
				t.Tags = append(t.Tags, nt)
			}
		}
		if len(t.Tags) > maxTags {
			return &apiError{Type: "LimitExceededException", Message: "The number of tags on the resource would exceed the limit of 50"}
		}
		return saveTable(tx, t)
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func (db *DB) untagResource(body []byte) (any, error) {
	var in tagResourceInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	name, err := taggedTable(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	}
	err = db.update(func(tx *bolt.Tx) error {
		t, err := loadTable(tx, name)
		if err != nil {
			return err
		}
		if t == nil {
			return resourceNotFound(*in.ResourceArn)
		}
		t.Tags = slices.DeleteFunc(t.Tags, func(old tag) bool { return slices.Contains(in.TagKeys, old.Key) })
		return saveTable(tx, t)
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// listTagsOutput is ListTagsOfResource's answer: every tag in one page
// (a resource holds at most 50), by key.
type listTagsOutput struct {
	Tags []tag `json:"Tags"`
}

func (db *DB) listTagsOfResource(body []byte) (any, error) {
	var in tagResourceInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	name, err := taggedTable(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	out := listTagsOutput{Tags: []tag{}}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t, err := loadTable(tx, name)
		if err != nil {
			return err
		}
		if t == nil {
			return resourceNotFound(*in.ResourceArn)
		}
		out.Tags = append(out.Tags, t.Tags...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Tags, func(a, b tag) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}
