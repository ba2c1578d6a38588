package csvin

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// leadsCSV builds an export like the ones salespeople upload: n rows of
// nine columns, a third with quoted values holding commas, some with
// accents and an occasional multi-line note.
func leadsCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("\uFEFFLinkedIn URL,First Name,Last Name,Company,Job Title,Email,Location,Tags,Notes\r\n")
	firsts := []string{"Ann", "José", "Zoë", "Priya", "Bob", "Ōta", "Renée", "Kim"}
	lasts := []string{"Lee", "García", "Müller", "Patel", "O'Brien", "Ng", "Dubois", "Smith-Jones"}
	companies := []string{"Acme", `"Initech, Inc."`, "Hooli", `"Globex ""West"""`, "Stark Industries", "Umbrella Corp"}
	titles := []string{"CEO", "VP Sales", `"Head of Growth, EMEA"`, "Account Executive", "CTO"}
	for i := range n {
		first, last := firsts[i%len(firsts)], lasts[i%len(lasts)]
		note := "Met at the spring conference; follow up in Q3"
		if i%50 == 0 {
			note = `"Called twice,
left a voicemail"`
		}
		fmt.Fprintf(&b, "https://www.linkedin.com/in/lead-%07d,%s,%s,%s,%s,lead%d@example.com,\"Berlin, Germany\",\"prospect, q3\",%s\r\n",
			i, first, last, companies[i%len(companies)], titles[i%len(titles)], i, note)
	}
	return b.Bytes()
}

// BenchmarkReader100k reads a 100,000-row export (about 18 MB) from
// memory: sniffing, splitting, parsing and cleaning every cell.
func BenchmarkReader100k(b *testing.B) {
	const rows = 100_000
	data := leadsCSV(rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Open(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil || rec.Err != nil {
				b.Fatal(err, rec.Err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
