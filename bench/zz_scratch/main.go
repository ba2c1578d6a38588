package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"maragu.dev/goqite"
	_ "modernc.org/sqlite"
)

const schema = `
create table goqite (
  id text primary key default ('m_' || lower(hex(randomblob(16)))),
  created text not null default (strftime('%Y-%m-%dT%H:%M:%fZ')),
  updated text not null default (strftime('%Y-%m-%dT%H:%M:%fZ')),
  queue text not null,
  body blob not null,
  timeout text not null default (strftime('%Y-%m-%dT%H:%M:%fZ')),
  received integer not null default 0,
  priority integer not null default 0
) strict;
create trigger goqite_updated_timestamp after update on goqite begin
  update goqite set updated = strftime('%Y-%m-%dT%H:%M:%fZ') where id = old.id;
end;
create index goqite_queue_priority_created_idx on goqite (queue, priority desc, created);
`

func main() {
	conns := flag.Int("conns", 0, "")
	workers := flag.Int("w", 1, "")
	cycles := flag.Int("n", 2000, "")
	dsnExtra := flag.String("dsn", "&_txlock=immediate", "")
	flag.Parse()
	dir, _ := os.MkdirTemp("", "qexp")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "g.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)"+*dsnExtra)
	if err != nil {
		panic(err)
	}
	if *conns > 0 {
		db.SetMaxOpenConns(*conns)
		db.SetMaxIdleConns(*conns)
	}
	ctx := context.Background()
	if _, err := db.Exec(schema); err != nil {
		panic(err)
	}
	q := goqite.New(goqite.NewOpts{DB: db, Name: "jobs", Timeout: time.Minute})
	body := make([]byte, 300)
	t0 := time.Now()
	var wg sync.WaitGroup
	per := *cycles / *workers
	for range *workers {
		wg.Go(func() {
			for range per {
				if err := q.Send(ctx, goqite.Message{Body: body}); err != nil {
					panic(err)
				}
				var m *goqite.Message
				for m == nil {
					m, err = q.Receive(ctx)
					if err != nil {
						panic(err)
					}
				}
				if err := q.Delete(ctx, m.ID); err != nil {
					panic(err)
				}
			}
		})
	}
	wg.Wait()
	el := time.Since(t0)
	fmt.Printf("conns=%d w=%d: %d cycles in %s, %.0f/s; open conns %d\n", *conns, *workers, per**workers, el, float64(per**workers)/el.Seconds(), db.Stats().OpenConnections)
}
