package web

// outreachRoutes are the pages and API of outreach settings, exports and personal-data requests.
func (s *Server) outreachRoutes() []route {
	return nil
}
