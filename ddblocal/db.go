package ddblocal

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Options tune an engine.
type Options struct {
	// Now is the clock TTL expiry is judged by; default time.Now.
	Now func() time.Time
	// TTLInterval is how often the TTL sweeper deletes expired items.
	// 0 means the default, one minute (DynamoDB itself deletes expired
	// items within days, so a minute is already more eager than the real
	// service); a negative value disables the sweeper.
	TTLInterval time.Duration
	// NoSync skips the fsync of every commit, as DynamoDB Local's
	// -inMemory mode keeps nothing: for tests and throwaway data only. An
	// acknowledged write then survives the process ending but not a crash
	// of the machine or a power loss, which may also leave the data file
	// corrupt.
	NoSync bool
}

// DefaultTTLInterval is the TTL sweeper's period when Options.TTLInterval is 0.
const DefaultTTLInterval = time.Minute

// dataFile is the one file of a data directory.
const dataFile = "ddblocal.db"

// lockWait is how long Open waits for another process to release the data
// file before reporting that the directory is in use.
const lockWait = 500 * time.Millisecond

// Top-level buckets: table metadata by name, and one bucket per table
// (named tableBucketPrefix + table id) holding its items, index entries and
// statistics.
var (
	metaBucket = []byte("tables")
	// formatBucket holds formatKey: the version of the layout (key
	// encoding, value encoding, buckets) the file was written with.
	formatBucket = []byte("format")
	formatKey    = []byte("version")
)

// FormatVersion is the layout of the data files this build writes and
// reads. A file carries it from its creation; Open refuses a file of
// another version instead of misreading it. A file without a version was
// written before versions were stamped, in layout 1, and is stamped so.
const FormatVersion = 1

const tableBucketPrefix = "t:"

// Inside a table's bucket.
var (
	itemsBucket = []byte("items")
	statsKey    = []byte("stats")
)

// indexBucket names the bucket of the index entries of index name.
func indexBucket(name string) []byte { return []byte("i:" + name) }

// DB is an open engine: one data directory, one bbolt file.
type DB struct {
	bolt *bolt.DB
	dir  string
	opts Options

	tokens *tokenCache
	meta   metaCache
	writes chan *writeRequest

	ctx     context.Context // cancelled by Close
	stop    context.CancelFunc
	sweeper sync.WaitGroup
}

// Open opens (creating if needed) the engine's data directory dir. A
// directory already open in another process, or earlier in this one, is
// refused with an error naming it.
func Open(dir string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TTLInterval == 0 {
		opts.TTLInterval = DefaultTTLInterval
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	b, err := bolt.Open(filepath.Join(dir, dataFile), 0o600, &bolt.Options{Timeout: lockWait, NoSync: opts.NoSync, NoFreelistSync: opts.NoSync})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("data directory %s is in use by another process", dir)
		}
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		if err := checkFormat(tx); err != nil {
			return err
		}
		_, err := tx.CreateBucketIfNotExists(metaBucket)
		return err
	})
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	db := &DB{bolt: b, dir: dir, opts: opts, tokens: newTokenCache(),
		meta: metaCache{entries: map[string]metaEntry{}}, writes: make(chan *writeRequest)}
	ctx, cancel := context.WithCancel(context.Background())
	db.ctx, db.stop = ctx, cancel
	db.sweeper.Add(1)
	go db.commitLoop(ctx)
	if opts.TTLInterval > 0 {
		db.sweeper.Add(1)
		go db.sweepLoop(ctx)
	}
	return db, nil
}

// checkFormat stamps a new (or unstamped) file with FormatVersion and
// refuses a file of another version.
func checkFormat(tx *bolt.Tx) error {
	fb, err := tx.CreateBucketIfNotExists(formatBucket)
	if err != nil {
		return err
	}
	raw := fb.Get(formatKey)
	if raw == nil {
		return fb.Put(formatKey, []byte(strconv.Itoa(FormatVersion)))
	}
	v, err := strconv.Atoi(string(raw))
	switch {
	case err != nil:
		return fmt.Errorf("the data file's format version %q is not a number: the file is damaged or not ddbsql's", raw)
	case v > FormatVersion:
		return fmt.Errorf("the data file has format version %d, written by a newer ddbsql; this one reads version %d: use a ddbsql at least as new as the one that wrote it", v, FormatVersion)
	case v != FormatVersion:
		return fmt.Errorf("the data file has format version %d, which this ddbsql (version %d) cannot read: export its tables (COPY ... TO) with the ddbsql that wrote it", v, FormatVersion)
	}
	return nil
}

