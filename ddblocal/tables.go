package ddblocal

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// arnPrefix is the ARN prefix DynamoDB Local reports (region "ddblocal",
// account 000000000000); clients compare ARNs only with what DescribeTable
// returned, so the same fixed form is used.
const arnPrefix = "arn:aws:dynamodb:ddblocal:000000000000:table/"

var tableNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)

func checkTableName(name string) error {
	if !tableNamePattern.MatchString(name) {
		return validation("Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'")
	}
	return nil
}

type indexDefinition struct {
	IndexName             string             `json:"IndexName"`
	KeySchema             []keySchemaElement `json:"KeySchema"`
	Projection            projection         `json:"Projection"`
	ProvisionedThroughput *throughput        `json:"ProvisionedThroughput"`
}

type createTableInput struct {
	TableName              string                `json:"TableName"`
	KeySchema              []keySchemaElement    `json:"KeySchema"`
	AttributeDefinitions   []attributeDefinition `json:"AttributeDefinitions"`
	BillingMode            string                `json:"BillingMode"`
	ProvisionedThroughput  *throughput           `json:"ProvisionedThroughput"`
	GlobalSecondaryIndexes []indexDefinition     `json:"GlobalSecondaryIndexes"`
	LocalSecondaryIndexes  []indexDefinition     `json:"LocalSecondaryIndexes"`
	StreamSpecification    *streamSpecification  `json:"StreamSpecification"`
	Tags                   []tag                 `json:"Tags"`
}

// parseKeySchema checks a KeySchema against the attribute definitions.
func parseKeySchema(elems []keySchemaElement, defs []attributeDefinition) (keySchema, error) {
	var ks keySchema
	if len(elems) == 0 {
		return ks, validation("No defined key schema.  A key schema containing at least a hash key must be defined for all tables")
	}
	if len(elems) > 2 {
		return ks, validation("Key Schema too big.  Key Schema must at most consist of the hash and range key of a table")
	}
	typeOf := func(name string) string {
		for _, d := range defs {
			if d.AttributeName == name {
				return d.AttributeType
			}
		}
		return ""
	}
	for i, e := range elems {
		switch {
		case e.KeyType == "HASH" && i == 0:
			ks.HashKey, ks.HashType = e.AttributeName, typeOf(e.AttributeName)
			if ks.HashType == "" {
				return ks, validation("Hash Key not specified in Attribute Definitions.  Type unknown.")
			}
		case e.KeyType == "RANGE" && i == 1:
			ks.RangeKey, ks.RangeType = e.AttributeName, typeOf(e.AttributeName)
			if ks.RangeType == "" {
				return ks, validation("Range Key not specified in Attribute Definitions.  Type unknown.")
			}
		case e.KeyType == "HASH" && elems[0].KeyType == "HASH":
			return ks, validation("Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key")
		case e.KeyType == "HASH" || (e.KeyType == "RANGE" && len(elems) == 2 && elems[1].KeyType == "HASH"):
			return ks, validation("Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second")
		default:
			return ks, validation("No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key")
		}
	}
	return ks, nil
}

func checkProjection(p projection) error {
	switch p.ProjectionType {
	case "ALL", "KEYS_ONLY":
		if len(p.NonKeyAttributes) > 0 {
			return validation("One or more parameter values were invalid: ProjectionType is " + p.ProjectionType + ", but NonKeyAttributes is specified")
		}
	case "INCLUDE":
		if len(p.NonKeyAttributes) == 0 {
			return validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
		}
	case "":
		return validation("One or more parameter values were invalid: Unknown ProjectionType: null")
	default:
		return validation("Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]")
	}
	return nil
}

