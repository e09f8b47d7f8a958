// Command gen writes the sample data of a small online game shop, one
// <Table>.jsonl file per table of ../schema.sql, one item per line in
// DynamoDB's AttributeValue JSON:
//
//	{"userId":{"S":"u001"},"loginCount":{"N":"34"},...}
//
// The output is deterministic (a fixed seed, no clock), so running
//
//	go run ./testdata/sample/gen
//
// from the repository root rewrites the committed files byte for byte. The
// data is meant to exercise a SQL front end: every attribute type (S, N, B,
// BOOL, NULL, M, L, SS, NS, BS), nested maps and lists, optional and sparse
// attributes, negative and 38-digit numbers, non-ASCII text and attribute
// names that are reserved words in DynamoDB ("name", "status", "size",
// "timestamp", "data", "count").
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// epoch is the shop's "now": every date in the data is relative to it.
var epoch = time.Date(2024, time.June, 1, 0, 0, 0, 0, time.UTC)

func main() {
	dir := flag.String("dir", filepath.Join("testdata", "sample"), "directory holding schema.sql, where the .jsonl files are written")
	flag.Parse()
	if _, err := os.Stat(filepath.Join(*dir, "schema.sql")); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v (run from the repository root, or pass -dir)\n", err)
		os.Exit(2)
	}
	rng := rand.New(rand.NewPCG(20240601, 42))
	products := genProducts(rng)
	users := genUsers(rng)
	tables := []struct {
		name  string
		items []item
	}{
		{"Users", users},
		{"Orders", genOrders(rng, users, products)},
		{"GameLeaderboards", genLeaderboards(rng, users)},
		{"IoTSensorData", genSensorData(rng)},
		{"Sessions", genSessions(rng, users, products)},
		{"Products", products},
	}
	for _, tb := range tables {
		if tb.name == "Users" || tb.name == "Products" {
			if missing := missingTypes(tb.items); len(missing) > 0 {
				fmt.Fprintf(os.Stderr, "gen: %s lacks attribute types %v\n", tb.name, missing)
				os.Exit(1)
			}
		}
		path := filepath.Join(*dir, tb.name+".jsonl")
		if err := writeItems(path, tb.items); err != nil {
			fmt.Fprintf(os.Stderr, "gen: %v\n", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d items\n", path, len(tb.items))
	}
}

// ---- AttributeValue JSON ----

// av is one DynamoDB attribute value; it marshals as {"<type>": <value>}.
type av struct {
	typ string
	val any // string, bool, []byte, []string, [][]byte, []av or item
}

// field is one named attribute.
type field struct {
	name string
	val  av
}

// item is an item or a map value; it keeps its attributes in the order they
// were added, keys first, which makes the files easy to read.
type item []field

func (it *item) set(name string, v av) { *it = append(*it, field{name, v}) }

// put replaces the value of name, or adds it.
func (it *item) put(name string, v av) {
	for i := range *it {
		if (*it)[i].name == name {
			(*it)[i].val = v
			return
		}
	}
	it.set(name, v)
}

func (it item) get(name string) (av, bool) {
	for _, f := range it {
		if f.name == name {
			return f.val, true
		}
	}
	return av{}, false
}

func S(s string) av        { return av{"S", s} }
func N(n string) av        { return av{"N", n} }
func Ni(n int) av          { return N(strconv.Itoa(n)) }
func B(b []byte) av        { return av{"B", b} }
func BOOL(b bool) av       { return av{"BOOL", b} }
func NULL() av             { return av{"NULL", true} }
func M(fields ...field) av { return av{"M", item(fields)} }
func L(vals ...av) av      { return av{"L", vals} }
func SS(s ...string) av    { return av{"SS", s} }
func NS(n ...string) av    { return av{"NS", n} }
func BS(b ...[]byte) av    { return av{"BS", b} }
func F(name string, v av) field {
	return field{name, v}
}

func (v av) encode(buf *bytes.Buffer) {
	buf.WriteString(`{"` + v.typ + `":`)
	switch x := v.val.(type) {
	case string:
		writeString(buf, x)
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case []byte:
		writeString(buf, base64.StdEncoding.EncodeToString(x))
	case []string:
		buf.WriteByte('[')
		for i, s := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, s)
		}
		buf.WriteByte(']')
	case [][]byte:
		buf.WriteByte('[')
		for i, b := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, base64.StdEncoding.EncodeToString(b))
		}
		buf.WriteByte(']')
	case []av:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			e.encode(buf)
		}
		buf.WriteByte(']')
	case item:
		x.encode(buf)
	default:
		panic(fmt.Sprintf("unexpected value %T", x))
	}
	buf.WriteByte('}')
}