// Close stops the TTL sweeper and closes the data file.
func (db *DB) Close() error {
	db.stop()
	db.sweeper.Wait()
	return db.bolt.Close()
}

// loadTable reads the metadata of table name, or nil if there is none.
// Each call returns a fresh copy the caller may change.
func loadTable(tx *bolt.Tx, name string) (*tableMeta, error) {
	raw := tx.Bucket(metaBucket).Get([]byte(name))
	if raw == nil {
		return nil, nil
	}
	var t tableMeta
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("table %s: corrupt metadata: %w", name, err)
	}
	return &t, nil
}

// metaCache keeps the decoded metadata of tables, so item operations do not
// decode JSON on every call. An entry is used only while the stored bytes
// are unchanged, so DDL in any transaction invalidates it by itself.
type metaCache struct {
	mu      sync.RWMutex
	entries map[string]metaEntry
}

type metaEntry struct {
	raw []byte
	t   *tableMeta
}

// table returns the metadata of table name as of tx, shared and read-only,
// or ResourceNotFoundException.
func (db *DB) table(tx *bolt.Tx, name string) (*tableMeta, error) {
	raw := tx.Bucket(metaBucket).Get([]byte(name))
	if raw == nil {
		return nil, tableNotFound()
	}
	db.meta.mu.RLock()
	e, ok := db.meta.entries[name]
	db.meta.mu.RUnlock()
	if ok && bytes.Equal(e.raw, raw) {
		return e.t, nil
	}
	var t tableMeta
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("table %s: corrupt metadata: %w", name, err)
	}
	db.meta.mu.Lock()
	db.meta.entries[name] = metaEntry{bytes.Clone(raw), &t}
	db.meta.mu.Unlock()
	return &t, nil
}

// mustTable is loadTable answering ResourceNotFoundException for a missing table.
func mustTable(tx *bolt.Tx, name string) (*tableMeta, error) {
	t, err := loadTable(tx, name)
	if err == nil && t == nil {
		return nil, tableNotFound()
	}
	return t, err
}

// saveTable writes the metadata of t.
func saveTable(tx *bolt.Tx, t *tableMeta) error {
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return tx.Bucket(metaBucket).Put([]byte(t.Name), raw)
}

// tableBucket returns the bucket of t's data.
func tableBucket(tx *bolt.Tx, t *tableMeta) *bolt.Bucket {
	return tx.Bucket([]byte(tableBucketPrefix + t.ID))
}

// stats are the item count and total item size of a table or index, kept
// up to date by every write in the same transaction.
type stats struct{ Count, Size int64 }

func statsKeyFor(index string) []byte {
	if index == "" {
		return statsKey
	}
	return []byte("stats:" + index)
}

func readStats(b *bolt.Bucket, index string) stats {
	raw := b.Get(statsKeyFor(index))
	if len(raw) != 16 {
		return stats{}
	}
	return stats{int64(binary.BigEndian.Uint64(raw)), int64(binary.BigEndian.Uint64(raw[8:]))}
}

func addStats(b *bolt.Bucket, index string, count, size int64) error {
	s := readStats(b, index)
	s.Count += count
	s.Size += size
	raw := make([]byte, 16)
	binary.BigEndian.PutUint64(raw, uint64(s.Count))
	binary.BigEndian.PutUint64(raw[8:], uint64(s.Size))
	return b.Put(statsKeyFor(index), raw)
}

// getItem reads the stored item at key k of the items bucket, nil if absent.
func getItem(items *bolt.Bucket, k []byte) (item, error) {
	raw := items.Get(k)
	if raw == nil {
		return nil, nil
	}
	return decodeItem(raw)
}

// decodeItem decodes a stored item. Its numbers, set elements included,
// come back exactly as they were stored: which spelling a number keeps
// depends on how it was written (canonical from PutItem, as sent from an
// update expression's values), so reading must not normalize again.
func decodeItem(raw []byte) (item, error) {
	var m storedMap
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("corrupt item: %w", err)
	}
	return item(m), nil
}

// encodeItem encodes an item for storage (DynamoDB JSON: lossless,
// and readable with bbolt's tools when debugging a data file).
func encodeItem(it item) ([]byte, error) {
	return avMap(it).MarshalJSON()
}
