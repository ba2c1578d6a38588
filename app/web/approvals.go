package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/tmpl"
	"parley/app/model"
	"parley/views/pages"
)

// approvalRoutes are the pages and API of the approvals queue.
func (s *Server) approvalRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, "/approvals", PermSession, classNone, s.approvalsPage},
		{post, "/approvals/approve-all", PermSession, classControl, s.approveAllDrafts},
		{post, "/approvals/:id/edit", PermSession, classControl, s.editDraft},
		{post, "/approvals/:id/approve", PermSession, classControl, s.approveDraft},
		{post, "/approvals/:id/reject", PermSession, classControl, s.rejectDraft},

		{get, "/api/v1/approvals", PermAPIRead, classAPI, s.apiApprovals},
		{post, "/api/v1/approvals/approve-all", PermAPIControl, classControl, s.apiApproveAll},
		{post, "/api/v1/approvals/:id/edit", PermAPIControl, classControl, s.apiEditApproval},
		{post, "/api/v1/approvals/:id/approve", PermAPIControl, classControl, s.apiApprove},
		{post, "/api/v1/approvals/:id/reject", PermAPIControl, classControl, s.apiRejectApproval},
	}
}

// approvalsShown is how many drafts the queue page shows at once.
const approvalsShown = 100

// draftFailure is an action refused on one draft, shown next to it with
// the text that was typed.
type draftFailure struct {
	id   uint64
	msg  string
	text string
}

func (s *Server) approvalsPage(c echo.Context) error {
	return s.renderApprovals(c, http.StatusOK, c.QueryParam("campaign"), approvalFlash(c.QueryParams()), nil)
}

// approvalFlash is the message after a redirect (done=…, or approved/left
// after "approve all").
func approvalFlash(q url.Values) *pages.Flash {
	switch q.Get("done") {
	case "approved":
		return &pages.Flash{Kind: "ok", Text: "Draft approved. It goes out with the campaign's next sends, within the account's limits."}
	case "saved":
		return &pages.Flash{Kind: "ok", Text: "Edit saved. Approve the draft when it reads right."}
	case "unchanged":
		return &pages.Flash{Kind: "warn", Text: "Nothing saved: the text is the same as the draft. Change it in the box, then save or approve."}
	case "rejected":
		return &pages.Flash{Kind: "ok", Text: "Draft rejected. The lead left the campaign and is marked skipped."}
	case "all":
		approved, _ := strconv.Atoi(q.Get("approved"))
		left, _ := strconv.Atoi(q.Get("left"))
		text := fmt.Sprintf("Approved %s.", plural(approved, "draft"))
		if approved == 0 {
			text = "Nothing was ready to approve."
		}
		switch {
		case left == 1:
			return &pages.Flash{Kind: "warn", Text: text + " 1 draft still needs an edit before it can be approved."}
		case left > 1:
			return &pages.Flash{Kind: "warn", Text: fmt.Sprintf("%s %d drafts still need an edit before they can be approved.", text, left)}
		}
		return &pages.Flash{Kind: "ok", Text: text}
	}
	return nil
}

// campaignFilter reads a campaign number; "" is every campaign.
func campaignFilter(v string) (uint64, error) {
	if v = strings.TrimSpace(v); v == "" {
		return 0, nil
	}
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, model.Errorf(model.CodeInvalid, "campaign must be a campaign number, not %q; pick a campaign from the list", truncate(v, 20))
	}
	return id, nil
}

