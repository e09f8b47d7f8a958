package format

import "io"

// streamWriter writes the json, jsonl and ddbjson formats. Each row becomes
// one JSON object, built in a reused buffer and handed to the output in one
// Write, so rows appear as they arrive and nothing is held back until End.
// Object keys follow the layout; missing attributes are left out.
type streamWriter struct {
	lifecycle
	out    io.Writer
	array  bool // json: wrap rows in [ … ] separated by ",\n"
	ddb    bool // ddbjson: DynamoDB AttributeValue JSON instead of plain JSON
	layout layout
	enc    encoder
	buf    []byte
	rows   int
}

func (w *streamWriter) Begin(columns, keyColumns []string) error {
	if err := w.enter("begin"); err != nil {
		return err
	}
	w.layout.begin(columns, keyColumns, true)
	if w.array {
		return w.write(append(w.buf[:0], '['))
	}
	return nil
}

func (w *streamWriter) Row(it Item) error {
	if err := w.enter("row"); err != nil {
		return err
	}
	w.layout.observe(it)
	buf := w.buf[:0]
	if w.array {
		if w.rows > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
	}
	buf = append(buf, '{')
	first := true
	for _, c := range w.layout.cols {
		v := it[c]
		if v == nil {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = appendJSONString(buf, c)
		buf = append(buf, ':')
		var err error
		if w.ddb {
			buf, err = w.enc.appendDDB(buf, v)
		} else {
			buf, err = w.enc.appendPlain(buf, v)
		}
		if err != nil {
			// Nothing of this row has been written; the result can go on.
			w.buf = buf
			return atKey(c, err)
		}
	}
	buf = append(buf, '}')
	if !w.array {
		buf = append(buf, '\n')
	}
	w.rows++
	return w.write(buf)
}

func (w *streamWriter) End() error {
	if err := w.enter("end"); err != nil {
		return err
	}
	if !w.array {
		return nil
	}
	if w.rows > 0 {
		return w.write(append(w.buf[:0], "\n]\n"...))
	}
	return w.write(append(w.buf[:0], "]\n"...))
}

func (w *streamWriter) write(b []byte) error {
	w.buf = b
	_, err := w.out.Write(b)
	return w.fail(err)
}