func (db *DB) createTable(body []byte) (any, error) {
	var in createTableInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	for _, d := range in.AttributeDefinitions {
		if d.AttributeType != "S" && d.AttributeType != "N" && d.AttributeType != "B" {
			return nil, validation("Member must satisfy enum value set: [B, N, S]")
		}
	}
	ks, err := parseKeySchema(in.KeySchema, in.AttributeDefinitions)
	if err != nil {
		return nil, err
	}
	now := db.opts.Now()
	t := &tableMeta{
		Name: in.TableName, ID: strconv.FormatInt(now.UnixNano(), 36), Created: now,
		Key: ks, AttrDefs: in.AttributeDefinitions, Tags: in.Tags,
	}
	switch in.BillingMode {
	case "PAY_PER_REQUEST":
		// DynamoDB Local accepts (and ignores) a ProvisionedThroughput here.
		t.BillingMode = "PAY_PER_REQUEST"
	case "", "PROVISIONED":
		if in.ProvisionedThroughput == nil {
			return nil, validation("No provisioned throughput specified for the table")
		}
		t.BillingMode = "PROVISIONED"
		t.Throughput = *in.ProvisionedThroughput
		if t.Throughput.ReadCapacityUnits < 1 || t.Throughput.WriteCapacityUnits < 1 {
			return nil, validation("Table read and write throughput must be at least 1, and cannot be null")
		}
	default:
		return nil, validation("Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
	}
	used := map[string]bool{ks.HashKey: true, ks.RangeKey: true}
	seen := map[string]bool{}
	for i, def := range in.GlobalSecondaryIndexes {
		ix, err := t.newIndex(def, true, seen)
		if err != nil {
			return nil, err
		}
		if t.BillingMode == "PROVISIONED" && def.ProvisionedThroughput == nil {
			return nil, validation("One or more parameter values were invalid: ProvisionedThroughput should not be null for index: " + def.IndexName)
		}
		t.GSIs = append(t.GSIs, ix)
		used[ix.Key.HashKey], used[ix.Key.RangeKey] = true, true
		_ = i
	}
	if len(in.LocalSecondaryIndexes) > 0 && ks.RangeKey == "" {
		return nil, validation("Local Secondary indices are not allowed on hash tables, only hash and range tables")
	}
	if len(in.LocalSecondaryIndexes) > 5 {
		return nil, validation("Cannot have more than 5 local secondary indexes per table")
	}
	for _, def := range in.LocalSecondaryIndexes {
		ix, err := t.newIndex(def, false, seen)
		if err != nil {
			return nil, err
		}
		if ix.Key.HashKey != ks.HashKey || ix.Key.RangeKey == "" {
			return nil, validation("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: " + def.IndexName + ". index hash key: " + ix.Key.HashKey + ", table hash key: " + ks.HashKey)
		}
		if ks.RangeKey == "" {
			return nil, validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
		}
		t.LSIs = append(t.LSIs, ix)
		used[ix.Key.RangeKey] = true
	}
	delete(used, "")
	if len(used) != len(in.AttributeDefinitions) {
		return nil, validation("The number of attributes in key schema must match the number of attributes defined in attribute definitions.")
	}
	if s := in.StreamSpecification; s != nil && s.StreamEnabled {
		t.Stream = s
		t.StreamLabel = now.UTC().Format("2006-01-02T15:04:05.000")
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if old, err := loadTable(tx, t.Name); err != nil {
			return err
		} else if old != nil {
			return &apiError{Type: "ResourceInUseException", Message: "Cannot create preexisting table"}
		}
		b, err := tx.CreateBucket([]byte(tableBucketPrefix + t.ID))
		if err != nil {
			return err
		}
		if _, err := b.CreateBucket(itemsBucket); err != nil {
			return err
		}
		for _, ix := range t.indexes() {
			if _, err := b.CreateBucket(indexBucket(ix.Name)); err != nil {
				return err
			}
		}
		return saveTable(tx, t)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": t.describe(stats{}, nil)}, nil
}

// newIndex validates an index definition of t.
func (t *tableMeta) newIndex(def indexDefinition, global bool, seen map[string]bool) (*indexMeta, error) {
	if err := checkTableName(def.IndexName); err != nil {
		return nil, err
	}
	if seen[def.IndexName] {
		return nil, validation("One or more parameter values were invalid: Duplicate index name: " + def.IndexName)
	}
	seen[def.IndexName] = true
	ks, err := parseKeySchema(def.KeySchema, t.AttrDefs)
	if err != nil {
		return nil, err
	}
	if err := checkProjection(def.Projection); err != nil {
		return nil, err
	}
	ix := &indexMeta{Name: def.IndexName, Key: ks, Projection: def.Projection, Global: global}
	if global && def.ProvisionedThroughput != nil {
		if t.BillingMode == "PAY_PER_REQUEST" {
			return nil, validation("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: " + def.IndexName + " when BillingMode is PAY_PER_REQUEST")
		}
		ix.Throughput = *def.ProvisionedThroughput
	}
	return ix, nil
}

// epochSeconds renders a time as DynamoDB's JSON timestamps: seconds since
// the epoch with milliseconds.
type epochSeconds time.Time

func (e epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(e).UnixMilli()
	return fmt.Appendf(nil, "%d.%03d", ms/1000, ms%1000), nil
}

type tableDescription struct {
	AttributeDefinitions   []attributeDefinition `json:"AttributeDefinitions"`
	TableName              string                `json:"TableName"`
	KeySchema              []keySchemaElement    `json:"KeySchema"`
	TableStatus            string                `json:"TableStatus"`
	CreationDateTime       epochSeconds          `json:"CreationDateTime"`
	ProvisionedThroughput  throughputDescription `json:"ProvisionedThroughput"`
	TableSizeBytes         int64                 `json:"TableSizeBytes"`
	ItemCount              int64                 `json:"ItemCount"`
	TableArn               string                `json:"TableArn"`
	BillingModeSummary     *billingModeSummary   `json:"BillingModeSummary,omitempty"`
	LocalSecondaryIndexes  []indexDescription    `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes []indexDescription    `json:"GlobalSecondaryIndexes,omitempty"`
	StreamSpecification    *streamSpecification  `json:"StreamSpecification,omitempty"`
	LatestStreamLabel      string                `json:"LatestStreamLabel,omitempty"`
	LatestStreamArn        string                `json:"LatestStreamArn,omitempty"`
	DeletionProtection     bool                  `json:"DeletionProtectionEnabled"`
}

type throughputDescription struct {
	LastIncreaseDateTime   epochSeconds `json:"LastIncreaseDateTime"`
	LastDecreaseDateTime   epochSeconds `json:"LastDecreaseDateTime"`
	NumberOfDecreasesToday int64        `json:"NumberOfDecreasesToday"`
	ReadCapacityUnits      int64        `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64        `json:"WriteCapacityUnits"`
}

type billingModeSummary struct {
	BillingMode                       string       `json:"BillingMode"`
	LastUpdateToPayPerRequestDateTime epochSeconds `json:"LastUpdateToPayPerRequestDateTime"`
}

type indexDescription struct {
	IndexName             string             `json:"IndexName"`
	KeySchema             []keySchemaElement `json:"KeySchema"`
	Projection            projection         `json:"Projection"`
	IndexStatus           string             `json:"IndexStatus,omitempty"`
	ProvisionedThroughput *throughput        `json:"ProvisionedThroughput,omitempty"`
	IndexSizeBytes        int64              `json:"IndexSizeBytes"`
	ItemCount             int64              `json:"ItemCount"`
	IndexArn              string             `json:"IndexArn"`
}

// describe renders t as a TableDescription with the given statistics of
// the table and of each index (by name; nil for a new table).
func (t *tableMeta) describe(table stats, indexes map[string]stats) tableDescription {
	d := tableDescription{
		AttributeDefinitions: t.AttrDefs,
		TableName:            t.Name,
		KeySchema:            t.Key.wire(),
		TableStatus:          "ACTIVE",
		CreationDateTime:     epochSeconds(t.Created),
		ProvisionedThroughput: throughputDescription{
			LastIncreaseDateTime: epochSeconds(time.Unix(0, 0)),
			LastDecreaseDateTime: epochSeconds(time.Unix(0, 0)),
			ReadCapacityUnits:    t.Throughput.ReadCapacityUnits,
			WriteCapacityUnits:   t.Throughput.WriteCapacityUnits,
		},
		TableSizeBytes: table.Size,
		ItemCount:      table.Count,
		TableArn:       arnPrefix + t.Name,
	}
	if t.Deletion {
		d.TableStatus = "DELETING"
	}
	if t.BillingMode == "PAY_PER_REQUEST" {
		d.BillingModeSummary = &billingModeSummary{"PAY_PER_REQUEST", epochSeconds(t.Created)}
	}
	for _, ix := range t.indexes() {
		s := indexes[ix.Name]
		id := indexDescription{
			IndexName: ix.Name, KeySchema: ix.Key.wire(), Projection: ix.Projection,
			IndexSizeBytes: s.Size, ItemCount: s.Count,
			IndexArn: arnPrefix + t.Name + "/index/" + ix.Name,
		}
		if ix.Global {
			id.IndexStatus = "ACTIVE"
			if t.BillingMode == "PROVISIONED" {
				tp := ix.Throughput
				id.ProvisionedThroughput = &tp
			}
			d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, id)
		} else {
			d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, id)
		}
	}
	// DynamoDB Local keeps a table's indexes in HashMaps by name.
	byName := func(id indexDescription) string { return id.IndexName }
	javaMapSort(d.LocalSecondaryIndexes, byName)
	javaMapSort(d.GlobalSecondaryIndexes, byName)
	if t.Stream != nil {
		d.StreamSpecification = t.Stream
		d.LatestStreamLabel = t.StreamLabel
		d.LatestStreamArn = arnPrefix + t.Name + "/stream/" + t.StreamLabel
	}
	return d
}

