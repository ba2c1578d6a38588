package web

// dncRoutes are the pages and API of the do-not-contact list.
func (s *Server) dncRoutes() []route {
	return nil
}
