package web

// templateRoutes are the pages and API of message and note templates.
func (s *Server) templateRoutes() []route {
	return nil
}
