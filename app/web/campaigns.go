package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/forecast"
	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/storage"
	"parley/views/pages"
)

// campaignRoutes are the pages and API of campaigns, sequences and forecasts.
func (s *Server) campaignRoutes() []route {
	get, post, put := http.MethodGet, http.MethodPost, http.MethodPut
	return []route{
		{get, "/campaigns", PermSession, classNone, s.campaignsPage},
		{get, "/campaigns/new", PermSession, classNone, s.newCampaignPage},
		{post, "/campaigns", PermSession, classControl, s.campaignFormPost},
		{get, "/campaigns/:id", PermSession, classNone, s.campaignPage},
		{get, "/campaigns/:id/edit", PermSession, classNone, s.editCampaignPage},
		{post, "/campaigns/:id", PermSession, classControl, s.campaignFormPost},
		{post, "/campaigns/:id/state", PermSession, classControl, s.campaignStatePost},
		{post, "/campaigns/:id/enrol", PermSession, classControl, s.campaignEnrolPost},

		{get, "/api/v1/campaigns", PermAPIRead, classAPI, s.apiCampaigns},
		{post, "/api/v1/campaigns", PermAPIControl, classControl, s.apiSaveCampaign},
		{get, "/api/v1/campaigns/:id", PermAPIRead, classAPI, s.apiCampaign},
		{put, "/api/v1/campaigns/:id", PermAPIControl, classControl, s.apiSaveCampaign},
		{post, "/api/v1/campaigns/:id/state", PermAPIControl, classControl, s.apiCampaignState},
		{post, "/api/v1/campaigns/:id/enrol", PermAPIControl, classControl, s.apiCampaignEnrol},
		{get, "/api/v1/campaigns/:id/forecast", PermAPIRead, classAPI, s.apiCampaignForecast},
	}
}

// campaignID reads :id. Anything but a positive number is a bad request;
// a number no campaign has is the service's 404.
func campaignID(c echo.Context) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, model.Errorf(model.CodeInvalid, "%q is not a campaign number; campaign addresses look like /campaigns/12", truncate(c.Param("id"), 20))
	}
	return id, nil
}

