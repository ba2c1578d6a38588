package web

// approvalRoutes are the pages and API of the approvals queue.
func (s *Server) approvalRoutes() []route {
	return nil
}
