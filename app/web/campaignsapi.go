package web

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/sequence"
	"parley/app/model"
)

// campaignJSON is a campaign with its counts and its sequence in words.
type campaignJSON struct {
	campaigns.CampaignInfo
	Sequence []string `json:"sequence"`
	// Enrol is what activation enrolled (POST …/state to active only).
	Enrol *campaigns.EnrolResult `json:"enrol,omitempty"`
}

func newCampaignJSON(ci campaigns.CampaignInfo) campaignJSON {
	if ci.AccountIDs == nil {
		ci.AccountIDs = []uint64{}
	}
	if ci.Steps == nil {
		ci.Steps = []model.Step{}
	}
	return campaignJSON{CampaignInfo: ci, Sequence: sequence.Describe(ci.Steps)}
}

// API: GET /api/v1/campaigns[?archived=1]
func (s *Server) apiCampaigns(c echo.Context) error {
	list, err := s.o.Campaigns.Campaigns(c.QueryParam("archived") == "1")
	if err != nil {
		return err
	}
	out := make([]campaignJSON, 0, len(list))
	for _, ci := range list {
		out = append(out, newCampaignJSON(ci))
	}
	return c.JSON(http.StatusOK, map[string]any{"campaigns": out})
}

// API: GET /api/v1/campaigns/:id
func (s *Server) apiCampaign(c echo.Context) error {
	id, err := campaignID(c)
	if err != nil {
		return err
	}
	ci, err := s.o.Campaigns.Campaign(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newCampaignJSON(ci))
}

// API: POST /api/v1/campaigns (create a draft) and PUT /api/v1/campaigns/:id.
func (s *Server) apiSaveCampaign(c echo.Context) error {
	var id uint64
	if c.Param("id") != "" {
		var err error
		if id, err = campaignID(c); err != nil {
			return err
		}
	}
	var in campaigns.CampaignInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	status := http.StatusOK
	var saved model.Campaign
	var err error
	if id == 0 {
		saved, err = s.o.Campaigns.CreateCampaign(in, s.originOf(c))
		status = http.StatusCreated
	} else {
		saved, err = s.o.Campaigns.UpdateCampaign(id, in, s.originOf(c))
	}
	if err != nil {
		return err
	}
	ci, err := s.o.Campaigns.Campaign(saved.ID)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/campaigns/%d", saved.ID))
	}
	return c.JSON(status, newCampaignJSON(ci))
}

// API: POST /api/v1/campaigns/:id/state {"to":"active"}
func (s *Server) apiCampaignState(c echo.Context) error {
	id, err := campaignID(c)
	if err != nil {
		return err
	}
	var body struct {
		To string `json:"to"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	ci, enrol, err := s.changeCampaignState(id, body.To, s.originOf(c))
	if err != nil {
		return err
	}
	out := newCampaignJSON(ci)
	out.Enrol = enrol
	return c.JSON(http.StatusOK, out)
}

// API: POST /api/v1/campaigns/:id/enrol
func (s *Server) apiCampaignEnrol(c echo.Context) error {
	id, err := campaignID(c)
	if err != nil {
		return err
	}
	r, err := s.o.Campaigns.EnrolSource(id, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

type forecastStepJSON struct {
	// Step is the index in the sequence, from 0 as in counts.by_step.
	Step        int        `json:"step"`
	Kind        string     `json:"kind"`
	Description string     `json:"description"`
	Waiting     int        `json:"waiting"`
	Leads       float64    `json:"leads"`
	Done        *time.Time `json:"done"`
	Bottleneck  string     `json:"bottleneck"`
}

type assumptionsJSON struct {
	AcceptRate         float64 `json:"accept_rate"`
	AcceptAfterDays    int     `json:"accept_after_days"`
	ReplyRate          float64 `json:"reply_rate"`
	AcceptRateMeasured bool    `json:"accept_rate_measured"`
	ReplyRateMeasured  bool    `json:"reply_rate_measured"`
}

type forecastJSON struct {
	Summary     string             `json:"summary"`
	Finish      *time.Time         `json:"finish"`
	Beyond      bool               `json:"beyond"`
	NotEnrolled int                `json:"not_enrolled"`
	Steps       []forecastStepJSON `json:"steps"`
	Notes       []string           `json:"notes"`
	Assumptions assumptionsJSON    `json:"assumptions"`
}

// API: GET /api/v1/campaigns/:id/forecast
func (s *Server) apiCampaignForecast(c echo.Context) error {
	id, err := campaignID(c)
	if err != nil {
		return err
	}
	ci, err := s.o.Campaigns.Campaign(id)
	if err != nil {
		return err
	}
	res, in, err := s.o.Campaigns.Forecast(id)
	if err != nil {
		return err
	}
	lines := sequence.Describe(ci.Steps)
	out := forecastJSON{Summary: res.Summary, Finish: timeOrNil(res.Finish), Beyond: res.Beyond, NotEnrolled: in.NotEnrolled,
		Steps: []forecastStepJSON{}, Notes: res.Notes,
		Assumptions: assumptionsJSON{AcceptRate: in.Assume.AcceptRate, AcceptAfterDays: in.Assume.AcceptAfterDays, ReplyRate: in.Assume.ReplyRate,
			AcceptRateMeasured: ci.Counts.Outcomes["invited"] >= campaigns.MinSample, ReplyRateMeasured: ci.Counts.Outcomes["messaged"] >= campaigns.MinSample}}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	for _, st := range res.Steps {
		f := forecastStepJSON{Step: st.Step, Kind: st.Kind, Waiting: ci.Counts.ByStep[st.Step], Leads: math.Round(st.Leads*100) / 100,
			Done: timeOrNil(st.Done), Bottleneck: st.Bottleneck}
		if st.Step < len(lines) {
			f.Description = lines[st.Step]
		}
		out.Steps = append(out.Steps, f)
	}
	return c.JSON(http.StatusOK, out)
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