// renderApprovals shows the queue; failed, when set, is an action refused
// on one draft.
func (s *Server) renderApprovals(c echo.Context, status int, campaignParam string, flash *pages.Flash, failed *draftFailure) error {
	v := pages.ApprovalsView{Flash: flash, Limit: approvalsShown}
	campaignID, err := campaignFilter(campaignParam)
	if err != nil {
		v.Error, status = model.PublicMessage(err), http.StatusBadRequest
	}
	v.Campaign = campaignID
	items, inCampaign, err := s.o.Campaigns.Approvals(campaignID, approvalsShown)
	if err != nil {
		return err
	}
	v.Pending, v.InCampaign = s.o.Campaigns.PendingApprovals(), inCampaign
	list, err := s.o.Campaigns.Campaigns(false)
	if err != nil {
		return err
	}
	for _, ci := range list {
		v.Campaigns = append(v.Campaigns, pages.ApprovalCampaign{ID: ci.ID, Name: ci.Name})
		if ci.ID == campaignID {
			v.CampaignName = ci.Name
		}
	}
	for _, it := range items {
		row := approvalRow(it)
		if failed != nil && failed.id == it.ID {
			row.Error, row.Text, row.Chars = failed.msg, failed.text, tmpl.Count(failed.text)
			failed = nil
		}
		if v.CampaignName == "" && it.CampaignID == campaignID {
			v.CampaignName = it.CampaignName
		}
		v.Items = append(v.Items, row)
	}
	if failed != nil {
		// The draft is no longer in the queue (decided meanwhile).
		v.Error = failed.msg
	}
	title := "Approvals"
	if v.Pending > 0 {
		title = fmt.Sprintf("Approvals (%d)", v.Pending)
	}
	return s.render(c, status, pages.Approvals(s.layout(c, title, "approvals"), v))
}

func approvalRow(it campaigns.ApprovalItem) pages.ApprovalRow {
	return pages.ApprovalRow{
		ID: it.ID, LeadID: it.LeadID, LeadName: it.LeadName, Company: it.Company, CampaignID: it.CampaignID,
		CampaignName: it.CampaignName, Step: it.Step + 1, Kind: it.Kind, Variant: it.Variant, Text: it.Text,
		Original: it.Text, Edited: it.Edited, Chars: it.Chars, Limit: it.Limit, Problem: it.Problem, CreatedAt: it.CreatedAt,
	}
}