func (it item) encode(buf *bytes.Buffer) {
	buf.WriteByte('{')
	for i, f := range it {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeString(buf, f.name)
		buf.WriteByte(':')
		f.val.encode(buf)
	}
	buf.WriteByte('}')
}

// writeString writes s as a JSON string, leaving <, > and & as they are.
func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
}

func writeItems(path string, items []item) error {
	var buf bytes.Buffer
	for _, it := range items {
		it.encode(&buf)
		buf.WriteByte('\n')
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.Write(buf.Bytes())
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// missingTypes returns the attribute types that occur nowhere in items, at
// any depth.
func missingTypes(items []item) []string {
	seen := map[string]bool{}
	var walk func(v av)
	walk = func(v av) {
		seen[v.typ] = true
		switch x := v.val.(type) {
		case []av:
			for _, e := range x {
				walk(e)
			}
		case item:
			for _, f := range x {
				walk(f.val)
			}
		}
	}
	for _, it := range items {
		walk(av{"M", it})
	}
	var missing []string
	for _, typ := range []string{"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"} {
		if !seen[typ] {
			missing = append(missing, typ)
		}
	}
	return missing
}

// ---- helpers ----

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// sample returns n distinct elements of xs in their original order.
func sample[T any](rng *rand.Rand, xs []T, n int) []T {
	idx := rng.Perm(len(xs))[:n]
	slices.Sort(idx)
	out := make([]T, n)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func randBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	return b
}

func hexID(rng *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rng.IntN(16)]
	}
	return string(b)
}

