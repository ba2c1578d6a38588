package web

// campaignRoutes are the pages and API of campaigns, sequences and forecasts.
func (s *Server) campaignRoutes() []route {
	return nil
}