// afterDraft answers a queue action: back to the queue (keeping its
// filter) with a flash, or the queue again with the refusal next to the
// draft and the typed text kept.
func (s *Server) afterDraft(c echo.Context, id uint64, err error, done, text string) error {
	campaign, _ := campaignFilter(c.FormValue("campaign"))
	if err != nil {
		status := s.statusOf(err)
		if status >= 500 || status == http.StatusNotFound {
			return err
		}
		prefix := map[string]string{"saved": "Not saved: ", "approved": "Not approved: ", "rejected": "Not rejected: "}[done]
		return s.renderApprovals(c, status, c.FormValue("campaign"), nil, &draftFailure{id: id, msg: prefix + model.PublicMessage(err), text: text})
	}
	q := url.Values{"done": {done}}
	if campaign != 0 {
		q.Set("campaign", fmt.Sprint(campaign))
	}
	to := "/approvals?" + q.Encode()
	if done == "saved" || done == "unchanged" {
		to += fmt.Sprintf("#approval-%d", id)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

func (s *Server) editDraft(c echo.Context) error {
	id, err := pathID(c, "draft")
	if err != nil {
		return err
	}
	text := c.FormValue("text")
	if formHas(c, "original") && sameText(text, c.FormValue("original")) {
		// Saving the draft unchanged would mark it edited and clear its
		// problem without fixing it.
		return s.afterDraft(c, id, nil, "unchanged", text)
	}
	_, err = s.o.Campaigns.EditApproval(id, text, s.originOf(c))
	return s.afterDraft(c, id, err, "saved", text)
}

// approveDraft approves the text as shown: when the textarea was changed
// (it differs from the draft in the hidden "original" field) the edit is
// saved first, so what the person read is what gets sent.
func (s *Server) approveDraft(c echo.Context) error {
	id, err := pathID(c, "draft")
	if err != nil {
		return err
	}
	text := c.FormValue("text")
	if !formHas(c, "text") || sameText(text, c.FormValue("original")) {
		_, err = s.o.Campaigns.Approve(id, s.originOf(c))
	} else if _, err = s.o.Campaigns.EditApproval(id, text, s.originOf(c)); err == nil {
		_, err = s.o.Campaigns.Approve(id, s.originOf(c))
	}
	return s.afterDraft(c, id, err, "approved", text)
}

func (s *Server) rejectDraft(c echo.Context) error {
	id, err := pathID(c, "draft")
	if err != nil {
		return err
	}
	_, err = s.o.Campaigns.RejectApproval(id, c.FormValue("reason"), s.originOf(c))
	return s.afterDraft(c, id, err, "rejected", c.FormValue("text"))
}

func (s *Server) approveAllDrafts(c echo.Context) error {
	campaign, err := campaignFilter(c.FormValue("campaign"))
	if err != nil {
		return s.renderApprovals(c, http.StatusBadRequest, "", nil, &draftFailure{msg: model.PublicMessage(err)})
	}
	approved, left, err := s.o.Campaigns.ApproveAll(campaign, s.originOf(c))
	if err != nil {
		return err
	}
	q := url.Values{"done": {"all"}, "approved": {fmt.Sprint(approved)}, "left": {fmt.Sprint(left)}}
	if campaign != 0 {
		q.Set("campaign", fmt.Sprint(campaign))
	}
	return c.Redirect(http.StatusSeeOther, "/approvals?"+q.Encode())
}

// sameText compares two texts as the service stores them (browsers send
// CRLF line breaks; surrounding space is dropped).
func sameText(a, b string) bool {
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	return norm(a) == norm(b)
}

func formHas(c echo.Context, name string) bool {
	form, err := c.FormParams()
	return err == nil && form.Has(name)
}

// API: GET /api/v1/approvals[?campaign=ID&limit=N]
func (s *Server) apiApprovals(c echo.Context) error {
	campaign, err := campaignFilter(c.QueryParam("campaign"))
	if err != nil {
		return err
	}
	limit := approvalsShown
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 500 {
			return model.Errorf(model.CodeInvalid, "limit must be a number from 1 to 500, not %q", truncate(v, 20))
		}
	}
	items, pending, err := s.o.Campaigns.Approvals(campaign, limit)
	if err != nil {
		return err
	}
	if items == nil {
		items = []campaigns.ApprovalItem{}
	}
	return c.JSON(http.StatusOK, map[string]any{"pending": pending, "approvals": items})
}

// decodeOptionalJSON is decodeJSON for bodies that may be left out.
func decodeOptionalJSON(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return decodeJSON(c, v)
}

// API: POST /api/v1/approvals/:id/edit {"text"}
func (s *Server) apiEditApproval(c echo.Context) error {
	id, err := pathID(c, "draft")
	if err != nil {
		return err
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.o.Campaigns.EditApproval(id, in.Text, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// API: POST /api/v1/approvals/:id/approve
func (s *Server) apiApprove(c echo.Context) error {
	id, err := pathID(c, "draft")
	if err != nil {
		return err
	}
	a, err := s.o.Campaigns.Approve(id, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// API: POST /api/v1/approvals/:id/reject [{"reason"}]
func (s *Server) apiRejectApproval(c echo.Context) error {
	id, err := pathID(c, "draft")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeOptionalJSON(c, &in); err != nil {
		return err
	}
	a, err := s.o.Campaigns.RejectApproval(id, in.Reason, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// API: POST /api/v1/approvals/approve-all [{"campaign":ID}]
func (s *Server) apiApproveAll(c echo.Context) error {
	var in struct {
		Campaign uint64 `json:"campaign"`
	}
	if err := decodeOptionalJSON(c, &in); err != nil {
		return err
	}
	approved, left, err := s.o.Campaigns.ApproveAll(in.Campaign, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"approved": approved, "left": left})
}