func (s *Server) campaignsPage(c echo.Context) error {
	archived := c.QueryParam("archived") == "1"
	list, err := s.o.Campaigns.Campaigns(archived)
	if err != nil {
		return err
	}
	names, err := s.accountNames()
	if err != nil {
		return err
	}
	v := pages.CampaignsView{Archived: archived}
	for _, ci := range list {
		row := pages.CampaignRow{ID: ci.ID, Name: ci.Name, State: ci.State, Enrolled: ci.Counts.Enrolled(),
			Active: ci.Counts.ByStatus[model.EnrolActive], Replied: ci.Counts.ByStatus[model.EnrolReplied], Done: ci.Counts.ByStatus[model.EnrolDone]}
		for _, id := range ci.AccountIDs {
			row.Accounts = append(row.Accounts, names[id])
		}
		if ci.State == model.CampaignActive || ci.State == model.CampaignPaused {
			if res, _, err := s.o.Campaigns.Forecast(ci.ID); err == nil {
				row.Forecast = res.Summary
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(c, http.StatusOK, pages.Campaigns(s.layout(c, "Campaigns", "campaigns"), v))
}

func (s *Server) accountNames() (map[uint64]string, error) {
	all, err := s.o.Accounts.List(true)
	names := map[uint64]string{}
	for _, a := range all {
		names[a.ID] = a.Name
	}
	return names, err
}

func (s *Server) campaignPage(c echo.Context) error {
	id, err := campaignID(c)
	if err != nil {
		return err
	}
	return s.renderCampaign(c, http.StatusOK, id, campaignFlash(c.QueryParams()), "")
}

// campaignFlash turns the redirect's query parameters into a message.
func campaignFlash(q url.Values) *pages.Flash {
	var parts []string
	if q.Get("saved") == "1" {
		parts = append(parts, "Campaign saved.")
	}
	switch q.Get("state") {
	case model.CampaignActive:
		parts = append(parts, "The campaign is active.")
	case model.CampaignPaused:
		parts = append(parts, "Campaign paused: nothing more is sent until you resume it.")
	case model.CampaignCompleted:
		parts = append(parts, "Campaign completed: every sequence has ended.")
	case model.CampaignArchived:
		parts = append(parts, "Campaign archived.")
	}
	if q.Has("enrolled") {
		n := func(k string) int { v, _ := strconv.Atoi(q.Get(k)); return max(v, 0) }
		parts = append(parts, enrolSentence(campaigns.EnrolResult{Enrolled: n("enrolled"), Blacklisted: n("blacklisted"), InOtherCampaign: n("other"), Skipped: n("skipped")}))
	}
	if len(parts) == 0 {
		return nil
	}
	return &pages.Flash{Kind: "ok", Text: strings.Join(parts, " ")}
}

// enrolSentence says what an enrolment did, in the words of the page.
func enrolSentence(r campaigns.EnrolResult) string {
	if r == (campaigns.EnrolResult{}) {
		return "No leads were enrolled: the source has no new leads that are not already in a sequence."
	}
	s := fmt.Sprintf("Enrolled %s", plural(r.Enrolled, "lead"))
	if r.Blacklisted > 0 {
		s += fmt.Sprintf("; %d %s on the do-not-contact list and %s blacklisted", r.Blacklisted, wasWere(r.Blacklisted), wasWere(r.Blacklisted))
	}
	if r.InOtherCampaign > 0 {
		s += fmt.Sprintf("; %d %s already in another campaign", r.InOtherCampaign, isAre(r.InOtherCampaign))
	}
	if r.Skipped > 0 {
		s += fmt.Sprintf("; %d %s left out (not new, or already in this campaign)", r.Skipped, wasWere(r.Skipped))
	}
	return s + "."
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// renderCampaign shows a campaign's page with a flash or an error.
func (s *Server) renderCampaign(c echo.Context, status int, id uint64, flash *pages.Flash, msg string) error {
	ci, err := s.o.Campaigns.Campaign(id)
	if err != nil {
		return err
	}
	all, err := s.o.Accounts.List(true)
	if err != nil {
		return err
	}
	v := pages.CampaignView{Campaign: ci.Campaign, Flash: flash, Error: msg, Sequence: sequence.Describe(ci.Steps),
		Enrolled: ci.Counts.Enrolled(), Transitions: campaignTransitions(ci.State),
		Editable: ci.State == model.CampaignDraft || ci.State == model.CampaignPaused,
		CanEnrol: ci.State == model.CampaignActive || ci.State == model.CampaignPaused}
	for _, a := range all {
		if slices.Contains(ci.AccountIDs, a.ID) {
			v.Accounts = append(v.Accounts, pages.CampaignAccount{ID: a.ID, Name: a.Name, Archived: a.Archived(), Limits: a.Limits})
		}
	}
	if v.Source, err = s.campaignSource(ci.Source); err != nil {
		return err
	}
	for _, st := range ci.Steps {
		v.NeedsReview = v.NeedsReview || (st.Approval && st.HasText())
	}
	for _, st := range [][2]string{{model.EnrolActive, "In the sequence"}, {model.EnrolReplied, "Replied"}, {model.EnrolDone, "Finished every step"}, {model.EnrolExited, "Left early"}} {
		v.ByStatus = append(v.ByStatus, pages.CampaignCount{Label: st[1], Count: ci.Counts.ByStatus[st[0]]})
	}
	res, in, err := s.o.Campaigns.Forecast(id)
	if err != nil {
		return err
	}
	v.Forecast = forecastView(res, in, ci.Counts, v.Sequence)
	if v.Enrolled > 0 {
		if v.Upcoming, err = s.upcoming(id); err != nil {
			return err
		}
	}
	return s.render(c, status, pages.CampaignPage(s.layout(c, ci.Name, "campaigns"), v))
}

// campaignTransitions are the state buttons a campaign in state offers.
func campaignTransitions(state string) []pages.CampaignTransition {
	var out []pages.CampaignTransition
	for _, t := range []pages.CampaignTransition{
		{To: model.CampaignActive, Label: "Activate", Help: "checks that the campaign can run (a sender account, steps with templates, a limit for every action), then enrols the source's leads now; sending starts within the senders' working hours."},
		{To: model.CampaignPaused, Label: "Pause", Help: "stops sending at once; leads keep their place in the sequence."},
		{To: model.CampaignCompleted, Label: "Complete", Help: "ends every lead's sequence for good; leads that heard nothing yet become new again."},
		{To: model.CampaignArchived, Label: "Archive", Help: "ends every sequence and hides the campaign from the list; its history stays."},
	} {
		if model.CheckCampaignTransition(state, t.To) != nil {
			continue
		}
		if t.To == model.CampaignActive && state == model.CampaignPaused {
			t.Label, t.Help = "Resume", "continues where each lead stopped and enrols the source's leads added since."
		}
		out = append(out, t)
	}
	return out
}

// campaignSource describes the lead source and links the leads page
// filtered the same way.
func (s *Server) campaignSource(src model.LeadSource) (pages.CampaignSource, error) {
	switch src.Kind {
	case model.SourceList:
		lists, err := s.o.Campaigns.Lists()
		if err != nil {
			return pages.CampaignSource{}, err
		}
		for _, l := range lists {
			if l.ID == src.ListID {
				return pages.CampaignSource{Text: fmt.Sprintf("List “%s” (%s)", l.Name, plural(l.Size, "lead")), Link: fmt.Sprintf("/leads?list=%d", l.ID)}, nil
			}
		}
		return pages.CampaignSource{Text: fmt.Sprintf("List %d, which no longer exists", src.ListID)}, nil
	case model.SourceTag:
		return pages.CampaignSource{Text: fmt.Sprintf("Leads tagged “%s”", src.Tag), Link: "/leads?" + url.Values{"tag": {src.Tag}}.Encode()}, nil
	case model.SourceFilter:
		return pages.CampaignSource{Text: "Leads matching the saved filter " + src.Filter, Link: "/leads?" + src.Filter}, nil
	}
	return pages.CampaignSource{Text: "No source chosen yet"}, nil
}

func forecastView(res forecast.Result, in forecast.Input, counts storage.CampaignCounts, lines []string) pages.CampaignForecast {
	v := pages.CampaignForecast{Summary: res.Summary, Beyond: res.Beyond, Notes: res.Notes, NotEnrolled: in.NotEnrolled,
		AcceptRate:     fmt.Sprintf("%.0f%% of invites are accepted", in.Assume.AcceptRate*100),
		AcceptAfter:    fmt.Sprintf("%s after the invite", plural(in.Assume.AcceptAfterDays, "day")),
		ReplyRate:      fmt.Sprintf("%.0f%% of leads reply to each message", in.Assume.ReplyRate*100),
		AcceptMeasured: counts.Outcomes["invited"] >= campaigns.MinSample, ReplyMeasured: counts.Outcomes["messaged"] >= campaigns.MinSample}
	for _, st := range res.Steps {
		f := pages.CampaignStepForecast{Number: st.Step + 1, Waiting: counts.ByStep[st.Step], Leads: leadsText(st.Leads), Bottleneck: st.Bottleneck, Done: "—"}
		if st.Step < len(lines) {
			f.Line = lines[st.Step]
		}
		switch {
		case !st.Done.IsZero():
			f.Done = st.Done.Format("Mon 2 Jan")
			if st.Done.Year() != in.Now.Year() {
				f.Done = st.Done.Format("Mon 2 Jan 2006")
			}
		case st.Leads >= 0.5:
			f.Done = "not within a year"
		}
		v.Steps = append(v.Steps, f)
	}
	return v
}

// leadsText rounds an expected number of leads for people.
func leadsText(n float64) string {
	switch {
	case n <= 0:
		return "0"
	case n < 10:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", n), ".0") // few leads: 0.9, 2.7, 3
	}
	return fmt.Sprintf("%.0f", n)
}

// upcoming says what the sequence does next for the first few leads of
// the campaign.
func (s *Server) upcoming(id uint64) ([]pages.CampaignNext, error) {
	page, err := s.o.Campaigns.Search(campaigns.Query{CampaignID: id, Order: storage.OrderOldest, Limit: 5})
	if err != nil {
		return nil, err
	}
	var out []pages.CampaignNext
	for _, r := range page.Rows {
		act, err := s.o.Campaigns.Next(id, r.ID)
		if err != nil {
			if s.statusOf(err) == http.StatusNotFound {
				continue // the lead moved on to another campaign
			}
			return nil, err
		}
		out = append(out, pages.CampaignNext{LeadID: r.ID, Name: r.Name, What: act.Reason, At: act.At})
	}
	return out, nil
}

func (s *Server) campaignStatePost(c echo.Context) error {
	id, err := campaignID(c)
	if err != nil {
		return err
	}
	to := c.FormValue("to")
	_, enrol, err := s.changeCampaignState(id, to, s.originOf(c))
	if err != nil {
		if status := s.statusOf(err); status < 500 && status != http.StatusNotFound {
			return s.renderCampaign(c, status, id, nil, sentence(model.PublicMessage(err)))
		}
		return err
	}
	q := url.Values{"state": {to}}
	if enrol != nil {
		q.Set("enrolled", strconv.Itoa(enrol.Enrolled))
		q.Set("blacklisted", strconv.Itoa(enrol.Blacklisted))
		q.Set("skipped", strconv.Itoa(enrol.Skipped))
		q.Set("other", strconv.Itoa(enrol.InOtherCampaign))
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d?%s", id, q.Encode()))
}

// changeCampaignState moves a campaign; when it becomes active the result
// says what the enrolment that comes with activation did.
func (s *Server) changeCampaignState(id uint64, to string, o model.Origin) (campaigns.CampaignInfo, *campaigns.EnrolResult, error) {
	if to == "" {
		return campaigns.CampaignInfo{}, nil, model.Errorf(model.CodeInvalid, "say which state the campaign should move to: to=active, paused, completed or archived")
	}
	_, r, err := s.o.Campaigns.SetCampaignState(id, to, o)
	if err != nil {
		return campaigns.CampaignInfo{}, nil, err
	}
	ci, err := s.o.Campaigns.Campaign(id)
	return ci, r, err
}

func (s *Server) campaignEnrolPost(c echo.Context) error {
	id, err := campaignID(c)
	if err != nil {
		return err
	}
	r, err := s.o.Campaigns.EnrolSource(id, s.originOf(c))
	if err != nil {
		if status := s.statusOf(err); status < 500 && status != http.StatusNotFound {
			return s.renderCampaign(c, status, id, nil, sentence(model.PublicMessage(err)))
		}
		return err
	}
	q := url.Values{"enrolled": {strconv.Itoa(r.Enrolled)}, "blacklisted": {strconv.Itoa(r.Blacklisted)}, "other": {strconv.Itoa(r.InOtherCampaign)}, "skipped": {strconv.Itoa(r.Skipped)}}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d?%s", id, q.Encode()))
}

// sentence starts a service message with a capital and ends it with a
// full stop, for the banners of the campaign pages.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}
