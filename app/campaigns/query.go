package campaigns

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"parley/app/model"
	"parley/storage"
)

// QueryParams are the query-string names of a lead filter, shared by the
// leads page, GET /api/v1/leads, exports and campaigns' saved filters.
var QueryParams = []string{"q", "state", "list", "campaign", "account", "tag", "replied", "from", "to", "updated_from", "updated_to", "sort"}

// ParseQuery reads a lead filter from query-string values. Unknown
// parameters are ignored; bad values are coded errors naming the field.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{Text: v.Get("q"), Tag: v.Get("tag"), Cursor: v.Get("cursor")}
	if s := v.Get("state"); s != "" {
		if !model.LeadState(s).Valid() {
			return q, model.Errorf(model.CodeInvalid, "%q is not a lead state", s)
		}
		q.State = model.LeadState(s)
	}
	for _, f := range []struct {
		name string
		dst  *uint64
	}{{"list", &q.ListID}, {"campaign", &q.CampaignID}, {"account", &q.AccountID}} {
		if s := v.Get(f.name); s != "" {
			id, err := strconv.ParseUint(s, 10, 64)
			if err != nil || id == 0 {
				return q, model.Errorf(model.CodeInvalid, "%s must be a %s number", f.name, f.name)
			}
			*f.dst = id
		}
	}
	switch v.Get("replied") {
	case "yes", "true":
		yes := true
		q.Replied = &yes
	case "no", "false":
		no := false
		q.Replied = &no
	case "":
	default:
		return q, model.Errorf(model.CodeInvalid, "replied must be yes or no")
	}
	switch v.Get("sort") {
	case "", "newest":
		q.Order = storage.OrderNewest
	case "oldest":
		q.Order = storage.OrderOldest
	case "name":
		q.Order = storage.OrderName
	case "updated":
		q.Order = storage.OrderUpdated
	default:
		return q, model.Errorf(model.CodeInvalid, "sort must be newest, oldest, name or updated")
	}
	for _, d := range []struct {
		name string
		end  bool
		dst  *time.Time
	}{{"from", false, &q.CreatedFrom}, {"to", true, &q.CreatedTo}, {"updated_from", false, &q.UpdatedFrom}, {"updated_to", true, &q.UpdatedTo}} {
		t, err := model.ParseWhen(v.Get(d.name), d.name, d.end)
		if err != nil {
			return q, err
		}
		*d.dst = t
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return q, model.Errorf(model.CodeInvalid, "limit must be a number from 1 to 500")
		}
		q.Limit = n
	}
	return q, nil
}

// FilterString keeps only the filter parameters of v (no cursor, no
// limit), in a stable order: the form a campaign saves.
func FilterString(v url.Values) string {
	out := url.Values{}
	for _, name := range QueryParams {
		if s := strings.TrimSpace(v.Get(name)); s != "" {
			out.Set(name, s)
		}
	}
	return out.Encode()
}