// describeWithStats reads the statistics of t and describes it.
func describeWithStats(tx *bolt.Tx, t *tableMeta) tableDescription {
	b := tableBucket(tx, t)
	ixs := map[string]stats{}
	for _, ix := range t.indexes() {
		ixs[ix.Name] = readStats(b, ix.Name)
	}
	return t.describe(readStats(b, ""), ixs)
}

type tableNameInput struct {
	TableName string `json:"TableName"`
}

func (db *DB) describeTable(body []byte) (any, error) {
	var in tableNameInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	var d tableDescription
	err := db.bolt.View(func(tx *bolt.Tx) error {
		t, err := mustTable(tx, in.TableName)
		if err != nil {
			return err
		}
		d = describeWithStats(tx, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Table": d}, nil
}

func (db *DB) deleteTable(body []byte) (any, error) {
	var in tableNameInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	var d tableDescription
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		t, err := mustTable(tx, in.TableName)
		if err != nil {
			return err
		}
		d = describeWithStats(tx, t)
		if err := tx.DeleteBucket([]byte(tableBucketPrefix + t.ID)); err != nil {
			return err
		}
		return tx.Bucket(metaBucket).Delete([]byte(t.Name))
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": d}, nil
}

type listTablesInput struct {
	Limit                   *int   `json:"Limit"`
	ExclusiveStartTableName string `json:"ExclusiveStartTableName"`
}

func (db *DB) listTables(body []byte) (any, error) {
	var in listTablesInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	limit := 100
	if in.Limit != nil {
		if *in.Limit < 1 {
			return nil, validation("Limit must be greater than or equal to 1")
		}
		if *in.Limit > 100 {
			return nil, validation("Limit in ListTables must be <= 100")
		}
		limit = *in.Limit
	}
	if in.ExclusiveStartTableName != "" {
		if err := checkTableName(in.ExclusiveStartTableName); err != nil {
			return nil, err
		}
	}
	names := []string{}
	more := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(metaBucket).Cursor()
		k, _ := c.First()
		if in.ExclusiveStartTableName != "" {
			k, _ = c.Seek([]byte(in.ExclusiveStartTableName))
			if k != nil && string(k) == in.ExclusiveStartTableName {
				k, _ = c.Next()
			}
		}
		for ; k != nil; k, _ = c.Next() {
			if len(names) == limit {
				more = true
				break
			}
			names = append(names, string(k))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"TableNames": names}
	if more {
		out["LastEvaluatedTableName"] = names[len(names)-1]
	}
	return out, nil
}

type updateTableInput struct {
	TableName                   string                `json:"TableName"`
	AttributeDefinitions        []attributeDefinition `json:"AttributeDefinitions"`
	BillingMode                 string                `json:"BillingMode"`
	ProvisionedThroughput       *throughput           `json:"ProvisionedThroughput"`
	GlobalSecondaryIndexUpdates []struct {
		Create *indexDefinition `json:"Create"`
		Delete *struct {
			IndexName string `json:"IndexName"`
		} `json:"Delete"`
		Update *struct {
			IndexName             string      `json:"IndexName"`
			ProvisionedThroughput *throughput `json:"ProvisionedThroughput"`
		} `json:"Update"`
	} `json:"GlobalSecondaryIndexUpdates"`
	StreamSpecification *streamSpecification `json:"StreamSpecification"`
}

// updateTable changes billing, streams and GSIs. A new GSI is backfilled
// from the table's items in the same transaction, so it is ACTIVE (and
// complete) as soon as UpdateTable returns.
func (db *DB) updateTable(body []byte) (any, error) {
	var in updateTableInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	nothing := in.BillingMode == "" && in.ProvisionedThroughput == nil && len(in.GlobalSecondaryIndexUpdates) == 0 && in.StreamSpecification == nil
	if nothing {
		// A missing table is reported before an empty update.
		err := db.bolt.View(func(tx *bolt.Tx) error {
			_, err := mustTable(tx, in.TableName)
			return err
		})
		if err != nil {
			return nil, err
		}
		return nil, validation("Nothing to update")
	}
	var d tableDescription
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		t, err := mustTable(tx, in.TableName)
		if err != nil {
			return err
		}
		for _, def := range in.AttributeDefinitions {
			if cur := t.attrType(def.AttributeName); cur == "" {
				t.AttrDefs = append(t.AttrDefs, def)
			} else if cur != def.AttributeType {
				return validation("Cannot change the type of attribute " + def.AttributeName)
			}
		}
		switch in.BillingMode {
		case "":
		case "PAY_PER_REQUEST":
			t.BillingMode, t.Throughput = in.BillingMode, throughput{}
			for _, ix := range t.GSIs {
				ix.Throughput = throughput{}
			}
		case "PROVISIONED":
			if in.ProvisionedThroughput == nil {
				return validation("One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
			}
			t.BillingMode = in.BillingMode
		default:
			return validation("Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
		}
		if in.ProvisionedThroughput != nil {
			if t.BillingMode == "PAY_PER_REQUEST" {
				return validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
			}
			t.Throughput = *in.ProvisionedThroughput
		}
		if s := in.StreamSpecification; s != nil {
			if s.StreamEnabled {
				t.Stream = s
				t.StreamLabel = db.opts.Now().UTC().Format("2006-01-02T15:04:05.000")
			} else {
				t.Stream, t.StreamLabel = nil, ""
			}
		}
		b := tableBucket(tx, t)
		for _, u := range in.GlobalSecondaryIndexUpdates {
			switch {
			case u.Create != nil:
				if t.index(u.Create.IndexName) != nil {
					return validation("One or more parameter values were invalid: Index with name " + u.Create.IndexName + " already exists")
				}
				ix, err := t.newIndex(*u.Create, true, map[string]bool{})
				if err != nil {
					return err
				}
				t.GSIs = append(t.GSIs, ix)
				if err := backfill(b, t, ix); err != nil {
					return err
				}
			case u.Delete != nil:
				i := slices.IndexFunc(t.GSIs, func(ix *indexMeta) bool { return ix.Name == u.Delete.IndexName })
				if i < 0 {
					return &apiError{Type: "ResourceNotFoundException", Message: "Requested resource not found"}
				}
				t.GSIs = slices.Delete(t.GSIs, i, i+1)
				if err := b.DeleteBucket(indexBucket(u.Delete.IndexName)); err != nil {
					return err
				}
				if err := b.Delete(statsKeyFor(u.Delete.IndexName)); err != nil {
					return err
				}
			case u.Update != nil:
				ix := t.index(u.Update.IndexName)
				if ix == nil || !ix.Global {
					return &apiError{Type: "ResourceNotFoundException", Message: "Requested resource not found"}
				}
				if u.Update.ProvisionedThroughput != nil {
					ix.Throughput = *u.Update.ProvisionedThroughput
				}
			}
		}
		if err := saveTable(tx, t); err != nil {
			return err
		}
		d = describeWithStats(tx, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": d}, nil
}

// backfill adds every item of the table to the new index ix.
func backfill(b *bolt.Bucket, t *tableMeta, ix *indexMeta) error {
	ib, err := b.CreateBucket(indexBucket(ix.Name))
	if err != nil {
		return err
	}
	c := b.Bucket(itemsBucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		it, err := decodeItem(v)
		if err != nil {
			return err
		}
		if !ix.inIndex(it) {
			continue
		}
		if err := checkIndexKeyTypes(t, ix, it); err != nil {
			continue // DynamoDB leaves items whose index key has the wrong type out of the index
		}
		if err := ib.Put(ix.entryKey(t, it), k); err != nil {
			return err
		}
		if err := addStats(b, ix.Name, 1, int64(itemSize(it))); err != nil {
			return err
		}
	}
	return nil
}