// iso formats t as DynamoDB users usually store times: ISO 8601 in UTC.
func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// cents formats an amount in cents as a decimal with two places.
func cents(c int) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// decimal formats v with at most places decimals, without trailing zeros.
func decimal(v float64, places int) string {
	s := strconv.FormatFloat(v, 'f', places, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// ---- Products ----

type productKind struct {
	category string
	names    []string
	minCents int
	maxCents int
}

var productKinds = []productKind{
	{"Games", []string{"Starfall Odyssey", "Dungeon Depths", "Pixel Racers", "Kingdom of Ash", "Neon Drift", "Mystic Isles", "Tactical Squad", "Farmstead Tales", "Cosmic Chess", "Shadow Runner", "Ocean Legends", "Robo Arena"}, 1999, 6999},
	{"Consoles", []string{"Nova Console", "Nova Console Pro", "Handheld Mini", "Retro Box 64"}, 19999, 54999},
	{"Accessories", []string{"Wireless Controller", "Charging Dock", "Racing Wheel", "Headset X", "Arcade Stick", "Memory Card 256 GB", "Carry Case", "HDMI Cable 2 m"}, 999, 24999},
	{"Apparel", []string{"Logo T-Shirt", "Guild Hoodie", "Pixel Cap", "Speedrunner Socks", "Champion Jersey"}, 1499, 5999},
	{"Collectibles", []string{"Dragon Figure", "Art Book", "Soundtrack Vinyl", "Enamel Pin Set", "Plush Slime"}, 1299, 14999},
}

var descriptions = []string{
	"Limited edition — only while stocks last.",
	"Includes a download code for the bonus level \"Frozen Peaks\".",
	"Édition collector avec boîte métal.",
	"Ships in 2–3 days.",
	"Fan favourite 🎮 of the season.",
	"Works with every console sold since 2020 & most PCs.",
	"",
}

func genProducts(rng *rand.Rand) []item {
	var out []item
	for i := 1; i <= 60; i++ {
		k := productKinds[(i*7)%len(productKinds)]
		id := fmt.Sprintf("p%03d", i)
		var it item
		it.set("productId", S(id))
		name := pick(rng, k.names)
		if rng.IntN(3) == 0 {
			name += " " + pick(rng, []string{"Deluxe", "Classic", "Edition II", "Bundle", "(Blue)", "(Red)"})
		}
		it.set("name", S(name))
		it.set("category", S(k.category))
		price := k.minCents + rng.IntN(k.maxCents-k.minCents)
		price = price/100*100 + pick(rng, []int{99, 99, 99, 49, 0, 95})
		it.set("price", N(cents(price)))
		stock := rng.IntN(250)
		if rng.IntN(8) == 0 {
			stock = 0
		}
		it.set("stock", Ni(stock))
		if d := pick(rng, descriptions); d != "" {
			it.set("description", S(d))
		}
		it.set("featured", BOOL(rng.IntN(5) == 0))
		unit := "cm"
		w, h, dp := 5+rng.Float64()*40, 3+rng.Float64()*30, 1+rng.Float64()*20
		dims := M(F("width", N(decimal(w, 1))), F("height", N(decimal(h, 1))), F("depth", N(decimal(dp, 1))), F("unit", S(unit)))
		if k.category != "Games" || rng.IntN(2) == 0 { // digital-only games have no box
			it.set("dimensions", dims)
		}
		nImages := rng.IntN(4)
		var images []av
		for _, view := range []string{"front", "back", "side", "detail"}[:nImages] {
			images = append(images, S(fmt.Sprintf("images/%s/%s.jpg", id, view)))
		}
		it.set("images", L(images...)) // empty for some: L may be empty, sets may not
		if k.category == "Apparel" {
			it.set("sizes", SS(sample(rng, []string{"XS", "S", "M", "L", "XL", "XXL"}, 2+rng.IntN(4))...))
		}
		if k.category == "Games" {
			// "size" is a reserved word: the download size in GB.
			it.set("size", N(decimal(0.5+rng.Float64()*80, 1)))
			it.set("platforms", SS(sample(rng, []string{"Nova", "Handheld", "PC", "Retro Box"}, 1+rng.IntN(3))...))
			if rng.IntN(2) == 0 {
				var keys [][]byte
				for range 1 + rng.IntN(3) {
					keys = append(keys, randBytes(rng, 10))
				}
				it.set("licenseKeys", BS(keys...))
			}
		}
		if n := rng.IntN(6); n > 0 {
			ratings := sample(rng, []string{"1", "2", "3", "3.5", "4", "4.5", "5"}, n)
			it.set("ratings", NS(ratings...))
		}
		if rng.IntN(6) == 0 {
			it.set("discontinuedAt", NULL())
		}
		it.set("thumbnail", B(randBytes(rng, 12+rng.IntN(12))))
		it.set("createdAt", S(iso(epoch.AddDate(0, 0, -rng.IntN(900)))))
		out = append(out, it)
	}
	return out
}

// ---- Users ----

var (
	firstNames = []string{"Ann", "Bob", "Chloé", "Dmitri", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kai", "Lena", "Mateo", "Nora", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë"}
	lastNames  = []string{"Smith", "Müller", "García", "Kowalski", "Nakamura", "O'Brien", "Rossi", "Jensen", "Dubois", "Silva", "Novak", "Chen", "Haddad", "Larsen", "Ivanova"}
	cities     = []struct{ city, zip string }{{"Berlin", "10115"}, {"Lisboa", "1100-148"}, {"Seattle", "98101"}, {"Osaka", "530-0001"}, {"São Paulo", "01000-000"}, {"Kraków", "30-001"}, {"Dublin", "D02 X285"}, {"Lyon", "69001"}, {"Toronto", "M5H 2N2"}, {"Nairobi", "00100"}}
	userTags   = []string{"beta-tester", "newsletter", "vip", "streamer", "collector", "early-adopter", "speedrunner"}
	themes     = []string{"dark", "light", "system"}
	languages  = []string{"en", "de", "fr", "pt-BR", "ja", "pl"}
)

func asciiFold(s string) string {
	r := strings.NewReplacer("é", "e", "ë", "e", "á", "a", "ã", "a", "ü", "ue", "ó", "o", "í", "i", "'", "")
	return strings.ToLower(r.Replace(s))
}

func genUsers(rng *rand.Rand) []item {
	var out []item
	for i := 1; i <= 50; i++ {
		var it item
		id := fmt.Sprintf("u%03d", i)
		first, last := pick(rng, firstNames), pick(rng, lastNames)
		it.set("userId", S(id))
		it.set("email", S(fmt.Sprintf("%s.%s%d@example.com", asciiFold(first), asciiFold(last), i)))
		it.set("name", S(first+" "+last))
		switch rng.IntN(4) {
		case 0:
			it.set("nickname", NULL())
		case 1:
			it.set("nickname", S(strings.ToLower(first[:1])+pick(rng, []string{"blaze", "pixel", "ninja", "wolf", "star"})+strconv.Itoa(rng.IntN(100))))
		}
		c := pick(rng, cities)
		profile := item{F("address", M(F("city", S(c.city)), F("zip", S(c.zip))))}
		prefs := item{F("newsletter", BOOL(rng.IntN(2) == 0)), F("theme", S(pick(rng, themes)))}
		if rng.IntN(3) > 0 {
			prefs.set("language", S(pick(rng, languages)))
		}
		if rng.IntN(4) == 0 {
			prefs.set("notifications", M(F("email", BOOL(true)), F("push", BOOL(rng.IntN(2) == 0))))
		}
		profile.set("preferences", av{"M", prefs})
		if rng.IntN(3) == 0 {
			profile.set("birthYear", Ni(1970+rng.IntN(36)))
		}
		it.set("profile", av{"M", profile})
		if n := rng.IntN(4); n > 0 {
			var tags []av
			for _, tg := range sample(rng, userTags, n) {
				tags = append(tags, S(tg))
			}
			it.set("tags", L(tags...))
		}
		roles := []string{"player"}
		if rng.IntN(8) == 0 {
			roles = append(roles, "moderator")
		}
		if i == 1 || rng.IntN(25) == 0 {
			roles = append(roles, "admin")
		}
		it.set("roles", SS(roles...))
		if n := rng.IntN(4); n > 0 {
			it.set("favouriteNumbers", NS(sample(rng, []string{"3", "7", "13", "21", "42", "-1", "3.14", "1000000"}, n)...))
		}
		if rng.IntN(5) > 0 {
			it.set("avatar", B(randBytes(rng, 16+rng.IntN(17))))
		}
		if rng.IntN(6) == 0 {
			var codes [][]byte
			for range 2 + rng.IntN(3) {
				codes = append(codes, randBytes(rng, 6))
			}
			it.set("backupCodes", BS(codes...))
		}
		active := rng.IntN(10) > 0
		it.set("active", BOOL(active))
		status := "active"
		if !active {
			status = pick(rng, []string{"suspended", "closed"})
		}
		it.set("status", S(status)) // "status" is a reserved word
		it.set("loginCount", Ni(rng.IntN(500)))
		it.set("createdAt", S(iso(epoch.Add(-time.Duration(rng.IntN(3*365*24*3600))*time.Second))))
		out = append(out, it)
	}
	// u001 carries every attribute type, whatever the dice said.
	u := &out[0]
	u.put("nickname", NULL())
	u.put("tags", L(S("beta-tester"), S("vip")))
	u.put("favouriteNumbers", NS("7", "42"))
	u.put("avatar", B([]byte("\x89PNG\r\n\x1a\n-avatar-u001")))
	u.put("backupCodes", BS([]byte("code-1"), []byte("code-2")))
	return out
}

// ---- Orders ----

var orderStatuses = []string{"PENDING", "SHIPPED", "DELIVERED", "DELIVERED", "DELIVERED", "CANCELLED"}

func genOrders(rng *rand.Rand, users, products []item) []item {
	// Some customers order often, most rarely, a few never.
	customers := make([]string, 0, 40)
	for _, u := range users[:40] {
		id, _ := u.get("userId")
		customers = append(customers, id.val.(string))
	}
	var out []item
	for i := 1; i <= 300; i++ {
		var customer string
		if rng.IntN(3) == 0 {
			customer = customers[rng.IntN(5)]
		} else {
			customer = pick(rng, customers)
		}
		created := epoch.Add(-time.Duration(rng.IntN(400*24*3600)) * time.Second)
		var it item
		it.set("customerId", S(customer))
		it.set("orderId", S(fmt.Sprintf("o%04d", i)))
		if rng.IntN(10) > 0 { // the others have no status yet: OrderStatusIndex is sparse
			st := pick(rng, orderStatuses)
			if created.After(epoch.AddDate(0, 0, -3)) {
				st = "PENDING"
			}
			it.set("orderStatus", S(st))
		}
		it.set("createdAt", S(iso(created)))
		var items []av
		total := 0
		for _, p := range sample(rng, products, 1+rng.IntN(4)) {
			pid, _ := p.get("productId")
			price, _ := p.get("price")
			qty := 1
			if rng.IntN(4) == 0 {
				qty = 2 + rng.IntN(3)
			}
			c, _ := strconv.ParseFloat(price.val.(string), 64)
			total += qty * int(c*100+0.5)
			items = append(items, M(F("productId", pid), F("qty", Ni(qty)), F("price", price)))
		}
		it.set("items", L(items...))
		amount := cents(total)
		if i == 137 {
			// A number with DynamoDB's full 38 significant digits.
			amount = "12345678901234567890.123456789012345678"
		}
		it.set("totalAmount", N(amount))
		it.set("currency", S(pick(rng, []string{"EUR", "EUR", "USD", "GBP"})))
		if rng.IntN(7) == 0 {
			it.set("couponCode", S(pick(rng, []string{"SPRING10", "WELCOME", "VIP-2024"})))
		}
		if rng.IntN(15) == 0 {
			it.set("giftMessage", S(pick(rng, []string{"Happy birthday! 🎂", "For \"the champ\" – enjoy", "Merry Christmas,\nfrom all of us"})))
		}
		if st, ok := it.get("orderStatus"); ok && (st.val == "SHIPPED" || st.val == "DELIVERED") {
			it.set("shipping", M(F("carrier", S(pick(rng, []string{"DHL", "UPS", "PostNL"}))), F("trackingNumber", S(strings.ToUpper(hexID(rng, 12)))), F("shippedAt", S(iso(created.Add(time.Duration(6+rng.IntN(48))*time.Hour))))))
		}
		out = append(out, it)
	}
	return out
}

// ---- GameLeaderboards ----

func genLeaderboards(rng *rand.Rand, users []item) []item {
	achievements := []string{"first-blood", "speed-demon", "collector", "untouchable", "marathon", "perfectionist", "night-owl", "comeback"}
	var out []item
	for g := 1; g <= 5; g++ {
		gameID := fmt.Sprintf("g%d", g)
		players := sample(rng, users, 35)
		for p := 0; p < 40; p++ {
			var playerID string
			if p < len(players) {
				id, _ := players[p].get("userId")
				playerID = id.val.(string)
			} else {
				playerID = fmt.Sprintf("guest-%s", hexID(rng, 6))
			}
			var score string
			switch g {
			case 1, 2: // points
				score = strconv.Itoa(rng.IntN(100000))
			case 3: // golf: strokes relative to par
				score = strconv.Itoa(rng.IntN(31) - 18)
			case 4: // time trial in seconds
				score = decimal(60+rng.Float64()*120, 2)
			case 5: // rating that can go below zero
				score = decimal(rng.Float64()*400-100, 1)
			}
			var it item
			it.set("gameId", S(gameID))
			it.set("playerId", S(playerID))
			it.set("score", N(score))
			it.set("level", Ni(1+rng.IntN(60)))
			if n := rng.IntN(5); n > 0 {
				it.set("achievements", SS(sample(rng, achievements, n)...))
			}
			it.set("count", Ni(1+rng.IntN(900))) // games played; "count" is reserved
			it.set("lastPlayed", S(iso(epoch.Add(-time.Duration(rng.IntN(60*24*3600))*time.Second))))
			if strings.HasPrefix(playerID, "guest-") {
				it.set("guest", BOOL(true))
			}
			out = append(out, it)
		}
	}
	return out
}

// ---- IoTSensorData ----

func genSensorData(rng *rand.Rand) []item {
	type device struct {
		location string
		base     float64 // typical temperature
		humidity bool
	}
	devices := []device{
		{"warehouse-a", 18, true}, {"warehouse-b", 19, true}, {"office-1", 22, true}, {"office-2", 21.5, true},
		{"server-room", 24, true}, {"loading-dock", 12, false}, {"freezer-1", -18, false}, {"freezer-2", -20, false},
		{"roof", 8, true}, {"shop-floor", 20.5, true},
	}
	start := epoch.Unix()
	var out []item
	for d, dev := range devices {
		deviceID := fmt.Sprintf("d%02d", d+1)
		tags := []av{S(dev.location)}
		if strings.HasPrefix(dev.location, "freezer") {
			tags = append(tags, S("cold-chain"))
		}
		temp := dev.base
		for i := 0; i < 200; i++ {
			ts := start + int64(i)*900 + int64(rng.IntN(60))
			temp += (rng.Float64() - 0.5) * 0.6
			temp += (dev.base - temp) * 0.1
			var it item
			it.set("deviceId", S(deviceID))
			it.set("timestamp", N(strconv.FormatInt(ts, 10)))
			it.set("temperature", N(decimal(temp, 2)))
			if dev.humidity && rng.IntN(25) > 0 {
				it.set("humidity", N(decimal(35+rng.Float64()*30, 1)))
			}
			it.set("reading", B(randBytes(rng, 8)))
			it.set("tags", L(tags...))
			if i%50 == 0 {
				it.set("battery", Ni(100-i/10-rng.IntN(5)))
			}
			out = append(out, it)
		}
	}
	return out
}

// ---- Sessions ----

func genSessions(rng *rand.Rand, users, products []item) []item {
	pages := []string{"/", "/shop", "/shop/games", "/cart", "/checkout", "/account", "/leaderboards/g3"}
	var out []item
	for i := 0; i < 100; i++ {
		u := pick(rng, users)
		uid, _ := u.get("userId")
		created := epoch.Add(-time.Duration(rng.IntN(14*24*3600)) * time.Second)
		var it item
		it.set("sessionId", S(hexID(rng, 32)))
		it.set("userId", uid)
		it.set("createdAt", S(iso(created)))
		// Expires a day after it was created: some in the past, so a TTL
		// sweep would remove them.
		it.set("ttl", N(strconv.FormatInt(created.Add(24*time.Hour).Unix(), 10)))
		var cart []av
		for _, p := range sample(rng, products, rng.IntN(4)) {
			pid, _ := p.get("productId")
			cart = append(cart, M(F("productId", pid), F("qty", Ni(1+rng.IntN(2)))))
		}
		data := item{ // "data" is a reserved word
			F("cart", L(cart...)),
			F("lastPage", S(pick(rng, pages))),
			F("device", M(F("type", S(pick(rng, []string{"desktop", "mobile", "console"}))), F("os", S(pick(rng, []string{"Linux", "Windows", "iOS", "Android", "NovaOS"}))))),
		}
		if rng.IntN(4) == 0 {
			data.set("flags", SS(sample(rng, []string{"dark-mode", "new-checkout", "beta"}, 1+rng.IntN(2))...))
		}
		it.set("data", av{"M", data})
		if rng.IntN(5) == 0 {
			it.set("rememberMe", BOOL(true))
		}
		out = append(out, it)
	}
	return out
}
